"""The values schema refuses what would wreck a dev mesh, naming the key and the limit, before anything is applied."""

import pytest
import yaml

from deployer import values as values_module
from deployer.values import DEFAULT_VALUES, MAX_COUNT, MAX_DURATIONS, ValuesError, load_values
from devagent.ports import free_port
from tests.deployer.cli_helpers import assert_one_error


def _set(value, *path):
    def mutate(data):
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return mutate


def _both(*mutations):
    def mutate(data):
        for mutation in mutations:
            mutation(data)
    return mutate


BOUNDS = [
    # id, change to dev.yaml, key named, message fragment
    ("count 1000", _set(1000, "services", "tax", "count"), "services.tax.count",
     f"1000 is more than the limit of {MAX_COUNT} allocations per service"),
    ("count one over the cap", _set(MAX_COUNT + 1, "services", "tax", "count"), "services.tax.count",
     f"limit of {MAX_COUNT}"),
    ("a terabyte of memory", _set(1_000_000_000_000, "services", "tax", "resources", "memory"),
     "services.tax.resources.memory", "more than this machine's memory"),
    ("shutdown_delay 10000h", _set("10000h", "shutdown_delay"), "shutdown_delay",
     "10000h is longer than the limit of 30s"),
    ("min_healthy_time 20m", _both(_set("20m", "update", "min_healthy_time"), _set("1h", "update", "healthy_deadline"),
                                   _set("2h", "update", "progress_deadline")),
     "update.min_healthy_time", "longer than the limit of 10m"),
    ("healthy_deadline 2h", _both(_set("2h", "update", "healthy_deadline"), _set("3h", "update", "progress_deadline")),
     "update.healthy_deadline", "2h is longer than the limit of 1h"),
    ("progress_deadline 10000h", _set("10000h", "update", "progress_deadline"), "update.progress_deadline",
     "limit of 2h"),
    ("restart interval a week", _set("168h", "restart", "interval"), "restart.interval", "limit of 24h"),
    ("restart delay an hour", _both(_set("1h", "restart", "delay"), _set("24h", "restart", "interval")),
     "restart.delay", "limit of 10m"),
    ("check interval 1h", _set("1h", "check", "interval"), "check.interval", "limit of 5m"),
    ("check timeout 2m", _set("2m", "check", "timeout"), "check.timeout", "limit of 1m"),
    ("NUL in a shared env value", _set("a\0b", "env", "GREETING"), "env.GREETING", "contains a NUL character"),
    ("escape in a service env value", _set("\x1b[31m", "services", "tax", "env", "COLOR"), "services.tax.env.COLOR",
     "control character '\\x1b'"),
    ("NUL in an env name", _set("x", "services", "tax", "env", "A\0B"), "services.tax.env.A\0B",
     "an environment variable name"),
    ("NUL in a tag", _set(["ok", "bad\0tag"], "services", "tax", "tags"), "services.tax.tags[1]", "NUL character"),
    ("NUL in the python path", _set("/usr/bin/python\0", "runtime", "python"), "runtime.python", "NUL character"),
]


def _broken(tmp_path, mutate):
    data = yaml.safe_load(DEFAULT_VALUES.read_text())
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=False))
    return path


@pytest.mark.parametrize("mutate, key, fragment", [case[1:] for case in BOUNDS], ids=[case[0] for case in BOUNDS])
def test_bounds_are_one_line_errors_naming_key_and_limit(tmp_path, mutate, key, fragment):
    path = _broken(tmp_path, mutate)
    with pytest.raises(ValuesError) as caught:
        load_values(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert fragment in message, message
    assert "\n" not in message and caught.value.hint and "\n" not in caught.value.hint


def test_count_times_memory_beyond_this_machine_names_both(tmp_path, monkeypatch):
    monkeypatch.setattr(values_module, "machine_memory_mb", lambda: 4096)
    path = _broken(tmp_path, _both(_set(20, "services", "tax", "count"), _set(128, "services", "tax", "resources", "memory")))
    with pytest.raises(ValuesError) as caught:
        load_values(path)
    assert str(caught.value) == (f"{path}: services.tax.count: 20 x (128 MB + 128 MB for the sidecar) = 5120 MB is "
                                 "more than this machine's memory (4096 MB)")
    assert "memory exhausted" in caught.value.hint


def test_what_fits_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setattr(values_module, "machine_memory_mb", lambda: 4096)
    mutate = _both(_set(15, "services", "tax", "count"), _set("30s", "shutdown_delay"),
                   _set("a\tb\nc", "env", "MULTILINE"), _set("1h", "update", "healthy_deadline"),
                   _set("2h", "update", "progress_deadline"))
    loaded = load_values(_broken(tmp_path, mutate))
    assert loaded.services["tax"].count == 15 and loaded.data["env"]["MULTILINE"] == "a\tb\nc"


def test_every_limited_duration_is_a_key_of_the_schema():
    data = load_values().data
    for key in MAX_DURATIONS:
        node = data
        for part in key.split("."):
            node = node[part]
        assert isinstance(node, str)


@pytest.mark.parametrize("command, code", [("apply", 1), ("plan", 255), ("render", 1)])
def test_the_cli_refuses_before_contacting_nomad(run_cli, tmp_path, command, code):
    path = _broken(tmp_path, _set(1000, "services", "tax", "count"))
    dead = f"http://127.0.0.1:{free_port()}"  # never contacted: the values are refused first
    result = run_cli(command, "--values", str(path), "--nomad-addr", dead)
    assert_one_error(result, code, "services.tax.count: 1000 is more than the limit")


def test_a_resource_placement_failure_names_the_dimension_and_what_was_asked():
    from deployer.placement import placement_sentence
    metric = {"NodesEvaluated": 1, "NodesExhausted": 1, "DimensionExhausted": {"memory": 1}, "CoalescedFailures": 2,
              "ResourcesExhausted": {"tax": {"CPU": 0, "MemoryMB": 3 * 1000}, "connect-proxy-tax": {"MemoryMB": 3 * 128}}}
    assert placement_sentence("tax", metric) == ("group tax failed to place: memory exhausted (1 node; each allocation "
                                                 "asks for 1128 MB, 3 not placed)")
