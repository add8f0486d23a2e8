"""HCL (cty) values in Python: type names, number formatting and cty's conversion rules.

Values are plain Python: None (null), bool, int/float (number), str, list (tuple, list or
set) and dict (object or map). Conversions follow go-cty's convert package, with its texts.
"""

import math
import re


class ConversionError(ValueError):
    """A value that cty cannot convert to the wanted type; str() is cty's message."""


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def type_name(value):
    """cty's FriendlyName for the type a value has."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def number(value):
    """Normalize a numeric result: whole floats become ints, as cty's big numbers print them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def parse_number(text):
    """cty.ParseNumberVal: a decimal number in a string, or ConversionError."""
    if not _NUMBER.fullmatch(text):
        raise ConversionError("a number is required")
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    return number(float(text))


def format_number(value):
    """big.Float.Text('f', -1): plain decimal, no exponent, shortest digits."""
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = repr(value)
    if "e" in text or "E" in text:
        text = f"{value:.20f}".rstrip("0").rstrip(".")
    if text.endswith(".0"):
        text = text[:-2]
    return text


def to_string(value):
    """Convert to a cty string (null stays null)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return format_number(value)
    raise ConversionError("string required")


def to_number(value):
    """Convert to a cty number (null stays null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ConversionError("number required")
    if is_number(value):
        return value
    if isinstance(value, str):
        return parse_number(value)
    raise ConversionError("number required")


def to_bool(value):
    """Convert to a cty bool (null stays null)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        if value.lower() in ("true", "false"):
            raise ConversionError(f'a bool is required; to convert from string, use lowercase "{value.lower()}"')
        raise ConversionError("a bool is required")
    raise ConversionError("bool required")


def to_list(value, element):
    """Convert a tuple/list/set to a list whose elements convert with `element`."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ConversionError("list required")
    out = []
    for index, item in enumerate(value):
        try:
            out.append(element(item))
        except ConversionError as exc:
            raise ConversionError(f"element {index}: {exc}") from None
    return out


def to_map(value, element):
    """Convert an object/map to a dict whose values convert with `element`."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConversionError("map required")
    out = {}
    for key in sorted(value):
        try:
            out[key] = element(value[key])
        except ConversionError as exc:
            raise ConversionError(f'element "{key}": {exc}') from None
    return out


def equal(left, right):
    """cty's Equals for known values: same type and same value (1 == "1" is false)."""
    if is_number(left) and is_number(right):
        return left == right
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(equal(a, b) for a, b in zip(left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(equal(left[k], right[k]) for k in left)
    return left == right


def sorted_items(value):
    """Iterate an object/map the way cty does: keys in lexical order."""
    return [(key, value[key]) for key in sorted(value)]
