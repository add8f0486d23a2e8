"""Values files: the shipped ones load, the schema rejects bad input naming file and key."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from deployer.values import (
    DEFAULT_VALUES,
    SCHEMA,
    IntentionPolicy,
    IntentionRule,
    MeshValues,
    Upstream,
    ValuesError,
    deep_merge,
    duration_seconds,
    load_values,
)


def test_default_values_file_is_dev_yaml():
    values = load_values()
    assert DEFAULT_VALUES.name == "dev.yaml" and DEFAULT_VALUES.parent.name == "values"
    assert isinstance(values, MeshValues)
    assert values.path == DEFAULT_VALUES


def test_dev_values_describe_the_tutorial_mesh():
    values = load_values()
    order, invoice, tax = (values.services[n] for n in ("order", "invoice", "tax"))
    assert [order.port, invoice.port, tax.port] == [5000, 5001, 5002]
    assert [order.static_port, invoice.static_port, tax.static_port] == [5000, None, None]
    assert order.upstreams == (Upstream("invoice", 6001),)
    assert invoice.upstreams == (Upstream("tax", 6002),)
    assert tax.upstreams == ()
    assert {s.app for s in values.services.values()} == {"order", "invoice", "tax"}
    assert values.intentions == IntentionPolicy(default="consul", rules=(
        IntentionRule("order", "invoice", "allow"), IntentionRule("invoice", "tax", "allow")))
    assert values.data["datacenters"] == ["dc1"]
    assert values.data["runtime"] == {"driver": "raw_exec", "python": None, "pythonpath": None}


def test_dev_values_are_fast_enough_for_a_cold_apply_in_seconds():
    data = load_values().data
    seconds = {key: duration_seconds(data["update"][key])
               for key in ("min_healthy_time", "healthy_deadline", "progress_deadline")}
    assert seconds["min_healthy_time"] <= 1
    assert 30 <= seconds["healthy_deadline"] <= 120
    assert seconds["healthy_deadline"] < seconds["progress_deadline"] <= 300
    assert duration_seconds(data["check"]["interval"]) <= 1
    assert duration_seconds(data["check"]["timeout"]) <= 1
    assert duration_seconds(data["shutdown_delay"]) <= 1


def test_prod_values_are_a_realistic_cluster():
    values = load_values(DEFAULT_VALUES.with_name("prod.yaml"))
    assert values.data["runtime"]["driver"] == "docker"
    assert values.intentions.default == "deny"
    assert {(r.source, r.destination, r.action) for r in values.intentions.rules} == {
        ("order", "invoice", "allow"), ("invoice", "tax", "allow")}
    for service in values.services.values():
        assert service.count >= 2
        assert service.image and service.image.startswith("registry.example.com/mesh/")
        assert service.resources.cpu >= 250 and service.resources.memory >= 128
    assert duration_seconds(values.data["update"]["min_healthy_time"]) >= 10


def _schema_keys(kind, prefix=""):
    """Every key path the schema declares, with services.* for per-service keys."""
    fields = getattr(kind, "fields", None)
    if fields is None:
        inner = getattr(kind, "value_kind", None) or getattr(kind, "item", None) or getattr(kind, "kind", None)
        return _schema_keys(inner, prefix + ".*") if inner is not None else []
    keys = []
    for name, (child, _default) in fields.items():
        path = f"{prefix}.{name}" if prefix else name
        keys.append(path)
        keys += _schema_keys(child, path)
    return keys


def test_dev_yaml_declares_every_schema_key_with_a_comment():
    lines = DEFAULT_VALUES.read_text().splitlines()
    data = yaml.safe_load(DEFAULT_VALUES.read_text())
    for path in _schema_keys(SCHEMA):
        node = data
        for part in path.split("."):
            if part == "*":
                node = node[0] if isinstance(node, list) else next(iter(node.values()))
                continue
            assert part in node, f"dev.yaml does not declare {path}"
            node = node[part]
    # The first line declaring each key has a comment on it or just above it.
    seen = set()
    for number, line in enumerate(lines):
        match = re.match(r"^\s*(?:- )?([a-z_]+):", line)
        if not match or match.group(1) in seen or match.group(1) in ("order", "invoice", "tax"):
            continue
        seen.add(match.group(1))
        commented = "#" in line or lines[number - 1].strip().startswith("#")
        assert commented, f"key {match.group(1)!r} has no comment"


# --- schema errors: each names the file and the key ---


def _drop(*path):
    def mutate(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
    return mutate


def _set(value, *path):
    def mutate(data):
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return mutate


SCHEMA_ERRORS = [
    # id, change to dev.yaml, key named, message fragment
    ("unknown top-level key", _set({}, "updates"), "updates", "unknown key"),
    ("misspelled service key", _set(5002, "services", "tax", "prot"), "services.tax.prot", "unknown key"),
    ("unknown nested key", _set(1, "update", "canaries"), "update.canaries", "unknown key"),
    ("string for an integer", _set("x", "services", "tax", "port"), "services.tax.port",
     "expected an integer, got 'x'"),
    ("bool for an integer", _set(True, "services", "tax", "count"), "services.tax.count", "expected an integer"),
    ("port out of range", _set(70000, "services", "tax", "port"), "services.tax.port", "between 1 and 65535"),
    ("zero count", _set(0, "services", "tax", "count"), "services.tax.count", "at least 1"),
    ("memory below Nomad's minimum", _set(5, "services", "tax", "resources", "memory"),
     "services.tax.resources.memory", "expected an integer at least 10, got 5"),
    ("bad enum", _set("maybe", "intentions", "default"), "intentions.default", "expected one of allow, deny"),
    ("number for a duration", _set(5, "update", "min_healthy_time"), "update.min_healthy_time",
     "expected a duration"),
    ("bad duration", _set("5 minutes", "restart", "delay"), "restart.delay", "expected a duration"),
    ("number for an env string", _set(1, "env", "PYTHONUNBUFFERED"), "env.PYTHONUNBUFFERED", "expected a string"),
    ("bad env name", _set({"NOT-VALID": "x"}, "services", "tax", "env"), "services.tax.env.NOT-VALID",
     "environment variable name"),
    ("mapping expected", _set(["a"], "update"), "update", "expected a mapping"),
    ("list expected", _set("invoice", "services", "order", "upstreams"), "services.order.upstreams",
     "expected a list"),
    ("bad service name", _set({"port": 5003}, "services", "Tax_2"), "services.Tax_2", "service name"),
    ("bad app module", _set("services.tax", "services", "tax", "app"), "services.tax.app", "Python module"),
    ("bad template name", _set("../x.hcl.j2", "services", "tax", "template"), "services.tax.template",
     "template file name"),
    ("missing port", _drop("services", "tax", "port"), "services.tax.port", "missing required key"),
    ("missing services", _drop("services"), "services", "missing required key"),
    ("missing intentions", _drop("intentions"), "intentions", "missing required key"),
    ("missing intention default", _drop("intentions", "default"), "intentions.default", "missing required key"),
    ("missing upstream port", _drop("services", "order", "upstreams", 0, "local_bind_port"),
     "services.order.upstreams[0].local_bind_port", "missing required key"),
    ("no services", _set({}, "services"), "services", "at least 1"),
    ("unknown upstream", _set([{"name": "taxes", "local_bind_port": 6002}], "services", "invoice", "upstreams"),
     "services.invoice.upstreams[0].name", "unknown service 'taxes'"),
    ("upstream listed twice", _set([{"name": "tax", "local_bind_port": 6002}, {"name": "tax", "local_bind_port": 6003}],
                                   "services", "invoice", "upstreams"),
     "services.invoice.upstreams[1].name", "listed twice"),
    ("cycle", _set([{"name": "order", "local_bind_port": 6003}], "services", "tax", "upstreams"),
     "services.tax.upstreams[0].name", "upstream cycle"),
    ("self cycle", _set([{"name": "tax", "local_bind_port": 6003}], "services", "tax", "upstreams"),
     "services.tax.upstreams[0].name", "upstream cycle tax -> tax"),
    ("same static port twice", _set(5000, "services", "invoice", "static_port"), "services.invoice.static_port",
     "host port 5000 is already published by services.order.static_port"),
    ("same local_bind_port twice in a service",
     _set([{"name": "invoice", "local_bind_port": 6001}, {"name": "tax", "local_bind_port": 6001}],
          "services", "order", "upstreams"),
     "services.order.upstreams[1].local_bind_port",
     "port 6001 is already used by services.order.upstreams[0].local_bind_port in the same group"),
    ("local_bind_port on the app port", _set([{"name": "tax", "local_bind_port": 5001}], "services", "invoice",
                                            "upstreams"),
     "services.invoice.upstreams[0].local_bind_port",
     "port 5001 is already used by services.invoice.port in the same group"),
    ("PORT in the global env", _set({"PORT": "1"}, "env"), "env.PORT", "set by the deployer"),
    ("PORT in a service env", _set({"PORT": "1"}, "services", "tax", "env"), "services.tax.env.PORT",
     "set by the deployer"),
    ("intention for an unknown service", _set("ordr", "intentions", "rules", 0, "source"),
     "intentions.rules[0].source", "unknown service 'ordr'"),
    ("intention pair twice", _set([{"source": "order", "destination": "invoice", "action": "allow"},
                                   {"source": "order", "destination": "invoice", "action": "deny"}],
                                  "intentions", "rules"),
     "intentions.rules[1]", "already has a rule"),
    ("docker without an image", _set("docker", "runtime", "driver"), "services.order.image", "needs an image"),
    ("min healthy time too long", _set("2m", "update", "min_healthy_time"), "update.min_healthy_time",
     "shorter than update.healthy_deadline"),
    ("healthy deadline past progress deadline", _set("3m", "update", "healthy_deadline"),
     "update.healthy_deadline", "shorter than update.progress_deadline"),
    ("restart attempts do not fit", _set("30s", "restart", "delay"), "restart.interval", "must fit"),
    ("check interval too short", _set("500ms", "check", "interval"), "check.interval", "at least 1s"),
]


@pytest.mark.parametrize("mutate, key, fragment", [case[1:] for case in SCHEMA_ERRORS],
                         ids=[case[0] for case in SCHEMA_ERRORS])
def test_schema_error_names_file_and_key(tmp_path, mutate, key, fragment):
    data = yaml.safe_load(DEFAULT_VALUES.read_text())
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ValuesError) as caught:
        load_values(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert fragment in message
    assert "\n" not in message
    assert caught.value.hint and "\n" not in caught.value.hint


def test_error_on_the_shipped_file_names_it_relative_to_the_checkout():
    with pytest.raises(ValuesError) as caught:
        load_values(overrides={"services": {"tax": {"port": "x"}}})
    assert str(caught.value) == "jobs/values/dev.yaml: services.tax.port: expected an integer, got 'x'"


def test_misspelled_key_hint_suggests_the_right_one():
    with pytest.raises(ValuesError) as caught:
        load_values(overrides={"services": {"tax": {"prot": 5002}}})
    assert caught.value.hint == "did you mean 'port'?"


@pytest.mark.parametrize("text, fragment", [
    ("services: {}\nservices: {}\n", "line 2: invalid YAML: key 'services' is declared twice"),
    ("services:\n  tax: [\n", "invalid YAML"),
    ("- just\n- a list\n", "expected a mapping of keys at the top level"),
    ("", "expected a mapping of keys at the top level"),
], ids=["duplicate key", "broken syntax", "top-level list", "empty file"])
def test_unreadable_yaml_is_one_line_naming_the_file(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ValuesError) as caught:
        load_values(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_is_one_line_with_a_hint(tmp_path):
    with pytest.raises(ValuesError) as caught:
        load_values(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: no such values file"
    assert "jobs/values/dev.yaml" in caught.value.hint


# --- overrides ---


def test_overrides_deep_merge_into_the_file():
    values = load_values(overrides={"services": {"order": {"static_port": 18080}}})
    order = values.services["order"]
    assert order.static_port == 18080
    assert order.port == 5000 and order.upstreams == (Upstream("invoice", 6001),)
    assert order.tags == ("edge",)
    assert values.data["services"]["order"]["static_port"] == 18080
    assert set(values.services) == {"order", "invoice", "tax"}
    assert load_values().services["order"].static_port == 5000


def test_overrides_replace_lists_and_add_services():
    overrides = {
        "services": {
            "tax": {"upstreams": [{"name": "audit", "local_bind_port": 6003}]},
            "audit": {"app": "tax", "port": 5003},
        },
        "intentions": {"rules": []},
    }
    values = load_values(overrides=overrides)
    assert values.services["tax"].upstreams == (Upstream("audit", 6003),)
    assert values.services["audit"].app == "tax"
    assert values.services["audit"].count == 1
    assert values.intentions.rules == ()
    assert values.intentions.default == "consul"


def test_overrides_are_checked_like_the_file():
    with pytest.raises(ValuesError, match=r"dev.yaml: services.invoice.static_port: host port 5000 is already "
                                          r"published by services.order.static_port"):
        load_values(overrides={"services": {"invoice": {"static_port": 5000}}})


def test_groups_may_reuse_in_group_ports_and_local_bind_ports():
    """Each group has its own network namespace on a real Nomad: these numbers do not meet."""
    overrides = {"services": {
        "order": {"port": 8080, "static_port": 5000, "upstreams": [{"name": "invoice", "local_bind_port": 7000}]},
        "invoice": {"port": 8080, "upstreams": [{"name": "tax", "local_bind_port": 7000}]},
        "tax": {"port": 7000},
    }}
    values = load_values(overrides=overrides)
    assert {s.port for s in values.services.values()} == {8080, 7000}


def test_deep_merge_leaves_its_inputs_alone():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    overrides = {"a": {"c": [3], "e": {"f": 1}}, "d": None}
    before = copy.deepcopy((base, overrides))
    assert deep_merge(base, overrides) == {"a": {"b": 1, "c": [3], "e": {"f": 1}}, "d": None}
    assert (base, overrides) == before


def test_app_defaults_to_the_service_name():
    values = load_values(overrides={"services": {"audit-log": {"port": 5003}}})
    assert values.services["audit-log"].app == "audit_log"
    assert values.services["tax"].app == "tax"


@pytest.mark.parametrize("text, seconds", [("1s", 1), ("500ms", 0.5), ("1m30s", 90), ("2h", 7200)])
def test_duration_seconds(text, seconds):
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "s", "1 s", "1d", "-1s"])
def test_duration_seconds_rejects(text):
    with pytest.raises(ValueError):
        duration_seconds(text)
