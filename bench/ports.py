"""Free loopback TCP ports for the stacks and values files of a run."""

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on at host right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]
