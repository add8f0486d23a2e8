"""Nomad's job plan diff (nomad/structs/diff.go) over JSON jobs, and the scheduler's annotations.

Field names are flattened as Nomad's flatmap does: primitives by name, string maps as
`Meta[key]`, free-form config as `args[0]` / `port_map[0][http]`. Fields Nomad ignores in
diffs (indexes, Version, Status, SubmitTime, Stable, job-level Update, tokens) are ignored.
"""

import json

NONE, ADDED, DELETED, EDITED = "None", "Added", "Deleted", "Edited"

_JOB_IGNORED = {
    "ID", "Status", "StatusDescription", "Version", "Stable", "CreateIndex", "ModifyIndex", "JobModifyIndex",
    "Update", "SubmitTime", "NomadTokenID", "VaultToken", "ConsulToken",
}
# JSON objects that are Go maps of primitives (flattened as Name[key]); other objects are structs.
_STRING_MAPS = {"Meta", "Env", "CanaryMeta", "TaggedAddresses", "GetterOptions", "GetterHeaders"}
_ORDER = {EDITED: 0, ADDED: 1, DELETED: 2, NONE: 3}


def diff_jobs(old, new, contextual=False):
    """Nomad's JobDiff of two JSON jobs (old None = registering a new job)."""
    if old is None and new is None:
        return {"Type": NONE, "ID": "", "Fields": None, "Objects": None, "TaskGroups": None}
    if new is None:
        kind, old_job, new_job, job_id = DELETED, old, {}, old.get("ID", "")
    elif old is None:
        kind, old_job, new_job, job_id = ADDED, {}, new, new.get("ID", "")
    else:
        if old.get("ID") != new.get("ID"):
            raise ValueError(f'can not diff jobs with different IDs: "{old.get("ID")}" and "{new.get("ID")}"')
        kind, old_job, new_job, job_id = NONE, old, new, new.get("ID", "")
    fields = _field_diffs(_flatten(old_job, _JOB_IGNORED), _flatten(new_job, _JOB_IGNORED), False)
    objects = []
    datacenters = _string_set_diff(old_job.get("Datacenters"), new_job.get("Datacenters"), "Datacenters", contextual)
    if datacenters and datacenters["Type"] != NONE:
        objects.append(datacenters)
    objects += _object_set_diff(old_job.get("Constraints"), new_job.get("Constraints"), "Constraint", contextual)
    objects += _object_set_diff(old_job.get("Affinities"), new_job.get("Affinities"), "Affinity", contextual)
    _append(objects, _primitive_object_diff(old_job.get("Periodic"), new_job.get("Periodic"), "Periodic", contextual))
    _append(objects, _parameterized_diff(old_job.get("ParameterizedJob"), new_job.get("ParameterizedJob"), contextual))
    groups = _named_diffs(old_job.get("TaskGroups"), new_job.get("TaskGroups"), _group_diff, contextual)
    if kind == NONE and (any(f["Type"] != NONE for f in fields) or any(o["Type"] != NONE for o in objects)
                         or any(g["Type"] != NONE for g in groups)):
        kind = EDITED
    return _nullify_empty({"Type": kind, "ID": job_id, "Fields": fields, "Objects": objects,  # Go's order
                           "TaskGroups": groups})


def annotate_diff(diff, desired_updates=None):
    """Add the scheduler's annotations to a JobDiff (scheduler/annotate.go); returns it.

    desired_updates: {group: {"Ignore", "Place", "Migrate", "Stop", "Canary", "InPlaceUpdate",
    "DestructiveUpdate"}} as in PlanAnnotations.DesiredTGUpdates.
    """
    names = (("Ignore", "ignore"), ("Place", "create"), ("Migrate", "migrate"), ("Stop", "destroy"),
             ("Canary", "canary"), ("InPlaceUpdate", "in-place update"), ("DestructiveUpdate", "create/destroy update"))
    for group in diff.get("TaskGroups") or []:
        wanted = (desired_updates or {}).get(group["Name"])
        if wanted is not None:
            group["Updates"] = {label: wanted[key] for key, label in names if wanted.get(key)}
        for field in group.get("Fields") or []:
            if field["Name"] == "Count":
                old, new = int(field["Old"] or 0), int(field["New"] or 0)
                if old != new:
                    field["Annotations"] = ["forces create" if new > old else "forces destroy"]
        for task in group.get("Tasks") or []:
            _annotate_task(task, group)
    return diff


def _annotate_task(task, group):
    if task["Type"] == NONE:
        return
    if group["Type"] in (ADDED, DELETED) and task["Type"] in (ADDED, DELETED):
        task["Annotations"] = ["forces create" if task["Type"] == ADDED else "forces destroy"]
        return
    destructive = any(field["Name"] != "KillTimeout" for field in task.get("Fields") or [])
    for obj in task.get("Objects") or []:
        if destructive:
            break
        if obj["Name"] in ("Service", "Constraint"):
            continue
        if obj["Name"] == "LogConfig":
            destructive = any(field["Name"] == "Disabled" for field in obj.get("Fields") or [])
            continue
        destructive = True
    task["Annotations"] = ["forces create/destroy update" if destructive else "forces in-place update"]


def _group_diff(old, new, contextual):
    kind, old, new = _kind(old, new)
    name = (new or old).get("Name", "")
    fields = _field_diffs(_flatten(old, {"Name"}), _flatten(new, {"Name"}), False)
    objects = []
    objects += _object_set_diff(old.get("Constraints"), new.get("Constraints"), "Constraint", contextual)
    objects += _object_set_diff(old.get("Affinities"), new.get("Affinities"), "Affinity", contextual)
    for key in ("RestartPolicy", "ReschedulePolicy", "EphemeralDisk", "Consul"):
        _append(objects, _primitive_object_diff(old.get(key), new.get(key), key, contextual))
    _append(objects, _primitive_object_diff(old.get("Update"), new.get("Update"), "Update", contextual, {"Stagger"}))
    objects += _network_diffs(old.get("Networks"), new.get("Networks"), contextual)
    objects += _service_diffs(old.get("Services"), new.get("Services"), contextual)
    tasks = _named_diffs(old.get("Tasks"), new.get("Tasks"), _task_diff, contextual)
    return {"Type": kind, "Name": name, "Fields": fields or None, "Objects": objects or None,  # Go's order
            "Tasks": tasks or None, "Updates": None}


def _task_diff(old, new, contextual):
    kind, old, new = _kind(old, new)
    name = (new or old).get("Name", "")
    ignored = {"Name", "Config"}
    fields = _field_diffs(_flatten(old, ignored), _flatten(new, ignored), False)
    objects = []
    objects += _object_set_diff(old.get("Constraints"), new.get("Constraints"), "Constraint", contextual)
    objects += _object_set_diff(old.get("Affinities"), new.get("Affinities"), "Affinity", contextual)
    _append(objects, _config_diff(old.get("Config"), new.get("Config"), contextual))
    _append(objects, _resources_diff(old.get("Resources"), new.get("Resources"), contextual))
    _append(objects, _primitive_object_diff(old.get("LogConfig"), new.get("LogConfig"), "LogConfig", contextual))
    objects += _object_set_diff(old.get("Artifacts"), new.get("Artifacts"), "Artifact", contextual)
    objects += _service_diffs(old.get("Services"), new.get("Services"), contextual)
    objects += _object_set_diff(old.get("Templates"), new.get("Templates"), "Template", contextual)
    return {"Type": kind, "Name": name, "Fields": fields or None, "Objects": objects or None,  # Go's order
            "Annotations": None}


def _kind(old, new):
    """Diff type of two named things (group, task) plus empty stand-ins for a missing side."""
    if old is None:
        return ADDED, {}, new
    if new is None:
        return DELETED, old, {}
    return (NONE if old == new else EDITED), old, new


def _named_diffs(old_items, new_items, differ, contextual):
    old_map = {item.get("Name", ""): item for item in old_items or []}
    new_map = {item.get("Name", ""): item for item in new_items or []}
    diffs = [differ(old_map.get(name), new_map.get(name), contextual) for name in old_map]
    diffs += [differ(None, item, contextual) for name, item in new_map.items() if name not in old_map]
    return sorted(diffs, key=lambda d: d["Name"])


def _service_diffs(old, new, contextual):
    """Services have no stable ID: match them by name, port label and position, as Nomad does."""
    old, new = old or [], new or []
    if len(old) == 1 and len(new) == 1:
        diff = _service_diff(old[0], new[0], contextual)
        return [diff] if diff else []
    taken = [False] * len(new)
    diffs = []
    for index, service in enumerate(old):
        best, best_score = -1, 0
        for candidate_index, candidate in enumerate(new):
            if taken[candidate_index]:
                continue
            score = (candidate_index == index) + 2 * (candidate.get("PortLabel") == service.get("PortLabel")) \
                + 3 * (candidate.get("Name") == service.get("Name"))
            if score > 2 and score > best_score:
                best, best_score = candidate_index, score
        if best < 0:
            diffs.append(_service_diff(service, None, contextual))
            continue
        taken[best] = True
        _append(diffs, _service_diff(service, new[best], contextual))
    diffs += [_service_diff(None, service, contextual) for i, service in enumerate(new) if not taken[i]]
    return _sorted(diffs)


def _service_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("Service", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    _append(diff["Objects"], _string_set_diff(old.get("CanaryTags"), new.get("CanaryTags"), "CanaryTags", contextual))
    _append(diff["Objects"], _string_set_diff(old.get("Tags"), new.get("Tags"), "Tags", contextual))
    diff["Objects"] += _keyed_diffs(old.get("Checks"), new.get("Checks"), lambda c: c.get("Name", ""),
                                    _check_diff, contextual)
    _append(diff["Objects"], _connect_diff(old.get("Connect"), new.get("Connect"), contextual))
    return _finish(diff)


def _check_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("Check", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    header = _map_diff(old.get("Header"), new.get("Header"), "Header", contextual)
    _append(diff["Objects"], header)
    _append(diff["Objects"], _struct_diff(old.get("CheckRestart"), new.get("CheckRestart"), "CheckRestart", contextual))
    return _finish(diff)


def _connect_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("ConsulConnect", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    _append(diff["Objects"], _sidecar_service_diff(old.get("SidecarService"), new.get("SidecarService"), contextual))
    _append(diff["Objects"], _sidecar_task_diff(old.get("SidecarTask"), new.get("SidecarTask"), contextual))
    return _finish(diff)


def _sidecar_service_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("SidecarService", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    _append(diff["Objects"], _proxy_diff(old.get("Proxy"), new.get("Proxy"), contextual))
    return _finish(diff)


def _sidecar_task_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    ignored = {"Config"}
    diff = _object("SidecarTask", kind, _field_diffs(_flatten(old, ignored), _flatten(new, ignored), False))
    _append(diff["Objects"], _config_diff(old.get("Config"), new.get("Config"), contextual))
    _append(diff["Objects"], _resources_diff(old.get("Resources"), new.get("Resources"), contextual))
    _append(diff["Objects"], _primitive_object_diff(old.get("LogConfig"), new.get("LogConfig"), "LogConfig", contextual))
    return _finish(diff)


def _proxy_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("ConsulProxy", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    diff["Objects"] += _keyed_diffs(
        old.get("Upstreams"), new.get("Upstreams"),
        lambda u: f'{u.get("Datacenter") or ""}/{u.get("DestinationName") or ""}', _upstream_diff, contextual)
    _append(diff["Objects"], _config_diff(old.get("Config"), new.get("Config"), contextual))
    # Nomad's diff.go does not descend into Expose; devagent reports its paths so changes are visible.
    _append(diff["Objects"], _expose_diff(old.get("Expose"), new.get("Expose"), contextual))
    return _finish(diff)


def _upstream_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("ConsulUpstreams", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    _append(diff["Objects"], _primitive_object_diff(old.get("MeshGateway"), new.get("MeshGateway"), "MeshGateway",
                                                    contextual))
    return _finish(diff)


def _expose_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("Expose", kind, [])
    diff["Objects"] += _keyed_diffs(old.get("Paths"), new.get("Paths"), lambda p: p.get("Path", ""),
                                    lambda a, b, c: _struct_diff(a, b, "Path", c), contextual)
    return _finish(diff)


def _resources_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("Resources", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    diff["Objects"] += _network_diffs(old.get("Networks"), new.get("Networks"), contextual)
    return _finish(diff)


def _network_diffs(old, new, contextual):
    """Networks are compared as a set: a changed network is one Deleted plus one Added."""
    old_set = {_key(n): n for n in old or []}
    new_set = {_key(n): n for n in new or []}
    diffs = [_network_diff(n, None, contextual) for k, n in old_set.items() if k not in new_set]
    diffs += [_network_diff(None, n, contextual) for k, n in new_set.items() if k not in old_set]
    return _sorted([d for d in diffs if d])


def _network_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    ignored = {"Device", "CIDR", "IP"}
    diff = _object("Network", kind, _field_diffs(_flatten(old, ignored), _flatten(new, ignored), contextual))
    diff["Objects"] += _port_diffs(old.get("ReservedPorts"), new.get("ReservedPorts"), "Static Port", set(), contextual)
    diff["Objects"] += _port_diffs(old.get("DynamicPorts"), new.get("DynamicPorts"), "Dynamic Port", {"Value"},
                                   contextual)
    _append(diff["Objects"], _primitive_object_diff(old.get("DNS"), new.get("DNS"), "DNS", contextual))
    return _finish(diff)


def _port_diffs(old, new, name, ignored, contextual):
    old_map = {p.get("Label", ""): p for p in old or []}
    new_map = {p.get("Label", ""): p for p in new or []}
    diffs = [_primitive_object_diff(p, new_map.get(label), name, contextual, ignored) for label, p in old_map.items()]
    diffs += [_primitive_object_diff(None, p, name, contextual, ignored) for label, p in new_map.items()
              if label not in old_map]
    return _sorted([d for d in diffs if d])


def _config_diff(old, new, contextual):
    """Free-form config (task driver config, proxy config), flattened with list indexes."""
    if old == new:
        return None
    kind = ADDED if not old else DELETED if not new else EDITED
    return _object("Config", kind, _field_diffs(_flatten_all(old or {}), _flatten_all(new or {}), contextual))


def _parameterized_diff(old, new, contextual):
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    diff = _object("ParameterizedJob", kind, _field_diffs(_flatten(old), _flatten(new), contextual))
    for key in ("MetaOptional", "MetaRequired"):
        _append(diff["Objects"], _string_set_diff(old.get(key), new.get(key), key, contextual))
    return _finish(diff)


def _struct_diff(old, new, name, contextual):
    """A struct compared on its primitive fields only, typed by which side exists."""
    kind, old, new = _struct_kind(old, new)
    if kind is None:
        return None
    return _object(name, kind, _field_diffs(_flatten(old), _flatten(new), contextual))


def _map_diff(old, new, name, contextual):
    if old == new:
        return None
    kind = ADDED if not old else DELETED if not new else EDITED
    return _object(name, kind, _field_diffs(_flatten_all(old or {}), _flatten_all(new or {}), contextual))


def _keyed_diffs(old, new, key, differ, contextual):
    old_map = {key(item): item for item in old or []}
    new_map = {key(item): item for item in new or []}
    diffs = [differ(item, new_map.get(k), contextual) for k, item in old_map.items()]
    diffs += [differ(None, item, contextual) for k, item in new_map.items() if k not in old_map]
    return _sorted([d for d in diffs if d])


def _object_set_diff(old, new, name, contextual):
    """Objects without identity (constraints, artifacts, templates): set difference on their content."""
    old_set = {_key(item): item for item in old or []}
    new_set = {_key(item): item for item in new or []}
    diffs = [_primitive_object_diff(item, None, name, contextual) for k, item in old_set.items() if k not in new_set]
    diffs += [_primitive_object_diff(None, item, name, contextual) for k, item in new_set.items() if k not in old_set]
    return _sorted([d for d in diffs if d])  # an item in both is no diff at all, even with context


def _primitive_object_diff(old, new, name, contextual, ignored=frozenset()):
    """Nomad's primitiveObjectDiff: the type follows from which fields were added/deleted/edited."""
    fields = _field_diffs(_flatten(old or {}, ignored), _flatten(new or {}, ignored), contextual)
    types = {field["Type"] for field in fields}
    if EDITED in types or {ADDED, DELETED} <= types:
        kind = EDITED
    elif ADDED in types:
        kind = ADDED
    elif DELETED in types:
        kind = DELETED
    else:
        return None
    return _object(name, kind, fields)


def _string_set_diff(old, new, name, contextual):
    old_set, new_set = set(old or []), set(new or [])
    if old_set == new_set and not contextual:
        return None
    fields = [_field(name, value, "", contextual) for value in old_set - new_set]
    fields += [_field(name, "", value, contextual) for value in new_set - old_set]
    if contextual:
        fields += [_field(name, value, value, True) for value in old_set & new_set]
    added, removed = bool(new_set - old_set), bool(old_set - new_set)
    if not (added or removed) and not fields:
        return None
    kind = EDITED if added and removed else ADDED if added else DELETED if removed else NONE
    return _object(name, kind, _sorted_fields(fields))


def _struct_kind(old, new):
    """Type of a nested struct diff, or None when both sides are equal."""
    if old == new:
        return None, old, new
    if old is None:
        return ADDED, {}, new
    if new is None:
        return DELETED, old, {}
    return EDITED, old, new


def _field_diffs(old, new, contextual):
    fields = [_field(name, old.get(name, ""), new.get(name, ""), contextual) for name in old.keys() | new.keys()]
    return _sorted_fields([f for f in fields if f])


def _field(name, old, new, contextual):
    if old == new:
        return {"Type": NONE, "Name": name, "Old": old, "New": new, "Annotations": None} if contextual else None
    kind = ADDED if old == "" else DELETED if new == "" else EDITED
    return {"Type": kind, "Name": name, "Old": old, "New": new, "Annotations": None}


def _flatten(obj, ignored=frozenset()):
    """Primitive fields by name and string maps as Name[key]; nested structs and lists are skipped."""
    flat = {}
    for key, value in (obj or {}).items():
        if key in ignored or value is None or isinstance(value, list):
            continue
        if isinstance(value, dict):
            if key in _STRING_MAPS:
                for sub, item in value.items():
                    if item is not None and not isinstance(item, (dict, list)):
                        flat[f"{key}[{sub}]"] = _text(item)
            continue
        flat[key] = _text(value)
    return flat


def _flatten_all(value, prefix=""):
    """Everything, with `[i]` for list items and `[key]` for nested map keys (flatmap, non-primitive mode)."""
    flat = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(_flatten_all(item, f"{prefix}[{key}]" if prefix else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            flat.update(_flatten_all(item, f"{prefix}[{index}]"))
    elif value is not None:
        flat[prefix] = _text(value)
    return flat


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _nullify_empty(diff):
    """Go encodes empty diff slices as null; do the same throughout."""
    for key in ("Fields", "Objects", "TaskGroups", "Tasks"):
        if key in diff:
            if not diff[key]:
                diff[key] = None
            elif key != "Fields":
                for child in diff[key]:
                    _nullify_empty(child)
    return diff


def _key(value):
    return json.dumps(value, sort_keys=True, default=str)


def _object(name, kind, fields):
    return {"Type": kind, "Name": name, "Fields": fields, "Objects": []}


def _finish(diff):
    diff["Objects"] = _sorted(diff["Objects"])
    return diff


def _append(items, item):
    if item is not None:
        items.append(item)


def _sorted(objects):
    return sorted(objects, key=lambda o: (o["Name"], _ORDER[o["Type"]], len(o.get("Fields") or []),
                                          len(o.get("Objects") or [])))


def _sorted_fields(fields):
    return sorted(fields, key=lambda f: (f["Name"], f["Old"], f["New"]))
