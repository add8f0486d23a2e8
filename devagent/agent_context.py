"""What every allocation runner shares: store, node, Consul, sidecar kind, ports, ledger."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from devagent.consul_api import ConsulAgentAPI
from devagent.netns.manager import BridgeNetworking
from devagent.port_allocator import PortAllocator
from devagent.process_ledger import ProcessLedger
from devagent.sidecars.base import SidecarRuntime
from devagent.state import Store
from devagent.stop_limits import StopLimits
from devagent.taskenv import NodeInfo


@dataclass
class AgentContext:
    """Shared services of one devagent."""

    store: Store
    node: NodeInfo
    data_dir: Path
    consul: ConsulAgentAPI
    sidecar_class: type[SidecarRuntime]
    ledger: ProcessLedger
    ports: PortAllocator
    network: BridgeNetworking | None = None  # namespaces for bridge-mode groups
    stop_limits: StopLimits = field(default_factory=StopLimits)  # caps on kill_timeout and shutdown_delay

    @property
    def sidecar_kind(self) -> str:
        """The name of the sidecar kind in use."""
        return self.sidecar_class.kind

    @staticmethod
    def log(message: str) -> None:
        """One line on devagent's stderr."""
        print(f"devagent: {message}", file=sys.stderr, flush=True)
