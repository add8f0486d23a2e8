"""Connection probes against a sidecar's public listener: mTLS, plaintext, no client cert."""

from __future__ import annotations

import functools
import socket
import ssl
from dataclasses import dataclass

ALLOWED = "allowed"
DENIED = "denied"
UNREACHABLE = "unreachable"
WRONG_IDENTITY = "wrong-identity"

REQUEST = b"GET /health HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"


@dataclass(frozen=True)
class ProbeResult:
    """What one probe observed, and why."""

    outcome: str
    detail: str


@dataclass(frozen=True)
class ClientIdentity:
    """Files of a source service's leaf certificate and key, and the CA roots to trust."""

    cert_file: str
    key_file: str
    roots_pem: str


def probe_mtls(host: str, port: int, identity: ClientIdentity, expected_uri: str,
               timeout: float = 3.0) -> ProbeResult:
    """Open mTLS as the identity's service and ask for /health: allowed, denied or unreachable.

    Allowed: an HTTP answer other than 403. Denied: the handshake is refused, the connection
    is reset or closed before any answer, or the answer is 403 (Envoy's HTTP RBAC).
    """
    context = client_context(identity)

    def talk(raw):
        try:
            with context.wrap_socket(raw) as tls:
                uris = peer_uris(tls.getpeercert())
                if expected_uri not in uris:
                    return ProbeResult(WRONG_IDENTITY, f"server is {', '.join(uris) or 'unnamed'}, not {expected_uri}")
                return _ask_health(tls, host)
        except ssl.SSLCertVerificationError as exc:
            return ProbeResult(WRONG_IDENTITY, f"server certificate not trusted: {exc.verify_message}")

    def judge(status):
        if status is None:
            return ProbeResult(DENIED, "closed before answering")
        if status == 403:
            return ProbeResult(DENIED, "HTTP 403")
        return ProbeResult(ALLOWED, f"HTTP {status}")

    return _probe(host, port, timeout, talk, judge)


@functools.lru_cache(maxsize=512)
def client_context(identity: ClientIdentity) -> ssl.SSLContext:
    """One TLS client context per identity (loading certificates costs more than a handshake to a local sidecar)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # leaf certs carry only a SPIFFE URI SAN
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=identity.roots_pem)
    context.load_cert_chain(identity.cert_file, identity.key_file)
    return context


def probe_plaintext(host: str, port: int, timeout: float = 3.0) -> ProbeResult:
    """Send plain HTTP: a sidecar must not answer it ("denied" = good)."""
    def judge(status):
        if status is None:
            return ProbeResult(DENIED, "no HTTP answer")
        return ProbeResult(ALLOWED, f"answered plaintext with HTTP {status}")

    return _probe(host, port, timeout, lambda sock: _ask_health(sock, host), judge)


def probe_without_client_cert(host: str, port: int, roots_pem: str, timeout: float = 3.0) -> ProbeResult:
    """TLS without a client certificate: a sidecar must refuse it ("denied" = good)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.load_verify_locations(cadata=roots_pem)

    def talk(raw):
        with context.wrap_socket(raw) as tls:
            return _ask_health(tls, host)

    def judge(status):
        if status is None:
            return ProbeResult(DENIED, "closed before answering")
        return ProbeResult(ALLOWED, f"answered without a client certificate: HTTP {status}")

    return _probe(host, port, timeout, talk, judge)


def _probe(host: str, port: int, timeout: float, talk, judge) -> ProbeResult:
    """Connect and talk(sock) -> HTTP status (None: no answer) or a ProbeResult; judge(status) -> ProbeResult.

    A failed connect is unreachable; a connection refused, reset or timed out while talking is denied.
    """
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        return ProbeResult(UNREACHABLE, f"cannot connect to {host}:{port}: {exc.strerror or exc}")
    with sock:
        try:
            answer = talk(sock)
        except OSError as exc:
            return ProbeResult(DENIED, f"refused: {_reason(exc)}")
    return answer if isinstance(answer, ProbeResult) else judge(answer)


def _ask_health(sock, host: str) -> int | None:
    """Send the /health request and read the status line."""
    sock.sendall(REQUEST % host.encode())
    return read_status(sock)


def read_status(sock) -> int | None:
    """Read an HTTP status line; None when the peer closed without sending one."""
    data = b""
    while b"\r\n" not in data and len(data) < 4096:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    if not data.startswith(b"HTTP/"):
        return None
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def peer_uris(cert: dict | None) -> list[str]:
    """URI SANs of a peer certificate as returned by SSLSocket.getpeercert()."""
    return [value for kind, value in (cert or {}).get("subjectAltName", ()) if kind == "URI"]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return exc.reason or str(exc)
    if isinstance(exc, socket.timeout):
        return "timed out"
    return type(exc).__name__
