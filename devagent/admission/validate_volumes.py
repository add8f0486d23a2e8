"""Group volume requests, task volume mounts and CSI plugin config (volumes.go, csi.go, structs.go)."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import block, flag, number, text


def validate_volume_request(volume: dict, job_type: str, group_count: int, canaries: int):
    """VolumeRequest.Validate: a single error for an unknown type, else a multi-error or None."""
    volume_type = text(volume, "Type")
    if volume_type not in ("host", "csi"):
        return f"volume has unrecognized type {volume_type}"
    errors = MultiError()
    add = errors.errors.append
    per_alloc, read_only = flag(volume, "PerAlloc"), flag(volume, "ReadOnly")
    attachment, access = text(volume, "AttachmentMode"), text(volume, "AccessMode")
    has_mount_options = block(volume, "MountOptions") is not None
    if text(volume, "Source") == "":
        add("volume has an empty source")
    if per_alloc:
        if job_type in ("system", "sysbatch"):
            add("volume cannot be per_alloc for system or sysbatch jobs")
        if canaries > 0:
            add("volume cannot be per_alloc when canaries are in use")
    if volume_type == "host":
        if attachment != "":
            add("host volumes cannot have an attachment mode")
        if access != "":
            add("host volumes cannot have an access mode")
        if has_mount_options:
            add("host volumes cannot have mount options")
        return errors.error_or_none()
    if attachment == "":
        add("CSI volumes must have an attachment mode")
    elif attachment == "block-device" and has_mount_options:
        add("block devices cannot have mount options")
    single_instance = group_count > 1 and not per_alloc
    if access == "":
        add("CSI volumes must have an access mode")
    elif access == "single-node-reader-only":
        if not read_only:
            add(f"{access} volumes must be read-only")
        if single_instance:
            add(f"volume with {access} access mode allows only one reader")
    elif access == "single-node-writer":
        if single_instance:
            add(f"volume with {access} access mode allows only one reader or writer")
    elif access == "multi-node-reader-only":
        if not read_only:
            add(f"{access} volumes must be read-only")
    elif access == "multi-node-single-writer":
        if not read_only and single_instance:
            add(f"volume with {access} access mode allows only one writer")
    return errors.error_or_none()


def validate_volume_mount(mount: dict) -> MultiError | None:
    """VolumeMount.Validate."""
    errors = MultiError()
    if text(mount, "Volume") == "":
        errors.errors.append("volume mount references an empty volume")
    propagation = text(mount, "PropagationMode")
    if propagation not in ("", "private", "host-to-task", "bidirectional"):
        errors.errors.append(f"volume mount has an invalid propagation mode: {quote(propagation)}")
    label = text(mount, "SELinuxLabel")
    if label not in ("", "z", "Z"):
        errors.errors.append(f'volume mount has an invalid SELinux label: "{label}"')
    return errors.error_or_none()


def csi_plugin_errors(config) -> list[str]:
    """The CSIPluginConfig checks of Task.Validate."""
    if config is None:
        return []
    found = []
    if text(config, "ID") == "":
        found.append("CSIPluginConfig must have a non-empty PluginID")
    plugin_type = text(config, "Type")
    if plugin_type not in ("node", "controller", "monolith"):
        found.append("CSIPluginConfig PluginType must be one of 'node', 'controller', or 'monolith', "
                     f'got: "{plugin_type}"')
    stage_dir, mount_dir = text(config, "StagePublishBaseDir"), text(config, "MountDir")
    if stage_dir and mount_dir and stage_dir.startswith(mount_dir):
        found.append("CSIPluginConfig StagePublishBaseDir must not be a subdirectory of MountDir, got: "
                     f'StagePublishBaseDir="{stage_dir}" MountDir="{mount_dir}"')
    return found


def group_volume_errors(group: dict, job_type: str) -> list[str]:
    """The volume part of TaskGroup.Validate (Go walks the map in random order; here names are sorted)."""
    canaries = number(block(group, "Update"), "Canary")
    volumes = (group or {}).get("Volumes") or {}
    found = []
    for name in sorted(volumes):
        problem = validate_volume_request(volumes[name] or {}, job_type, number(group, "Count"), canaries)
        if problem:
            found.append(f"Task group volume validation for {name} failed: {problem}")
    return found
