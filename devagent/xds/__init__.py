"""devagent's xDS v3 server: aggregated discovery (ADS, state of the world) over gRPC for its Envoy sidecars."""

import os

# devagent forks a process for every task; gRPC's fork handlers would only print a warning each time
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

from .proxies import ProxyStatus  # noqa: E402 -- after the environment is set
from .server import XdsServer, shared_server  # noqa: E402

__all__ = ["ProxyStatus", "XdsServer", "shared_server"]
