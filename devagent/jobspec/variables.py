"""jobspec2's input variables (`variable` and `variables` blocks, var-file values) and `locals`."""

import re

from lark import Token, Tree

from . import hcl_values as V
from .decoder import Scoped
from .errors import JobspecError
from .hcl_eval import Scope, evaluate
from .hcl_reader import Expr, diagnostic, end_of, name_text, start_of
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
        # expressionFromVariableDefinition: a -var or NOMAD_VAR_ text is a string for these types (and for none),
        # an HCL expression for the others
        self.literal_definitions = True


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
                             f"{message}\n\nThis was checked by the validation rule at {rule}.",
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
        keyword = _unwrapped(attrs["type"].expr.node)
        variable.literal_definitions = (isinstance(keyword, Tree) and keyword.data == "identifier"
                                        and name_text(keyword) in ("string", "number"))
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


def set_variable_values(decoder, declared, body, strict=False):
    """Values from a var file or var content (`name = value`); an undefined name is an error only when strict
    (the CLI), a warning over the HTTP API."""
    static = Scope(decoder.source, static=True)
    for block in body.blocks:
        if block.type == "variable":
            name = block.labels[0] if block.labels else ""
            raise diagnostic(decoder.source, "Variable declaration in a .var file", "A .var file is used to assign "
                             "values to variables that have already been declared in job files, not to declare new "
                             f"variables. To declare variable \"{name}\", place this block in one of your job "
                             f"files\n\nTo set a value for this variable in {decoder.source.name}, use the "
                             f"definition syntax instead:\n    {name} = <value>", block.type_start, block.type_end)
    for name, attr in body.attributes.items():
        variable = declared.variables.get(name)
        if variable is None:
            if strict:
                declared.decoder.diagnostics.append(diagnostic(
                    None, "Undefined variable", f'A "{name}" variable was set but was not found in known variables. '
                    f'To declare variable "{name}", place this block in your job files'))
            continue
        _assign(decoder, variable, evaluate(attr.expr, static), "varfile", attr.expr, "Invalid value for variable",
                f"The value for {name} is not compatible with the variable's type constraint")


def set_command_line_values(declared, env: dict, args: dict) -> None:
    """collectInputVariableValues' NOMAD_VAR_* (before the files) or -var (after them) values, as the CLI reads them;
    give `env` or `args`."""
    for name, text in env.items():
        variable = declared.variables.get(name)
        if variable is not None:  # an undefined NOMAD_VAR_ is ignored
            _define(variable, text, f"<value for var.{name} from env>", "env", "Invalid value for variable",
                    f"The value for {name} is not compatible with the variable's type constraint")
    for name, text in args.items():
        variable = declared.variables.get(name)
        if variable is None:
            declared.decoder.diagnostics.append(diagnostic(
                None, "Undefined -var variable", f'A "{name}" variable was passed in the command line but was not '
                f'found in known variables. To declare variable "{name}", place this block in your job file'))
            continue
        _define(variable, text, f"<value for var.{name} from arguments>", "cmd",
                "Invalid argument value for -var variable",
                f"The received arg value for {name} is not compatible with the variable's type constraint")


def _define(variable, text, filename, origin, summary, detail):
    """expressionFromVariableDefinition, then the value: a string, or the text read as an HCL expression."""
    from .decoder import Decoder
    from .hcl_reader import Source, read_hcl

    if variable.literal_definitions:
        _assign(Decoder(Source(text, filename)), variable, text, origin, None, summary, detail)
        return
    _, body = read_hcl("v = " + text, filename)  # the text as an attribute's expression, shifted back below
    expr = body.attributes["v"].expr
    expr = Expr(expr.node, expr.base - len("v = "))
    decoder = Decoder(Source(text, filename))
    _assign(decoder, variable, evaluate(expr, Scope(decoder.source, static=True)), origin, expr, summary, detail)


def _assign(decoder, variable, value, origin, expr, summary, detail):
    """Convert to the variable's type (an error names the value's place) and record it; the last one wins."""
    if variable.convert is not None:
        try:
            value = variable.convert(value)
        except ConversionError as exc:
            if expr is None:  # a LiteralValueExpr made from the text has an empty range
                raise JobspecError(f":0,0-0: {summary}; {detail}: {exc}.") from None
            raise diagnostic(decoder.source, summary, f"{detail}: {exc}.", expr.start, expr.end) from None
    variable.values.append((value, origin, expr))


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


def type_converter(decoder, expr, constraint=False):
    """typeexpr's getType: a converter for the type `expr` names. Variables take exact types (constraint=False:
    no `any`, no `optional`); convert() takes a type constraint."""
    node = _unwrapped(expr.node)

    def fail(detail, start=expr.start, end=expr.end):
        raise diagnostic(decoder.source, "Invalid type specification", detail, start, end)

    if isinstance(node, Tree) and node.data == "identifier":
        keyword = name_text(node)
        simple = {"string": V.to_string, "number": V.to_number, "bool": V.to_bool}
        if keyword in simple:
            return simple[keyword]
        if keyword == "any":
            if constraint:
                return lambda v: v
            fail('The keyword "any" cannot be used in this type specification: an exact type is required.')
        if keyword in _CONSTRUCTOR_NEEDS:
            fail(_CONSTRUCTOR_NEEDS[keyword])
        fail(f'The keyword "{keyword}" is not a valid type specification.')
    if not (isinstance(node, Tree) and node.data == "function_call"):
        fail("A type specification is either a primitive type keyword (bool, number, string) or a complex type "
             "constructor call, like list(string).")
    name_node = node.children[0]
    keyword = name_text(name_node)
    args = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
    inner = [Expr(c, expr.base) for c in (args.children if args else [])
             if isinstance(c, Tree) and c.data != "new_line_or_comment"]
    parens = [c for c in node.children if isinstance(c, Token) and c.type in ("LPAR", "RPAR")]
    args_range = ((parens[0].start_pos + expr.base, parens[-1].end_pos + expr.base) if len(parens) == 2
                  else (expr.start, expr.end))
    if keyword in ("bool", "string", "number"):
        fail(f'Primitive type keyword "{keyword}" does not expect arguments.', *args_range)
    if keyword == "any":
        fail('Type constraint keyword "any" does not expect arguments.', *args_range)
    if keyword in _CONSTRUCTOR_NEEDS and len(inner) != 1:
        fail(_CONSTRUCTOR_NEEDS[keyword], *(args_range if not inner else (inner[1].start, inner[-1].end)))
    if keyword in ("list", "set", "map"):
        element = type_converter(decoder, inner[0], constraint)
        if keyword == "map":
            return lambda v: V.to_map(v, element)
        return lambda v: _sequence(V.to_list(v, element), keyword)
    if keyword == "object":
        return _object_converter(decoder, inner[0], constraint, fail)
    if keyword == "tuple":
        elements = _unwrapped(inner[0].node)
        if not (isinstance(elements, Tree) and elements.data == "tuple"):
            fail("Tuple type constructor requires a list of element types.", inner[0].start, inner[0].end)
        converters = [type_converter(decoder, Expr(c, expr.base), constraint) for c in elements.children
                      if isinstance(c, Tree) and c.data != "new_line_or_comment"]
        return lambda v: _to_tuple(v, converters)
    if keyword == "optional":
        fail('Keyword "optional" is valid only as a modifier for object type attributes.',
             start_of(name_node) + expr.base, end_of(name_node) + expr.base)
    fail(f'Keyword "{keyword}" is not a valid type constructor.')


_CONSTRUCTOR_NEEDS = {
    "list": "The list type constructor requires one argument specifying the element type.",
    "map": "The map type constructor requires one argument specifying the element type.",
    "set": "The set type constructor requires one argument specifying the element type.",
    "object": "The object type constructor requires one argument specifying the attribute types and values as a map.",
    "tuple": "The tuple type constructor requires one argument specifying the element types as a list.",
}


def _unwrapped(node):
    while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    return node


def _object_converter(decoder, spec, constraint, fail):
    """object({name = type, ...}): every attribute required (optional() only in a type constraint)."""
    node = _unwrapped(spec.node)
    if not (isinstance(node, Tree) and node.data == "object"):
        fail("Object type constructor requires a map whose keys are attribute names and whose values are the "
             "corresponding attribute types.", spec.start, spec.end)
    attributes, optional = {}, set()
    for element in (c for c in node.children if isinstance(c, Tree) and c.data == "object_elem"):
        key_node, value_node = [c for c in element.children if isinstance(c, Tree)][:2]
        name = name_text(key_node)
        value = Expr(value_node, spec.base)
        call = _unwrapped(value_node)
        if isinstance(call, Tree) and call.data == "function_call" and name_text(call.children[0]) == "optional":
            if not constraint:
                name_node = call.children[0]
                fail("Optional attribute modifier is only for type constraints, not for exact types.",
                     start_of(name_node) + spec.base, end_of(name_node) + spec.base)
            optional.add(name)
            args = next((c for c in call.children if isinstance(c, Tree) and c.data == "arguments"), None)
            value = Expr(next(c for c in args.children if isinstance(c, Tree)), spec.base)
        attributes[name] = type_converter(decoder, value, constraint)
    return lambda v: _to_object(v, attributes, optional)


def _to_object(value, attributes, optional):
    """cty's conversion to an object type: the type's attributes, converted; others are dropped."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConversionError("object required")
    out = {}
    for name in sorted(attributes):
        if name not in value:
            if name in optional:
                out[name] = None
                continue
            raise ConversionError(f'attribute "{name}" is required')
        out[name] = attributes[name](value[name])
    return out


def _to_tuple(value, converters):
    """cty's conversion to a tuple type: as many elements as the type has, each converted."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != len(converters):
        raise ConversionError("tuple required")
    return [convert(item) for convert, item in zip(converters, value)]


def _sequence(values, keyword):
    if keyword != "set" or values is None:
        return values
    out = []
    for value in values:
        if not any(V.equal(value, seen) for seen in out):
            out.append(value)
    # a cty set iterates strings in lexical and numbers in numeric order
    if out and (all(isinstance(v, str) for v in out) or all(V.is_number(v) for v in out)):
        out.sort()
    return out
