"""Nomad's admission pipeline: structs shape and defaults, mutator order, implied constraints, replies (pure)."""

import copy
from pathlib import Path

import pytest

from devagent.admission import implied_constraints, server_hooks
from devagent.admission.pipeline import AdmissionError, admit, merge_warnings, run_validators, validate_response

S = 1_000_000_000


def minimal_json_job():
    """The smallest JSON job a client may register (as python-nomad users write them)."""
    return {"ID": "web", "TaskGroups": [{"Name": "web", "Tasks": [
        {"Name": "app", "Driver": "raw_exec", "Config": {"command": "/bin/sleep", "args": ["60"]}}]}]}


def test_minimal_job_is_stored_with_nomads_server_defaults():
    job = admit(minimal_json_job()).job
    assert (job["Name"], job["Region"], job["Namespace"], job["Type"], job["Priority"]) == (
        "web", "global", "default", "service", 50)
    assert job["Datacenters"] == ["*"] and job["NodePool"] == "default"
    assert job["Update"] == {"Stagger": 30 * S, "MaxParallel": 1, "HealthCheck": "", "MinHealthyTime": 0,
                             "HealthyDeadline": 0, "ProgressDeadline": 0, "AutoRevert": False, "AutoPromote": False,
                             "Canary": 0}
    group = job["TaskGroups"][0]
    assert group["EphemeralDisk"] == {"Sticky": False, "SizeMB": 300, "Migrate": False}
    assert group["Migrate"] == {"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * S,
                                "HealthyDeadline": 300 * S}
    assert group["ReschedulePolicy"]["DelayFunction"] == "exponential" and group["PreventRescheduleOnLost"] is False
    task = group["Tasks"][0]
    assert task["Identity"] == {"Name": "default", "Audience": ["nomadproject.io"], "ChangeMode": "", "ChangeSignal": "",
                                "Env": False, "File": False, "ServiceName": "", "TTL": 0}
    assert task["LogConfig"] == {"MaxFiles": 10, "MaxFileSizeMB": 10, "Disabled": False}
    assert "DiskMB" in task["Resources"] and task["Resources"]["DiskMB"] == 0
    assert task["Kind"] == "" and task["RestartPolicy"] == group["RestartPolicy"]
    assert "Enabled" not in task["LogConfig"] and "Reschedule" not in job  # api-only fields are gone


def test_admission_leaves_the_submitted_job_alone_and_is_idempotent():
    submitted = minimal_json_job()
    before = copy.deepcopy(submitted)
    once = admit(submitted).job
    assert submitted == before
    assert admit(copy.deepcopy(once)).job == once


def test_group_and_task_services_get_names_check_names_and_namespace():
    job = minimal_json_job()
    job["TaskGroups"][0]["Services"] = [{"PortLabel": ""}]
    job["TaskGroups"][0]["Tasks"][0]["Services"] = [{"Name": "${BASE}-x", "Checks": [
        {"Type": "script", "Command": "/bin/true", "Interval": S, "Timeout": S}]}]
    group = admit(job).job["TaskGroups"][0]
    assert group["Services"][0]["Name"] == "web-web" and group["Services"][0]["Namespace"] == "default"
    task_service = group["Tasks"][0]["Services"][0]
    assert (task_service["Name"], task_service["TaskName"]) == ("web-web-app-x", "app")
    assert task_service["Checks"][0]["Name"] == 'service: "web-web-app-x" check'
    assert task_service["Checks"][0]["TaskName"] == "app"


@pytest.mark.parametrize("change, expected", [
    (lambda g: g["Networks"].append({"Mode": "bridge"}),
     [f"${{attr.plugins.cni.version.{p}}}" for p in ("bridge", "firewall", "host-local", "loopback", "portmap")]),
    (lambda g: g["Tasks"][0].update(KillSignal="SIGINT"), ["${attr.os.signals}"]),
    (lambda g: g["Services"].append({"Name": "n", "Provider": "nomad"}), ["${attr.nomad.service_discovery}"]),
    (lambda g: g["Services"].append({"Name": "c"}), ["${attr.consul.version}"]),
])
def test_implied_constraints(change, expected):
    job = minimal_json_job()
    job["TaskGroups"][0].update(Networks=[], Services=[])
    change(job["TaskGroups"][0])
    constraints = admit(job).job["TaskGroups"][0]["Constraints"]
    assert [c["LTarget"] for c in constraints] == expected


def test_user_constraint_on_the_same_attribute_wins():
    group = {"Name": "g", "Constraints": [{"LTarget": "${attr.consul.version}", "RTarget": ">= 1.9.0", "Operand": "semver"}],
             "Services": [{"Name": "s", "Provider": "consul"}], "Tasks": []}
    implied_constraints.mutate({"TaskGroups": [group]})
    assert group["Constraints"] == [{"LTarget": "${attr.consul.version}", "RTarget": ">= 1.9.0", "Operand": "semver"}]


def test_signals_constraint_lists_every_signal_once_sorted():
    tasks = [{"Name": "a", "KillSignal": "SIGTERM", "Templates": [{"ChangeMode": "signal", "ChangeSignal": "SIGHUP"}]},
             {"Name": "b", "KillSignal": "SIGHUP"}]
    group = {"Name": "g", "Tasks": tasks}
    implied_constraints.mutate({"TaskGroups": [group]})
    assert group["Constraints"] == [{"LTarget": "${attr.os.signals}", "RTarget": "SIGHUP,SIGTERM",
                                     "Operand": "set_contains"}]


def test_validators_errors_are_one_multierror_in_nomads_order():
    job = admit(minimal_json_job()).job
    job.update(Priority=0, NodePool="gpu")
    job["TaskGroups"][0]["Tasks"][0]["Resources"]["NUMA"] = {"Affinity": "require"}
    _warnings, errors = run_validators(job)
    texts = [str(e) for e in errors.errors]
    assert texts[0] == 'job "web" is in nonexistent node pool "gpu"'
    assert "job priority must be between [1, 100]" in texts
    assert texts[-1] == "numa scheduling requires Nomad Enterprise"
    assert str(errors).startswith(f"{len(texts)} errors occurred:\n\t* ")


def test_vault_without_a_vault_is_the_dev_agents_error():
    job = minimal_json_job()
    job["TaskGroups"][0]["Tasks"][0]["Vault"] = {"Policies": ["read"]}
    response = validate_response(job)
    assert 'Vault "default" not enabled but used in the job' in response["ValidationErrors"]
    assert response["DriverConfigValidated"] is True


def test_memory_max_is_a_warning_on_register_and_validate():
    job = minimal_json_job()
    job["TaskGroups"][0]["Tasks"][0]["Resources"] = {"MemoryMB": 64, "MemoryMaxMB": 128}
    text = ('Memory oversubscription is not enabled; Task "web.app" memory_max value will be ignored. '
            "Update the Scheduler Configuration to allow oversubscription.")
    assert admit(job).warnings == [text]
    assert validate_response(job)["Warnings"] == f"1 warning:\n\n* {text}"


def test_valid_job_validate_response():
    assert validate_response(minimal_json_job()) == {"DriverConfigValidated": True, "ValidationErrors": None,
                                                     "Error": "", "Warnings": ""}


def test_mutator_error_stops_validate_as_a_request_error():
    job = minimal_json_job()
    job["TaskGroups"][0].update(Networks=[{"Mode": "bridge"}], Services=[
        {"Name": "m", "Connect": {"Gateway": {"Mesh": {}}}}])
    with pytest.raises(AdmissionError, match="^error in job mutator connect: service.port must be set for mesh "
                                             "gateway service$"):
        validate_response(job)


def test_identity_without_a_name_in_a_service():
    job = {"TaskGroups": [{"Name": "g", "Services": [{"Name": "s", "Identity": {"Name": ""}}], "Tasks": []}],
           "Priority": 50}
    _warnings, error = server_hooks.job_validate(job)
    assert "Service s in task group g has an identity with an empty name" in [str(e) for e in error.errors]


def test_merged_warnings_text():
    from devagent.admission.multierror import MultiError
    assert merge_warnings([]) == merge_warnings([None]) == ""
    assert merge_warnings(["a"]) == "1 warning:\n\n* a"
    assert merge_warnings([MultiError(["a ", "b"]), None, "c\n"]) == "3 warnings:\n\n* a\n* b\n* c"


GOLDEN = Path(__file__).parents[1] / "jobs" / "golden"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/*.nomad.hcl")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_jobs_rendered_from_our_templates_pass_nomads_admission(path):
    """The deployer's golden renderings are what devagent (and a real Nomad) is sent."""
    from devagent.jobspec import parse_jobspec

    admitted = admit(parse_jobspec(path.read_text()))
    group = admitted.job["TaskGroups"][0]
    assert admitted.job["ID"] == group["Name"] == path.name.removesuffix(".nomad.hcl")
    assert [t["Kind"] for t in group["Tasks"]][-1] == f"connect-proxy:{group['Services'][0]['Name']}"
    assert admit(copy.deepcopy(admitted.job)).job == admitted.job


@pytest.mark.parametrize("old, new, error", [
    (None, {"Type": "service"}, None),
    (None, {"Type": "batch", "Dispatched": True}, "job can't be submitted with 'Dispatched' set"),
    ({"Type": "service"}, {"Type": "batch"}, 'cannot update job from type "service" to "batch"'),
    ({"Type": "batch", "Periodic": {}}, {"Type": "batch"}, "cannot update periodic job to being non-periodic"),
    ({"Type": "batch"}, {"Type": "batch", "Periodic": {}}, "cannot update non-periodic job to being periodic"),
    ({"Type": "batch", "ParameterizedJob": {}}, {"Type": "batch"},
     "cannot update parameterized job to being non-parameterized"),
    ({"Type": "batch"}, {"Type": "batch", "ParameterizedJob": {}},
     "cannot update non-parameterized job to being parameterized"),
    ({"Type": "service"}, {"Type": "service"}, None),
])
def test_job_update_transitions(old, new, error):
    from devagent.admission.job_update import job_update_error
    assert job_update_error(old, new) == error


def test_api_fields_named_differently_in_structs_are_converted():
    job = minimal_json_job()
    job["UI"] = {"Description": "the web", "Links": [{"Label": "docs", "URL": "https://example.com"}]}
    job["TaskGroups"][0]["Tasks"][0]["Resources"] = {"CPU": 200, "MemoryMB": 128, "DiskMB": 500}
    stored = admit(job).job
    assert stored["UI"] == {"Description": "the web", "Links": [{"Label": "docs", "Url": "https://example.com"}]}
    assert stored["TaskGroups"][0]["Tasks"][0]["Resources"]["DiskMB"] == 0  # ApiResourcesToStructs drops it


@pytest.mark.parametrize("region, agent_region, stored", [
    (None, "global", "global"), (None, "eu", "eu"), ("global", "eu", "eu"), ("us", "eu", "us"),
])
def test_register_region_is_the_agents_unless_the_job_names_another(region, agent_region, stored):
    job = minimal_json_job()
    if region is not None:
        job["Region"] = region
    assert admit(job, agent_region=agent_region).job["Region"] == stored


NOMAD_CORPUS = Path(__file__).parent / "data" / "nomad"


def gateway_job(kind):
    gateway = {"ingress": {"Ingress": {"Listeners": [{"Port": 8080, "Protocol": "tcp", "Services": [{"Name": "web"}]}]}},
               "terminating": {"Terminating": {"Services": [{"Name": "db"}]}},
               "mesh": {"Mesh": {}}}[kind]
    service = {"Name": f"{kind}-gw", "Connect": {"Gateway": gateway}}
    if kind == "mesh":
        service["PortLabel"] = "wan"
    return {"ID": f"{kind}-gw", "TaskGroups": [{"Name": "gw", "Services": [service], "Networks": [
        {"Mode": "bridge", "DynamicPorts": [{"Label": "wan"}] if kind == "mesh" else None}]}]}


def corpus_job(name):
    from devagent.jobspec import parse_jobspec
    return parse_jobspec((NOMAD_CORPUS / name).read_text(), canonicalize=False)


@pytest.mark.parametrize("make", [
    lambda: corpus_job("connect.nomad.hcl"), lambda: corpus_job("placement.nomad.hcl"),
    lambda: gateway_job("ingress"), lambda: gateway_job("terminating"), lambda: gateway_job("mesh"),
], ids=["countdash", "placement", "ingress", "terminating", "mesh"])
def test_the_stored_job_admitted_again_is_the_same_job(make):
    stored = admit(make()).job
    assert admit(copy.deepcopy(stored)).job == stored
