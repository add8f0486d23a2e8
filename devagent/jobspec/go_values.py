"""cty's convert.Convert and gocty.FromCtyValue: an HCL value into a Go field type, with their texts."""

from . import hcl_values as V
from devagent.durations import parse_go_duration
from .freeform import interface_value
from .hcl_values import ConversionError

_GO_RANGES = {("int", 64): (-2**63, 2**63 - 1), ("int", 8): (-128, 127), ("uint", 8): (0, 255),
              ("uint", 16): (0, 65535), ("uint", 32): (0, 2**32 - 1), ("uint", 64): (0, 2**64 - 1)}


def convert_to_go(value, gotype):
    """cty convert.Convert + gocty.FromCtyValue into a Go type; ConversionError with their texts."""
    kind = gotype.kind
    if kind == "ptr":
        if value is None:
            return None
        return convert_to_go(value, gotype.elem)
    if kind == "duration":
        return _duration(value)
    if value is None:
        if kind in ("slice", "map", "any", "bytes"):
            return None
        raise ConversionError("null value is not allowed")
    if kind == "string":
        return V.to_string(value)
    if kind == "bool":
        return V.to_bool(value)
    if kind in ("int", "uint"):
        number = V.to_number(value)
        low, high = _GO_RANGES[(kind, gotype.bits)]
        if number != int(number) or not low <= int(number) <= high:
            if kind == "int":
                raise ConversionError(f"value must be a whole number, between {low} and {high}")
            raise ConversionError(f"value must be a whole number, between 0 and {high} inclusive")
        return int(number)
    if kind == "float":
        return V.to_number(value)
    if kind == "slice":
        if isinstance(value, dict) or not isinstance(value, list):
            raise ConversionError(f"{_friendly(gotype)} required")
        return V.to_list(value, lambda item: convert_to_go(item, gotype.elem))
    if kind == "map":
        if not isinstance(value, dict):
            raise ConversionError(f"{_friendly(gotype)} required")
        return V.to_map(value, lambda item: convert_to_go(item, gotype.elem))
    if kind == "any":
        return interface_value(value)
    raise ConversionError(f"{_friendly(gotype)} required")


def _duration(value):
    if isinstance(value, str):
        try:
            return parse_go_duration(value)
        except ValueError as exc:
            raise ConversionError(str(exc)) from None
    if V.is_number(value):
        if value != int(value):
            raise ConversionError("value must be a whole number, between -9223372036854775808 and "
                                  "9223372036854775807")
        return int(value)
    name = "dynamic" if value is None else V.type_name(value)
    raise ConversionError(f"expected a string but found {name}")


def _friendly(gotype):
    names = {"string": "string", "bool": "bool", "int": "number", "uint": "number", "float": "number",
             "duration": "number", "any": "any"}
    if gotype.kind == "slice":
        return f"list of {_friendly(gotype.elem)}"
    if gotype.kind == "map":
        return f"map of {_friendly(gotype.elem)}"
    if gotype.kind == "ptr":
        return _friendly(gotype.elem)
    return names.get(gotype.kind, "object")
