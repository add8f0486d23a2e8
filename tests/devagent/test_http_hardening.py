"""devagent's HTTP server refuses malformed and hostile requests with one line, never a 500 or a hung thread."""

import json
import socket
import threading

import pytest

from devagent import http_server
from devagent.http_server import Router, make_server
from devagent.state import Store


@pytest.fixture()
def server_port():
    """A bare router with an echo route, served on a free loopback port."""
    router = Router(Store())
    router.add("POST", "/v1/echo", lambda req: {"got": req.json()})
    router.add("GET", "/v1/job/:id", lambda req: {"ID": req.params["id"]})
    server = make_server("127.0.0.1", 0, router)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def raw_request(port: int, data: bytes, timeout: float = 10.0) -> tuple[int, bytes]:
    """Send raw bytes, read one response; returns (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
            length = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if length and len(body) >= int(length[0].split(b":")[1]):
                break
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def post(port: int, body: bytes, length: str | None = None) -> bytes:
    length = str(len(body)) if length is None else length
    return (f"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n").encode() + body


def test_valid_json_is_echoed(server_port):
    status, body = raw_request(server_port, post(server_port, b'{"a": 1}'))
    assert status == 200 and json.loads(body) == {"got": {"a": 1}}


@pytest.mark.parametrize("length", ["abc", "-1", "1e3"])
def test_bad_content_length_is_400(server_port, length):
    status, body = raw_request(server_port, post(server_port, b"{}", length=length))
    assert status == 400
    assert b"\n" not in body and b"Content-Length" in body


def test_body_larger_than_the_limit_is_refused_unread(server_port):
    status, body = raw_request(server_port, post(server_port, b"", length=str(50 * 1024 * 1024)))
    assert status == 413 and b"too large" in body


def test_short_body_frees_the_thread_after_the_body_timeout(server_port, monkeypatch):
    monkeypatch.setattr(http_server, "BODY_TIMEOUT", 0.5)
    status, body = raw_request(server_port, post(server_port, b"{}", length="100"))
    assert status == 408 and b"not received in time" in body


@pytest.mark.parametrize("depth", [200, 100_000])
def test_deeply_nested_json_is_400_not_500(server_port, depth):
    status, body = raw_request(server_port, post(server_port, b"[" * depth + b"]" * depth))
    assert status == 400 and body == b"exceeded max depth"


@pytest.mark.parametrize("sent, text", [
    (b"{nope", b"invalid character 'n' looking for beginning of object key string"),
    (b'{"Job": ', b"unexpected EOF"),
    (b"  \n", b"EOF"),
    (b'{"a": 1 "b": 2}', b"invalid character '\"' after object key:value pair"),
])
def test_invalid_json_is_400_with_gos_decoder_text(server_port, sent, text):
    status, body = raw_request(server_port, post(server_port, sent))
    assert (status, body) == (400, text)


def test_url_escaped_path_segments_are_decoded(server_port):
    request = b"GET /v1/job/..%2F..%2Fetc HTTP/1.1\r\nHost: x\r\n\r\n"
    status, body = raw_request(server_port, request)
    assert status == 200 and json.loads(body) == {"ID": "../../etc"}
