"""A stateful Consul >= 1.9 intentions double whose answers take their shape from HashiCorp's own.

No Consul >= 1.9 can be installed here. HashiCorp publishes the API double its Consul UI is
tested against (npm `@hashicorp/consul-api-double`, served by `@hashicorp/api-double`); it
answers every request with random data in Consul's shapes but keeps no state. So the tests
start that published double (node, from tools/npm: `make tools` installs it), take one answer
per endpoint as the template, and serve our state through those templates: the field names,
their types and any field we do not model come from HashiCorp's double, the values from us.
Fields Consul's docs say intentions written by name do not have (ID, CreatedAt, UpdatedAt)
are dropped.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from devagent.ports import free_port
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / "tools" / "npm" / "node_modules" / "@hashicorp"
SERVER = NPM / "api-double" / "bin" / "index.js"
FIXTURES = NPM / "consul-api-double"
NOT_BY_NAME = {"ID", "CreatedAt", "UpdatedAt"}  # "will not be assigned" to intentions written by name


def published_double_missing() -> str | None:
    """Why the published double cannot run here, or None."""
    if not shutil.which("node"):
        return "node is not installed (the Consul >= 1.9 shapes come from HashiCorp's npm double)"
    if not SERVER.exists() or not FIXTURES.exists():
        return "HashiCorp's API double is not in tools/npm: run `make tools` (scripts/install-api-double.sh)"
    return None


class PublishedDouble:
    """HashiCorp's double, run with node on a free port; samples() returns one answer per endpoint."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["node", str(SERVER), "--port", str(self.port), "--dir", str(FIXTURES), "--seed", "7"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self._answers, timeout=20, what="HashiCorp's API double to answer")

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/v1/connect/intentions/check?source=a&destination=b", timeout=1).ok
        except requests.RequestException:
            return False

    def get(self, path: str, **params):
        response = requests.get(self.url + path, params=params, timeout=5)
        response.raise_for_status()
        return response.json()

    def samples(self) -> dict:
        """Templates: a list item, an exact read and a check answer, as HashiCorp's double gives them."""
        listed = self.get("/v1/connect/intentions")
        return {
            "list_item": listed[0],
            "exact": self.get("/v1/connect/intentions/exact", source="default/order", destination="default/tax"),
            "check": self.get("/v1/connect/intentions/check", source="order", destination="tax"),
        }

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)


def precedence(source: str, destination: str) -> int:
    """Consul's precedence for a pair in the default namespace."""
    if destination != "*":
        return 9 if source != "*" else 8
    return 6 if source != "*" else 5


class NamedIntentionsState:
    """What a Consul >= 1.9 agent holds: intentions by (source, destination), and a request log."""

    def __init__(self, samples: dict, version: str = "1.15.2"):
        self.samples = samples
        self.version = version
        self.intentions: dict[tuple[str, str], dict] = {}
        self.index = 10
        self.log: list[tuple[str, str, dict, object]] = []

    def seed(self, source: str, destination: str, **fields) -> None:
        self.index += 1
        self.intentions[(source, destination)] = {"SourceType": "consul", "CreateIndex": self.index,
                                                  "ModifyIndex": self.index, **fields}

    @property
    def legacy(self) -> bool:
        """Consul 1.8 keeps intentions by ID (with Meta); 1.9+ by name."""
        return self.version.startswith("1.8.")

    def render(self, template: dict, pair: tuple[str, str]) -> dict:
        """One intention in the published template's shape, with our values."""
        ours = {"SourceNS": "default", "SourceName": pair[0], "DestinationNS": "default",
                "DestinationName": pair[1], "Precedence": precedence(*pair), "Description": "",
                **self.intentions[pair]}
        dropped = set() if self.legacy else NOT_BY_NAME
        shaped = {key: ours.get(key, value) for key, value in template.items() if key not in dropped}
        if self.legacy and "Meta" in ours:
            shaped["Meta"] = ours["Meta"]
        shaped.pop("Permissions", None) if "Action" in ours else shaped.pop("Action", None)
        if "Action" in ours:
            shaped["Action"] = ours["Action"]
        return shaped

    def allowed(self, source: str, destination: str) -> bool:
        matching = [(precedence(*pair), data["Action"]) for pair, data in self.intentions.items()
                    if pair[0] in (source, "*") and pair[1] in (destination, "*")]
        if not matching:
            return True  # dev agent default: ACLs off, allow
        top = max(p for p, _ in matching)
        return "deny" not in {action for p, action in matching if p == top}

    def handle(self, method: str, path: str, query: dict, body):
        self.log.append((method, path, query, body))
        pair = (query.get("source", [""])[0], query.get("destination", [""])[0])
        if path == "/v1/agent/self":
            return 200, {"Config": {"Version": self.version, "Datacenter": "dc1"}}
        if method == "GET" and path == "/v1/connect/intentions":
            return 200, [self.render(self.samples["list_item"], p) for p in sorted(self.intentions)]
        if path == "/v1/connect/intentions/exact":
            if method == "GET":
                return (200, self.render(self.samples["exact"], pair)) if pair in self.intentions else (404, None)
            if method == "PUT":
                assert body["SourceType"] == "consul" and body["Action"] in ("allow", "deny")
                self.index += 1
                created = self.intentions.get(pair, {}).get("CreateIndex", self.index)
                self.intentions[pair] = {**body, "CreateIndex": created, "ModifyIndex": self.index}
                return 200, True  # Consul's docs: "returns true if it was created successfully"
            if method == "DELETE":
                self.intentions.pop(pair, None)
                return 200, True
        if method == "GET" and path == "/v1/connect/intentions/check":
            return 200, {**self.samples["check"], "Allowed": self.allowed(*pair)}
        return 404, None


def serve(state: NamedIntentionsState):
    """Serve state over HTTP on a free loopback port; returns (server, address)."""

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            status, answer = state.handle(self.command, parts.path, parse_qs(parts.query), body)
            data = json.dumps(answer).encode() if answer is not None else b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_DELETE = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def published_samples():
    """One answer per endpoint from HashiCorp's published double (skips when node or the package is missing)."""
    reason = published_double_missing()
    if reason:
        pytest.skip(reason)
    double = PublishedDouble()
    try:
        yield double.samples()
    finally:
        double.stop()


@pytest.fixture
def consul19(published_samples):
    """A Consul >= 1.9 intentions double shaped by HashiCorp's, on a free port; .addr, .state."""
    state = NamedIntentionsState(published_samples)
    server, addr = serve(state)
    state.addr = addr
    yield state
    server.shutdown()
    server.server_close()
