"""Helpers for the end-to-end tests: the deployer CLI in-process, sidecar probes, process checks."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

import requests

from deployer.cli import main as deployer_main


@dataclass
class DeployerRun:
    """What one deployer invocation returned and printed."""

    code: int
    out: str
    err: str


class Deployer:
    """Calls `deployer.cli.main(argv)` against one Nomad, one Consul and one values file."""

    def __init__(self, nomad_addr: str, consul_addr: str, values: Path, capsys, consul_token: str = ""):
        token = ["--consul-token", consul_token] if consul_token else []
        self.flags = ["--nomad-addr", nomad_addr, "--consul-addr", consul_addr, *token,
                      "--values", str(values), "--no-color"]
        self.capsys = capsys

    def __call__(self, *argv: str) -> DeployerRun:
        self.capsys.readouterr()
        code = deployer_main([*self.flags, *argv])
        captured = self.capsys.readouterr()
        return DeployerRun(code, captured.out, captured.err)


def order_response(port: int) -> requests.Response:
    """GET / on order through its published port, on a new connection."""
    return requests.get(f"http://127.0.0.1:{port}/", timeout=10, headers={"Connection": "close"})


def sidecar_addresses(consul_url: str, services: list[str], headers: dict | None = None) -> dict[str, tuple[str, int]]:
    """Each service's sidecar public listener (address, port) from Consul's catalog (headers: a token under ACLs)."""
    addresses = {}
    for name in services:
        entries = requests.get(f"{consul_url}/v1/catalog/service/{name}-sidecar-proxy", headers=headers,
                               timeout=5).json()
        assert entries, f"no sidecar registered for {name}"
        entry = entries[0]
        addresses[name] = (entry["ServiceAddress"] or entry["Address"], entry["ServicePort"])
    return addresses


def http_answer(sock: socket.socket) -> bytes:
    """Send a plain HTTP request on a connected sock; what came back, b'' if the peer reset or closed it."""
    try:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return sock.recv(64)
    except (ConnectionError, ssl.SSLError):
        return b""


def plaintext_answer(address: tuple[str, int]) -> bytes:
    """What a plaintext HTTP request to a sidecar's public port gets back (connecting must succeed)."""
    with socket.create_connection(address, timeout=5) as sock:  # nothing listening raises: not a refusal
        return http_answer(sock)


def certless_tls_answer(address: tuple[str, int], roots_pem: str) -> bytes:
    """What an HTTP request over TLS without a client certificate gets back (connecting must succeed)."""
    context = ssl.create_default_context(cadata=roots_pem)
    context.check_hostname = False
    with socket.create_connection(address, timeout=5) as raw:  # nothing listening raises: not a refusal
        try:
            tls = context.wrap_socket(raw)
        except (ConnectionError, ssl.SSLError):
            return b""  # the sidecar refused the handshake
        with tls:
            return http_answer(tls)


def consul_roots_pem(consul_url: str) -> str:
    """Every active CA root certificate, concatenated."""
    roots = requests.get(f"{consul_url}/v1/agent/connect/ca/roots", timeout=5).json()["Roots"]
    return "".join(root["RootCert"] for root in roots)


def children_of(pid: int) -> list[int]:
    """PIDs of every live descendant of pid (tasks and sidecars run in their own groups)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
