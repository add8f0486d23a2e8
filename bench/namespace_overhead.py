"""What bridge networking costs the chain: the same mesh on a devagent with network namespaces and
on one in host mode (`-no-network-namespaces`), wrk on order's published port, rounds interleaved.

    python -m bench.namespace_overhead [--sidecar envoy|builtin] [--seconds 5] [--rounds 5]
    python -m bench.namespace_overhead --echo      # one hop only: loopback vs port map into a namespace

Needs root (namespaces), wrk and Consul. Prints the median p50/p99 of each mode and the difference.
The chain crosses four port maps per request (client -> order, order's sidecar -> invoice's,
invoice's -> tax's, each a DNAT into a namespace); --echo measures what one such hop costs, with
an echo server and client run as bridge-mode jobs of a devagent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

from bench.ports import free_port
from bench.stack import MeshStack
from bench.stats import median
from bench.values_files import unique_port_picker, with_keepalive
from bench.wrk import run_wrk
from deployer.values import DEFAULT_VALUES

MODES = ("namespaces", "host")
MODE_FLAGS = {"namespaces": (), "host": ("-no-network-namespaces",)}
JOB_TIMEOUT = 60.0


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


def apply_mesh(stack: MeshStack, mode: str, values: dict) -> str:
    """Deploy the mesh with the deployer and return order's URL once it serves the chain."""
    path = stack.workdir / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    run = stack.deployer(path, "apply")
    if run.code != 0:
        raise RuntimeError(f"apply ({mode}) failed: {run.error_line()}")
    url = f"http://127.0.0.1:{values['services']['order']['static_port']}/"
    deadline = time.monotonic() + 30
    while requests.get(url, timeout=5).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"order ({mode}) does not serve the chain")
        time.sleep(0.2)
    return url


ECHO_SERVER = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(8)
while True:
    c, _ = s.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while (data := c.recv(64)):
        c.sendall(data)
    c.close()
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
ECHO_PORT = 5000  # the server's port inside its namespace


def echo_job(job_id: str, job_type: str, argv: list[str], port_to: int | None = None) -> dict:
    """A one-task bridge-mode job running `python -c <argv>`, with a mapped port `echo` when port_to is given."""
    network = {"Mode": "bridge", "DynamicPorts": [{"Label": "echo", "To": port_to}] if port_to else []}
    task = {"Name": "echo", "Driver": "raw_exec", "Config": {"command": sys.executable, "args": ["-c", *argv]},
            "Resources": {"CPU": 100, "MemoryMB": 64}}
    return {"Job": {"ID": job_id, "Name": job_id, "Type": job_type, "Datacenters": ["dc1"],
                    "TaskGroups": [{"Name": "echo", "Count": 1, "Networks": [network], "Tasks": [task]}]}}


class EchoJobs:
    """The echo server and clients as jobs of one devagent, over its HTTP API as a user submits them."""

    def __init__(self, stack: MeshStack):
        self.stack = stack

    def _api(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.stack.nomad_addr}{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response

    def _alloc(self, job_id: str, statuses: tuple[str, ...]) -> dict:
        """The job's allocation once its client status is one of statuses."""
        deadline = time.monotonic() + JOB_TIMEOUT
        while time.monotonic() < deadline:
            for alloc in self._api("GET", f"/v1/job/{job_id}/allocations").json():
                if alloc["ClientStatus"] in statuses:
                    return self._api("GET", f"/v1/allocation/{alloc['ID']}").json()
                if alloc["ClientStatus"] == "failed":
                    raise RuntimeError(f"job {job_id} failed; see {self.stack.workdir / 'devagent.log'}")
            time.sleep(0.1)
        raise TimeoutError(f"job {job_id} not {'/'.join(statuses)} after {JOB_TIMEOUT}s")

    def start_server(self) -> tuple[str, int]:
        """Run the server job; (bridge address, mapped host port) once it accepts connections."""
        self._api("PUT", "/v1/jobs", json=echo_job("echo-server", "service", [ECHO_SERVER, str(ECHO_PORT)], ECHO_PORT))
        alloc = self._alloc("echo-server", ("running",))
        port = alloc["AllocatedResources"]["Shared"]["Ports"][0]
        if port["HostIP"] == "127.0.0.1":
            raise RuntimeError(f"devagent made no network namespace; see {self.stack.workdir / 'devagent.log'}")
        wait_accepting(port["Value"])
        return port["HostIP"], port["Value"]

    def run_client(self, job_id: str, host: str, port: int, count: int) -> float:
        """Run the client as a batch job in its own namespace; its median round trip in µs."""
        self._api("PUT", "/v1/jobs", json=echo_job(job_id, "batch", [ECHO_CLIENT, host, str(port), str(count)]))
        alloc = self._alloc(job_id, ("complete",))
        out = self._api("GET", f"/v1/client/fs/logs/{alloc['ID']}",
                        params={"task": "echo", "type": "stdout", "plain": "true", "origin": "start"}).text
        return float(out)


def wait_accepting(port: int) -> None:
    """Block until 127.0.0.1:port accepts a connection."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing accepts on 127.0.0.1:{port}") from None
            time.sleep(0.1)


def host_client(host: str, port: int, count: int) -> float:
    """Run the client on the host; its median round trip in µs."""
    done = subprocess.run([sys.executable, "-c", ECHO_CLIENT, host, str(port), str(count)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"echo client failed: {done.stderr.strip()[-300:]}")
    return float(done.stdout)


def echo_comparison(rounds: int, count: int = 20000) -> int:
    """p50 of a 1-byte TCP round trip on the three paths of ECHO_MODES."""
    if os.geteuid() != 0:
        print("error: needs root (network namespaces)", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-echo-"))
    medians: dict[str, list[float]] = {mode: [] for mode in ECHO_MODES}
    loopback_port = free_port()
    local = subprocess.Popen([sys.executable, "-c", ECHO_SERVER, str(loopback_port)])
    try:
        with MeshStack("builtin", workdir) as stack:
            jobs = EchoJobs(stack)
            bridge_ip, mapped = jobs.start_server()
            wait_accepting(loopback_port)
            for round_number in range(rounds):
                medians["loopback"].append(host_client("127.0.0.1", loopback_port, count))
                medians["mapped"].append(host_client("127.0.0.1", mapped, count))
                medians["hairpin"].append(jobs.run_client(f"echo-client-{round_number}", bridge_ip, mapped, count))
    finally:
        local.kill()
        local.wait()
    shutil.rmtree(workdir, ignore_errors=True)
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
    parser.add_argument("--echo", action="store_true", help="measure one hop only (echo jobs, no mesh)")
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
            stacks[mode] = MeshStack(args.sidecar, workdir / mode, MODE_FLAGS[mode])
            stacks[mode].start()
            urls[mode] = apply_mesh(stacks[mode], mode, mode_values(mode, next_port))
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
