"""Consul's built-in proxy as a sidecar: `consul connect proxy -sidecar-for <id>`."""

from __future__ import annotations

from devagent.consul_dev import find_consul_binary
from devagent.sidecars.base import SidecarRuntime


class BuiltinSidecar(SidecarRuntime):
    """The built-in proxy reads everything (listener, upstreams, certs) from the local agent.

    It has no expose-path listener: devagent points `expose = true` checks at the app.
    """

    kind = "builtin"
    supports_expose = False
    # Its public listener binds the sidecar's registered address (Consul ignores bind_address for
    # -sidecar-for), so inside a namespace devagent registers the allocation's own address.
    binds_registered_address = True

    def prepare(self, timeout: float) -> None:
        """Nothing to write: the proxy gets its config from the agent."""
        self.binary = find_consul_binary()

    def command(self) -> list[str]:
        """The proxy's argv."""
        # Inside a namespace Consul's HTTP API is reached through the alloc dir's unix socket.
        http_addr = f"unix://{self.spec.consul_http_socket}" if self.spec.consul_http_socket else self.spec.consul_http_addr
        argv = [self.binary, "connect", "proxy", "-sidecar-for", self.spec.service_id,
                "-http-addr", http_addr, "-log-level", "info"]
        return argv

    def env(self) -> dict[str, str]:
        """The Consul token, if any (not in argv), and the socket address inside a namespace, as Nomad sets it."""
        env = {"CONSUL_HTTP_TOKEN": self.spec.consul_token} if self.spec.consul_token else {}
        if self.spec.consul_http_socket:
            env["CONSUL_HTTP_ADDR"] = f"unix://{self.spec.consul_http_socket}"
        return env

    @staticmethod
    def available() -> str | None:
        """None when usable, else why not."""
        try:
            find_consul_binary()
        except RuntimeError as exc:
            return str(exc)
        return None
