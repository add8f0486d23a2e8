"""`python -m devagent validate`: Nomad's verdict on job files without an agent (pure)."""

import json

import pytest

from devagent.cli import main

S = 1_000_000_000


def json_job(expose_on_label=False, memory_max=0):
    check = {"Type": "http", "Path": "/health", "Interval": 10 * S, "Timeout": 2 * S, "Expose": expose_on_label}
    network = {"Mode": "bridge", "DynamicPorts": [{"Label": "http", "To": 9001}]}
    return {"ID": "tax", "TaskGroups": [{
        "Name": "tax", "Networks": [network],
        "Services": [{"Name": "tax", "PortLabel": "http", "Checks": [check], "Connect": {"SidecarService": {}}}],
        "Tasks": [{"Name": "tax", "Driver": "raw_exec", "Config": {"command": "true"},
                   "Resources": {"MemoryMB": 64, "MemoryMaxMB": memory_max}}]}]}


def test_valid_json_job(tmp_path, capsys):
    path = tmp_path / "tax.json"
    path.write_text(json.dumps({"Job": json_job()}))
    assert main(["validate", "-json", str(path)]) == 0
    assert capsys.readouterr().out == "Job validation successful\n"


def test_warnings_are_printed_before_success(tmp_path, capsys):
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(json_job(memory_max=128)))
    assert main(["validate", "-json", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Job Warnings:\n1 warning:\n\n* Memory oversubscription is not enabled; ")
    assert out.endswith("Job validation successful\n")


def test_a_mutator_error_falls_back_to_local_validation_as_nomads_cli_does(tmp_path, capsys):
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(json_job(expose_on_label=True)))
    # the agent refuses it (error in job mutator expose-check: ...) with a 500; `nomad job validate` then runs
    # Job.Validate() alone, which this job passes
    assert main(["validate", "-json", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("Driver configuration not validated since connection to Nomad agent couldn't be "
                            "established.\n\nJob validation successful\n")
    assert captured.err == ""


def test_the_local_fallback_reports_what_job_validate_finds(tmp_path, capsys):
    job = json_job(expose_on_label=True)
    job["TaskGroups"][0]["Count"] = -1
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("Driver configuration not validated")
    assert captured.err.startswith("Job validation errors:\n1 error occurred:\n\t* Task group tax validation failed")
    assert "Task group count can't be negative" in captured.err
    assert "error in job mutator" not in captured.err


def test_unreadable_files_are_one_line_errors_and_each_file_is_named(tmp_path, capsys):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(json_job()))
    bad.write_text("{not json")
    assert main(["validate", "-json", str(good), str(bad), str(tmp_path / "missing.json")]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{good}: Job validation successful\n"
    lines = captured.err.splitlines()
    assert lines[0].startswith(f"{bad}: Error getting job struct: invalid JSON: ")
    assert lines[1].startswith(f"{tmp_path / 'missing.json'}: Error getting job struct: ")
    assert len(lines) == 2


def test_validation_errors_exit_1_with_the_multierror(tmp_path, capsys):
    job = json_job()
    job["NodePool"] = "gpu"
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith('Job validation errors:\n')
    assert '\t* job "tax" is in nonexistent node pool "gpu"\n' in err


def test_hcl_file_with_variables(tmp_path, capsys):
    path = tmp_path / "web.nomad.hcl"
    path.write_text('''variable "count" {
  type = number
}

variable "image" {
  type = string
}

job "web" {
  group "web" {
    count = var.count

    task "app" {
      driver = "raw_exec"

      config {
        command = var.image
      }
    }
  }
}
''')
    values = tmp_path / "values.hcl"
    values.write_text("count = 2\n")
    assert main(["validate", "-var-file", str(values), "-var", "image=/bin/true", str(path)]) == 0
    assert capsys.readouterr().out == "Job validation successful\n"
    assert main(["validate", "-var", "image", str(path)]) == 1
    assert capsys.readouterr().err == "Error parsing variables: -var 'image': expected KEY=VALUE\n"


def test_a_volume_mount_naming_no_volume_is_dropped_as_apivolumemountstostructs_does(tmp_path, capsys):
    job = json_job()
    job["TaskGroups"][0]["Tasks"][0]["VolumeMounts"] = [{"Destination": "/data"}]
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path)]) == 0
    assert capsys.readouterr().out == "Job validation successful\n"


def test_a_volume_mount_without_destination_makes_nomad_panic_and_so_does_validate(tmp_path, capsys):
    job = json_job()
    job["TaskGroups"][0]["Volumes"] = {"data": {"Type": "host", "Source": "data"}}
    job["TaskGroups"][0]["Tasks"][0]["VolumeMounts"] = [{"Volume": "data"}]
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path), str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.err == "panic: runtime error: invalid memory address or nil pointer dereference\n"
    assert captured.out == ""


def test_a_json_group_scaling_policy_without_max_is_read_as_max_minus_one(tmp_path, capsys):
    job = json_job()
    job["TaskGroups"][0]["Scaling"] = {"Min": 1}  # HCL requires max; the JSON API does not
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Scaling policy invalid: maximum count must be specified and non-negative" in err
    assert "Scaling policy invalid: task group count must not be greater than maximum count in scaling policy" in err


def test_an_empty_namespace_fails_the_agents_validate_and_the_cli_validates_locally(tmp_path, capsys):
    from devagent.admission.pipeline import AdmissionError, validate_response
    job = json_job()
    job["Namespace"] = ""  # ValidateJobRequest takes the job's namespace; the RPC reads "" as "default"
    with pytest.raises(AdmissionError, match='mismatched request namespace in request: "default", ""'):
        validate_response(job)
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path)]) == 0
    assert capsys.readouterr().out.startswith("Driver configuration not validated since connection to Nomad agent")


def test_validate_reads_files_from_the_working_directory_as_nomads_cli_does(tmp_path, monkeypatch, capsys):
    (tmp_path / "greeting.txt").write_text("hello\n")
    job = tmp_path / "job.nomad.hcl"
    job.write_text('job "j" {\n  meta = {\n    g = file("greeting.txt")\n    n = basename("a/b/")\n'
                   '    e = fileexists("missing.txt")\n  }\n  group "g" {\n    task "t" {\n'
                   '      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n')
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(job)]) == 0, capsys.readouterr().err
    from devagent.jobspec import parse_jobspec
    parsed = parse_jobspec(job.read_text(), canonicalize=False, allow_fs=True)
    assert parsed["Meta"] == {"g": "hello\n", "n": "b", "e": "false"}
    with pytest.raises(Exception, match="filesystem function disabled"):
        parse_jobspec(job.read_text())  # the parse endpoint keeps AllowFS off


VARIABLES_JOB = ('variable "dcs" {\n  type    = list(string)\n  default = ["dc1"]\n}\n'
                 'variable "region" {\n  default = "global"\n}\n'
                 'job "j" {\n  datacenters = var.dcs\n  region = var.region\n  group "g" {\n    task "t" {\n'
                 '      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n')


def test_variables_come_from_env_files_and_flags_in_nomads_order(tmp_path, monkeypatch, capsys):
    from devagent.jobspec import CommandLine, parse_jobspec
    files = [("a.vars.hcl", 'region = "r1"\n'), ("b.vars.hcl", 'region = "r2"\n')]
    parsed = parse_jobspec(VARIABLES_JOB, canonicalize=False, command_line=CommandLine(
        {"region": "from-env", "dcs": '["e1"]'}, files, {"dcs": '["a", "b"]'}))
    assert (parsed["Region"], parsed["Datacenters"]) == ("r2", ["a", "b"])  # env, then each file, then -var
    job = tmp_path / "job.nomad.hcl"
    job.write_text(VARIABLES_JOB)
    for name, text in files:
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NOMAD_VAR_region", "r0")
    assert main(["validate", "-var-file", "a.vars.hcl", "-var-file", "b.vars.hcl", "-var", "region=r3",
                 str(job)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("flags, text", [
    (["-var", "nope=1"], '<nil>: Undefined -var variable; A "nope" variable was passed in the command line but was '
                         'not found in known variables. To declare variable "nope", place this block in your job file'),
    (["-var-file", "c.vars.hcl"], '<nil>: Undefined variable; A "undeclared" variable was set but was not found in '
                                  'known variables. To declare variable "undeclared", place this block in your job '
                                  'files'),
])
def test_an_undeclared_variable_from_the_command_line_is_an_error_as_in_strict_mode(tmp_path, monkeypatch, capsys,
                                                                                       flags, text):
    job = tmp_path / "job.nomad.hcl"
    job.write_text(VARIABLES_JOB)
    (tmp_path / "c.vars.hcl").write_text("undeclared = 1\n")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", *flags, str(job)]) == 1
    assert capsys.readouterr().err.rstrip("\n").endswith(text)


NIL_CONFIG_JOB = '''job "kind" {
  group "api" {
    network {
      mode = "bridge"
    }
    service {
      name = "api"
      port = "9001"
      connect {
        sidecar_service {}
        sidecar_task {
          config {
            args = ["-l", "debug"]
          }
        }
      }
    }
    task "proxy" {
      driver = "docker"
      kind   = "connect-proxy:api"
    }
    task "app" {
      driver = "docker"
      config {
        image = "x"
      }
    }
  }
}
'''


def test_a_panic_in_the_servers_connect_mutator_drops_the_request_and_the_cli_validates_locally(tmp_path, capsys):
    from devagent.admission.pipeline import validate_response
    from devagent.gopanic import GoPanic
    from devagent.jobspec import parse_jobspec
    with pytest.raises(GoPanic, match="assignment to entry in nil map"):  # the user's proxy task has no config
        validate_response(parse_jobspec(NIL_CONFIG_JOB, canonicalize=False))
    path = tmp_path / "kind.nomad.hcl"
    path.write_text(NIL_CONFIG_JOB)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.endswith("established.\n\nJob validation successful\n")


def test_a_job_for_another_region_is_validated_locally_as_the_cli_does(tmp_path, capsys):
    job = json_job()
    job.update(Region="eu-west", Namespace="team-a")  # no such namespace: only the server would say so
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(job))
    assert main(["validate", "-json", str(path)]) == 0
    assert capsys.readouterr().out == ("Driver configuration not validated since connection to Nomad agent couldn't "
                                       "be established.\n\nJob validation successful\n")


def test_a_heredoc_marker_may_have_trailing_spaces(tmp_path, capsys):
    path = tmp_path / "job.nomad.hcl"
    path.write_text('job "j" {\n  meta = {\n    a = <<EOH\nhello\nEOH \n  }\n  group "g" {\n    task "t" {\n'
                    '      driver = "raw_exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n')
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    from devagent.jobspec import parse_jobspec
    assert parse_jobspec(path.read_text(), canonicalize=False)["Meta"] == {"a": "hello\n"}
