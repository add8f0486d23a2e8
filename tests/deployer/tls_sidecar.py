"""A tiny mTLS server that behaves like a sidecar's public listener, for probe tests."""

from __future__ import annotations

import socket
import ssl
import struct
import threading

from deployer.verify.probe import peer_uris


class MiniSidecar:
    """Requires a client cert from Consul's CA; answers allowed SPIFFE IDs, refuses others.

    deny_mode "reset" closes the connection with a RST (like the built-in proxy),
    "403" answers HTTP 403 (like Envoy's HTTP RBAC).
    """

    def __init__(self, cert_file: str, key_file: str, roots_pem: str | None, allowed: set[str],
                 deny_mode: str = "reset", plaintext: bool = False):
        self.allowed = allowed
        self.deny_mode = deny_mode
        self.plaintext = plaintext
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert_file, key_file)
        if roots_pem:
            self.context.verify_mode = ssl.CERT_REQUIRED
            self.context.load_verify_locations(cadata=roots_pem)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "MiniSidecar":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self.listener.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(3)
                try:
                    self._handle(conn)
                except (OSError, ssl.SSLError):
                    pass

    def _handle(self, conn: socket.socket) -> None:
        if self.plaintext:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            return
        with self.context.wrap_socket(conn, server_side=True) as tls:
            uris = peer_uris(tls.getpeercert())
            if not set(uris) & self.allowed and self.deny_mode == "reset":
                tls.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            tls.recv(4096)
            status = b"200 OK" if set(uris) & self.allowed else b"403 Forbidden"
            tls.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
