"""Reading Nomad's documented shapes: rollback notes, task events, published ports, counts."""

import pytest

from deployer.diagnostics import rollback_note, task_event_lines
from deployer.verify.edge import port_from_allocation
from deployer.watch import deployment_counts


@pytest.mark.parametrize("description,groups,note", [
    ("Failed due to unhealthy allocations - rolling back to job version 3", {},
     "auto-revert: rolled back to job version 3"),
    ("Failed due to unhealthy allocations - no stable job version to auto revert to", {},
     "auto-revert: no stable job version to roll back to"),
    ("Failed due to progress deadline", {"web": {"AutoRevert": True}}, "auto-revert: enabled but did not roll back"),
    ("Failed due to unhealthy allocations", {"web": {"AutoRevert": False}}, "auto-revert: off"),
])
def test_rollback_note(description, groups, note):
    assert rollback_note({"StatusDescription": description, "TaskGroups": groups}) == note


def test_task_event_lines_prefer_display_message_and_keep_the_last_ones():
    events = [{"Type": "Received", "DisplayMessage": "Task received by client"}] * 10 + [
        {"Type": "Terminated", "DisplayMessage": "", "Message": "Exit Code: 1"}]
    lines = task_event_lines({"TaskStates": {"tax": {"Events": events}}})
    assert len(lines) == 8 and lines[-1] == "tax: Terminated: Exit Code: 1"


ALLOC_PORTS = {"AllocatedResources": {"Shared": {"Ports": [
    {"Label": "connect-proxy-order", "Value": 23456, "To": 23456, "HostIP": "127.0.0.1"},
    {"Label": "http", "Value": 5000, "To": 5000, "HostIP": "0.0.0.0"}]}}}
ALLOC_NETWORKS = {"AllocatedResources": {"Shared": {"Networks": [
    {"IP": "10.0.0.5", "ReservedPorts": [{"Label": "http", "Value": 8080}], "DynamicPorts": []}]}}}


@pytest.mark.parametrize("alloc,expected", [
    (ALLOC_PORTS, ("127.0.0.1", 5000)),  # 0.0.0.0 is reached on loopback
    (ALLOC_NETWORKS, ("10.0.0.5", 8080)),  # older shape: Networks[0].ReservedPorts
    ({"AllocatedResources": {"Shared": {"Ports": []}}}, None),
])
def test_published_port_from_an_allocation(alloc, expected):
    assert port_from_allocation(alloc, "http") == expected


def test_deployment_counts_sum_the_groups():
    deployment = {"TaskGroups": {"a": {"HealthyAllocs": 1, "DesiredTotal": 2}, "b": {"HealthyAllocs": 3,
                                                                                    "DesiredTotal": 3}}}
    assert deployment_counts(deployment) == (4, 5)
