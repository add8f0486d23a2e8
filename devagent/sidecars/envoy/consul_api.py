"""A minimal Consul HTTP client whose blocking queries can be interrupted from another thread."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from urllib.parse import urlencode

from devagent.consul_api import ConsulError, consul_endpoint


class ConsulConnection:
    """One keep-alive HTTP connection to the Consul agent, used by one thread at a time."""

    def __init__(self, http_addr: str, token: str = "", timeout: float = 5.0):
        self._https, self._host, self._port = consul_endpoint(http_addr)
        self._token = token
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        with self._lock:
            if self._closed:
                raise ConsulError("connection closed")
            if self._conn is None:
                cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
                self._conn = cls(self._host, self._port, timeout=timeout)
            self._conn.timeout = timeout
            if self._conn.sock is not None:
                self._conn.sock.settimeout(timeout)
            return self._conn

    def get(self, path: str, params: dict | None = None, index: int = 0, wait: float = 0.0):
        """GET `path`; with `index`, block up to `wait` seconds for a change. Returns (json, index)."""
        query = dict(params or {})
        if index:
            query.update(index=str(index), wait=f"{int(wait)}s")
        # Consul adds up to wait/16 of jitter to a blocking query
        status, body, headers = self._request("GET", path, query, None, self._timeout + (wait * 1.1 if index else 0))
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ConsulError(f"GET {path}: not JSON: {exc}") from exc
        return data, int(headers.get("X-Consul-Index") or 0)

    def put(self, path: str, body: dict | None = None) -> None:
        """PUT `path` with a JSON body (agent writes such as check registrations)."""
        self._request("PUT", path, None, json.dumps(body if body is not None else {}).encode(), self._timeout)

    def _request(self, method: str, path: str, query: dict | None, body: bytes | None, timeout: float):
        target = path + ("?" + urlencode(query) if query else "")
        headers = {"X-Consul-Token": self._token} if self._token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn = self._connection(timeout)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self._reset()
            raise ConsulError(f"{method} {path}: {exc or type(exc).__name__}") from exc
        if response.status != 200:
            raise ConsulError(f"{method} {path}: HTTP {response.status}: "
                              f"{answer.decode(errors='replace').strip()[:200]}")
        return response.status, answer, response.headers

    def _reset(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def close(self) -> None:
        """Close the connection; a blocking query in flight on another thread returns at once."""
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if conn is not None:
            conn.close()
