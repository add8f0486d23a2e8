"""Run ip, iptables and /proc/sys writes for bridge networking; a failure becomes a one-line NetworkError."""

from __future__ import annotations

import subprocess
from pathlib import Path

IPTABLES_WAIT = ["-w", "10"]  # other devagents change the tables at the same time


class NetworkError(RuntimeError):
    """A network command failed; str() is one line naming the command."""


def run(argv: list[str], check: bool = True, stdin: str | None = None) -> str:
    """Run argv and return its stdout; NetworkError when it fails (unless check is False)."""
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NetworkError(f"{argv[0]}: {exc}") from exc
    if check and done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("# Warning")]
        raise NetworkError(f"`{' '.join(argv)}` failed: {lines[-1] if lines else f'exit {done.returncode}'}")
    return done.stdout


def ip(*args: str, check: bool = True) -> str:
    """`ip <args>`."""
    return run(["ip", *args], check=check)


def iptables(*args: str, check: bool = True) -> str:
    """`iptables -w <args>`."""
    return run(["iptables", *IPTABLES_WAIT, *args], check=check)


def iptables_restore(rules: str) -> None:
    """Apply rules in iptables-restore format without flushing anything else (one atomic step)."""
    run(["iptables-restore", *IPTABLES_WAIT, "--noflush"], stdin=rules)


def set_interface_sysctl(interface: str, key: str, value: str, namespace: str = "") -> None:
    """net.ipv4.conf.<interface>.<key> = value, on the host or inside a named namespace."""
    path = f"/proc/sys/net/ipv4/conf/{interface}/{key}"
    if namespace:
        run(["ip", "netns", "exec", namespace, "sh", "-c", f"echo {value} > {path}"])
        return
    try:
        Path(path).write_text(value)
    except OSError as exc:
        raise NetworkError(f"cannot write {path}: {exc.strerror or exc}") from exc
