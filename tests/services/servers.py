"""Real local servers for tests: WSGI apps on real ports, and TCP servers that misbehave on purpose."""

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from werkzeug.serving import make_server


class ServedApp:
    """A WSGI app served by werkzeug's threaded server on a free loopback port."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class CannedHTTPServer:
    """An HTTP server that answers every request with one fixed status, content type and body."""

    def __init__(self, status: int, body: bytes, content_type: str = "application/json"):
        self.requests = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                canned.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _read_request_head(conn: socket.socket) -> None:
    """Read until the end of the request headers (or EOF), so the client is waiting for an answer."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


class MisbehavingTCPServer:
    """Accepts connections, reads the request head, then resets, closes, or never answers."""

    def __init__(self, behaviour: str):
        assert behaviour in ("reset", "close", "silent")
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.held = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            _read_request_head(conn)
            if self.behaviour == "reset":
                # Linger on with a zero timeout makes close() send RST instead of FIN.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            elif self.behaviour == "close":
                conn.close()
            else:
                self.held.append(conn)

    def stop(self):
        self.stopping.set()
        self.listener.close()
        for conn in self.held:
            conn.close()
        self.thread.join(timeout=5)


class RefusingPort:
    """A loopback port that is bound but not listening: connections to it are refused."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def stop(self):
        self.sock.close()
