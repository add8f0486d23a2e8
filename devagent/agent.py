"""Wire the store, scheduler, deployment watcher and allocation runners into one agent."""

from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from devagent.agent_context import AgentContext
from devagent.alloc_runner import AllocRunner
from devagent.blocked_evals import BlockedEvals
from devagent.consul_api import ConsulAgentAPI
from devagent.consul_client import ConsulError
from devagent.consul_resync import ConsulResync, live_registrations
from devagent.service_identity import revoke_leftovers
from devagent.deployment_watcher import DeploymentWatcher
from devagent.durations import format_go_duration
from devagent.netns.manager import BridgeNetworking
from devagent.port_allocator import PortAllocator
from devagent.process_ledger import ProcessLedger
from devagent.rescheduler import Rescheduler
from devagent.scheduler import Scheduler
from devagent.service_registration import NODE_MARKER
from devagent.sidecars.base import SidecarRuntime
from devagent.state import Store
from devagent.stop_limits import StopLimits
from devagent.taskenv import NodeInfo

VERSION = "1.8.4"  # the Nomad API version devagent follows
SHUTDOWN_GRACE = 15.0  # seconds on top of the kill timeouts for deregistrations and network teardown


@dataclass
class AgentConfig:
    """Settings from the command line."""

    bind: str
    http_port: int
    consul_addr: str
    data_dir: Path
    sidecar_class: type[SidecarRuntime]
    node_name: str
    datacenter: str = "dc1"
    region: str = "global"
    ledger: ProcessLedger | None = None  # shared with the CLI when it starts a Consul dev agent
    network_namespaces: bool = True  # False: bridge-mode groups run in host mode
    cpu_total_compute: int = 0  # MHz; 0 = fingerprinted (Nomad's client cpu_total_compute)
    memory_total_mb: int = 0  # 0 = fingerprinted (Nomad's client memory_total_mb)
    stop_limits: StopLimits = field(default_factory=StopLimits)  # max_kill_timeout, max_shutdown_delay
    consul_token: str | None = None  # Nomad's consul.token; None: $CONSUL_HTTP_TOKEN (issue 15)


def load_node_id(data_dir: Path) -> str:
    """The node ID kept in the data dir, so a restart recognizes its own leftovers."""
    path = data_dir / "node-id"
    if path.exists():
        return path.read_text().strip()
    node_id = str(uuid.uuid4())
    path.write_text(node_id)
    return node_id


class Agent:
    """One devagent: server (jobs, evals, deployments) and client (allocations) in one process."""

    def __init__(self, config: AgentConfig):
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        node = NodeInfo(id=load_node_id(config.data_dir), name=config.node_name,
                        datacenter=config.datacenter, region=config.region)
        network = BridgeNetworking(node.id, AgentContext.log, enabled=config.network_namespaces)
        self.ctx = AgentContext(store=Store(), node=node, data_dir=config.data_dir,
                                consul=ConsulAgentAPI(config.consul_addr, config.consul_token), sidecar_class=config.sidecar_class,
                                ledger=config.ledger or ProcessLedger(config.data_dir),
                                ports=PortAllocator(config.bind, bridge_host_ip=network.host_ip), network=network,
                                stop_limits=config.stop_limits)
        self.runners: dict[str, AllocRunner] = {}
        self._runners_lock = threading.Lock()
        self._closing = False
        self.scheduler = Scheduler(self.ctx, self._start_alloc, self.stop_alloc)
        self.scheduler.capacity_overrides = (config.cpu_total_compute, config.memory_total_mb)
        self.watcher = DeploymentWatcher(self.scheduler)
        self.rescheduler = Rescheduler(self.scheduler)
        self.blocked_evals = BlockedEvals(self.scheduler)
        self.consul_resync = ConsulResync(self.ctx, lambda: live_registrations(self.ctx.store, dict(self.runners)),
                                          on_ca_change=self._restart_builtin_sidecars)

    @property
    def store(self) -> Store:
        """The agent's state."""
        return self.ctx.store

    def start(self) -> list[str]:
        """Clean up a previous run's leftovers and start watching deployments; returns what was cleaned."""
        cleaned = [f"killed {p}" for p in self.ctx.ledger.reap_previous_run()]
        cleaned += [f"removed {n}" for n in self.ctx.network.start()]  # after the kills: nothing holds them now
        cleaned += [f"deregistered {s}" for s in self._deregister_stale_services()]
        if self.ctx.consul.token:  # Consul ACLs (issue 15): the service identity tokens of that run
            cleaned += [f"deleted Consul token {d}" for d in
                        revoke_leftovers(self.ctx.consul.http_addr, self.ctx.consul.token, self.ctx.node.id)]
        shutil.rmtree(self.config.data_dir / "alloc", ignore_errors=True)
        self.watcher.start()
        self.rescheduler.start()
        self.blocked_evals.start()
        self.consul_resync.start()
        return cleaned

    def _restart_builtin_sidecars(self) -> None:
        """Restart every built-in proxy (Consul's CA changed under them, e.g. a restarted dev agent).

        Envoy sidecars get the new certificates over xDS at once; a built-in proxy retries its broken
        certificate watches only 5 s later and then switches CA in the middle of traffic.
        """
        if self.ctx.sidecar_kind != "builtin":
            return
        with self._runners_lock:
            runners = [r for r in self.runners.values() if not r.stopping.is_set()]
        for task in [t for runner in runners for t in list(runner.sidecars.values())]:
            threading.Thread(target=task.restart, args=("Consul's CA changed: restarting with certificates of the new CA",),
                             name="sidecar-restart", daemon=True).start()

    def _deregister_stale_services(self) -> list[str]:
        """Remove Consul services that this node registered in an earlier run."""
        try:
            services = self.ctx.consul.services()
        except ConsulError:
            return []
        ours = [sid for sid, s in services.items() if (s.get("Meta") or {}).get(NODE_MARKER) == self.ctx.node.id]
        ours.sort(key=lambda sid: not sid.endswith("-sidecar-proxy"))
        for service_id in ours:
            self.ctx.consul.deregister_service(service_id)
        return ours

    def _start_alloc(self, alloc_id: str) -> None:
        runner = AllocRunner(self.ctx, alloc_id)
        with self._runners_lock:
            if self._closing:  # shutting down: nothing new may start (it would outlive us)
                return
            self.runners[alloc_id] = runner
        runner.start()

    def stop_alloc(self, alloc_id: str, reason: str, no_shutdown_delay: bool = False) -> None:
        """Ask an allocation's runner to stop (it deregisters and kills in Nomad's order)."""
        with self._runners_lock:
            runner = self.runners.get(alloc_id)
        if runner is not None:
            runner.request_stop(reason, no_shutdown_delay=no_shutdown_delay)

    def shutdown(self, timeout: float | None = None) -> None:
        """Stop every allocation in Nomad's stop order, without shutdown delays, and wait for them.

        Each allocation takes at most two capped kill_timeouts (tasks, then sidecars); whatever is
        still running after that bound (a stuck deregistration, say) is killed with its process group.
        """
        self.consul_resync.stop()
        self.watcher.stop()
        self.rescheduler.stop()
        self.blocked_evals.stop()
        with self._runners_lock:
            self._closing = True
            runners = list(self.runners.values())
        for runner in runners:
            runner.request_stop("agent shutting down", no_shutdown_delay=True)
        if timeout is None:
            timeout = 2 * self.config.stop_limits.max_kill_timeout_ns / 1e9 + SHUTDOWN_GRACE
        deadline = time.monotonic() + timeout
        unfinished = [r for r in runners if not r.wait(max(deadline - time.monotonic(), 0))]
        if unfinished:
            for line in self.ctx.ledger.kill_remaining():
                self.ctx.log(f"shutdown: killed {line} (still running after {timeout:.0f}s)")
            for service_id in self._deregister_stale_services():
                self.ctx.log(f"shutdown: deregistered {service_id}")
        removed = self.ctx.network.shutdown()
        if removed:
            self.ctx.log(f"shutdown: removed {', '.join(removed)}")
        try:
            self.ctx.sidecar_class.shutdown_kind(self.ctx.data_dir)
        except Exception as exc:  # noqa: BLE001 - shutdown goes on
            self.ctx.log(f"shutdown: {self.ctx.sidecar_class.kind} sidecars: {exc}")

    def self_info(self) -> dict:
        """GET /v1/agent/self: config, member and devagent's differences from Nomad."""
        cfg = self.config
        return {
            "config": {
                "Region": cfg.region, "Datacenter": cfg.datacenter, "NodeName": cfg.node_name,
                "DataDir": str(cfg.data_dir), "BindAddr": cfg.bind, "Ports": {"HTTP": cfg.http_port},
                "Version": {"Version": VERSION, "VersionPrerelease": "dev", "VersionMetadata": "devagent"},
                "Consuls": [{"Address": cfg.consul_addr}], "Client": {"Enabled": True}, "Server": {"Enabled": True},
            },
            "member": self.member(),
            "stats": {"devagent": self.differences()},
        }

    def differences(self) -> dict:
        """What devagent does differently from a real Nomad, machine-readable."""
        network = self.ctx.network
        namespaces = network.available
        return {
            "network_namespaces": namespaces,
            **({} if namespaces else {"network_namespaces_unavailable": network.unavailable}),
            "ports": bridge_ports_difference(network.names.bridge) if namespaces else
                     "every port is a 127.0.0.1 host port; NOMAD_PORT_<label> is the host port, not `to`",
            "drivers": ["raw_exec", "exec"],
            "exec_isolation": False,
            "sidecar": self.ctx.sidecar_kind,
            "sidecar_task_driver_ignored": True,
            "expose_checks": "expose listener" if getattr(self.ctx.sidecar_class, "supports_expose", True)
                             else ("the expose port is forwarded to the app's port inside the namespace (any path)"
                                   if namespaces else "checked directly on the app's host port"),
            "sidecar_check_interval": "1s",
            "stop_limits": {"max_kill_timeout": format_go_duration(self.config.stop_limits.max_kill_timeout_ns),
                            "max_shutdown_delay": format_go_duration(self.config.stop_limits.max_shutdown_delay_ns),
                            "agent_shutdown": "skips shutdown delays (Nomad's -dev agent waits them in full)"},
            "state": "memory",
        }

    def member(self) -> dict:
        """The single agent member."""
        return {"Name": f"{self.config.node_name}.{self.config.region}", "Addr": self.config.bind,
                "Port": 4648, "Status": "alive",
                "Tags": {"region": self.config.region, "dc": self.config.datacenter, "role": "nomad",
                         "build": VERSION, "id": self.ctx.node.id},
                "ProtocolMin": 1, "ProtocolMax": 5, "ProtocolCur": 2, "DelegateMin": 2, "DelegateMax": 5, "DelegateCur": 2}

    def node(self) -> dict:
        """The one client node, as /v1/nodes lists it."""
        node = self.ctx.node
        drivers = {d: {"Detected": True, "Healthy": True, "HealthDescription": "Healthy", "Attributes": None,
                       "UpdateTime": None} for d in ("raw_exec", "exec")}
        return {"ID": node.id, "Name": node.name, "Datacenter": node.datacenter, "NodeClass": node.node_class,
                "Address": self.config.bind, "Version": VERSION, "Drain": False, "SchedulingEligibility": "eligible",
                "Status": "ready", "StatusDescription": "", "Drivers": drivers, "NodePool": "default",
                "CreateIndex": 1, "ModifyIndex": 1}


def bridge_ports_difference(bridge: str) -> str:
    """How bridge networking differs from Nomad's, in one sentence."""
    return (f"bridge-mode groups get a network namespace each on devagent's own bridge {bridge} (a /24 of "
            "172.26.64.0/20 per devagent, not Nomad's `nomad` bridge; no CNI plugins); mapped ports answer on "
            "127.0.0.1 and the bridge address only; no egress NAT beyond the host; host-mode groups use "
            "127.0.0.1 host ports")


def default_node_name() -> str:
    """The host name, like Nomad's default node name."""
    return socket.gethostname() or "devagent"


def default_data_dir(bind: str, port: int) -> Path:
    """A stable temp dir per bind address and port, so a restart finds its leftovers."""
    import tempfile
    key = hashlib.sha1(f"{bind}:{port}".encode()).hexdigest()[:8]
    return Path(tempfile.gettempdir()) / f"devagent-{port}-{key}"
