"""Read HCL2 text (python-hcl2's grammar) into bodies, blocks and unevaluated expressions.

Everything keeps its place in the source as character offsets, so that errors print as
HCL's diagnostics do (`input.hcl:12,5-10: Summary; Detail`) and so that runtime
variables such as ${NOMAD_PORT_http} can be kept as written (see hcl_eval).
"""

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2
from hcl2.parser import parser as hcl2_parser
from hcl2.postlexer import PostLexer
from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from .errors import JobspecError

FILENAME = "input.hcl"


class Source:
    """The jobspec text, with offset -> line/column conversion."""

    def __init__(self, text, name=FILENAME):
        self.text = text
        self.name = name
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset):
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def range_text(self, start, end):
        """hcl.Range.String(): file:line,col-col or file:line,col-line,col."""
        line, col = self.position(start)
        end_line, end_col = self.position(max(end, start))
        if line == end_line:
            return f"{self.name}:{line},{col}-{end_col}"
        return f"{self.name}:{line},{col}-{end_line},{end_col}"


def diagnostic(source, summary, detail, start=None, end=None):
    """A JobspecError worded as hcl.Diagnostic.Error() prints it."""
    if source is None or start is None:
        return JobspecError(f"<nil>: {summary}; {detail}")  # Go prints a diagnostic without a subject so
    error = JobspecError(f"{source.range_text(start, end if end is not None else start)}: {summary}; {detail}")
    error.line = source.position(start)[0]
    return error


@dataclass
class Expr:
    """An unevaluated expression: a lark node whose offsets are shifted by `base`."""

    node: object
    base: int = 0

    @property
    def start(self):
        return start_of(self.node) + self.base

    @property
    def end(self):
        return end_of(self.node) + self.base


@dataclass
class Attribute:
    name: str
    expr: Expr
    name_start: int
    name_end: int


@dataclass
class Block:
    type: str
    labels: list
    body: "Body"
    type_start: int
    type_end: int
    label_ranges: list = field(default_factory=list)
    open_brace: int = 0


@dataclass
class Body:
    """Attributes (in source order) and blocks of one body; `start` (its "{") locates a missing item."""

    attributes: dict
    blocks: list
    end: int = 0
    start: int = 0


def start_of(node):
    if isinstance(node, Token):
        return node.start_pos
    return node.meta.start_pos


def end_of(node):
    if isinstance(node, Token):
        return node.end_pos
    return node.meta.end_pos


def parse_tree(text):
    """python-hcl2's raw lark tree (with positions) for a whole file or snippet."""
    return _parser().parse(text + "\n")  # as hcl2.parses_to_tree: lark has no end-of-file token


# Where python-hcl2's grammar differs from hclsyntax, the text it has and the text hclsyntax's rules want:
# identifiers are Unicode (ID_Start, then ID_Continue or '-'), and a heredoc's closing marker line is compared
# with spaces trimmed from both ends (the grammar allowed them before the marker only).
_GRAMMAR_FIXES = (
    ("NAME : /[a-zA-Z_][a-zA-Z0-9_-]*/", "NAME : /[^\\W\\d][\\w-]*/"),
    ("\\s*(?P=heredoc)\\r?\\n/", "\\s*(?P=heredoc)[ \\t]*\\r?\\n/"),
    ("\\s*(?P=heredoc_trim)\\r?\\n/", "\\s*(?P=heredoc_trim)[ \\t]*\\r?\\n/"),
)


@functools.lru_cache(maxsize=1)
def _parser():
    """python-hcl2's grammar and post-lexer, with hclsyntax's identifiers and heredoc markers."""
    grammar_path = Path(hcl2.__file__).parent / "hcl2.lark"
    grammar = grammar_path.read_text()
    if not all(old in grammar for old, _ in _GRAMMAR_FIXES):
        return hcl2_parser()  # another python-hcl2 grammar: use it as it is
    for old, new in _GRAMMAR_FIXES:
        grammar = grammar.replace(old, new)
    return Lark(grammar, parser="lalr", propagate_positions=True, postlex=PostLexer(),
                import_paths=[str(grammar_path.parent)], cache=True)


def read_hcl(text, name=FILENAME):
    """Parse HCL2 text into (Source, top-level Body); syntax errors name the place (in file `name`)."""
    if not isinstance(text, str):
        raise JobspecError("jobspec must be a string of HCL")
    source = Source(text, name)
    try:
        tree = parse_tree(text)
    except UnexpectedInput as exc:
        raise _syntax_error(source, exc) from None
    except (LarkError, RuntimeError, ValueError) as exc:
        raise diagnostic(source, "Invalid syntax", " ".join(str(exc).split())[:200], 0, 0) from None
    _check_quoted_strings(source, tree)
    _check_object_separators(source, tree)
    return source, read_body(source, tree.children[0], 0)


def _check_object_separators(source, tree):
    """The grammar lets `{ a = 1 b = 2 }` through; HCL wants a comma or newline between items.

    Decided on the text between items too: the grammar folds the newline after `a = 1 + 1` into the expression.
    """
    text = source.text
    for obj in tree.find_data("object"):
        separated, previous = True, None
        for child in obj.children:
            if isinstance(child, Tree) and child.data == "object_elem":
                if not separated and not _newline_between(text, previous, child):
                    at = start_of(child)
                    raise diagnostic(source, "Missing attribute separator", "Expected a newline or comma to mark "
                                     "the beginning of the next attribute.", at, at + 1)
                separated, previous = False, child
            elif isinstance(child, Token) and child.type == "COMMA" or (
                    isinstance(child, Tree) and child.data == "new_line_or_comment"):
                separated = True


def _newline_between(text: str, previous, item) -> bool:
    """Whether a newline ends `previous` (the source between its last character and `item`)."""
    begin, finish = start_of(previous), end_of(previous)
    core_end = begin + len(text[begin:finish].rstrip())
    return "\n" in text[core_end:start_of(item)]


def _check_quoted_strings(source, tree):
    """The grammar lets a quoted string run over lines; HCL does not."""
    for string in tree.find_data("string"):
        for part in string.children:
            chars = part.children[0] if isinstance(part, Tree) and part.children else None
            if isinstance(chars, Token) and chars.type == "STRING_CHARS" and "\n" in chars:
                at = chars.start_pos + chars.index("\n")
                raise diagnostic(source, "Invalid multi-line string", "Quoted strings may not be split over "
                                 "multiple lines. To produce a multi-line string, either use the \\n escape to "
                                 'represent a newline character or use the "heredoc" multi-line template syntax.',
                                 at, at + 1)


def _syntax_error(source, exc):
    """A lark parse error in hclsyntax's words where the situation is one HCL names."""
    offset = min(getattr(exc, "pos_in_stream", None) or 0, len(source.text))
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        if "STRING_CHARS" in exc.expected:
            return diagnostic(source, "Unterminated template string", "No closing marker was found for the string.",
                              len(source.text), len(source.text))
        return diagnostic(source, "Unclosed configuration block",
                          "There is no closing brace for this block before the end of the file. This may be caused "
                          "by incorrect brace nesting elsewhere in this file.", len(source.text), len(source.text))
    if isinstance(exc, UnexpectedToken):
        offset = exc.token.start_pos if exc.token.start_pos is not None else offset
        text = str(exc.token)
        if not text.strip() or text[:1] in ("\n", "\r"):
            return diagnostic(source, "Invalid expression", "Expected the start of an expression, but found an "
                              "invalid expression token.", offset, offset)
        offset += len(text) - len(text.lstrip())
        expected = set(exc.expected)
        if exc.token.type == "COMMA" and {"NAME", "NL_OR_COMMENT"} <= expected:
            return diagnostic(source, "Missing newline after argument", "An argument definition must end with a "
                              "newline.", offset, offset + 1)
        if {"COMMA", "RSQB"} <= expected:
            return diagnostic(source, "Missing item separator", "Expected a comma to mark the beginning of the next "
                              "item.", offset, offset + 1)
        body_item = {"NAME", "NL_OR_COMMENT"} <= expected and not expected & {"EQ", "LSQB", "LPAR"}
        if body_item or expected == {"$END"}:
            if exc.token.type == "DBLQUOTE":
                return diagnostic(source, "Invalid argument name", "Argument names must not be quoted.",
                                  offset, offset + 1)
            return diagnostic(source, "Argument or block definition required",
                              "An argument or block definition is required here.", offset, offset + 1)
        if {"EQ", "LBRACE"} <= expected:
            name_end = len(source.text[:offset].rstrip())
            name_start = name_end - len(re.search(r"[\w-]*$", source.text[:name_end]).group(0))
            return diagnostic(source, "Argument or block definition required",
                              "An argument or block definition is required here. To set an argument, use the equals "
                              'sign "=" to introduce the argument value.', name_start, name_end)
        found = text.strip().split("\n")[0][:40]
        detail = f"Unexpected {found!r}: an argument or block definition, or an expression, is expected here."
        return diagnostic(source, "Invalid syntax", detail, offset, offset + 1)
    if isinstance(exc, UnexpectedCharacters):
        return diagnostic(source, "Invalid character", f"This character is not used within the language: {exc.char!r}.",
                          offset, offset + 1)
    return diagnostic(source, "Invalid syntax", "The file could not be parsed.", offset, offset + 1)


def read_body(source, node, base, braces=None):
    """Walk a lark `body` node (of a block: `braces` are its brace offsets); duplicate arguments are errors."""
    _check_newlines(source, node, base, braces)
    attributes = {}
    blocks = []
    for child in node.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name_node, expression = child.children[0], child.children[-1]
            name = name_text(name_node)
            start, end = start_of(name_node) + base, end_of(name_node) + base
            if name in attributes:
                first = attributes[name]
                raise diagnostic(source, "Attribute redefined",
                                 f"The argument \"{name}\" was already set at "
                                 f"{source.range_text(first.name_start, first.name_end)}. "
                                 "Each argument may be set only once.", start, end)
            attributes[name] = Attribute(name, Expr(expression, base), start, end)
        elif child.data == "block":
            blocks.append(_read_block(source, child, base))
    return Body(attributes, blocks, end_of(node) + base if node.children else 0)


def _check_newlines(source, node, base, braces):
    """What python-hcl2's grammar lets through but hclsyntax rejects: items not ended by a newline,
    and single-line blocks (`port "a" { to = 1 }`) with more than their one argument.

    Decided on the text between items: the grammar folds some newlines into expressions.
    """
    items = [c for c in node.children if isinstance(c, Tree) and c.data in ("attribute", "block")]
    if not items:
        return
    text = source.text

    def core_end(item):
        begin, finish = start_of(item) + base, end_of(item) + base
        return begin + len(text[begin:finish].rstrip())

    if braces is not None and "\n" not in text[braces[0]:start_of(items[0]) + base]:
        first = items[0]
        if first.data == "block":
            ident = first.children[0]
            raise diagnostic(source, "Argument definition required",
                             "A single-line block definition can contain only a single argument. If you meant to "
                             f"define argument \"{name_text(ident)}\", use an equals sign to assign it a value. To "
                             "define a nested block, place it on a line of its own within its parent block.",
                             start_of(ident) + base, end_of(ident) + base)
        after = core_end(first)
        if len(items) > 1 and "\n" not in text[after:start_of(items[1]) + base]:
            at = start_of(items[1]) + base
            raise diagnostic(source, "Invalid single-argument block definition",
                             "A single-line block definition must end with a closing brace immediately after its "
                             "single argument definition.", at, at + len(name_text(items[1].children[0])))
        newline = text.find("\n", after, braces[1])
        if newline >= 0:
            raise diagnostic(source, "Invalid single-argument block definition",
                             "An argument definition on the same line as its containing block creates a "
                             "single-line block definition, which must also be closed on the same line. Place "
                             "the block's closing brace immediately after the argument definition.",
                             newline, newline + 1)
        return
    for previous, item in zip(items, items[1:]):
        if "\n" in text[core_end(previous):start_of(item) + base]:
            continue
        if previous.data == "attribute":
            summary, detail = "Missing newline after argument", "An argument definition must end with a newline."
        else:
            summary, detail = "Missing newline after block definition", "A block definition must end with a newline."
        at = start_of(item) + base
        raise diagnostic(source, summary, detail, at, at + len(name_text(item.children[0])))


def _read_block(source, node, base):
    parts = [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]
    body_node = parts[-1]
    type_node, label_nodes = parts[0], parts[1:-1]
    labels, ranges = [], []
    for label in label_nodes:
        labels.append(label_text(source, label, base))
        ranges.append((start_of(label) + base, end_of(label) + base))
    brace = next((c for c in node.children if isinstance(c, Token) and c.type == "LBRACE"), None)
    gap = next((c for c in node.children if isinstance(c, Tree) and c.data == "new_line_or_comment"), None)
    if gap is not None and brace is not None and start_of(gap) < brace.start_pos:
        at = start_of(gap) + base + len(str(gap.children[0])) - len(str(gap.children[0]).lstrip(" \t"))
        raise diagnostic(source, "Invalid block definition", 'A block definition must have block content delimited '
                         'by "{" and "}", starting on the same line as the block header.', at, at + 1)
    closing = next((c for c in reversed(node.children) if isinstance(c, Token) and c.type == "RBRACE"), None)
    braces = (brace.start_pos + base, closing.start_pos + base) if brace is not None and closing is not None else None
    body = read_body(source, body_node, base, braces)
    body.end = end_of(node) + base - 1
    body.start = braces[0] if braces is not None else start_of(body_node) + base
    return Block(name_text(type_node), labels, body, start_of(type_node) + base, end_of(type_node) + base,
                 ranges, (brace.start_pos + base) if brace is not None else start_of(body_node) + base)


def name_text(node):
    """The text of an identifier, keyword or literal used as a name."""
    while isinstance(node, Tree):
        node = node.children[0]
    return str(node)


def label_text(source, node, base):
    """A block label: an identifier or a quoted string without interpolation."""
    if isinstance(node, Tree) and node.data == "string":
        from .hcl_template import parse_template  # a cycle: templates parse expressions

        raw = source.text[start_of(node) + base + 1:end_of(node) + base - 1]
        parts = parse_template(source, raw, start_of(node) + base + 1, quoted=True)
        if any(not isinstance(part, str) for part in parts):
            raise diagnostic(source, "Invalid string literal",
                             "Template sequences are not allowed in this string. To include a literal \"$\", "
                             "double it (as \"$$\") to escape it.", start_of(node) + base, end_of(node) + base)
        return "".join(parts)
    return name_text(node)


def start_range(expr):
    """hcl's Expression.StartRange(): where Nomad's "Unsuitable value" errors point."""
    node = expr.node
    while isinstance(node, Tree):
        inner = [c for c in node.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]
        if node.data == "expr_term" and len(inner) == 1:
            node = inner[0]
        elif node.data in ("binary_op", "conditional"):
            node = inner[0]
        elif node.data == "string":
            parts = [c for c in inner if isinstance(c, Tree) and c.data == "string_part"]
            if not parts:
                break
            first = parts[0].children[0]
            if isinstance(first, Tree) and first.data == "interpolation":
                if len(parts) == 1:  # "${x}" alone is a TemplateWrapExpr: its range is the whole quoted string
                    return start_of(node) + expr.base, end_of(node) + expr.base
                node = [c for c in first.children if isinstance(c, Tree)][0]
                continue
            return start_of(first) + expr.base, end_of(first) + expr.base
        elif node.data == "function_call":
            paren = next(c for c in node.children if isinstance(c, Token) and c.type == "LPAR")
            return start_of(node) + expr.base, paren.end_pos + expr.base
        elif node.data in ("tuple", "object", "for_tuple_expr", "for_object_expr", "unary_op"):
            return start_of(node) + expr.base, start_of(node) + expr.base + 1
        else:
            break
    return start_of(node) + expr.base, end_of(node) + expr.base
