"""A unix socket that forwards each connection to a TCP address (Nomad's consul_http_socket hook does this).

Processes inside a network namespace cannot reach the host's 127.0.0.1, but they can open a
socket file in the allocation directory.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

CHUNK = 65536


class UnixSocketProxy:
    """Listens on `path`; every connection is piped to `target` (host, port)."""

    def __init__(self, path: Path, target: tuple[str, int]):
        self.path = Path(path)
        self.target = target
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()

    def start(self) -> "UnixSocketProxy":
        """Bind the socket file and start accepting in a thread."""
        self.path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.path))
        os.chmod(self.path, 0o600)
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept_loop, name=f"sockproxy-{self.path.name}", daemon=True).start()
        return self

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            if self._closed.is_set():
                client.close()
                upstream.close()
                return
            self._open.update((client, upstream))
        pump = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        pump.start()
        _pipe(client, upstream)
        pump.join()
        with self._lock:
            self._open.difference_update((client, upstream))
        client.close()
        upstream.close()

    def close(self) -> None:
        """Stop accepting, cut open connections and remove the socket file."""
        self._closed.set()
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
        with self._lock:
            for sock in self._open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.path.unlink(missing_ok=True)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    """Copy until source ends, then end sink's write side."""
    try:
        while True:
            data = source.recv(CHUNK)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    try:
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass
