"""HCL's JSON syntax for jobspecs (jobspec2 takes a file starting with "{" as JSON), as native HCL.

hcljson decides from the schema whether a property is an argument or a block; this module
does the same with the api struct table and writes the equivalent native HCL, which the
ordinary parser then reads. JSON strings stay templates (`"${var.x}"` works), objects given
to free-form maps are not wrapped in a list (hclutil.BlocksAsAttrs wraps only native
object literals). Errors then point into the generated text: devagent says so.
"""

import json

from .api_types import hcl_fields, label_field, struct_of
from .errors import JobspecError

# Blocks jobspec2 reads beside the api struct's own (job-level task and vault, group vault, task scaling).
_EXTRA_BLOCKS = {"Job": {"task": "Task", "vault": "Vault"}, "TaskGroup": {"vault": "Vault"},
                 "Task": {"scaling": "ScalingPolicy"}}
_LABELLED_EXTRAS = {("Job", "task"), ("Task", "scaling")}


def is_json(text):
    """jobspec2's isJSON: the first character that is not a space is "{"."""
    stripped = text.lstrip(" ")
    return stripped.startswith("{")


def hcl_from_json(text):
    """Native HCL equivalent to a JSON jobspec; JobspecError if it is not a JSON object."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JobspecError(f"input.hcl:{exc.lineno},{exc.colno}-{exc.colno + 1}: Invalid JSON; {exc.msg}.") from None
    if not isinstance(document, dict):
        raise JobspecError("input.hcl:1,1-2: Invalid JSON root object; The root of a JSON-based configuration must be "
                           "a JSON object.")
    lines = []
    for key, value in document.items():
        if key == "job":
            lines += _labelled_blocks("job", value, lambda body: _struct_body("Job", body))
        elif key == "variable":
            lines += _labelled_blocks("variable", value, _attributes_body)
        elif key in ("variables", "locals"):
            for body in _as_list(value):
                lines += [f"{key} {{", *_attributes_body(body), "}"]
        else:
            lines.append(f"{_name(key)} = {_expression(value)}")
    return "\n".join(lines) + "\n"


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _labelled_blocks(block_type, value, body_of):
    lines = []
    for item in _as_list(value):
        if not isinstance(item, dict):
            raise JobspecError(f'input.hcl:1,1-2: Incorrect JSON value type; A JSON object is required here, '
                               f'to define the labels of "{block_type}" blocks.')
        for label, body in item.items():
            for one in _as_list(body):
                lines += [f"{block_type} {json.dumps(label)} {{", *body_of(one), "}"]
    return lines


def _struct_body(struct, body):
    if not isinstance(body, dict):
        return [f"# not an object: {json.dumps(body)[:40]}"]
    fields = hcl_fields(struct)
    extras = _EXTRA_BLOCKS.get(struct, {})
    lines = []
    for key, value in body.items():
        field = fields.get(key)
        if key in extras:
            labelled = (struct, key) in _LABELLED_EXTRAS
            lines += _blocks(key, value, extras[key], labelled)
        elif field is not None and field.hcl_kind == "block":
            nested = struct_of(field.type)
            if nested is None:
                lines += _map_blocks(key, value)
            else:
                labelled = label_field(nested) is not None
                lines += _blocks(key, value, nested, labelled)
        else:
            lines.append(f"{_name(key)} = {_expression(value)}")
    return lines


def _blocks(key, value, struct, labelled):
    lines = []
    if labelled:
        for item in _as_list(value):
            for label, body in (item.items() if isinstance(item, dict) else []):
                for one in _as_list(body):
                    lines += [f"{key} {json.dumps(label)} {{", *_struct_body(struct, one), "}"]
        return lines
    for one in _as_list(value):
        lines += [f"{key} {{", *_struct_body(struct, one), "}"]
    return lines


def _map_blocks(key, value):
    """meta, env, config ...: every property is an argument; free-form values keep their shape."""
    lines = []
    for one in _as_list(value):
        body = one if isinstance(one, dict) else {}
        lines += [f"{key} {{", *_attributes_body(body, keep_objects=True), "}"]
    return lines


def _attributes_body(body, keep_objects=False):
    if not isinstance(body, dict):
        return []
    out = []
    for key, value in body.items():
        expression = _expression(value)
        if keep_objects and isinstance(value, dict):
            expression = f"({expression})"  # not an object literal: no one-element list around it
        out.append(f"{_name(key)} = {expression}")
    return out


def _name(key):
    """An argument name; JSON allows any, HCL identifiers are letters, digits, _ and -."""
    if key and (key[0].isalpha() or key[0] == "_") and all(c.isalnum() or c in "_-" for c in key):
        return key
    raise JobspecError(f'input.hcl:1,1-2: Invalid argument name; "{key}" is not a valid name for an argument '
                       "written in HCL's JSON syntax here.")


def _expression(value):
    """A JSON value as an HCL expression; strings stay templates."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\\u0000", "")
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_expression(item) for item in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_expression(v)}" for k, v in value.items()) + "}"

