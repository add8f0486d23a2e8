"""HCL2 jobspec -> Nomad JSON: documented examples, blocks, values and errors (pure, no Consul)."""

import json
import re
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
            if key not in documented:  # a field Nomad added after the documented example: unset
                assert value in (None, "", 0, False), f"{where}.{key} = {value!r} is not in Nomad's documented JSON"
                continue
            if documented[key] is None:
                assert value in (None, "", 0, False), f"{where}.{key} = {value!r} but Nomad leaves it null"
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
    assert api["Networks"][0]["Mode"] == "bridge"
    assert api["Networks"][0]["DynamicPorts"] is None and api["Networks"][0]["ReservedPorts"] is None
    service = api["Services"][0]
    assert (service["Name"], service["PortLabel"]) == ("count-api", "9001")
    assert service["Connect"]["SidecarService"] == {"Tags": None, "Port": "", "Proxy": None,
                                                    "DisableDefaultTCPCheck": False, "Meta": None}
    assert api["Tasks"][0]["ShutdownDelay"] == 10 * S
    assert api["Tasks"][0]["Config"] == {"image": "hashicorpdev/counter-api:v3", "auth_soft_fail": True}
    network = dashboard["Networks"][0]
    assert network["ReservedPorts"] == [{"Label": "http", "Value": 9002, "To": 9002, "HostNetwork": ""}]
    assert network["DynamicPorts"] is None
    upstreams = dashboard["Services"][0]["Connect"]["SidecarService"]["Proxy"]["Upstreams"]
    assert [(u["DestinationName"], u["LocalBindPort"], u["Config"]) for u in upstreams] == [("count-api", 8080, None)]
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


@pytest.mark.parametrize("text, detail", [
    ("10", 'time: missing unit in duration "10"'),
    ("1x", 'time: unknown unit "x" in duration "1x"'),
    ("s", 'time: invalid duration "s"'),
    ("1m-1s", 'time: unknown unit "m-" in duration "1m-1s"'),
    ("", 'time: invalid duration ""'),
])
def test_bad_durations_are_errors_in_nomads_words(text, detail):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(job_with(task_body=f'kill_timeout = "{text}"'))
    assert str(raised.value).endswith(f"Unsuitable value type; Unsuitable duration value: {detail}")
    assert str(raised.value).startswith("input.hcl:9,2")  # the string's first part, as StartRange()


@pytest.mark.parametrize(
    "ports, reserved, dynamic",
    [
        ('port "http" {}', None, [{"Label": "http", "Value": 0, "To": 0, "HostNetwork": ""}]),
        ('port "http" { to = 8080 }', None, [{"Label": "http", "Value": 0, "To": 8080, "HostNetwork": ""}]),
        ('port "http" { static = 80 }', [{"Label": "http", "Value": 80, "To": 0, "HostNetwork": ""}], None),
        ('port "a" {\n static = 81 \n to = 8081 \n host_network = "public" }\n port "b" {}',
         [{"Label": "a", "Value": 81, "To": 8081, "HostNetwork": "public"}],
         [{"Label": "b", "Value": 0, "To": 0, "HostNetwork": ""}]),
    ],
)
def test_ports_split_into_reserved_and_dynamic(ports, reserved, dynamic):
    network = group_of(job_with(group_body=f'network {{\n mode = "bridge"\n {ports}\n}}'))["Networks"][0]
    assert network["Mode"] == "bridge"
    assert network["ReservedPorts"] == reserved
    assert network["DynamicPorts"] == dynamic


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
    db, cache = proxy["Upstreams"]
    assert (db["DestinationName"], db["LocalBindPort"], db["LocalBindAddress"], db["Datacenter"]) == (
        "db", 5432, "127.0.0.2", "dc2")
    assert db["MeshGateway"] == {"Mode": "local"} and cache["MeshGateway"] is None
    assert (cache["DestinationName"], cache["LocalBindPort"], cache["LocalBindAddress"]) == ("cache", 6379, "")
    assert proxy["Expose"] == {"Paths": [{"Path": "/metrics", "Protocol": "http", "LocalPathPort": 9102,
                                          "ListenerPort": "metrics"}], "Path": None}
    assert proxy["Config"] == {"protocol": "http", "envoy_stats_tags": ["a=b"]}
    task = service["Connect"]["SidecarTask"]
    assert (task["Driver"], task["Config"], task["ShutdownDelay"]) == ("raw_exec", {"command": "envoy"}, 2 * S)
    assert (task["Resources"]["CPU"], task["Resources"]["MemoryMB"], task["Resources"]["Cores"]) == (50, 64, None)
    assert task["KillTimeout"] is None and task["LogConfig"] is None  # filled only by Canonicalize


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
    # jobspec2 wraps an object written as an argument in a one-element list, as HCL1 decoded it
    assert config["labels"] == [{"com.example/team": "mesh"}]


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
        {"LTarget": "", "RTarget": "true", "Operand": "distinct_hosts"},
        {"LTarget": "${attr.cpu.arch}", "RTarget": "amd64|arm64", "Operand": "regexp"},
        {"LTarget": "${attr.nomad.version}", "RTarget": ">= 1.6", "Operand": "version"},
        {"LTarget": "${meta.rack}", "RTarget": "", "Operand": "distinct_property"},
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
    assert group["Consul"] == {"Namespace": "", "Cluster": "default", "Partition": ""}
    assert group["PreventRescheduleOnLost"] is False
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
        (job_with(task_body="frobnicate {}"),
         'input.hcl:9,7-17: Unsupported block type; Blocks of type "frobnicate" are not expected here.'),
        (job_with(task_body="colour = \"red\""),
         'input.hcl:9,7-13: Unsupported argument; An argument named "colour" is not expected here.'),
        (job_with(task_body="usr = \"x\""),
         'Unsupported argument; An argument named "usr" is not expected here. Did you mean "user"?'),
        (job_with(task_body="env = 1\n env {}"), "Duplicate env block"),
        (job_with(group_body="network {\n port \"a\" {\n statik = 1\n }\n}"),
         'Unsupported argument; An argument named "statik" is not expected here. Did you mean "static"?'),
        (job_with(group_body="service {\n connect {\n sidecar_service {\n proxy {\n upstreams {\n"
                             " destination = \"x\"\n }\n }\n }\n }\n}"),
         'Unsupported argument; An argument named "destination" is not expected here.'),
        (job_with(group_body="update {}\nupdate {}"),
         "input.hcl:6,1-7: Duplicate update block; Only one update block is allowed. Another was defined at "
         "input.hcl:5,5-11."),
        (job_with(group_body="task {\n driver = \"raw_exec\"\n}"),
         "Missing name for task; All task blocks must have 1 labels (name)."),
        (job_with(group_body="network \"n\" {}"),
         "Extraneous label for network; No labels are expected for network blocks."),
        (job_with(group_body="count = \"many\""), "Unsuitable value type; Unsuitable value: a number is required"),
        (job_with(group_body="count = 1.5"), "Unsuitable value: value must be a whole number, between"),
        (job_with(group_body="network = {}"),
         'Unsupported argument; An argument named "network" is not expected here. Did you mean to define a block '
         'of type "network"?'),
        (job_with(group_body="service {\n meta = { a = 1 }\n}"),
         'An argument named "meta" is not expected here. Did you mean to define a block of type "meta"?'),
        (job_with(task_body='action "dump" {\n args = []\n}'),
         'Missing required argument; The argument "command" is required, but no definition was found.'),
        (job_with(task_body="count {}"),
         'Unsupported block type; Blocks of type "count" are not expected here.'),
        (job_with(group_body="count {}"),
         'Blocks of type "count" are not expected here. Did you mean to define argument "count"? If so, use the '
         "equals sign to assign it a value."),
        (job_with(task_body="user = nosuch(1)"), 'Call to unknown function; There is no function named "nosuch".'),
        (job_with(task_body="user = tostring(1)"), 'There is no function named "tostring".'),
        (job_with(task_body="user = file(\"x\")"), "filesystem function disabled"),
        ('variable "x" {}\n' + job_with(), '<nil>: Unset variable "x"; A used variable must be set or have a '
                                          "default value"),
        ('varible "x" {}\n' + job_with(), 'Blocks of type "varible" are not expected here. Did you mean "variables"?'),
        ("", "<nil>: Missing job block; A job block is required"),
        (job_with() + job_with(), 'Duplicate job block; Only one block of type "job" is allowed. Previous '
                                  "definition was at input.hcl:2,1-8."),
        ('job {\n}', "Missing name for job; All job blocks must have 1 labels (name)."),
        ('job "a" {\n count = 1\n count = 2\n}', 'input.hcl:3,2-7: Attribute redefined; The argument "count" was '
                                               "already set at input.hcl:2,2-7. Each argument may be set only once."),
    ],
)
def test_invalid_input_is_an_error_in_hcls_words(hcl, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(hcl)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "hcl, line",
    [
        ('job "x" {\n  group "g" {\n    count = \n  }\n}\n', 3),
        ('job "x" {\n  datacenters = ["dc1",\n}\n', 3),
        ('job "x" {\n  "quoted" = 1\n}\n', 2),
    ],
)
def test_syntax_errors_name_the_line(hcl, line):
    """Where python-hcl2 and HCL disagree on texts, the line still points at the mistake."""
    with pytest.raises(JobspecError, match=rf"^input.hcl:{line},\d+-\d+: ") as raised:
        parse_jobspec(hcl)
    assert "\n" not in str(raised.value)
    assert raised.value.line == line


@pytest.mark.parametrize("body, message", [
    ('network {\n port "x" { static = 1 to = 2 }\n}',
     "input.hcl:6,24-26: Invalid single-argument block definition; A single-line block definition must end with a "
     "closing brace immediately after its single argument definition."),
    ('network {\n port "x" { static = 1\n }\n}',
     "input.hcl:6,23-7,1: Invalid single-argument block definition; An argument definition on the same line as its "
     "containing block creates a single-line block definition, which must also be closed on the same line."),
    ('network { port "x" {} }', 'Argument definition required; A single-line block definition can contain only a '
                                'single argument. If you meant to define argument "port", use an equals sign'),
    ('count = 1 shutdown_delay = "1s"', "Missing newline after argument; An argument definition must end with a "
                                        "newline."),
    ('network {} network {}', "Missing newline after block definition; A block definition must end with a newline."),
    ('network\n{\n}', 'Invalid block definition; A block definition must have block content delimited by "{" and '
                     '"}", starting on the same line as the block header.'),
])
def test_hcl_line_structure_rules(body, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(job_with(group_body=body))
    assert message in str(raised.value)


def test_single_line_blocks_with_one_argument_are_fine():
    group = group_of(job_with(group_body='network {\n port "x" { static = 1 }\n port "y" {}\n}\nrestart { attempts = 1 }'))
    assert group["Networks"][0]["ReservedPorts"][0]["Value"] == 1 and group["RestartPolicy"]["Attempts"] == 1


@pytest.mark.parametrize("hcl, message", [
    ('job "x" {\n  "quoted" = 1\n}\n', "input.hcl:2,3-4: Invalid argument name; Argument names must not be quoted."),
    ('job "x" {\n  meta {\n    "a.b" = "1"\n  }\n}\n', "Invalid argument name; Argument names must not be quoted."),
    ('job "x" {\n  region = "a\nb"\n}\n', "input.hcl:2,14-3,1: Invalid multi-line string; Quoted strings may not be "
                                         "split over multiple lines."),
    ('job "x" {\n  meta = { a = 1 b = 2 }\n}\n', "input.hcl:2,18-19: Missing attribute separator; Expected a "
                                                "newline or comma to mark the beginning of the next attribute."),
    ('job "x" {\n}\n}\n', "input.hcl:3,1-2: Argument or block definition required; An argument or block "
                            "definition is required here."),
    ('job "x" {\n  datacenters = ["a" "b"]\n}\n', "input.hcl:2,22-23: Missing item separator; Expected a comma to "
                                                  "mark the beginning of the next item."),
    ('job "x" {\n  priority = 1,\n}\n', "input.hcl:2,15-16: Missing newline after argument; An argument definition "
                                        "must end with a newline."),
    ('job "x" {\n  region 1\n}\n', 'input.hcl:2,3-9: Argument or block definition required; An argument or block '
                                     'definition is required here. To set an argument, use the equals sign "=" to '
                                     "introduce the argument value."),
])
def test_syntax_errors_hcl_names(hcl, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(hcl)
    assert message in str(raised.value)


def test_an_unclosed_block_is_hcls_error():
    with pytest.raises(JobspecError, match="Unclosed configuration block"):
        parse_jobspec('job "x" {\n  group "g" {\n')


def test_non_string_input_is_a_clear_error():
    with pytest.raises(JobspecError, match="jobspec must be a string"):
        parse_jobspec(None)


def test_pointer_fields_without_optional_are_not_required():
    """gohcl requires a `hcl:"x"` attribute only on non-pointer fields: change_script needs no fail_on_error."""
    task = task_of(job_with(task_body='template {\n data = "x"\n destination = "local/x"\n change_mode = "script"\n'
                                      ' change_script {\n command = "/bin/reload"\n }\n wait {\n min = "2s"\n }\n}'),
                   canonicalize=True)
    template = task["Templates"][0]
    assert template["ChangeScript"] == {"Command": "/bin/reload", "Args": [], "Timeout": 5 * S, "FailOnError": False}
    assert template["Wait"] == {"Min": 2 * S, "Max": None}


def test_every_rendered_job_of_ours_parses():
    """The deployer's golden renderings (tests/jobs/golden) are what devagent is sent."""
    golden = sorted((Path(__file__).parents[1] / "jobs" / "golden").glob("*/*.nomad.hcl"))
    assert golden
    for path in golden:
        job = parse_jobspec(path.read_text())
        assert job["ID"] == path.name.removesuffix(".nomad.hcl")
        assert job["TaskGroups"][0]["Services"][0]["Connect"]["SidecarService"] is not None


def test_group_vault_is_every_tasks_default_and_the_last_one_wins():
    """jobspec2 reads a group's vault blocks one after another; a task's own vault stays its own."""
    group = group_of(job_with(group_body='vault {\n policies = ["a"]\n}\nvault {\n policies = ["b"]\n}'))
    assert group["Tasks"][0]["Vault"]["Policies"] == ["b"]
    with pytest.raises(JobspecError, match="Duplicate vault block"):
        parse_jobspec(job_with(task_body='vault {\n policies = ["a"]\n}\nvault {\n policies = ["b"]\n}'))


def test_every_unsupported_argument_of_the_job_is_reported_one_per_line_as_jobspec2_does():
    import pytest as _pytest
    from devagent.jobspec import JobspecError, parse_jobspec
    text = ('job "j" {\n  colour = "red"\n  flavour = 1\n  group "g" {\n    task "t" {\n'
            '      driver = "raw_exec"\n      sparkle = true\n    }\n  }\n}\n')
    with _pytest.raises(JobspecError) as raised:
        parse_jobspec(text)
    assert str(raised.value).splitlines() == [
        'input.hcl:2,3-9: Unsupported argument; An argument named "colour" is not expected here.',
        'input.hcl:3,3-10: Unsupported argument; An argument named "flavour" is not expected here.',
        'input.hcl:7,7-14: Unsupported argument; An argument named "sparkle" is not expected here.']


@pytest.mark.parametrize("type_text, detail", [
    ("any", 'The keyword "any" cannot be used in this type specification: an exact type is required.'),
    ("map(any)", 'The keyword "any" cannot be used in this type specification: an exact type is required.'),
    ("list", "The list type constructor requires one argument specifying the element type."),
    ("object({a = string, b = optional(number)})",
     "Optional attribute modifier is only for type constraints, not for exact types."),
    ("string(1)", 'Primitive type keyword "string" does not expect arguments.'),
    ("frobnicate(string)", 'Keyword "frobnicate" is not a valid type constructor.'),
])
def test_a_variable_takes_an_exact_type_as_typeexpr_type_reads_it(type_text, detail):
    from devagent.jobspec import JobspecError, parse_jobspec
    with pytest.raises(JobspecError, match="Invalid type specification; " + re.escape(detail)):
        parse_jobspec(f'variable "v" {{\n  type = {type_text}\n}}\njob "j" {{\n}}\n')


def test_object_and_set_variables_convert_as_cty_does():
    from devagent.jobspec import JobspecError, parse_jobspec
    job = parse_jobspec('variable "ports" {\n  type = list(object({name = string, port = number}))\n'
                        '  default = [{name = "web", port = "80", extra = true}]\n}\n'
                        'variable "dcs" {\n  type = set(string)\n  default = ["dc2", "dc1", "dc2"]\n}\n'
                        'job "j" {\n  datacenters = var.dcs\n  meta = { p = jsonencode(var.ports) }\n}\n',
                        canonicalize=False)
    assert job["Datacenters"] == ["dc1", "dc2"]
    assert job["Meta"] == {"p": '[{"name":"web","port":80}]'}
    with pytest.raises(JobspecError, match='not compatible with the variable\'s type constraint: attribute "port" '
                                           'is required'):
        parse_jobspec('variable "o" {\n  type = object({name = string, port = number})\n'
                      '  default = {name = "web"}\n}\njob "j" {\n}\n')


def test_identifiers_may_be_unicode_as_in_hcl():
    from devagent.jobspec import parse_jobspec
    job = parse_jobspec('job "j" {\n  meta {\n    größe = "xl"\n    ключ = "v"\n  }\n}\n', canonicalize=False)
    assert job["Meta"] == {"größe": "xl", "ключ": "v"}
