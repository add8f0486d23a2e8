"""Resource accounting on devagent's one node, as Nomad's scheduler does it.

What the host offers comes from Nomad's fingerprints: cpu (cpu.totalcompute: each core's base or
maximum frequency from sysfs, else every core at the first `cpu MHz` of /proc/cpuinfo, as Nomad's
generic scanner does), memory (the host's total) and storage (free space of the data dir). What an
allocation reserves is structs.AllocatedResources.Comparable (prestart sidecars and main tasks add
up, ephemeral prestart tasks count as the larger of themselves and the main tasks). A placement
fits when the node's resources are a superset of everything placed plus it, checked in Nomad's
order (cpu, memory, disk); otherwise the node is exhausted in that dimension (AllocMetric
ExhaustedNode and ExhaustResources).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ALLOC_TERMINAL = ("complete", "failed", "lost")
_SYSFS_CPU = Path("/sys/devices/system/cpu")
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Usage:
    """CPU (MHz), memory (MB) and disk (MB): what a node offers or what allocations reserve."""

    cpu: int = 0
    memory: int = 0
    disk: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.cpu + other.cpu, self.memory + other.memory, self.disk + other.disk)


def cpu_total_compute(sysfs: Path = _SYSFS_CPU, cpuinfo: Path = Path("/proc/cpuinfo")) -> int:
    """cpu.totalcompute in MHz, as Nomad's cpu fingerprint computes it on Linux."""
    cores = _online_cores(sysfs)
    total = 0
    for core in cores:
        khz = _read_int(sysfs / f"cpu{core}" / "cpufreq" / "base_frequency") or \
            _read_int(sysfs / f"cpu{core}" / "cpufreq" / "cpuinfo_max_freq")
        total += khz // 1000
    if total > 0:
        return total
    # Nomad's fallback when sysfs gives no speeds (VMs, containers): every core at the reported MHz.
    return cpuinfo_mhz(cpuinfo) * (len(cores) or os.cpu_count() or 1)


def cpuinfo_mhz(cpuinfo: Path = Path("/proc/cpuinfo")) -> int:
    """The first core's `cpu MHz` in /proc/cpuinfo, truncated; 1000 when there is none."""
    text = cpuinfo.read_text() if cpuinfo.exists() else ""
    match = re.search(r"^cpu MHz\s*:\s*([\d.]+)$", text, re.M)
    return int(float(match.group(1))) if match else 1000


def _online_cores(sysfs: Path) -> list[int]:
    try:
        text = (sysfs / "online").read_text().strip()
    except OSError:
        return list(range(os.cpu_count() or 1))
    cores: list[int] = []
    for part in filter(None, text.split(",")):
        low, _, high = part.partition("-")
        cores.extend(range(int(low), int(high or low) + 1))
    return cores


def _read_int(path: Path) -> int:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return 0


def memory_total_bytes() -> int:
    """The host's memory in bytes (Nomad's memory.totalbytes); 0 when unknown."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def memory_total_mb() -> int:
    """The host's memory in MB (Nomad's memory fingerprint: memory.totalbytes / 1 MiB)."""
    return memory_total_bytes() // _MIB


def disk_free_mb(path: Path) -> int:
    """Free space of the volume holding path in MB (Nomad's storage fingerprint of its alloc dir)."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize // _MIB


def host_capacity(data_dir: Path, cpu_override: int = 0, memory_override: int = 0) -> Usage:
    """What the node offers; overrides are Nomad's client cpu_total_compute and memory_total_mb."""
    return Usage(cpu=cpu_override or cpu_total_compute(), memory=memory_override or memory_total_mb(),
                 disk=disk_free_mb(data_dir))


def group_usage(group: dict) -> Usage:
    """AllocatedResources.Comparable() of one allocation of group (lifecycle rules included)."""
    main = sidecars = ephemeral = poststop = Usage()
    for task in group.get("Tasks") or []:
        resources = task.get("Resources") or {}
        usage = Usage(cpu=int(resources.get("CPU") or 0), memory=int(resources.get("MemoryMB") or 0))
        hook = (task.get("Lifecycle") or {}).get("Hook") or ""
        if not hook:
            main += usage
        elif hook == "prestart" and (task.get("Lifecycle") or {}).get("Sidecar"):
            sidecars += usage
        elif hook == "prestart":
            ephemeral += usage
        elif hook == "poststop":
            poststop += usage
        # poststart tasks are left out, as Nomad's Comparable leaves them out
    ephemeral = _max(_max(ephemeral, main), poststop)
    disk = int((group.get("EphemeralDisk") or {}).get("SizeMB") or 0)
    return sidecars + ephemeral + Usage(disk=disk)


def _max(a: Usage, b: Usage) -> Usage:
    return Usage(max(a.cpu, b.cpu), max(a.memory, b.memory), max(a.disk, b.disk))


def alloc_usage(alloc: dict) -> Usage:
    """What a placed allocation reserves (from the job version it runs)."""
    group = next((g for g in (alloc.get("Job") or {}).get("TaskGroups") or [] if g["Name"] == alloc["TaskGroup"]), {})
    return group_usage(group)


def reserving(alloc: dict) -> bool:
    """Whether the scheduler counts the allocation (not terminal: desired run and not finished)."""
    return alloc.get("DesiredStatus") == "run" and alloc.get("ClientStatus") not in ALLOC_TERMINAL


def used(allocs, leaving: set[str] = frozenset()) -> Usage:
    """The sum of what the counted allocations reserve, those in `leaving` (stopped by the plan) left out."""
    total = Usage()
    for alloc in allocs:
        if reserving(alloc) and alloc["ID"] not in leaving:
            total += alloc_usage(alloc)
    return total


def exhausted_dimension(capacity: Usage, in_use: Usage, group: dict) -> str | None:
    """ComparableResources.Superset: the first dimension ("cpu", "memory", "disk") that would not fit."""
    proposed = in_use + group_usage(group)
    for dimension in ("cpu", "memory", "disk"):
        if getattr(capacity, dimension) < getattr(proposed, dimension):
            return dimension
    return None


def record_exhaustion(metric: dict, group: dict, dimension: str | None, node_class: str = "") -> dict:
    """AllocMetric.ExhaustedNode (once per failed group) and ExhaustResources (once per failed placement)."""
    if dimension is not None:
        metric["NodesExhausted"] = metric.get("NodesExhausted", 0) + 1
        if node_class:
            classes = metric.get("ClassExhausted") or {}
            classes[node_class] = classes.get(node_class, 0) + 1
            metric["ClassExhausted"] = classes
        dimensions = metric.get("DimensionExhausted") or {}
        dimensions[dimension] = dimensions.get(dimension, 0) + 1
        metric["DimensionExhausted"] = dimensions
    exhausted = metric.get("DimensionExhausted") or {}
    if not exhausted:
        return metric
    per_task = metric.get("ResourcesExhausted") or {}
    for task in group.get("Tasks") or []:
        resources = task.get("Resources") or {}
        entry = per_task.setdefault(task["Name"], _empty_resources())
        if exhausted.get("memory"):
            entry["MemoryMB"] += int(resources.get("MemoryMB") or 0)
        if exhausted.get("cpu"):
            entry["CPU"] += int(resources.get("CPU") or 0)
    metric["ResourcesExhausted"] = per_task
    return metric


def _empty_resources() -> dict:
    """structs.Resources as Nomad's JSON shows a zero one."""
    return {"CPU": 0, "Cores": 0, "MemoryMB": 0, "MemoryMaxMB": 0, "DiskMB": 0, "IOPS": 0, "Networks": None,
            "Devices": None, "NUMA": None, "SecretsMB": 0}


class BinPack:
    """One evaluation's view of the node: its capacity, what is in use, and the groups that failed."""

    def __init__(self, capacity: Usage, in_use: Usage, node_class: str = ""):
        self.capacity, self.in_use, self.node_class = capacity, in_use, node_class
        self.failed: dict[str, dict] = {}

    def place(self, group: dict, new_metric) -> dict | None:
        """Reserve one allocation of group and return None, or return the group's failure metric.

        After a group's first failure its further placements are coalesced into that metric,
        as Nomad's generic scheduler does (CoalescedFailures, ExhaustResources per placement).
        """
        metric = self.failed.get(group["Name"])
        if metric is not None:
            metric["CoalescedFailures"] += 1
            return record_exhaustion(metric, group, None)
        dimension = exhausted_dimension(self.capacity, self.in_use, group)
        if dimension is None:
            self.in_use = self.in_use + group_usage(group)
            return None
        metric = dict(new_metric(), CoalescedFailures=0)
        self.failed[group["Name"]] = record_exhaustion(metric, group, dimension, self.node_class)
        return metric


def show_capacity(view: dict, capacity: Usage) -> dict:
    """The node view (GET /v1/node/:id) with the capacity the scheduler uses: attributes and resources."""
    view["Attributes"] = dict(view.get("Attributes") or {}, **{
        "cpu.totalcompute": str(capacity.cpu), "cpu.usablecompute": str(capacity.cpu),
        "memory.totalbytes": str(capacity.memory * _MIB)})
    resources = view.get("NodeResources") or {}
    resources.setdefault("Cpu", {})["CpuShares"] = capacity.cpu
    resources.setdefault("Memory", {})["MemoryMB"] = capacity.memory
    resources.setdefault("Disk", {})["DiskMB"] = capacity.disk
    legacy = view.get("Resources") or {}
    legacy.update(CPU=capacity.cpu, MemoryMB=capacity.memory, DiskMB=capacity.disk)
    return view
