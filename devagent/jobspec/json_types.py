"""Go's encoding/json for api.Job: decode a JSON job as the agent does, and encode its full shape.

Decoding matches field names as Go does (exact, then case-insensitively), drops unknown
fields, and fails on a type mismatch with Go's own text. Decoded objects hold only the
fields that were given (None is a nil pointer). `shape` gives every field of the struct
its Go zero value (null for nil pointers, slices and maps), as Nomad's JSON answers do.
"""

from .api_types import STRUCTS
from .errors import JobspecError
from devagent.go_json import number_text
from devagent.gopanic import GoPanic


def decode_job(job):
    """A JSON job (dict) as api.Job would hold it after json.Unmarshal; JobspecError on a type error."""
    if not isinstance(job, dict):
        raise JobspecError(f"json: cannot unmarshal {json_kind(job)} into Go value of type api.Job")
    return _decode_struct(job, "Job", "Job")


def _decode_struct(obj, struct, path):
    fields = STRUCTS[struct]
    exact = {f.json: f for f in fields}
    folded = {}
    for f in fields:
        folded.setdefault(f.json.lower(), f)
    out = {}
    for key, value in obj.items():
        field = exact.get(key) or folded.get(key.lower())
        if field is None:
            continue
        if value is None:
            out.setdefault(field.json, None)
            continue
        out[field.json] = _decode(value, field.type, struct, f"{path}.{field.json}")
    return out


def _decode(value, gotype, struct, path):
    kind = gotype.kind
    if kind == "ptr":
        return None if value is None else _decode(value, gotype.elem, struct, path)
    if value is None:
        return {} if kind == "struct" else None  # a null struct value (a check in Checks) is its zero value
    if kind == "any":
        return value
    if kind == "struct":
        if not isinstance(value, dict):
            _mismatch(value, gotype, struct, path)
        return _decode_struct(value, gotype.name, path)
    if kind == "slice":
        if not isinstance(value, list):
            _mismatch(value, gotype, struct, path)
        if gotype.elem.kind == "ptr" and any(item is None for item in value):
            raise GoPanic()  # Go decodes a nil pointer, and api.Job.Canonicalize dereferences it
        return [_decode(item, gotype.elem, struct, path) for item in value]
    if kind == "map":
        if not isinstance(value, dict):
            _mismatch(value, gotype, struct, path)
        return {key: _decode(item, gotype.elem, struct, path) for key, item in value.items()}
    if kind in ("string", "bytes"):
        if not isinstance(value, str):
            _mismatch(value, gotype, struct, path)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            _mismatch(value, gotype, struct, path)
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _mismatch(value, gotype, struct, path)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _mismatch(value, gotype, struct, path)
    if isinstance(value, float) or kind == "uint" and value < 0:
        _mismatch(value, gotype, struct, path, number=True)
    if not _fits(value, kind, gotype.bits):  # Go refuses a number its integer type cannot hold
        _mismatch(value, gotype, struct, path, number=True)
    return int(value)


def _fits(value: int, kind: str, bits: int) -> bool:
    if kind == "uint":
        return 0 <= value < 2 ** bits
    return -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)


def _mismatch(value, gotype, struct, path, number=False):
    kind = json_kind(value)
    if number:
        kind = f"number {number_text(value)}"
    raise JobspecError(f"json: cannot unmarshal {kind} into Go struct field {struct}.{path} of type "
                       f"{go_type_text(gotype)}")


def go_field(obj: dict, name: str):
    """The value Go's decoder puts in field `name` of a struct: the last key matching it, case aside."""
    wanted = name.lower()
    value = None
    for key, item in obj.items():
        if key == name or key.lower() == wanted:
            value = item
    return value


def json_kind(value) -> str:
    """How Go's encoding/json names a JSON value's kind in its errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def go_type_text(gotype):
    """How Go names a type in its JSON errors (pointers dropped: json reports the element)."""
    kind = gotype.kind
    if kind == "ptr":
        return go_type_text(gotype.elem)
    if kind == "slice":
        return "[]" + _elem_text(gotype.elem)
    if kind == "map":
        return "map[string]" + _elem_text(gotype.elem)
    if kind == "struct":
        return "api." + gotype.name
    if kind == "duration":
        return "time.Duration"
    if kind in ("int", "uint"):
        return gotype.name or (("int" if kind == "int" else "uint") + str(gotype.bits))
    if kind == "float":
        return "float64"
    if kind == "any":
        return "interface {}"
    if kind == "bytes":
        return "[]uint8"
    return kind


def _elem_text(gotype):
    if gotype.kind == "ptr":
        return "*" + _elem_text(gotype.elem)
    return go_type_text(gotype)


def shape(obj, struct):
    """The JSON Go writes for a struct: every field, zero values for the ones not set."""
    out = {}
    for field in STRUCTS[struct]:
        value = obj.get(field.json) if obj else None
        encoded = _encode(value, field.type)
        if field.omitempty and encoded in (None, "", 0, False, [], {}):
            continue
        out[field.json] = encoded
    return out


def _encode(value, gotype):
    kind = gotype.kind
    if kind == "ptr":
        if value is None:
            return None
        return _encode(value, gotype.elem)
    if kind == "struct":
        return shape(value or {}, gotype.name)
    if value is None:
        return {"string": "", "bool": False, "int": 0, "uint": 0, "duration": 0, "float": 0}.get(kind)
    if kind == "slice":
        return [_encode(item, gotype.elem) for item in value]
    if kind == "map":
        return {key: _encode(item, gotype.elem) for key, item in value.items()}
    return value
