"""The one devagent node as Nomad's /v1/node/:id shows it: fingerprinted attributes, meta, resources, drivers."""

from __future__ import annotations

import os
import platform
import re
import signal
import socket
import time
from pathlib import Path

from devagent.consul_api import ConsulAgentAPI
from devagent.consul_client import ConsulError
from devagent.resources import cpu_total_compute, cpuinfo_mhz, disk_free_mb, memory_total_bytes, memory_total_mb

NOMAD_VERSION = "1.8.4"
DRIVERS = ("raw_exec", "exec")
# devagent runs bridge-mode groups itself (it plays the CNI plugins' part), at the lowest version Nomad accepts.
CNI_PLUGIN_VERSIONS = {name: "1.0.0" for name in ("bridge", "firewall", "host-local", "loopback", "portmap")}
CONSUL_CACHE_SECONDS = 30.0
NODE_META = {"connect.sidecar_image": "docker.io/envoyproxy/envoy:v${NOMAD_envoy_version}",
             "connect.gateway_image": "docker.io/envoyproxy/envoy:v${NOMAD_envoy_version}",
             "connect.log_level": "info", "connect.proxy_concurrency": "1",
             "connect.transparent_proxy.default_uid": "101", "connect.transparent_proxy.default_outbound_port": "15001"}


class NodeFingerprint:
    """Builds and caches the node's attributes (Consul's are re-read every CONSUL_CACHE_SECONDS)."""

    def __init__(self, consul: ConsulAgentAPI, bind: str):
        self.consul = consul
        self.bind = bind
        self._consul_attrs: dict[str, str] = {}
        self._consul_read_at = float("-inf")
        self._host_attrs: dict[str, str] | None = None

    def attributes(self) -> dict[str, str]:
        """Nomad's fingerprint attributes for this host (the host's read once)."""
        if self._host_attrs is None:
            self._host_attrs = host_attributes(self.bind)
        attrs = dict(self._host_attrs)
        attrs.update(self.consul_attributes())
        return dict(sorted(attrs.items()))

    def consul_attributes(self) -> dict[str, str]:
        """The consul fingerprint's attributes; none while Consul does not answer (as on Nomad)."""
        now = time.monotonic()
        if now - self._consul_read_at > CONSUL_CACHE_SECONDS or not self._consul_attrs:
            try:
                self._consul_attrs = consul_attributes(self.consul.self_info())
            except (ConsulError, ValueError):
                self._consul_attrs = {}
            self._consul_read_at = now
        return dict(self._consul_attrs)


def consul_attributes(info: dict) -> dict[str, str]:
    """Nomad's consul fingerprint from Consul's /v1/agent/self."""
    config = info.get("Config") or {}
    debug = info.get("DebugConfig") or {}
    version = str(config.get("Version") or "")
    attrs = {
        "consul.server": str(bool(config.get("Server"))).lower(),
        "consul.version": version,
        "consul.sku": "ent" if version.endswith("+ent") else "oss",
        "consul.revision": str(config.get("Revision") or ""),
        "unique.consul.name": str(config.get("NodeName") or ""),
        "consul.datacenter": str(config.get("Datacenter") or ""),
        "consul.connect": str(bool(debug.get("ConnectEnabled"))).lower(),
        "consul.grpc": str(debug.get("GRPCPort", -1)),
        "consul.ft.namespaces": "false",
    }
    dns_port = debug.get("DNSPort")
    if dns_port is not None:
        attrs["consul.dns.port"] = str(dns_port)
        attrs["consul.dns.addr"] = "127.0.0.1"
    return attrs


def host_attributes(bind: str) -> dict[str, str]:
    """The host, cpu, memory, nomad, driver and CNI fingerprints."""
    attrs = {
        "kernel.name": platform.system().lower(), "kernel.version": platform.release().split("-")[0],
        "kernel.arch": platform.machine(), "cpu.arch": _go_arch(platform.machine()),
        "arch": _go_arch(platform.machine()), "os.name": _os_release().get("ID", platform.system().lower()),
        "os.version": _os_release().get("VERSION_ID", ""), "os.signals": ",".join(_signals()),
        "cpu.numcores": str(os.cpu_count() or 1), "cpu.modelname": _cpu_model(),
        "cpu.frequency": str(cpuinfo_mhz()), "cpu.totalcompute": str(cpu_total_compute()),
        "memory.totalbytes": str(memory_total_bytes()),
        "unique.hostname": socket.gethostname(), "unique.network.ip-address": bind,
        "nomad.version": NOMAD_VERSION, "nomad.revision": "devagent", "nomad.advertise.address": f"{bind}:4646",
        "nomad.service_discovery": "true", "nomad.bridge.hairpin_mode": "false",
    }
    for driver in DRIVERS:
        attrs[f"driver.{driver}"] = "1"
    for plugin, version in CNI_PLUGIN_VERSIONS.items():
        attrs[f"plugins.cni.version.{plugin}"] = version
    return attrs


def node_view(node, attributes: dict[str, str], bind: str, http_port: int) -> dict:
    """structs.Node JSON (GET /v1/node/:id)."""
    cores = os.cpu_count() or 1
    compute = cpu_total_compute()
    now = int(time.time())
    drivers = {d: {"Attributes": {f"driver.{d}": "1"}, "Detected": True, "Healthy": True,
                   "HealthDescription": "Healthy", "UpdateTime": _rfc3339_now()} for d in DRIVERS}
    return {
        "ID": node.id, "SecretID": "", "Datacenter": node.datacenter, "Name": node.name, "CgroupParent": "",
        "HTTPAddr": f"{bind}:{http_port}", "TLSEnabled": False, "Attributes": attributes,
        "NodeResources": {
            "Cpu": {"CpuShares": compute, "TotalCpuCores": cores, "ReservableCpuCores": list(range(cores))},
            "Processors": {"Topology": None}, "Memory": {"MemoryMB": memory_total_mb()},
            "Disk": {"DiskMB": disk_free_mb(Path("/"))}, "Networks": None, "Devices": None, "NodeNetworks": None,
            "MinDynamicPort": 20000, "MaxDynamicPort": 32000,
        },
        "ReservedResources": {"Cpu": {"CpuShares": 0, "ReservedCpuCores": None}, "Memory": {"MemoryMB": 0},
                              "Disk": {"DiskMB": 0}, "Networks": {"ReservedHostPorts": ""}},
        "Resources": {"CPU": compute, "Cores": 0, "MemoryMB": memory_total_mb(),
                      "MemoryMaxMB": 0, "DiskMB": disk_free_mb(Path("/")), "IOPS": 0, "Networks": None, "Devices": None,
                      "NUMA": None, "SecretsMB": 0},
        "Reserved": {"CPU": 0, "Cores": 0, "MemoryMB": 0, "MemoryMaxMB": 0, "DiskMB": 0, "IOPS": 0, "Networks": None,
                     "Devices": None, "NUMA": None, "SecretsMB": 0},
        "Links": {"consul": f"{node.datacenter}.{attributes.get('unique.consul.name', node.name)}"}
        if "unique.consul.name" in attributes else {},
        "Meta": dict(NODE_META), "NodeClass": node.node_class, "NodePool": "default", "ComputedClass": "",
        "DrainStrategy": None, "SchedulingEligibility": "eligible", "Status": "ready",
        "StatusDescription": "", "StatusUpdatedAt": now, "Events": None, "Drivers": drivers,
        "CSIControllerPlugins": None, "CSINodePlugins": None, "HostVolumes": None, "HostNetworks": None,
        "LastDrain": None, "LastMissedHeartbeatIndex": 0, "LastAllocUpdateIndex": 0, "CreateIndex": 1, "ModifyIndex": 1,
    }


def node_stub(view: dict, with_resources: bool, with_os: bool) -> dict:
    """structs.NodeListStub JSON (GET /v1/nodes; ?resources=true and ?os=true add what Nomad adds, else omitted)."""
    attrs = view["Attributes"]
    stub = {
        "Address": view["HTTPAddr"].rsplit(":", 1)[0], "ID": view["ID"],
        "Datacenter": view["Datacenter"], "Name": view["Name"], "NodeClass": view["NodeClass"],
        "NodePool": view["NodePool"], "Version": attrs.get("nomad.version", ""),
        "Drain": view["DrainStrategy"] is not None,
        "SchedulingEligibility": view["SchedulingEligibility"], "Status": view["Status"],
        "StatusDescription": view["StatusDescription"], "Drivers": view["Drivers"], "HostVolumes": None,
        "LastDrain": None, "CreateIndex": view["CreateIndex"], "ModifyIndex": view["ModifyIndex"],
    }
    if with_os:
        stub["Attributes"] = {"os.name": attrs.get("os.name", "")}
    if with_resources:
        stub.update(NodeResources=view["NodeResources"], ReservedResources=view["ReservedResources"])
    return stub


def _rfc3339_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _go_arch(machine: str) -> str:
    return {"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "armv7l": "arm"}.get(machine, machine)


def _os_release() -> dict[str, str]:
    path = Path("/etc/os-release")
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value.strip('"') for key, value in pairs}


def _signals() -> list[str]:
    return sorted({s.name for s in signal.Signals if s.name.startswith("SIG") and not s.name.startswith("SIG_")})


def _cpu_info() -> str:
    path = Path("/proc/cpuinfo")
    return path.read_text() if path.exists() else ""


def _cpu_model() -> str:
    match = re.search(r"^model name\s*:\s*(.+)$", _cpu_info(), re.M)
    return match.group(1).strip() if match else platform.processor()
