"""Envoy's admin interface over its unix socket: one small HTTP/1.1 GET at a time."""

from __future__ import annotations

import http.client
import socket


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over a unix socket path."""

    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def admin_get(socket_path: str, path: str, timeout: float = 2.0) -> tuple[int, str]:
    """(status, body) of GET `path` on the admin socket; raises OSError when Envoy is not there."""
    conn = UnixHTTPConnection(socket_path, timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except http.client.HTTPException as exc:
        raise OSError(f"envoy admin {path}: {exc}") from exc
    finally:
        conn.close()
