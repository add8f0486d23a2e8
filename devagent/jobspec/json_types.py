"""Type checks on a JSON job before canonicalizing it, as Go's JSON decoding would make them."""

from . import schema
from .errors import JobspecError

_EXPECTED = {
    "str": (str, "a string"),
    "int": (int, "a number"),
    "dur": (int, "a number of nanoseconds"),
    "float": ((int, float), "a number"),
    "bool": (bool, "a bool"),
    "strs": (list, "a list of strings"),
    "ints": (list, "a list of numbers"),
}
# JSON-only job fields set by the server, with their types.
_SERVER_FIELDS = {"Stop": "bool", "Version": "int", "CreateIndex": "int", "ModifyIndex": "int",
                  "JobModifyIndex": "int", "SubmitTime": "int", "Stable": "bool", "Status": "str",
                  "StatusDescription": "str", "ParentID": "str", "Dispatched": "bool"}


# Job features devagent does not implement: rejected when set, as the HCL parser rejects their blocks.
_UNSUPPORTED = {
    id(schema.JOB): ("Periodic", "Multiregion"),
    id(schema.GROUP): ("Volumes", "Scaling"),
    id(schema.TASK): ("Vault", "VolumeMounts", "CSIPluginConfig", "ScalingPolicies", "Secrets"),
    id(schema.CONNECT): ("Gateway",),
}


def check_json_types(job):
    """Raise JobspecError naming the first field whose JSON type Nomad could not decode."""
    if not isinstance(job, dict):
        raise JobspecError("job must be a JSON object")
    _check(job, schema.JOB, "Job", extra=_SERVER_FIELDS)


def _check(obj, spec, where, extra=None, label=None):
    if not isinstance(obj, dict):
        raise JobspecError(f"{where}: expected an object, got {_name(obj)}")
    for key in _UNSUPPORTED.get(id(spec), ()):
        if obj.get(key):
            raise JobspecError(f"{where}.{key}: unsupported by devagent")
    fields = dict(extra or {})
    fields.update({json: kind for json, kind in spec.attributes.values()})
    if label:
        fields[label] = "str"
    for key, kind in fields.items():
        value = obj.get(key)
        if value is None or kind == "any":
            continue
        wanted, text = _EXPECTED[kind]
        bad = not isinstance(value, wanted) or (wanted is int and isinstance(value, bool))
        if kind in ("strs", "ints") and not bad:
            item_type = str if kind == "strs" else int
            bad = not all(isinstance(item, item_type) and not isinstance(item, bool) for item in value)
        if bad:
            raise JobspecError(f"{where}.{key}: expected {text}, got {_name(value)}")
    for nested in spec.blocks.values():
        value = obj.get(nested.json)
        if value is None:
            continue
        here = f"{where}.{nested.json}"
        if nested.kind in ("map", "list_map"):
            _check_map(value, here, list_values=nested.kind == "list_map")
        elif nested.kind == "freeform":
            if not isinstance(value, dict):
                raise JobspecError(f"{here}: expected an object, got {_name(value)}")
        elif nested.repeated:
            if not isinstance(value, list):
                raise JobspecError(f"{here}: expected a list, got {_name(value)}")
            for index, item in enumerate(value):
                _check(item, nested.spec, f"{here}[{index}]", label=nested.label)
        else:
            _check(value, nested.spec, here)
    if spec is schema.NETWORK:
        for index, port in enumerate(obj.get("ReservedPorts") or []):
            _check(port, schema.PORT, f"{where}.ReservedPorts[{index}]", label="Label")


def _check_map(value, where, list_values):
    if not isinstance(value, dict):
        raise JobspecError(f"{where}: expected an object, got {_name(value)}")
    for key, item in value.items():
        if list_values:
            if not isinstance(item, list) or not all(isinstance(v, str) for v in item):
                raise JobspecError(f"{where}[{key}]: expected a list of strings, got {_name(item)}")
        elif not isinstance(item, str):
            raise JobspecError(f"{where}[{key}]: expected a string, got {_name(item)}")


def _name(value):
    return {dict: "an object", list: "a list", str: "a string", bool: "a bool", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)
