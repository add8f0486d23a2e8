"""A small fake Nomad HTTP API for the validate stage: parse, validate, read and plan, with documented shapes."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID = (200, {"DriverConfigValidated": True, "ValidationErrors": None, "Error": "", "Warnings": ""})


class FakeNomad:
    """Answers /v1/jobs/parse from the HCL's job name and /v1/validate/job from `verdicts` (job ID -> answer).

    An answer is (status, body): a dict is sent as JSON (Nomad's JobValidateResponse), a str as
    text (how Nomad answers an error raised before its validators ran). Requests are recorded.
    """

    def __init__(self):
        self.verdicts: dict[str, tuple[int, dict | str]] = {}
        self.requests: list[tuple[str, str, dict | None]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeNomad":
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self, method: str) -> list[str]:
        """The paths requested with one method, in order."""
        return [path for m, path, _ in self.requests if m == method]

    def answer(self, method: str, path: str, body: dict | None) -> tuple[int, dict | str]:
        if method == "POST" and path == "/v1/jobs/parse":
            name = re.search(r'^job "([^"]+)"', body["JobHCL"], re.M).group(1)
            return 200, {"ID": name, "Name": name, "Namespace": "default", "Meta": {"managed_by": "deployer"}}
        if method == "POST" and path == "/v1/validate/job":
            return self.verdicts.get(body["Job"]["ID"], VALID)
        if method == "GET" and path.startswith("/v1/job/"):
            return 404, "job not found"
        if method == "POST" and re.fullmatch(r"/v1/job/[^/]+/plan", path):
            return 200, {"Diff": {"Type": "Added"}, "JobModifyIndex": 0, "FailedTGAllocs": None}
        return 404, "Invalid URL"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                path = self.path.split("?", 1)[0]
                fake.requests.append((self.command, path, body))
                status, answer = fake.answer(self.command, path, body)
                data = json.dumps(answer).encode() if isinstance(answer, dict) else answer.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if isinstance(answer, dict) else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _serve  # noqa: N815 - http.server's naming

            def log_message(self, *args):
                pass

        return Handler
