"""A small threaded HTTP server with a regex router, JSON bodies and Nomad blocking queries."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from devagent.durations import DurationError, parse_go_duration
from devagent.state import Store

DEFAULT_WAIT = 300.0  # Nomad's default blocking wait (5m)
MAX_WAIT = 600.0  # and its maximum (10m)


class HttpError(Exception):
    """An error answered with a status and a one-line text body."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class ApiRequest:
    """One parsed request."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def json(self):
        """The body as JSON, or a 400."""
        if not self.body.strip():
            raise HttpError(400, "Request body is empty")
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise HttpError(400, f"Failed to decode request body: {exc}") from exc

    def flag(self, name: str) -> bool:
        """A boolean query parameter (?purge=true)."""
        return self.query.get(name, "false").lower() in ("true", "1")


@dataclass
class Response:
    """A handler's answer: a JSON value (or raw bytes) and whether it carries the index."""

    body: object
    status: int = 200
    raw: bool = False
    content_type: str = "application/json"


Handler = Callable[[ApiRequest], object]


class Router:
    """Routes (method, path regex) to handlers; GET routes support blocking queries."""

    def __init__(self, store: Store):
        self.store = store
        self.routes: list[tuple[str, re.Pattern, Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register a handler; `:name` in pattern captures one path segment."""
        regex = "^" + re.sub(r":(\w+)", r"(?P<\1>[^/]+)", pattern) + "$"
        self.routes.append((method, re.compile(regex), handler))

    def dispatch(self, request: ApiRequest) -> tuple[int, dict[str, str], bytes]:
        """Run the matching handler; map errors to Nomad-like text bodies."""
        matched_path = False
        for method, regex, handler in self.routes:
            match = regex.match(request.path)
            if not match:
                continue
            matched_path = True
            if method != request.method:
                continue
            request.params = match.groupdict()
            try:
                if method == "GET":
                    self._block(request)
                index = self.store.index
                result = handler(request)
            except HttpError as exc:
                return exc.status, _text_headers(), (exc.message.rstrip("\n") + "\n").encode()
            except Exception as exc:  # noqa: BLE001 - never a traceback in a body
                print(f"devagent: {request.method} {request.path}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                return 500, _text_headers(), f"{type(exc).__name__}: {exc}\n".encode()
            response = result if isinstance(result, Response) else Response(result)
            headers = {"Content-Type": response.content_type, "X-Nomad-Index": str(max(index, 1)),
                       "X-Nomad-KnownLeader": "true", "X-Nomad-LastContact": "0"}
            body = response.body if response.raw else json.dumps(response.body).encode()
            return response.status, headers, body
        if matched_path:
            return 405, _text_headers(), b"Invalid method\n"
        return 404, _text_headers(), b"404 page not found\n"

    def _block(self, request: ApiRequest) -> None:
        if "index" not in request.query:
            return
        try:
            min_index = int(request.query["index"])
        except ValueError as exc:
            raise HttpError(400, "Invalid index") from exc
        wait = DEFAULT_WAIT
        if request.query.get("wait"):
            try:
                wait = parse_go_duration(request.query["wait"]) / 1e9
            except DurationError as exc:
                raise HttpError(400, f"Invalid wait time: {exc}") from exc
        self.store.wait_for_change(min_index, min(max(wait, 0.0), MAX_WAIT))


def _text_headers() -> dict[str, str]:
    return {"Content-Type": "text/plain; charset=utf-8"}


def make_server(bind: str, port: int, router: Router) -> ThreadingHTTPServer:
    """A threaded server answering through router."""

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "devagent"

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, payload = router.dispatch(ApiRequest(self.command, parts.path, query, body))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format, *args):  # noqa: A002 - quiet: the API is chatty
            pass

    server = ThreadingHTTPServer((bind, port), RequestHandler)
    server.daemon_threads = True
    return server
