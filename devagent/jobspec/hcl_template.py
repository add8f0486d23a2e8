"""HCL string templates: quoted strings and heredocs with ${...} and %{ if/for } directives.

parse_template splits template text into literal strings and Interp/If/For parts, with
strip markers (~) and heredoc flush indentation applied as hclsyntax does; each
interpolated expression is parsed with python-hcl2's grammar at its offset in the file.
"""

import re
from dataclasses import dataclass, field

from lark.exceptions import LarkError

from .hcl_reader import Expr, diagnostic, parse_tree

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_FOR_HEAD = re.compile(r"\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s")


@dataclass
class Interp:
    expr: Expr


@dataclass
class IfPart:
    cond: Expr
    then: list = field(default_factory=list)
    otherwise: list = field(default_factory=list)


@dataclass
class ForPart:
    key: str
    value: str
    collection: Expr
    body: list = field(default_factory=list)


@dataclass
class _Directive:
    keyword: str
    start: int
    end: int
    expr: Expr = None
    key: str = None
    value: str = None


@dataclass
class _Token:
    """A flat template token before if/for nesting: a literal, an interpolation or a directive."""

    item: object
    strip_left: bool = False
    strip_right: bool = False


def parse_expression(source, text, offset):
    """Parse an expression written at `offset` of the file into an Expr."""
    for prefix, suffix in (("x=", "\n"), ("x=(", ")\n")):
        try:
            tree = parse_tree(prefix + text + suffix)
        except LarkError:
            continue
        attribute = next(c for c in tree.children[0].children if getattr(c, "data", None) == "attribute")
        return Expr(attribute.children[-1], offset - len(prefix))
    raise diagnostic(source, "Invalid expression", "Expected the start of an expression, but found an invalid "
                     "expression token.", offset, offset + len(text.split("\n")[0]))


def find_closing(text, pos):
    """Index of the `}` that closes a ${ or %{ opened just before `pos`, or -1."""
    depth = 0
    while pos < len(text):
        ch = text[pos]
        if ch == '"':
            pos = _skip_string(text, pos + 1)
            continue
        if ch in "{[(":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    return -1


def _skip_string(text, pos):
    while pos < len(text):
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == '"':
            return pos + 1
        if text.startswith("${", pos) or text.startswith("%{", pos):
            end = find_closing(text, pos + 2)
            pos = end + 1 if end >= 0 else len(text)
            continue
        pos += 1
    return pos


def parse_template(source, text, offset, quoted, flush=False):
    """Split template text (found at `offset` in the file) into literal and expression parts."""
    tokens = _tokens(source, text, offset, quoted)
    _apply_strip_markers(tokens)
    if flush:
        _flush_indentation(tokens)
    parts, rest = _nest(source, tokens, 0, None)
    if rest < len(tokens):
        directive = tokens[rest].item
        raise diagnostic(source, f"Unexpected {directive.keyword} directive",
                         f"The control directive \"{directive.keyword}\" is not expected here.",
                         directive.start, directive.end)
    return _merge_literals(parts)


def _tokens(source, text, offset, quoted):
    tokens = []
    literal = []
    pos = 0

    def flush_literal():
        if literal:
            tokens.append(_Token("".join(literal)))
            literal.clear()

    while pos < len(text):
        if text.startswith("$${", pos) or text.startswith("%%{", pos):
            literal.append(text[pos + 1:pos + 3])
            pos += 3
            continue
        if text.startswith("${", pos) or text.startswith("%{", pos):
            flush_literal()
            end = find_closing(text, pos + 2)
            if end < 0:
                raise diagnostic(source, "Unterminated template string",
                                 "No closing marker was found for the string.", offset + pos, offset + pos + 2)
            inner_start = pos + 2
            inner = text[inner_start:end]
            strip_left = inner.startswith("~")
            strip_right = inner.endswith("~") and len(inner) > (1 if strip_left else 0)
            body_start = inner_start + (1 if strip_left else 0)
            body = text[body_start:end - (1 if strip_right else 0)]
            if text[pos] == "$":
                item = Interp(parse_expression(source, body, offset + body_start))
            else:
                item = _directive(source, body, offset + body_start, offset + pos, offset + end + 1)
            tokens.append(_Token(item, strip_left, strip_right))
            pos = end + 1
            continue
        ch = text[pos]
        if quoted and ch == "\\":
            decoded, width = _escape(source, text, pos, offset)
            literal.append(decoded)
            pos += width
            continue
        literal.append(ch)
        pos += 1
        if ch == "\n":
            flush_literal()
    flush_literal()
    return tokens


def _escape(source, text, pos, offset):
    nxt = text[pos + 1:pos + 2]
    if nxt in _ESCAPES:
        return _ESCAPES[nxt], 2
    if nxt in ("u", "U"):
        width = 4 if nxt == "u" else 8
        digits = text[pos + 2:pos + 2 + width]
        if len(digits) == width and all(c in "0123456789abcdefABCDEF" for c in digits):
            return chr(int(digits, 16)), 2 + width
    raise diagnostic(source, "Invalid escape sequence",
                     f'The symbol "{nxt}" is not a valid escape sequence selector.', offset + pos, offset + pos + 2)


def _directive(source, body, body_offset, start, end):
    stripped = body.strip()
    lead = len(body) - len(body.lstrip())
    if stripped in ("else", "endif", "endfor"):
        return _Directive(stripped, start, end)
    if stripped.startswith(("if ", "if\t", "if\n")):
        expr_text = body[lead + 2:]
        return _Directive("if", start, end, expr=parse_expression(source, expr_text, body_offset + lead + 2))
    match = _FOR_HEAD.match(body)
    if match:
        first, second = match.group(1), match.group(2)
        key, value = (first, second) if second else (None, first)
        expr = parse_expression(source, body[match.end():], body_offset + match.end())
        return _Directive("for", start, end, expr=expr, key=key, value=value)
    raise diagnostic(source, "Invalid template directive",
                     'A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence.',
                     start, end)


def _apply_strip_markers(tokens):
    """`~` trims the whitespace of the one literal token next to it (hclsyntax's parseTemplateParts)."""
    for index, token in enumerate(tokens):
        if isinstance(token.item, str):
            continue
        if token.strip_left and index > 0 and isinstance(tokens[index - 1].item, str):
            tokens[index - 1].item = tokens[index - 1].item.rstrip()
        if token.strip_right and index + 1 < len(tokens) and isinstance(tokens[index + 1].item, str):
            tokens[index + 1].item = tokens[index + 1].item.lstrip()


def _flush_indentation(tokens):
    """`<<-EOF` heredocs: hclsyntax's flushHeredocTemplateParts, after strip markers.

    A token starts a line when the literal before it ends with a newline (so a line after a
    `~}` that ate its newline does not); blank lines are neither counted nor trimmed; a line
    that starts with an interpolation or directive has no indentation.
    """
    smallest = None
    newline = True
    adjust = []
    for token in tokens:
        if newline:
            newline = False
            spaces = 0
            if isinstance(token.item, str):
                trimmed = token.item.lstrip()
                if not trimmed and token.item.endswith("\n"):
                    spaces = None
                else:
                    spaces = len(token.item) - len(trimmed)
                    adjust.append(token)
            if spaces is not None and (smallest is None or spaces < smallest):
                smallest = spaces
        if isinstance(token.item, str) and token.item.endswith("\n"):
            newline = True
    for token in adjust:
        token.item = token.item[smallest:]


def _nest(source, tokens, index, closing):
    """Turn the flat token list into nested If/For parts; stop at a closing directive."""
    parts = []
    while index < len(tokens):
        item = tokens[index].item
        if isinstance(item, _Directive):
            if item.keyword in ("else", "endif", "endfor"):
                if closing and item.keyword in closing:
                    return parts, index
                raise diagnostic(source, f"Unexpected {item.keyword} directive",
                                 f"The control directive \"{item.keyword}\" is not expected here.",
                                 item.start, item.end)
            if item.keyword == "if":
                then, index = _nest(source, tokens, index + 1, ("else", "endif"))
                otherwise = []
                if index < len(tokens) and tokens[index].item.keyword == "else":
                    otherwise, index = _nest(source, tokens, index + 1, ("endif",))
                if index >= len(tokens):
                    raise diagnostic(source, "Unterminated template string",
                                     "No endif directive was found for this if directive.", item.start, item.end)
                parts.append(IfPart(item.expr, then, otherwise))
            else:
                body, index = _nest(source, tokens, index + 1, ("endfor",))
                if index >= len(tokens):
                    raise diagnostic(source, "Unterminated template string",
                                     "No endfor directive was found for this for directive.", item.start, item.end)
                parts.append(ForPart(item.key, item.value, item.expr, body))
        else:
            parts.append(item)
        index += 1
    return parts, index


def _merge_literals(parts):
    out = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += part
                continue
        out.append(part)
    return out


def heredoc_parts(source, token_text, offset):
    """The template of a heredoc token (`<<EOF\\n...\\nEOF\\n`), with flush for `<<-`."""
    first_newline = token_text.index("\n")
    flush = token_text.startswith("<<-")
    body = token_text[first_newline + 1:].rstrip("\n").rstrip("\r")
    last_newline = body.rfind("\n")
    content = body[:last_newline + 1] if last_newline >= 0 else ""
    return parse_template(source, content, offset + first_newline + 1, quoted=False, flush=flush)
