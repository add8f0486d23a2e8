"""jobspec2's input variables (`variable` and `variables` blocks, var-file values) and `locals`."""

import re

from lark import Tree

from . import hcl_values as V
from .decoder import Scoped
from .errors import JobspecError
from .hcl_eval import Scope, evaluate
from .hcl_reader import diagnostic, name_text
from .hcl_values import ConversionError

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class Variable:
    """A declared input variable: its type converter and the values set for it (last one wins)."""

    def __init__(self, name, block_start, block_end):
        self.name = name
        self.convert = None
        self.values = []
        self.validations = []
        self.range = (block_start, block_end)


class Declared:
    """The input variables of one jobspec, by name."""

    def __init__(self, decoder):
        self.decoder = decoder
        self.variables = {}

    def values(self):
        """Variables.Values(): every variable needs a value or a default."""
        out = {}
        for name, variable in self.variables.items():
            if not variable.values:
                raise diagnostic(None, f'Unset variable "{name}"', "A used variable must be set or have a default "
                                 "value; see https://developer.hashicorp.com/nomad/docs/job-specification/hcl2/"
                                 "variables for details.")
            value, origin, expr = variable.values[-1]
            for condition, message, start, end in variable.validations:
                self.validate(variable, value, origin, expr, condition, message, start, end)
            out[name] = value
        return out

    def validate(self, variable, value, origin, expr, condition, message, start, end):
        from .hcl_functions import FUNCTIONS

        scope = Scope(self.decoder.source, {"var": {variable.name: value}}, FUNCTIONS)
        result = evaluate(condition, scope)
        try:
            ok = V.to_bool(result)
        except ConversionError as exc:
            raise diagnostic(self.decoder.source, "Invalid variable validation result",
                             f"Invalid validation condition result value: {exc}.", condition.start,
                             condition.end) from None
        if ok is None:
            raise diagnostic(self.decoder.source, "Invalid variable validation result", "Validation condition "
                             "expression must return either true or false, not null.", condition.start, condition.end)
        if not ok:
            rule = self.decoder.source.range_text(start, end)
            subject = (expr.start, expr.end) if expr is not None else (start, end)
            raise diagnostic(self.decoder.source, f"Invalid value for {origin} variable",
                             f"{message} This was checked by the validation rule at {rule}.",  # one line: Nomad has \n\n
                             *subject)


def declare_variables(decoder, body, root):
    """decodeInputVariables: `variable "x" {...}` blocks and `variables { x = ... }` blocks."""
    declared = Declared(decoder)
    static = Scope(decoder.source, static=True)
    for block in body.blocks:
        if block.type == "variable":
            _variable_block(decoder, declared, block, static)
        elif block.type == "variables":
            for name, attr in block.body.attributes.items():
                if name in declared.variables:
                    raise diagnostic(None, "Duplicate variable", f"Duplicate {name} variable definition found.")
                if not _IDENTIFIER.fullmatch(name):
                    raise diagnostic(decoder.source, "Invalid variable name", "A name must start with a letter or "
                                     "underscore and may contain only letters, digits, underscores, and dashes.",
                                     attr.name_start, attr.name_end)
                variable = Variable(name, attr.name_start, attr.expr.end)
                variable.values.append((evaluate(attr.expr, static), "default", attr.expr))
                declared.variables[name] = variable
            if block.body.blocks:
                inner = block.body.blocks[0]
                raise diagnostic(decoder.source, f'Unexpected "{inner.type}" block', "Blocks are not allowed here.",
                                 inner.type_start, inner.type_end)
    return declared


def _variable_block(decoder, declared, block, static):
    name = block.labels[0]
    if name in declared.variables:
        raise diagnostic(None, "Duplicate variable", f"Duplicate {name} variable definition found.")
    attrs, blocks = decoder.content(Scoped(block.body, static), ("description", "default", "type"), ("validation",))
    if not _IDENTIFIER.fullmatch(name):
        start, end = block.label_ranges[0]
        raise diagnostic(decoder.source, "Invalid variable name", "A name must start with a letter or underscore "
                         "and may contain only letters, digits, underscores, and dashes.", start, end)
    variable = Variable(name, block.type_start, block.label_ranges[0][1])
    if "type" in attrs:
        variable.convert = type_converter(decoder, attrs["type"].expr)
    if "default" in attrs:
        expr = attrs["default"].expr
        value = evaluate(expr, static)
        if variable.convert is not None:
            try:
                value = variable.convert(value)
            except ConversionError as exc:
                raise diagnostic(decoder.source, "Invalid default value for variable", "This default value is not "
                                 f"compatible with the variable's type constraint: {exc}.", expr.start,
                                 expr.end) from None
        variable.values.append((value, "default", expr))
    for inner, _scope in blocks:
        variable.validations.append(_validation(decoder, name, inner))
    declared.variables[name] = variable


def _validation(decoder, name, block):
    attrs, _ = decoder.content(Scoped(block.body, Scope(decoder.source)), ("condition", "error_message"), ())
    for required in ("condition", "error_message"):
        if required not in attrs:
            raise diagnostic(decoder.source, "Missing required argument", f'The argument "{required}" is required, '
                             "but no definition was found.", block.body.start, block.body.start)
    message_expr = attrs["error_message"].expr
    message = evaluate(message_expr, Scope(decoder.source, static=True))
    if not message:
        raise diagnostic(decoder.source, "Invalid validation error message", "An empty string is not a valid nor "
                         "useful error message.", message_expr.start, message_expr.end)
    if not (message[0].isupper() or not message[0].isalpha()) or message[-1] not in ".?!":
        raise diagnostic(decoder.source, "Invalid validation error message", "Validation error message must be at "
                         "least one full sentence starting with an uppercase letter ( if the alphabet permits it ) "
                         "and ending with a period or question mark.", message_expr.start, message_expr.end)
    start, end = block.type_start, block.type_end
    return attrs["condition"].expr, message, start, end


def set_variable_values(decoder, declared, body):
    """Values from var content (`name = value`), as the parse endpoint's `Variables` field gives them."""
    static = Scope(decoder.source, static=True)
    for block in body.blocks:
        if block.type == "variable":
            raise diagnostic(decoder.source, "Variable declaration in a .var file", "A .var file is used to assign "
                             "values to variables that have already been declared in job files, not to declare new "
                             "variables.", block.type_start, block.type_end)
    for name, attr in body.attributes.items():
        variable = declared.variables.get(name)
        if variable is None:
            continue  # an undefined variable is a warning when parsing over the HTTP API
        value = evaluate(attr.expr, static)
        if variable.convert is not None:
            try:
                value = variable.convert(value)
            except ConversionError as exc:
                raise diagnostic(decoder.source, "Invalid value for variable", f"The value for {name} is not "
                                 f"compatible with the variable's type constraint: {exc}.", attr.expr.start,
                                 attr.expr.end) from None
        variable.values.append((value, "varfile", attr.expr))


def evaluate_locals(decoder, body, root, locals_):
    """parseLocalVariables + evaluateLocalVariables: retry order until every local resolves."""
    pending = []
    for block in body.blocks:
        if block.type != "locals":
            continue
        if block.body.blocks:
            inner = block.body.blocks[0]
            raise diagnostic(decoder.source, f'Unexpected "{inner.type}" block', "Blocks are not allowed here.",
                             inner.type_start, inner.type_end)
        for name, attr in block.body.attributes.items():
            if name in locals_ or any(name == p[0] for p in pending):
                raise diagnostic(decoder.source, "Duplicate value in locals", f"Duplicate {name} definition found.",
                                 attr.name_start, attr.name_end)
            pending.append((name, attr.expr))
    stuck = 0
    while pending:
        name, expr = pending.pop(0)
        try:
            locals_[name] = evaluate(expr, root)
            stuck = 0
        except JobspecError:
            if not pending or stuck > len(pending) + 1:
                raise
            stuck += 1
            pending.append((name, expr))


def type_converter(decoder, expr):
    """typeexpr.Type: string, number, bool, any, list(T), set(T), map(T), tuple([...]), object({...})."""
    node = expr.node
    while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if isinstance(node, Tree) and node.data == "identifier":
        keyword = name_text(node)
        simple = {"string": V.to_string, "number": V.to_number, "bool": V.to_bool, "any": lambda v: v}
        if keyword in simple:
            return simple[keyword]
        raise diagnostic(decoder.source, "Invalid type specification", f'The keyword "{keyword}" is not a valid '
                         "type specification.", expr.start, expr.end)
    if isinstance(node, Tree) and node.data == "function_call":
        keyword = name_text(node.children[0])
        args = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        inner = [c for c in args.children if isinstance(c, Tree) and c.data != "new_line_or_comment"] if args else []
        if keyword in ("list", "set", "map") and len(inner) == 1:
            from .hcl_reader import Expr

            element = type_converter(decoder, Expr(inner[0], expr.base))
            if keyword == "map":
                return lambda v: V.to_map(v, element)
            return lambda v: _sequence(V.to_list(v, element), keyword)
        if keyword in ("object", "tuple"):
            return lambda v: v
    raise diagnostic(decoder.source, "Invalid type specification", "A type specification is either a primitive "
                     "type keyword (bool, number, string) or a complex type constructor call, like list(string).",
                     expr.start, expr.end)


def _sequence(values, keyword):
    if keyword != "set" or values is None:
        return values
    out = []
    for value in values:
        if not any(V.equal(value, seen) for seen in out):
            out.append(value)
    return out
