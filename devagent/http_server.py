"""A small threaded HTTP server with a regex router, JSON bodies and Nomad blocking queries."""

from __future__ import annotations

import json
import re
import socket
import sys
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from devagent.durations import DurationError, parse_go_duration
from devagent.state import Store
from devagent.gopanic import GoPanic
from devagent.go_json import GoJsonError, first_value

DEFAULT_WAIT = 300.0  # Nomad's default blocking wait (5m)
MAX_WAIT = 600.0  # and its maximum (10m)
MAX_BODY_BYTES = 16 * 1024 * 1024  # a jobspec is kilobytes; refuse rather than buffer anything larger
# deeper nesting is answered 400 instead of exhausting Python's recursion limit (Go's decoder allows 10000)
MAX_JSON_DEPTH = 128
BODY_TIMEOUT = 30.0  # a client that stops sending its body frees its thread
IDLE_TIMEOUT = 120.0  # and so does a connection idle between requests


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
        if not self.body:  # only an empty body is http.NoBody; whitespace is Go's "EOF"
            raise HttpError(400, "Request body is empty")
        try:
            # Go's decoder reads UTF-8: an invalid byte becomes U+FFFD (first_value does the same for lone surrogates)
            value = first_value(self.body.decode("utf-8", errors="replace"))
        except GoJsonError as exc:
            raise HttpError(400, str(exc)) from None  # Go's text as it is, e.g. "unexpected EOF"
        if json_depth(value) > MAX_JSON_DEPTH:
            raise HttpError(400, "exceeded max depth")
        return value

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
            request.params = {name: unquote(value) for name, value in match.groupdict().items()}
            try:
                if method == "GET":
                    self._block(request)
                index = self.store.index
                result = handler(request)
            except HttpError as exc:
                return exc.status, _text_headers(), exc.message.encode()  # Nomad writes err.Error() as it is
            except RecursionError:
                return 400, _text_headers(), b"exceeded max depth"
            except GoPanic as exc:
                print(f"devagent: {request.method} {request.path}: panic (as Nomad's agent): {exc}", file=sys.stderr,
                      flush=True)
                raise
            except Exception as exc:  # noqa: BLE001 - never a traceback in a body
                print(f"devagent: {request.method} {request.path}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                return 500, _text_headers(), f"{type(exc).__name__}: {exc}\n".encode()
            response = result if isinstance(result, Response) else Response(result)
            headers = {"Content-Type": response.content_type, "X-Nomad-Index": str(max(index, 1)),
                       "X-Nomad-KnownLeader": "true", "X-Nomad-LastContact": "0"}
            body = response.body if response.raw else json.dumps(response.body).encode()
            return response.status, headers, body
        if matched_path:
            return 405, _text_headers(), b"Invalid method"
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


def json_depth(value) -> int:
    """Nesting depth of a decoded JSON value, computed without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _text_headers() -> dict[str, str]:
    return {"Content-Type": "text/plain; charset=utf-8"}


def make_server(bind: str, port: int, router: Router) -> ThreadingHTTPServer:
    """A threaded server answering through router."""

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "devagent"

        timeout = IDLE_TIMEOUT
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            try:
                body = self._read_body()
            except HttpError as exc:
                self.close_connection = True
                self._answer(exc.status, _text_headers(), exc.message.encode())
                return
            try:
                answer = router.dispatch(ApiRequest(self.command, parts.path, query, body))
            except GoPanic:
                self.close_connection = True  # Go's net/http after a handler's panic: no answer, the connection closed
                return
            self._answer(*answer)

        def _read_body(self) -> bytes:
            """The body by Content-Length, refusing what Go's net/http refuses and what is too large."""
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                raise HttpError(411, "Length Required: chunked request bodies are not supported")
            text = (self.headers.get("Content-Length") or "0").strip()
            if not text.isascii() or not text.isdigit():
                raise HttpError(400, "Bad Request: invalid Content-Length")
            length = int(text)
            if length > MAX_BODY_BYTES:
                raise HttpError(413, f"http: request body too large (limit {MAX_BODY_BYTES} bytes)")
            self.connection.settimeout(BODY_TIMEOUT)
            try:
                body = self.rfile.read(length) if length else b""
            except (socket.timeout, OSError):
                raise HttpError(408, "Request Timeout: the body was not received in time") from None
            finally:
                self.connection.settimeout(IDLE_TIMEOUT)
            if len(body) != length:
                raise HttpError(400, "Bad Request: body shorter than Content-Length")
            return body

        def _answer(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def handle(self) -> None:
            try:
                super().handle()
            except (ConnectionError, socket.timeout):
                pass  # the client went away or stalled: nothing to answer

        def log_message(self, format, *args):  # noqa: A002 - quiet: the API is chatty
            pass

    server = _Server((bind, port), RequestHandler)
    server.daemon_threads = True
    return server


class _Server(ThreadingHTTPServer):
    # socketserver's listen backlog is 5: the deployer applies a dependency level's jobs in
    # parallel (one connection each), and a 100-service mesh's burst overflowed it
    request_queue_size = 1024
