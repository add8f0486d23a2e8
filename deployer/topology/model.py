"""The topology as data: service nodes, upstream edges, and what applies to each edge."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# What the data plane showed for an edge, compared with what Consul decides.
CONFIRMED = "confirmed"      # a probe with the source's identity saw what Consul decides
MISMATCH = "mismatch"        # the sidecar does something else than Consul decides
UNPROBED = "unprobed"        # no probe (no sidecar to probe, or probes were not asked for)


@dataclass
class EdgeStats:
    """Per-edge figures from the source sidecar's own statistics (None: not measured)."""

    rps: float | None = None
    error_rate: float | None = None      # share of requests answered 4xx/5xx, 0..1
    p50_ms: float | None = None
    p99_ms: float | None = None
    rbac_denied_per_s: float | None = None  # denials at the destination's sidecar (all its callers)
    note: str = ""                       # why figures are missing ("no stats: ...")


@dataclass
class ServiceNode:
    """One service: what Nomad runs and what Consul says about its health."""

    name: str
    present: bool                 # a Nomad job of that name exists
    version: int | None
    running: int                  # allocations running
    desired: int                  # count of the job's groups
    health: str                   # Consul checks of the service: passing, critical (..), no checks
    sidecar_health: str
    edge: bool                    # publishes a host port (the mesh's entry)
    stats_note: str = ""

    @property
    def status(self) -> str:
        """One word for colouring: passing, warning, critical or missing."""
        if not self.present:
            return "missing"
        words = (self.health, self.sidecar_health)
        if any(w.startswith("critical") for w in words):
            return "critical"
        if all(w == "passing" for w in words) and self.running >= self.desired > 0:
            return "passing"
        return "warning"


@dataclass
class EdgeLink:
    """An upstream: source calls destination through its sidecar."""

    source: str
    destination: str
    action: str                       # what Consul decides: allow or deny
    intention: dict | None            # the intention that applies (None: Consul's default)
    dataplane: str = UNPROBED
    dataplane_detail: str = ""
    stats: EdgeStats = field(default_factory=EdgeStats)

    @property
    def key(self) -> str:
        """`source->destination`, the edge's id on the page and in the SVG."""
        return f"{self.source}->{self.destination}"

    @property
    def state(self) -> str:
        """allowed/denied, suffixed -unconfirmed or replaced by mismatch, for colouring."""
        if self.dataplane == MISMATCH:
            return "mismatch"
        word = "allowed" if self.action == "allow" else "denied"
        return word if self.dataplane == CONFIRMED else f"{word}-unconfirmed"


@dataclass
class Topology:
    """Every node and edge of the mesh, as read at one moment."""

    nodes: list[ServiceNode]
    edges: list[EdgeLink]

    def node(self, name: str) -> ServiceNode | None:
        """The node of that name, if any."""
        return next((n for n in self.nodes if n.name == name), None)

    def edge(self, source: str, destination: str) -> EdgeLink | None:
        """The edge of that pair, if any."""
        return next((e for e in self.edges if (e.source, e.destination) == (source, destination)), None)

    def as_json(self) -> dict:
        """Plain data for --json and the web page."""
        return {
            "nodes": [{**asdict(n), "status": n.status} for n in self.nodes],
            "edges": [{**asdict(e), "key": e.key, "state": e.state} for e in self.edges],
        }
