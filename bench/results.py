"""What a benchmark run measured: plain records the runner fills and the report reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ApplyRun:
    """One cold `deployer apply` (and the `verify` after it)."""

    sidecar: str
    apply_s: float
    verify_s: float
    verify_ok: bool


@dataclass
class FlipSample:
    """One intention change: CLI wall time and when the first probe showed the new state (None: never)."""

    cli_s: float
    from_start_s: float | None
    from_return_s: float | None


@dataclass
class EnforcementSeries:
    """Flips of one action (deny/allow) on one sidecar kind, on new or kept-alive connections."""

    sidecar: str
    connections: str          # "new" or "kept-alive"
    action: str               # "deny" or "allow"
    timeout_s: float
    samples: list[FlipSample] = field(default_factory=list)
    probe_s: list[float] = field(default_factory=list)   # round-trip time of each probe (resolution)
    note: str = ""

    @property
    def enforced(self) -> list[FlipSample]:
        """Flips whose new state was seen before the timeout."""
        return [s for s in self.samples if s.from_start_s is not None]


@dataclass
class LoadRun:
    """One wrk run against one target."""

    target: str               # "direct", "envoy", "builtin"
    variant: str              # "keep-alive" or "new connection"
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    p999_ms: float
    errors: int
    cpu_s: dict[str, float] = field(default_factory=dict)   # process label -> CPU seconds used in the run
    round: int = 0
    hop_ms: dict[str, float] = field(default_factory=dict)  # bench.hop_profile.PARTS -> median ms (and "requests")

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class ProcessFootprint:
    """RSS of one service or sidecar process group, and the CPU it uses with no load."""

    target: str
    label: str                # "order", "sidecar order", ...
    rss_kib: int
    idle_cpu_pct: float       # percent of one core, sampled with no load
    inotify: int = 0          # open inotify instances


@dataclass
class ScaleRun:
    """Apply time of one generated values file."""

    sidecar: str
    shape: str                # "chain" or "tree"
    services: int
    levels: int
    apply_s: float
    ok: bool
    destroy_s: float = 0.0
    failure: str = ""
    check_interval: str = ""  # time between health checks when not dev.yaml's


@dataclass
class ScaleProfile:
    """A generated mesh at scale, once up: verify, sidecar memory, devagent CPU, deny enforcement on one edge."""

    sidecar: str
    shape: str
    services: int
    verify_ok: bool
    verify_s: float
    sidecar_private_mib: list[float] = field(default_factory=list)  # one per sidecar process group
    devagent_idle_cpu_pct: float = 0.0
    devagent_flip_cpu_pct: float = 0.0      # while the deny/allow flips were being pushed
    edge: str = ""
    deny_new_ms: list[float] = field(default_factory=list)         # from the CLI's return, new connections
    deny_kept_alive_ms: list[float] = field(default_factory=list)  # the same, on one kept-alive connection
    probe_new_ms: float = 0.0         # median round trip of one probe: the resolution of the delays above
    probe_kept_alive_ms: float = 0.0
    consul_answer_ms: list[float] = field(default_factory=list)  # from the deny's return to Consul's watch answer
    consul_answer_unprobed_ms: list[float] = field(default_factory=list)  # the same in flips with no probe running
    machine_idle_busy_pct: float = 0.0      # the whole machine's CPU busy (% of all cores) while the mesh idled
    idle_cpu_by_kind: dict[str, float] = field(default_factory=dict)  # % of one core per process kind, idle
    consul_write_cpu_ms: float | None = None  # Consul's CPU per intention write (on a pair no service has)
    note: str = ""
    check_interval: str = ""  # time between health checks when not dev.yaml's


RELEASE_MIN_REQUESTS = 2000  # a release or scale event is done again until it has seen this many requests
# The events of issue 16's table, in its order: the release section lists each, measured or not.
RELEASE_EVENTS = ("rolling update, count 1 (canary)", "rolling update, count 2", "scale 2 -> 1", "scale 1 -> 2",
                  "bad release, count 1 (the new version crashes)", "Consul agent restarted",
                  "kill -9 of the app (tax)", "kill -9 of the sidecar (tax)")


@dataclass
class ReleaseEvent:
    """One event of the release-under-load run: how many requests the client sent and how many failed."""

    sidecar: str
    event: str
    requests: int
    failed: int
    outage_s: float           # first to last failed request (summed over the rounds)
    note: str = ""
    rounds: int = 1           # times the event was done; the counts are over all of them
    seconds: float = 0.0      # time the rounds lasted (requests counted only then)
    rate: float = 0.0         # requests per second the client achieved meanwhile
    latency_p50_ms: float = 0.0  # of the requests that succeeded
    latency_p99_ms: float = 0.0
    recovery_s: float | None = None  # restarts and kills: until traffic flowed again (None: not one)


@dataclass
class Machine:
    """Where and with what the run happened."""

    date: str
    cores: int
    memory_gib: float
    cpu_model: str
    kernel: str
    python: str
    consul: str
    envoy: str
    wrk: str
    load_before: str
    inotify_limit: int | None = None
    reference_loop_ms: float | None = None  # bench.machine.reference_loop_ms at the start: this CPU's speed today
    cpu_stolen_pct: float | None = None     # of the busy CPU time during the run, taken by the host (steal)


@dataclass
class Results:
    """Everything one run measured, plus its settings and notes."""

    machine: Machine | None = None
    settings: dict = field(default_factory=dict)
    applies: list[ApplyRun] = field(default_factory=list)
    enforcement: list[EnforcementSeries] = field(default_factory=list)
    load: list[LoadRun] = field(default_factory=list)
    memory: list[ProcessFootprint] = field(default_factory=list)
    scale: list[ScaleRun] = field(default_factory=list)
    scale_profiles: list[ScaleProfile] = field(default_factory=list)
    releases: list[ReleaseEvent] = field(default_factory=list)
    reconnect_check: str = ""
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    command: str = ""
