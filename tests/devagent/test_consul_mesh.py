"""devagent with the real Consul: registrations, sidecars, upstreams, and cleanup on every way out."""

import json
import os
import signal

import pytest
import requests

from devagent.consul_dev import ConsulDevAgent
from devagent.service_registration import NODE_MARKER
from tests.devagent.helpers import (SECOND, allow_intention, alloc_app_url, consul_checks, consul_services,
                                    deployment_done, ledger_pids, pid_alive, service_job, wait_for)

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def _ours(handle) -> dict:
    node_id = (handle.data_dir / "node-id").read_text().strip()
    return {sid: s for sid, s in consul_services(handle.consul).items() if (s.get("Meta") or {}).get(NODE_MARKER) == node_id}


def _running_alloc(client, job_id):
    return wait_for(lambda: [a for a in client.job.get_allocations(job_id) if a["ClientStatus"] == "running"],
                    what=f"running alloc of {job_id}")[0]


def test_service_and_sidecar_registered_healthy_and_upstream_reachable(devagent, clean_intentions):
    allow_intention(devagent.consul, "da-order", "da-tax")
    client = devagent.nomad()
    client.jobs.register_job({"Job": service_job("da-tax")})
    client.jobs.register_job({"Job": service_job("da-order", upstream="da-tax")})
    for job_id in ("da-tax", "da-order"):
        assert wait_for(deployment_done(client, job_id), what=f"{job_id} deployment")["Status"] == "successful"

    stub = client.job.get_allocations("da-tax")[0]
    assert "AllocatedResources" not in stub  # as Nomad's AllocListStub: read the allocation for its ports
    tax = client.allocation.get_allocation(stub["ID"])
    ports = {p["Label"]: p["Value"] for p in tax["AllocatedResources"]["Shared"]["Ports"]}
    host_ip = tax["AllocatedResources"]["Shared"]["Ports"][0]["HostIP"]  # the bridge's gateway with namespaces
    in_namespace = bool(client.allocation.get_allocation(tax["ID"]).get("NetworkStatus"))
    parent_id = f"_nomad-task-{tax['ID']}-group-web-da-tax-http"
    services = consul_services(devagent.consul)
    parent, sidecar = services[parent_id], services[parent_id + "-sidecar-proxy"]
    assert (parent["Service"], parent["Address"], parent["Port"]) == ("da-tax", host_ip, ports["http"])
    assert parent["Meta"]["external-source"] == "nomad"
    assert (sidecar["Kind"], sidecar["Service"], sidecar["Port"]) == (
        "connect-proxy", "da-tax-sidecar-proxy", ports["connect-proxy-da-tax"])
    assert sidecar["Proxy"]["DestinationServiceID"] == parent_id
    assert sidecar["Proxy"]["LocalServicePort"] == (8080 if in_namespace else ports["http"])  # `to` inside one
    assert sidecar["Proxy"]["Config"]["bind_port"] == ports["connect-proxy-da-tax"]
    checks = {c["Name"]: c for c in consul_checks(devagent.consul).values() if c["ServiceID"].startswith(parent_id)}
    assert set(checks) == {"da-tax-health", f"Connect Sidecar Aliasing {parent_id}", "Connect Sidecar Listening"}
    assert {c["Status"] for c in checks.values()} == {"passing"}

    order = client.job.get_allocations("da-order")[0]
    answer = wait_for(lambda: _call(alloc_app_url(client, order) + "/call"), what="call through the upstream")
    assert answer["upstream"]["name"] == "da-tax"

    pids = ledger_pids(devagent.data_dir)
    assert len(pids) == 4  # two apps, two built-in proxies
    for job_id in ("da-tax", "da-order"):
        client.job.deregister_job(job_id)
    wait_for(lambda: not _ours(devagent), what="services deregistered")
    wait_for(lambda: not any(pid_alive(p) for p in pids), what="processes gone")
    wait_for(lambda: client.job.get_job("da-tax")["Status"] == "dead", what="job dead")
    assert client.job.get_job("da-tax")["Stop"] is True


def _call(url):
    try:
        response = requests.get(url, timeout=5)
        return response.json() if response.ok else None
    except requests.RequestException:
        return None


def test_sigterm_stops_every_allocation(devagent_factory):
    handle = devagent_factory()
    client = handle.nomad()
    client.jobs.register_job({"Job": service_job("da-term", update=False)})
    _running_alloc(client, "da-term")
    wait_for(lambda: len(_ours(handle)) == 2, what="service and sidecar registered")
    pids = wait_for(lambda: len(ledger_pids(handle.data_dir)) == 2 and ledger_pids(handle.data_dir), what="app and proxy")
    assert handle.stop() == 0
    assert not any(pid_alive(p) for p in pids)
    assert _ours(handle) == {}
    assert "devagent: stopped" in handle.log()


def test_restart_reaps_what_a_killed_agent_left(devagent_factory):
    first = devagent_factory()
    client = first.nomad()
    client.jobs.register_job({"Job": service_job("da-orphan", update=False)})
    alloc = _running_alloc(client, "da-orphan")
    wait_for(lambda: len(_ours(first)) == 2, what="registered")
    pids = wait_for(lambda: len(ledger_pids(first.data_dir)) == 2 and ledger_pids(first.data_dir), what="app and proxy")
    # The proxy must be past its start: one that is still reading its config through the agent's
    # Consul socket (bridge mode) exits when the agent dies, as it would with Nomad's.
    wait_for(lambda: all(c["Status"] == "passing" for c in consul_checks(first.consul).values()
                         if alloc["ID"] in c["ServiceID"]), what="the sidecar listening")
    os.kill(first.process.pid, signal.SIGKILL)  # the agent dies; its tasks (own sessions) survive
    first.process.wait()
    first.stopped = True
    assert all(pid_alive(p) for p in pids)

    second = devagent_factory(data_dir=first.data_dir)
    assert not any(pid_alive(p) for p in pids)
    assert _ours(second) == {}
    assert "cleanup of a previous run" in second.log()


@pytest.mark.envoy
def test_envoy_sidecars_carry_an_upstream_call(devagent_factory, clean_intentions):
    handle = devagent_factory(sidecar="envoy")
    allow_intention(handle.consul, "da-eorder", "da-etax")
    client = handle.nomad()
    client.jobs.register_job({"Job": service_job("da-etax")})
    client.jobs.register_job({"Job": service_job("da-eorder", upstream="da-etax")})
    for job_id in ("da-etax", "da-eorder"):
        assert wait_for(deployment_done(client, job_id), what=f"{job_id} deployment")["Status"] == "successful"
    order = client.job.get_allocations("da-eorder")[0]
    answer = wait_for(lambda: _call(alloc_app_url(client, order) + "/call"), what="call through Envoy")
    assert answer["upstream"]["name"] == "da-etax"
    pids = ledger_pids(handle.data_dir)
    assert handle.stop() == 0
    assert not any(pid_alive(p) for p in pids)
    assert _ours(handle) == {}


def test_dev_consul_is_started_and_stopped_with_the_agent(devagent_factory):
    unused = ConsulDevAgent()  # never started: only an address where no Consul answers
    handle = devagent_factory(consul=unused, extra_args=("-dev-consul",))
    assert "started a Consul dev agent" in handle.log()
    records = [r for r in json.loads((handle.data_dir / "processes.json").read_text())
               if r["label"] == "consul dev agent"]
    assert len(records) == 1 and pid_alive(records[0]["pid"])
    assert handle.stop() == 0
    assert not pid_alive(records[0]["pid"])


def test_stop_deregisters_first_then_waits_shutdown_delay_then_kills(devagent):
    client = devagent.nomad()
    job = service_job("da-delay", update=False)
    job["TaskGroups"][0]["Tasks"][0]["ShutdownDelay"] = 2 * SECOND
    client.jobs.register_job({"Job": job})
    alloc = _running_alloc(client, "da-delay")
    wait_for(lambda: len(_ours(devagent)) == 2, what="registered")
    app = alloc_app_url(client, alloc)
    wait_for(lambda: _call(app + "/"), what="app answering")
    client.job.deregister_job("da-delay")
    wait_for(lambda: not _ours(devagent), what="deregistered from Consul")
    assert _call(app + "/")["name"] == "da-delay"  # still serving during the shutdown delay
    done = wait_for(lambda: client.allocation.get_allocation(alloc["ID"])["TaskStates"]["app"]["State"] == "dead"
                    and client.allocation.get_allocation(alloc["ID"]), what="task dead")
    types = [e["Type"] for e in done["TaskStates"]["app"]["Events"]]
    assert types[-3:] == ["Waiting for shutdown delay", "Killing", "Killed"]
    assert _call(app + "/") is None


def _sidecar_pid(data_dir, service: str) -> int | None:
    records = json.loads((data_dir / "processes.json").read_text())
    pids = [r["pid"] for r in records if r["label"] == f"task connect-proxy-{service}" and pid_alive(r["pid"])]
    return pids[0] if pids else None


@pytest.mark.envoy
def test_a_crashed_envoy_is_restarted_under_the_restart_policy(devagent_factory, clean_intentions):
    handle = devagent_factory(sidecar="envoy")
    allow_intention(handle.consul, "da-corder", "da-ctax")
    client = handle.nomad()
    restart = {"Attempts": 2, "Interval": 60 * SECOND, "Delay": SECOND // 4, "Mode": "fail"}
    client.jobs.register_job({"Job": service_job("da-ctax", restart=restart)})
    client.jobs.register_job({"Job": service_job("da-corder", upstream="da-ctax")})
    for job_id in ("da-ctax", "da-corder"):
        assert wait_for(deployment_done(client, job_id), what=f"{job_id} deployment")["Status"] == "successful"
    order = client.job.get_allocations("da-corder")[0]
    wait_for(lambda: _call(alloc_app_url(client, order) + "/call"), what="call through Envoy")

    crashed = _sidecar_pid(handle.data_dir, "da-ctax")
    os.killpg(crashed, signal.SIGKILL)
    restarted = wait_for(lambda: (pid := _sidecar_pid(handle.data_dir, "da-ctax")) not in (None, crashed) and pid,
                         what="a new Envoy for da-ctax")
    assert restarted != crashed
    tax = client.job.get_allocations("da-ctax")[0]
    state = client.allocation.get_allocation(tax["ID"])["TaskStates"]["connect-proxy-da-ctax"]
    assert state["Restarts"] >= 1 and state["State"] == "running"
    answer = wait_for(lambda: _call(alloc_app_url(client, order) + "/call"), what="call through the restarted Envoy")
    assert answer["upstream"]["name"] == "da-ctax"
