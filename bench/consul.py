"""A Consul dev agent for a benchmark stack: the checkout's tools/bin/consul on free loopback ports."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import requests

from bench.ports import free_port

CHECKOUT = Path(__file__).resolve().parents[1]
# Consul's default of 200 HTTP connections per client address is too few for a 100-service mesh:
# each Envoy sidecar holds about two blocking queries, all from 127.0.0.1.
HTTP_MAX_CONNS_PER_CLIENT = 4096


def consul_binary() -> str:
    """$CONSUL_BIN, the checkout's tools/bin/consul, then consul on PATH."""
    for candidate in (os.environ.get("CONSUL_BIN"), str(CHECKOUT / "tools" / "bin" / "consul"), shutil.which("consul")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError("no consul binary (run `make tools` or set CONSUL_BIN)")


class BenchConsul:
    """`consul agent -dev` on 127.0.0.1 in its own process group; start() again after stop() keeps the ports."""

    def __init__(self, log_path: Path):
        self.log_path = Path(log_path)
        self.binary = consul_binary()
        self.http_port, self.grpc_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None

    @property
    def http_addr(self) -> str:
        """host:port of the HTTP API (devagent's -consul-addr, the deployer's --consul-addr)."""
        return f"127.0.0.1:{self.http_port}"

    @property
    def url(self) -> str:
        """Base URL of the HTTP API."""
        return f"http://{self.http_addr}"

    def _argv(self) -> list[str]:
        return [self.binary, "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1",
                "-http-port", str(self.http_port), "-grpc-port", str(self.grpc_port), "-dns-port", "-1",
                "-serf-lan-port", str(free_port()), "-serf-wan-port", str(free_port()),
                "-server-port", str(free_port()), "-log-level", "warn",
                "-hcl", f"limits {{ http_max_conns_per_client = {HTTP_MAX_CONNS_PER_CLIENT} }}"]

    def start(self, timeout: float = 30.0) -> "BenchConsul":
        """Start the agent and wait until it has a leader and a Connect CA root."""
        with open(self.log_path, "ab") as log:
            # A -dev agent reads ./services and ./checks where it runs: run it next to its log.
            self.process = subprocess.Popen(self._argv(), stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=self.log_path.parent,
                                            start_new_session=True)
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        try:
            leader = requests.get(f"{self.url}/v1/status/leader", timeout=1).json()
            roots = requests.get(f"{self.url}/v1/agent/connect/ca/roots", timeout=1)
            return bool(leader) and roots.ok and bool(roots.json().get("Roots"))
        except (requests.RequestException, ValueError):
            return False

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"consul exited {self.process.returncode}; see {self.log_path}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"consul at {self.url} not ready after {timeout}s; see {self.log_path}")
            time.sleep(0.1)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the agent's process group, SIGKILL it past timeout."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
