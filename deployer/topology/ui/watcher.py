"""Keeps a fresh snapshot of the topology: Nomad and Consul polled, edges probed, sidecars scraped."""

from __future__ import annotations

import json
import threading
import time

from deployer.clients import Clients
from deployer.errors import DeployerError
from deployer.topology.dataplane import EdgeProber
from deployer.topology.layout import layout
from deployer.topology.read import read_topology
from deployer.topology.render_svg import render_svg
from deployer.topology.stats import SidecarStats

POLL_INTERVAL = 0.5       # seconds between reads: a change shows within about a second
REPROBE_AFTER = 15.0      # probe an unchanged edge again after this long (probes count in the stats)
PROBER_MAX_AGE = 3600.0   # fetch leaf certificates and roots afresh after this long (leaves expire, roots rotate)


class TopologyWatcher:
    """A background thread that re-reads the mesh; `snapshot()` is what the page gets."""

    def __init__(self, endpoints, values, interval: float = POLL_INTERVAL):
        self.clients = Clients(endpoints)
        self.values = values
        self.interval = interval
        self.stats = SidecarStats(self.clients)
        self.prober: EdgeProber | None = None
        self.prober_since = 0.0
        self.probed: dict[str, tuple[tuple, float, str, str]] = {}  # key -> (what was probed, when, result, detail)
        self.layout_cache: tuple[tuple, object] | None = None
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.version = 0
        self.current = {"version": 0, "svg": "", "topology": None, "error": "reading the mesh…", "updated": None}
        self.thread = threading.Thread(target=self._run, name="topology-watcher", daemon=True)

    def start(self) -> "TopologyWatcher":
        """Read once (so the first page is complete), then keep reading in the background."""
        self.refresh()
        self.thread.start()
        return self

    def snapshot(self) -> dict:
        """The latest snapshot (a dict the page renders)."""
        with self.lock:
            return self.current

    def poke(self) -> None:
        """Read again now (after the page changed an intention)."""
        self.wake.set()

    def close(self) -> None:
        """Stop the thread and remove the probe certificates."""
        self.stop_event.set()
        self.wake.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)
        if self.prober:
            self.prober.close()

    def _run(self) -> None:
        pause = self.interval
        while not self.stop_event.is_set():
            self.wake.wait(pause)
            self.wake.clear()
            if self.stop_event.is_set():
                return
            started = time.monotonic()
            self.refresh()
            # a read that took long is followed by a short pause, so a change still shows quickly
            pause = max(0.05, self.interval - (time.monotonic() - started))

    def refresh(self) -> None:
        """One read of the mesh into a new snapshot; failures keep the last picture and say why."""
        try:
            topology = read_topology(self.clients, self.values)
            self._probe(topology)
            self.stats.update(topology)
            svg = render_svg(topology, self._layout(topology), stats=True)
            data, error = topology.as_json(), None
        except DeployerError as exc:
            error = exc.message + (f" ({exc.hint})" if exc.hint else "")
            svg, data = self.snapshot()["svg"], self.snapshot()["topology"]
        except Exception as exc:  # noqa: BLE001 - the thread must live on; the page shows what went wrong
            error = f"unexpected {type(exc).__name__}: {exc} (run `deployer graph --debug` to see where)"
            svg, data = self.snapshot()["svg"], self.snapshot()["topology"]
        self._publish(svg, data, error)

    def _publish(self, svg: str, data: dict | None, error: str | None) -> None:
        with self.lock:
            changed = (svg, json.dumps(data, sort_keys=True), error) != \
                (self.current["svg"], json.dumps(self.current["topology"], sort_keys=True), self.current["error"])
            if changed:
                self.version += 1
            self.current = {"version": self.version, "svg": svg, "topology": data, "error": error,
                            "updated": time.time()}

    def _layout(self, topology):
        """Lay out again only when nodes or edges come or go."""
        shape = (tuple(n.name for n in topology.nodes), tuple(e.key for e in topology.edges))
        if self.layout_cache is None or self.layout_cache[0] != shape:
            self.layout_cache = (shape, layout(topology))
        return self.layout_cache[1]

    def _probe(self, topology) -> None:
        """Probe an edge when what applies to it changed, or it was last probed long ago; else reuse."""
        now = time.monotonic()
        for edge in topology.edges:
            what = (edge.action, edge.intention and tuple(sorted(edge.intention.items())))
            last = self.probed.get(edge.key)
            if last and last[0] == what and now - last[1] < REPROBE_AFTER and last[2] == "confirmed":
                edge.dataplane, edge.dataplane_detail = last[2], last[3]
                continue
            if self.prober is None or now - self.prober_since > PROBER_MAX_AGE:
                if self.prober:
                    self.prober.close()
                self.prober, self.prober_since = EdgeProber(self.clients), now
            self.prober.probe(edge)
            self.probed[edge.key] = (what, now, edge.dataplane, edge.dataplane_detail)
