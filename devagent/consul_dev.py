"""Find the consul binary and run a Consul dev agent on free loopback ports."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from devagent.consul_client import ConsulClient, ConsulError
from devagent.ports import free_port

CHECKOUT = Path(__file__).resolve().parents[1]
PR_SET_PDEATHSIG = 1
ACL_CONFIG = CHECKOUT / "acl" / "consul-acl.hcl"  # acl { enabled, default_policy = "deny", ... }


class ConsulNotFound(RuntimeError):
    """No consul binary could be found."""


HTTP_MAX_CONNS_PER_CLIENT = 4096


class ConsulExited(RuntimeError):
    """The agent exited while starting (typically: a port was taken meanwhile)."""


def find_consul_binary() -> str:
    """Return the consul binary: $CONSUL_BIN, the checkout's tools/bin, then PATH."""
    candidates = [os.environ.get("CONSUL_BIN"), str(CHECKOUT / "tools" / "bin" / "consul"), shutil.which("consul")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise ConsulNotFound("no consul binary (run scripts/install-consul.sh or set CONSUL_BIN)")


def terminate_with_parent() -> None:
    """In the child: get SIGTERM when the thread that started us dies (a killed test run leaks nothing)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class ConsulDevAgent:
    """A `consul agent -dev` bound to 127.0.0.1 on free ports, in its own process group.

    With acl=True it enforces ACLs with default deny; start() bootstraps them, keeps the
    management token in `management_token` and gives the agent its own token.
    """

    def __init__(self, log_path: str | os.PathLike | None = None, binary: str | None = None,
                 die_with_parent: bool = False, acl: bool = False):
        self.binary = binary or find_consul_binary()
        self.acl = acl
        self.management_token = ""
        self.die_with_parent = die_with_parent
        self.http_port = free_port()
        self.grpc_port = free_port()
        self.log_path = Path(log_path) if log_path else None
        self.process: subprocess.Popen | None = None

    @property
    def http_addr(self) -> str:
        """host:port of the HTTP API, as CONSUL_HTTP_ADDR wants it."""
        return f"127.0.0.1:{self.http_port}"

    @property
    def url(self) -> str:
        """Base URL of the HTTP API."""
        return f"http://{self.http_addr}"

    def argv(self) -> list[str]:
        """The command line that starts the agent."""
        return [
            self.binary, "agent", "-dev", "-bind", "127.0.0.1", "-client", "127.0.0.1",
            "-http-port", str(self.http_port), "-grpc-port", str(self.grpc_port),
            "-dns-port", "-1", "-serf-lan-port", str(free_port()),
            "-serf-wan-port", str(free_port()), "-server-port", str(free_port()),
            "-log-level", "warn",
            # Consul allows 200 HTTP connections per client address; devagent's Envoy sidecars hold
            # one blocking query per leaf and per upstream, about 2 per service, all from 127.0.0.1
            "-hcl", f"limits {{ http_max_conns_per_client = {HTTP_MAX_CONNS_PER_CLIENT} }}",
            *self._config_args(),
        ]

    def _config_args(self) -> list[str]:
        """-config-file with the ACL block when ACLs are asked for."""
        return ["-config-file", str(ACL_CONFIG)] if self.acl else []

    def start(self, timeout: float = 30.0, attempts: int = 3) -> "ConsulDevAgent":
        """Start the agent and wait until it is ready; retry on new ports if one was taken meanwhile."""
        for attempt in range(1, attempts + 1):
            try:
                return self._start_once(timeout)
            except ConsulExited:
                if attempt == attempts:
                    raise
                self.http_port, self.grpc_port = free_port(), free_port()
        raise AssertionError("unreachable")

    def _start_once(self, timeout: float) -> "ConsulDevAgent":
        """One try: spawn the agent and wait until it has a leader and accepts Connect calls."""
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        # A -dev agent reads ./services and ./checks where it runs: run it in the log's directory.
        cwd = self.log_path.parent if self.log_path else tempfile.gettempdir()
        self.process = subprocess.Popen(self.argv(), stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=terminate_with_parent if self.die_with_parent else None)
        if out is not subprocess.DEVNULL:
            out.close()
        try:
            self.wait_ready(timeout)
            if self.acl:
                self._bootstrap_acl(timeout)
        except Exception:
            self.stop()
            raise
        return self

    def _bootstrap_acl(self, timeout: float) -> None:
        """Bootstrap the ACL system (the management token) and give the agent its own token."""
        from devagent.consul_acl import ConsulACL, secure_agent
        self.management_token = ConsulACL(self.http_addr).bootstrap(timeout).secret
        secure_agent(ConsulACL(self.http_addr, self.management_token))

    @property
    def admin_headers(self) -> dict[str, str]:
        """Headers for a test's own Consul calls: the management token under ACLs, else none."""
        return {"X-Consul-Token": self.management_token} if self.management_token else {}

    def token(self, policies: list[str] = (), service_identities: list[str] = (), description: str = "") -> str:
        """A new token's secret with the named shipped policies (installed first) and/or service identities."""
        from devagent.consul_acl import ConsulACL, policy_files
        acl = ConsulACL(self.http_addr, self.management_token)
        shipped = policy_files()
        for name in policies:
            acl.upsert_policy(name, shipped[name])
        return acl.create_token(description or f"test token: {', '.join([*policies, *service_identities])}",
                                policies=list(policies), service_identities=list(service_identities)).secret

    def wait_ready(self, timeout: float) -> None:
        """Block until the leader is elected and the Connect CA has a root."""
        deadline = time.monotonic() + timeout
        last_error = "no answer"
        client = ConsulClient(self.http_addr, timeout=1, keep_alive=False)
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise ConsulExited(f"consul exited with {self.process.returncode} (log: {self.log_path})")
            try:
                leader = client.call("GET", "/v1/status/leader")
                roots = client.call("GET", "/v1/agent/connect/ca/roots") if leader else None
                if (roots or {}).get("Roots"):
                    return
                last_error = f"leader={leader!r} roots={roots!r}"
            except ConsulError as exc:
                last_error = str(exc)
            time.sleep(0.1)
        raise TimeoutError(f"consul at {self.url} not ready after {timeout}s: {last_error}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the agent's process group: SIGTERM, then SIGKILL past timeout."""
        if not self.process or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def __enter__(self) -> "ConsulDevAgent":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
