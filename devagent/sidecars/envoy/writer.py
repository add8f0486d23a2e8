"""Renders the sidecar's files from Consul data and writes only those whose content changed."""

from __future__ import annotations

import threading
from pathlib import Path

from ..base import SidecarSpec, UpstreamSpec
from .bootstrap import bootstrap
from .clusters import clusters_file, endpoints_file, upstream_cluster_for
from .files import atomic_write_json, ensure_private_dir
from .intentions import Intention
from .layout import ConfigLayout
from .listeners import is_http, listeners_file
from .rbac import http_rbac_file, network_rbac_file
from .tls import leaf_secret_file, roots_secret_file


class ConfigWriter:
    """One sidecar's files; every write is an atomic rename, unchanged content is skipped."""

    def __init__(self, spec: SidecarSpec, admin_port: int):
        self.spec = spec
        self.layout = ConfigLayout(Path(spec.work_dir))
        self.admin_port = admin_port
        self._written: dict[Path, dict] = {}
        self._lock = threading.Lock()
        ensure_private_dir(self.layout.work_dir)

    def _write(self, path: Path, data: dict) -> bool:
        with self._lock:
            if self._written.get(path) == data and path.exists():
                return False
            atomic_write_json(path, data)
            self._written[path] = data
            return True

    def write_bootstrap(self) -> bool:
        """The bootstrap file Envoy is started with."""
        return self._write(self.layout.bootstrap, bootstrap(self.spec, self.layout, self.admin_port))

    def write_topology(self, trust_domain: str) -> bool:
        """Listeners and clusters: they depend only on the job and the trust domain."""
        changed = self._write(self.layout.clusters,
                              clusters_file(self.spec, self.layout, trust_domain, self.admin_port))
        return self._write(self.layout.listeners, listeners_file(self.spec, self.layout, trust_domain)) or changed

    def write_roots(self, root_pems: list[str]) -> bool:
        """The trusted CA bundle."""
        return self._write(self.layout.roots, roots_secret_file(root_pems))

    def write_leaf(self, cert_pem: str, key_pem: str) -> bool:
        """The leaf certificate chain and its key (mode 0600)."""
        return self._write(self.layout.leaf, leaf_secret_file(cert_pem, key_pem))

    def write_intentions(self, intentions: list[Intention], default_allow: bool, trust_domain: str) -> bool:
        """The RBAC filter config served by ECDS."""
        render = http_rbac_file if is_http(self.spec.protocol) else network_rbac_file
        return self._write(self.layout.intentions, render(intentions, default_allow, trust_domain))

    def write_endpoints(self, upstream: UpstreamSpec, trust_domain: str, instances: list[tuple[str, int]]) -> bool:
        """The EDS file of one upstream."""
        cluster = upstream_cluster_for(self.spec, upstream, trust_domain)
        return self._write(self.layout.endpoints(cluster), endpoints_file(cluster, instances))
