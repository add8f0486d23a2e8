"""Request IDs (taken from X-Request-ID or made up) and one JSON log line per request on stdout."""

import json
import re
import sys
import threading
import time
import uuid

from flask import Flask, g, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
_write_lock = threading.Lock()


def write_json_line(record: dict) -> None:
    """Write one JSON object as a line on stdout (looked up per call, so capture works)."""
    line = json.dumps(record, separators=(",", ":"), default=str)
    with _write_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def incoming_request_id() -> str:
    """Return the caller's X-Request-ID if it is sane, else a new one."""
    supplied = request.headers.get(REQUEST_ID_HEADER, "").strip()
    return supplied if _ACCEPTABLE_ID.fullmatch(supplied) else uuid.uuid4().hex


def current_request_id() -> str:
    """Return the ID of the request being served."""
    return g.request_id


def install_request_logging(app: Flask, service: str) -> None:
    """Give every request an ID, echo it in the response, and log the request when done."""

    @app.before_request
    def _start():
        g.request_id = incoming_request_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        request_id = g.get("request_id") or incoming_request_id()
        response.headers[REQUEST_ID_HEADER] = request_id
        if app.config.get("LOG_REQUESTS", True):
            started = g.get("request_started", time.perf_counter())
            write_json_line(
                {
                    "service": service,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "request_id": request_id,
                }
            )
        return response
