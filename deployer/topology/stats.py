"""Per-edge figures from the sidecars' own statistics, read from their Prometheus listeners.

A sidecar publishes its Envoy stats when its proxy config sets `envoy_prometheus_bind_addr`
(Consul serves `/metrics` there, from the admin's `/stats/prometheus`). The deployer only
sees Nomad and Consul, so it finds that listener through them: the sidecar's registration
in Consul names the bind address and the allocation; the allocation's ports in Nomad say
which host port leads there (in bridge mode the bind port is the port's `to`).
"""

from __future__ import annotations

import re
import time
from collections import deque

import requests

from deployer.topology.model import EdgeStats, Topology
from deployer.topology.prometheus import Scrape, quantile, scrape_from_text, upstream_stat_prefix

RATE_WINDOW = 5.0        # seconds of counters behind each rate
LATENCY_WINDOW = 15.0    # Envoy flushes histograms every 5 s: look further back for latencies
SCRAPE_TIMEOUT = 1.0
ALLOC_IN_SERVICE_ID = re.compile(r"^_nomad-task-([0-9a-f-]{36})-")


def metrics_addresses(clients, service: str, known: dict | None = None) -> tuple[list[tuple[str, int]], str]:
    """(host, port) of every instance's `/metrics` listener, and why there are none when empty.

    `known` remembers the address of each sidecar instance (an allocation's ports never change).
    """
    known = {} if known is None else known
    entries = clients.consul_http.get_json(f"/v1/catalog/service/{service}-sidecar-proxy") or []
    if not entries:
        return [], f"{service} has no sidecar in Consul"
    found, reason = [], ""
    for entry in entries:
        config = (entry.get("ServiceProxy") or {}).get("Config") or {}
        bind = config.get("envoy_prometheus_bind_addr")
        if not bind:
            reason = f"{service}'s sidecar sets no envoy_prometheus_bind_addr"
            continue
        key = (entry.get("ServiceID"), str(bind))
        if key not in known:
            known[key] = published_metrics_address(clients, entry, str(bind))
        address = known[key]
        if address:
            found.append(address)
        else:
            reason = f"no published port leads to {service}'s metrics listener {bind}"
    return found, reason


def published_metrics_address(clients, entry: dict, bind: str) -> tuple[str, int] | None:
    """Host and port that reach a sidecar's `bind` address: via its allocation's ports, else bind itself."""
    host, _, port_text = bind.rpartition(":")
    if not port_text.isdigit():
        return None
    port = int(port_text)
    match = ALLOC_IN_SERVICE_ID.match(entry.get("ServiceID") or "")
    if match:
        alloc = clients.nomad_call("read allocation", clients.nomad.allocation.get_allocation, match.group(1)) or {}
        ports = ((alloc.get("AllocatedResources") or {}).get("Shared") or {}).get("Ports") or []
        chosen = next((p for p in ports if p.get("To") == port), None) or \
            next((p for p in ports if p.get("Value") == port), None)
        if chosen:
            host_ip = chosen.get("HostIP") or "127.0.0.1"
            return ("127.0.0.1" if host_ip == "0.0.0.0" else host_ip, int(chosen["Value"]))
    if host in ("", "0.0.0.0", "::", "[::]"):
        return None
    return host.strip("[]"), port


class SidecarStats:
    """Scrapes every sidecar on each update and keeps a short history to turn counters into rates."""

    def __init__(self, clients, session: requests.Session | None = None, clock=time.monotonic):
        self.clients = clients
        self.session = session or requests.Session()
        self.clock = clock
        self.history: dict[tuple[str, int], deque[tuple[float, Scrape]]] = {}
        self.addresses: dict[tuple, tuple[str, int] | None] = {}  # (sidecar service ID, bind) -> host port

    def scrape(self, address: tuple[str, int]) -> Scrape | None:
        """One GET /metrics, remembered with its time; None when the listener does not answer."""
        try:
            response = self.session.get(f"http://{address[0]}:{address[1]}/metrics", timeout=SCRAPE_TIMEOUT)
        except requests.RequestException:
            return None
        if not response.ok:
            return None
        scrape = scrape_from_text(response.text)
        now = self.clock()
        samples = self.history.setdefault(address, deque())
        samples.append((now, scrape))
        while samples and now - samples[0][0] > LATENCY_WINDOW + 1:
            samples.popleft()
        return scrape

    def update(self, topology: Topology) -> None:
        """Scrape every service's sidecars and fill in each edge's figures (or the reason there are none)."""
        addresses, reasons = {}, {}
        for node in topology.nodes:
            found, reason = metrics_addresses(self.clients, node.name, self.addresses)
            answering = [a for a in found if self.scrape(a) is not None]
            if found and not answering:
                reason = f"{node.name}'s metrics listener does not answer"
            addresses[node.name], reasons[node.name] = answering, reason
            node.stats_note = "" if answering else f"no stats: {reason}"
        for edge in topology.edges:
            source = addresses.get(edge.source) or []
            if not source:
                edge.stats = EdgeStats(note=f"no stats: {reasons.get(edge.source) or 'no sidecar'}")
                continue
            edge.stats = self.edge_figures(source, addresses.get(edge.destination) or [], edge.destination)

    def edge_figures(self, source: list, destination: list, name: str) -> EdgeStats:
        """Rates over RATE_WINDOW and latencies over LATENCY_WINDOW from the source's upstream listener."""
        total = self._counter_rate(source, name, "_downstream_rq_total", RATE_WINDOW)
        if total is None:
            return EdgeStats(note="measuring…")
        rate, seconds = total
        errors = sum((self._counter_rate(source, name, f"_downstream_rq_{c}xx", RATE_WINDOW) or (0.0, 0))[0]
                     for c in (4, 5))
        buckets = self._bucket_deltas(source, name)
        denied = self._rbac_rate(destination)
        return EdgeStats(rps=rate, error_rate=(errors / rate) if rate > 0 else None,
                         p50_ms=quantile(buckets, 0.5), p99_ms=quantile(buckets, 0.99),
                         rbac_denied_per_s=denied)

    def _window(self, address, window: float):
        """(oldest sample inside the window, newest sample), or None with fewer than two samples."""
        samples = self.history.get(address)
        if not samples or len(samples) < 2:
            return None
        newest_time = samples[-1][0]
        oldest = next((s for s in samples if newest_time - s[0] <= window), samples[0])
        if oldest is samples[-1]:
            oldest = samples[-2]
        return oldest, samples[-1]

    def _counter_rate(self, addresses, destination: str, suffix: str, window: float):
        """(per-second rate summed over the instances, seconds) of the upstream listener's counter."""
        rate, seen = 0.0, False
        for address in addresses:
            pair = self._window(address, window)
            if pair is None:
                continue
            (t0, old), (t1, new) = pair
            for stat, value in new.counters.items():
                if stat.endswith(suffix) and upstream_stat_prefix(stat, destination):
                    rate += max(0.0, value - old.counters.get(stat, 0.0)) / max(t1 - t0, 1e-6)
                    seen = True
        return (rate, window) if seen else None

    def _bucket_deltas(self, addresses, destination: str) -> dict[float, float]:
        """The upstream listener's request-time histogram over LATENCY_WINDOW, summed over instances."""
        total: dict[float, float] = {}
        for address in addresses:
            pair = self._window(address, LATENCY_WINDOW)
            if pair is None:
                continue
            (_, old), (_, new) = pair
            for stat, buckets in new.buckets.items():
                if upstream_stat_prefix(stat, destination):
                    before = old.buckets.get(stat, {})
                    for bound, count in buckets.items():
                        total[bound] = total.get(bound, 0.0) + max(0.0, count - before.get(bound, 0.0))
        return total

    def _rbac_rate(self, addresses) -> float | None:
        """Requests the destination's public listener denied per second (from every caller)."""
        rate, seen = 0.0, False
        for address in addresses:
            pair = self._window(address, RATE_WINDOW)
            if pair is None:
                continue
            (t0, old), (t1, new) = pair
            stat = "http_public_listener_rbac_denied"
            if stat in new.counters:
                rate += max(0.0, new.counters[stat] - old.counters.get(stat, 0.0)) / max(t1 - t0, 1e-6)
                seen = True
        return rate if seen else None
