"""A tiny HTTP app for devagent tests: /health, / (its name and env) and /call (its upstream).

Usage: app.py NAME [--unhealthy] [--exit-after SECONDS]; listens on 127.0.0.1:$NOMAD_PORT_http
(0.0.0.0 inside a bridge-mode network namespace).
"""

import json
import os
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    """Answers the three routes."""

    def do_GET(self):  # noqa: N802 - http.server API
        if self.path == "/health":
            status = 500 if "--unhealthy" in sys.argv else 200
            return self._send(status, {"ok": status == 200})
        if self.path == "/call":
            upstream = os.environ.get("APP_UPSTREAM_ADDR", "")
            try:
                with urllib.request.urlopen(f"http://{upstream}/", timeout=3) as response:
                    return self._send(200, {"upstream": json.loads(response.read())})
            except OSError as exc:
                return self._send(502, {"error": str(exc)})
        env = {k: v for k, v in os.environ.items() if k.startswith("NOMAD_") or k.startswith("APP_")}
        return self._send(200, {"name": sys.argv[1], "pid": os.getpid(), "env": env})

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    """Serve until killed (or exit with 3 after --exit-after seconds)."""
    if "--exit-after" in sys.argv:
        delay = float(sys.argv[sys.argv.index("--exit-after") + 1])
        threading.Timer(delay, lambda: os._exit(3)).start()
    print(f"app {sys.argv[1]} on port {os.environ['NOMAD_PORT_http']}", flush=True)
    print("stderr line from app", file=sys.stderr, flush=True)
    # In a bridge-mode namespace (Nomad sets NOMAD_ALLOC_IP_*) mapped ports arrive on its interface.
    host = "0.0.0.0" if os.environ.get("NOMAD_ALLOC_IP_http") else "127.0.0.1"
    ThreadingHTTPServer((host, int(os.environ["NOMAD_PORT_http"])), Handler).serve_forever()


if __name__ == "__main__":
    main()
