"""Every HCL argument and block of Nomad 1.8's api structs decodes into its JSON field (pure).

The jobspec is generated from devagent's api struct table: one sample value per argument,
every block once (labelled blocks with a label); each sample must come back in its field.
"""

import json

from devagent.jobspec import parse_jobspec
from devagent.jobspec.api_types import STRUCTS, struct_of
from devagent.jobspec.canonicalize import api_canonicalize

# jobspec2 decodes these with decoders of its own (tested elsewhere); scaling "cpu" needs its label.
CUSTOM = {"Constraint", "Affinity"}
SAMPLES = {"string": ('"s"', "s"), "bool": ("true", True), "int": ("7", 7), "uint": ("7", 7),
           "duration": ('"3s"', 3_000_000_000), "float": ("1.5", 1.5)}


def sample(gotype):
    """(HCL text, decoded value) for an argument of a Go type, or None for types left out."""
    while gotype.kind == "ptr":
        gotype = gotype.elem
    if gotype.kind in SAMPLES:
        return SAMPLES[gotype.kind]
    if gotype.kind == "slice" and gotype.elem.kind in SAMPLES:
        text, value = SAMPLES[gotype.elem.kind]
        return f"[{text}]", [value]
    if gotype.kind == "map" and gotype.elem.kind == "string":
        return '{ k = "v" }', {"k": "v"}
    return None


def body_of(struct, expected, path, depth=0):
    """HCL lines for every field of `struct`; records (path, value) pairs in `expected`."""
    lines = []
    for field in STRUCTS[struct]:
        if field.hcl_kind in ("optional", "required"):
            text, value = sample(field.type) or (None, None)
            if text is None:
                continue
            if (struct, field.hcl) in (("ScalingPolicy", "type"), ("Port", "static")):
                continue  # a scaling type must fit its block; a static port moves to ReservedPorts
            lines.append(f"{field.hcl} = {text}")
            expected.append((path + (field.json,), value))
        elif field.hcl_kind == "block" and depth < 6:
            nested = struct_of(field.type)
            gotype = field.type
            while gotype.kind == "ptr":
                gotype = gotype.elem
            if nested is None:  # a map block: meta, env, config, header ...
                if gotype.elem.kind == "string":
                    lines.append(f"{field.hcl} {{\n k = \"v\"\n}}")
                    expected.append((path + (field.json,), {"k": "v"}))
                elif gotype.elem.kind == "any":
                    lines.append(f"{field.hcl} {{\n k = 1\n nested {{\n x = \"y\"\n }}\n}}")
                    expected.append((path + (field.json,), {"k": 1, "nested": [{"x": "y"}]}))
                continue
            # reserved_ports: jobspec2 rebuilds ReservedPorts from the `port` blocks (normalizeNetworkPorts)
            skipped = (("Task", "scaling"), ("Job", "group"), ("NetworkResource", "reserved_ports"))
            if nested in CUSTOM or (struct, field.hcl) in skipped:
                continue
            label = next((f for f in STRUCTS[nested] if f.hcl_kind == "label"), None)
            header = f'{field.hcl} "l"' if label is not None else field.hcl
            if gotype.kind == "slice":
                where = path + (field.json, 0)
            elif gotype.kind == "map":
                where = path + (field.json, "l")
            else:
                where = path + (field.json,)
            inner = body_of(nested, expected, where, depth + 1)
            lines.append(header + " {\n" + "\n".join(inner) + "\n}")
    return lines


def every_field_job(expected):
    group = body_of("TaskGroup", expected, ("TaskGroups", 0))
    job = body_of("Job", [], ()) + ['group "g" {\n' + "\n".join(group) + "\n}"]
    return 'job "every" {\n' + "\n".join(job) + "\n}\n"


def test_every_argument_and_block_decodes_into_its_field():
    expected = []
    parsed = parse_jobspec(every_field_job(expected), canonicalize=False)
    assert len(expected) > 300
    missing = []
    for path, value in expected:
        found = parsed
        for step in path:
            found = found[step] if found is not None else None
        if path[-1] in ("Name", "Identity") and path[:2] == ("TaskGroups", 0):
            continue  # labels and jobspec2's identity split are checked in the corpus tests
        if found != value:
            missing.append((path, value, found))
    assert not missing, missing[:10]


def test_the_every_field_job_canonicalizes_and_round_trips_as_json():
    canonical = parse_jobspec(every_field_job([]))
    assert api_canonicalize(json.loads(json.dumps(canonical))) == canonical
