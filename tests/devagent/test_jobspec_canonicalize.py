"""canonicalize_job: Nomad's defaults on JSON jobs, idempotence and validation (pure, no Consul)."""

import copy
from pathlib import Path

import pytest

from devagent.jobspec import JobspecError, canonicalize_job, parse_jobspec

DATA = Path(__file__).parent / "data"
S = 1_000_000_000
FIXTURES = ["example.nomad.hcl", "connect-short.nomad.hcl", "mesh-invoice.nomad.hcl"]


def minimal_json_job():
    """The smallest JSON job a client may register (as python-nomad users write them)."""
    return {
        "ID": "web",
        "TaskGroups": [{"Name": "web", "Tasks": [{"Name": "app", "Driver": "raw_exec",
                                                  "Config": {"command": "/bin/sleep", "args": ["60"]}}]}],
    }


@pytest.mark.parametrize("name", FIXTURES)
def test_canonicalize_is_idempotent(name):
    once = canonicalize_job(parse_jobspec((DATA / name).read_text()))
    assert canonicalize_job(once) == once
    assert canonicalize_job(copy.deepcopy(once)) == once


@pytest.mark.parametrize("name", FIXTURES)
def test_parse_canonicalize_flag_does_not_change_the_registered_job(name):
    text = (DATA / name).read_text()
    assert canonicalize_job(parse_jobspec(text, canonicalize=False)) == canonicalize_job(parse_jobspec(text))


def test_canonicalize_returns_a_new_dict():
    job = minimal_json_job()
    before = copy.deepcopy(job)
    canonicalize_job(job)
    assert job == before


def test_minimal_json_job_gets_nomads_defaults():
    job = canonicalize_job(minimal_json_job())
    assert job["Name"] == "web"
    assert (job["Region"], job["Namespace"], job["Type"], job["Priority"]) == ("global", "default", "service", 50)
    assert job["Datacenters"] == ["*"] and job["NodePool"] == "default"
    assert (job["Stop"], job["Version"], job["Status"]) == (False, 0, "")
    group = job["TaskGroups"][0]
    assert group["Count"] == 1
    assert group["EphemeralDisk"] == {"Sticky": False, "Migrate": False, "SizeMB": 300}
    assert group["RestartPolicy"] == {"Attempts": 2, "Interval": 30 * 60 * S, "Delay": 15 * S, "Mode": "fail",
                                      "RenderTemplates": False}
    assert group["ReschedulePolicy"] == {"Attempts": 0, "Interval": 0, "Delay": 30 * S,
                                         "DelayFunction": "exponential", "MaxDelay": 3600 * S, "Unlimited": True}
    assert group["Update"] == {"Stagger": 30 * S, "MaxParallel": 1, "HealthCheck": "checks",
                               "MinHealthyTime": 10 * S, "HealthyDeadline": 5 * 60 * S,
                               "ProgressDeadline": 10 * 60 * S, "AutoRevert": False, "Canary": 0,
                               "AutoPromote": False}
    task = group["Tasks"][0]
    assert task["KillTimeout"] == 5 * S and task["ShutdownDelay"] == 0 and task["KillSignal"] == ""
    assert (task["Resources"]["CPU"], task["Resources"]["MemoryMB"], task["Resources"]["Cores"]) == (100, 300, 0)
    assert task["LogConfig"] == {"MaxFiles": 10, "MaxFileSizeMB": 10, "Disabled": False, "Enabled": None}
    assert task["RestartPolicy"] == group["RestartPolicy"]
    assert task["Config"] == {"command": "/bin/sleep", "args": ["60"]}


def test_explicit_values_are_kept():
    job = minimal_json_job()
    job.update(Region="eu", Priority=80, Datacenters=["dc1"])
    job["TaskGroups"][0].update(Count=0, RestartPolicy={"Attempts": 5})
    job["TaskGroups"][0]["Tasks"][0].update(KillTimeout=S, Resources={"CPU": 500}, RestartPolicy={"Delay": 2 * S})
    out = canonicalize_job(job)
    assert (out["Region"], out["Priority"], out["Datacenters"]) == ("eu", 80, ["dc1"])
    group = out["TaskGroups"][0]
    assert group["Count"] == 0
    assert group["RestartPolicy"]["Attempts"] == 5 and group["RestartPolicy"]["Delay"] == 15 * S
    task = group["Tasks"][0]
    assert task["KillTimeout"] == S
    assert task["Resources"]["CPU"] == 500 and task["Resources"]["MemoryMB"] == 300
    assert task["RestartPolicy"]["Attempts"] == 5 and task["RestartPolicy"]["Delay"] == 2 * S


def test_service_and_check_defaults():
    job = parse_jobspec((DATA / "mesh-invoice.nomad.hcl").read_text(), canonicalize=False)
    out = canonicalize_job(job)
    group = out["TaskGroups"][0]
    service = group["Services"][0]
    assert (service["AddressMode"], service["OnUpdate"], service["Provider"]) == ("auto", "require_healthy", "consul")
    check = service["Checks"][0]
    assert check["Name"] == 'service: "invoice" check'
    assert check["OnUpdate"] == "require_healthy"
    assert check["CheckRestart"] is None
    assert group["Networks"][0]["DynamicPorts"][0]["HostNetwork"] == "default"


def test_unnamed_services_are_named_after_job_group_and_task():
    job = minimal_json_job()
    job["TaskGroups"][0]["Services"] = [{"PortLabel": ""}]
    job["TaskGroups"][0]["Tasks"][0]["Services"] = [{"Name": "${BASE}-x"}]
    out = canonicalize_job(job)
    assert out["TaskGroups"][0]["Services"][0]["Name"] == "web-web"
    assert out["TaskGroups"][0]["Tasks"][0]["Services"][0]["Name"] == "web-web-app-x"


def test_check_restart_merges_service_level_into_checks():
    job = minimal_json_job()
    job["TaskGroups"][0]["Networks"] = [{"DynamicPorts": [{"Label": "http"}]}]
    job["TaskGroups"][0]["Services"] = [{
        "Name": "web", "PortLabel": "http", "CheckRestart": {"Limit": 3},
        "Checks": [{"Type": "tcp", "Interval": S, "Timeout": S},
                   {"Name": "b", "Type": "tcp", "Interval": S, "Timeout": S, "CheckRestart": {"Grace": 9 * S}}],
    }]
    checks = canonicalize_job(job)["TaskGroups"][0]["Services"][0]["Checks"]
    assert checks[0]["CheckRestart"] == {"Limit": 3, "Grace": S, "IgnoreWarnings": False}
    assert checks[1]["CheckRestart"] == {"Limit": 3, "Grace": 9 * S, "IgnoreWarnings": False}


def test_unknown_json_fields_are_kept():
    job = minimal_json_job()
    job["FutureField"] = {"x": 1}
    assert canonicalize_job(job)["FutureField"] == {"x": 1}


def _job_with(mutate):
    job = parse_jobspec((DATA / "mesh-invoice.nomad.hcl").read_text(), canonicalize=False)
    mutate(job)
    return job


def _group(job):
    return job["TaskGroups"][0]


def _check(job):
    return _group(job)["Services"][0]["Checks"][0]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda j: j.update(ID=""), "Missing job ID"),
        (lambda j: j.update(ID="a b"), "Job ID contains a space"),
        (lambda j: j.update(Type="daemon"), 'Invalid job type: "daemon"'),
        (lambda j: j.update(Priority=101), "Job priority must be between [1, 100]"),
        (lambda j: j.update(TaskGroups=[]), "Missing job task groups"),
        (lambda j: j["TaskGroups"].append(copy.deepcopy(_group(j))), 'Job task group redefines "invoice"'),
        (lambda j: _group(j).update(Count=-1), "count can't be negative"),
        (lambda j: _group(j).update(Tasks=[]), 'group "invoice": Missing tasks for task group'),
        (lambda j: _group(j)["Tasks"][0].update(Driver=""), 'task "invoice": Missing task driver'),
        (lambda j: _group(j)["RestartPolicy"].update(Mode="sometimes"), 'Unsupported restart mode: "sometimes"'),
        (lambda j: _group(j)["RestartPolicy"].update(Interval=S), "Interval can not be less than 5s (got 1s)"),
        (lambda j: _group(j)["RestartPolicy"].update(Delay=30 * S), "can't restart the TaskGroup 3 times"),
        (lambda j: _group(j)["Update"].update(HealthCheck="vibes"), 'Invalid health check given: "vibes"'),
        (lambda j: _group(j)["Update"].update(MinHealthyTime=120 * S),
         "Minimum healthy time (2m0s) must be less than healthy deadline (1m0s)"),
        (lambda j: _group(j)["Networks"][0].update(Mode="weird"), 'Invalid network mode "weird"'),
        (lambda j: _group(j)["Networks"][0].update(Mode="host"), "Consul Connect sidecar requires bridge network"),
        (lambda j: _group(j)["Services"][0].update(PortLabel="admin"), 'Port label "admin" referenced by the service'),
        (lambda j: _group(j)["Services"][0].update(Name="not_valid!"), "Service name must be valid per RFC 1123"),
        (lambda j: _check(j).update(Type="ping"), 'invalid type ("ping")'),
        (lambda j: _check(j).update(Path=""), "http type must have http path"),
        (lambda j: _check(j).update(Path="http://x/health"), "http type must have relative http path"),
        (lambda j: _check(j).update(Interval=S // 2), "interval (500ms) cannot be lower than 1s"),
        (lambda j: _check(j).pop("Timeout"), "missing required value timeout"),
        (lambda j: _check(j).update(Type="tcp"), "expose may only be set on http or grpc checks"),
        (lambda j: _group(j)["Services"][0]["Connect"]["SidecarService"]["Proxy"]["Upstreams"][0].pop("LocalBindPort"),
         'upstream "tax" requires a local_bind_port'),
        (lambda j: _group(j)["Tasks"][0]["Resources"].update(MemoryMB=5), "minimum MemoryMB value is 10"),
        (lambda j: _group(j)["Tasks"][0].update(Templates=[{"EmbeddedTmpl": "x"}]),
         "Must specify a destination for the template"),
        (lambda j: j.update(TaskGroups="nope"), "Job.TaskGroups: expected a list, got a string"),
    ],
)
def test_invalid_jobs_are_errors_naming_where(mutate, message):
    with pytest.raises(JobspecError) as raised:
        canonicalize_job(_job_with(mutate))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_validation_error_names_the_path():
    job = _job_with(lambda j: _check(j).update(Interval=0))
    with pytest.raises(JobspecError, match=r'^job "invoice" -> group "invoice" -> service "invoice" -> check\[0\]: '
                                           r"missing required value interval"):
        canonicalize_job(job)


def test_non_object_job_is_an_error():
    with pytest.raises(JobspecError, match="job must be a JSON object"):
        canonicalize_job(["not", "a", "job"])


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda j: j.update(ID=5), "Job.ID: expected a string, got a number"),
        (lambda j: j.update(TaskGroups={}), "Job.TaskGroups: expected a list, got an object"),
        (lambda j: j["TaskGroups"][0].update(Count="3"), "Job.TaskGroups[0].Count: expected a number, got a string"),
        (lambda j: j["TaskGroups"][0]["Tasks"][0].update(KillTimeout="5s"),
         "Job.TaskGroups[0].Tasks[0].KillTimeout: expected a number of nanoseconds, got a string"),
        (lambda j: j["TaskGroups"][0]["Tasks"][0].update(Env={"A": 1}),
         "Job.TaskGroups[0].Tasks[0].Env[A]: expected a string, got a number"),
        (lambda j: j["TaskGroups"][0]["Tasks"][0].update(Config=["x"]),
         "Job.TaskGroups[0].Tasks[0].Config: expected an object, got a list"),
        (lambda j: j.update(Datacenters=["dc1", 2]), "Job.Datacenters: expected a list of strings"),
        (lambda j: j["TaskGroups"][0]["Tasks"][0].update(Vault={"Policies": ["x"]}),
         "Job.TaskGroups[0].Tasks[0].Vault: unsupported by devagent"),
        (lambda j: j["TaskGroups"][0].update(Networks=[{"ReservedPorts": [{"Label": "a", "Value": "80"}]}]),
         "Job.TaskGroups[0].Networks[0].ReservedPorts[0].Value: expected a number, got a string"),
    ],
)
def test_json_jobs_with_wrong_types_are_errors_naming_the_field(mutate, message):
    job = minimal_json_job()
    mutate(job)
    with pytest.raises(JobspecError) as raised:
        canonicalize_job(job)
    assert message in str(raised.value)


def test_deprecated_expose_config_is_read_as_expose():
    job = canonicalize_job(parse_jobspec((DATA / "mesh-invoice.nomad.hcl").read_text()))
    proxy = job["TaskGroups"][0]["Services"][0]["Connect"]["SidecarService"]["Proxy"]
    proxy["ExposeConfig"] = {"Path": [{"Path": "/metrics", "Protocol": "http", "LocalPathPort": 9102,
                                       "ListenerPort": "http"}]}
    proxy.pop("Expose")
    upgraded = canonicalize_job(job)["TaskGroups"][0]["Services"][0]["Connect"]["SidecarService"]["Proxy"]
    assert "ExposeConfig" not in upgraded
    assert upgraded["Expose"] == {"Paths": [{"Path": "/metrics", "Protocol": "http", "LocalPathPort": 9102,
                                             "ListenerPort": "http"}]}


def test_placement_blocks_are_completed_so_json_and_hcl_forms_compare_equal():
    from devagent.plan_diff import diff_jobs

    hcl = """
job "j" {
  group "g" {
    constraint {
      distinct_hosts = true
    }
    affinity {
      attribute = "${node.class}"
      value     = "fast"
    }
    spread {
      attribute = "${node.datacenter}"
      target "dc1" {
        percent = 60
      }
    }
    task "t" {
      driver = "raw_exec"
    }
  }
}
"""
    job = canonicalize_job(parse_jobspec(hcl))
    group = job["TaskGroups"][0]
    assert group["Constraints"] == [{"LTarget": "", "RTarget": "", "Operand": "distinct_hosts"}]
    assert group["Affinities"] == [{"LTarget": "${node.class}", "RTarget": "fast", "Operand": "=", "Weight": 50}]
    assert group["Spreads"] == [{"Attribute": "${node.datacenter}", "Weight": 50,
                                 "SpreadTarget": [{"Value": "dc1", "Percent": 60}]}]
    sparse = copy.deepcopy(job)
    sparse["TaskGroups"][0]["Constraints"] = [{"Operand": "distinct_hosts"}]
    assert diff_jobs(job, canonicalize_job(sparse))["Type"] == "None"
