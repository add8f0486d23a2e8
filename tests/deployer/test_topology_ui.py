"""The page's HTTP server: loopback only, static files, the snapshot, and the intention POST's checks."""

import http.client
import json
import threading
from http.server import ThreadingHTTPServer

import pytest

from deployer.errors import DeployerError
from deployer.topology.ui.server import TopologyHandler


class FakeWatcher:
    def snapshot(self):
        return {"version": 7, "svg": "<svg/>", "topology": {"nodes": [], "edges": []}, "error": None}


class FakeApp:
    """Records intention changes; refuses the pair a foreign intention holds."""

    def __init__(self):
        self.watcher = FakeWatcher()
        self.changes = []

    def change(self, source, destination, action):
        if source == "foreign":
            raise DeployerError("intention foreign -> tax (allow) is not managed by the deployer",
                                hint="pass --force to take it over")
        self.changes.append((source, destination, action))
        return f"{source} -> {destination}: {action}"


@pytest.fixture
def server():
    app = FakeApp()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (TopologyHandler,), {"app": app}))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield app, httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type"), data


def post_json(port, data, **headers):
    body = json.dumps(data).encode()
    return request(port, "POST", "/api/intentions", body, {"Content-Type": "application/json", **headers})


def test_page_script_and_style_are_served(server):
    _, port = server
    status, kind, body = request(port, "GET", "/")
    assert status == 200 and kind.startswith("text/html") and b'<script src="/app.js">' in body
    assert b"http" not in body.split(b"<body>")[1].replace(b"/app.js", b"")  # nothing from elsewhere
    assert request(port, "GET", "/app.js")[1].startswith("text/javascript")
    assert request(port, "GET", "/app.css")[0] == 200
    assert request(port, "GET", "/nope")[0] == 404


def test_snapshot_is_json(server):
    _, port = server
    status, kind, body = request(port, "GET", "/api/topology")
    assert status == 200 and kind == "application/json" and json.loads(body)["version"] == 7


def test_other_host_names_are_refused(server):
    _, port = server
    assert request(port, "GET", "/api/topology", headers={"Host": "attacker.example:80"})[0] == 403
    assert post_json(port, {"source": "invoice", "destination": "tax", "action": "deny"},
                     Host="attacker.example")[0] == 403
    assert request(port, "GET", "/", headers={"Host": f"localhost:{port}"})[0] == 200


def test_intention_post_changes_through_the_app(server):
    app, port = server
    status, _, body = post_json(port, {"source": "invoice", "destination": "tax", "action": "deny"})
    assert status == 200 and json.loads(body) == {"message": "invoice -> tax: deny"}
    assert app.changes == [("invoice", "tax", "deny")]


@pytest.mark.parametrize("body,headers,status", [
    (b'{"source": "invoice", "destination": "tax", "action": "deny"}', {"Content-Type": "text/plain"}, 415),
    (b"source=invoice&destination=tax&action=deny",
     {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    (b"{not json", {"Content-Type": "application/json"}, 400),
    (b'{"source": "invoice"}', {"Content-Type": "application/json"}, 400),
    (b"[1, 2]", {"Content-Type": "application/json"}, 400),
    (b"x" * 5000, {"Content-Type": "application/json"}, 400),
], ids=["text", "form", "bad json", "missing keys", "not an object", "too big"])
def test_bad_intention_posts_change_nothing(server, body, headers, status):
    app, port = server
    assert request(port, "POST", "/api/intentions", body, headers)[0] == status
    assert app.changes == []


def test_a_refused_change_is_an_error_with_a_hint(server):
    _, port = server
    status, _, body = post_json(port, {"source": "foreign", "destination": "tax", "action": "deny"})
    assert status == 409
    assert json.loads(body) == {"error": "intention foreign -> tax (allow) is not managed by the deployer",
                                "hint": "pass --force to take it over"}
