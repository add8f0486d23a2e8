"""At scale (a 30- or 100-service mesh up): verify, Envoy memory, devagent CPU, and deny enforcement on one edge.

Enforcement is probed at the destination's sidecar itself, with the source's own leaf certificate
(what the source's Envoy presents): on a new mTLS connection per probe, and on one connection kept
open across the flips. A deny shows as Envoy's 403; the delay counts from the return of
`deployer intentions deny ... --no-wait`.
"""

from __future__ import annotations

import http.client
import ssl
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench.procs import cpu_seconds, group_members, private_kib
from bench.results import ScaleProfile
from bench.stack import MeshStack
from bench.stats import percentile

PROBE_TIMEOUT_S = 5.0
SETTLE_TIMEOUT_S = 30.0


class EdgeProber:
    """HTTPS to one destination sidecar as one source service: new connections and one kept-alive."""

    def __init__(self, consul_url: str, source: str, destination: str):
        leaf = requests.get(f"{consul_url}/v1/agent/connect/ca/leaf/{source}", timeout=10).json()
        roots = requests.get(f"{consul_url}/v1/agent/connect/ca/roots", timeout=10).json()
        (sidecar,) = requests.get(f"{consul_url}/v1/catalog/service/{destination}-sidecar-proxy", timeout=10).json()
        self.host = sidecar.get("ServiceAddress") or sidecar["Address"]
        self.port = sidecar["ServicePort"]
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.context.check_hostname = False
        self.context.load_verify_locations(cadata="".join(r["RootCert"] for r in roots["Roots"]))
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
            cert.write_text(leaf["CertPEM"])
            key.write_text(leaf["PrivateKeyPEM"])
            self.context.load_cert_chain(cert, key)
        self.kept = self._connection()

    def _connection(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=PROBE_TIMEOUT_S)

    @staticmethod
    def _status(conn: http.client.HTTPSConnection) -> int:
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        return response.status

    def new_connection_denied(self) -> bool:
        conn = self._connection()
        try:
            return self._status(conn) == 403
        finally:
            conn.close()

    def kept_alive_denied(self) -> bool:
        return self._status(self.kept) == 403

    def close(self) -> None:
        self.kept.close()


def _first_seen(probe, want_denied: bool, since: float, timeout: float) -> float | None:
    """Seconds from `since` until probe() shows the wanted state, or None."""
    deadline = since + timeout
    while time.perf_counter() < deadline:
        if probe() == want_denied:
            return time.perf_counter() - since
    return None


def _first_denied(probes: dict, since: float, timeout: float) -> dict[str, float | None]:
    """Probe each (in turn, until it shows a 403): seconds from `since` to its first 403, or None."""
    seen: dict[str, float | None] = {name: None for name in probes}
    deadline = since + timeout
    while any(v is None for v in seen.values()) and time.perf_counter() < deadline:
        for name, probe in probes.items():
            if seen[name] is None and probe():
                seen[name] = time.perf_counter() - since
    return seen


def flip_delays(stack: MeshStack, values: Path, prober: EdgeProber, source: str, destination: str,
                flips: int) -> tuple[list[float], list[float], int]:
    """Deny/allow pairs: ms from the deny command's return until new and kept-alive probes see a 403."""
    new_ms, kept_ms, missed = [], [], 0
    probes = {"new": prober.new_connection_denied, "kept": prober.kept_alive_denied}
    for _ in range(flips):
        run = stack.deployer(values, "intentions", "deny", source, destination, "--no-wait").require_ok("deny")
        seen = _first_denied(probes, run.returned, PROBE_TIMEOUT_S)
        for name, into in (("new", new_ms), ("kept", kept_ms)):
            if seen[name] is None:
                missed += 1
            else:
                into.append(seen[name] * 1000)
        run = stack.deployer(values, "intentions", "allow", source, destination, "--no-wait").require_ok("allow")
        if _first_seen(prober.new_connection_denied, False, run.returned, SETTLE_TIMEOUT_S) is None:
            raise RuntimeError(f"{source} -> {destination} still denied {SETTLE_TIMEOUT_S:g} s after the allow")
    return new_ms, kept_ms, missed


def sidecar_private_mib(stack: MeshStack) -> list[float]:
    """Private memory (smaps_rollup Private_Clean + Private_Dirty) of each live sidecar process group."""
    sizes = []
    for task in stack.tasks():
        if task.is_sidecar and task.alive():
            sizes.append(sum(private_kib(pid) or 0 for pid in group_members(task.pgid)) / 1024)
    return sizes


def cpu_percent(pid: int, seconds: float) -> float:
    """CPU use of a process (all threads) over `seconds`, in percent of one core."""
    before, started = cpu_seconds(pid) or 0.0, time.monotonic()
    time.sleep(seconds)
    return ((cpu_seconds(pid) or 0.0) - before) / (time.monotonic() - started) * 100


def profile_mesh(stack: MeshStack, values: Path, data: dict, shape: str, idle_seconds: float, flips: int,
                 log=print) -> ScaleProfile:
    """Verify the mesh that is up, then measure memory, idle CPU and enforcement on its first edge."""
    services = len(data["services"])
    verified = stack.deployer(values, "verify")
    profile = ScaleProfile(stack.sidecar, shape, services, verified.code == 0, verified.seconds)
    if verified.code != 0:
        profile.note = f"verify failed: {verified.error_line()}"
    profile.sidecar_private_mib = sidecar_private_mib(stack)
    devagent = stack.process.pid
    profile.devagent_idle_cpu_pct = cpu_percent(devagent, idle_seconds)
    edge = data["intentions"]["rules"][0]
    source, destination = edge["source"], edge["destination"]
    prober = EdgeProber(stack.consul.url, source, destination)
    try:
        cpu_before, started = cpu_seconds(devagent) or 0.0, time.monotonic()
        new_ms, kept_ms, missed = flip_delays(stack, values, prober, source, destination, flips)
        profile.devagent_flip_cpu_pct = ((cpu_seconds(devagent) or 0.0) - cpu_before) / (
            time.monotonic() - started) * 100
    finally:
        prober.close()
    profile.edge = f"{source} -> {destination}"
    profile.deny_new_ms, profile.deny_kept_alive_ms = new_ms, kept_ms
    if missed:
        profile.note = (profile.note + "; " if profile.note else "") + \
            f"{missed} probes saw no 403 within {PROBE_TIMEOUT_S:g} s"
    mib = profile.sidecar_private_mib
    log(f"  {stack.sidecar} {shape} {services}: verify {'green' if profile.verify_ok else 'FAILED'}, "
        f"sidecar private memory median {statistics.median(mib) if mib else 0:.1f} MiB, devagent idle "
        f"{profile.devagent_idle_cpu_pct:.1f}% / flipping {profile.devagent_flip_cpu_pct:.1f}%, deny p99 new "
        f"{_p99(new_ms)} ms kept-alive {_p99(kept_ms)} ms")
    return profile


def _p99(values: list[float]) -> str:
    return f"{percentile(values, 99):.1f}" if values else "-"
