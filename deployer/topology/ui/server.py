"""The page's HTTP server: loopback only, a static page, a JSON snapshot, and one POST to change intentions."""

from __future__ import annotations

import json
import signal
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

from deployer.clients import Clients
from deployer.errors import DeployerError
from deployer.topology.ui.actions import change_intention
from deployer.topology.ui.watcher import TopologyWatcher

HOST = "127.0.0.1"
STATIC = {"/": ("index.html", "text/html; charset=utf-8"), "/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/app.css": ("app.css", "text/css; charset=utf-8")}
MAX_BODY = 4096


def static_file(name: str) -> bytes:
    """A file shipped in the package's static/ folder."""
    return resources.files("deployer.topology.ui").joinpath("static", name).read_bytes()


class TopologyHandler(BaseHTTPRequestHandler):
    """GET the page and /api/topology; POST /api/intentions {source, destination, action}."""

    server_version = "deployer-ui"
    app: "TopologyApp"  # set on the subclass made per server

    def do_GET(self):  # noqa: N802 - http.server's naming
        if not self._host_allowed():
            return
        path = self.path.split("?", 1)[0]
        if path in STATIC:
            name, kind = STATIC[path]
            self._send(HTTPStatus.OK, static_file(name), kind)
        elif path == "/api/topology":
            self._send_json(HTTPStatus.OK, self.app.watcher.snapshot())
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {path}"})

    def do_POST(self):  # noqa: N802
        if not self._host_allowed():
            return
        if self.path != "/api/intentions":
            self._send_json(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint: {self.path}"})
            return
        # JSON only: a cross-site form cannot send it without the browser asking first (CORS preflight).
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._send_json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send application/json"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": "a JSON body of at most 4 KiB is required"})
            return
        try:
            body = json.loads(self.rfile.read(length))
            source, destination, action = (str(body[k]) for k in ("source", "destination", "action"))
        except (ValueError, KeyError, TypeError):
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": "expected {\"source\", \"destination\", \"action\"}"})
            return
        try:
            message = self.app.change(source, destination, action)
        except DeployerError as exc:
            self._send_json(HTTPStatus.CONFLICT, {"error": exc.message, "hint": exc.hint})
            return
        self._send_json(HTTPStatus.OK, {"message": message})

    def _host_allowed(self) -> bool:
        """Only names of the loopback address: a page from elsewhere cannot reach us by DNS rebinding."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host in ("127.0.0.1", "localhost"):
            return True
        self._send_json(HTTPStatus.FORBIDDEN, {"error": "use http://127.0.0.1:<port>/"})
        return False

    def _send_json(self, status, data) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - the page polls twice a second: keep the terminal quiet
        pass


class TopologyApp:
    """The watcher and the HTTP server, started and stopped together."""

    def __init__(self, endpoints, values, port: int = 0):
        self.endpoints = endpoints
        self.values = values
        self.watcher = TopologyWatcher(endpoints, values)
        handler = type("BoundTopologyHandler", (TopologyHandler,), {"app": self})
        try:
            self.httpd = ThreadingHTTPServer((HOST, port), handler)
        except OSError as exc:
            raise DeployerError(f"cannot listen on {HOST}:{port}: {exc.strerror}",
                                hint="pick another --port (0 = any free port)") from exc
        self.httpd.daemon_threads = True
        self.write_lock = threading.Lock()

    @property
    def url(self) -> str:
        """Where the page is."""
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def change(self, source: str, destination: str, action: str) -> str:
        """Change one intention (one at a time), then have the watcher read the mesh at once."""
        with self.write_lock:
            try:
                return change_intention(Clients(self.endpoints), self.values, source, destination, action)
            finally:
                self.watcher.poke()

    def start(self) -> "TopologyApp":
        """Take the first snapshot, then serve in a background thread."""
        self.watcher.start()
        threading.Thread(target=self.httpd.serve_forever, name="topology-http", daemon=True).start()
        return self

    def close(self) -> None:
        """Stop serving and watching."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.watcher.close()


def serve(ctx, port: int) -> int:
    """`deployer ui`: print the address, serve until Ctrl-C (exit 0)."""
    app = TopologyApp(ctx.endpoints, ctx.values, port)
    signal.signal(signal.SIGTERM, _interrupt)  # `make down` stops us with SIGTERM: clean up as on Ctrl-C
    try:
        app.start()
        ctx.console.line(f"topology page: {app.url}  (Ctrl-C to stop)")
        threading.Event().wait()
    except KeyboardInterrupt:
        ctx.console.line("stopped")
    finally:
        app.close()
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
