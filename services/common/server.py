"""Serve a service app with gunicorn (threaded worker) from `python -m services.<name>`."""

import argparse
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.gthread import ThreadWorker

from services.common.app import effective_config
from services.common.config import ConfigError, whole_number_from_env
from services.common.requestlog import write_json_line

DEFAULT_HOST = "127.0.0.1"
DEFAULT_THREADS = 8
# Nomad's default kill_timeout is 5 s: finish in-flight requests (read timeout 3 s) before that.
DEFAULT_GRACEFUL_TIMEOUT = 4


class GracefulArbiter(Arbiter):
    """Gunicorn's master, but SIGINT (Nomad's default kill signal) stops gracefully like SIGTERM."""

    def handle_int(self):
        raise StopIteration


class GracefulThreadWorker(ThreadWorker):
    """Gunicorn's threaded worker, but SIGINT lets in-flight requests finish like SIGTERM."""

    def init_signals(self):
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)


class ServiceServer(BaseApplication):
    """Runs one Flask app in gunicorn with options given in code, not read from the command line."""

    def __init__(self, app: Flask, options: Mapping):
        self.application = app
        self.options = dict(options)
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application

    def run(self):
        GracefulArbiter(self).run()


def resolve_port(flag: int | None, environ: Mapping[str, str], default: int) -> int:
    """Return --port, else NOMAD_PORT_http, else PORT, else the service's default port."""
    if flag is not None:
        return flag
    port = whole_number_from_env(environ, "NOMAD_PORT_http", 0, 1, 65535)
    return port or whole_number_from_env(environ, "PORT", default, 1, 65535)


def gunicorn_options(service: str, host: str, port: int, threads: int, graceful_timeout: int) -> dict:
    """Return the gunicorn settings: one threaded worker, no control socket, logs to stderr."""
    return {
        "bind": f"{host}:{port}",
        "workers": 1,
        "worker_class": f"{__name__}.GracefulThreadWorker",
        "threads": threads,
        "graceful_timeout": graceful_timeout,
        # gunicorn >= 25.1 otherwise creates a control socket under ~/.gunicorn.
        "control_socket_disable": True,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": f"services.{service}",
    }


def _port_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number (1-65535), got {text!r}")
    return int(text)


def main(
    service: str,
    create_app: Callable[[], Flask],
    default_port: int,
    argv: Sequence[str] | None = None,
    printed_settings: tuple[str, ...] = (),
) -> int:
    """Parse flags, build the app, print the effective config and serve until signalled."""
    parser = argparse.ArgumentParser(
        prog=f"python -m services.{service}",
        description=f"Serve the {service} service with gunicorn.",
    )
    parser.add_argument("--host", default=os.environ.get("SERVICE_HOST") or DEFAULT_HOST,
                        help=f"address to bind (default: $SERVICE_HOST, else {DEFAULT_HOST})")
    parser.add_argument(
        "--port",
        type=_port_number,
        help=f"port to bind (default: $NOMAD_PORT_http, else $PORT, else {default_port})",
    )
    args = parser.parse_args(argv)
    try:
        port = resolve_port(args.port, os.environ, default_port)
        threads = whole_number_from_env(os.environ, "WEB_THREADS", DEFAULT_THREADS, 1, 256)
        graceful_timeout = whole_number_from_env(os.environ, "GRACEFUL_TIMEOUT", DEFAULT_GRACEFUL_TIMEOUT, 1, 600)
        app = create_app()
    except ConfigError as exc:
        print(f"error: {service}: {exc}", file=sys.stderr)
        return 2
    write_json_line(
        {
            "event": "config",
            "service": service,
            "bind": f"{args.host}:{port}",
            "threads": threads,
            "graceful_timeout": graceful_timeout,
            **effective_config(app, printed_settings),
        }
    )
    ServiceServer(app, gunicorn_options(service, args.host, port, threads, graceful_timeout)).run()
    return 0
