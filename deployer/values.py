"""Load a values file that describes the whole mesh, check it strictly, and type it."""

from __future__ import annotations

import copy
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from deployer.errors import DeployerError
from deployer.graph import find_cycle

JOBS_DIR = Path(__file__).resolve().parent.parent / "jobs"
DEFAULT_VALUES = JOBS_DIR / "values" / "dev.yaml"

_REQUIRED = object()
_SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
_DATACENTER_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_MODULE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.hcl\.j2$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
# Control characters a process environment or a rendered job cannot carry (tab and newline can).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Bounds past which a values file would wreck a dev mesh rather than describe one.
MAX_COUNT = 50  # allocations per service
SIDECAR_MEMORY_MB = 128  # what Nomad reserves for each Connect sidecar task by default
MAX_DURATIONS = {  # seconds
    "shutdown_delay": 30,  # devagent caps it there too; `destroy` waits 60s for allocations to stop
    "update.min_healthy_time": 10 * 60,
    "update.healthy_deadline": 60 * 60,
    "update.progress_deadline": 2 * 60 * 60,
    "restart.interval": 24 * 60 * 60,
    "restart.delay": 10 * 60,
    "check.interval": 5 * 60,
    "check.timeout": 60,
}


class ValuesError(DeployerError):
    """A values file is unreadable or invalid: one line naming the file and the key."""


@dataclass(frozen=True)
class Upstream:
    """A service this one calls through its sidecar, listening on local_bind_port."""

    name: str
    local_bind_port: int


@dataclass(frozen=True)
class Resources:
    """CPU (MHz) and memory (MB) reserved for a task."""

    cpu: int
    memory: int


@dataclass(frozen=True)
class EdgeCheck:
    """What `deployer verify` asks of an edge service through the port Nomad published for it."""

    path: str = "/"
    status: int = 200
    # Dotted paths into the JSON answer -> the value expected there (None: present, any value).
    json: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Service:
    """One service of the mesh: one Nomad job with one group and one task."""

    name: str
    app: str
    port: int
    static_port: int | None
    count: int
    upstreams: tuple[Upstream, ...]
    tags: tuple[str, ...]
    resources: Resources
    env: dict[str, str] = field(hash=False)
    template: str | None
    image: str | None
    edge_check: EdgeCheck


@dataclass(frozen=True)
class IntentionRule:
    """Whether source may call destination ("*" stands for any service)."""

    source: str
    destination: str
    action: str


@dataclass(frozen=True)
class IntentionPolicy:
    """The default for pairs without a rule, and the explicit rules."""

    default: str
    rules: tuple[IntentionRule, ...]


@dataclass(frozen=True)
class MeshValues:
    """A checked values file: typed services and intentions, plus the merged raw mapping."""

    path: Path
    services: dict[str, Service] = field(hash=False)
    intentions: IntentionPolicy
    data: dict = field(hash=False)


class _Errors:
    """Raises ValuesError for one file, naming the key path."""

    def __init__(self, path: Path):
        self.file = _display(path)

    def fail(self, key: str, message: str, hint: str = "") -> NoReturn:
        where = f"{self.file}: {key}: " if key else f"{self.file}: "
        raise ValuesError(where + message, hint or "fix the value in the file, or see jobs/values/dev.yaml")


def _display(path: Path) -> str:
    """The path as people typed it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _join(key: str, child: str | int) -> str:
    if isinstance(child, int):
        return f"{key}[{child}]"
    return f"{key}.{child}" if key else child


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def duration_seconds(text: str) -> float:
    """Seconds in a Go duration string such as "1m30s"; ValueError if it is not one."""
    parts = _DURATION_PART.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts)


# --- schema kinds: each checks one value and returns it with defaults filled in ---


class _Int:
    def __init__(self, low: int | None = None, high: int | None = None):
        self.low, self.high = low, high

    def check(self, value, key, errors):
        if isinstance(value, bool) or not isinstance(value, int):
            errors.fail(key, f"expected an integer, got {_show(value)}")
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            bounds = f"between {self.low} and {self.high}" if self.high is not None else f"at least {self.low}"
            errors.fail(key, f"expected an integer {bounds}, got {value}")
        return value


class _Bool:
    def check(self, value, key, errors):
        if not isinstance(value, bool):
            errors.fail(key, f"expected true or false, got {_show(value)}")
        return value


class _Str:
    def __init__(self, pattern: re.Pattern | None = None, what: str = "a string"):
        self.pattern, self.what = pattern, what

    def check(self, value, key, errors):
        if not isinstance(value, str):
            errors.fail(key, f"expected {self.what}, got {_show(value)}",
                        "quote numbers and booleans that are meant as strings")
        if self.pattern is not None and not self.pattern.match(value):
            errors.fail(key, f"expected {self.what}, got {_show(value)}")
        if "\x00" in value:
            errors.fail(key, f"contains a NUL character: {_show(value)}", "remove it: no process or job can carry it")
        return value


class _Enum:
    def __init__(self, *choices: str):
        self.choices = choices

    def check(self, value, key, errors):
        if value not in self.choices or not isinstance(value, str):
            errors.fail(key, f"expected one of {', '.join(self.choices)}, got {_show(value)}")
        return value


class _Duration:
    def check(self, value, key, errors):
        try:
            duration_seconds(value if isinstance(value, str) else "")
        except ValueError:
            errors.fail(key, f"expected a duration such as \"5s\" or \"1m30s\", got {_show(value)}")
        return value


class _Scalar:
    def check(self, value, key, errors):
        if value is not None and not isinstance(value, (str, int, float, bool)):
            errors.fail(key, f"expected a string, number, boolean or null, got {_show(value)}")
        return value


class _Optional:
    def __init__(self, kind):
        self.kind = kind

    def check(self, value, key, errors):
        return None if value is None else self.kind.check(value, key, errors)


class _List:
    def __init__(self, item):
        self.item = item

    def check(self, value, key, errors):
        if not isinstance(value, list):
            errors.fail(key, f"expected a list, got {_show(value)}")
        return [self.item.check(item, _join(key, i), errors) for i, item in enumerate(value)]


class _Map:
    def __init__(self, value_kind, key_pattern: re.Pattern, key_what: str, min_items: int = 0):
        self.value_kind, self.key_pattern, self.key_what, self.min_items = value_kind, key_pattern, key_what, min_items

    def check(self, value, key, errors):
        if not isinstance(value, dict):
            errors.fail(key, f"expected a mapping, got {_show(value)}")
        if len(value) < self.min_items:
            errors.fail(key, f"expected at least {self.min_items} entry")
        checked = {}
        for name, item in value.items():
            if not isinstance(name, str) or not self.key_pattern.match(name):
                errors.fail(_join(key, str(name)), f"expected the key to be {self.key_what}")
            checked[name] = self.value_kind.check(item, _join(key, name), errors)
        return checked


class _Record:
    """A mapping with known keys: unknown keys are errors, missing ones get their default."""

    def __init__(self, **fields):
        self.fields = fields

    def check(self, value, key, errors):
        if not isinstance(value, dict):
            errors.fail(key, f"expected a mapping, got {_show(value)}")
        for name in value:
            if name not in self.fields:
                close = difflib.get_close_matches(str(name), self.fields, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(self.fields)}"
                errors.fail(_join(key, str(name)), "unknown key", hint)
        checked = {}
        for name, (kind, default) in self.fields.items():
            if name in value:
                checked[name] = kind.check(value[name], _join(key, name), errors)
            elif default is _REQUIRED:
                errors.fail(_join(key, name), "missing required key")
            else:
                checked[name] = kind.check(copy.deepcopy(default), _join(key, name), errors)
        return checked


def _key(kind, default=_REQUIRED):
    """A record field: its kind and its default (required when there is none)."""
    return (kind, default)


# Set by the deployer for apps that have no group port (see deployer/render.py).
RESERVED_ENV = "PORT"

DEFAULT_EDGE_CHECK = EdgeCheck()  # what verify asks of an edge service whose values declare no edge_check
_URL_PATH = re.compile(r"^/[^\s]*$")
_JSON_PATH = re.compile(r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")
_PORT = _Int(1, 65535)
_ENV = _Map(_Str(what="a string"), _ENV_NAME, "an environment variable name")

_SERVICE = _Record(
    app=_key(_Optional(_Str(_MODULE_NAME, "a Python module name under services/")), None),
    template=_key(_Optional(_Str(_TEMPLATE_NAME, "a template file name ending in .hcl.j2")), None),
    image=_key(_Optional(_Str()), None),
    port=_key(_PORT),
    static_port=_key(_Optional(_PORT), None),
    count=_key(_Int(1), 1),
    upstreams=_key(_List(_Record(
        name=_key(_Str(_SERVICE_NAME, "a service name")),
        local_bind_port=_key(_PORT),
    )), []),
    tags=_key(_List(_Str()), []),
    resources=_key(_Record(cpu=_key(_Int(1), 100), memory=_key(_Int(10), 128)), {}),  # Nomad's minimums
    env=_key(_ENV, {}),
    edge_check=_key(_Record(
        path=_key(_Str(_URL_PATH, "a path starting with /"), DEFAULT_EDGE_CHECK.path),
        status=_key(_Int(100, 599), DEFAULT_EDGE_CHECK.status),
        json=_key(_Map(_Scalar(), _JSON_PATH, "a dotted path into the JSON answer"), DEFAULT_EDGE_CHECK.json),
    ), {}),
)

SCHEMA = _Record(
    datacenters=_key(_List(_Str(_DATACENTER_NAME, "a datacenter name")), ["dc1"]),
    runtime=_key(_Record(
        driver=_key(_Enum("raw_exec", "docker"), "raw_exec"),
        python=_key(_Optional(_Str()), None),
        pythonpath=_key(_Optional(_Str()), None),
    ), {}),
    env=_key(_ENV, {}),
    update=_key(_Record(
        max_parallel=_key(_Int(1), 1),
        health_check=_key(_Enum("checks", "task_states"), "checks"),
        min_healthy_time=_key(_Duration(), "10s"),
        healthy_deadline=_key(_Duration(), "5m"),
        progress_deadline=_key(_Duration(), "10m"),
        auto_revert=_key(_Bool(), True),
        canary=_key(_Int(0), 0),
        auto_promote=_key(_Bool(), False),
    ), {}),
    restart=_key(_Record(
        attempts=_key(_Int(0), 2),
        interval=_key(_Duration(), "30m"),
        delay=_key(_Duration(), "15s"),
        mode=_key(_Enum("fail", "delay"), "fail"),
    ), {}),
    shutdown_delay=_key(_Duration(), "5s"),
    sidecar_metrics_port=_key(_Optional(_PORT), None),
    check=_key(_Record(
        path=_key(_Str(re.compile(r"^/\S*$"), "a path starting with /"), "/health"),
        interval=_key(_Duration(), "10s"),
        timeout=_key(_Duration(), "2s"),
    ), {}),
    services=_key(_Map(_SERVICE, _SERVICE_NAME, "a service name (lowercase letters, digits, dashes)", 1)),
    intentions=_key(_Record(
        default=_key(_Enum("allow", "deny", "consul")),
        rules=_key(_List(_Record(
            source=_key(_Str()),
            destination=_key(_Str()),
            action=_key(_Enum("allow", "deny")),
        )), []),
    )),
)


# --- loading ---


class _StrictLoader(yaml.SafeLoader):
    """YAML loader that rejects a key written twice in one mapping."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is declared twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def deep_merge(base: dict, overrides: dict) -> dict:
    """A copy of base with overrides merged in: mappings merge, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _read_yaml(path: Path, errors: _Errors) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.fail("", "no such values file", "pass an existing file, e.g. jobs/values/dev.yaml")
    except (OSError, UnicodeDecodeError) as exc:
        errors.fail("", f"cannot read the values file: {getattr(exc, 'strerror', None) or exc}")
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        errors.fail("", f"{line}invalid YAML: {problem}", "check the indentation and quoting around that line")


def load_values(path: str | Path | None = None, overrides: dict | None = None) -> MeshValues:
    """Read, merge overrides into, check and type a values file (default: jobs/values/dev.yaml)."""
    path = Path(path) if path is not None else DEFAULT_VALUES
    errors = _Errors(path)
    raw = _read_yaml(path, errors)
    if not isinstance(raw, dict):
        errors.fail("", "expected a mapping of keys at the top level",
                    "start from jobs/values/dev.yaml")
    if overrides:
        raw = deep_merge(raw, overrides)
    data = SCHEMA.check(raw, "", errors)
    for name, svc in data["services"].items():
        svc["app"] = svc["app"] or name.replace("-", "_")
    _check_semantics(data, errors)
    return MeshValues(path=path, services=_services(data), intentions=_intentions(data), data=data)


def _services(data: dict) -> dict[str, Service]:
    return {
        name: Service(
            name=name,
            app=svc["app"],
            port=svc["port"],
            static_port=svc["static_port"],
            count=svc["count"],
            upstreams=tuple(Upstream(u["name"], u["local_bind_port"]) for u in svc["upstreams"]),
            tags=tuple(svc["tags"]),
            resources=Resources(**svc["resources"]),
            env=dict(svc["env"]),
            template=svc["template"],
            image=svc["image"],
            edge_check=EdgeCheck(**svc["edge_check"]),
        )
        for name, svc in data["services"].items()
    }


def _intentions(data: dict) -> IntentionPolicy:
    section = data["intentions"]
    rules = tuple(IntentionRule(r["source"], r["destination"], r["action"]) for r in section["rules"])
    return IntentionPolicy(default=section["default"], rules=rules)


# --- checks that span several keys ---


def _check_edge_checks(services: dict, errors: _Errors) -> None:
    """An edge check is made through the published port: only a service with static_port has one."""
    for name, svc in services.items():
        if svc["static_port"] is None and EdgeCheck(**svc["edge_check"]) != DEFAULT_EDGE_CHECK:
            errors.fail(f"services.{name}.edge_check", "only an edge service (one with static_port) is checked",
                        "set static_port, or remove edge_check")


def _check_semantics(data: dict, errors: _Errors) -> None:
    _check_upstreams(data["services"], errors)
    _check_cycles(data["services"], errors)
    _check_ports(data["services"], errors, data["sidecar_metrics_port"])
    _check_intentions(data["services"], data["intentions"]["rules"], errors)
    _check_timings(data, errors)
    _check_reserved_env(data, errors)
    _check_env_characters(data, errors)
    _check_counts(data["services"], errors)
    _check_duration_limits(data, errors)
    _check_edge_checks(data["services"], errors)
    if data["runtime"]["driver"] == "docker":
        for name, svc in data["services"].items():
            if not svc["image"]:
                errors.fail(f"services.{name}.image", "missing: the docker driver needs an image",
                            "set image, e.g. registry.example.com/mesh/<app>:1.0.0")


def _check_upstreams(services: dict, errors: _Errors) -> None:
    for name, svc in services.items():
        seen = set()
        for i, upstream in enumerate(svc["upstreams"]):
            key = f"services.{name}.upstreams[{i}].name"
            target = upstream["name"]
            if target not in services:
                close = difflib.get_close_matches(target, services, n=1)
                errors.fail(key, f"unknown service {target!r}",
                            f"did you mean '{close[0]}'?" if close else f"services are: {', '.join(services)}")
            if target in seen:
                errors.fail(key, f"upstream {target!r} is listed twice")
            seen.add(target)


def _check_cycles(services: dict, errors: _Errors) -> None:
    loop = find_cycle({name: [u["name"] for u in svc["upstreams"]] for name, svc in services.items()})
    if loop:
        caller, called = loop[-2], loop[-1]  # the call that closes the loop
        index = [u["name"] for u in services[caller]["upstreams"]].index(called)
        errors.fail(f"services.{caller}.upstreams[{index}].name", f"upstream cycle {' -> '.join(loop)}",
                    "upstreams must form a chain or tree so the jobs can be applied in order")


def _check_ports(services: dict, errors: _Errors, metrics_port: int | None = None) -> None:
    """Port clashes a real Nomad would hit: each group has its own network namespace.

    Host ports (static_port) are shared by every group on a node; inside one group the app
    and its sidecar's upstream listeners share the namespace's loopback. In-group ports and
    local_bind_ports of different services may repeat.
    """
    published: dict[int, str] = {}
    for name, svc in services.items():
        static = svc["static_port"]
        if static is not None:
            key = f"services.{name}.static_port"
            if static in published:
                errors.fail(key, f"host port {static} is already published by {published[static]}",
                            "two groups cannot publish the same static port on one node")
            published[static] = key
        in_group = {svc["port"]: f"services.{name}.port"}
        if metrics_port is not None:
            if metrics_port in in_group:
                errors.fail("sidecar_metrics_port", f"port {metrics_port} is already used by {in_group[metrics_port]}",
                            "the sidecar's metrics listener shares the group's network namespace with the app")
            in_group[metrics_port] = "sidecar_metrics_port"
        for i, upstream in enumerate(svc["upstreams"]):
            key, port = f"services.{name}.upstreams[{i}].local_bind_port", upstream["local_bind_port"]
            if port in in_group:
                errors.fail(key, f"port {port} is already used by {in_group[port]} in the same group",
                            "the app and its upstream listeners share the group's network namespace")
            in_group[port] = key


def _check_intentions(services: dict, rules: list, errors: _Errors) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, rule in enumerate(rules):
        for end in ("source", "destination"):
            name = rule[end]
            if name != "*" and name not in services:
                errors.fail(f"intentions.rules[{i}].{end}", f"unknown service {name!r}",
                            f"use a service name ({', '.join(services)}) or \"*\"")
        pair = (rule["source"], rule["destination"])
        if pair in seen:
            errors.fail(f"intentions.rules[{i}]", f"{pair[0]} -> {pair[1]} already has a rule "
                        f"(intentions.rules[{seen[pair]}])", "keep one rule per source and destination")
        seen[pair] = i


def _check_reserved_env(data: dict, errors: _Errors) -> None:
    """PORT tells an app without a group port where to listen: the deployer sets it from `port`."""
    places = [("env", data["env"])] + [(f"services.{n}.env", s["env"]) for n, s in data["services"].items()]
    for key, env in places:
        if RESERVED_ENV in env:
            errors.fail(f"{key}.{RESERVED_ENV}", "is set by the deployer from the service's port",
                        "set services.<name>.port instead")


def _check_env_characters(data: dict, errors: _Errors) -> None:
    """Environment values reach the task's process: control characters (NUL above all) cannot."""
    places = [("env", data["env"])] + [(f"services.{n}.env", s["env"]) for n, s in data["services"].items()]
    for key, env in places:
        for name, value in env.items():
            bad = _CONTROL.search(value)
            if bad:
                errors.fail(f"{key}.{name}", f"contains the control character {bad.group()!r}",
                            "environment values may contain tabs and newlines, no other control characters")


def machine_memory_mb() -> int:
    """This machine's memory in MB (0 when unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError):
        return 0


def _check_counts(services: dict, errors: _Errors) -> None:
    """A count no dev machine holds: over MAX_COUNT, or more memory than this machine has."""
    memory = machine_memory_mb()
    for name, svc in services.items():
        count, task_mb = svc["count"], svc["resources"]["memory"]
        if count > MAX_COUNT:
            errors.fail(f"services.{name}.count", f"{count} is more than the limit of {MAX_COUNT} allocations "
                        "per service", f"a dev mesh runs a few of each; use at most {MAX_COUNT}")
        needed = count * (task_mb + SIDECAR_MEMORY_MB)
        if memory and needed > memory:
            key = f"services.{name}.resources.memory" if count == 1 else f"services.{name}.count"
            errors.fail(key, f"{count} x ({task_mb} MB + {SIDECAR_MEMORY_MB} MB for the sidecar) = {needed} MB is "
                        f"more than this machine's memory ({memory} MB)",
                        "lower the count or resources.memory; Nomad would fail the placement (memory exhausted)")


def _check_duration_limits(data: dict, errors: _Errors) -> None:
    """Durations past MAX_DURATIONS: a stop, a deployment or a restart that would seem to hang."""
    for key, limit in MAX_DURATIONS.items():
        value = data
        for part in key.split("."):
            value = value[part]
        if duration_seconds(value) > limit:
            errors.fail(key, f"{value} is longer than the limit of {_limit_text(limit)}",
                        f"use at most {_limit_text(limit)}")


def _limit_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n) or "0s"


def _check_timings(data: dict, errors: _Errors) -> None:
    """The constraints Nomad's own job validation would reject, caught with the key named."""
    seconds = duration_seconds
    update, restart, check = data["update"], data["restart"], data["check"]
    if seconds(update["min_healthy_time"]) >= seconds(update["healthy_deadline"]):
        errors.fail("update.min_healthy_time", "must be shorter than update.healthy_deadline")
    if update["auto_promote"] and not update["canary"]:
        errors.fail("update.auto_promote", "needs update.canary of at least 1 (Nomad: Auto Promote requires a "
                    "Canary count greater than zero)")
    if seconds(update["progress_deadline"]) and (
            seconds(update["healthy_deadline"]) >= seconds(update["progress_deadline"])):
        errors.fail("update.healthy_deadline", "must be shorter than update.progress_deadline")
    if seconds(restart["interval"]) < 5:
        errors.fail("restart.interval", "must be at least 5s")
    if restart["attempts"] * seconds(restart["delay"]) > seconds(restart["interval"]):
        errors.fail("restart.interval", "must fit restart.attempts times restart.delay")
    if restart["attempts"] == 0 and restart["mode"] != "fail":
        errors.fail("restart.mode", "must be \"fail\" when restart.attempts is 0")
    for key in ("interval", "timeout"):
        if seconds(check[key]) < 1:
            errors.fail(f"check.{key}", "must be at least 1s")
