"""A corpus of Nomad 1.8 jobspecs (tests/devagent/data/nomad): what jobspec2 makes of each (pure).

The facts checked come from Nomad's own tables (jobspec2/parse_test.go, jobspec/parse_test.go,
which jobspec2 must equal on every fixture HCL1 can parse) and from api.Job.Canonicalize().
"""

import json
from pathlib import Path

import pytest

from devagent.jobspec import parse_jobspec
from devagent.jobspec.canonicalize import api_canonicalize

CORPUS = Path(__file__).parent / "data" / "nomad"
S = 1_000_000_000


def parsed(name, canonicalize=False):
    return parse_jobspec((CORPUS / name).read_text(), canonicalize=canonicalize)


def dig(value, path):
    for step in path:
        value = value[step]
    return value


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.hcl")), ids=lambda p: p.name)
def test_every_corpus_job_parses_and_its_json_canonicalizes_to_the_same_job(path):
    text = path.read_text()
    raw = parse_jobspec(text, canonicalize=False)
    canonical = parse_jobspec(text, canonicalize=True)
    # `nomad job run` sends the parsed job as JSON; the agent canonicalizes it again.
    assert api_canonicalize(json.loads(json.dumps(raw))) == canonical
    assert api_canonicalize(canonical) == canonical


CASES = [
    # connect.nomad.hcl: `nomad job init -connect`
    ("connect.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarService"],
     {"Tags": None, "Port": "", "Proxy": None, "DisableDefaultTCPCheck": False, "Meta": None}),
    ("connect.nomad.hcl", ["TaskGroups", 1, "Networks", 0, "ReservedPorts"],
     [{"Label": "http", "Value": 9002, "To": 9002, "HostNetwork": ""}]),
    ("connect.nomad.hcl", ["TaskGroups", 1, "Services", 0, "Connect", "SidecarService", "Proxy", "Upstreams", 0,
                           "DestinationName"], "count-api"),
    ("connect.nomad.hcl", ["Update", "HealthyDeadline"], 180 * S),
    ("connect.nomad.hcl", ["Update", "Stagger"], None),  # set only by Canonicalize
    # gateways
    ("gateways.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "Gateway", "Proxy", "ConnectTimeout"], 3 * S),
    ("gateways.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "Gateway", "Proxy",
                            "EnvoyGatewayBindAddresses"],
     {"public": {"Name": "public", "Address": "0.0.0.0", "Port": 8080},
      "private": {"Name": "private", "Address": "10.0.0.2", "Port": 8081}}),
    ("gateways.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "Gateway", "Ingress", "Listeners", 1],
     {"Port": 9090, "Protocol": "", "Services": [
         {"Name": "db", "Hosts": None, "TLS": None, "RequestHeaders": None, "ResponseHeaders": None,
          "MaxConnections": None, "MaxPendingRequests": None, "MaxConcurrentRequests": None}]}),
    ("gateways.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "Gateway", "Ingress", "Listeners", 0,
                            "Services", 0, "RequestHeaders"],
     {"Add": {"x-gateway": "ingress"}, "Set": None, "Remove": None}),
    ("gateways.nomad.hcl", ["TaskGroups", 1, "Services", 0, "Connect", "Gateway", "Terminating", "Services", 1],
     {"Name": "billing", "CAFile": "", "CertFile": "", "KeyFile": "", "SNI": "billing.internal"}),
    ("gateways.nomad.hcl", ["TaskGroups", 2, "Services", 0, "Connect", "Gateway", "Mesh"], {}),
    # every proxy field
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Checks", 0, "Header"],
     {"Accept": ["application/json", "1"]}),
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarService", "Proxy",
                                      "Upstreams", 0, "Config"], {"connect_timeout_ms": 9999}),
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarService", "Proxy",
                                      "TransparentProxy"],
     {"UID": "101", "OutboundPort": 15001, "ExcludeInboundPorts": ["metrics", "9000"],
      "ExcludeOutboundPorts": [443, 80], "ExcludeOutboundCIDRs": ["10.0.0.0/8"], "ExcludeUIDs": ["10"],
      "NoDNS": True}),
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarTask", "Config", "args"],
     ["-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json", "-l", "${meta.connect.log_level}"]),
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarTask", "LogConfig"],
     {"MaxFiles": 2, "MaxFileSizeMB": 2, "Enabled": None, "Disabled": None}),
    # a job-level task becomes a group of its own, first; the job's vault is inherited
    ("job-level-task.nomad.hcl", ["TaskGroups", 0, "Name"], "migrate"),
    ("job-level-task.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Vault"],
     {"Policies": ["tools"], "Role": "", "Namespace": None, "Cluster": "", "Env": True, "DisableFile": False,
      "ChangeMode": "restart", "ChangeSignal": None, "AllowTokenExpiration": None}),
    ("job-level-task.nomad.hcl", ["TaskGroups", 1, "Tasks", 0, "Vault", "ChangeMode"], "noop"),
    ("job-level-task.nomad.hcl", ["TaskGroups", 1, "Tasks", 0, "Vault", "Policies"], ["report"]),
    # HCL2 evaluation
    ("hcl2-features.nomad.hcl", ["Datacenters"], ["DC1", "DC2"]),
    ("hcl2-features.nomad.hcl", ["Priority"], 60),
    ("hcl2-features.nomad.hcl", ["Meta"], {"app.version": "1.4.2", "ports": "9292,9191"}),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Count"], 4),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Networks", 0, "DynamicPorts"],
     [{"Label": "http", "Value": 0, "To": 8000, "HostNetwork": ""},
      {"Label": "admin", "Value": 0, "To": 8001, "HostNetwork": ""}]),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Name"], "billing-1.4.2"),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarService", "Proxy",
                                 "Upstreams"],
     [{"DestinationName": "audit", "DestinationNamespace": "", "DestinationPeer": "", "DestinationPartition": "",
       "DestinationType": "", "LocalBindPort": 9292, "Datacenter": "", "LocalBindAddress": "",
       "LocalBindSocketPath": "", "LocalBindSocketMode": "", "MeshGateway": None, "Config": None},
      {"DestinationName": "tax", "DestinationNamespace": "", "DestinationPeer": "", "DestinationPartition": "",
       "DestinationType": "", "LocalBindPort": 9191, "Datacenter": "", "LocalBindAddress": "",
       "LocalBindSocketPath": "", "LocalBindSocketMode": "", "MeshGateway": None, "Config": None}]),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Config", "args"],
     ["--listen", "0.0.0.0:${NOMAD_PORT_http}", "--upstream=audit", "--upstream=tax"]),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Env"],
     {"HOME": '${env["HOME"]}', "NODE": "${node.unique.name}", "UPSTREAM_AUDIT": "127.0.0.1:9292",
      "UPSTREAM_TAX": "127.0.0.1:9191"}),
    # hclsyntax flushes a `<<-` heredoc after the strip markers: a line whose newline a `~}`
    # ate is no longer a line start, so its indentation stays
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Templates", 0, "EmbeddedTmpl"],
     "          audit=9292\n          tax=9191\n          alloc=${NOMAD_ALLOC_ID}\n"),
    ("hcl2-features.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Resources", "MemoryMB"], 85),
    # storage, identity, ui and friends
    ("storage-identity-ui.nomad.hcl", ["UI", "Links"], [{"Label": "Runbook", "URL": "https://example.com/runbook"}]),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Volumes", "data", "MountOptions"],
     {"FSType": "ext4", "MountFlags": ["noatime"]}),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Scaling", "Type"], "horizontal"),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Scaling", "Policy"],
     {"cooldown": "1m", "check": [{"cpu": [{"source": "nomad-apm", "query": "avg_cpu"}]}]}),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Identity", "Env"], True),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Identities", 0, "Name"], "vault_default"),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "ScalingPolicies", 0, "Type"], "vertical_cpu"),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Templates", 0, "ChangeSignal"], "sigusr1"),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Resources", "Devices", 0, "Name"],
     "nvidia/gpu"),
    # batch
    ("batch-periodic.nomad.hcl", ["Periodic"],
     {"Enabled": None, "Spec": None, "Specs": ["0 2 * * *", "0 14 * * *"], "SpecType": "cron",
      "ProhibitOverlap": True, "TimeZone": "Europe/Berlin"}),
    ("batch-periodic.nomad.hcl", ["Multiregion", "Regions", 1],
     {"Name": "east", "Count": None, "Datacenters": None, "NodePool": "", "Meta": None}),
    ("batch-periodic.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "DispatchPayload"], {"File": "input.json"}),
    # placement: jobspec2's constraint decoder
    ("placement.nomad.hcl", ["Constraints"],
     [{"LTarget": "", "RTarget": "false", "Operand": "distinct_hosts"},
      {"LTarget": "${meta.rack}", "RTarget": "2", "Operand": "distinct_property"}]),
    ("placement.nomad.hcl", ["TaskGroups", 0, "Constraints", 3],
     {"LTarget": "${attr.vault.version}", "RTarget": "", "Operand": "is_set"}),
    ("placement.nomad.hcl", ["TaskGroups", 0, "Affinities", 0],
     {"LTarget": "${meta.tags}", "RTarget": "fast,cheap", "Operand": "set_contains_any", "Weight": None}),
    ("placement.nomad.hcl", ["Spreads", 0, "SpreadTarget"], [{"Value": "dc1", "Percent": 70},
                                                              {"Value": "dc2", "Percent": 30}]),
]


@pytest.mark.parametrize("name, path, expected", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_parsed_values_are_jobspec2s(name, path, expected):
    assert dig(parsed(name), path) == expected


CANONICAL = [
    ("connect.nomad.hcl", ["TaskGroups", 0, "Consul"], {"Namespace": "", "Cluster": "default", "Partition": ""}),
    ("connect.nomad.hcl", ["TaskGroups", 0, "PreventRescheduleOnLost"], False),
    ("connect.nomad.hcl", ["TaskGroups", 1, "Update", "HealthyDeadline"], 180 * S),
    ("connect.nomad.hcl", ["TaskGroups", 1, "Services", 0, "Cluster"], "default"),
    ("connect.nomad.hcl", ["TaskGroups", 1, "Tasks", 0, "Resources"],
     {"CPU": 100, "Cores": 0, "MemoryMB": 300, "MemoryMaxMB": None, "DiskMB": None, "Networks": None,
      "Devices": None, "NUMA": None, "SecretsMB": None, "IOPS": None}),
    ("gateways.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "Gateway", "Ingress", "Listeners", 1,
                            "Protocol"], "tcp"),
    ("gateways.nomad.hcl", ["TaskGroups", 1, "Services", 0, "Connect", "Gateway", "Proxy", "ConnectTimeout"], 5 * S),
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Checks", 0, "CheckRestart"],
     {"Limit": 3, "Grace": 30 * S, "IgnoreWarnings": True}),
    ("connect-everything.nomad.hcl", ["TaskGroups", 0, "Services", 0, "Connect", "SidecarTask", "Resources"],
     {"CPU": 250, "Cores": 0, "MemoryMB": 128, "MemoryMaxMB": 256, "DiskMB": None, "Networks": None,
      "Devices": None, "NUMA": None, "SecretsMB": None, "IOPS": None}),
    ("job-level-task.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Vault"],
     {"Policies": ["tools"], "Role": "", "Namespace": "", "Cluster": "default", "Env": True, "DisableFile": False,
      "ChangeMode": "restart", "ChangeSignal": "SIGHUP", "AllowTokenExpiration": False}),
    ("job-level-task.nomad.hcl", ["TaskGroups", 0, "ReschedulePolicy", "DelayFunction"], "constant"),
    ("job-level-task.nomad.hcl", ["Update"], None),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Disconnect"],
     {"LostAfter": 3600 * S, "StopOnClientAfter": None, "Replace": False, "Reconcile": "keep_original"}),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 0, "Lifecycle"], {"Hook": "prestart",
                                                                                  "Sidecar": False}),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Lifecycle"], None),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "VolumeMounts", 0],
     {"Volume": "data", "Destination": "/var/lib/db", "ReadOnly": False, "PropagationMode": "private",
      "SELinuxLabel": ""}),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Artifacts", 1, "RelativeDest"], "local/db.conf"),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Templates", 0, "ChangeSignal"], "SIGUSR1"),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Tasks", 1, "Resources", "Devices", 0, "Affinities", 0,
                                       "Weight"], 50),
    ("storage-identity-ui.nomad.hcl", ["TaskGroups", 0, "Scaling", "Enabled"], True),
    ("batch-periodic.nomad.hcl", ["Periodic", "Enabled"], True),
    ("batch-periodic.nomad.hcl", ["Multiregion", "Regions", 1, "Count"], 1),
    ("batch-periodic.nomad.hcl", ["TaskGroups", 0, "ReschedulePolicy"],
     {"Attempts": 3, "Interval": 3600 * S, "Delay": 5 * S, "DelayFunction": "constant", "MaxDelay": 0,
      "Unlimited": False}),
    ("placement.nomad.hcl", ["TaskGroups", 0, "Affinities", 0, "Weight"], 50),
    ("placement.nomad.hcl", ["Affinities", 0, "Weight"], 80),
]


@pytest.mark.parametrize("name, path, expected", CANONICAL, ids=lambda v: v if isinstance(v, str) else None)
def test_canonical_values_are_api_canonicalizes(name, path, expected):
    assert dig(parsed(name, canonicalize=True), path) == expected
