"""JSON jobs: Go's encoding/json into api.Job, then api.Job.Canonicalize() (pure)."""

import pytest

from devagent.gopanic import GoPanic

from devagent.jobspec import JobspecError
from devagent.jobspec.canonicalize import api_canonicalize

S = 1_000_000_000


def minimal(**group):
    return {"ID": "web", "TaskGroups": [{"Name": "web", "Tasks": [{"Name": "app", "Driver": "exec"}], **group}]}


def test_field_names_match_as_go_matches_them_and_unknown_fields_are_dropped():
    job = api_canonicalize({"id": "web", "TASKGROUPS": [{"name": "g", "count": 2, "Frobnicate": 1}], "Extra": True})
    assert (job["ID"], job["Name"]) == ("web", "web")
    assert job["TaskGroups"][0]["Name"] == "g" and job["TaskGroups"][0]["Count"] == 2
    assert "Extra" not in job and "Frobnicate" not in job["TaskGroups"][0]


@pytest.mark.parametrize("job, message", [
    ({"ID": "a", "TaskGroups": [{"Count": "2"}]},
     "json: cannot unmarshal string into Go struct field TaskGroup.Job.TaskGroups.Count of type int"),
    ({"ID": "a", "TaskGroups": [{"Count": 1.5}]},
     "json: cannot unmarshal number 1.5 into Go struct field TaskGroup.Job.TaskGroups.Count of type int"),
    ({"ID": "a", "Meta": {"k": 1}}, "json: cannot unmarshal number into Go struct field Job.Job.Meta of type string"),
    ({"ID": "a", "Datacenters": "dc1"},
     "json: cannot unmarshal string into Go struct field Job.Job.Datacenters of type []string"),
    ({"ID": "a", "TaskGroups": {"web": {}}},
     "json: cannot unmarshal object into Go struct field Job.Job.TaskGroups of type []*api.TaskGroup"),
    ({"ID": "a", "Update": {"Stagger": "30s"}},
     "json: cannot unmarshal string into Go struct field UpdateStrategy.Job.Update.Stagger of type time.Duration"),
])
def test_type_errors_are_gos(job, message):
    with pytest.raises(JobspecError) as raised:
        api_canonicalize(job)
    assert str(raised.value) == message


@pytest.mark.parametrize("job", [{"ID": "a", "TaskGroups": [None]}, minimal(Services=[None])])
def test_a_null_entry_in_a_pointer_list_is_the_nil_dereference_nomad_panics_on(job):
    with pytest.raises(GoPanic):
        api_canonicalize(job)


def test_canonicalize_fills_what_the_api_package_fills():
    job = api_canonicalize(minimal(Services=[{"Name": "", "Connect": {"SidecarService": {"Proxy": {}}},
                                              "Checks": [{"Type": "http", "Path": "/"}],
                                              "CheckRestart": {"Limit": 2}}]))
    assert (job["Namespace"], job["Region"], job["Priority"], job["Type"], job["NodePool"]) == (
        "default", "global", 50, "service", "")
    assert job["Update"]["MaxParallel"] == 1 and job["Update"]["Stagger"] == 30 * S
    group = job["TaskGroups"][0]
    assert group["Consul"] == {"Namespace": "", "Cluster": "default", "Partition": ""}
    assert group["PreventRescheduleOnLost"] is False and group["Count"] == 1
    assert group["ReschedulePolicy"]["DelayFunction"] == "exponential"
    assert group["Migrate"]["HealthCheck"] == "checks"
    assert group["EphemeralDisk"] == {"Sticky": False, "Migrate": False, "SizeMB": 300}
    service = group["Services"][0]
    assert service["Name"] == "web-web" and service["Provider"] == "consul" and service["Cluster"] == "default"
    assert service["Checks"][0]["CheckRestart"] == {"Limit": 2, "Grace": S, "IgnoreWarnings": False}
    assert service["Checks"][0]["OnUpdate"] == "require_healthy"
    assert service["Connect"]["SidecarService"]["Proxy"]["Upstreams"] is None
    task = group["Tasks"][0]
    assert task["Resources"]["CPU"] == 100 and task["Resources"]["MemoryMB"] == 300
    assert task["KillTimeout"] == 5 * S and task["LogConfig"]["MaxFiles"] == 10
    assert task["RestartPolicy"] == group["RestartPolicy"]


def test_group_update_merges_over_the_jobs_and_system_jobs_get_no_reschedule_policy():
    job = api_canonicalize({**minimal(Update={"Canary": 1}), "Update": {"MaxParallel": 3}})
    update = job["TaskGroups"][0]["Update"]
    assert (update["MaxParallel"], update["Canary"], update["HealthCheck"]) == (3, 1, "checks")
    system = api_canonicalize({**minimal(), "Type": "system"})
    assert system["TaskGroups"][0]["ReschedulePolicy"] is None and system["Update"] is None


def test_sidecar_task_and_gateway_defaults():
    job = api_canonicalize(minimal(Services=[
        {"Name": "api", "Connect": {"SidecarService": {}, "SidecarTask": {"Config": {}}}},
        {"Name": "igw", "Connect": {"Gateway": {"Proxy": {}, "Ingress": {"Listeners": [{"Port": 8080}]}}}},
    ]))
    sidecar_task = job["TaskGroups"][0]["Services"][0]["Connect"]["SidecarTask"]
    assert sidecar_task["Config"] is None and sidecar_task["KillTimeout"] == 5 * S
    assert sidecar_task["ShutdownDelay"] == 0 and sidecar_task["Resources"]["CPU"] == 100
    gateway = job["TaskGroups"][0]["Services"][1]["Connect"]["Gateway"]
    assert gateway["Proxy"]["ConnectTimeout"] == 5 * S
    assert gateway["Ingress"]["Listeners"][0]["Protocol"] == "tcp"


def test_canonicalizing_twice_changes_nothing():
    once = api_canonicalize(minimal(Services=[{"Name": "api", "Checks": [{"Type": "tcp"}]}]))
    assert api_canonicalize(once) == once
