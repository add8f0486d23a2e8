"""Map-typed blocks read as jobspec2's hclutil.BlocksAsAttrs reads them (task `config`, `meta`, `env`...).

Every argument is an item; nested blocks of one type become one item whose value is a list
of objects (labels nest as `{label: [object]}`), and an argument written as an object
literal is wrapped in a one-element list, as HCL1 decoded them.
"""

from dataclasses import dataclass

from . import hcl_values as V
from .hcl_eval import evaluate
from .hcl_reader import Expr


@dataclass
class Item:
    """One entry of a free-form body: an expression, a list of block objects, or an object."""

    value: object  # Expr | list[Item] | dict[str, Item]
    start: int
    end: int
    wrap: bool = False

    def evaluate(self, scope):
        """The entry's value as jobspec2's decodeInterface gives it."""
        if isinstance(self.value, Expr):
            result = interface_value(evaluate(self.value, scope))
            return [result] if self.wrap else result
        if isinstance(self.value, list):
            return [item.evaluate(scope) for item in self.value]
        return {key: item.evaluate(scope) for key, item in self.value.items()}


def just_attributes(body):
    """The body's arguments and block groups, by name, as Items."""
    out = {}
    for name, attr in body.attributes.items():
        out[name] = Item(attr.expr, attr.expr.start, attr.expr.end, wrap=_is_object_literal(attr.expr))
    grouped = {}
    for block in body.blocks:
        grouped.setdefault(block.type, []).append(block)
    for name, blocks in grouped.items():
        out[name] = Item([_block_object(block) for block in blocks], blocks[0].type_start, blocks[0].type_end)
    return out


def _block_object(block):
    value = Item(just_attributes(block.body), block.type_start, block.type_end)
    for label in reversed(block.labels):
        value = Item({label: Item([value], block.type_start, block.type_end)}, block.type_start, block.type_end)
    return value


def _is_object_literal(expr):
    node = expr.node
    while getattr(node, "data", None) == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    return getattr(node, "data", None) == "object"


def interface_value(value):
    """jobspec2's interfaceFromCtyValue: whole numbers as ints, lists and maps as they are."""
    if isinstance(value, float):
        return V.number(value)
    if isinstance(value, list):
        return [interface_value(v) for v in value]
    if isinstance(value, dict):
        return {k: interface_value(v) for k, v in value.items()}
    return value
