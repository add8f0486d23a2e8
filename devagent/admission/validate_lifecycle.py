"""A task's lifecycle block (structs.go TaskLifecycleConfig.Validate)."""

from __future__ import annotations

from .structs_fields import text


def validate_lifecycle(lifecycle) -> str | None:
    """TaskLifecycleConfig.Validate: a known hook is required."""
    if lifecycle is None:
        return None
    hook = text(lifecycle, "Hook")
    if hook in ("prestart", "poststart", "poststop"):
        return None
    return "no lifecycle hook provided" if hook == "" else f"invalid hook: {hook}"
