"""A real Connect sidecar for tests: a tiny app plus Consul's built-in proxy, on free ports."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from devagent.consul_dev import find_consul_binary
from devagent.ports import free_port


class _Health(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open between requests, as the services' gunicorn does

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class BuiltinSidecar:
    """Registers `name` with a sidecar in Consul and runs `consul connect proxy -sidecar-for`."""

    def __init__(self, consul_url: str, name: str, log_path, token: str = ""):
        self.consul_url = consul_url
        self.token = token  # under ACLs: a service identity token for `name` (registers it, runs its proxy)
        self.headers = {"X-Consul-Token": token} if token else {}
        self.name = name
        self.service_id = f"{name}-deployer-test"
        self.port = free_port()
        self.log_path = log_path
        self.app = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20.0) -> "BuiltinSidecar":
        threading.Thread(target=self.app.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        registration = {
            "ID": self.service_id, "Name": self.name, "Address": "127.0.0.1", "Port": self.app.server_address[1],
            "Connect": {"SidecarService": {"Port": self.port, "Proxy": {"Config": {"bind_address": "127.0.0.1"}}}},
        }
        requests.put(f"{self.consul_url}/v1/agent/service/register", json=registration, headers=self.headers,
                     timeout=5).raise_for_status()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [find_consul_binary(), "connect", "proxy", "-sidecar-for", self.service_id,
                 "-http-addr", self.consul_url, *(["-token", self.token] if self.token else [])],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_listening(timeout)
        return self

    def _wait_listening(self, timeout: float) -> None:
        import socket
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"consul connect proxy exited (log: {self.log_path})")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"sidecar for {self.name} not listening on {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        requests.put(f"{self.consul_url}/v1/agent/service/deregister/{self.service_id}", headers=self.headers,
                     timeout=5)
        self.app.shutdown()
        self.app.server_close()
