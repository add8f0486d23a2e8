"""Task.Validate and its parts (resources, logs, templates, artifacts, vault, lifecycle, volumes, identity), from
Nomad's structs_test.go tables."""

import pytest

from devagent.admission.validate_identity import validate_identity
from devagent.admission.validate_lifecycle import validate_lifecycle
from devagent.admission.validate_resources import validate_resources
from devagent.admission.validate_task import validate_task
from devagent.admission.validate_templates import (path_escapes_alloc, validate_artifact, validate_dispatch_payload,
                                                   validate_template, validate_vault)
from devagent.admission.validate_volumes import validate_volume_mount, validate_volume_request

SECOND = 1_000_000_000
DEFAULT_RESOURCES = {"CPU": 100, "MemoryMB": 300}
DEFAULT_LOGS = {"MaxFiles": 10, "MaxFileSizeMB": 10}
MISSING_SOURCE_AND_DESTINATION = ("Must specify a source path or have an embedded template",
                                  "Must specify a destination for the template")
INVALID_CHANGE_MODE = "Invalid change mode. Must be one of the following: noop, signal, script, restart"


def task_errors(task: dict, group: dict | None = None, job_type: str = "service") -> str:
    problem = validate_task(task, job_type, group if group is not None else {"EphemeralDisk": {"SizeMB": 300}})
    return str(problem) if problem else ""


def good_task(**changes) -> dict:
    return dict({"Name": "web", "Driver": "docker", "Resources": dict(DEFAULT_RESOURCES), "LogConfig": DEFAULT_LOGS},
                **changes)


def test_an_empty_task_misses_name_driver_resources_and_log_config():
    problem = validate_task({}, "batch", {"EphemeralDisk": {"SizeMB": 300}})
    assert [str(entry) for entry in problem.errors] == [
        "Missing task name", "Missing task driver", "Missing task resources", "Missing Log Config"]


def test_task_name_slashes_and_a_valid_task():
    assert "Task name cannot include slashes" in task_errors(good_task(Name="web/foo"))
    assert "Task name cannot include slashes" in task_errors(good_task(Name="web\\foo"))
    assert task_errors(good_task(Resources={"CPU": 100, "MemoryMB": 100}), {"EphemeralDisk": {"SizeMB": 200}}) == ""


def test_volume_mounts_must_reference_group_volumes():
    group = {"EphemeralDisk": {"SizeMB": 200}, "Volumes": {"foo": {"Name": "foo"}}}
    assert ("Volume Mount (0) references undefined volume blah"
            in task_errors(good_task(VolumeMounts=[{"Volume": "blah"}]), group))


def test_distinct_constraints_are_not_allowed_at_task_level():
    task = good_task(Constraints=[{"Operand": "distinct_hosts"},
                                  {"Operand": "distinct_property", "LTarget": "${meta.rack}"}])
    text = task_errors(task)
    assert "Constraint 1 has disallowed Operand at task level: distinct_hosts" in text
    assert "Constraint 2 has disallowed Operand at task level: distinct_property" in text


@pytest.mark.parametrize("resources, expected", [
    ({"CPU": 1, "MemoryMB": 10}, None),
    (DEFAULT_RESOURCES, None),
    ({"CPU": 1000, "MemoryMB": 1000, "MemoryMaxMB": 2000, "IOPS": 1000}, None),
    ({"CPU": 0, "MemoryMB": 200}, "minimum CPU value is 1; got 0"),
    ({"CPU": 0, "Cores": 2, "MemoryMB": 200}, None),
    ({"CPU": 100, "MemoryMB": 1}, "minimum MemoryMB value is 10; got 1"),
    ({"CPU": 100, "MemoryMB": 200, "MemoryMaxMB": 10}, "MemoryMaxMB value (10) should be larger than MemoryMB value (200)"),
    ({"CPU": 100, "MemoryMB": 200, "MemoryMaxMB": -1}, None),
    ({"CPU": 100, "Cores": 1, "MemoryMB": 200}, "Task can only ask for 'cpu' or 'cores' resource, not both."),
    ({"CPU": 100, "MemoryMB": 200, "DiskMB": 10},
     "Task can't ask for disk resources, they have to be specified at the task group level."),
    ({"CPU": 100, "MemoryMB": 200, "SecretsMB": 300}, "SecretsMB value (300) cannot be larger than MemoryMB value (200)"),
    ({"CPU": 100, "MemoryMB": 200, "SecretsMB": -1}, "SecretsMB value (-1) cannot be negative"),
    ({"CPU": 100, "MemoryMB": 200, "Devices": [{"Name": "", "Constraints": [{"Operand": "distinct_hosts"}]}]},
     "device 1 failed validation: 2 errors occurred:\n"
     "\t* device name must be given as one of the following: type, vendor/type, or vendor/type/name\n"
     '\t* Constraint 1 validation failed: using unsupported operand "distinct_hosts"'),
])
def test_resources_table(resources, expected):
    problem = validate_resources(resources)
    if expected is None:
        assert problem is None
    else:
        assert expected in str(problem)


def test_log_storage_must_fit_in_the_ephemeral_disk():
    text = task_errors(good_task(), {"EphemeralDisk": {"SizeMB": 1}})
    assert "log storage (100 MB) must be less than requested disk capacity (1 MB)" in text
    text = task_errors(good_task(LogConfig={"MaxFiles": 0, "MaxFileSizeMB": 0}))
    assert "minimum number of files is 1; got 0" in text
    assert "minimum file size is 1MB; got 0" in text


def test_kill_timeout_and_shutdown_delay_must_not_be_negative():
    text = task_errors(good_task(KillTimeout=-1, ShutdownDelay=-1))
    assert "KillTimeout must be a positive value" in text
    assert "ShutdownDelay must be a positive value" in text


def test_task_templates_fail_share_destinations_and_cannot_signal_env_templates():
    assert "Template 1 validation failed" in task_errors(good_task(Templates=[{}]))
    good = {"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop"}
    assert "Template 2 has same destination as 1" in task_errors(good_task(Templates=[good, good]))
    assert "cannot use signals with env var templates" in task_errors(
        good_task(Templates=[{"Envvars": True, "ChangeMode": "signal"}]))


@pytest.mark.parametrize("template, expected", [
    ({}, ["Must specify a source path or have an embedded template", "Must specify a destination for the template",
          INVALID_CHANGE_MODE]),
    ({"Splay": -100, "ChangeMode": "noop"}, [*MISSING_SOURCE_AND_DESTINATION, "Must specify positive splay value"]),
    ({"ChangeMode": "foo"}, [*MISSING_SOURCE_AND_DESTINATION, INVALID_CHANGE_MODE]),
    ({"ChangeMode": "signal"}, [*MISSING_SOURCE_AND_DESTINATION, "Must specify signal value when change mode is signal"]),
    ({"SourcePath": "foo", "DestPath": "../../root", "ChangeMode": "noop"}, ["destination escapes allocation directory"]),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop"}, []),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop", "Perms": "0444"}, []),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop", "Perms": "zza"},
     ['Failed to parse "zza" as octal: strconv.ParseUint: parsing "zza": invalid syntax']),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop", "Perms": "77777"},
     ['Failed to parse "77777" as octal: strconv.ParseUint: parsing "77777": value out of range']),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop", "Wait": {"Min": 10 * SECOND, "Max": 5 * SECOND}},
     ["wait min 10s is greater than max 5s"]),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "noop", "Wait": {"Min": 5 * SECOND, "Max": 5 * SECOND}},
     []),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "script"},
     ["must specify change script configuration value when change mode is script"]),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "script", "ChangeScript": {"Command": ""}},
     ["must specify script path value when change mode is script"]),
    ({"SourcePath": "foo", "DestPath": "local/foo", "ChangeMode": "script", "ChangeScript": {"Command": "/bin/foo"}}, []),
])
def test_template_table(template, expected):
    problem = validate_template(template)
    assert [str(entry) for entry in (problem.errors if problem else [])] == expected


@pytest.mark.parametrize("prefix, path, escapes", [
    ("task", "local/foo", False), ("task", "/etc/passwd", False), ("task", "../../root", True),
    ("task", "local/..", False), ("task", "local/../../..", True), ("task/local/", "../../../x", True),
    ("task/local/", "../../x", False),
    ("task/local/", "input.json", False), ("task", "../alloc/data", False),
])
def test_paths_escaping_the_allocation(prefix, path, escapes):
    assert path_escapes_alloc(prefix, path) is escapes


@pytest.mark.parametrize("artifact, expected", [
    ({"GetterSource": "google.com"}, None),
    ({"GetterSource": "google.com", "RelativeDest": "local/"}, None),
    ({"GetterSource": "google.com", "RelativeDest": "local/.."}, None),
    ({"GetterSource": "google.com", "RelativeDest": "local/../../.."}, "destination escapes allocation directory"),
    ({"GetterSource": ""}, "source must be specified"),
    ({"GetterSource": "x", "GetterMode": "tarball"}, 'invalid artifact mode "tarball"; must be one of: any, file, dir'),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "no-type"}},
     'checksum must be given as "type:value"; got "no-type"'),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "md5:toosmall"}},
     "invalid checksum: encoding/hex: invalid byte: U+0074 't'"),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "invalid:abcd"}}, "unsupported checksum type: invalid"),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "md5:abcd"}}, "invalid md5 checksum: abcd"),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "md5:abc"}},
     "invalid checksum: encoding/hex: odd length hex string"),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "  "}}, "checksum value cannot be empty"),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "md5:${ARTIFACT_CHECKSUM}"}}, None),
    ({"GetterSource": "foo.com", "GetterOptions": {"checksum": "md5:" + "ab" * 16}}, None),
])
def test_artifact_table(artifact, expected):
    problem = validate_artifact(artifact)
    if expected is None:
        assert problem is None
    else:
        assert expected in str(problem)


def test_artifacts_are_numbered_in_the_task_error():
    assert "Artifact 1 validation failed: 1 error occurred:\n\t* source must be specified" in task_errors(
        good_task(Artifacts=[{"GetterSource": ""}]))


@pytest.mark.parametrize("vault, expected", [
    ({"Policies": ["foo", "root"], "ChangeMode": "restart"}, ['Can not specify "root" policy']),
    ({"ChangeMode": "signal"}, ['Signal must be specified when using change mode "signal"']),
    ({"ChangeMode": "bogus"}, ['Unknown change mode "bogus"']),
    ({"ChangeMode": "noop", "Policies": ["a"]}, []),
])
def test_vault_table(vault, expected):
    problem = validate_vault(vault)
    assert [str(entry) for entry in (problem.errors if problem else [])] == expected
    if expected:
        assert "Vault validation failed: " in task_errors(good_task(Vault=vault))


def test_dispatch_payload_must_stay_in_the_task_directory():
    assert validate_dispatch_payload({"File": "foo"}) is None
    assert validate_dispatch_payload({"File": "../../../foo"}) == "destination escapes allocation directory"
    assert ("Dispatch Payload validation failed: destination escapes allocation directory"
            in task_errors(good_task(DispatchPayload={"File": "../../../foo"})))


@pytest.mark.parametrize("lifecycle, expected", [
    ({"Hook": "prestart"}, None), ({"Hook": "prestart", "Sidecar": True}, None), ({"Hook": "poststop"}, None),
    ({"Sidecar": True}, "no lifecycle hook provided"), ({"Hook": "later"}, "invalid hook: later"), (None, None),
])
def test_lifecycle_table(lifecycle, expected):
    assert validate_lifecycle(lifecycle) == expected


def test_lifecycle_errors_are_prefixed_in_the_task():
    assert "Lifecycle validation failed: no lifecycle hook provided" in task_errors(good_task(Lifecycle={}))


@pytest.mark.parametrize("kind, leader, services, group_services, expected", [
    ("test", False, None, None, None),
    ("connect-proxy:redis", False, [{"Name": "redis", "Provider": "consul"}], None,
     "Connect proxy task must not have a service block"),
    ("connect-proxy:redis", True, [{"Name": "redis", "Provider": "consul"}], None,
     "Connect proxy task must not have leader set"),
    ("connect-proxy:redis:test", False, None, None, 'No Connect services in task group with Connect proxy ("redis:test")'),
    ("connect-proxy:redis", False, None, None, 'No Connect services in task group with Connect proxy ("redis")'),
    ("connect-proxy:redis", False, None, [{"Name": "redis"}],
     'No Connect services in task group with Connect proxy ("redis")'),
    ("connect-proxy:redis", False, None, [{"Name": "db", "Connect": {"SidecarService": {}}},
                                          {"Name": "cache", "Connect": {"SidecarService": {}}}],
     'Connect proxy service name ("redis") not found in Connect services from task group: [db cache]'),
    ("connect-proxy:redis", False, None, [{"Name": "redis", "Connect": {"SidecarService": {"Port": "db"}}}], None),
    ("connect-proxy:", False, None, None, None),
])
def test_connect_proxy_kind_table(kind, leader, services, group_services, expected):
    task = good_task(Kind=kind, Leader=leader, Services=services,
                     Resources=dict(DEFAULT_RESOURCES, Networks=[{"DynamicPorts": [{"Label": "http", "Value": 80}]}]))
    text = task_errors(task, {"EphemeralDisk": {"SizeMB": 300}, "Services": group_services})
    if expected is None:
        assert text == ""
    else:
        assert expected in text


@pytest.mark.parametrize("config, expected", [
    (None, None),
    ({}, "CSIPluginConfig must have a non-empty PluginID"),
    ({"ID": "com.hashicorp.csi", "Type": "nonsense"},
     "CSIPluginConfig PluginType must be one of 'node', 'controller', or 'monolith', got: \"nonsense\""),
    ({"ID": "com.hashicorp.csi", "Type": "monolith", "MountDir": "/csi", "StagePublishBaseDir": "/csi/local"},
     'CSIPluginConfig StagePublishBaseDir must not be a subdirectory of MountDir, got: '
     'StagePublishBaseDir="/csi/local" MountDir="/csi"'),
])
def test_csi_plugin_config_table(config, expected):
    text = task_errors(good_task(CSIPluginConfig=config), {"EphemeralDisk": {"SizeMB": 300}})
    if expected is None:
        assert "CSIPluginConfig" not in text
    else:
        assert expected in text


@pytest.mark.parametrize("volume, job_type, count, canaries, expected", [
    ({"Type": "host", "Source": "data"}, "service", 3, 0, None),
    ({"Type": "nothost", "Source": "x"}, "service", 1, 0, "volume has unrecognized type nothost"),
    ({"Type": "host", "Source": "", "AccessMode": "single-node-writer", "AttachmentMode": "file-system",
      "MountOptions": {}}, "service", 1, 0,
     ["volume has an empty source", "host volumes cannot have an attachment mode",
      "host volumes cannot have an access mode", "host volumes cannot have mount options"]),
    ({"Type": "csi", "Source": "v", "PerAlloc": True}, "system", 1, 1,
     ["volume cannot be per_alloc for system or sysbatch jobs", "volume cannot be per_alloc when canaries are in use",
      "CSI volumes must have an attachment mode", "CSI volumes must have an access mode"]),
    ({"Type": "csi", "Source": "v", "AttachmentMode": "block-device", "MountOptions": {},
      "AccessMode": "single-node-reader-only"}, "service", 2, 0,
     ["block devices cannot have mount options", "single-node-reader-only volumes must be read-only",
      "volume with single-node-reader-only access mode allows only one reader"]),
    ({"Type": "csi", "Source": "v", "AttachmentMode": "file-system", "AccessMode": "single-node-writer"},
     "service", 2, 0, ["volume with single-node-writer access mode allows only one reader or writer"]),
    ({"Type": "csi", "Source": "v", "AttachmentMode": "file-system", "AccessMode": "multi-node-reader-only"},
     "service", 2, 0, ["multi-node-reader-only volumes must be read-only"]),
    ({"Type": "csi", "Source": "v", "AttachmentMode": "file-system", "AccessMode": "multi-node-single-writer"},
     "service", 2, 0, ["volume with multi-node-single-writer access mode allows only one writer"]),
    ({"Type": "csi", "Source": "v", "AttachmentMode": "file-system", "AccessMode": "multi-node-multi-writer"},
     "service", 2, 0, None),
])
def test_volume_request_table(volume, job_type, count, canaries, expected):
    problem = validate_volume_request(volume, job_type, count, canaries)
    if expected is None:
        assert problem is None
    elif isinstance(expected, str):
        assert problem == expected
    else:
        assert [str(entry) for entry in problem.errors] == expected


def test_volume_mount_table():
    assert validate_volume_mount({"Volume": "data", "PropagationMode": "bidirectional", "SELinuxLabel": "Z"}) is None
    problem = validate_volume_mount({"Volume": "", "PropagationMode": "sideways", "SELinuxLabel": "q"})
    assert [str(entry) for entry in problem.errors] == [
        "volume mount references an empty volume", 'volume mount has an invalid propagation mode: "sideways"',
        'volume mount has an invalid SELinux label: "q"']


@pytest.mark.parametrize("identity, expected", [
    ({"Name": "vault_default", "Audience": ["vault.io"], "TTL": 3600 * SECOND}, []),
    ({"Name": "bad name", "Audience": [""], "ChangeMode": "noop", "ChangeSignal": "SIGHUP"},
     ['invalid name "bad name". Must match regex ^[a-zA-Z0-9-_]{1,128}$', "an empty string is an invalid audience (1)",
      'can only use change_signal="SIGHUP" with change_mode="signal"']),
    ({"Name": "x", "ChangeMode": "signal"}, ['change_signal must be specified when using change_mode="signal"']),
    ({"Name": "x", "ChangeMode": "reboot"}, ["invalid change_mode: reboot"]),
    ({"Name": "default", "TTL": SECOND}, ["ttl for default identity not yet supported"]),
    ({"Name": "x", "TTL": -1}, ["ttl must be >= 0"]),
])
def test_identity_table(identity, expected):
    problem = validate_identity(identity)
    assert [str(entry) for entry in (problem.errors if problem else [])] == expected


def test_task_identities_reject_a_second_default_and_invalid_ones():
    text = task_errors(good_task(Identities=[{"Name": "default", "Audience": ["nomad.io"]},
                                             {"Name": "x", "ChangeMode": "reboot"}]))
    assert "Duplicate default identities found" in text
    assert 'Identity "x" is invalid: 1 error occurred:\n\t* invalid change_mode: reboot' in text


def test_actions_need_a_command_a_valid_name_and_are_defined_once():
    actions = [{"Name": "dump", "Command": "/bin/dump"}, {"Name": "dump", "Command": "/bin/dump"},
               {"Name": "dump", "Command": "/bin/dump"}, {"Name": "bad name!", "Command": ""}]
    text = task_errors(good_task(Actions=actions))
    assert text.count("Action dump defined multiple times") == 1
    assert ("Action bad name! validation failed: 2 errors occurred:\n\t* command cannot be empty\n"
            "\t* invalid name 'bad name!'") in text
