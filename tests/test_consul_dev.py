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
