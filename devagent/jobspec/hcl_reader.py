"""Read HCL2 text (via python-hcl2) into plain blocks and attribute values.

python-hcl2 keeps strings in source form (quoted, escapes and heredocs intact)
and marks blocks with `__is_block__`; this module turns that into Python values
and a tree of `Block`s that know their path in the jobspec, for error messages.
"""

import re
from dataclasses import dataclass, field

import hcl2
from hcl2.utils import process_escape_sequences
from lark.exceptions import LarkError, UnexpectedInput

from .errors import JobspecError

_META_KEYS = {"__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__"}
# A runtime variable Nomad resolves on the client: NOMAD_*, attr.*, meta.*, node.*, env["X"].
_RUNTIME_VARIABLE = re.compile(r"[A-Za-z_][\w\-]*(\.[\w\-]+|\[[^\[\]]*\])*")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][\w\-]*)\n(.*)\Z", re.S)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


@dataclass
class Body:
    """The attributes and nested blocks of one HCL body."""

    attributes: dict = field(default_factory=dict)
    blocks: list = field(default_factory=list)


@dataclass
class Block:
    """One HCL block: its type, labels, body and path (for messages)."""

    type: str
    labels: list
    body: Body
    path: tuple


def read_hcl(text):
    """Parse HCL2 text into a top-level Body; syntax errors become JobspecError naming the line."""
    if not isinstance(text, str):
        raise JobspecError("jobspec must be a string of HCL")
    options = hcl2.SerializationOptions(with_comments=False, preserve_heredocs=True)
    try:
        raw = hcl2.loads(text, serialization_options=options)
    except UnexpectedInput as exc:
        raise JobspecError(f"line {exc.line}, column {exc.column}: HCL syntax error: {_describe(exc)}") from None
    except (LarkError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise JobspecError(f"HCL syntax error: {_one_line(exc)}") from None
    return _body(raw, ())


def _describe(exc):
    """A short description of what the parser found unexpected."""
    token = getattr(exc, "token", None)
    if token is not None:
        if token.type == "$END":
            return "unexpected end of input (a block, list or string is not closed)"
        text = str(token)
        if not text.strip():
            return "unexpected end of line" if "\n" in text else f"unexpected {token.type}"
        return f"unexpected {text.strip()[:40]!r}"
    char = getattr(exc, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return "unexpected input"


def _one_line(exc):
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _body(raw, path):
    body = Body()
    counts = {}
    for key, value in raw.items():
        if key in _META_KEYS:
            continue
        if isinstance(value, list) and value and all(_is_block_entry(item) for item in value):
            for item in value:
                labels, inner = _unwrap_labels(item)
                counts[key] = counts.get(key, 0) + 1
                body.blocks.append((key, labels, inner))
        else:
            body.attributes[key] = _value(value, path, key)
    seen = {}
    blocks = []
    for key, labels, inner in body.blocks:
        index = seen.get(key, 0)
        seen[key] = index + 1
        step = _step(key, labels, index, counts[key])
        blocks.append(Block(key, labels, _body(inner, path + (step,)), path + (step,)))
    body.blocks = blocks
    return body


def _step(block_type, labels, index, count):
    """How a block appears in a path: `group "web"`, `service`, or `check[1]`."""
    if labels:
        return block_type + "".join(f' "{label}"' for label in labels)
    return f"{block_type}[{index}]" if count > 1 else block_type


def _is_block_entry(item):
    if not isinstance(item, dict):
        return False
    if item.get("__is_block__") is True:
        return True
    keys = [key for key in item if key not in _META_KEYS]
    return len(keys) == 1 and _is_block_entry(item[keys[0]])


def _unwrap_labels(item):
    labels = []
    while item.get("__is_block__") is not True:
        (key,) = [key for key in item if key not in _META_KEYS]
        labels.append(_unquote_key(key))
        item = item[key]
    return labels, item


def _unquote_key(key):
    if len(key) >= 2 and key[0] == '"' and key[-1] == '"':
        return process_escape_sequences(key[1:-1])
    return key


def _value(value, path, name):
    """Convert one attribute value from python-hcl2's source form to a Python value."""
    if isinstance(value, dict):
        if value.get("__is_block__"):
            raise JobspecError(f'"{name}" mixes a block and an attribute', path)
        return {_unquote_key(k): _value(v, path, name) for k, v in value.items() if k not in _META_KEYS}
    if isinstance(value, list):
        return [_value(item, path, name) for item in value]
    if isinstance(value, str):
        return _string(value, path, name)
    return value


def _string(text, path, name):
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        heredoc = _HEREDOC.match(inner)
        if heredoc:
            return _template(_heredoc_text(heredoc), path, name, escapes=False)
        return _template(inner, path, name, escapes=True)
    if text.startswith("${") and text.endswith("}"):
        expression = text[2:-1].strip()
        if _NUMBER.fullmatch(expression):
            number = float(expression)
            return int(number) if number.is_integer() and "." not in expression else number
        raise JobspecError(
            f'attribute "{name}": unsupported expression `{expression}` '
            "(only literal values and ${...} runtime variables are supported)",
            path,
        )
    raise JobspecError(f'attribute "{name}": unsupported value `{text}`', path)


def _heredoc_text(match):
    """The value of a heredoc: its lines up to the closing marker, with a final newline."""
    indented, marker, rest = match.groups()
    lines = rest.split("\n")
    if lines and lines[-1].strip() == marker:
        lines = lines[:-1]
    if indented:
        widths = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(widths, default=0)
        lines = [line[cut:] for line in lines]
    return "".join(line + "\n" for line in lines)


def _template(source, path, name, escapes):
    """Resolve escapes in a string template; keep ${runtime.variables}; reject other expressions."""
    out = []
    literal = []
    pos = 0

    def flush():
        chunk = "".join(literal)
        out.append(process_escape_sequences(chunk) if escapes else chunk)
        literal.clear()

    while pos < len(source):
        if source.startswith("$${", pos) or source.startswith("%%{", pos):
            literal.append(source[pos + 1 : pos + 3])
            pos += 3
        elif source.startswith("${", pos):
            end = source.find("}", pos)
            expression = source[pos + 2 : end if end >= 0 else len(source)].strip().strip("~").strip()
            if end < 0 or not _RUNTIME_VARIABLE.fullmatch(expression):
                raise JobspecError(
                    f'attribute "{name}": unsupported interpolation `${{{expression}}}` '
                    "(only ${...} runtime variables such as ${NOMAD_PORT_http} are supported)",
                    path,
                )
            flush()
            out.append("${" + expression + "}")
            pos = end + 1
        elif source.startswith("%{", pos):
            raise JobspecError(f'attribute "{name}": template directives (%{{...}}) are not supported', path)
        else:
            literal.append(source[pos])
            pos += 1
    flush()
    return "".join(out)
