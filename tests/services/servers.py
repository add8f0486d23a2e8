"""Real local servers for tests: WSGI apps on real ports, and TCP servers that misbehave on purpose."""

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from werkzeug.serving import make_server


class _ServedInThread:
    """Runs a socketserver-style `server` on a daemon thread; stop() shuts it down."""

    def _serve(self, server):
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        self.thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class ServedApp(_ServedInThread):
    """A WSGI app served by werkzeug's threaded server on a free loopback port."""

    def __init__(self, app):
        self._serve(make_server("127.0.0.1", 0, app, threaded=True))


class CannedHTTPServer(_ServedInThread):
    """An HTTP server that answers every request with one fixed status, content type and body.

    It records each request and the client port it came from; keepalive=True lets clients reuse
    connections, delay holds each answer back (after `received` is set) to keep requests in flight.
    """

    def __init__(self, status: int, body: bytes, content_type: str = "application/json",
                 keepalive: bool = False, delay: float = 0.0):
        self.requests = []
        self.client_ports = []
        self.received = threading.Event()
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keepalive else "HTTP/1.0"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                canned.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                canned.client_ports.append(self.client_address[1])
                canned.received.set()
                if delay:
                    time.sleep(delay)  # the point of this server: an answer that takes a while
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                if not keepalive:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._serve(server)


def _read_request(conn: socket.socket) -> None:
    """Read a whole request (head and Content-Length body), so the client is waiting for an answer.

    Unread bytes would make close() send RST, which must happen only when asked for.
    """
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(4096)
        if not chunk:
            return
        body += chunk


class MisbehavingTCPServer:
    """Accepts connections, reads the request head, then resets, closes, or never answers."""

    def __init__(self, behaviour: str):
        assert behaviour in ("reset", "close", "silent")
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.02)  # so the accept loop notices stop()
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.held = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            _read_request(conn)
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
        self.thread.join(timeout=5)
        self.listener.close()
        for conn in self.held:
            conn.close()


class RefusingPort:
    """A loopback port that is bound but not listening: connections to it are refused."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def stop(self):
        self.sock.close()


class FullBacklogPort:
    """A listening port whose accept queue is full, so new connections time out while connecting."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        address = self.listener.getsockname()
        self.url = f"http://127.0.0.1:{address[1]}"
        self.fillers = []
        for _ in range(16):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.settimeout(0.2)
            try:
                filler.connect(address)
            except TimeoutError:
                filler.close()
                return
            self.fillers.append(filler)
        raise RuntimeError("could not fill the accept queue: the kernel kept accepting connections")

    def stop(self):
        for filler in self.fillers:
            filler.close()
        self.listener.close()
