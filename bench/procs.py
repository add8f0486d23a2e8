"""Process facts from /proc: RSS, CPU time, process groups, and devagent's task ledger."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
START_TIME = 19  # starttime (field 22 of proc(5)) among the fields after the command name


def _stat(pid: int) -> tuple[str, list[str]] | None:
    """(command name, fields after it: field 3 onwards) of /proc/<pid>/stat, or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    head, _, tail = text.rpartition(")")
    return head.partition("(")[2], tail.split()


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (field 3 onwards), or None if gone."""
    stat = _stat(pid)
    return stat[1] if stat is not None else None


def _cpu_seconds_of(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_start_ticks(pid: int) -> int | None:
    """When a process started, in clock ticks after boot (with the PID, it names one process); None if gone."""
    fields = _stat_fields(pid)
    return int(fields[START_TIME]) if fields is not None else None


def rss_kib(pid: int) -> int | None:
    """VmRSS of a process in KiB, or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def private_kib(pid: int) -> int | None:
    """Memory only this process holds (Private_Clean + Private_Dirty of smaps_rollup), KiB; None if gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    sizes = {}
    for line in text.splitlines()[1:]:  # the first line names the (rolled-up) mapping
        key, _, value = line.partition(":")
        sizes[key] = value.split()[0] if value.split() else "0"
    return sum(int(sizes.get(key, "0")) for key in ("Private_Clean", "Private_Dirty"))


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (all its threads) in seconds, or None if it is gone."""
    fields = _stat_fields(pid)
    return _cpu_seconds_of(fields) if fields is not None else None


def _all_cpus_fields() -> list[int]:
    """The clock-tick counters of the `cpu` line of /proc/stat (user, nice, system, idle, iowait, ..., steal, ...)."""
    return [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]


def _busy_ticks(fields: list[int]) -> int:
    """All ticks but idle and iowait (steal counts as busy)."""
    return sum(fields) - fields[3] - (fields[4] if len(fields) > 4 else 0)


def machine_cpu_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat (iowait counts as idle)."""
    fields = _all_cpus_fields()
    return _busy_ticks(fields), sum(fields)


def machine_busy_and_stolen_ticks() -> tuple[int, int]:
    """(busy, stolen) clock ticks of all CPUs since boot, from one read of /proc/stat; stolen is what the
    host's hypervisor took (0 where not reported)."""
    fields = _all_cpus_fields()
    return _busy_ticks(fields), fields[7] if len(fields) > 7 else 0


def cpu_seconds_by_process() -> dict[int, tuple[str, float]]:
    """{pid: (command name, utime + stime seconds)} of every live process."""
    result = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            result[int(entry.name)] = (stat[0], _cpu_seconds_of(stat[1]))
    return result


def cpu_by_kind(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]], seconds: float,
                kind_of) -> dict[str, float]:
    """CPU % of one core per kind over `seconds`, from two cpu_seconds_by_process() readings.

    kind_of(pid, command name) names the kind; processes that started in between count from zero.
    """
    usage: dict[str, float] = {}
    for pid, (name, spent) in after.items():
        earlier = before.get(pid)
        used = spent - (earlier[1] if earlier and earlier[0] == name else 0.0)
        kind = kind_of(pid, name)
        usage[kind] = usage.get(kind, 0.0) + used / seconds * 100
    return usage


def group_members(pgid: int) -> list[int]:
    """Live PIDs whose process group is pgid (a task and the workers it forked)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[2]) == pgid:
                members.append(int(entry.name))
    return sorted(members)


def group_rss_kib(pgid: int) -> int:
    """Summed VmRSS of every process of a group."""
    return sum(rss_kib(pid) or 0 for pid in group_members(pgid))


def inotify_instances(pid: int) -> int:
    """Open inotify instances of a process (each counts against fs.inotify.max_user_instances)."""
    count = 0
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                count += os.readlink(fd) == "anon_inode:inotify"
            except OSError:
                continue
    except OSError:
        return 0
    return count


def group_inotify_instances(pgid: int) -> int:
    """Open inotify instances of every process of a group."""
    return sum(inotify_instances(pid) for pid in group_members(pgid))


def group_cpu_seconds(pgid: int) -> float:
    """Summed CPU time of every live process of a group."""
    return sum(cpu_seconds(pid) or 0.0 for pid in group_members(pgid))


@dataclass(frozen=True)
class TaskProcess:
    """A process group devagent started: a service task or its sidecar."""

    service: str
    is_sidecar: bool
    pgid: int
    start_ticks: int | None

    def alive(self) -> bool:
        """True while the group leader is the very process devagent recorded (no PID reuse)."""
        fields = _stat_fields(self.pgid)
        return fields is not None and fields[0] != "Z" and int(fields[START_TIME]) == self.start_ticks


def task_processes(data_dir: Path) -> list[TaskProcess]:
    """Every task devagent records in <data-dir>/processes.json (labels `task <name>`)."""
    try:
        records = json.loads((Path(data_dir) / "processes.json").read_text())
    except (OSError, ValueError):
        return []
    found = []
    for record in records:
        label = record.get("label", "")
        if not label.startswith("task "):
            continue
        name = label[len("task "):]
        sidecar = name.startswith("connect-proxy-")
        found.append(TaskProcess(name[len("connect-proxy-"):] if sidecar else name, sidecar, record["pgid"],
                                 record.get("start")))
    return found
