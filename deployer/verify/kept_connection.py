"""An mTLS connection to a sidecar kept open across an intention change: is what already flows denied too?"""

from __future__ import annotations

import socket
import ssl

from deployer.verify.probe import ALLOWED, DENIED, ClientIdentity, ProbeResult, client_context, peer_uris

CLOSED = "closed"
KEEP_ALIVE_REQUEST = b"GET /health HTTP/1.1\r\nHost: %s\r\n\r\n"
MAX_HEAD = 16384


class KeptConnection:
    """One connection opened as a source, asking the destination's /health again on the same socket."""

    def __init__(self, tls: ssl.SSLSocket, host: str):
        self.tls = tls
        self.host = host
        self.closed = False

    @classmethod
    def open(cls, host: str, port: int, identity: ClientIdentity, expected_uri: str,
             timeout: float = 2.0) -> "KeptConnection | None":
        """Connect and ask once; None unless the sidecar allowed that first request (nothing to keep)."""
        try:
            raw = socket.create_connection((host, port), timeout=timeout)
        except OSError:
            return None
        try:
            tls = client_context(identity).wrap_socket(raw)
        except OSError:
            raw.close()
            return None
        kept = cls(tls, host)
        if expected_uri not in peer_uris(tls.getpeercert()) or kept.ask().outcome != ALLOWED:
            kept.close()
            return None
        return kept

    def ask(self) -> ProbeResult:
        """Ask /health on this connection: allowed (an answer but 403), denied (403) or closed."""
        if self.closed:
            return ProbeResult(CLOSED, "closed earlier")
        try:
            self.tls.sendall(KEEP_ALIVE_REQUEST % self.host.encode())
            status, reusable = read_response(self.tls)
        except OSError as exc:
            self.close()
            return ProbeResult(CLOSED, f"closed by the peer: {type(exc).__name__}")
        if status is None:
            self.close()
            return ProbeResult(CLOSED, "closed by the peer before answering")
        if not reusable:
            self.close()
        if status == 403:
            return ProbeResult(DENIED, "HTTP 403")
        return ProbeResult(ALLOWED, f"HTTP {status}")

    def close(self) -> None:
        """Close the socket (idempotent)."""
        self.closed = True
        try:
            self.tls.close()
        except OSError:
            pass


def read_response(sock) -> tuple[int | None, bool]:
    """Read one whole HTTP/1.1 response: its status (None: closed first) and whether the connection stays usable."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None, False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None, False
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    length = headers.get(b"content-length")
    if length is None or not length.isdigit() or headers.get(b"connection") == b"close":
        return status, False  # the body runs until the peer closes: the connection cannot be asked again
    remaining = int(length) - len(body)
    while remaining > 0:
        chunk = sock.recv(min(remaining, 65536))
        if not chunk:
            return status, False
        remaining -= len(chunk)
    return status, True
