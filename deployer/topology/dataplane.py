"""Confirm each edge in the data plane: an mTLS probe with the source's identity, as `verify` does."""

from __future__ import annotations

from deployer.topology.model import CONFIRMED, MISMATCH, UNPROBED, EdgeLink
from deployer.verify.identity import LeafStore, load_mesh_ca, sidecar_listeners
from deployer.verify.probe import ALLOWED, DENIED, probe_mtls


class EdgeProber:
    """Probes edges with the sources' leaf certificates, fetched once per prober."""

    def __init__(self, clients):
        self.clients = clients
        self.ca = load_mesh_ca(clients)
        self.leaves = LeafStore(clients, self.ca)

    def probe(self, edge: EdgeLink) -> None:
        """Set edge.dataplane and its detail from probing every listener of the destination's sidecar."""
        listeners = sidecar_listeners(self.clients, edge.destination)
        if not listeners:
            edge.dataplane, edge.dataplane_detail = UNPROBED, f"{edge.destination} has no sidecar in Consul"
            return
        identity = self.leaves.identity(edge.source)
        results = [probe_mtls(host, port, identity, self.ca.spiffe_uri(edge.destination), timeout=2.0)
                   for host, port in listeners]
        expected = ALLOWED if edge.action == "allow" else DENIED
        outcomes = {r.outcome for r in results}
        detail = "; ".join(r.detail for r in results)
        if outcomes == {expected}:
            edge.dataplane = CONFIRMED
        elif outcomes <= {ALLOWED, DENIED}:
            edge.dataplane = MISMATCH
        else:
            edge.dataplane = UNPROBED
        edge.dataplane_detail = f"sidecar {'/'.join(sorted(outcomes))}: {detail}"

    def close(self) -> None:
        """Remove the leaf certificates from disk."""
        self.leaves.close()

    def __enter__(self) -> "EdgeProber":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
