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

    def prepare(self, timeout: float) -> None:
        """Nothing to write: the proxy gets its config from the agent."""
        self.binary = find_consul_binary()

    def command(self) -> list[str]:
        """The proxy's argv."""
        argv = [self.binary, "connect", "proxy", "-sidecar-for", self.spec.service_id,
                "-http-addr", self.spec.consul_http_addr, "-log-level", "info"]
        return argv

    def env(self) -> dict[str, str]:
        """Pass the Consul token, if any, through the environment (not argv)."""
        return {"CONSUL_HTTP_TOKEN": self.spec.consul_token} if self.spec.consul_token else {}

    @staticmethod
    def available() -> str | None:
        """None when usable, else why not."""
        try:
            find_consul_binary()
        except RuntimeError as exc:
            return str(exc)
        return None
