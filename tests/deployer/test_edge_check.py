"""verify's edge check does what the values declare: path, status and JSON fields."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deployer.values import EdgeCheck, ValuesError, load_values
from deployer.verify import edge


@pytest.fixture
def edge_server(monkeypatch):
    """A tiny edge service; set .answer = (status, body); published_address points at it."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = server.answer
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            server.paths.append(self.path)
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.answer, server.paths = (200, {}), []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(edge, "published_address", lambda clients, job_id: ("127.0.0.1", server.server_address[1]))
    yield server
    server.shutdown()
    server.server_close()


DECLARED = EdgeCheck("/orders", 201, {"status": "confirmed", "invoice.tax": None})


@pytest.mark.parametrize("answer, ok, detail", [
    ((201, {"status": "confirmed", "invoice": {"tax": 1.2}}), True, "status='confirmed', invoice.tax=1.2"),
    ((200, {"status": "confirmed", "invoice": {"tax": 1.2}}), False, "HTTP 200, expected 201"),
    ((502, {"failed_hop": "invoice -> tax"}), False, "failed hop invoice -> tax"),
    ((201, {"status": "pending", "invoice": {"tax": 1.2}}), False, "status is 'pending', expected 'confirmed'"),
    ((201, {"status": "confirmed", "invoice": {}}), False, "no invoice.tax in the answer"),
    ((201, b"not json"), False, "no status in the answer"),
])
def test_the_declared_check_decides(edge_server, answer, ok, detail):
    edge_server.answer = answer
    passed, text = edge.check_edge(None, "order", DECLARED)
    assert passed is ok and detail in text
    assert edge_server.paths == ["/orders"]


def test_the_default_check_is_get_slash_200_only(edge_server):
    edge_server.answer = (200, {"anything": True})
    assert edge.check_edge(None, "order", EdgeCheck())[0] is True


def test_values_refuse_an_edge_check_on_a_service_without_a_published_port():
    with pytest.raises(ValuesError, match=r"services.tax.edge_check: only an edge service"):
        load_values(overrides={"services": {"tax": {"edge_check": {"path": "/tax"}}}})


@pytest.mark.parametrize("check, key", [({"path": "orders"}, "path"), ({"status": 42}, "status"),
                                        ({"json": {"a..b": 1}}, "json.a..b"), ({"json": {"a": [1]}}, "json.a")])
def test_values_refuse_a_malformed_edge_check(check, key):
    with pytest.raises(ValuesError, match=rf"services.order.edge_check.{key}"):
        load_values(overrides={"services": {"order": {"edge_check": check}}})
