"""Consul with ACLs on and default deny (issue 15): what anonymous callers and each token may do,
and devagent as Nomad runs with ACLs: its own token, one service identity token per sidecar."""

import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from devagent.consul_dev import terminate_with_parent
from devagent.ports import free_port
from tests.devagent.helpers import alloc_app_url, deployment_done, service_job, wait_for

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def _as(token):
    return {"X-Consul-Token": token} if token else {}


def _tokens(consul):
    return requests.get(f"{consul.url}/v1/acl/tokens", headers=_as(consul.management_token), timeout=5).json()


def test_the_agent_token_is_not_written_into_the_working_directory(consul_acl_agent):
    # with enable_token_persistence a -dev agent (no data dir) writes acl-tokens.json where it runs
    assert requests.get(f"{consul_acl_agent.url}/v1/agent/self", headers=_as(consul_acl_agent.management_token),
                        timeout=5).json()["DebugConfig"]["ACLEnableTokenPersistence"] is False
    assert not (Path.cwd() / "acl-tokens.json").exists()


def test_anonymous_requests_are_refused(consul_acl_agent):
    url = consul_acl_agent.url
    refused = {
        "catalog register": requests.put(f"{url}/v1/catalog/register", timeout=5, json={
            "Node": "rogue", "Address": "127.0.0.1", "Service": {"Service": "tax", "Port": 1}}),
        "agent service register": requests.put(f"{url}/v1/agent/service/register", timeout=5,
                                               json={"Name": "tax", "Port": 1}),
        "intention write": requests.post(f"{url}/v1/connect/intentions", timeout=5, json={
            "SourceName": "order", "DestinationName": "tax", "Action": "allow"}),
        "leaf certificate": requests.get(f"{url}/v1/agent/connect/ca/leaf/tax", timeout=5),
    }
    for what, response in refused.items():
        assert response.status_code == 403, f"{what}: {response.status_code} {response.text}"
        assert response.text.startswith("Permission denied"), what
    assert "Missing service:write on tax" in refused["agent service register"].text


def test_anonymous_intention_list_shows_nothing(consul_acl_agent):
    url, admin = consul_acl_agent.url, _as(consul_acl_agent.management_token)
    created = requests.post(f"{url}/v1/connect/intentions", headers=admin, timeout=5, json={
        "SourceName": "acl-a", "DestinationName": "acl-b", "Action": "allow"})
    assert created.ok, created.text
    try:
        assert [i["ID"] for i in requests.get(f"{url}/v1/connect/intentions", headers=admin, timeout=5).json()] \
            == [created.json()["ID"]]
        assert requests.get(f"{url}/v1/connect/intentions", timeout=5).json() == []
        # and with no intention for a pair, Consul's answer is the ACL default: deny
        check = requests.get(f"{url}/v1/connect/intentions/check", headers=admin, timeout=5,
                             params={"source": "acl-c", "destination": "acl-d"}).json()
        assert check == {"Allowed": False}
    finally:
        requests.delete(f"{url}/v1/connect/intentions/{created.json()['ID']}", headers=admin, timeout=5)


def test_a_service_identity_token_gets_only_its_own_leaf(consul_acl_agent):
    url = consul_acl_agent.url
    alpha = consul_acl_agent.token(service_identities=["acl-alpha"])
    own = requests.get(f"{url}/v1/agent/connect/ca/leaf/acl-alpha", headers=_as(alpha), timeout=10)
    assert own.status_code == 200, own.text
    assert own.json()["Service"] == "acl-alpha" and "BEGIN CERTIFICATE" in own.json()["CertPEM"]
    other = requests.get(f"{url}/v1/agent/connect/ca/leaf/acl-beta", headers=_as(alpha), timeout=10)
    assert other.status_code == 403, other.text
    register_other = requests.put(f"{url}/v1/agent/service/register", headers=_as(alpha), timeout=5,
                                  json={"Name": "acl-beta", "Port": 1})
    assert register_other.status_code == 403 and "Missing service:write on acl-beta" in register_other.text


def test_deployer_token_writes_our_intentions_only(consul_acl_agent):
    url, token = consul_acl_agent.url, consul_acl_agent.token(policies=["deployer"])
    ours = requests.post(f"{url}/v1/connect/intentions", headers=_as(token), timeout=5, json={
        "SourceName": "order", "DestinationName": "invoice", "Action": "allow"})
    assert ours.ok, ours.text
    try:
        foreign = requests.post(f"{url}/v1/connect/intentions", headers=_as(token), timeout=5, json={
            "SourceName": "order", "DestinationName": "billing", "Action": "allow"})
        assert foreign.status_code == 403
        wildcard = requests.post(f"{url}/v1/connect/intentions", headers=_as(token), timeout=5, json={
            "SourceName": "*", "DestinationName": "*", "Action": "deny"})
        assert wildcard.status_code == 403
        assert requests.get(f"{url}/v1/acl/tokens", headers=_as(token), timeout=5).status_code == 403
        assert requests.put(f"{url}/v1/agent/service/register", headers=_as(token), timeout=5,
                            json={"Name": "billing", "Port": 1}).status_code == 403
        assert requests.get(f"{url}/v1/catalog/services", headers=_as(token), timeout=5).ok
    finally:
        requests.delete(f"{url}/v1/connect/intentions/{ours.json()['ID']}", headers=_as(token), timeout=5)


def _call(url):
    try:
        response = requests.get(url, timeout=5)
        return response.json() if response.ok else None
    except requests.RequestException:
        return None


@pytest.mark.parametrize("sidecar", ["builtin", pytest.param("envoy", marks=pytest.mark.envoy)])
def test_devagent_gives_each_sidecar_its_own_service_identity(consul_acl_agent, devagent_factory, sidecar):
    consul, admin = consul_acl_agent, _as(consul_acl_agent.management_token)
    handle = devagent_factory(sidecar=sidecar, consul=consul, extra_args=("-consul-token", consul.token(policies=["devagent"])))
    client = handle.nomad()
    allow = requests.post(f"{consul.url}/v1/connect/intentions", headers=admin, timeout=5, json={
        "SourceName": "acl-order", "DestinationName": "acl-tax", "Action": "allow"}).json()["ID"]
    try:
        client.jobs.register_job({"Job": service_job("acl-tax")})
        client.jobs.register_job({"Job": service_job("acl-order", upstream="acl-tax")})
        for job_id in ("acl-tax", "acl-order"):
            assert wait_for(deployment_done(client, job_id), what=f"{job_id} deployment")["Status"] == "successful"

        si = {t["Description"]: t for t in _tokens(consul) if t["Description"].startswith("_nomad_si")}
        node_id = (handle.data_dir / "node-id").read_text().strip()
        allocs = {job: client.job.get_allocations(job)[0] for job in ("acl-tax", "acl-order")}
        for job, alloc in allocs.items():
            description = f"_nomad_si [{node_id}] [{alloc['ID']}] [connect-proxy-{job}]"
            assert description in si, sorted(si)
            assert [s["ServiceName"] for s in si[description]["ServiceIdentities"]] == [job]
            assert si[description]["Local"] is True
            token_file = handle.data_dir / "alloc" / alloc["ID"] / f"connect-proxy-{job}" / "secrets" / "si_token"
            assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o440
        assert len(si) == 2

        answer = wait_for(lambda: _call(alloc_app_url(client, allocs["acl-order"]) + "/call"), what="call through the upstream")
        assert answer["upstream"]["name"] == "acl-tax"

        for job_id in ("acl-tax", "acl-order"):
            client.job.deregister_job(job_id)
        wait_for(lambda: not [t for t in _tokens(consul) if t["Description"].startswith("_nomad_si")],
                 what="service identity tokens deleted after the allocations stopped")
    finally:
        requests.delete(f"{consul.url}/v1/connect/intentions/{allow}", headers=admin, timeout=5)


def test_registration_refused_by_acls_is_a_task_event(consul_acl_agent, devagent_factory):
    consul = consul_acl_agent
    handle = devagent_factory(consul=consul, extra_args=("-consul-token", consul.token(policies=["deployer"])))
    client = handle.nomad()
    client.jobs.register_job({"Job": service_job("acl-refused", update=False)})
    alloc = wait_for(lambda: next((a for a in client.job.get_allocations("acl-refused")
                                   if a["ClientStatus"] == "failed"), None), what="failed allocation")
    messages = [e.get("DisplayMessage") or e.get("Message") or e.get("SetupError") or ""
                for state in alloc["TaskStates"].values() for e in state["Events"]]
    assert any("Permission denied: Missing service:write on acl-refused" in m for m in messages), messages
    client.job.deregister_job("acl-refused")


def test_dev_consul_acl_starts_a_default_deny_consul(tmp_path):
    log = tmp_path / "devagent.log"
    port, data_dir = free_port(), tmp_path / "data"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "devagent", "-http-port", str(port), "-consul-addr",
                                    f"127.0.0.1:{free_port()}", "-dev-consul-acl", "-data-dir", str(data_dir),
                                    "-sidecar", "builtin"], stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=terminate_with_parent)
    try:
        found = wait_for(lambda: re.search(r"listening on .* \(consul (\S+),", log.read_text()), what="devagent up")
        consul_url = f"http://{found.group(1)}"
        token_file = data_dir / "consul-management.token"
        assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
        assert token_file.read_text() not in log.read_text()
        assert requests.put(f"{consul_url}/v1/agent/service/register", json={"Name": "x", "Port": 1},
                            timeout=5).status_code == 403
        self_token = requests.get(f"{consul_url}/v1/acl/tokens", timeout=5,
                                  headers=_as(token_file.read_text())).json()
        assert any(t["Description"] == "devagent (-dev-consul-acl)" and [p["Name"] for p in t["Policies"]] == ["devagent"]
                   for t in self_token)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0, log.read_text()


def test_a_restart_deletes_the_service_identity_tokens_its_killed_run_left(consul_acl_agent, devagent_factory):
    consul = consul_acl_agent
    first = devagent_factory(consul=consul)  # the factory gives it a devagent-policy token
    client = first.nomad()
    client.jobs.register_job({"Job": service_job("acl-crash", update=False)})
    wait_for(lambda: any(t["Description"].endswith("[connect-proxy-acl-crash]") for t in _tokens(consul)),
             what="the sidecar's service identity token")
    other = consul.token(service_identities=["acl-crash"], description="_nomad_si [another-devagent] [a] [b]")
    os.killpg(first.process.pid, signal.SIGKILL)  # no clean shutdown: the token stays behind
    first.process.wait()
    first.stopped = True
    node_id = (first.data_dir / "node-id").read_text().strip()
    assert any(t["Description"].startswith(f"_nomad_si [{node_id}] ") for t in _tokens(consul))

    second = devagent_factory(consul=consul, data_dir=first.data_dir)
    assert not [t for t in _tokens(consul) if t["Description"].startswith(f"_nomad_si [{node_id}] ")]
    assert "deleted Consul token _nomad_si [" in second.log()
    assert other and any(t["Description"] == "_nomad_si [another-devagent] [a] [b]" for t in _tokens(consul))
    accessor = next(t["AccessorID"] for t in _tokens(consul) if t["Description"].startswith("_nomad_si [another"))
    requests.delete(f"{consul.url}/v1/acl/token/{accessor}", headers=_as(consul.management_token), timeout=5)
