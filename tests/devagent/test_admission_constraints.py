"""Implied constraints (Test_jobImpliedConstraints_Mutate's table) and node feasibility of constraints (pure)."""

import pytest

from devagent.admission import implied_constraints
from devagent.feasibility import constraint_met, unmet_reason, version_matches


def c(ltarget, rtarget, operand):
    return {"LTarget": ltarget, "RTarget": rtarget, "Operand": operand}


VAULT = c("${attr.vault.version}", ">= 0.6.1", "semver")
CONSUL = c("${attr.consul.version}", ">= 1.8.0", "semver")
NOMAD_SD = c("${attr.nomad.service_discovery}", "true", "=")
NOMAD_CHECKS = c("${attr.nomad.version}", ">= 1.4.0", "semver")
CNI = [c(f"${{attr.plugins.cni.version.{p}}}", ">= 0.4.0", "semver")
       for p in ("bridge", "firewall", "host-local", "loopback", "portmap")]
TPROXY = [c("${attr.plugins.cni.version.consul-cni}", ">= 1.4.2", "semver"), c("${attr.nomad.version}", ">= 1.8.0-dev", "semver")]
NUMA = [c("${attr.nomad.version}", ">= 1.6.3-dev", "semver"), c("${attr.kernel.name}", "linux", "=")]
HIGH_MEMORY = c("${node.class}", "high-memory", "=")


@pytest.mark.parametrize("group, expected", [
    ({"Tasks": [{"Name": "t"}]}, None),
    ({"Tasks": [{"Name": "t", "Vault": {}}]}, [VAULT]),
    ({"Tasks": [{"Name": "t1", "Vault": {}}, {"Name": "t2", "Vault": {}}]}, [VAULT]),
    ({"Tasks": [{"Name": "t1", "Vault": {"Cluster": "infra"}}, {"Name": "t2", "Vault": {}}]},
     [c("${attr.vault.infra.version}", ">= 1.11.0", "semver"), VAULT]),
    ({"Tasks": [{"Name": "t", "Vault": {}}], "Constraints": [c("${attr.vault.version}", ">= 1.0.0", "semver")]},
     [c("${attr.vault.version}", ">= 1.0.0", "semver")]),
    ({"Tasks": [{"Name": "t", "Vault": {}}], "Constraints": [HIGH_MEMORY]}, [HIGH_MEMORY, VAULT]),
    ({"Tasks": [{"Name": "t", "Vault": {"ChangeSignal": "SIGINT", "ChangeMode": "signal"}}]},
     [VAULT, c("${attr.os.signals}", "SIGINT", "set_contains")]),
    ({"Tasks": [{"Name": "t", "KillSignal": "SIGINT"}]}, [c("${attr.os.signals}", "SIGINT", "set_contains")]),
    ({"Tasks": [{"Name": "t1", "Templates": [{"ChangeMode": "signal", "ChangeSignal": "SIGINT"}]},
                {"Name": "t2", "Templates": [{"ChangeMode": "signal", "ChangeSignal": "SIGHUP"}]}]},
     [c("${attr.os.signals}", "SIGHUP,SIGINT", "set_contains")]),
    ({"Services": [{"Name": "s", "Provider": "nomad"}], "Tasks": []}, [NOMAD_SD]),
    ({"Services": [{"Name": "s", "Provider": "nomad", "Checks": [{"Name": "c"}]}], "Tasks": []},
     [NOMAD_SD, NOMAD_CHECKS]),
    ({"Services": [{"Name": "s", "Provider": "nomad"}], "Constraints": [NOMAD_SD], "Tasks": []}, [NOMAD_SD]),
    ({"Services": [{"Name": "s", "Provider": "consul"}], "Tasks": []}, [CONSUL]),
    ({"Services": [{"Name": "s", "Provider": ""}], "Constraints": [CONSUL], "Tasks": []}, [CONSUL]),
    ({"Services": [{"Name": "s", "Provider": "consul", "Cluster": "infra"}, {"Name": "d", "Provider": "consul"}],
      "Tasks": []}, [c("${attr.consul.infra.version}", ">= 1.8.0", "semver"), CONSUL]),
    ({"Tasks": [{"Name": "t", "Resources": {"NUMA": {"Affinity": "require"}}}]}, NUMA),
    ({"Tasks": [{"Name": "t", "Resources": {"NUMA": {"Affinity": "none"}}}]}, None),
    ({"Networks": [{"Mode": "bridge"}], "Tasks": []}, CNI),
    ({"Networks": [{"Mode": "bridge"}], "Tasks": [],
      "Services": [{"Connect": {"SidecarService": {"Proxy": {"TransparentProxy": {}}}}}]}, [CONSUL] + CNI + TPROXY),
    ({"Tasks": [{"Name": "t", "Schedule": {}}]}, [c("${attr.nomad.version}", ">= 1.8.0-dev", "semver")]),
])
def test_implied_group_constraints(group, expected):
    group = {"Name": "g", **group}
    implied_constraints.mutate({"TaskGroups": [group]})
    assert group.get("Constraints") == expected


def test_task_level_service_constrains_its_task():
    group = {"Name": "g", "Tasks": [{"Name": "t", "Services": [{"Name": "s"}]}]}
    implied_constraints.mutate({"TaskGroups": [group]})
    assert group.get("Constraints") is None and group["Tasks"][0]["Constraints"] == [CONSUL]


NODE = {"ID": "n1", "Name": "node-1", "Datacenter": "dc1", "NodeClass": "", "NodePool": "default",
        "Attributes": {"kernel.name": "linux", "consul.version": "1.8.7", "consul.grpc": "8502",
                       "nomad.version": "1.8.4", "os.signals": "SIGHUP,SIGINT,SIGTERM",
                       "plugins.cni.version.bridge": "1.0.0"},
        "Meta": {"connect.log_level": "info"}}


@pytest.mark.parametrize("constraint, met", [
    (CONSUL, True),
    (c("${attr.consul.grpc}", "0", ">"), True),
    (c("${attr.consul.grpc}", "9000", ">"), False),
    (c("${attr.vault.version}", ">= 0.6.1", "semver"), False),  # no Vault on this node
    (c("${attr.nomad.version}", ">= 1.7.0-a", "semver"), True),
    (c("${attr.nomad.version}", ">= 1.8.0-dev", "semver"), True),
    (c("${attr.os.signals}", "SIGHUP,SIGINT", "set_contains"), True),
    (c("${attr.os.signals}", "SIGUSR1", "set_contains"), False),
    (c("${attr.kernel.name}", "linux", "="), True),
    (c("${attr.kernel.name}", "windows", "!="), True),
    (c("${node.datacenter}", "dc[0-9]", "regexp"), True),
    (c("${meta.connect.log_level}", "", "is_set"), True),
    (c("${attr.unique.storage}", "", "is_not_set"), True),
    (c("", "", "distinct_hosts"), True),
    (c("${attr.plugins.cni.version.portmap}", ">= 0.4.0", "semver"), False),
])
def test_constraints_on_the_node(constraint, met):
    assert constraint_met(constraint, NODE) is met


def test_first_unmet_constraint_is_the_reason_nomad_gives():
    group = {"Constraints": [CONSUL, c("${attr.kernel.name}", "windows", "=")],
             "Tasks": [{"Constraints": [c("${attr.consul.grpc}", "0", ">")]}]}
    assert unmet_reason({"Constraints": None}, group, NODE) == "${attr.kernel.name} = windows"
    assert unmet_reason({}, {"Volumes": {"data": {"Type": "host", "Source": "data"}}}, NODE) == \
        "missing compatible host volumes"
    assert unmet_reason({}, {"Tasks": []}, NODE) is None


@pytest.mark.parametrize("version, constraints, ok", [
    ("1.8.7", ">= 1.8.0", True), ("1.7.14", ">= 1.8.0", False), ("1.11.2", ">= 1.11.2", True),
    ("1.8.4", ">= 1.6.3-dev", True), ("1.8.0-dev", ">= 1.8.0", False), ("1.2.3", "~> 1.2", True),
    ("2.0.0", "~> 1.2", False), ("1.5.0", "> 1.0, < 2.0", True), ("v1.0.0", "= 1.0.0", True), ("abc", ">= 1", False),
])
def test_version_constraints(version, constraints, ok):
    assert version_matches(version, constraints) is ok
