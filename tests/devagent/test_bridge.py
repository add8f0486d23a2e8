"""Bridge mode with network namespaces: only published ports and sidecar public ports reach the groups."""

from __future__ import annotations

import os
import signal

import pytest
import requests

from devagent.ports import free_port
from tests.devagent.bridge_jobs import (APP_PORT, UPSTREAM_PORT, mesh_job, namespaces_unavailable, network_objects,
                                        node_names, tcp_answers)
from tests.devagent.helpers import allow_intention, consul_services, ledger_pids, pid_alive, wait_for

UNAVAILABLE = namespaces_unavailable()
pytestmark = [pytest.mark.devagent, pytest.mark.consul,
              pytest.mark.skipif(UNAVAILABLE is not None, reason=f"no network namespaces here: {UNAVAILABLE}")]


def _running(client, job_id: str) -> dict:
    alloc = wait_for(lambda: [a for a in client.job.get_allocations(job_id) if a["ClientStatus"] == "running"],
                     what=f"running alloc of {job_id}")[0]
    return client.allocation.get_allocation(alloc["ID"])


def _ports(alloc: dict) -> dict[str, dict]:
    return {p["Label"]: p for p in alloc["AllocatedResources"]["Shared"]["Ports"]}


def _checks_passing(consul, alloc_id: str) -> bool:
    checks = requests.get(f"{consul.url}/v1/agent/checks", headers=consul.admin_headers, timeout=5).json().values()
    mine = [c for c in checks if alloc_id in c["ServiceID"]]
    return len(mine) >= 3 and all(c["Status"] == "passing" for c in mine)


def _call(url: str):
    try:
        response = requests.get(url, timeout=5)
        return response.json() if response.ok else None
    except requests.RequestException:
        return None


@pytest.mark.parametrize("sidecar", ["builtin", "envoy"])
def test_only_published_and_sidecar_ports_are_reachable_from_the_host(devagent_factory, clean_intentions, sidecar):
    if sidecar == "envoy":
        pytest.importorskip("envoy")
    handle = devagent_factory(sidecar=sidecar)
    for source in ("br-order", "br-pay"):
        allow_intention(handle.consul, source, "br-tax")
    client = handle.nomad()
    edge_port = free_port()
    client.jobs.register_job({"Job": mesh_job("br-tax")})
    client.jobs.register_job({"Job": mesh_job("br-order", upstream="br-tax", static=edge_port)})
    # A third group with the same in-group port and the same local_bind_port as order.
    client.jobs.register_job({"Job": mesh_job("br-pay", upstream="br-tax", published=True)})
    allocs = {job: _running(client, job) for job in ("br-tax", "br-order", "br-pay")}
    for job, alloc in allocs.items():
        wait_for(lambda a=alloc: _checks_passing(handle.consul, a["ID"]), what=f"{job}'s checks passing")

    # The edge's published port serves the chain, from 127.0.0.1 and from the registered host address.
    answer = wait_for(lambda: _call(f"http://127.0.0.1:{edge_port}/call"), what="order's published port")
    assert answer["upstream"]["name"] == "br-tax"
    pay_http = _ports(allocs["br-pay"])["http"]
    answer = wait_for(lambda: _call(f"http://{pay_http['HostIP']}:{pay_http['Value']}/call"), what="pay's port")
    assert answer["upstream"]["name"] == "br-tax"

    # Every sidecar's public port answers at its registered address, and on 127.0.0.1.
    services = consul_services(handle.consul)
    for job, alloc in allocs.items():
        sidecar_service = next(s for s in services.values()
                               if s["Service"] == f"{job}-sidecar-proxy" and alloc["ID"] in s["ID"])
        assert tcp_answers(sidecar_service["Address"], sidecar_service["Port"]), f"{job}'s sidecar"
        assert tcp_answers("127.0.0.1", _ports(alloc)[f"connect-proxy-{job}"]["Value"]), f"{job}'s sidecar on lo"

    # Nothing else: no app port and no upstream listener on the host; tax's app (on its namespace's
    # loopback) not even at the namespace's address.
    assert not tcp_answers("127.0.0.1", APP_PORT)
    assert not tcp_answers("127.0.0.1", UPSTREAM_PORT)
    assert not tcp_answers(allocs["br-tax"]["NetworkStatus"]["Address"], APP_PORT)
    assert not tcp_answers(allocs["br-tax"]["NetworkStatus"]["Address"], UPSTREAM_PORT)

    # Nomad's bridge-mode environment: `to` inside, host values in HOST_PORT/ADDR.
    env = _call(f"http://127.0.0.1:{edge_port}/")["env"]
    assert (env["NOMAD_PORT_http"], env["NOMAD_HOST_PORT_http"]) == (str(APP_PORT), str(edge_port))
    assert env["NOMAD_ALLOC_IP_http"] == allocs["br-order"]["NetworkStatus"]["Address"]
    assert env["NOMAD_UPSTREAM_ADDR_br_tax"] == f"127.0.0.1:{UPSTREAM_PORT}"

    names = node_names(handle.data_dir)
    assert len([o for o in network_objects(names) if o.startswith(names.namespace_prefix)]) == 3
    assert handle.stop() == 0
    assert network_objects(names) == []


def test_a_stopped_allocation_leaves_no_namespace_and_rules(devagent_factory):
    handle = devagent_factory()
    client = handle.nomad()
    client.jobs.register_job({"Job": mesh_job("br-solo", published=True)})
    alloc = _running(client, "br-solo")
    names = node_names(handle.data_dir)
    chain = names.alloc_chain(alloc["ID"])
    assert names.namespace(alloc["ID"]) in network_objects(names) and chain in network_objects(names)
    client.job.deregister_job("br-solo")
    wait_for(lambda: chain not in network_objects(names) and names.namespace(alloc["ID"]) not in network_objects(names),
             what="the allocation's namespace and chain removed")
    assert handle.stop() == 0
    assert network_objects(names) == []


def test_kill_9_leftovers_are_removed_at_the_next_start(devagent_factory):
    handle = devagent_factory()
    client = handle.nomad()
    client.jobs.register_job({"Job": mesh_job("br-crash", published=True)})
    alloc = _running(client, "br-crash")
    names = node_names(handle.data_dir)
    pids = wait_for(lambda: len(ledger_pids(handle.data_dir)) == 2 and ledger_pids(handle.data_dir),
                    what="app and proxy")
    before = network_objects(names)
    assert names.namespace(alloc["ID"]) in before and names.bridge in before

    os.killpg(handle.process.pid, signal.SIGKILL)
    handle.process.wait()
    handle.stopped = True
    assert network_objects(names) == before  # a crash removes nothing

    again = devagent_factory(data_dir=handle.data_dir)
    assert not any(pid_alive(p) for p in pids)
    # Removed by the restart, or already by another devagent on this host that saw this one dead.
    assert network_objects(names) == []
    assert again.stop() == 0


@pytest.mark.parametrize("way, reason", [("no iptables", "iptables"), ("flag", "-no-network-namespaces")])
def test_without_namespaces_bridge_groups_run_in_host_mode(devagent_factory, monkeypatch, way, reason):
    with monkeypatch.context() as patched:
        if way == "no iptables":
            patched.setenv("PATH", "/usr/bin:/bin")  # iproute2's `ip` is here, iptables (in /usr/sbin) is not
        handle = devagent_factory(extra_args=["-no-network-namespaces"] if way == "flag" else [])
    client = handle.nomad()
    stats = requests.get(f"{handle.address}/v1/agent/self", timeout=5).json()["stats"]["devagent"]
    assert stats["network_namespaces"] is False and reason in stats["network_namespaces_unavailable"]
    port = free_port()
    job = mesh_job("br-hostmode", static=port)
    client.jobs.register_job({"Job": job})
    alloc = _running(client, "br-hostmode")
    assert "NetworkStatus" not in alloc or not alloc["NetworkStatus"]
    messages = [e["DisplayMessage"] or e["Message"] for e in alloc["TaskStates"]["app"]["Events"]]
    assert any("no network namespaces" in m and "host mode" in m for m in messages), messages
    assert handle.log().count("no network namespaces") == 1
    assert network_objects(node_names(handle.data_dir)) == []
    assert handle.stop() == 0


def test_a_devagent_that_died_for_good_is_cleaned_up_by_the_next_bridge(devagent_factory):
    dead = devagent_factory()
    dead.nomad().jobs.register_job({"Job": mesh_job("br-gone", published=True)})
    _running(dead.nomad(), "br-gone")
    names = node_names(dead.data_dir)
    os.killpg(dead.process.pid, signal.SIGKILL)
    dead.process.wait()
    dead.stopped = True
    assert names.bridge in network_objects(names)

    other = devagent_factory()  # another data dir: not a restart of the dead one
    other.nomad().jobs.register_job({"Job": mesh_job("br-next", published=True)})
    _running(other.nomad(), "br-next")
    assert network_objects(names) == []  # by `other`, unless a devagent of a parallel test run got there first
    assert other.stop() == 0
    for pid in ledger_pids(dead.data_dir):  # its tasks, orphaned by the kill: stop them as a restart would
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
