"""Evaluate HCL2 expressions (python-hcl2's lark nodes) as hclsyntax does for jobspec2.

A Scope holds the variables (var, local, for/dynamic iterators) and the function table.
A reference to a variable that no scope defines is not an error in a jobspec: jobspec2
turns it back into its source text wrapped in ${...} (see `undefined`), which is how
${NOMAD_PORT_http}, ${attr.kernel.name} or ${env["HOME"]} reach the client unchanged.
"""

import math

from lark import Token, Tree

from . import hcl_values as V
from .hcl_reader import Expr, diagnostic, end_of, name_text, start_of
from .hcl_template import ForPart, IfPart, Interp, heredoc_parts, parse_template
from .hcl_values import ConversionError


class Scope:
    """Variables visible to an expression, with a parent chain (for, dynamic iterators).

    A static scope allows neither variables nor functions (a variable's default).
    """

    def __init__(self, source, variables=None, functions=None, parent=None, static=False):
        self.source = source
        self.static = static or (parent.static if parent else False)
        self.variables = variables or {}
        self.functions = functions if functions is not None else (parent.functions if parent else {})
        self.parent = parent

    def child(self, variables):
        return Scope(self.source, variables, parent=self)

    def lookup(self, name):
        scope = self
        while scope is not None:
            if name in scope.variables:
                return True, scope.variables[name]
            scope = scope.parent
        return False, None


class FunctionError(Exception):
    """A function call that fails; detail is the function's own message."""

    def __init__(self, detail, summary=None):
        super().__init__(detail)
        self.detail = detail
        self.summary = summary


def evaluate(expr, scope):
    """The value of an Expr in a scope; errors are JobspecErrors worded as HCL's."""
    return _Evaluator(scope, expr.base).value(expr.node)


def _parts(node):
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


class _Evaluator:
    def __init__(self, scope, base):
        self.scope = scope
        self.base = base
        self.source = scope.source

    def error(self, summary, detail, node):
        return diagnostic(self.source, summary, detail, start_of(node) + self.base, end_of(node) + self.base)

    def with_scope(self, scope):
        return _Evaluator(scope, self.base)

    def converted(self, convert, value, node, failed, null):
        """convert(value) (an hcl_values conversion), else the diagnostic at node: failed is (summary, detail)
        when it cannot convert (the reason follows the detail), null (summary, detail) when the result is null."""
        try:
            result = convert(value)
        except ConversionError as exc:
            raise self.error(failed[0], f"{failed[1]}: {exc}.", node) from None
        if result is None:
            raise self.error(*null, node)
        return result

    def value(self, node):
        if isinstance(node, Token):
            if node.type == "INT_LITERAL":
                return int(node)
            if node.type == "FLOAT_LITERAL":
                return V.number(float(node))
            raise self.error("Invalid expression", f"Unexpected {node!s}.", node)
        handler = getattr(self, "n_" + node.data, None)
        if handler is None:
            raise self.error("Unsupported expression", f"devagent cannot evaluate a {node.data} expression.", node)
        return handler(node)

    # literals and terms
    def n_expr_term(self, node):
        inner = _parts(node)
        if len(inner) == 1:
            return self.value(inner[0])
        return self.value([c for c in node.children if isinstance(c, Token)][0])

    def n_int_lit(self, node):
        return int(node.children[0])

    def n_float_lit(self, node):
        return V.number(float(node.children[0]))

    def n_literal_value(self, node):
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def n_string(self, node):
        start, end = start_of(node) + self.base, end_of(node) + self.base
        raw = self.source.text[start + 1:end - 1]
        return self.template(parse_template(self.source, raw, start + 1, quoted=True), wrap=True)

    def n_template_string(self, node):
        return str(node.children[0])[2:-2]

    def n_heredoc_template(self, node):
        token = node.children[0]
        return self.template(heredoc_parts(self.source, str(token), token.start_pos + self.base), wrap=False)

    n_heredoc_template_trim = n_heredoc_template

    def n_tuple(self, node):
        return [self.value(child) for child in _parts(node)]

    def n_object(self, node):
        out = {}
        for elem in _parts(node):
            key_node, value_node = _parts(elem)[0], _parts(elem)[-1]
            out[self.object_key(key_node)] = self.value(value_node)
        return out

    def object_key(self, key_node):
        inner = _parts(key_node)
        target = inner[0] if inner else key_node.children[0]
        if isinstance(target, Tree) and target.data == "keyword":
            return name_text(target)
        if isinstance(target, Tree) and target.data == "expr_term" and len(target.children) == 1:
            only = target.children[0]
            if isinstance(only, Tree) and only.data in ("identifier", "literal_value"):
                return name_text(only)
        summary, detail = "Incorrect key type", "Can't use this value as a key"
        return self.converted(V.to_string, self.value(target), target, (summary, detail),
                              (summary, f"{detail}: null value is not allowed."))

    # templates
    def template(self, parts, wrap):
        if wrap and len(parts) == 1 and isinstance(parts[0], Interp):
            return evaluate(parts[0].expr, self.scope)
        return "".join(self.render(parts))

    def render(self, parts):
        out = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Interp):
                out.append(self.interpolate(part.expr))
            elif isinstance(part, IfPart):
                cond = evaluate(part.cond, self.scope)
                try:
                    truth = V.to_bool(cond)
                except ConversionError as exc:
                    raise diagnostic(self.source, "Invalid template if condition",
                                     f"The condition must be a boolean: {exc}.", part.cond.start,
                                     part.cond.end) from None
                if truth is None:
                    raise diagnostic(self.source, "Invalid template if condition",
                                     "The condition must not be null.", part.cond.start, part.cond.end)
                out.extend(self.render(part.then if truth else part.otherwise))
            elif isinstance(part, ForPart):
                collection = evaluate(part.collection, self.scope)
                for key, item in self.iterate(collection, part.collection.node, part.collection.base):
                    names = {part.value: item}
                    if part.key:
                        names[part.key] = key
                    out.extend(self.with_scope(self.scope.child(names)).render(part.body))
        return out

    def interpolate(self, expr):
        value = evaluate(expr, self.scope)
        if value is None:
            raise diagnostic(self.source, "Invalid template interpolation value",
                             "The expression result is null. Cannot include a null value in a string template.",
                             expr.start, expr.end)
        try:
            return V.to_string(value)
        except ConversionError as exc:
            raise diagnostic(self.source, "Invalid template interpolation value",
                             f"Cannot include the given value in a string template: {exc}.",
                             expr.start, expr.end) from None

    # variables and traversals
    def n_identifier(self, node):
        if self.scope.static:
            raise self.error("Variables not allowed", "Variables may not be used here.", node)
        found, value = self.scope.lookup(name_text(node))
        if found:
            return value
        return self.undefined(node)

    def traversal_root(self, node):
        """The root identifier if `node` is a static traversal (a.b["c"][0]), else None."""
        while isinstance(node, Tree):
            if node.data == "expr_term":
                inner = [c for c in node.children if not (isinstance(c, Tree) and c.data == "new_line_or_comment")]
                if len(inner) != 1:
                    return None
                node = inner[0]
            elif node.data == "identifier":
                return node
            elif node.data == "get_attr_expr_term":
                node = node.children[0]
            elif node.data == "index_expr_term":
                index = node.children[1]
                if index.data == "braces_index" and not _is_literal(_parts(index)[0]):
                    return None
                node = node.children[0]
            else:
                return None
        return None

    def undefined(self, node):
        """jobspec2's UndefinedVariable: the traversal's source text, inside its ${...} if it is in one."""
        text = self.source.text
        start, end = start_of(node) + self.base, end_of(node) + self.base
        value = text[start:end]
        bracketed = False
        i = start - 1
        while i >= 1:
            if text[i] == "{" and text[i - 1] == "$":
                bracketed = True
                value = text[i - 1:start] + value
                break
            if text[i] != " ":
                break
            i -= 1
        if bracketed:
            for i in range(end + 1, len(text)):
                if text[i] == "}":
                    value += text[end:i]
                elif text[i] != " ":
                    value += "}"
                    break
        else:
            value = "${" + value + "}"
        return value

    def static_traversal(self, node):
        if self.scope.static:
            return False, None
        root = self.traversal_root(node)
        if root is None:
            return False, None
        found, _ = self.scope.lookup(name_text(root))
        if found:
            return False, None
        return True, self.undefined(node)

    def n_get_attr_expr_term(self, node):
        undefined, value = self.static_traversal(node)
        if undefined:
            return value
        return self.get_attr(self.value(node.children[0]), node.children[1])

    def get_attr(self, target, get_attr_node):
        name = name_text(get_attr_node.children[-1])
        if target is None:
            raise self.error("Attempt to get attribute from null value",
                             "This value is null, so it does not have any attributes.", get_attr_node)
        if isinstance(target, dict):
            if name not in target:
                raise self.error("Unsupported attribute", f"This object does not have an attribute named \"{name}\".",
                                 get_attr_node)
            return target[name]
        if isinstance(target, list):
            raise self.error("Unsupported attribute", "This value does not have any attributes.", get_attr_node)
        raise self.error("Unsupported attribute", "Can't access attributes on a primitive-typed value "
                         f"({V.type_name(target)}).", get_attr_node)

    def n_index_expr_term(self, node):
        undefined, value = self.static_traversal(node)
        if undefined:
            return value
        return self.index(self.value(node.children[0]), node.children[1])

    def index(self, target, index_node):
        if index_node.data == "short_index":
            key = int(index_node.children[-1])
        else:
            key = self.value(_parts(index_node)[0])
        invalid = "The given key does not identify an element in this collection value"
        if target is None:
            raise self.error("Attempt to index null value", "This value is null, so it does not have any indices.",
                             index_node)
        if isinstance(target, list):
            try:
                number = V.to_number(key)
            except ConversionError:
                raise self.error("Invalid index", f"{invalid}: a number is required.", index_node) from None
            if number is None or number != int(number) or not 0 <= int(number) < len(target):
                raise self.error("Invalid index", f"{invalid}.", index_node)
            return target[int(number)]
        if isinstance(target, dict):
            try:
                text = V.to_string(key)
            except ConversionError:
                raise self.error("Invalid index", f"{invalid}: string required.", index_node) from None
            if text not in target:
                raise self.error("Invalid index", f"{invalid}.", index_node)
            return target[text]
        raise self.error("Invalid index", "This value does not have any indices.", index_node)

    def n_attr_splat_expr_term(self, node):
        source = self.value(node.children[0])
        steps = [c for c in node.children[1].children if isinstance(c, Tree)]
        if source is None:
            return []
        out = []
        for item in source if isinstance(source, list) else [source]:
            for step in steps:
                item = self.get_attr(item, step) if step.data == "get_attr" else self.index(item, step)
            out.append(item)
        return out

    n_full_splat_expr_term = n_attr_splat_expr_term

    # operators
    def n_conditional(self, node):
        cond_node, then_node, else_node = _parts(node)
        truth = self.converted(V.to_bool, self.value(cond_node), cond_node,
                               ("Incorrect condition type", "The condition expression must be of type bool"),
                               ("Null condition", "The condition value is null. Conditions must either be true or "
                                "false."))
        chosen = self.value(then_node if truth else else_node)
        if isinstance(chosen, (bool, int, float)):
            other = self.value(else_node if truth else then_node)
            if isinstance(other, str):
                return V.to_string(chosen)
        return chosen

    def n_binary_op(self, node):
        left_node = node.children[0]
        term = next(c for c in node.children[1:] if isinstance(c, Tree) and c.data == "binary_term")
        operator = str(term.children[0].children[0]).strip()
        right_node = _parts(term)[-1]
        if operator in ("&&", "||"):
            left = self.logical(left_node, "left", node)
            right = self.logical(right_node, "right", node)
            return (left and right) if operator == "&&" else (left or right)
        left, right = self.value(left_node), self.value(right_node)
        if operator == "==":
            return V.equal(left, right)
        if operator == "!=":
            return not V.equal(left, right)
        a = self.operand_number(left, left_node, "left")
        b = self.operand_number(right, right_node, "right")
        if operator == "+":
            return V.number(a + b)
        if operator == "-":
            return V.number(a - b)
        if operator == "*":
            return V.number(a * b)
        if operator == "/":
            if b == 0:
                return math.inf if a >= 0 else -math.inf
            return V.number(a / b)
        if operator == "%":
            if b == 0:
                raise self.error("Error in function call", "Call to function \"modulo\" failed: can't use zero as "
                                 "divisor.", node)
            remainder = math.fmod(a, b)
            return V.number(int(remainder) if isinstance(a, int) and isinstance(b, int) else remainder)
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[operator]

    def operand_number(self, value, node, side):
        summary, detail = "Invalid operand", f"Unsuitable value for {side} operand"
        return self.converted(V.to_number, value, node, (summary, detail),
                              (summary, f"{detail}: a number is required."))

    def logical(self, node, side, whole):
        """An operand of && or ||: BinaryOpExpr's conversion error names its side; a null fails the operation."""
        try:
            result = V.to_bool(self.value(node))
        except ConversionError as exc:
            raise self.error("Invalid operand", f"Unsuitable value for {side} operand: {exc}.", node) from None
        if result is None:
            raise self.error("Operation failed", "Error during operation: argument must not be null.", whole)
        return result

    def n_unary_op(self, node):
        operator = str(node.children[0])
        operand_node = node.children[1]
        value = self.value(operand_node)
        if operator == "!":
            try:
                return not V.to_bool(value)
            except ConversionError as exc:
                raise self.error("Invalid operand", f"Unsuitable value for unary operand: {exc}.",
                                 operand_node) from None
        return V.number(-self.operand_number(value, operand_node, "unary"))

    # for expressions and function calls
    def iterate(self, collection, node, base):
        if isinstance(collection, list):
            return list(enumerate(collection))
        if isinstance(collection, dict):
            return V.sorted_items(collection)
        name = "null" if collection is None else V.type_name(collection)
        raise diagnostic(self.source, "Iteration over non-iterable value",
                         f"A value of type {name} cannot be used as the collection in a 'for' expression.",
                         start_of(node) + base, end_of(node) + base)

    def for_items(self, node):
        intro = next(c for c in node.children if isinstance(c, Tree) and c.data == "for_intro")
        names = [name_text(c) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        collection_node = _parts(intro)[-1]
        collection = self.value(collection_node)
        cond = next((c for c in node.children if isinstance(c, Tree) and c.data == "for_cond"), None)
        for key, item in self.iterate(collection, collection_node, self.base):
            names = {value_name: item}
            if key_name:
                names[key_name] = key
            inner = self.with_scope(self.scope.child(names))
            if cond is not None:
                try:
                    keep = V.to_bool(inner.value(_parts(cond)[-1]))
                except ConversionError as exc:
                    raise self.error("Invalid 'for' condition", f"The 'if' clause value is invalid: {exc}.",
                                     cond) from None
                if not keep:
                    continue
            yield inner

    def n_for_tuple_expr(self, node):
        body = [c for c in _parts(node) if c.data not in ("for_intro", "for_cond")][0]
        return [inner.value(body) for inner in self.for_items(node)]

    def n_for_object_expr(self, node):
        key_node, value_node = [c for c in _parts(node) if c.data not in ("for_intro", "for_cond")][:2]
        grouping = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children)
        out = {}
        for inner in self.for_items(node):
            try:
                key = V.to_string(inner.value(key_node))
            except ConversionError as exc:
                raise self.error("Invalid object key", f"The key expression produced an invalid result: {exc}.",
                                 key_node) from None
            value = inner.value(value_node)
            if grouping:
                out.setdefault(key, []).append(value)
            elif key in out:
                raise self.error("Duplicate object key", f"Two different items produced the key \"{key}\" in this "
                                 "'for' expression. If duplicates are expected, use the ellipsis (...) after the "
                                 "value expression to enable grouping by key.", key_node)
            else:
                out[key] = value
        return out

    def n_function_call(self, node):
        if self.scope.static:
            raise self.error("Function calls not allowed", "Functions may not be called here.", node)
        names = [c for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
        name = "::".join(name_text(n) for n in names)
        arguments = next((c for c in node.children if isinstance(c, Tree) and c.data == "arguments"), None)
        function = self.scope.functions.get(name)
        if function is None:
            raise self.error("Call to unknown function", f"There is no function named \"{name}\".", names[0])
        lazy = getattr(function, "lazy", False)
        if lazy:
            args = [self.scope, [Expr(child, self.base) for child in _parts(arguments)] if arguments else []]
        else:
            args = [self.value(child) for child in _parts(arguments)] if arguments else []
        if not lazy and arguments is not None and any(isinstance(c, Token) and c.type == "ELLIPSIS"
                                                      for c in arguments.children):
            last = args.pop() if args else None
            if not isinstance(last, list):
                raise self.error("Invalid expanding argument value", "The expanding argument (indicated by ...) "
                                 "must be of a tuple, list, or set type.", node)
            args.extend(last)
        try:
            return function(*args)
        except ConversionError as exc:
            raise self.error("Invalid function argument", str(exc), node) from None
        except FunctionError as exc:
            raise self.error(exc.summary or "Error in function call",
                             exc.detail if exc.summary else f"Call to function \"{name}\" failed: {exc.detail}.",
                             node) from None
        except TypeError:
            raise self.error("Wrong number of function arguments",
                             f"Function \"{name}\" was called with {len(args)} argument(s), which it does not accept.",
                             node) from None
        except (ArithmeticError, ValueError) as exc:  # a case no rule above covers: an error, never a traceback
            raise self.error("Error in function call", f"Call to function \"{name}\" failed: {exc}.", node) from None


def _is_literal(node):
    while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if isinstance(node, Tree) and node.data in ("int_lit", "float_lit", "literal_value"):
        return True
    if isinstance(node, Tree) and node.data == "string":
        return all(not isinstance(c, Tree) or all(isinstance(g, Token) for g in c.children) for c in node.children)
    return False
