"""At scale (a 30- or 100-service mesh up): verify, Envoy memory, devagent CPU, and deny enforcement on one edge.

Enforcement is probed at the destination's sidecar itself, with the source's own leaf certificate
(what the source's Envoy presents): on a new mTLS connection per probe in even flips, on one
connection kept open across the flips in odd ones. A deny shows as Envoy's 403, or as the built-in
proxy refusing the handshake (it authorizes a connection when it opens); the delay counts from the
return of `deployer intentions deny ... --no-wait`.
"""

from __future__ import annotations

import http.client
import ssl
import statistics
import tempfile
import time
from pathlib import Path

import requests

from bench.consul_watch import IntentionWatch
from bench.consul_write_cost import consul_cpu_ms_per_intention_write
from bench.procs import (cpu_by_kind, cpu_seconds, cpu_seconds_by_process, group_members, machine_cpu_ticks,
                         private_kib)
from bench.results import ScaleProfile
from bench.stack import MeshStack
from bench.stats import percentile

PROBE_TIMEOUT_S = 5.0
SETTLE_TIMEOUT_S = 30.0


class KeptConnectionLost(RuntimeError):
    """The sidecar (or the app behind it) closed the connection the kept-alive probe was keeping."""


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
        """Envoy denies with a 403; Consul's built-in proxy refuses the handshake (a bad_certificate alert)."""
        conn = self._connection()
        try:
            return self._status(conn) == 403
        except ssl.SSLError as exc:
            if _refused_by_authz(exc):
                return True
            raise
        finally:
            conn.close()

    def kept_alive_denied(self) -> bool:
        """A 403 on the kept connection; KeptConnectionLost (and a new one kept) when the sidecar closed it."""
        try:
            return self._status(self.kept) == 403
        except (ssl.SSLError, ConnectionError, http.client.HTTPException) as exc:
            self.kept.close()
            self.kept = self._connection()
            raise KeptConnectionLost(f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        self.kept.close()


def _refused_by_authz(exc: ssl.SSLError) -> bool:
    """Whether the server refused our certificate: how Consul's built-in proxy says an intention denies."""
    return "BAD_CERTIFICATE" in str(exc).upper()


def _first_seen(probe, want_denied: bool, since: float, timeout: float) -> float | None:
    """Seconds from `since` until probe() shows the wanted state, or None."""
    deadline = since + timeout
    while time.perf_counter() < deadline:
        if probe() == want_denied:
            return time.perf_counter() - since
    return None


def flip_delays(stack: MeshStack, values: Path, prober: EdgeProber, source: str, destination: str,
                flips: int, deny_returns: list[tuple[float, float]] | None = None
                ) -> tuple[list[float], list[float], int, int]:
    """Deny/allow pairs: ms from the deny command's return until a probe sees the deny.

    Returns the new-connection and kept-alive delays, the flips whose deny was not seen in time,
    and the kept-alive flips whose connection the sidecar had closed.

    Flips alternate between the two probes (new connection, kept-alive connection), so each
    probes back to back at its own round-trip time and neither waits behind the other.
    """
    new_ms, kept_ms, missed, lost = [], [], 0, 0
    for number in range(flips):
        probe, into = ((prober.new_connection_denied, new_ms) if number % 2 == 0
                       else (prober.kept_alive_denied, kept_ms))
        run = stack.deployer(values, "intentions", "deny", source, destination, "--no-wait").require_ok("deny")
        if deny_returns is not None:  # wall-clock start and return, to find and time Consul's answer
            offset = time.time() - time.perf_counter()
            deny_returns.append((run.started + offset, run.returned + offset))
        try:
            seen = _first_seen(probe, True, run.returned, PROBE_TIMEOUT_S)
        except KeptConnectionLost:
            lost += 1  # no deny was seen on that connection: the flip has no delay
        else:
            if seen is None:
                missed += 1
            else:
                into.append(seen * 1000)
        run = stack.deployer(values, "intentions", "allow", source, destination, "--no-wait").require_ok("allow")
        if _first_seen(prober.new_connection_denied, False, run.returned, SETTLE_TIMEOUT_S) is None:
            raise RuntimeError(f"{source} -> {destination} still denied {SETTLE_TIMEOUT_S:g} s after the allow")
    return new_ms, kept_ms, missed, lost


def unprobed_consul_answers_ms(stack: MeshStack, values: Path, source: str, destination: str, flips: int,
                               consul_watch: IntentionWatch) -> list[float]:
    """Deny/allow pairs with no probe running: ms from each deny's return until Consul's watch answered.

    The probes load the machine (a new mTLS handshake after another); this shows Consul's part without them.
    """
    delays = []
    for _ in range(flips):
        for action in ("deny", "allow"):
            run = stack.deployer(values, "intentions", action, source, destination, "--no-wait").require_ok(action)
            offset = time.time() - time.perf_counter()
            started, returned = run.started + offset, run.returned + offset
            deadline = time.monotonic() + SETTLE_TIMEOUT_S
            while (answered := consul_watch.first_answer_after(started, horizon=SETTLE_TIMEOUT_S)) is None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Consul's intention watch saw no {action} within {SETTLE_TIMEOUT_S:g} s")
                time.sleep(0.01)
            if action == "deny":
                delays.append((answered - returned) * 1000)
    return delays


def sidecar_private_mib(stack: MeshStack) -> list[float]:
    """Private memory (smaps_rollup Private_Clean + Private_Dirty) of each live sidecar process group."""
    sizes = []
    for task in stack.tasks():
        if task.is_sidecar and task.alive():
            sizes.append(sum(private_kib(pid) or 0 for pid in group_members(task.pgid)) / 1024)
    return sizes


def probe_round_trips_ms(prober: EdgeProber, count: int = 20) -> tuple[float, float]:
    """Median ms of one new-connection probe and of one kept-alive probe: the delays' resolution."""
    medians = []
    for probe in (prober.new_connection_denied, prober.kept_alive_denied):
        times = []
        for _ in range(count):
            started = time.perf_counter()
            probe()
            times.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(times))
    return medians[0], medians[1]


def cpu_percent(pid: int, seconds: float, kind_of=None) -> tuple[float, float, dict[str, float]]:
    """CPU use of a process (all threads, % of one core), of the whole machine (% of all cores) and,
    with kind_of(pid, command), of each kind of process (% of one core) over `seconds`."""
    before, started = cpu_seconds(pid) or 0.0, time.monotonic()
    busy_before, total_before = machine_cpu_ticks()
    processes_before = cpu_seconds_by_process() if kind_of else {}
    time.sleep(seconds)
    busy, total = machine_cpu_ticks()
    took = time.monotonic() - started
    kinds = cpu_by_kind(processes_before, cpu_seconds_by_process(), took, kind_of) if kind_of else {}
    machine = (busy - busy_before) / max(1, total - total_before) * 100
    return ((cpu_seconds(pid) or 0.0) - before) / took * 100, machine, kinds


def mesh_process_kind(stack: MeshStack):
    """kind_of(pid, command) for a running stack: devagent, consul, envoy, apps (other python), other."""
    devagent, consul = stack.process.pid, stack.consul.process.pid

    def kind_of(pid: int, command: str) -> str:
        if pid == devagent:
            return "devagent"
        if pid == consul or command == "consul":
            return "consul"
        if command == "envoy":
            return "envoy"
        if command.startswith("python") or command.startswith("gunicorn"):
            return "apps"
        return "other"
    return kind_of


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
    profile.devagent_idle_cpu_pct, profile.machine_idle_busy_pct, profile.idle_cpu_by_kind = cpu_percent(
        devagent, idle_seconds, mesh_process_kind(stack))
    profile.consul_write_cpu_ms = consul_cpu_ms_per_intention_write(stack.consul.url, stack.consul.process.pid)
    edge = data["intentions"]["rules"][0]
    source, destination = edge["source"], edge["destination"]
    prober = EdgeProber(stack.consul.url, source, destination)
    try:
        profile.probe_new_ms, profile.probe_kept_alive_ms = probe_round_trips_ms(prober)
        deny_returns: list[tuple[float, float]] = []
        with IntentionWatch(stack.consul.url) as consul_watch:
            profile.consul_answer_unprobed_ms = unprobed_consul_answers_ms(stack, values, source, destination,
                                                                           max(1, flips // 2), consul_watch)
            # The last allow must have reached the sidecar, or the first probed deny would be seen at once.
            if _first_seen(prober.new_connection_denied, False, time.perf_counter(), SETTLE_TIMEOUT_S) is None:
                raise RuntimeError(f"{source} -> {destination} still denied {SETTLE_TIMEOUT_S:g} s after the allow")
            cpu_before, started = cpu_seconds(devagent) or 0.0, time.monotonic()
            new_ms, kept_ms, missed, lost = flip_delays(stack, values, prober, source, destination, flips,
                                                        deny_returns)
            profile.devagent_flip_cpu_pct = ((cpu_seconds(devagent) or 0.0) - cpu_before) / (
                time.monotonic() - started) * 100
            profile.consul_answer_ms = [(answered - returned) * 1000 for started, returned in deny_returns
                                        if (answered := consul_watch.first_answer_after(started)) is not None]
    finally:
        prober.close()
    profile.edge = f"{source} -> {destination}"
    profile.deny_new_ms, profile.deny_kept_alive_ms = new_ms, kept_ms
    if missed:
        profile.note = (profile.note + "; " if profile.note else "") + \
            f"in {missed} flips no probe saw the deny within {PROBE_TIMEOUT_S:g} s"
    if lost:
        profile.note = (profile.note + "; " if profile.note else "") + \
            f"in {lost} kept-alive flips the sidecar had closed the kept connection (no delay counted)"
    mib = profile.sidecar_private_mib
    log(f"  {stack.sidecar} {shape} {services}: verify {'green' if profile.verify_ok else 'FAILED'}, "
        f"sidecar private memory median {statistics.median(mib) if mib else 0:.1f} MiB, devagent idle "
        f"{profile.devagent_idle_cpu_pct:.1f}% / flipping {profile.devagent_flip_cpu_pct:.1f}%, deny p99 new "
        f"{_p99(new_ms)} ms kept-alive {_p99(kept_ms)} ms")
    return profile


def _p99(values: list[float]) -> str:
    return f"{percentile(values, 99):.1f}" if values else "-"
