"""The load generator: wrk from Debian (installed on demand), with a Lua script for p50/p99/p99.9."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

RESULT_MARK = "BENCH_JSON "
REPORT_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, "p999_us": %.1f, '
    .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\\n',
    "MARK", summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), e.connect, e.read, e.write, e.status, e.timeout))
end
""".replace("MARK", RESULT_MARK)


class WrkError(RuntimeError):
    """wrk is missing and cannot be installed, or a run produced no result."""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: request count, duration and latency percentiles (microseconds)."""

    requests: int
    duration_us: int
    p50_us: float
    p99_us: float
    p999_us: float
    connect_errors: int
    read_errors: int
    write_errors: int
    status_errors: int
    timeouts: int

    @property
    def rps(self) -> float:
        """Requests per second over the whole run."""
        return self.requests / (self.duration_us / 1e6) if self.duration_us else 0.0

    @property
    def errors(self) -> int:
        """Failed requests of any kind (socket errors, timeouts, non-2xx/3xx answers)."""
        return self.connect_errors + self.read_errors + self.write_errors + self.status_errors + self.timeouts


def parse_wrk_output(text: str) -> WrkResult:
    """The result line the Lua `done` callback printed."""
    for line in text.splitlines():
        if line.startswith(RESULT_MARK):
            return WrkResult(**json.loads(line[len(RESULT_MARK):]))
    raise WrkError(f"wrk printed no result line:\n{text[-2000:]}")


def ensure_wrk(log=print) -> str:
    """Path of wrk; installs Debian's package with apt-get when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: installing it with apt-get (Debian package wrk)")
    for argv in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise WrkError(f"`{' '.join(argv)}` failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    found = shutil.which("wrk")
    if not found:
        raise WrkError("apt-get installed wrk but it is not on PATH")
    return found


def wrk_version(binary: str) -> str:
    """The first line of `wrk --version` (wrk prints it with its usage, exit code 1)."""
    done = subprocess.run([binary, "--version"], capture_output=True, text=True)
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0].strip()


def wrk_argv(binary: str, url: str, script: Path, connections: int, threads: int, seconds: float,
             new_connection: bool) -> list[str]:
    """The command line of one run; `Connection: close` makes wrk reconnect for every request."""
    argv = [binary, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
            "--timeout", "5s", "-s", str(script)]
    if new_connection:
        argv += ["-H", "Connection: close"]
    return argv + [url]


def run_wrk(binary: str, url: str, workdir: Path, connections: int, threads: int, seconds: float,
            new_connection: bool) -> WrkResult:
    """Run wrk once against url and return its figures."""
    script = workdir / "report.lua"
    if not script.exists():
        script.write_text(REPORT_SCRIPT)
    argv = wrk_argv(binary, url, script, connections, threads, seconds, new_connection)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise WrkError(f"wrk exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return parse_wrk_output(done.stdout)
