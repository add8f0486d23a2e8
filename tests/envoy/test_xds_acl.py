"""devagent's ADS server asks each Envoy for its sidecar's Consul token, as Consul's xDS server does (issue 15)."""

import grpc
import pytest
from envoy.config.core.v3 import base_pb2
from envoy.service.discovery.v3 import ads_pb2_grpc, discovery_pb2

from devagent.sidecars.base import SidecarSpec
from devagent.sidecars.envoy.bootstrap import bootstrap
from devagent.xds import types as xds
from devagent.xds.server import XdsServer

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
