"""Envoy sidecars against a real Consul: mTLS, intentions, health and CA rotation."""

import http.client
import os
import signal
import ssl
import time

import pytest
import requests

from devagent.sidecars.envoy.names import spiffe_id
from tests.envoy.certs import make_ca, make_leaf
from tests.envoy.harness import KeepAliveClient, client_context, https_get, wait_for

pytestmark = [pytest.mark.envoy, pytest.mark.consul]


def upstream_get(web, path="/"):
    """GET through web's upstream listener (plain HTTP, the app's view)."""
    port = web.sidecar.spec.upstreams[0].local_bind_port
    return requests.get(f"http://127.0.0.1:{port}{path}", timeout=5)


def test_request_reaches_destination_over_mtls(web_api):
    web, api = web_api
    response = wait_for(lambda: (r := upstream_get(web, "/hello")).status_code == 200 and r, 15,
                        "a 200 through web's upstream listener")
    body = response.json()
    assert body["service"] == api.name and body["path"] == "/hello"
    trust_domain = web.sidecar.trust_domain
    assert f"URI=spiffe://{trust_domain}/ns/default/dc/dc1/svc/{web.name}" in body["xfcc"]


def refused(port, context) -> bool:
    """True when the TLS handshake or the first request fails without any HTTP answer."""
    try:
        status = https_get(port, context)
    except (ssl.SSLError, ConnectionError, http.client.HTTPException, OSError):
        return True
    pytest.fail(f"expected the connection to be refused, got HTTP {status}")


def test_client_without_certificate_is_refused(web_api):
    web, api = web_api
    roots = "".join(root["RootCert"] for root in api.consul.roots()["Roots"])
    hits = api.app.hits
    assert refused(api.public_port, client_context("", "", roots))
    assert api.app.hits == hits


def test_certificate_from_another_ca_is_refused(web_api):
    web, api = web_api
    trust_domain = web.sidecar.trust_domain
    ca_cert, ca_key = make_ca("Not Consul", trust_domain)
    cert, key = make_leaf(ca_cert, ca_key, spiffe_id(trust_domain, "dc1", web.name))
    roots = "".join(root["RootCert"] for root in api.consul.roots()["Roots"])
    hits = api.app.hits
    assert refused(api.public_port, client_context(cert, key, roots))
    assert api.app.hits == hits


def test_valid_leaf_of_a_denied_service_gets_403(web_api, mesh_factory):
    web, api = web_api
    consul = api.consul
    roots = "".join(root["RootCert"] for root in consul.roots()["Roots"])
    allowed = consul.leaf(web.name)
    denied_name = f"evil-{mesh_factory.suffix}"
    denied = consul.leaf(denied_name)
    mesh_factory.intention(consul, denied_name, api.name, "deny")
    # the same direct client with an allowed identity gets through: the 403 is the intention's doing
    assert https_get(api.public_port, client_context(allowed["CertPEM"], allowed["PrivateKeyPEM"], roots)) == 200
    evil = client_context(denied["CertPEM"], denied["PrivateKeyPEM"], roots)
    wait_for(lambda: https_get(api.public_port, evil) == 403, 5, "403 for the denied service")


def time_until(condition, timeout: float, what: str) -> float:
    """Seconds until condition() holds, polling without pause (each poll is one request)."""
    start = time.monotonic()
    wait_for(condition, timeout, what, interval=0)
    return time.monotonic() - start


def test_intention_flip_applies_to_the_next_request_on_an_open_keepalive(web_api, mesh_factory):
    web, api = web_api
    declared = mesh_factory.declared[(web.name, api.name)]
    client = KeepAliveClient(web.sidecar.spec.upstreams[0].local_bind_port)
    try:
        wait_for(lambda: client.get_status() == 200, 15, "200 on the keep-alive connection")
        api.consul.update_intention(declared, web.name, api.name, "deny")
        deny_delay = time_until(lambda: client.get_status() == 403, 5, "403 after the deny")
        api.consul.update_intention(declared, web.name, api.name, "allow")
        allow_delay = time_until(lambda: client.get_status() == 200, 5, "200 after allowing again")
        # the intention changes went through ECDS only: no listener was modified (so nothing drained)
        assert api.stat("listener_manager.listener_modified") == 0
        assert api.stat("extension_config_discovery.http_filter.envoy.filters.http.rbac.config_reload") >= 3
        wildcard_id = mesh_factory.intention(api.consul, "*", api.name, "deny")
        api.consul.delete_intention(declared)  # the wildcard deny alone decides now
        time_until(lambda: client.get_status() == 403, 5, "403 from a wildcard deny")
        mesh_factory.intention(api.consul, web.name, api.name, "allow")  # exact allow beats the wildcard
        time_until(lambda: client.get_status() == 200, 5, "200 after an exact allow")
        api.consul.delete_intention(wildcard_id)
    finally:
        client.close()
    print(f"\nintention enforced on an open keep-alive connection: deny after {deny_delay * 1000:.0f} ms, "
          f"allow again after {allow_delay * 1000:.0f} ms")
    assert deny_delay < 5


def test_upstream_endpoints_follow_consul_health(web_api):
    web, api = web_api
    wait_for(lambda: upstream_get(web).status_code == 200, 15, "200 through the upstream")
    api.consul.put(f"/v1/agent/check/fail/{api.check_id}")
    wait_for(lambda: upstream_get(web).status_code == 503, 5, "503 once api's sidecar is critical")
    api.consul.put(f"/v1/agent/check/pass/{api.check_id}")
    wait_for(lambda: upstream_get(web).status_code == 200, 5, "200 once api's sidecar passes again")


def test_listener_names_ready_metrics_and_expose_path(web_api):
    web, api = web_api
    assert web.admin("/ready").strip() == "LIVE"
    listener_names = {line.split("::")[0] for line in web.admin("/listeners").splitlines()}
    upstream = web.sidecar.spec.upstreams[0]
    assert listener_names == {
        f"public_listener:127.0.0.1:{web.public_port}",
        f"{api.name}:127.0.0.1:{upstream.local_bind_port}",
        "envoy_prometheus_metrics_listener",
    }
    cluster = f"{api.name}.default.dc1.internal.{web.sidecar.trust_domain}"
    assert f"{cluster}::" in web.admin("/clusters")
    metrics_addr = web.sidecar.spec.proxy_config["envoy_prometheus_bind_addr"]
    metrics = requests.get(f"http://{metrics_addr}/metrics", timeout=5)
    assert metrics.status_code == 200 and "envoy_server_live" in metrics.text
    expose = api.sidecar.spec.expose_paths[0]
    health = requests.get(f"http://127.0.0.1:{expose.listener_port}/health", timeout=5)
    assert health.status_code == 200 and health.json()["path"] == "/health"
    assert requests.get(f"http://127.0.0.1:{expose.listener_port}/other", timeout=5).status_code == 404


def test_close_stops_the_watches_only_it_needed(web_api):
    """Sidecars with one token share one mesh of watches (all of them without ACLs); each token has its own."""
    web, api = web_api
    mesh = web.sidecar.config.mesh
    shared = mesh is api.sidecar.config.mesh
    assert shared == (web.sidecar_token == api.sidecar_token)
    own = [t for t in web.sidecar.config.topics if not (shared and t in api.sidecar.config.topics)]
    watches = [mesh._watches[("intentions-list",) if t[0] == "intentions" else t] for t in own if t[0] != "intentions"]
    assert own and all(w.thread.is_alive() for w in watches)
    start = time.monotonic()
    web.sidecar.close()
    elapsed = time.monotonic() - start
    assert elapsed < 1.0, f"close() took {elapsed:.2f}s"
    wait_for(lambda: not any(w.thread.is_alive() for w in watches), 2, "web's own watches stopped")
    assert api.sidecar.config.mesh._watches[("roots",)].thread.is_alive()  # api still needs the roots
    assert web.sidecar.server.registry.get(web.sidecar_id) is None  # the xDS server forgot the proxy


def test_crashed_envoy_restarts_from_the_same_files(web_api):
    web, api = web_api
    wait_for(lambda: upstream_get(web).status_code == 200, 15, "200 before the crash")
    os.killpg(api.process.pid, signal.SIGKILL)
    api.process.wait(5)
    api.run_envoy()  # what the alloc runner's restart policy does: command() again
    wait_for(lambda: upstream_get(web).status_code == 200, 10, "200 after api's Envoy restarted")


def test_an_upstream_consul_cannot_answer_for_does_not_hold_the_sidecar_back(consul_agent, envoy_bin, tmp_path):
    from devagent.ports import free_port
    from devagent.sidecars.base import UpstreamSpec
    from devagent.xds import types as xds
    from tests.envoy.harness import Consul, MeshNode, sidecar_token
    name = f"lonely-{os.getpid()}"
    node = MeshNode(name, Consul.of(consul_agent), consul_agent.http_addr, tmp_path / "lonely",
                    upstreams=[UpstreamSpec("far", free_port(), datacenter="dc-nowhere")],
                    sidecar_token=sidecar_token(consul_agent, name))
    try:
        node.start()  # no Consul answer for dc-nowhere's health: Envoy starts anyway, with no endpoints there
        (assignment,) = node.sidecar.proxy.snapshot(xds.ENDPOINTS)[1].values()
        assert b"far.default.dc-nowhere" in assignment.value
        port = node.sidecar.spec.upstreams[0].local_bind_port
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 503
    finally:
        node.stop()
