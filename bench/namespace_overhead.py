"""What bridge networking costs the chain: the same mesh on a devagent with network namespaces and
on one in host mode (`-no-network-namespaces`), wrk on order's published port, rounds interleaved.

    python -m bench.namespace_overhead [--sidecar envoy|builtin] [--seconds 5] [--rounds 5]
    python -m bench.namespace_overhead --echo      # one hop only: loopback vs port map into a namespace

Needs root (namespaces), wrk and Consul. Prints the median p50/p99 of each mode and the difference.
The chain crosses four port maps per request (client -> order, order's sidecar -> invoice's,
invoice's -> tax's, each a DNAT into a namespace); --echo measures what one such hop costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

from bench.stack import run_deployer
from bench.stats import median
from bench.values_files import unique_port_picker, with_keepalive
from bench.wrk import run_wrk
from deployer.values import DEFAULT_VALUES
from devagent.consul_dev import ConsulDevAgent
from devagent.ports import free_port

MODES = ("namespaces", "host")


def mode_values(mode: str, next_port) -> dict:
    """dev.yaml on free ports; the edge listens on its namespace's interface when it has one."""
    data = with_keepalive(yaml.safe_load(DEFAULT_VALUES.read_text()))
    for service in data["services"].values():
        service["port"] = next_port()
        if service.get("static_port") is not None:
            service["static_port"] = service["port"]
            if mode == "namespaces":
                service["env"] = {**(service.get("env") or {}), "SERVICE_HOST": "0.0.0.0"}
        for upstream in service.get("upstreams", []):
            upstream["local_bind_port"] = next_port()
    return data


class Stack:
    """Consul and one devagent in a mode; apply() deploys the mesh and returns order's URL."""

    def __init__(self, mode: str, sidecar: str, workdir: Path):
        self.mode, self.sidecar, self.workdir = mode, sidecar, workdir / mode
        self.workdir.mkdir(parents=True)
        self.port = free_port()
        self.consul = ConsulDevAgent(log_path=self.workdir / "consul.log").start()
        extra = ["-no-network-namespaces"] if mode == "host" else []
        with open(self.workdir / "devagent.log", "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "devagent", "-http-port", str(self.port), "-consul-addr", self.consul.http_addr,
                 "-data-dir", str(self.workdir / "data"), "-sidecar", sidecar, *extra],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while not self._ready():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"devagent ({mode}) did not start; see {self.workdir / 'devagent.log'}")
            time.sleep(0.1)

    def _ready(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/v1/status/leader", timeout=1).ok
        except requests.RequestException:
            return False

    def apply(self, values: dict) -> str:
        """Deploy and return order's URL."""
        path = self.workdir / "values.yaml"
        path.write_text(yaml.safe_dump(values))
        flags = ["--nomad-addr", f"http://127.0.0.1:{self.port}", "--consul-addr", self.consul.http_addr,
                 "--values", str(path), "--no-color"]
        run = run_deployer(flags, ["apply"])
        if run.code != 0:
            raise RuntimeError(f"apply ({self.mode}) failed: {run.err.strip()[-400:]}")
        order = values["services"]["order"]["static_port"]
        url = f"http://127.0.0.1:{order}/"
        deadline = time.monotonic() + 30
        while requests.get(url, timeout=5).status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(f"order ({self.mode}) does not serve the chain")
            time.sleep(0.2)
        return url

    def stop(self) -> None:
        """SIGTERM devagent (it removes its allocations and network), then Consul."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)
        self.consul.stop()


ECHO_SERVER = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(1); print("ready", flush=True); c, _ = s.accept()
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
while (data := c.recv(64)):
    c.sendall(data)
"""

ECHO_CLIENT = """
import socket, statistics, sys, time
sock = socket.create_connection((sys.argv[1], int(sys.argv[2])))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
samples = []
for _ in range(int(sys.argv[3])):
    started = time.perf_counter(); sock.sendall(b"x"); sock.recv(64)
    samples.append(time.perf_counter() - started)
print(statistics.median(samples) * 1e6)
"""

ECHO_MODES = {
    "loopback": "host -> a server on the host's 127.0.0.1",
    "mapped": "host -> 127.0.0.1:<host port> -> a server in a namespace (client -> order)",
    "hairpin": "namespace -> bridge address:<host port> -> a server in another namespace (sidecar -> sidecar)",
}


def echo_comparison(rounds: int, count: int = 20000) -> int:
    """p50 of a 1-byte TCP round trip on the three paths of ECHO_MODES."""
    import uuid
    from devagent.netns.manager import BridgeNetworking
    from devagent.netns.portmap import PortForward
    networking = BridgeNetworking(str(uuid.uuid4()), lambda line: None)
    networking.start()
    gateway = networking.host_ip()
    if gateway is None:
        print(f"error: no network namespaces: {networking.unavailable}", file=sys.stderr)
        return 1
    medians: dict[str, list[float]] = {mode: [] for mode in ECHO_MODES}
    try:
        inside, mapped = free_port(), free_port()
        server_ns = networking.setup(str(uuid.uuid4()), [PortForward(mapped, inside)])
        client_ns = networking.setup(str(uuid.uuid4()), [])
        for _ in range(rounds):
            for mode in ECHO_MODES:
                port = free_port() if mode == "loopback" else inside
                in_server = ["ip", "netns", "exec", server_ns.name] if mode != "loopback" else []
                in_client = ["ip", "netns", "exec", client_ns.name] if mode == "hairpin" else []
                target = {"loopback": ("127.0.0.1", port), "mapped": ("127.0.0.1", mapped),
                          "hairpin": (gateway, mapped)}[mode]
                server = subprocess.Popen([*in_server, sys.executable, "-c", ECHO_SERVER, str(port)],
                                          stdout=subprocess.PIPE, text=True)
                server.stdout.readline()
                client = subprocess.run([*in_client, sys.executable, "-c", ECHO_CLIENT, target[0], str(target[1]),
                                         str(count)], capture_output=True, text=True)
                if client.returncode != 0:
                    server.kill()
                    raise RuntimeError(f"echo client ({mode}) failed: {client.stderr.strip()[-300:]}")
                medians[mode].append(float(client.stdout))
                server.wait(10)
    finally:
        networking.shutdown()
    print(f"TCP round trip, 1 byte, one connection, {rounds} x {count} samples per path (median of medians):")
    base = median(medians["loopback"])
    for mode, text in ECHO_MODES.items():
        print(f"  {mode:<9} p50 {median(medians[mode]):6.1f} us  ({median(medians[mode]) - base:+.1f} us)  {text}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure and print the comparison; 1 when something could not run."""
    parser = argparse.ArgumentParser(prog="python -m bench.namespace_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--sidecar", choices=("envoy", "builtin"), default="envoy")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--echo", action="store_true", help="measure one hop only (no Consul, no mesh)")
    args = parser.parse_args(argv)
    if args.echo:
        return echo_comparison(args.rounds)
    wrk = shutil.which("wrk")
    if wrk is None or os.geteuid() != 0:
        print("error: needs wrk and root (network namespaces)", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-netns-"))
    next_port = unique_port_picker()
    stacks = {}
    try:
        urls = {}
        for mode in MODES:
            stacks[mode] = Stack(mode, args.sidecar, workdir)
            urls[mode] = stacks[mode].apply(mode_values(mode, next_port))
        runs = {mode: [] for mode in MODES}
        for round_number in range(args.rounds):
            order = MODES if round_number % 2 == 0 else tuple(reversed(MODES))
            for mode in order:
                runs[mode].append(run_wrk(wrk, urls[mode], workdir, args.connections, 1, args.seconds, False))
    finally:
        for stack in stacks.values():
            stack.stop()
    p50 = {mode: median([r.p50_us / 1000 for r in runs[mode]]) for mode in MODES}
    p99 = {mode: median([r.p99_us / 1000 for r in runs[mode]]) for mode in MODES}
    print(f"chain GET / through order -> invoice -> tax, {args.sidecar} sidecars, keep-alive, "
          f"{args.connections} connection(s), {args.rounds} x {args.seconds:g} s per mode")
    for mode in MODES:
        print(f"  {mode:<11} p50 {p50[mode]:.3f} ms   p99 {p99[mode]:.3f} ms   "
              f"({sum(r.requests for r in runs[mode])} requests)")
    print(f"  namespaces - host: p50 {p50['namespaces'] - p50['host']:+.3f} ms, "
          f"p99 {p99['namespaces'] - p99['host']:+.3f} ms")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
