"""The Consul dev agent launcher really starts Consul 1.8+ with Connect."""

import pytest
import requests

pytestmark = pytest.mark.consul


def test_dev_agent_serves_connect_roots(consul_agent):
    roots = requests.get(f"{consul_agent.url}/v1/agent/connect/ca/roots", timeout=5).json()
    assert roots["TrustDomain"].endswith(".consul")
    assert roots["Roots"][0]["RootCert"].startswith("-----BEGIN CERTIFICATE-----")


def test_dev_agent_stops_its_process(consul_factory):
    agent = consul_factory()
    agent.stop()
    assert agent.process.poll() is not None
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{agent.url}/v1/status/leader", timeout=1)


def test_dev_agent_retries_on_a_taken_port(tmp_path):
    import socket

    from devagent.consul_dev import ConsulDevAgent

    agent = ConsulDevAgent(log_path=tmp_path / "consul.log")
    taken = agent.http_port
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", taken))
        blocker.listen()
        agent.start()
    try:
        assert agent.http_port != taken
        assert requests.get(f"{agent.url}/v1/status/leader", timeout=5).json()
    finally:
        agent.stop()


def test_a_killed_parent_takes_its_consul_with_it(tmp_path):
    import os
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from devagent.consul_dev import ConsulDevAgent\n"
        f"agent = ConsulDevAgent(log_path={str(tmp_path / 'c.log')!r}, die_with_parent=True).start()\n"
        "print(agent.process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    consul_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(consul_pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(consul_pid, 9)
    raise AssertionError("consul outlived the process that started it")
