"""Decode HCL blocks into Nomad JSON objects following schema.BlockSpec."""

from .durations import parse_duration
from .errors import JobspecError
from .schema import AFFINITY, CONSTRAINT, OPERATOR_SHORTHANDS, UNSUPPORTED_BLOCKS


def decode_block(block, spec):
    """Decode one block's body into a dict of Nomad JSON fields (only what is written)."""
    out = {}
    body = block.body
    for name, value in body.attributes.items():
        nested = spec.blocks.get(name)
        if name not in spec.attributes and nested is not None and nested.kind != "struct":
            out[nested.json] = _decode_map_attribute(value, nested, block.path, name, body.lines.get(name))
            continue
        if name not in spec.attributes:
            hint = " (a block of that name is expected: write it without `=`)" if name in spec.blocks else ""
            raise JobspecError(f'unknown attribute "{name}"{hint}', block.path, body.lines.get(name))
        json_name, kind = spec.attributes[name]
        if value is None:
            continue
        out[json_name] = convert(value, kind, block.path, name, body.lines.get(name))
    singles = set()
    for child in body.blocks:
        nested = spec.blocks.get(child.type)
        if nested is None:
            if child.type in UNSUPPORTED_BLOCKS:
                raise JobspecError(f'unsupported block "{child.type}" (devagent does not implement it)',
                                   block.path, child.line)
            if child.type in spec.attributes:
                raise JobspecError(f'"{child.type}" is an attribute, not a block: write `{child.type} = ...`',
                                   block.path, child.line)
            raise JobspecError(f'unknown block "{child.type}"', block.path, child.line)
        _check_labels(child, nested)
        if not nested.repeated:
            if child.type in singles:
                raise JobspecError(f'only one "{child.type}" block is allowed', block.path, child.line)
            singles.add(child.type)
        value = _decode_nested(child, nested)
        if nested.repeated:
            out.setdefault(nested.json, []).append(value)
        else:
            out[nested.json] = value
    if spec is CONSTRAINT or spec is AFFINITY:
        _normalize_operator(out)
    return out


def _check_labels(child, nested):
    wanted = 1 if nested.label else 0
    if len(child.labels) != wanted:
        if wanted:
            raise JobspecError(f'block "{child.type}" needs exactly one label, e.g. {child.type} "name" {{ ... }}',
                               child.path, child.line)
        raise JobspecError(f'block "{child.type}" takes no label', child.path, child.line)


def _decode_nested(child, nested):
    if nested.kind == "map":
        return _string_map(child.body, child.path)
    if nested.kind == "list_map":
        return _list_map(child.body, child.path)
    if nested.kind == "freeform":
        return freeform(child.body)
    value = decode_block(child, nested.spec)
    if nested.label:
        value = {nested.label: child.labels[0], **value}
    return value


def _decode_map_attribute(value, nested, path, name, line):
    """`env = { A = "x" }` written as an attribute instead of a block."""
    if not isinstance(value, dict):
        raise JobspecError(f'"{name}" must be a block or a map', path, line)
    if nested.kind == "freeform":
        return value
    kind = "strs" if nested.kind == "list_map" else "str"
    return {key: convert(item, kind, path, f"{name}.{key}", line) for key, item in value.items()}


def _string_map(body, path):
    if body.blocks:
        raise JobspecError(f'unexpected block "{body.blocks[0].type}" in a map of strings', path, body.blocks[0].line)
    return {key: convert(value, "str", path, key, body.lines.get(key)) for key, value in body.attributes.items()}


def _list_map(body, path):
    if body.blocks:
        raise JobspecError(f'unexpected block "{body.blocks[0].type}" in a map of string lists', path,
                           body.blocks[0].line)
    return {key: convert(value, "strs", path, key, body.lines.get(key)) for key, value in body.attributes.items()}


def freeform(body):
    """A free-form block (task config, proxy config): nested blocks become lists of maps, as Nomad does."""
    out = dict(body.attributes)
    for child in body.blocks:
        value = freeform(child.body)
        for label in reversed(child.labels):
            value = {label: value}
        out.setdefault(child.type, []).append(value)
    return out


def _normalize_operator(out):
    """Map the shorthands (regexp = "x", distinct_hosts = true, ...) to Operand, as jobspec2 does."""
    for name in OPERATOR_SHORTHANDS:
        value = out.pop(name, "")
        if value:
            out["Operand"], out["RTarget"] = name, value
    if out.pop("distinct_hosts", False):
        out["Operand"] = "distinct_hosts"
    prop = out.pop("distinct_property", None)
    if prop is not None:
        out["Operand"] = "distinct_property"
        out["LTarget"] = prop
    out.setdefault("Operand", "=")


def convert(value, kind, path, name, line=None):
    """Convert an attribute value to the kind Nomad expects, with HCL's string/number/bool conversions."""
    try:
        return _CONVERTERS[kind](value)
    except (TypeError, ValueError) as exc:
        raise JobspecError(f'attribute "{name}": {exc}', path, line) from None


def _to_str(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a string, got {_kind(value)}")


def _to_int(value):
    if isinstance(value, bool):
        raise TypeError("expected a number, got a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {value!r}") from None
    raise TypeError(f"expected a whole number, got {_kind(value)}")


def _to_float(value):
    if isinstance(value, bool):
        raise TypeError("expected a number, got a bool")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return float(value)
    raise TypeError(f"expected a number, got {_kind(value)}")


def _to_bool(value):
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise TypeError(f"expected a bool, got {_kind(value)}")


def _to_duration(value):
    if isinstance(value, bool):
        raise TypeError("expected a duration string like \"10s\", got a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    raise TypeError(f"expected a duration string like \"10s\", got {_kind(value)}")


def _to_strs(value):
    if not isinstance(value, list):
        raise TypeError(f"expected a list of strings, got {_kind(value)}")
    return [_to_str(item) for item in value]


def _to_ints(value):
    if not isinstance(value, list):
        raise TypeError(f"expected a list of numbers, got {_kind(value)}")
    return [_to_int(item) for item in value]


def _kind(value):
    return {dict: "a map", list: "a list", str: "a string", bool: "a bool", type(None): "null"}.get(
        type(value), type(value).__name__
    )


_CONVERTERS = {
    "str": _to_str,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "dur": _to_duration,
    "strs": _to_strs,
    "ints": _to_ints,
    "any": lambda value: value,
}
