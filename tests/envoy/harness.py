"""Test harness: a tiny HTTP app, Consul registrations and an EnvoySidecar process per service."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from devagent.ports import free_port
from devagent.sidecars.base import ExposePathSpec, SidecarSpec, UpstreamSpec
from devagent.sidecars.envoy import EnvoySidecar

from tests.waiting import wait_for  # noqa: F401 - re-exported for the tests here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):  # noqa: N802 -- http.server's naming
        self.server.hits += 1
        body = json.dumps({"service": self.server.name, "path": self.path,
                           "xfcc": self.headers.get("x-forwarded-client-cert", "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TinyApp:
    """A threaded HTTP/1.1 server on 127.0.0.1 answering JSON about itself and the request."""

    def __init__(self, name: str):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # peers resetting idle keep-alives
        self.server.name = name
        self.server.hits = 0
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def hits(self) -> int:
        return self.server.hits

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Consul:
    """Thin helpers over Consul's HTTP API for the tests (with the management token under ACLs)."""

    def __init__(self, url: str, token: str = ""):
        self.url = url
        self.headers = {"X-Consul-Token": token} if token else {}

    @classmethod
    def of(cls, agent) -> "Consul":
        """The helpers for a ConsulDevAgent, as its administrator."""
        return cls(agent.url, agent.management_token)

    def get(self, path: str, **params):
        response = requests.get(self.url + path, params=params, headers=self.headers, timeout=10)
        response.raise_for_status()
        return response.json()

    def put(self, path: str, body=None):
        response = requests.put(self.url + path, json=body, headers=self.headers, timeout=10)
        response.raise_for_status()
        return response

    def create_intention(self, source: str, destination: str, action: str) -> str:
        response = requests.post(self.url + "/v1/connect/intentions", headers=self.headers, timeout=10, json={
            "SourceName": source, "DestinationName": destination, "Action": action, "SourceType": "consul"})
        response.raise_for_status()
        return response.json()["ID"]

    def update_intention(self, intention_id: str, source: str, destination: str, action: str) -> None:
        self.put(f"/v1/connect/intentions/{intention_id}", {
            "SourceName": source, "DestinationName": destination, "Action": action, "SourceType": "consul"})

    def delete_intention(self, intention_id: str) -> None:
        requests.delete(f"{self.url}/v1/connect/intentions/{intention_id}", headers=self.headers, timeout=10)

    def leaf(self, service: str, token: str | None = None) -> dict:
        """The service's leaf; Consul's agent caches a leaf per token, so a sidecar's is asked with its token."""
        headers = self.headers if token is None else ({"X-Consul-Token": token} if token else {})
        response = requests.get(f"{self.url}/v1/agent/connect/ca/leaf/{service}", headers=headers, timeout=10)
        response.raise_for_status()
        return response.json()

    def roots(self) -> dict:
        return self.get("/v1/agent/connect/ca/roots")


def sidecar_token(agent, service: str) -> str:
    """What a sidecar runs with: a service identity token for its service under ACLs (as devagent gives), else ""."""
    return agent.token(service_identities=[service]) if agent.management_token else ""


@dataclass
class MeshNode:
    """One Connect service: its app, its Consul registration and its Envoy sidecar."""

    name: str
    consul: Consul
    http_addr: str
    work_dir: Path
    upstreams: list[UpstreamSpec] = field(default_factory=list)
    expose: bool = False
    proxy_config: dict = field(default_factory=dict)
    protocol: str = "http"
    sidecar_token: str = ""  # the sidecar's Consul token (a service identity for `name` under ACLs)

    def __post_init__(self):
        self.app = TinyApp(self.name)
        self.public_port = free_port()
        self.service_id = f"{self.name}-1"
        self.sidecar_id = f"{self.service_id}-sidecar-proxy"
        self.check_id = f"{self.sidecar_id}-ttl"
        self.expose_paths = [ExposePathSpec("/health", free_port(), self.app.port)] if self.expose else []
        self.process: subprocess.Popen | None = None
        self.sidecar: EnvoySidecar | None = None
        self.events: list[str] = []  # task events the sidecar recorded

    def register(self) -> None:
        """Register the service and its sidecar (explicit connect-proxy with a passing TTL check)."""
        self.consul.put("/v1/agent/service/register", {"ID": self.service_id, "Name": self.name,
                                                        "Port": self.app.port, "Address": "127.0.0.1"})
        self.consul.put("/v1/agent/service/register", {
            "ID": self.sidecar_id, "Name": f"{self.name}-sidecar-proxy", "Kind": "connect-proxy",
            "Address": "127.0.0.1", "Port": self.public_port,
            "Proxy": {"DestinationServiceName": self.name, "DestinationServiceID": self.service_id,
                      "LocalServiceAddress": "127.0.0.1", "LocalServicePort": self.app.port,
                      "Config": {"bind_address": "127.0.0.1", "protocol": self.protocol}},
            "Check": {"CheckID": self.check_id, "TTL": "600s", "Status": "passing"},
        })

    def spec(self) -> SidecarSpec:
        return SidecarSpec(
            alloc_id=str(uuid.uuid4()), job=self.name, group=self.name, service_name=self.name,
            service_id=self.service_id, sidecar_service_id=self.sidecar_id, public_port=self.public_port,
            local_app_port=self.app.port, upstreams=self.upstreams, work_dir=self.work_dir,
            consul_http_addr=self.http_addr, consul_token=self.sidecar_token, protocol=self.protocol,
            expose_paths=self.expose_paths,
            proxy_config={"bind_address": "127.0.0.1", **self.proxy_config}, report_event=self.events.append)

    def start(self) -> "MeshNode":
        self.register()
        self.sidecar = EnvoySidecar(self.spec())
        self.sidecar.prepare(timeout=20)
        self.run_envoy()
        return self

    def run_envoy(self) -> None:
        """Start (or restart) the Envoy process from command(), in its own session."""
        log = open(self.work_dir / "envoy.log", "ab")
        self.process = subprocess.Popen(self.sidecar.command(), stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        env={**os.environ, **self.sidecar.env()})
        log.close()
        try:
            self.sidecar.wait_ready(15)
        except TimeoutError as exc:
            raise AssertionError(f"{exc}\n--- envoy log ---\n{self.log_text()[-3000:]}") from exc
        # listeners are created once the intentions (ECDS) and secrets (SDS) have loaded
        wait_for(lambda: self.listening(self.public_port), 10, f"{self.name} public listener")

    @staticmethod
    def listening(port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop_envoy(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def admin(self, path: str) -> str:
        return self.sidecar.admin(path)

    def stat(self, name: str) -> int:
        """One counter or gauge from Envoy's admin."""
        for line in self.admin(f"/stats?filter=^{re.escape(name)}$").splitlines():
            key, _, value = line.partition(": ")
            if key == name:
                return int(value)
        raise AssertionError(f"no stat {name} in {self.name}'s Envoy")

    def log_text(self) -> str:
        return (self.work_dir / "envoy.log").read_text(errors="replace")

    def stop(self) -> None:
        self.stop_envoy()
        if self.sidecar:
            self.sidecar.close()
        for service_id in (self.sidecar_id, self.service_id):
            requests.put(f"{self.consul.url}/v1/agent/service/deregister/{service_id}", headers=self.consul.headers,
                         timeout=10)
        self.app.stop()


class KeepAliveClient:
    """One HTTP/1.1 connection that must stay the same socket for every request."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        self.conn.connect()
        self.local_address = self.conn.sock.getsockname()

    def get_status(self, path="/") -> int:
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        response.read()
        assert self.conn.sock is not None and self.conn.sock.getsockname() == self.local_address, \
            "the keep-alive connection was replaced"
        return response.status

    def close(self):
        self.conn.close()


def client_context(cert_pem: str, key_pem: str, ca_pem: str | None) -> ssl.SSLContext:
    """A TLS client context presenting cert/key; verifies the server against ca_pem (chain only)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    if ca_pem:
        context.load_verify_locations(cadata=ca_pem)
    else:
        context.verify_mode = ssl.CERT_NONE
    if cert_pem:
        with tempfile.TemporaryDirectory() as tmp:
            cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
            cert_file.write_text(cert_pem)
            key_file.write_text(key_pem)
            context.load_cert_chain(cert_file, key_file)
    return context


def https_get(port: int, context: ssl.SSLContext, path: str = "/") -> int:
    """One GET over a new mTLS connection; returns the status (raises if refused)."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()
