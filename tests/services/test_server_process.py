"""`python -m services.<name>` as a real process: serves, logs, and stops gracefully on a signal."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from devagent.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
TAX_ANSWER = json.dumps({"region": "DE", "rate": "0.19", "amount": "10.00", "tax": "1.90"})


class ServiceProcess:
    """One service started as `python -m services.<name>` in its own session, with output in files."""

    def __init__(self, name: str, workdir: Path, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout_path = workdir / f"{name}.out"
        self.stderr_path = workdir / f"{name}.err"
        full_env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
        # A private HOME shows whether gunicorn would create ~/.gunicorn.
        full_env.update({"HOME": str(workdir), "PORT": str(self.port), "PYTHONUNBUFFERED": "1", **env})
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}"],
                cwd=REPO_ROOT, env=full_env, stdout=out, stderr=err, start_new_session=True,
            )
        self.pgid = self.process.pid

    def wait_healthy(self, within: float = 15.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode}: {self.stderr_path.read_text()}")
            try:
                if requests.get(f"{self.url}/health", timeout=0.5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"not healthy within {within} s: {self.stderr_path.read_text()}")

    def group_is_gone(self, within: float = 5.0) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                os.killpg(self.pgid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.05)
        return False

    def stdout_records(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout_path.read_text().splitlines() if line.startswith("{")]

    def kill(self) -> None:
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=5)


@pytest.fixture
def service_process(tmp_path):
    """Start services as processes; anything still running at the end is killed by process group."""
    processes = []

    def start(name: str, **env) -> ServiceProcess:
        process = ServiceProcess(name, tmp_path, env)
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.kill()


def test_tax_process_serves_and_stops_on_sigterm(service_process, tmp_path):
    tax = service_process("tax", UPSTREAM_READ_TIMEOUT="2")
    tax.wait_healthy()
    answer = requests.get(f"{tax.url}/tax?amount=100&region=DE", headers={"X-Request-ID": "proc-1"}, timeout=5)
    assert answer.json()["tax"] == "19.00"

    tax.process.send_signal(signal.SIGTERM)
    assert tax.process.wait(timeout=15) == 0
    assert tax.group_is_gone(), "a gunicorn worker outlived the master"
    assert not (tmp_path / ".gunicorn").exists()

    config, *requests_logged = tax.stdout_records()
    assert config["event"] == "config" and config["service"] == "tax"
    assert config["bind"] == f"127.0.0.1:{tax.port}"
    assert config["upstream_read_timeout"] == 2.0 and config["tax_rates"]["DE"] == "0.19"
    assert {"path": "/tax", "status": 200, "request_id": "proc-1"}.items() <= requests_logged[-1].items()
    assert "Traceback" not in tax.stderr_path.read_text()


def test_in_flight_request_finishes_when_nomad_sends_sigint(service_process, canned):
    slow_tax = canned(200, TAX_ANSWER, delay=1.0)
    invoice = service_process("invoice", TAX_URL=slow_tax.url)
    invoice.wait_healthy()
    result = {}

    def place_invoice():
        body = {"region": "DE", "items": [{"sku": "a", "qty": 1, "unit_price": "10"}]}
        result["response"] = requests.post(f"{invoice.url}/invoices", json=body, timeout=10)

    client = threading.Thread(target=place_invoice)
    client.start()
    assert slow_tax.received.wait(timeout=10), "invoice never called tax"
    os.killpg(invoice.pgid, signal.SIGINT)  # Nomad's default kill signal, as a terminal's Ctrl-C would send it
    client.join(timeout=15)
    assert result["response"].status_code == 200
    assert result["response"].json()["total"] == "11.90"
    assert invoice.process.wait(timeout=15) == 0
    assert invoice.group_is_gone()


def test_service_host_sets_the_bind_address(service_process):
    tax = service_process("tax", SERVICE_HOST="127.0.0.2")
    tax.url = f"http://127.0.0.2:{tax.port}"
    tax.wait_healthy()
    assert tax.stdout_records()[0]["bind"] == f"127.0.0.2:{tax.port}"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{tax.port}/health", timeout=1)
