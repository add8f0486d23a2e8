"""devagent's one Consul client against a stand-in HTTP server: tokens, errors, keep-alive, blocking queries."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from devagent.consul_client import ConsulClient, ConsulError


class StandIn(BaseHTTPRequestHandler):
    """Answers like a Consul agent: JSON bodies, X-Consul-Index; /block holds the answer until released."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, str, str]] = []
    peers: list[int] = []  # the client's port of each request: one per TCP connection
    release = threading.Event()

    def _answer(self, status: int, body: bytes, index: int = 7) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Consul-Index", str(index))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        self.seen.append((self.command, self.path, self.headers.get("X-Consul-Token", ""), body))
        self.peers.append(self.client_address[1])
        if self.path.startswith("/block"):
            self.release.wait(30)
            self._answer(200, b"[]", 8)
        elif self.path.startswith("/missing"):
            self._answer(404, b"Unknown service \"web\"")
        elif self.path.startswith("/text"):
            self._answer(200, b"not json")
        else:
            self._answer(200, json.dumps({"path": self.path}).encode())

    do_GET = do_PUT = do_DELETE = _handle

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def consul_stand_in():
    StandIn.seen.clear()
    StandIn.peers.clear()
    StandIn.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    StandIn.release.set()
    server.shutdown()
    server.server_close()


def test_calls_carry_the_token_and_the_json_body(consul_stand_in):
    client = ConsulClient(consul_stand_in, token="secret")
    assert client.put("/v1/agent/check/update/x", {"Status": "critical"}) == {"path": "/v1/agent/check/update/x"}
    assert StandIn.seen[-1] == ("PUT", "/v1/agent/check/update/x", "secret", '{"Status": "critical"}')
    client.close()


def test_a_refusal_is_a_consul_error_with_status_and_text(consul_stand_in):
    client = ConsulClient(consul_stand_in)
    with pytest.raises(ConsulError, match=r'consul PUT /missing: HTTP 404: Unknown service "web"'):
        client.put("/missing")
    with pytest.raises(ConsulError, match="not JSON"):
        client.call("GET", "/text")
    assert client.call("GET", "/after") == {"path": "/after"}  # the connection is still usable
    client.close()


def test_a_blocking_query_sends_index_and_wait_and_returns_the_new_index(consul_stand_in):
    client = ConsulClient(consul_stand_in)
    StandIn.release.set()
    data, index = client.get("/block", {"dc": "dc1"}, index=5, wait=2)
    assert (data, index) == ([], 8)
    assert StandIn.seen[-1][1] == "/block?dc=dc1&index=5&wait=2s"
    client.close()


def test_close_ends_a_blocking_query_in_flight_at_once(consul_stand_in):
    client = ConsulClient(consul_stand_in)
    outcome = []
    query = threading.Thread(target=lambda: outcome.append(_error_of(client.get, "/block", index=5, wait=30)))
    query.start()
    deadline = time.monotonic() + 5
    while not StandIn.seen and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    client.close()
    query.join(5)
    assert not query.is_alive() and time.monotonic() - started < 2
    assert isinstance(outcome[0], ConsulError)
    with pytest.raises(ConsulError, match="closed"):
        client.call("GET", "/later")


def test_keep_alive_reuses_one_connection_and_without_it_each_call_has_its_own(consul_stand_in):
    for keep_alive, connections in ((True, 1), (False, 3)):
        StandIn.peers.clear()
        client = ConsulClient(consul_stand_in, keep_alive=keep_alive)
        for _ in range(3):
            client.call("GET", "/x")
        client.close()
        assert len(set(StandIn.peers)) == connections


def test_a_malformed_address_is_a_consul_error():
    with pytest.raises(ConsulError, match="bad Consul address"):
        ConsulClient("127.0.0.1:notaport")


def _error_of(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ConsulError as exc:
        return exc
    return None
