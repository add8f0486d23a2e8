"""Read HCL2 text (via python-hcl2) into plain blocks and attribute values.

python-hcl2 keeps strings in source form (quoted, escapes and heredocs intact);
this module walks its rule tree and turns that into Python values and a tree of
`Block`s that know their path and line in the jobspec, for error messages.
"""

import re
from dataclasses import dataclass, field

import hcl2
from hcl2.rules.base import AttributeRule, BlockRule
from hcl2.utils import process_escape_sequences
from lark.exceptions import LarkError, UnexpectedInput

from .errors import JobspecError

_META_KEYS = {"__is_block__", "__comments__", "__inline_comments__"}
# A runtime variable Nomad resolves on the client: NOMAD_*, attr.*, meta.*, node.*, env["X"].
_RUNTIME_VARIABLE = re.compile(r"[A-Za-z_][\w\-]*(\.[\w\-]+|\[[^\[\]]*\])*")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][\w\-]*)\n(.*)\Z", re.S)
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


@dataclass
class Body:
    """The attributes (with their lines) and nested blocks of one HCL body."""

    attributes: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    blocks: list = field(default_factory=list)


@dataclass
class Block:
    """One HCL block: its type, labels, body, path (for messages) and line."""

    type: str
    labels: list
    body: Body
    path: tuple
    line: int = 0


_OPTIONS = hcl2.SerializationOptions(with_comments=False, preserve_heredocs=True)


def read_hcl(text):
    """Parse HCL2 text into a top-level Body; syntax errors become JobspecError naming the line."""
    if not isinstance(text, str):
        raise JobspecError("jobspec must be a string of HCL")
    try:
        tree = hcl2.parses(text)
    except UnexpectedInput as exc:
        raise JobspecError(f"line {exc.line}, column {exc.column}: HCL syntax error: {_describe(exc)}") from None
    except (LarkError, RuntimeError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise JobspecError(f"HCL syntax error: {_one_line(exc)}") from None
    return _body(tree.body, ())


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


def _line(rule):
    return getattr(getattr(rule, "_meta", None), "line", 0) or 0


def _body(rule, path):
    """Walk python-hcl2's rule tree (not its dict output, which drops duplicates and lines)."""
    body = Body()
    pending = []
    for child in rule.children:
        if isinstance(child, AttributeRule):
            name = child.identifier.serialize(_OPTIONS)
            line = _line(child)
            if name in body.attributes:
                raise JobspecError(f'attribute "{name}" is defined twice (first on line {body.lines[name]})',
                                  path, line)
            try:
                raw = child.expression.serialize(_OPTIONS)
            except (RuntimeError, ValueError, TypeError) as exc:
                raise JobspecError(f'attribute "{name}": {_one_line(exc)}', path, line) from None
            body.attributes[name] = _value(raw, path, name, line)
            body.lines[name] = line
        elif isinstance(child, BlockRule):
            names = [_unquote_key(label.serialize(_OPTIONS)) for label in child.labels]
            pending.append((names[0], names[1:], child))
    counts = {}
    for block_type, _labels, _child in pending:
        counts[block_type] = counts.get(block_type, 0) + 1
    for name in body.attributes:
        if name in counts:
            raise JobspecError(f'"{name}" is both an attribute and a block', path, body.lines[name])
    seen = {}
    for block_type, labels, child in pending:
        index = seen.get(block_type, 0)
        seen[block_type] = index + 1
        step = _step(block_type, labels, index, counts[block_type])
        body.blocks.append(Block(block_type, labels, _body(child.body, path + (step,)), path + (step,), _line(child)))
    return body


def _step(block_type, labels, index, count):
    """How a block appears in a path: `group "web"`, `service`, or `check[1]`."""
    if labels:
        return block_type + "".join(f' "{label}"' for label in labels)
    return f"{block_type}[{index}]" if count > 1 else block_type


def _unquote_key(key):
    if len(key) >= 2 and key[0] == '"' and key[-1] == '"':
        return process_escape_sequences(key[1:-1])
    return key


def _value(value, path, name, line):
    """Convert one attribute value from python-hcl2's source form to a Python value."""
    if isinstance(value, dict):
        return {_unquote_key(k): _value(v, path, name, line) for k, v in value.items() if k not in _META_KEYS}
    if isinstance(value, list):
        return [_value(item, path, name, line) for item in value]
    if isinstance(value, str):
        return _string(value, path, name, line)
    return value


def _string(text, path, name, line):
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        heredoc = _HEREDOC.match(inner)
        if heredoc:
            return _template(_heredoc_text(heredoc), path, name, line, escapes=False)
        return _template(inner, path, name, line, escapes=True)
    if text.startswith("${") and text.endswith("}"):
        expression = text[2:-1].strip()
        if _NUMBER.fullmatch(expression):
            number = float(expression)
            return int(number) if number.is_integer() and "." not in expression else number
        raise JobspecError(
            f'attribute "{name}": unsupported expression `{expression}` '
            "(only literal values and ${...} runtime variables are supported)",
            path,
            line,
        )
    raise JobspecError(f'attribute "{name}": unsupported value `{text}`', path, line)


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


def _template(source, path, name, line, escapes):
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
                    line,
                )
            flush()
            out.append("${" + expression + "}")
            pos = end + 1
        elif source.startswith("%{", pos):
            raise JobspecError(f'attribute "{name}": template directives (%{{...}}) are not supported', path, line)
        else:
            literal.append(source[pos])
            pos += 1
    flush()
    return "".join(out)
