"""The bench's reading of Consul's CPU per intention write, against a real Consul dev agent."""

import pytest
import requests

from bench.consul_write_cost import DESTINATION, SOURCE, consul_cpu_ms_per_intention_write

pytestmark = [pytest.mark.consul]


def test_the_write_cost_is_read_from_consuls_own_process_and_leaves_no_intention(consul_factory):
    consul = consul_factory(acl=False)  # the bench's Consul runs without ACLs
    cost = consul_cpu_ms_per_intention_write(consul.url, consul.process.pid, writes=4, idle_seconds=0.5)
    assert cost is not None and cost >= 0.0
    left = requests.get(f"{consul.url}/v1/connect/intentions", timeout=10).json() or []
    assert [(i["SourceName"], i["DestinationName"]) for i in left if i["SourceName"] == SOURCE] == []
    assert all(i["DestinationName"] != DESTINATION for i in left)


def test_a_consul_that_is_gone_gives_no_reading(consul_factory):
    consul = consul_factory(acl=False)
    pid = consul.process.pid
    consul.stop()
    assert consul_cpu_ms_per_intention_write(consul.url, pid, writes=1, idle_seconds=0.1) is None
