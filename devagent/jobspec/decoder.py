"""Decode HCL bodies into Nomad api struct dicts, as jobspec2's gohcl decoder does.

The field table is api_types.STRUCTS. Like gohcl: unknown arguments and blocks are
"Unsupported argument"/"Unsupported block type", values convert with cty's rules,
`dynamic` blocks expand (hcl's dynblock), map-typed blocks (meta, env) read just
attributes, and free-form maps (task `config`, proxy `config`) read nested blocks as
lists of objects (jobspec2's hclutil.BlocksAsAttrs). Only fields written are set.
"""

from dataclasses import dataclass

from . import hcl_values as V
from .api_types import go_type, hcl_fields, label_field
from .errors import JobspecError
from .freeform import just_attributes
from .go_values import convert_to_go
from .hcl_eval import Scope, evaluate
from .hcl_reader import Block, Body, Expr, diagnostic, name_text, start_range
from .hcl_values import ConversionError
from devagent.gostrconv import INT64_MAX, INT64_MIN

_OPERATOR_SHORTHANDS = ("version", "semver", "regexp", "set_contains", "set_contains_all", "set_contains_any")


@dataclass
class Scoped:
    """A body with the scope its expressions evaluate in (dynamic blocks add iterators)."""

    body: Body
    scope: Scope


class Decoder:
    """Decodes bodies of one jobspec; `source` words the errors."""

    def __init__(self, source):
        self.source = source
        # Set while decoding the job's body: gohcl reports a body's unsupported items and decodes on, so they
        # are kept here and the decode goes on (jobspec2 prints every diagnostic, one per line).
        self.collecting = False
        self.diagnostics: list[JobspecError] = []

    # errors
    def error(self, summary, detail, start, end):
        return diagnostic(self.source, summary, detail, start, end)

    def block_def(self, block):
        end = block.label_ranges[-1][1] if block.label_ranges else block.type_end
        return block.type_start, end

    # schema checks
    def content(self, scoped, attributes, blocks, labels=None, hidden=(), ordered=False):
        """hclsyntax Body.Content plus dynblock: check names, expand dynamic blocks; (attrs, blocks).

        Suggestions follow the schema's order: gohcl sorts a struct's names (`ordered` keeps them).
        """
        labels = labels or {}
        body = scoped.body
        problems = [self._unsupported_argument(name, attr, attributes, blocks, body)
                    for name, attr in body.attributes.items() if name not in hidden and name not in attributes]
        problems += [self._unsupported_block(block, blocks, attributes, ordered) for block in body.blocks
                     if block.type not in hidden and block.type not in blocks and block.type != "dynamic"]
        if problems and not self.collecting:
            raise joined_diagnostics(problems)
        self.diagnostics.extend(problems)
        found = self.expand(scoped, blocks, labels, hidden, ordered=ordered, attributes=attributes,
                            skip_unknown=bool(problems))
        return {n: a for n, a in body.attributes.items() if n in attributes}, found

    def _unsupported_argument(self, name, attr, attributes, blocks, body):
        suggestion = _suggest(name, sorted(a for a in attributes if a not in body.attributes))
        if suggestion:
            hint = f' Did you mean "{suggestion}"?'
        elif name in blocks:
            hint = f' Did you mean to define a block of type "{name}"?'
        else:
            hint = ""
        return self.error("Unsupported argument", f'An argument named "{name}" is not expected here.{hint}',
                          attr.name_start, attr.name_end)

    def _unsupported_block(self, block, blocks, attributes, ordered):
        suggestion = _suggest(block.type, list(blocks) if ordered else sorted(blocks))
        if suggestion:
            hint = f' Did you mean "{suggestion}"?'
        elif block.type in attributes:
            hint = (f' Did you mean to define argument "{block.type}"? If so, use the equals sign to '
                    "assign it a value.")
        else:
            hint = ""
        return self.error("Unsupported block type", f'Blocks of type "{block.type}" are not expected '
                          f"here.{hint}", block.type_start, block.type_end)

    def expand(self, scoped, blocks, labels, hidden, partial=False, ordered=False, attributes=(),
               skip_unknown=False):
        """The body's blocks with `dynamic` ones expanded; unknown types are errors unless partial (or already
        reported: skip_unknown)."""
        out = []
        for block in scoped.body.blocks:
            if block.type in hidden:
                continue
            if block.type == "dynamic" and "dynamic" not in blocks:
                if partial and (len(block.labels) != 1 or block.labels[0] not in blocks):
                    continue
                out.extend(self.expand_dynamic(scoped, block, blocks, labels, hidden))
                continue
            if (partial or skip_unknown) and block.type not in blocks:
                continue
            if block.type not in blocks:
                raise self._unsupported_block(block, blocks, attributes, ordered)
            self.check_labels(block, labels.get(block.type, ()))
            out.append((block, scoped.scope))
        return out

    def check_labels(self, block, names):
        """hclsyntax's label count checks (a label named "" prints as such, as Nomad's Port's does)."""
        if len(block.labels) > len(names):
            start, end = block.label_ranges[len(names)]
            if not names:
                raise self.error(f"Extraneous label for {block.type}",
                                 f"No labels are expected for {block.type} blocks.", start, end)
            raise self.error(f"Extraneous label for {block.type}",
                             f"Only {len(names)} labels ({', '.join(names)}) are expected for {block.type} blocks.",
                             start, end)
        if len(block.labels) < len(names):
            raise self.error(f"Missing {names[len(block.labels)]} for {block.type}",
                             f"All {block.type} blocks must have {len(names)} labels ({', '.join(names)}).",
                             block.open_brace, block.open_brace + 1)

    def expand_dynamic(self, scoped, block, blocks, labels, hidden):
        if len(block.labels) != 1:
            self.check_labels(block, ("type",))
        real_type = block.labels[0]
        if real_type in hidden:
            return []
        if real_type not in blocks:
            start, end = block.label_ranges[0]
            raise self.error("Unsupported block type", f'Blocks of type "{real_type}" are not expected here.',
                             start, end)
        label_names = labels.get(real_type, ())
        spec = block.body
        allowed = ("for_each", "iterator", "labels") if label_names else ("for_each", "iterator")
        attrs, contents = self.content(Scoped(spec, scoped.scope), allowed, ("content",))
        if "for_each" not in attrs:
            raise self.error("Missing required argument",
                             'The argument "for_each" is required, but no definition was found.', spec.start, spec.start)
        iterator = real_type
        if "iterator" in attrs:
            iterator = _traversal_name(self, attrs["iterator"].expr)
        each_expr = attrs["for_each"].expr
        each = evaluate(each_expr, scoped.scope)
        if each is None:
            raise self.error("Invalid dynamic for_each value", "Cannot use a null value in for_each.",
                             each_expr.start, each_expr.end)
        if not isinstance(each, (list, dict)):
            raise self.error("Invalid dynamic for_each value", f"Cannot use a {V.type_name(each)} value in "
                             "for_each. An iterable collection is required.", each_expr.start, each_expr.end)
        label_exprs = []
        if "labels" in attrs:
            label_exprs = _list_items(attrs["labels"].expr)
            if len(label_exprs) != len(label_names):
                summary = ("Extraneous dynamic block label" if len(label_exprs) > len(label_names)
                           else "Insufficient dynamic block labels")
                raise self.error(summary, f'Blocks of type "{real_type}" require {len(label_names)} label(s).',
                                 attrs["labels"].expr.start, attrs["labels"].expr.end)
        if not contents:
            raise self.error("Missing dynamic content block", "A dynamic block must have a nested block of type "
                             "\"content\" to describe the body of each generated block.", spec.start, spec.start)
        if len(contents) > 1:
            start, end = self.block_def(contents[1][0])
            raise self.error("Extraneous dynamic content block", "Only one nested content block is allowed for "
                             "each dynamic block.", start, end)
        content_block = contents[0][0]
        items = list(enumerate(each)) if isinstance(each, list) else V.sorted_items(each)
        out = []
        for key, value in items:
            child = scoped.scope.child({iterator: {"key": key, "value": value}})
            new_labels = []
            for expr in label_exprs:
                label = evaluate(expr, child)
                try:
                    label = V.to_string(label)
                except ConversionError as exc:
                    raise self.error("Invalid dynamic block label", f"Cannot use this value as a dynamic block "
                                     f"label: {exc}.", expr.start, expr.end) from None
                if label is None:
                    raise self.error("Invalid dynamic block label", "Cannot use a null value as a dynamic block "
                                     "label.", expr.start, expr.end)
                new_labels.append(label)
            ranges = [(e.start, e.end) for e in label_exprs]
            generated = Block(real_type, new_labels, content_block.body, block.label_ranges[0][0],
                              block.label_ranges[0][1], ranges, block.open_brace)
            out.append((generated, child))
        return out

    # structs
    def decode_struct(self, scoped, struct, hidden=()):
        """gohcl decodeBodyToStruct for an api struct; returns a dict of the fields written."""
        custom = getattr(self, "struct_" + struct, None)
        if custom is not None:
            return custom(scoped, hidden)
        return self.decode_fields(scoped, struct, hidden)

    def decode_fields(self, scoped, struct, hidden=()):
        fields = hcl_fields(struct)
        attributes = {n: f for n, f in fields.items() if f.hcl_kind in ("optional", "required")}
        blocks = {n: f for n, f in fields.items() if f.hcl_kind == "block"}
        labels = {n: _block_labels(f) for n, f in blocks.items()}
        for name, field in sorted(attributes.items()):
            # gohcl: an attribute without ",optional" is required unless its field is a pointer
            required = field.hcl_kind == "required" and field.type.kind != "ptr"
            if required and name not in scoped.body.attributes and name not in hidden:
                raise self.error("Missing required argument",
                                 f'The argument "{name}" is required, but no definition was found.',
                                 scoped.body.start, scoped.body.start)
        attrs, found = self.content(scoped, attributes, blocks, labels, hidden)
        out = {}
        for name, attr in attrs.items():
            field = attributes[name]
            out[field.json] = self.attribute_value(attr.expr, scoped.scope, field.type)
        by_type = {}
        for block, scope in found:
            by_type.setdefault(block.type, []).append((block, scope))
        for name, field in blocks.items():
            items = by_type.get(name)
            if not items:
                continue
            out[field.json] = self.block_value(items, field)
        return out

    def block_value(self, items, field):
        gotype = field.type
        if gotype.kind == "slice":
            return [self.one_block(block, scope, gotype.elem) for block, scope in items]
        if gotype.kind == "map" and _struct_name(gotype.elem):
            out = {}
            for block, scope in items:
                out[block.labels[0]] = self.one_block(block, scope, gotype.elem)
            return out
        if len(items) > 1:
            first, second = items[0][0], items[1][0]
            start, end = self.block_def(first)
            s2, e2 = self.block_def(second)
            raise self.error(f"Duplicate {field.hcl} block", f"Only one {field.hcl} block is allowed. Another was "
                             f"defined at {self.source.range_text(start, end)}.", s2, e2)
        block, scope = items[0]
        return self.one_block(block, scope, gotype)

    def one_block(self, block, scope, gotype):
        scoped = Scoped(block.body, scope)
        while gotype.kind == "ptr":
            gotype = gotype.elem
        if gotype.kind == "map":
            return self.decode_map(scoped, gotype.elem)
        value = self.decode_struct(scoped, gotype.name)
        label = label_field(gotype.name)
        if label is not None and block.labels:
            value[label.json] = block.labels[0]
        return value

    # attribute values
    def attribute_value(self, expr, scope, gotype):
        """gohcl DecodeExpression into a Go type: cty conversion plus Go's range checks."""
        value = evaluate(expr, scope)
        try:
            return convert_to_go(value, gotype)
        except ConversionError as exc:
            detail = str(exc)
            if gotype.kind in ("duration",) or (gotype.kind == "ptr" and gotype.elem.kind == "duration"):
                if detail.startswith("time:"):
                    detail = f"Unsuitable duration value: {detail}"
                else:
                    detail = f"Unsuitable value: {detail}"
            else:
                detail = f"Unsuitable value: {detail}"
            raise self.error("Unsuitable value type", detail, *start_range(expr)) from None

    # maps
    def decode_map(self, scoped, elem):
        """A map-typed block (meta, env, header, config): gohcl decodeBodyToMap over just attributes."""
        attrs = just_attributes(scoped.body)
        if elem.kind == "any":
            return {name: item.evaluate(scoped.scope) for name, item in attrs.items()}
        return {name: self.map_element(item, scoped.scope, elem) for name, item in attrs.items()}

    def map_element(self, item, scope, elem):
        start, end = start_range(item.value) if isinstance(item.value, Expr) else (item.start, item.end)
        try:
            return convert_to_go(item.evaluate(scope), elem)
        except ConversionError as exc:
            raise self.error("Unsuitable value type", f"Unsuitable value: {exc}", start, end) from None

    def decode_attribute_map(self, attr, scope, elem):
        """`meta = { ... }` written as an argument (jobspec2's decodeAsAttribute)."""
        value = evaluate(attr.expr, scope)
        try:
            return convert_to_go(value, _map_of(elem)) or {}
        except ConversionError as exc:
            raise self.error("Unsuitable value type", f"Unsuitable value: {exc}",
                             *start_range(attr.expr)) from None

    def attribute_or_block(self, scoped, name):
        """jobspec2's decodeAsAttribute: the map of a `name = {...}` argument, or None when written as a block."""
        attr = scoped.body.attributes.get(name)
        if attr is None:
            return None
        for block in scoped.body.blocks:
            if block.type == name:
                start, end = self.block_def(block)
                raise self.error(f"Duplicate {name} block", f"{name} may not be defined more than once. Another "
                                 f"definition is defined at {self.source.range_text(attr.name_start, attr.expr.end)}.",
                                 start, end)
        return self.decode_attribute_map(attr, scoped.scope, _STRING)

    # custom decoders (jobspec2's hcl_decoder.go)
    def struct_Constraint(self, scoped, hidden=()):
        names = ("attribute", "value", "operator", "distinct_property", "distinct_hosts", "regexp", "version",
                 "semver", "set_contains", "set_contains_all", "set_contains_any", "attribute_is_set",
                 "attribute_is_not_set")
        values = self.spec_values(scoped, names, {"distinct_hosts": _BOOL})
        out = {"LTarget": values.get("attribute") or "", "RTarget": values.get("value") or "",
               "Operand": values.get("operator") or ""}
        for name in ("version", "semver", "regexp", "set_contains"):
            if values.get(name):
                out["Operand"], out["RTarget"] = name, values[name]
        if values.get("distinct_hosts") is not None:
            out["Operand"], out["RTarget"] = "distinct_hosts", "true" if values["distinct_hosts"] else "false"
        if values.get("distinct_property"):
            out["Operand"], out["LTarget"] = "distinct_property", values["distinct_property"]
        if not out["Operand"]:
            out["Operand"] = "="
        return out

    def struct_Affinity(self, scoped, hidden=()):
        names = ("attribute", "value", "operator", "weight") + _OPERATOR_SHORTHANDS
        values = self.spec_values(scoped, names, {"weight": _NUMBER})
        out = {"LTarget": values.get("attribute") or "", "RTarget": values.get("value") or "",
               "Operand": values.get("operator") or ""}
        if values.get("weight") is not None:
            out["Weight"] = _int8(_saturated_int64(values["weight"]))
        for name in ("version", "semver", "regexp", "set_contains_any", "set_contains_all", "set_contains"):
            if values.get(name):
                out["Operand"], out["RTarget"] = name, values[name]
        if not out["Operand"]:
            out["Operand"] = "="
        return out

    def spec_values(self, scoped, names, types):
        """hcldec.Decode of an ObjectSpec of optional attributes (strings unless typed otherwise)."""
        attrs, _ = self.content(scoped, names, ())
        out = {}
        for name, attr in attrs.items():
            gotype = types.get(name, _PSTRING)
            out[name] = self.spec_value(attr, scoped.scope, gotype)
        return out

    def spec_value(self, attr, scope, gotype):
        value = evaluate(attr.expr, scope)
        try:
            converted = {"bool": V.to_bool, "string": V.to_string, "float": V.to_number}[gotype.kind](value)
        except ConversionError as exc:
            raise self.error("Incorrect attribute value type", f'Inappropriate value for attribute "{attr.name}": '
                             f"{exc}.", attr.expr.start, attr.expr.end) from None
        return converted

    def struct_TaskGroup(self, scoped, hidden=()):
        meta = self.attribute_or_block(scoped, "meta")
        hidden = tuple(hidden) + (("meta",) if meta is not None else ())
        vaults = [b for b in scoped.body.blocks if b.type == "vault"]
        # jobspec2 reads a group's vault blocks apart, one after the other: the last one wins
        vault = self.group_vault(vaults[-1], scoped.scope) if vaults else None
        out = self.decode_fields(scoped, "TaskGroup", hidden + ("vault",))
        if meta is not None:
            out["Meta"] = meta
        if vault is not None:
            for task in out.get("Tasks") or []:
                if task.get("Vault") is None:
                    task["Vault"] = dict(vault)
        scaling = out.get("Scaling")
        if scaling is not None:
            if not scaling.get("Type"):
                scaling["Type"] = "horizontal"
            self.check_group_scaling(scoped, scaling)
        return out

    def group_vault(self, block, scope) -> dict:
        """A group's vault block as jobspec2 reads it: decodeTaskGroup overwrites the block's diagnostics, so
        whatever decodes is kept and what does not (an unknown or mistyped argument) is silently left unset."""
        collecting, self.collecting = self.collecting, False  # its errors are raised here, to be dropped
        try:
            return self._decode_dropping_errors(block, scope)
        finally:
            self.collecting = collecting

    def _decode_dropping_errors(self, block, scope) -> dict:
        try:
            return self.decode_struct(Scoped(block.body, scope), "Vault")
        except JobspecError:
            pass
        known = hcl_fields("Vault")
        vault = {}
        for name, attr in block.body.attributes.items():
            if name not in known:
                continue
            alone = Body({name: attr}, [], block.body.end, block.body.start)
            try:
                vault.update(self.decode_struct(Scoped(alone, scope), "Vault"))
            except JobspecError:
                continue
        return vault

    def check_group_scaling(self, scoped, scaling):
        block = next((b for b in scoped.body.blocks if b.type == "scaling"), None)
        if block is None or (scaling.get("Max") is not None and scaling["Type"] == "horizontal"):
            return
        if "max" not in block.body.attributes:
            raise self.error("Missing required argument", 'The argument "max" is required, but no definition '
                             "was found.", block.body.start, block.body.start)
        if scaling["Type"] != "horizontal" and "type" in block.body.attributes:
            expr = block.body.attributes["type"].expr
            raise self.error("Invalid group scaling type", f'task group scaling policy had invalid type: '
                             f'"{scaling["Type"]}"', expr.start, expr.end)

    def struct_Task(self, scoped, hidden=()):
        env = self.attribute_or_block(scoped, "env")
        meta = self.attribute_or_block(scoped, "meta")
        hidden = tuple(hidden) + (("env",) if env is not None else ()) + (("meta",) if meta is not None else ())
        policies = self.task_scaling(scoped)
        out = self.decode_fields(scoped, "Task", hidden + ("scaling",))
        if policies:
            out["ScalingPolicies"] = policies
        if env is not None:
            out["Env"] = env
        if meta is not None:
            out["Meta"] = meta
        return out

    def task_scaling(self, scoped):
        policies = []
        seen = {}
        for block, scope in self.expand(scoped, {"scaling": None}, {"scaling": ("name",)}, (), partial=True):
            label = block.labels[0].lower()
            kind = {"cpu": "vertical_cpu", "mem": "vertical_mem"}.get(label)
            if kind is None:
                start, end = block.label_ranges[0]
                raise self.error("Invalid scaling policy name", 'scaling policy name must be "cpu" or "mem"',
                                 start, end)
            if label in seen:
                start, end = self.block_def(block)
                first = self.block_def(seen[label])
                raise self.error(f'Duplicate scaling "{label}" block', f"Only one scaling {label} block is allowed. "
                                 f"Another was defined at {self.source.range_text(*first)}.", start, end)
            seen[label] = block
            policy = self.decode_struct(Scoped(block.body, scope), "ScalingPolicy")
            if not policy.get("Type"):
                policy["Type"] = kind
            elif policy["Type"] != kind:
                start, end = self.block_def(block)
                raise self.error("Invalid scaling policy type", f'Invalid policy type, expected "{policy["Type"]}" '
                                 f'but found "{kind}"', start, end)
            policies.append(policy)
        return policies


def _suggest(name, candidates):
    """hcl's nameSuggestion: a candidate within Levenshtein distance 2."""
    for candidate in candidates:
        if _distance(name, candidate) < 3:
            return candidate
    return ""


def _distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _traversal_name(decoder, expr):
    node = expr.node
    while hasattr(node, "data") and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if hasattr(node, "data") and node.data == "identifier":
        return name_text(node)
    raise decoder.error("Invalid dynamic iterator name", "Dynamic iterator must be a single variable name.",
                        expr.start, expr.end)


def _list_items(expr):
    node = expr.node
    while hasattr(node, "data") and node.data == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    if not hasattr(node, "data") or node.data != "tuple":
        return [expr]
    return [Expr(c, expr.base) for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]


def _block_labels(field):
    """The label names gohcl's schema gives a block: its struct's `hcl:"x,label"` names (often "")."""
    gotype = field.type
    while gotype.kind in ("ptr", "slice", "map"):
        gotype = gotype.elem
    name = _struct_name(gotype)
    label = label_field(name) if name else None
    return (label.hcl,) if label is not None else ()


def _struct_name(gotype):
    while gotype.kind == "ptr":
        gotype = gotype.elem
    return gotype.name if gotype.kind == "struct" else None


def _saturated_int64(value) -> int:
    """big.Float.Int64(): truncated toward zero, and the int64 bound beyond it."""
    return max(INT64_MIN, min(INT64_MAX, int(value)))


def _int8(value):
    """Go's int8 conversion wraps around."""
    return ((value + 128) % 256) - 128


def _map_of(elem):
    from .api_types import GoType

    return GoType("map", elem)


_STRING = go_type("string")
_PSTRING = go_type("string")
_BOOL = go_type("bool")
_NUMBER = go_type("float64")


def joined_diagnostics(errors: list) -> JobspecError:
    """jobspec2's decode(): every diagnostic of the body's decoding, one per line."""
    if len(errors) == 1:
        return errors[0]
    joined = JobspecError("\n".join(str(error) for error in errors))
    joined.line = errors[0].line
    return joined
