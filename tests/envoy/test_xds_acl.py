"""devagent's ADS server asks each Envoy for its sidecar's Consul token, as Consul's xDS server does (issue 15)."""

import grpc
import pytest
import requests
from envoy.config.core.v3 import base_pb2
from envoy.service.discovery.v3 import ads_pb2_grpc, discovery_pb2

from devagent.sidecars.base import SidecarSpec
from devagent.sidecars.envoy.bootstrap import bootstrap
from devagent.sidecars.envoy.config_health import reporter_for
from devagent.xds import types as xds
from devagent.xds.server import XdsServer
from tests.waiting import wait_for

pytestmark = pytest.mark.envoy


@pytest.fixture
def server(tmp_path):
    running = XdsServer(tmp_path / "xds.sock").start()
    proxy = running.proxy("tax-sidecar")
    proxy.token = "the-si-token"
    proxy.set_resources(xds.CLUSTER, {"c": xds.to_any({"@type": xds.CLUSTER, "name": "c", "connect_timeout": "1s"})})
    yield running
    running.stop()


def first_answer(server, token: str | None):
    """Open an ADS stream as node tax-sidecar, ask for clusters; the first answer or the gRPC error."""
    with grpc.insecure_channel(f"unix:{server.socket_path}") as channel:
        stub = ads_pb2_grpc.AggregatedDiscoveryServiceStub(channel)
        request = discovery_pb2.DiscoveryRequest(node=base_pb2.Node(id="tax-sidecar"), type_url=xds.CLUSTER)
        metadata = [("x-consul-token", token)] if token is not None else []
        stream = stub.StreamAggregatedResources(iter([request]), metadata=metadata, timeout=5)
        try:
            return next(stream)
        except grpc.RpcError as exc:
            return exc


@pytest.mark.parametrize("token", [None, "", "another-services-token"])
def test_a_stream_without_the_proxys_token_is_refused(server, token):
    answer = first_answer(server, token)
    assert isinstance(answer, grpc.RpcError)
    assert answer.code() == grpc.StatusCode.PERMISSION_DENIED and answer.details() == "permission denied"


def test_the_proxys_own_token_gets_its_resources(server):
    answer = first_answer(server, "the-si-token")
    assert not isinstance(answer, grpc.RpcError), answer
    assert answer.type_url == xds.CLUSTER and len(answer.resources) == 1


def test_the_bootstrap_sends_the_sidecars_token_as_consuls_does(tmp_path):
    spec = SidecarSpec(alloc_id="a", job="j", group="g", service_name="tax", service_id="t", sidecar_service_id="t-sp",
                       public_port=1, local_app_port=2, upstreams=[], work_dir=tmp_path, consul_http_addr="x:1",
                       consul_token="the-si-token")
    (ads,) = bootstrap(spec, "/x.sock", "/a.sock")["dynamic_resources"]["ads_config"]["grpc_services"]
    assert ads["initial_metadata"] == [{"key": "x-consul-token", "value": "the-si-token"}]
    spec.consul_token = ""
    (ads,) = bootstrap(spec, "/x.sock", "/a.sock")["dynamic_resources"]["ads_config"]["grpc_services"]
    assert "initial_metadata" not in ads


def _checks(consul):
    return requests.get(f"{consul.url}/v1/agent/checks", timeout=5,
                        headers={"X-Consul-Token": consul.management_token}).json()


@pytest.mark.consul
def test_config_checks_are_written_with_each_sidecars_token_on_one_reporter(consul_acl_agent):
    consul = consul_acl_agent
    admin = {"X-Consul-Token": consul.management_token}
    for name in ("acl-nack-a", "acl-nack-b"):
        requests.put(f"{consul.url}/v1/agent/service/register", headers=admin, timeout=5, json={
            "ID": f"{name}-sidecar-proxy", "Name": f"{name}-sidecar-proxy", "Kind": "connect-proxy", "Port": 1,
            "Proxy": {"DestinationServiceName": name}}).raise_for_status()
    try:
        a = reporter_for(consul.http_addr, consul.token(service_identities=["acl-nack-a"]))
        b = reporter_for(consul.http_addr, consul.token(service_identities=["acl-nack-b"]))
        assert a.reporter is b.reporter  # one thread per Consul agent, whatever the tokens
        a.fail("acl-nack-a-sidecar-proxy:envoy-config", "acl-nack-a-sidecar-proxy", "LDS: bad")
        b.fail("acl-nack-b-sidecar-proxy:envoy-config", "acl-nack-b-sidecar-proxy", "CDS: bad")
        checks = wait_for(lambda: (c := _checks(consul)) and {"acl-nack-a-sidecar-proxy:envoy-config",
                                                              "acl-nack-b-sidecar-proxy:envoy-config"} <= set(c) and c,
                          10, "both checks registered, each with its own sidecar's token")
        assert checks["acl-nack-a-sidecar-proxy:envoy-config"]["Output"] == "LDS: bad"
        # a token may not put a check on another service's sidecar
        wrong = reporter_for(consul.http_addr, consul.token(service_identities=["acl-nack-a"]))
        wrong.fail("acl-nack-b-sidecar-proxy:other", "acl-nack-b-sidecar-proxy", "x")
        a.clear("acl-nack-a-sidecar-proxy:envoy-config")
        b.clear("acl-nack-b-sidecar-proxy:envoy-config")
        # the reporter runs its tasks in order: once a and b are gone, the refused one would be there if allowed
        wait_for(lambda: not any(k.startswith("acl-nack-") for k in _checks(consul)), 10,
                 "the checks removed, and none written with the wrong token")
        wrong.clear("acl-nack-b-sidecar-proxy:other")
    finally:
        for name in ("acl-nack-a", "acl-nack-b"):
            requests.put(f"{consul.url}/v1/agent/service/deregister/{name}-sidecar-proxy", headers=admin, timeout=5)
