"""TaskGroup.Validate, its networks and its policies, with cases carried over from Nomad's structs_test.go."""

import pytest

from devagent.admission.validate_group import validate_group
from devagent.admission.validate_networks import group_network_errors
from devagent.admission.validate_policies import (validate_disconnect, validate_migrate, validate_reschedule,
                                                  validate_restart, validate_update)

SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DEFAULT_UPDATE = {"Stagger": 30 * SECOND, "MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * SECOND,
                  "HealthyDeadline": 5 * MINUTE, "ProgressDeadline": 10 * MINUTE, "AutoRevert": False,
                  "AutoPromote": False, "Canary": 0}
DELAY_RESTART = {"Interval": 5 * MINUTE, "Delay": 10 * SECOND, "Attempts": 10, "Mode": "delay"}


def group_errors(group: dict, job_type: str = "service") -> str:
    problem = validate_group(group, {"Type": job_type, "Region": "global"})
    return str(problem) if problem else ""


@pytest.mark.parametrize("job_type, group, expected", [
    ("service", {"Count": -1, "RestartPolicy": DELAY_RESTART,
                 "ReschedulePolicy": {"Interval": 5 * MINUTE, "Attempts": 5, "Delay": 5 * SECOND}},
     ["Missing task group name", "Task group count can't be negative", "Missing tasks for task group"]),
    ("service", {"Tasks": [{"Name": "task-a", "Resources": {"Networks": [{"ReservedPorts": [{"Label": "foo", "Value": 123}]}]}},
                           {"Name": "task-b", "Resources": {"Networks": [{"ReservedPorts": [{"Label": "foo", "Value": 123}]}]}}]},
     ["Static port 123 already reserved by task-a:foo"]),
    ("service", {"Tasks": [{"Name": "task-a", "Resources": {"Networks": [{"ReservedPorts": [
        {"Label": "foo", "Value": 123}, {"Label": "bar", "Value": 123}]}]}}]},
     ["Static port 123 already reserved by task-a:foo"]),
    ("service", {"Name": "web", "Count": 1, "Tasks": [{"Name": "web", "Leader": True}, {"Name": "web", "Leader": True}, {}],
                 "RestartPolicy": DELAY_RESTART,
                 "ReschedulePolicy": {"Interval": 5 * MINUTE, "Attempts": 10, "Delay": 5 * SECOND,
                                      "DelayFunction": "constant"}},
     ["should have an ephemeral disk object", "Task 2 redefines 'web' from task 1", "Task 3 missing name",
      "Only one task may be marked as leader", "Task web validation failed"]),
    ("batch", {"Name": "web", "Count": 1, "Tasks": [{"Name": "web", "Leader": True}], "Update": DEFAULT_UPDATE},
     ['Job type "batch" does not allow update block']),
    ("system", {"Count": -1, "RestartPolicy": DELAY_RESTART,
                "ReschedulePolicy": {"Interval": 5 * MINUTE, "Attempts": 5, "Delay": 5 * SECOND}},
     ["System jobs should not have a reschedule policy"]),
    ("service", {"Networks": [{"DynamicPorts": [{"Label": "http", "To": 80}]}],
                 "Tasks": [{"Resources": {"Networks": [{"DynamicPorts": [{"Label": "http", "To": 80}]}]}}]},
     ["Port label http already in use by taskgroup network"]),
    ("service", {"Volumes": {"foo": {"Type": "nothost", "Source": "foo"}}, "Tasks": [{"Name": "task-a", "Resources": {}}]},
     ["Task group volume validation for foo failed: volume has unrecognized type nothost"]),
    ("service", {"Name": "group-a", "Update": {"Canary": 1}, "Volumes": {"foo": {"Type": "csi", "PerAlloc": True}},
                 "Tasks": [{"Name": "task-a", "Resources": {}}]},
     ["volume has an empty source", "volume cannot be per_alloc when canaries are in use",
      "CSI volumes must have an attachment mode", "CSI volumes must have an access mode"]),
    ("service", {"Name": "group-a", "Services": [{"Name": "service-a", "Provider": "consul", "Checks": [
        {"Name": "check-a", "Type": "tcp", "TaskName": "task-b", "PortLabel": "http", "Interval": SECOND,
         "Timeout": SECOND}]}], "Tasks": [{"Name": "task-a"}]},
     ["Check check-a invalid: refers to non-existent task task-b"]),
    ("service", {"Volumes": {"foo": {"Type": "host"}},
                 "Tasks": [{"Name": "task-a", "Resources": {}, "VolumeMounts": [{"Volume": ""}]},
                           {"Name": "task-b", "Resources": {}, "VolumeMounts": [{"Volume": "foob"}]}]},
     ["Volume Mount (0) references undefined volume \n", "Volume Mount (0) references undefined volume foob",
      'Volume Mount (0) is invalid: "1 error occurred:\n\t* volume mount references an empty volume\n\n"']),
    ("service", {"Name": "group-a", "Services": [{"Name": "service-a", "Provider": "nomad"},
                                                 {"Name": "service-b", "Provider": "consul"}],
                 "Tasks": [{"Name": "task-a"}]},
     ["Multiple service providers used: task group services must use the same provider"]),
    ("service", {"Name": "web", "Count": 1, "Update": DEFAULT_UPDATE,
                 "Tasks": [{"Name": "web", "Leader": True, "KillTimeout": 35 * MINUTE}]},
     ["KillTimout (35m0s) longer than the group's ProgressDeadline (10m0s)"]),
    ("service", {"Name": "group-a", "Services": [{"Name": "service-a", "Provider": "nomad"}],
                 "Tasks": [{"Name": "task-a", "Services": [{"Name": "service-b", "Provider": "consul"}]}]},
     ["Multiple service providers used: task group services must use the same provider"]),
])
def test_task_group_table(job_type, group, expected):
    text = group_errors(group, job_type)
    for entry in expected:
        assert entry in text


def test_progress_deadline_zero_does_not_conflict_with_kill_timeout():
    group = {"Name": "web", "Count": 1,
             "Tasks": [{"Name": "web", "Driver": "mock_driver", "Leader": True, "KillTimeout": 35 * MINUTE,
                        "Resources": {"CPU": 100, "MemoryMB": 300}, "LogConfig": {"MaxFiles": 10, "MaxFileSizeMB": 10}}],
             "Update": dict(DEFAULT_UPDATE, ProgressDeadline=0),
             "RestartPolicy": {"Delay": 15 * SECOND, "Attempts": 2, "Interval": 30 * MINUTE, "Mode": "fail"},
             "ReschedulePolicy": {"Delay": 30 * SECOND, "DelayFunction": "exponential", "MaxDelay": HOUR,
                                  "Unlimited": True},
             "Migrate": {"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * SECOND,
                         "HealthyDeadline": 5 * MINUTE},
             "EphemeralDisk": {"SizeMB": 300}}
    assert group_errors(group) == ""


def test_disconnect_conflicts_end_the_group_validation_at_once():
    group = {"Name": "web", "MaxClientDisconnect": SECOND, "Disconnect": {"LostAfter": SECOND}}
    problem = validate_group(group, {"Type": "service"})
    assert [str(entry) for entry in problem.errors] == [
        "Missing tasks for task group", "using both lost_after and max_client_disconnect is not allowed"]
    group = {"Name": "web", "StopAfterClientDisconnect": SECOND, "Disconnect": {"StopOnClientAfter": SECOND}, "Tasks": [{}]}
    assert "using both stop_after_client_disconnect and stop_on_client_after is not allowed" in group_errors(group)
    group = {"Name": "web", "PreventRescheduleOnLost": True, "Disconnect": {"Replace": True}, "Tasks": [{}]}
    assert "using both prevent_reschedule_on_lost and replace is not allowed" in group_errors(group)
    group = {"Name": "web", "MaxClientDisconnect": SECOND, "StopAfterClientDisconnect": SECOND, "Tasks": [{}]}
    assert ("Task group cannot be configured with both max_client_disconnect and stop_after_client_disconnect"
            in group_errors(group))


@pytest.mark.parametrize("job_type, disconnect, expected", [
    ("service", {"LostAfter": -SECOND}, ["lost_after cannot be a negative duration"]),
    ("system", {"StopOnClientAfter": -SECOND}, ["stop_after cannot be a negative duration",
                                                "stop_after can only be used with service or batch job types"]),
    ("service", {"StopOnClientAfter": SECOND, "LostAfter": SECOND},
     ["Disconnect cannot be configured with both lost_after and stop_after"]),
    ("service", {"Reconcile": "newest"}, ["reconcile option is invalid: newest"]),
    ("service", {"LostAfter": SECOND, "Reconcile": "keep_original", "Replace": True}, []),
])
def test_disconnect_strategy(job_type, disconnect, expected):
    problem = validate_disconnect(disconnect, job_type)
    assert [str(entry) for entry in (problem.errors if problem else [])] == expected


@pytest.mark.parametrize("group, expected", [
    ({"Networks": [{"ReservedPorts": [{"Label": "ok", "Value": 65535}]}]}, None),
    ({"Networks": [{"DynamicPorts": [{"Label": "ok", "Value": 65535}]}]}, None),
    ({"Networks": [{"ReservedPorts": [{"Label": "ok", "To": 65535}]}]}, None),
    ({"Networks": [{"ReservedPorts": [{"Label": "too-high", "Value": 65536}]}]},
     "Port too-high (65536) cannot be greater than 65535"),
    ({"Networks": [{"DynamicPorts": [{"Label": "too-high", "Value": 65536}]}]}, "cannot be greater than 65535"),
    ({"Networks": [{"ReservedPorts": [{"Label": "too-high", "To": 65536}]}]},
     'Port "too-high" cannot be mapped to a port (65536) greater than 65535'),
    ({"Networks": [{"DynamicPorts": [{"Label": "low", "To": -2}]}]}, 'Port "low" cannot be mapped to negative value -2'),
    ({"Networks": [{"ReservedPorts": [{"Label": "net1_http", "Value": 80, "HostNetwork": "net1"},
                                      {"Label": "net2_http", "Value": 80, "HostNetwork": "net2"}]}]}, None),
    ({"Networks": [{"ReservedPorts": [{"Label": "group_http", "Value": 80}]}],
      "Tasks": [{"Name": "task1", "Resources": {"Networks": [{"ReservedPorts": [{"Label": "task_http", "Value": 80}]}]}}]},
     "Static port 80 already reserved by taskgroup network:group_http"),
    ({"Networks": [{"ReservedPorts": [{"Label": "group_http", "Value": 80, "HostNetwork": "net1"}]}],
      "Tasks": [{"Name": "task1", "Resources": {"Networks": [{"ReservedPorts": [{"Label": "task_http", "Value": 80}]}]}}]},
     None),
    ({"Tasks": [{"Driver": "docker"}], "Networks": [{"Mode": "bridge", "Hostname": "foobar"}]}, None),
    ({"Networks": [{"Mode": "bridge", "Hostname": "${NOMAD_ALLOC_ID}.web"}]}, None),
    ({"Networks": [{"Mode": "bridge", "Hostname": "............"}]}, "Hostname is not a valid DNS name"),
    ({"Networks": [{"Mode": "bridge", "Hostname": "a" * 64}]}, "Hostname is not a valid DNS name"),
    ({"Networks": [{"CNI": {"Args": {"static": "first_value"}}}, {"CNI": {"Args": {"static": "new_value"}}}]},
     'duplicate CNI arg "static"'),
    ({"Networks": [{"CNI": {"Args": {"static": "first_value"}}}, {"CNI": {"Args": {"new_key": "new_value"}}},
                   {"CNI": {"Args": {"newest_key": "new_value", "second_key": "second_value"}}}]}, None),
    ({"Networks": [{"CNI": {"Args": {"static;": "first_value"}}}]}, "invalid ';' character in CNI arg key \"static;\""),
    ({"Networks": [{"CNI": {"Args": {"static": "first_value;"}}}]},
     "invalid ';' character in CNI arg value \"first_value;\""),
])
def test_group_network_table(group, expected):
    problem = group_network_errors(group)
    if expected is None:
        assert problem is None
    else:
        assert expected in str(problem)


def test_update_strategy_lists_every_problem_in_order():
    problem = validate_update({"MaxParallel": -1, "HealthCheck": "foo", "MinHealthyTime": -10,
                               "HealthyDeadline": -15, "ProgressDeadline": -25, "Canary": -1})
    assert [str(entry) for entry in problem.errors] == [
        'Invalid health check given: "foo"',
        "Max parallel can not be less than zero: -1 < 0",
        "Canary count can not be less than zero: -1 < 0",
        "Minimum healthy time may not be less than zero: -10ns",
        "Healthy deadline must be greater than zero: -15ns",
        "Progress deadline must be zero or greater: -25ns",
        "Minimum healthy time must be less than healthy deadline: -10ns > -15ns",
        "Healthy deadline must be less than progress deadline: -15ns > -25ns",
        "Stagger must be greater than zero: 0s",
    ]
    assert validate_update(DEFAULT_UPDATE) is None
    assert "Auto Promote requires a Canary count greater than zero" in str(
        validate_update(dict(DEFAULT_UPDATE, AutoPromote=True)))


@pytest.mark.parametrize("policy, expected", [
    ({"Mode": "fail", "Attempts": 0, "Interval": 5 * SECOND, "RenderTemplates": True}, None),
    ({"Mode": "delay", "Attempts": 0, "Interval": 5 * SECOND}, 'Restart policy "delay" with 0 attempts is ambiguous'),
    ({"Mode": "nope", "Attempts": 1, "Interval": 5 * SECOND}, 'Unsupported restart mode: "nope"'),
    ({"Mode": "delay", "Attempts": 3, "Delay": 5 * SECOND, "Interval": 5 * SECOND},
     "Nomad can't restart the TaskGroup 3 times in an interval of 5s with a delay of 5s"),
    ({"Mode": "delay", "Attempts": 3, "Delay": 5 * SECOND, "Interval": 2 * SECOND},
     "Interval can not be less than 5s (got 2s)"),
])
def test_restart_policy(policy, expected):
    problem = validate_restart(policy)
    if expected is None:
        assert problem is None
    else:
        assert expected in str(problem)


@pytest.mark.parametrize("policy, expected", [
    ({"Attempts": 0, "Interval": 0}, []),
    ({"Attempts": -1, "Interval": 5 * MINUTE}, []),
    ({"Attempts": 1, "Interval": 5 * MINUTE, "Delay": 10 * SECOND, "DelayFunction": "constant"}, []),
    ({"Attempts": 5, "Interval": HOUR, "Delay": 30 * SECOND, "MaxDelay": 5 * MINUTE, "DelayFunction": "exponential"}, []),
    ({"Attempts": 5, "Interval": 15 * MINUTE, "Delay": 10 * SECOND, "MaxDelay": 5 * MINUTE,
      "DelayFunction": "fibonacci"}, []),
    ({"Attempts": 1, "Interval": SECOND, "DelayFunction": "blah"},
     ["Delay cannot be less than 5s (got 0s)",
      'Invalid delay function "blah", must be one of ["constant" "exponential" "fibonacci"]',
      "Max Delay cannot be less than 5s (got 0s)",
      "Interval cannot be less than 15s (got 1s)"]),
    ({"Attempts": 1, "Interval": 8 * SECOND, "DelayFunction": "exponential", "Delay": 15 * SECOND,
      "MaxDelay": 5 * SECOND},
     ["Max Delay cannot be less than Delay 15s (got 5s)", "Interval cannot be less than 15s (got 8s)"]),
    ({"Attempts": 1, "Interval": SECOND, "DelayFunction": "constant"},
     ["Delay cannot be less than 5s (got 0s)", "Interval cannot be less than 15s (got 1s)"]),
    ({"Attempts": 10, "Interval": HOUR, "Delay": 20 * MINUTE, "DelayFunction": "constant"},
     ['Nomad can only make 3 attempts in 1h0m0s with initial delay 20m0s and delay function "constant"',
      "Set the interval to at least 3h20m0s to accommodate 10 attempts"]),
    ({"Attempts": 10, "Interval": 30 * MINUTE, "Delay": 5 * MINUTE, "MaxDelay": 40 * MINUTE,
      "DelayFunction": "exponential"},
     ['Nomad can only make 3 attempts in 30m0s with initial delay 5m0s, delay function "exponential", '
      "and delay ceiling 40m0s",
      "Set the interval to at least 4h40m0s to accommodate 10 attempts"]),
    ({"Attempts": 10, "Interval": HOUR, "Delay": 20 * MINUTE, "MaxDelay": 80 * MINUTE, "DelayFunction": "fibonacci"},
     ['Nomad can only make 4 attempts in 1h0m0s with initial delay 20m0s, delay function "fibonacci", '
      "and delay ceiling 1h20m0s",
      "Set the interval to at least 8h0m0s to accommodate 10 attempts"]),
    ({"Attempts": 1, "Unlimited": True, "DelayFunction": "exponential", "Delay": 5 * MINUTE, "MaxDelay": HOUR},
     ["Interval must be a non zero value if Attempts > 0",
      "Reschedule Policy with Attempts = 1, Interval = 0s, and Unlimited = true is ambiguous",
      "If Attempts >0, Unlimited cannot also be set to true"]),
    ({"Attempts": 1, "Interval": SECOND, "Unlimited": True, "DelayFunction": "exponential"},
     ["Reschedule Policy with Attempts = 1, Interval = 1s, and Unlimited = true is ambiguous",
      "If Attempts >0, Unlimited cannot also be set to true",
      "Delay cannot be less than 5s (got 0s)", "Max Delay cannot be less than 5s (got 0s)"]),
    ({"Unlimited": True, "DelayFunction": "exponential", "Delay": 5 * SECOND, "MaxDelay": HOUR}, []),
])
def test_reschedule_policy_table(policy, expected):
    problem = validate_reschedule(policy)
    assert [str(entry) for entry in (problem.errors if problem else [])] == expected


@pytest.mark.parametrize("migrate, expected", [
    ({"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * SECOND, "HealthyDeadline": 5 * MINUTE}, []),
    ({"MaxParallel": -1, "HealthCheck": "foo", "MinHealthyTime": -SECOND, "HealthyDeadline": -2 * SECOND},
     ["MaxParallel must be >= 0 but found -1", 'Invalid HealthCheck: "foo"', "MinHealthyTime is -1s and must be >= 0",
      "HealthyDeadline is -2s and must be >= 0", "MinHealthyTime must be less than HealthyDeadline"]),
    ({"MaxParallel": 1}, ["Missing HealthCheck"]),
    ({"MaxParallel": 0}, []),
])
def test_migrate_strategy(migrate, expected):
    problem = validate_migrate(migrate)
    assert [str(entry) for entry in (problem.errors if problem else [])] == expected


def test_migrate_is_only_for_service_jobs():
    group = {"Name": "web", "Tasks": [{}], "Migrate": {"MaxParallel": 1, "HealthCheck": "checks"}}
    assert 'Job type "batch" does not allow migrate block' in group_errors(group, "batch")


def test_group_script_checks_must_name_their_task():
    group = {"Name": "web", "Tasks": [{"Name": "t"}],
             "Services": [{"Name": "s", "Provider": "consul", "Checks": [
                 {"Name": "c", "Type": "script", "Command": "/bin/true", "Interval": SECOND, "Timeout": SECOND}]}]}
    assert ("Task group service check validation failed: 1 error occurred:\n\t* Service [web]->s or Check c must "
            "specify task parameter") in group_errors(group)
    group["Services"][0]["TaskName"] = "t"
    assert "must specify task parameter" not in group_errors(group)


def test_services_not_unique_are_listed_sorted():
    group = {"Name": "web", "Tasks": [{"Name": "t", "Services": [{"Name": "b", "Provider": "consul", "PortLabel": "x"},
                                                                 {"Name": "b", "Provider": "consul", "PortLabel": "x"}]}],
             "Services": [{"Name": "a", "Provider": "consul"}, {"Name": "a", "Provider": "consul"}]}
    assert "Services are not unique: [group->a t->b:x]" in group_errors(group)
