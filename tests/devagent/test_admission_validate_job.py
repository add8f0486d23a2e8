"""Job.Validate and Job.Warnings at the job level, with cases carried over from Nomad's structs_test.go."""

import json
from pathlib import Path

import pytest

from devagent.admission.job_validate import validate_job

CONNECT_JOB = Path(__file__).parent / "data" / "admission_validate" / "connect_job.json"
SECOND = 1_000_000_000


def connect_job() -> dict:
    """A canonical Connect service job as Nomad stores it after its mutators ran."""
    return json.loads(CONNECT_JOB.read_text())


def error_text(job: dict) -> str:
    error, _ = validate_job(job)
    return str(error) if error else ""


def warnings_of(job: dict) -> list[str]:
    return validate_job(job)[1]


def test_the_canonical_connect_job_is_valid_without_warnings():
    assert validate_job(connect_job()) == (None, [])


def test_an_empty_job_lists_every_missing_field_in_nomads_order():
    error, _ = validate_job({})
    assert [str(entry) for entry in error.errors] == [
        "Missing job region", "Missing job ID", "Missing job name", "Job must be in a namespace",
        "Missing job type", "Missing job datacenters", "Missing job task groups"]
    assert str(error).startswith("7 errors occurred:\n\t* Missing job region\n\t* Missing job ID\n")


@pytest.mark.parametrize("change, expected", [
    (lambda j: j.update(Type="invalid-job-type"), 'Invalid job type: "invalid-job-type"'),
    (lambda j: j.update(Datacenters=[""]), "Job datacenter must be non-empty string"),
    (lambda j: j.update(Datacenters=[]), "Missing job datacenters"),
    (lambda j: j.update(ID="has space"), "Job ID contains a space"),
    (lambda j: j.update(ID="id_with\0null"), "Job ID contains a null character"),
    (lambda j: j.update(Name="name \0 null"), "Job Name contains a null character"),
    (lambda j: j.update(Region=""), "Missing job region"),
    (lambda j: j.update(Namespace=""), "Job must be in a namespace"),
    (lambda j: j.update(UI={"Description": "a" * 1015}), "UI description must be under 1000 characters, currently 1015"),
    (lambda j: j.update(Periodic={"Enabled": True}),
     'Periodic can only be used with "batch" or "sysbatch" scheduler'),
    (lambda j: j.update(ParameterizedJob={"Payload": "optional"}),
     'Parameterized job can only be used with "batch" or "sysbatch" scheduler'),
    (lambda j: j.update(Multiregion={"Regions": [{"Name": "west"}]}), "Multiregion jobs are unlicensed."),
    (lambda j: j.update(Constraints=[{"LTarget": "${attr.kernel.name}", "Operand": "="}]),
     'Constraint 1 validation failed: 1 error occurred:\n\t* Operator "=" requires an RTarget\n\n'),
    (lambda j: j.update(Affinities=[{"LTarget": "${node.class}", "RTarget": "c4", "Operand": "=", "Weight": 0}]),
     "Affinity 1 validation failed: 1 error occurred:\n\t* Affinity weight cannot be zero\n\n"),
    (lambda j: j.update(Spreads=[{"Attribute": "${node.datacenter}", "Weight": 0}]),
     "Spread 1 validation failed: 1 error occurred:\n\t* Spread block must have a positive weight from 0 to 100\n\n"),
])
def test_job_level_rules(change, expected):
    job = connect_job()
    change(job)
    assert expected in error_text(job)


def test_groups_named_twice_or_not_at_all_are_reported_with_their_positions():
    job = connect_job()
    first = job["TaskGroups"][0]
    job["TaskGroups"] = [first, json.loads(json.dumps(first)), dict(json.loads(json.dumps(first)), Name="")]
    text = error_text(job)
    assert "Job task group 2 redefines 'api' from group 1" in text
    assert "Job task group 3 missing name" in text


def test_nomads_group_table_case_names_each_problem_of_the_group():
    job = connect_job()
    job["TaskGroups"] = [{"Name": "web", "RestartPolicy": {"Interval": 300 * SECOND, "Delay": 10 * SECOND,
                                                            "Attempts": 10}}]
    text = error_text(job)
    for expected in ("Task group web validation failed", "Missing tasks for task group", "Unsupported restart mode",
                     "Task Group web should have a reschedule policy",
                     "Task Group web should have an ephemeral disk object"):
        assert expected in text


def test_group_basics_shutdown_delay_disconnect_and_system_count():
    job = connect_job()
    group = job["TaskGroups"][0]
    group.update(ShutdownDelay=-1, StopAfterClientDisconnect=-SECOND)
    text = error_text(job)
    assert "ShutdownDelay must be a positive value" in text
    assert "stop_after_client_disconnect must be a positive value" in text

    job = connect_job()
    job["Type"] = "system"
    job["TaskGroups"][0].update(Count=2, StopAfterClientDisconnect=SECOND, Update=None, Migrate=None,
                                ReschedulePolicy=None)
    text = error_text(job)
    assert "Job task group api has count 2. Count cannot exceed 1 with system scheduler" in text
    assert "stop_after_client_disconnect can only be set in batch and service jobs" in text

    job = connect_job()
    job["TaskGroups"][0].update(MaxClientDisconnect=SECOND, PreventRescheduleOnLost=True,
                                ReschedulePolicy={"Attempts": 1, "Interval": 3600 * SECOND, "Delay": 5 * SECOND,
                                                  "DelayFunction": "constant"})
    assert ("max_client_disconnect and prevent_reschedule_on_lost cannot be enabled when rechedule.attempts > 0"
            in error_text(job))


def test_system_jobs_may_not_have_affinities_spreads_or_a_reschedule_policy():
    job = connect_job()
    job["Type"] = "system"
    job["Affinities"] = [{"LTarget": "${node.class}", "RTarget": "c4", "Operand": "=", "Weight": 50}]
    job["Spreads"] = [{"Attribute": "${node.datacenter}", "Weight": 50}]
    job["TaskGroups"][0]["Migrate"] = None
    text = error_text(job)
    assert "System jobs may not have an affinity block" in text
    assert "System jobs may not have a spread block" in text
    assert "System jobs should not have a reschedule policy" in text


def test_periodic_jobs_check_their_specs():
    job = connect_job()
    job["Type"] = "batch"
    job["TaskGroups"][0].update(Update=None, Migrate=None)
    job["Periodic"] = {"Enabled": True}
    text = error_text(job)
    assert 'Unknown periodic specification type ""' in text
    assert "Must specify a spec" in text

    job["Periodic"] = {"Enabled": True, "SpecType": "cron", "Spec": "foo", "TimeZone": "Nowhere/Nothing"}
    text = error_text(job)
    assert 'Invalid time zone "Nowhere/Nothing": unknown time zone Nowhere/Nothing' in text
    assert 'Invalid cron spec "foo": missing field(s)' in text

    job["Periodic"] = {"Enabled": True, "SpecType": "cron", "Spec": "0 0 * * *", "Specs": ["*/5 * * * *"]}
    assert "Only cron or crons may be used" in error_text(job)

    job["Periodic"] = {"Enabled": True, "SpecType": "cron", "Specs": ["*/15 * * * *", "0 0 L * *"],
                       "TimeZone": "America/New_York"}
    assert error_text(job) == ""
    job["Periodic"] = {"Enabled": False, "SpecType": "nonsense"}
    assert error_text(job) == ""


def test_parameterized_jobs_check_payload_and_disjoint_meta_keys():
    job = connect_job()
    job["Type"] = "batch"
    job["TaskGroups"][0].update(Update=None, Migrate=None)
    job["ParameterizedJob"] = {"Payload": "foo", "MetaRequired": ["foo", "bar"], "MetaOptional": ["bar", "baz"]}
    text = error_text(job)
    assert 'Unknown payload requirement: "foo"' in text
    assert "Required and optional meta keys should be disjoint. Following keys exist in both: [bar]" in text
    job["Dispatched"] = True
    assert error_text(job) == ""


@pytest.mark.parametrize("count, minimum, maximum, expected", [
    (5, 5, 5, []),
    (5, 10, 0, ["Scaling policy invalid: maximum count must not be less than minimum count",
                "Scaling policy invalid: task group count must not be greater than maximum count in scaling policy",
                "Scaling policy invalid: task group count must not be less than minimum count in scaling policy"]),
    (5, 5, 0, ["task group count must not be greater than maximum count in scaling policy"]),
    (0, 5, 5, ["task group count must not be less than minimum count in scaling policy"]),
])
def test_scaling_policy_bounds_against_the_group_count(count, minimum, maximum, expected):
    job = connect_job()
    job["TaskGroups"][0].update(Count=count, Scaling={"Type": "horizontal", "Min": minimum, "Max": maximum,
                                                      "Enabled": True})
    text = error_text(job)
    for entry in expected:
        assert entry in text
    if not expected:
        assert text == ""


def test_scaling_policy_type_and_target():
    job = connect_job()
    job["TaskGroups"][0]["Scaling"] = {"Type": "vertical", "Min": 1, "Max": 2}
    assert 'Scaling policy invalid: scaling policy type "vertical" is not valid' in error_text(job)
    job["TaskGroups"][0]["Scaling"] = {"Type": "horizontal", "Min": 1, "Max": 2, "Target": {"Job": "api"}}
    text = error_text(job)
    assert "Scaling policy invalid: missing target namespace" in text
    assert "Scaling policy invalid: missing target group" in text
    assert "missing target job" not in text


def test_null_characters_in_group_and_task_names():
    job = connect_job()
    job["TaskGroups"][0]["Name"] = "oh_no_\0_char"
    assert "Task group name contains null character" in error_text(job)
    job = connect_job()
    job["TaskGroups"][0]["Tasks"][0]["Name"] = "these_\0_chars"
    assert "Task name cannot include null characters" in error_text(job)


def test_a_tcp_check_on_a_connect_service_nests_as_nomad_prints_it():
    job = connect_job()
    check = job["TaskGroups"][0]["Services"][0]["Checks"][0]
    check.update(Type="tcp", Path="", Expose=False)
    assert error_text(job) == (
        "1 error occurred:\n"
        "\t* Task group api validation failed: 1 error occurred:\n"
        "\t* Task group service validation failed: 1 error occurred:\n"
        "\t* Service[0] api validation failed: 1 error occurred:\n"
        "\t* Check api-health invalid: tcp checks are not valid for Connect enabled services"
        "\n\n\n\n\n\n\n\n")


def test_too_little_memory_nests_the_minimums_inside_the_resources_error():
    job = connect_job()
    job["TaskGroups"][0]["Tasks"][0]["Resources"]["MemoryMB"] = 5
    assert error_text(job) == (
        "1 error occurred:\n"
        "\t* Task group api validation failed: 1 error occurred:\n"
        "\t* Task web validation failed: 1 error occurred:\n"
        "\t* 1 error occurred:\n"
        "\t* 1 error occurred:\n"
        "\t* minimum MemoryMB value is 10; got 5"
        "\n\n\n\n\n\n\n\n\n\n")


def test_group_policy_errors_are_flattened_into_the_group_list():
    job = connect_job()
    group = job["TaskGroups"][0]
    group["RestartPolicy"].update(Mode="sometimes", Attempts=0)
    group["Update"]["ProgressDeadline"] = 2 * 60 * SECOND
    error, _ = validate_job(job)
    assert str(error) == (
        "1 error occurred:\n"
        "\t* Task group api validation failed: 3 errors occurred:\n"
        '\t* Unsupported restart mode: "sometimes"\n'
        '\t* Restart policy "sometimes" with 0 attempts is ambiguous\n'
        "\t* Healthy deadline must be less than progress deadline: 5m0s > 2m0s"
        "\n\n\n\n")


@pytest.mark.parametrize("groups, expected", [
    ([{"Count": 2, "Update": {"MaxParallel": 10}}], ["max parallel count is greater"]),
    ([{"Update": {"AutoPromote": True}}, {"Update": {"AutoPromote": False, "Canary": 1}}],
     ["auto_promote must be true for all groups to enable automatic promotion"]),
    ([{"Update": {"AutoPromote": True}}, {"Update": {"AutoPromote": False, "Canary": 0}}], []),
    ([{"Tasks": [{"Name": "t", "Templates": [{"VaultGrace": 1}]}]}],
     ["VaultGrace has been deprecated as of Nomad 0.11 and ignored since Vault 0.5. Please remove VaultGrace / "
      "vault_grace from template block."]),
    ([{"Count": 2, "Update": {"MaxParallel": 5}}],
     ["Update max parallel count is greater than task group count (5 > 2). A destructive change would result in "
      "the simultaneous replacement of all allocations."]),
    ([{"Count": 1, "Update": {"MaxParallel": 5}}], []),
])
def test_warnings_table(groups, expected):
    warnings = warnings_of({"Type": "service", "TaskGroups": groups})
    joined = "\n".join(warnings)
    for entry in expected:
        assert entry in joined
    if not expected:
        assert warnings == []


def test_warnings_are_one_entry_per_group_with_nested_task_warnings():
    job = connect_job()
    job["TaskGroups"][0]["Tasks"][0]["Resources"].update(IOPS=10, Networks=[{"MBits": 10}])
    job["TaskGroups"][0]["MaxClientDisconnect"] = SECOND
    job["Periodic"] = {"Enabled": False, "Spec": "0 0 * * *"}
    assert warnings_of(job) == [
        'Group "api" has warnings: 2 errors occurred:\n'
        "\t* MaxClientDisconnect will be deprecated favor of Disconnect.LostAfter\n"
        '\t* Task "web" has warnings: 2 errors occurred:\n'
        "\t* IOPS has been deprecated as of Nomad 0.9.0. Please remove IOPS from resource block.\n"
        "\t* task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via group "
        "network block.\n\n\n\n",
        "cron is deprecated and may be removed in a future release. Use crons instead"]


def test_identity_warnings_are_prefixed_and_kept_nested():
    job = connect_job()
    job["TaskGroups"][0]["Tasks"][0]["Identities"] = [{"Name": "vault_default", "Audience": ["a", "b"],
                                                        "Env": True}]
    warnings = warnings_of(job)
    assert len(warnings) == 1
    assert ("Identity[vault_default] while multiple audiences is allowed, it is more secure to use 1 audience "
            "per identity") in warnings[0]
    assert "Identity[vault_default] identities without an expiration are insecure" in warnings[0]
    assert ('Identity[vault_default] using env=true without change_mode="restart" may result in task not getting '
            "updated identity") in warnings[0]


def test_service_identity_warnings_are_prefixed_with_the_service_name():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["Identity"] = {"Name": "consul-service_api-9001", "Audience": ["consul.io"]}
    assert warnings_of(job) == [
        'Group "api" has warnings: 1 error occurred:\n'
        '\t* Service "api": identities without an expiration are insecure\n\n']
