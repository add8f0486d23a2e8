"""Mesh identities from Consul: CA roots, trust domain, datacenter, leaf certificates."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from deployer.errors import DeployerError
from deployer.verify.probe import ClientIdentity


@dataclass(frozen=True)
class MeshCA:
    """What every mTLS probe needs to know about the mesh."""

    roots_pem: str
    trust_domain: str
    datacenter: str

    def spiffe_uri(self, service: str) -> str:
        """The SPIFFE ID a service's leaf certificate carries."""
        return f"spiffe://{self.trust_domain}/ns/default/dc/{self.datacenter}/svc/{service}"


def load_mesh_ca(clients) -> MeshCA:
    """Read the roots and trust domain, and the agent's datacenter."""
    roots = clients.consul_http.get_json("/v1/agent/connect/ca/roots") or {}
    pems = [root["RootCert"] for root in roots.get("Roots") or [] if root.get("RootCert")]
    if not pems or not roots.get("TrustDomain"):
        raise DeployerError("Consul has no Connect CA roots", hint="is Connect enabled on the Consul agent?")
    agent = clients.consul_http.get_json("/v1/agent/self") or {}
    datacenter = (agent.get("Config") or {}).get("Datacenter", "dc1")
    return MeshCA("\n".join(pems), roots["TrustDomain"], datacenter)


class LeafStore:
    """Leaf certificates written to a private temporary directory (0700 dir, 0600 files)."""

    def __init__(self, clients, ca: MeshCA):
        self.clients = clients
        self.ca = ca
        self.directory = tempfile.mkdtemp(prefix="deployer-leaf-")
        self._identities: dict[str, ClientIdentity] = {}

    def identity(self, service: str) -> ClientIdentity:
        """The service's leaf as files, fetched once (python-consul2's leaf helper is broken)."""
        if service not in self._identities:
            leaf = self.clients.consul_http.get_json(f"/v1/agent/connect/ca/leaf/{service}")
            if not leaf or not leaf.get("CertPEM"):
                raise DeployerError(f"Consul gave no leaf certificate for {service}")
            cert = self._write(f"{service}.crt", leaf["CertPEM"])
            key = self._write(f"{service}.key", leaf["PrivateKeyPEM"])
            self._identities[service] = ClientIdentity(cert, key, self.ca.roots_pem)
        return self._identities[service]

    def _write(self, name: str, text: str) -> str:
        path = os.path.join(self.directory, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        return path

    def close(self) -> None:
        """Remove the private directory and everything in it."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "LeafStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def sidecar_listeners(clients, service: str) -> list[tuple[str, int]]:
    """(host, port) of every public listener of the service's sidecar, from the catalog."""
    entries = clients.consul_http.get_json(f"/v1/catalog/service/{service}-sidecar-proxy") or []
    listeners = []
    for entry in entries:
        host = entry.get("ServiceAddress") or entry.get("Address") or "127.0.0.1"
        listeners.append(("127.0.0.1" if host == "0.0.0.0" else host, int(entry["ServicePort"])))
    return listeners
