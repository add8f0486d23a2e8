"""One sidecar's xDS resources, rendered from the shared Consul data and handed to its proxy on the server."""

from __future__ import annotations

import threading

from devagent.xds import types as xds
from devagent.xds.proxies import Proxy
from devagent.xds.stream import in_push_order

from ..base import SidecarSpec
from .clusters import clusters, load_assignment, upstream_cluster_for
from .listeners import is_http, listeners
from .mesh import ROOTS, ConsulMesh, health_topic, intentions_topic, leaf_topic
from .rbac import http_rbac_config, network_rbac_config
from .tls import leaf_secret, roots_secret


class SidecarConfig:
    """Subscribes one sidecar to its topics; each change re-renders only the types that depend on it."""

    def __init__(self, spec: SidecarSpec, mesh: ConsulMesh, proxy: Proxy, admin_socket: str):
        self.spec = spec
        self.mesh = mesh
        self.proxy = proxy
        proxy.token = spec.consul_token  # its Envoy must present it on the ADS stream (as Consul asks)
        self.admin_socket = admin_socket
        self.default_allow = True
        self.topics = [ROOTS, leaf_topic(spec.service_name), intentions_topic(spec.service_name)]
        self.topics += list(dict.fromkeys(health_topic(u.destination_name, u.datacenter) for u in spec.upstreams))
        self._lock = threading.Lock()
        self._started = False

    def start(self, deadline: float) -> None:
        """Subscribe, wait for the CA roots, and publish every type Consul has answered for."""
        self.default_allow = self.mesh.default_allow(deadline)
        for topic in self.topics:
            self.mesh.subscribe(topic, self.changed)
        try:
            # Only the roots (their trust domain is in every name) are needed to render; the leaf and
            # the intentions follow over the stream, and Envoy waits for them before it listens
            # (initial_fetch_timeout 0): a sidecar's start does not wait on Consul signing its leaf
            self.mesh.wait_for([ROOTS], deadline)
        except TimeoutError:
            self.close()
            raise
        with self._lock:
            self._started = True
            self._render(set(xds.PUSH_ORDER))

    def close(self) -> None:
        """Unsubscribe from every topic."""
        with self._lock:
            self._started = False
        for topic in self.topics:
            self.mesh.unsubscribe(topic, self.changed)

    @property
    def trust_domain(self) -> str:
        roots = self.mesh.value(ROOTS)
        return roots[0] if roots else ""

    def changed(self, topic: tuple) -> None:
        """A topic moved: re-render what depends on it (the trust domain, in the roots, is in every name)."""
        affected = {"roots": set(xds.PUSH_ORDER), "leaf": {xds.SECRET}, "intentions": {xds.EXTENSION_CONFIG},
                    "health": {xds.ENDPOINTS}}[topic[0]]
        with self._lock:
            if self._started:
                self._render(affected)

    def _render(self, types: set[str]) -> None:
        trust_domain = self.trust_domain
        renderers = {xds.CLUSTER: lambda: clusters(self.spec, trust_domain, self.admin_socket),
                     xds.ENDPOINTS: lambda: self._endpoints(trust_domain),
                     xds.SECRET: self._secrets,
                     xds.EXTENSION_CONFIG: lambda: self._rbac(trust_domain),
                     xds.LISTENER: lambda: listeners(self.spec, trust_domain)}
        for type_url in in_push_order(types):
            resources = renderers[type_url]()
            if resources is not None:  # None: Consul has not answered yet; Envoy keeps waiting for it
                self.proxy.set_resources(type_url, {_name(r): xds.to_any(r) for r in resources})

    def _endpoints(self, trust_domain: str) -> list[dict]:
        return [load_assignment(upstream_cluster_for(self.spec, upstream, trust_domain),
                                self.mesh.value(health_topic(upstream.destination_name, upstream.datacenter)) or [])
                for upstream in self.spec.upstreams]

    def _secrets(self) -> list[dict]:
        leaf = self.mesh.value(leaf_topic(self.spec.service_name))
        _, root_pems = self.mesh.value(ROOTS)
        secrets = [roots_secret(list(root_pems))]
        if leaf is not None:
            secrets.append(leaf_secret(leaf["CertPEM"], leaf["PrivateKeyPEM"]))
        return secrets

    def _rbac(self, trust_domain: str) -> list[dict] | None:
        intentions = self.mesh.value(intentions_topic(self.spec.service_name))
        if intentions is None:
            return None  # never a guess: without the intentions Envoy does not listen
        render = http_rbac_config if is_http(self.spec.protocol) else network_rbac_config
        return [render(list(intentions), self.default_allow, trust_domain)]


def _name(resource: dict) -> str:
    return resource.get("name") or resource["cluster_name"]
