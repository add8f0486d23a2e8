"""HCL2 jobspec -> Nomad JSON: documented examples, blocks, values and errors (pure, no Consul)."""

import json
from pathlib import Path

import pytest

from devagent.jobspec import JobspecError, parse_jobspec

DATA = Path(__file__).parent / "data"
S = 1_000_000_000


def fixture(name):
    return (DATA / name).read_text()


def job_with(group_body="", task_body="", job_body=""):
    """A minimal valid job with extra HCL spliced into the job, group and task bodies."""
    return f"""
job "j" {{
  {job_body}
  group "g" {{
    {group_body}
    task "t" {{
      driver = "raw_exec"
      config {{ command = "/bin/true" }}
      {task_body}
    }}
  }}
}}
"""


def group_of(hcl, canonicalize=False):
    return parse_jobspec(hcl, canonicalize=canonicalize)["TaskGroups"][0]


def task_of(hcl, canonicalize=False):
    return group_of(hcl, canonicalize)["Tasks"][0]


def assert_matches_documented(ours, documented, where="Job"):
    """Every value Nomad's doc shows set must be ours; every value we set must be the doc's."""
    if isinstance(documented, dict):
        assert isinstance(ours, dict), where
        for key, value in documented.items():
            if value is None or value in ("", 0, False) and key not in ours:
                assert ours.get(key) in (None, "", 0, False) or value is None and key not in ours, f"{where}.{key}"
                continue
            assert key in ours, f"{where}.{key} missing (documented {value!r})"
            assert_matches_documented(ours[key], value, f"{where}.{key}")
        for key, value in ours.items():
            assert key in documented, f"{where}.{key} is not a field of Nomad's documented JSON"
            if documented[key] is None:
                assert value is None, f"{where}.{key} = {value!r} but Nomad leaves it null"
    elif isinstance(documented, list):
        assert isinstance(ours, list) and len(ours) == len(documented), where
        for index, (mine, theirs) in enumerate(zip(ours, documented)):
            assert_matches_documented(mine, theirs, f"{where}[{index}]")
    else:
        assert ours == documented, f"{where}: {ours!r} != documented {documented!r}"


def test_example_job_matches_nomads_documented_json():
    documented = json.loads(fixture("example.json"))["Job"]
    ours = parse_jobspec(fixture("example.nomad.hcl"), canonicalize=False)
    assert_matches_documented(ours, documented)


def test_example_job_canonicalized_has_nomads_defaults():
    job = parse_jobspec(fixture("example.nomad.hcl"))
    assert (job["Region"], job["Namespace"], job["Priority"], job["Type"]) == ("global", "default", 50, "service")
    group = job["TaskGroups"][0]
    assert group["Update"]["HealthyDeadline"] == 180 * S  # the job's update block, merged into the group
    assert group["Update"]["HealthCheck"] == "checks"
    assert group["Update"]["Stagger"] == 30 * S
    assert group["Migrate"] == {"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * S,
                                "HealthyDeadline": 300 * S}
    task = group["Tasks"][0]
    assert task["KillTimeout"] == 5 * S
    assert task["LogConfig"]["MaxFiles"] == 10 and task["LogConfig"]["MaxFileSizeMB"] == 10
    assert task["RestartPolicy"] == group["RestartPolicy"]
    assert group["Services"][0]["AddressMode"] == "auto"
    assert group["Services"][0]["Provider"] == "consul"


def test_connect_short_example():
    job = parse_jobspec(fixture("connect-short.nomad.hcl"), canonicalize=False)
    assert job["ID"] == job["Name"] == "countdash"
    api, dashboard = job["TaskGroups"]
    assert api["Networks"] == [{"Mode": "bridge"}]
    assert api["Services"][0] == {"Name": "count-api", "PortLabel": "9001", "Connect": {"SidecarService": {}}}
    assert api["Tasks"][0]["ShutdownDelay"] == 10 * S
    assert api["Tasks"][0]["Config"] == {"image": "hashicorpdev/counter-api:v3", "auth_soft_fail": True}
    network = dashboard["Networks"][0]
    assert network["ReservedPorts"] == [{"Label": "http", "Value": 9002, "To": 9002, "HostNetwork": ""}]
    assert network["DynamicPorts"] is None
    upstreams = dashboard["Services"][0]["Connect"]["SidecarService"]["Proxy"]["Upstreams"]
    assert upstreams == [{"DestinationName": "count-api", "LocalBindPort": 8080}]
    env = dashboard["Tasks"][0]["Env"]
    assert env == {"COUNTING_SERVICE_URL": "http://${NOMAD_UPSTREAM_ADDR_count_api}"}


def test_job_in_the_style_of_our_templates():
    job = parse_jobspec(fixture("mesh-invoice.nomad.hcl"))
    assert job["Meta"] == {"managed_by": "deployer", "spec_hash": "3f2a9c"}
    group = job["TaskGroups"][0]
    assert group["Networks"][0]["Mode"] == "bridge"
    assert group["Networks"][0]["DynamicPorts"] == [{"Label": "http", "Value": 0, "To": 5002, "HostNetwork": ""}]
    service = group["Services"][0]
    assert (service["Name"], service["PortLabel"], service["Tags"]) == ("invoice", "http", ["mesh", "invoice"])
    assert service["Meta"] == {"version": "1"}
    check = service["Checks"][0]
    assert (check["Type"], check["Path"], check["Interval"], check["Timeout"], check["Expose"]) == (
        "http", "/health", S, S, True)
    proxy = service["Connect"]["SidecarService"]["Proxy"]
    assert proxy["Config"] == {"protocol": "http"}
    assert [(u["DestinationName"], u["LocalBindPort"]) for u in proxy["Upstreams"]] == [("tax", 9191)]
    assert group["Update"]["MinHealthyTime"] == S and group["Update"]["AutoRevert"] is True
    assert group["Update"]["HealthyDeadline"] == 60 * S and group["Update"]["ProgressDeadline"] == 120 * S
    assert group["RestartPolicy"] == {"Attempts": 3, "Interval": 60 * S, "Delay": S, "Mode": "fail",
                                      "RenderTemplates": False}
    task = group["Tasks"][0]
    assert task["Driver"] == "raw_exec"
    assert task["Config"] == {"command": "/usr/bin/python3",
                              "args": ["-m", "services.invoice", "--port", "${NOMAD_PORT_http}"]}
    assert task["Env"] == {"PYTHONUNBUFFERED": "1", "TAX_URL": "http://${NOMAD_UPSTREAM_ADDR_tax}",
                           "APP_PORT": "5002"}
    assert task["Meta"] == {"owner": "billing"}
    assert (task["ShutdownDelay"], task["KillTimeout"], task["KillSignal"]) == (S, 3 * S, "SIGTERM")
    assert (task["Resources"]["CPU"], task["Resources"]["MemoryMB"]) == (200, 128)


@pytest.mark.parametrize(
    "text, ns",
    [
        ("1s", S),
        ("500ms", S // 2),
        ("5m", 300 * S),
        ("1h30m", 5400 * S),
        ("1.5s", 1500 * 1_000_000),
        ("2h45m30s", (2 * 3600 + 45 * 60 + 30) * S),
        ("250us", 250_000),
        ("10ns", 10),
        ("0", 0),
        ("0s", 0),
    ],
)
def test_durations_become_nanoseconds(text, ns):
    assert task_of(job_with(task_body=f'kill_timeout = "{text}"'))["KillTimeout"] == ns


@pytest.mark.parametrize("text", ["10", "1x", "s", "1m-1s", ""])
def test_bad_durations_are_errors_naming_the_attribute(text):
    with pytest.raises(JobspecError, match=r'job "j" -> group "g" -> task "t": attribute "kill_timeout"'):
        parse_jobspec(job_with(task_body=f'kill_timeout = "{text}"'))


@pytest.mark.parametrize(
    "ports, reserved, dynamic",
    [
        ('port "http" {}', None, [{"Label": "http", "Value": 0, "To": 0, "HostNetwork": ""}]),
        ('port "http" { to = 8080 }', None, [{"Label": "http", "Value": 0, "To": 8080, "HostNetwork": ""}]),
        ('port "http" { static = 80 }', [{"Label": "http", "Value": 80, "To": 0, "HostNetwork": ""}], None),
        ('port "a" { static = 81 \n to = 8081 \n host_network = "public" }\n port "b" {}',
         [{"Label": "a", "Value": 81, "To": 8081, "HostNetwork": "public"}],
         [{"Label": "b", "Value": 0, "To": 0, "HostNetwork": ""}]),
    ],
)
def test_ports_split_into_reserved_and_dynamic(ports, reserved, dynamic):
    network = group_of(job_with(group_body=f'network {{\n mode = "bridge"\n {ports}\n}}'))["Networks"][0]
    assert network["Mode"] == "bridge"
    assert network.get("ReservedPorts") == reserved
    assert network.get("DynamicPorts") == dynamic


def test_connect_upstreams_expose_and_sidecar_task():
    hcl = job_with(group_body="""
    network {
      mode = "bridge"
      port "http" { to = 8080 }
      port "metrics" { to = -1 }
    }
    service {
      name = "api"
      port = "http"
      check {
        name     = "live"
        type     = "http"
        path     = "/live"
        interval = "10s"
        timeout  = "2s"
        expose   = true
        method   = "GET"
        header {
          Accept = ["application/json"]
        }
        check_restart {
          limit = 3
          grace = "90s"
          ignore_warnings = false
        }
      }
      connect {
        sidecar_service {
          tags = ["sidecar"]
          port = "9999"
          proxy {
            local_service_address = "127.0.0.1"
            local_service_port    = 8080
            upstreams {
              destination_name   = "db"
              local_bind_port    = 5432
              local_bind_address = "127.0.0.2"
              datacenter         = "dc2"
              mesh_gateway {
                mode = "local"
              }
            }
            upstreams {
              destination_name = "cache"
              local_bind_port  = 6379
            }
            expose {
              path {
                path            = "/metrics"
                protocol        = "http"
                local_path_port = 9102
                listener_port   = "metrics"
              }
            }
            config {
              protocol = "http"
              envoy_stats_tags = ["a=b"]
            }
          }
        }
        sidecar_task {
          driver = "raw_exec"
          config {
            command = "envoy"
          }
          resources {
            cpu    = 50
            memory = 64
          }
          shutdown_delay = "2s"
        }
      }
    }
    """)
    service = group_of(hcl)["Services"][0]
    check = service["Checks"][0]
    assert check["Name"] == "live" and check["Expose"] is True and check["Timeout"] == 2 * S
    assert check["Header"] == {"Accept": ["application/json"]}
    assert check["CheckRestart"] == {"Limit": 3, "Grace": 90 * S, "IgnoreWarnings": False}
    sidecar = service["Connect"]["SidecarService"]
    assert sidecar["Tags"] == ["sidecar"] and sidecar["Port"] == "9999"
    proxy = sidecar["Proxy"]
    assert proxy["LocalServiceAddress"] == "127.0.0.1" and proxy["LocalServicePort"] == 8080
    assert proxy["Upstreams"] == [
        {"DestinationName": "db", "LocalBindPort": 5432, "LocalBindAddress": "127.0.0.2", "Datacenter": "dc2",
         "MeshGateway": {"Mode": "local"}},
        {"DestinationName": "cache", "LocalBindPort": 6379},
    ]
    assert proxy["Expose"] == {"Paths": [{"Path": "/metrics", "Protocol": "http", "LocalPathPort": 9102,
                                          "ListenerPort": "metrics"}]}
    assert proxy["Config"] == {"protocol": "http", "envoy_stats_tags": ["a=b"]}
    task = service["Connect"]["SidecarTask"]
    assert task == {"Driver": "raw_exec", "Config": {"command": "envoy"}, "Resources": {"CPU": 50, "MemoryMB": 64},
                    "ShutdownDelay": 2 * S}


@pytest.mark.parametrize(
    "job_update, group_update, expected",
    [
        # Job-level update only: every group inherits it, defaults fill the rest.
        ('max_parallel = 2\n min_healthy_time = "30s"', None,
         {"MaxParallel": 2, "MinHealthyTime": 30 * S, "HealthyDeadline": 300 * S, "AutoRevert": False}),
        # Both: merged, the group's values win.
        ('max_parallel = 2\n auto_revert = true', 'max_parallel = 3\n healthy_deadline = "1m"',
         {"MaxParallel": 3, "AutoRevert": True, "HealthyDeadline": 60 * S, "ProgressDeadline": 600 * S}),
        # Group-level only, service job: merged over the default job update strategy.
        (None, 'canary = 1', {"Canary": 1, "MaxParallel": 1, "HealthCheck": "checks", "Stagger": 30 * S}),
        # Neither: a service job gets the default update strategy.
        (None, None, {"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * S,
                      "HealthyDeadline": 300 * S, "ProgressDeadline": 600 * S, "AutoRevert": False,
                      "AutoPromote": False, "Canary": 0, "Stagger": 30 * S}),
    ],
)
def test_update_blocks_merge_job_into_group(job_update, group_update, expected):
    hcl = job_with(
        job_body=f"update {{\n{job_update}\n}}" if job_update else "",
        group_body=f"update {{\n{group_update}\n}}" if group_update else "",
    )
    update = group_of(hcl, canonicalize=True)["Update"]
    assert {key: update[key] for key in expected} == expected


def test_batch_job_without_update_has_no_update_and_batch_restart_defaults():
    group = group_of(job_with(job_body='type = "batch"'), canonicalize=True)
    assert group["Update"] is None
    assert group["RestartPolicy"]["Attempts"] == 3 and group["RestartPolicy"]["Interval"] == 24 * 3600 * S
    assert group["ReschedulePolicy"]["DelayFunction"] == "constant"


def test_config_keeps_nested_blocks_and_lists_as_nomad_does():
    task = task_of(job_with(task_body='''
      config {
        image = "redis:7"
        ports = ["db", "admin"]
        args  = ["-v", "--port=${NOMAD_PORT_db}"]
        port_map {
          db = 6379
        }
        mount {
          type   = "bind"
          target = "/data"
        }
        mount {
          type   = "tmpfs"
          target = "/tmp"
        }
        labels = { "com.example/team" = "mesh" }
      }''').replace('config { command = "/bin/true" }', ''))
    config = task["Config"]
    assert config["ports"] == ["db", "admin"]
    assert config["args"] == ["-v", "--port=${NOMAD_PORT_db}"]
    assert config["port_map"] == [{"db": 6379}]
    assert config["mount"] == [{"type": "bind", "target": "/data"}, {"type": "tmpfs", "target": "/tmp"}]
    assert config["labels"] == {"com.example/team": "mesh"}


def test_env_and_meta_accept_block_or_map_syntax_and_stringify_values():
    task = task_of(job_with(task_body='env = { "A.B" = "x", N = 3, F = true }\n meta { k = 1.5 }'))
    assert task["Env"] == {"A.B": "x", "N": "3", "F": "true"}
    assert task["Meta"] == {"k": "1.5"}


def test_strings_escapes_heredocs_and_interpolation():
    task = task_of(job_with(task_body=r'''
      env {
        QUOTED  = "say \"hi\"\tnow"
        LITERAL = "$${NOT_INTERPOLATED}"
        NODE    = "${attr.unique.hostname}-${node.datacenter}"
        META    = "${meta.rack}"
      }
      template {
        destination = "local/app.env"
        data        = <<EOT
PORT={{ env "NOMAD_PORT_http" }}
  indented
EOT
      }
      template {
        destination = "local/b.txt"
        data        = <<-EOT
          one
            two
          EOT
      }'''))
    assert task["Env"]["QUOTED"] == 'say "hi"\tnow'
    assert task["Env"]["LITERAL"] == "${NOT_INTERPOLATED}"
    assert task["Env"]["NODE"] == "${attr.unique.hostname}-${node.datacenter}"
    assert task["Env"]["META"] == "${meta.rack}"
    first, second = task["Templates"]
    assert first["EmbeddedTmpl"] == 'PORT={{ env "NOMAD_PORT_http" }}\n  indented\n'
    assert first["ChangeMode"] == "restart" and first["Perms"] == "0644" and first["Splay"] == 5 * S
    assert second["EmbeddedTmpl"] == "one\n  two\n"


def test_constraints_and_distinct_hosts():
    group = group_of(job_with(group_body='''
      constraint {
        attribute = "${attr.kernel.name}"
        value     = "linux"
      }
      constraint {
        distinct_hosts = true
      }
      constraint {
        attribute = "${attr.cpu.arch}"
        operator  = "regexp"
        value     = "amd64|arm64"
      }
      constraint {
        attribute = "${attr.nomad.version}"
        version   = ">= 1.6"
      }
      constraint {
        distinct_property = "${meta.rack}"
      }
      affinity {
        attribute    = "${meta.tags}"
        set_contains = "fast"
        weight       = -20
      }'''))
    assert group["Constraints"] == [
        {"LTarget": "${attr.kernel.name}", "RTarget": "linux", "Operand": "="},
        {"Operand": "distinct_hosts"},
        {"LTarget": "${attr.cpu.arch}", "RTarget": "amd64|arm64", "Operand": "regexp"},
        {"LTarget": "${attr.nomad.version}", "RTarget": ">= 1.6", "Operand": "version"},
        {"LTarget": "${meta.rack}", "Operand": "distinct_property"},
    ]
    assert group["Affinities"] == [{"LTarget": "${meta.tags}", "RTarget": "fast", "Operand": "set_contains",
                                    "Weight": -20}]


def test_logs_ephemeral_disk_reschedule_artifact_and_lifecycle():
    hcl = job_with(
        group_body='ephemeral_disk {\n size = 500\n sticky = true\n}\n'
                   'reschedule {\n attempts = 5\n interval = "1h"\n unlimited = false\n}',
        task_body='logs {\n max_files = 3\n max_file_size = 5\n}\n'
                  'artifact {\n source = "https://example.com/app.tar.gz"\n options {\n checksum = "sha256:ab"\n }\n}\n'
                  'lifecycle {\n hook = "prestart"\n sidecar = true\n}',
    )
    group = group_of(hcl, canonicalize=True)
    assert group["EphemeralDisk"] == {"SizeMB": 500, "Sticky": True, "Migrate": False}
    assert group["ReschedulePolicy"]["Attempts"] == 5 and group["ReschedulePolicy"]["Interval"] == 3600 * S
    assert group["ReschedulePolicy"]["DelayFunction"] == "exponential"  # the service default fills the rest
    task = group["Tasks"][0]
    assert (task["LogConfig"]["MaxFiles"], task["LogConfig"]["MaxFileSizeMB"]) == (3, 5)
    artifact = task["Artifacts"][0]
    assert artifact["GetterSource"] == "https://example.com/app.tar.gz"
    assert artifact["GetterOptions"] == {"checksum": "sha256:ab"}
    assert artifact["RelativeDest"] == "local/" and artifact["GetterMode"] == "any"
    assert task["Lifecycle"] == {"Hook": "prestart", "Sidecar": True}


def test_job_attributes_and_label_precedence():
    job = parse_jobspec(job_with(job_body='name = "Pretty"\n region = "eu"\n namespace = "apps"\n priority = 70\n'
                                          'datacenters = ["dc1", "dc2"]\n all_at_once = true'))
    assert job["ID"] == "j" and job["Name"] == "Pretty"
    assert (job["Region"], job["Namespace"], job["Priority"]) == ("eu", "apps", 70)
    assert job["Datacenters"] == ["dc1", "dc2"] and job["AllAtOnce"] is True


@pytest.mark.parametrize(
    "hcl, message",
    [
        (job_with(task_body="vault {\n policies = [\"x\"]\n}"),
         'job "j" -> group "g" -> task "t": unsupported block "vault"'),
        (job_with(task_body="frobnicate {}"), 'job "j" -> group "g" -> task "t": unknown block "frobnicate"'),
        (job_with(task_body="colour = \"red\""), 'job "j" -> group "g" -> task "t": unknown attribute "colour"'),
        (job_with(group_body="network {\n port \"a\" {\n statik = 1\n }\n}"),
         'job "j" -> group "g" -> network -> port "a": unknown attribute "statik"'),
        (job_with(group_body="service {\n connect {\n sidecar_service {\n proxy {\n upstreams {\n"
                             " destination = \"x\"\n }\n }\n }\n }\n}"),
         'job "j" -> group "g" -> service -> connect -> sidecar_service -> proxy -> upstreams: '
         'unknown attribute "destination"'),
        (job_with(group_body="service {\n check {\n interval = \"1s\"\n }\n check {\n intervall = \"1s\"\n }\n}"),
         'job "j" -> group "g" -> service -> check[1]: unknown attribute "intervall"'),
        (job_with(job_body="periodic {\n cron = \"* * * * *\"\n}"), 'job "j": unsupported block "periodic"'),
        (job_with(group_body="volume \"v\" {\n type = \"host\"\n}"), 'job "j" -> group "g": unsupported block "volume"'),
        (job_with(group_body="update {}\nupdate {}"), 'job "j" -> group "g": only one "update" block is allowed'),
        (job_with(group_body="task {\n driver = \"raw_exec\"\n}"), 'block "task" needs exactly one label'),
        (job_with(group_body="network \"n\" {}"), 'block "network" takes no label'),
        (job_with(group_body="count = \"many\""), 'attribute "count": expected a whole number'),
        (job_with(group_body="count = 1 + 1"), 'unsupported expression'),
        (job_with(task_body="user = upper(\"x\")"), 'unsupported expression'),
        (job_with(task_body="env {\n A = \"${upper(\\\"x\\\")}\"\n}"), 'unsupported interpolation'),
        (job_with(group_body="network = {}"), 'unknown attribute "network"'),
        ('variable "x" {}\n' + job_with(), 'unsupported top-level block "variable"'),
        ("", "expected exactly one job block, found 0"),
        (job_with() + job_with(), "expected exactly one job block, found 2"),
        ('job {\n}', 'block "job" needs exactly one label'),
    ],
)
def test_unknown_or_unsupported_input_is_an_error_naming_where(hcl, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(hcl)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "hcl, line",
    [
        ('job "x" {\n  group "g" {\n    count = \n  }\n}\n', 3),
        ('job "x" {\n  datacenters = ["dc1",\n}\n', 3),
        ('job "x" {\n  group "g" {\n', 3),
        ('job "x" {\n  "quoted" = 1\n}\n', 2),
    ],
)
def test_syntax_errors_name_the_line(hcl, line):
    with pytest.raises(JobspecError, match=rf"^line {line}, column \d+: HCL syntax error") as raised:
        parse_jobspec(hcl)
    assert "\n" not in str(raised.value)


def test_semantic_errors_carry_the_line():
    hcl = 'job "j" {\n  group "g" {\n    task "t" {\n      driver = "raw_exec"\n\n      vault {}\n    }\n  }\n}\n'
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(hcl)
    assert str(raised.value) == ('job "j" -> group "g" -> task "t": unsupported block "vault" '
                                 "(devagent does not implement it) (line 6)")
    assert raised.value.line == 6 and raised.value.path == ('job "j"', 'group "g"', 'task "t"')


@pytest.mark.parametrize(
    "body, message",
    [
        ("count = 1\n    count = 2", 'attribute "count" is defined twice (first on line 5) (line 6)'),
        ('meta = { a = "1" }\n    meta {\n b = "2"\n }', '"meta" is both an attribute and a block (line 5)'),
    ],
)
def test_redefinitions_are_errors(body, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(job_with(group_body=body))
    assert message in str(raised.value)


GOLDEN = Path(__file__).parents[1] / "jobs" / "golden"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/*.nomad.hcl")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_jobs_rendered_from_our_templates_parse_and_validate(path):
    """The deployer's golden renderings (tests/jobs/golden) are what devagent is sent."""
    from devagent.jobspec import canonicalize_job

    job = canonicalize_job(parse_jobspec(path.read_text()))
    group = job["TaskGroups"][0]
    assert job["ID"] == group["Name"] == path.name.removesuffix(".nomad.hcl")
    assert group["Networks"][0]["Mode"] == "bridge"
    assert group["Services"][0]["Connect"]["SidecarService"] is not None
    assert group["Services"][0]["Checks"][0]["Expose"] is True


def test_non_string_input_is_a_clear_error():
    with pytest.raises(JobspecError, match="jobspec must be a string"):
        parse_jobspec(None)
