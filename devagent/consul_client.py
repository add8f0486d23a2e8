"""devagent's one Consul HTTP client: address, token, timeouts, errors, blocking queries (raw HTTP,
because python-consul2 lacks Connect)."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from urllib.parse import urlencode, urlsplit

MAX_IDLE_CONNECTIONS = 10


class ConsulError(RuntimeError):
    """Consul refused a call or did not answer (the only error a Consul call in devagent raises)."""


def consul_endpoint(http_addr: str) -> tuple[bool, str, int]:
    """(https, host, port) of a Consul address given as host:port or http(s)://host:port."""
    url = urlsplit(http_addr if "://" in http_addr else f"http://{http_addr}")
    try:
        port = url.port
    except ValueError:
        port = -1
    if url.scheme not in ("http", "https") or not url.hostname or port == -1:
        raise ConsulError(f"bad Consul address {http_addr!r}: expected host:port or http(s)://host:port")
    https = url.scheme == "https"
    return https, url.hostname, port or (8501 if https else 8500)


class ConsulClient:
    """Keep-alive connections to one Consul agent with one token, shared by any number of threads.

    A call takes an idle connection (or opens one) and gives it back when the answer is read;
    close() shuts every connection, so a blocking query in flight on another thread returns at once.
    With keep_alive=False every call has its own connection, closed after it (for rare calls
    from long-lived holders, which would otherwise keep an idle connection each).
    """

    def __init__(self, http_addr: str, token: str = "", timeout: float = 5.0, keep_alive: bool = True):
        self._https, self._host, self._port = consul_endpoint(http_addr)
        self.http_addr = f"[{self._host}]:{self._port}" if ":" in self._host else f"{self._host}:{self._port}"
        self.url = f"{'https' if self._https else 'http'}://{self.http_addr}"
        self.token = token
        self.timeout = timeout
        self._lock = threading.Lock()
        self._idle: list[http.client.HTTPConnection] = []
        self._busy: set[http.client.HTTPConnection] = set()
        self._closed = False
        self._max_idle = MAX_IDLE_CONNECTIONS if keep_alive else 0

    def call(self, method: str, path: str, body: dict | None = None, params: dict | None = None,
             timeout: float | None = None):
        """One call with a JSON body (if any); the decoded JSON answer, None when it is empty."""
        answer, _ = self._request(method, path, body, params, timeout or self.timeout)
        return _decode(method, path, answer)

    def get(self, path: str, params: dict | None = None, index: int = 0, wait: float = 0.0):
        """GET path; with index, a blocking query that waits up to wait seconds for a change. (JSON, X-Consul-Index)."""
        query = dict(params or {})
        if index:
            query.update(index=str(index), wait=f"{int(wait)}s")
        # Consul adds up to wait/16 of jitter to a blocking query
        answer, headers = self._request("GET", path, None, query, self.timeout + (wait * 1.1 if index else 0))
        return _decode("GET", path, answer), int(headers.get("X-Consul-Index") or 0)

    def put(self, path: str, body: dict | None = None):
        """PUT path with a JSON body (if any); the decoded answer."""
        return self.call("PUT", path, body)

    def _request(self, method: str, path: str, body: dict | None, params: dict | None, timeout: float):
        target = path + ("?" + urlencode(params) if params else "")
        headers = {"X-Consul-Token": self.token} if self.token else {}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = self._take(timeout)
        try:
            conn.request(method, target, body=payload, headers=headers)
            response = conn.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self._drop(conn)
            raise ConsulError(f"consul {method} {path}: {exc or type(exc).__name__}") from exc
        self._give_back(conn)
        if not 200 <= response.status < 300:
            raise ConsulError(f"consul {method} {path}: HTTP {response.status}: "
                              f"{answer.decode(errors='replace').strip()[:500]}")
        return answer, response.headers

    def _take(self, timeout: float) -> http.client.HTTPConnection:
        with self._lock:
            if self._closed:
                raise ConsulError(f"consul client for {self.http_addr} closed")
            if self._idle:
                conn = self._idle.pop()
            else:
                cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                conn = cls(self._host, self._port, timeout=timeout)
            self._busy.add(conn)
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _give_back(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._busy.discard(conn)
            if not self._closed and len(self._idle) < self._max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def _drop(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._busy.discard(conn)
        conn.close()

    def close(self) -> None:
        """Close every connection; a call in flight on another thread fails at once, later ones too."""
        with self._lock:
            self._closed = True
            idle, busy = self._idle, list(self._busy)
            self._idle = []
        for conn in busy:
            if conn.sock is not None:
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for conn in idle:
            conn.close()


def _decode(method: str, path: str, answer: bytes):
    if not answer.strip():
        return None
    try:
        return json.loads(answer)
    except ValueError as exc:
        raise ConsulError(f"consul {method} {path}: not JSON: {exc}") from exc
