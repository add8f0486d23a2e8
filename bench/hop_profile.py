"""Where a request's time goes along order -> invoice -> tax, read from the apps' own request logs.

Every app logs one JSON line per request with its handler's duration, and order passes its request
ID down the chain. Joined by that ID, one request gives order's handler time (o), invoice's (i) and
tax's (t): o - i is order's own work plus its call to invoice (the hop out and back, through two
sidecars in a mesh), i - t the same for invoice and tax, t is tax's handler. The client's median
latency minus the median of o is what happens outside order's handler: the client, the connection,
gunicorn and Flask.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Protocol

import requests

SERVICES = ("order", "invoice", "tax")
OUTSIDE = "outside order's handler"
PARTS = (OUTSIDE, "order and its call to invoice", "invoice and its call to tax", "tax")


def handler_ms(lines: list[str], service: str) -> dict[str, float]:
    """Request ID -> handler ms of `service`, from its log lines (other lines are skipped)."""
    times = {}
    for line in lines:
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("service") == service and "request_id" in record:
            times[record["request_id"]] = float(record["duration_ms"])
    return times


def hop_medians(lines_by_service: dict[str, list[str]], client_p50_ms: float) -> dict[str, float]:
    """Median ms of each part of the chain over the requests all three apps logged ({} when none)."""
    order, invoice, tax = (handler_ms(lines_by_service.get(name, []), name) for name in SERVICES)
    joined = [(order[rid], invoice[rid], tax[rid]) for rid in order if rid in invoice and rid in tax]
    if not joined:
        return {}
    return {OUTSIDE: client_p50_ms - statistics.median(o for o, _, _ in joined),
            PARTS[1]: statistics.median(o - i for o, i, _ in joined),
            PARTS[2]: statistics.median(i - t for _, i, t in joined),
            PARTS[3]: statistics.median(t for _, _, t in joined),
            "requests": float(len(joined))}


class RequestLogs(Protocol):
    """Where the apps' request logs are read from: FileLogs (direct chain) or NomadLogs (meshes)."""

    def mark(self) -> None:
        """Remember where each log ends now."""

    def new_lines(self) -> dict[str, list[str]]:
        """Each app's log lines written since the mark."""


class FileLogs:
    """The apps' logs as files (the direct chain): what each gained since mark()."""

    def __init__(self, paths: dict[str, Path]):
        self.paths = paths
        self.offsets: dict[str, int] = {}

    def mark(self) -> None:
        self.offsets = {name: path.stat().st_size if path.exists() else 0 for name, path in self.paths.items()}

    def new_lines(self) -> dict[str, list[str]]:
        lines = {}
        for name, path in self.paths.items():
            with open(path, "rb") as log:
                log.seek(self.offsets.get(name, 0))
                lines[name] = log.read().decode(errors="replace").splitlines()
        return lines


class NomadLogs:
    """The apps' stdout through Nomad's API (job = group = task = service name): what each gained since mark().

    The allocations are looked up once (a load phase does not replace them), and after the first mark only
    what was appended since the last read is fetched.
    """

    def __init__(self, nomad_addr: str):
        self.nomad_addr = nomad_addr
        self.allocs: dict[str, str] = {}
        self.offsets: dict[str, int] = {}

    def _running_alloc(self, job: str) -> str:
        allocs = requests.get(f"{self.nomad_addr}/v1/job/{job}/allocations", timeout=10).json()
        running = [a for a in allocs if a["ClientStatus"] == "running"]
        if not running:
            raise RuntimeError(f"job {job} has no running allocation")
        return max(running, key=lambda a: a["CreateIndex"])["ID"]

    def _log(self, job: str, offset: int) -> bytes:
        answer = requests.get(f"{self.nomad_addr}/v1/client/fs/logs/{self.allocs[job]}",
                              params={"task": job, "type": "stdout", "plain": "true", "origin": "start",
                                      "offset": str(offset)}, timeout=30)
        answer.raise_for_status()
        return answer.content

    def _read_on(self, job: str) -> bytes:
        """What the job's log gained since the last read (the whole log the first time)."""
        if job not in self.allocs:
            self.allocs[job] = self._running_alloc(job)
        chunk = self._log(job, self.offsets.get(job, 0))
        self.offsets[job] = self.offsets.get(job, 0) + len(chunk)
        return chunk

    def mark(self) -> None:
        for job in SERVICES:
            self._read_on(job)

    def new_lines(self) -> dict[str, list[str]]:
        return {job: self._read_on(job).decode(errors="replace").splitlines() for job in SERVICES}
