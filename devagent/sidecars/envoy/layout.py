"""Where an Envoy sidecar's files live inside its private work directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ConfigLayout:
    """File paths of one sidecar; each watched file sits alone in its own directory.

    Envoy reloads a path-based config source when a file is renamed into its watched
    directory, so one directory per file means a write reloads only that resource.
    """

    work_dir: Path

    @property
    def bootstrap(self) -> Path:
        return self.work_dir / "bootstrap.json"

    @property
    def listeners(self) -> Path:
        return self.work_dir / "lds" / "listeners.json"

    @property
    def clusters(self) -> Path:
        return self.work_dir / "cds" / "clusters.json"

    @property
    def intentions(self) -> Path:
        return self.work_dir / "rbac" / "intentions.json"

    @property
    def leaf(self) -> Path:
        return self.work_dir / "leaf" / "leaf.json"

    @property
    def roots(self) -> Path:
        return self.work_dir / "roots" / "roots.json"

    def endpoints(self, cluster: str) -> Path:
        """The EDS file of one upstream cluster."""
        return self.work_dir / f"eds-{cluster}" / "endpoints.json"
