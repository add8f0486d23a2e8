"""The ADS state-of-the-world stream logic: subscriptions, ACK/NACK per type and version, pushes. No gRPC."""

from envoy.service.discovery.v3.discovery_pb2 import DiscoveryRequest
from google.rpc.status_pb2 import Status

from devagent.xds import types as xds
from devagent.xds.proxies import Proxy
from devagent.xds.stream import SotwStream, in_push_order


def listener(name: str, port: int):
    return xds.to_any({"@type": xds.LISTENER, "name": name,
                       "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}}})


def assignment(cluster: str):
    return xds.to_any({"@type": xds.ENDPOINTS, "cluster_name": cluster})


def request(type_url, names=(), nonce="", version="", error=None):
    req = DiscoveryRequest(type_url=type_url, resource_names=list(names), response_nonce=nonce, version_info=version)
    if error:
        req.error_detail.CopyFrom(Status(code=3, message=error))
    return req


def test_first_request_gets_everything_and_an_ack_gets_nothing_more():
    proxy = Proxy("web-1-sidecar-proxy")
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 1), "b": listener("b", 2)})
    stream = SotwStream(proxy)
    (response,) = stream.on_request(request(xds.LISTENER))
    assert response.version_info == "1" and len(response.resources) == 2
    assert stream.on_request(request(xds.LISTENER, nonce=response.nonce, version="1")) == []
    assert proxy.status.accepted == {xds.LISTENER: "1"} and proxy.status.healthy


def test_a_change_is_pushed_only_to_a_subscribed_type_and_only_when_content_differs():
    proxy = Proxy("p")
    stream = SotwStream(proxy)
    stream.on_request(request(xds.LISTENER))  # subscribed before devagent has anything: nothing to send yet
    assert proxy.set_resources(xds.LISTENER, {"a": listener("a", 1)}) is True
    (first,) = stream.on_update(xds.LISTENER)
    assert proxy.set_resources(xds.LISTENER, {"a": listener("a", 1)}) is False  # same content: no new version
    assert stream.on_update(xds.LISTENER) == []
    proxy.set_resources(xds.CLUSTER, {})
    assert stream.on_update(xds.CLUSTER) == []  # Envoy has not asked for clusters on this stream
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 2)})
    (second,) = stream.on_update(xds.LISTENER)
    assert (first.version_info, second.version_info) == ("1", "2") and first.nonce != second.nonce


def test_named_types_send_what_was_asked_and_answer_a_changed_name_list():
    proxy = Proxy("p")
    proxy.set_resources(xds.ENDPOINTS, {"c1": assignment("c1"), "c2": assignment("c2")})
    stream = SotwStream(proxy)
    (first,) = stream.on_request(request(xds.ENDPOINTS, ["c1"]))
    assert [r.value for r in first.resources] == [assignment("c1").value]
    (second,) = stream.on_request(request(xds.ENDPOINTS, ["c1", "c2"], nonce=first.nonce, version="1"))
    assert len(second.resources) == 2 and second.version_info == "1"


def test_a_nack_is_recorded_with_envoys_error_and_cleared_by_the_next_ack():
    proxy = Proxy("p")
    reports = []
    proxy.on_status = lambda status, what: reports.append((what, status.describe()))
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 1)})
    stream = SotwStream(proxy)
    (first,) = stream.on_request(request(xds.LISTENER))
    stream.on_request(request(xds.LISTENER, nonce=first.nonce, version="1"))
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 80)})
    (second,) = stream.on_update(xds.LISTENER)
    # Envoy keeps version 1 and says why it refused version 2; nothing is resent until something changes
    assert stream.on_request(request(xds.LISTENER, nonce=second.nonce, version="1", error="cannot bind")) == []
    assert not proxy.status.healthy and proxy.status.rejected == {xds.LISTENER: "cannot bind"}
    assert reports[-1] == ("rejected", "LDS: cannot bind")
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 3)})
    (third,) = stream.on_update(xds.LISTENER)
    stream.on_request(request(xds.LISTENER, nonce=third.nonce, version="3"))
    assert proxy.status.healthy and reports[-1][0] == "accepted"


def test_a_stale_nonce_is_neither_ack_nor_nack():
    proxy = Proxy("p")
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 1)})
    stream = SotwStream(proxy)
    (first,) = stream.on_request(request(xds.LISTENER))
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 2)})
    stream.on_update(xds.LISTENER)
    assert stream.on_request(request(xds.LISTENER, nonce=first.nonce, error="old news")) == []
    assert proxy.status.rejected == {} and proxy.status.accepted == {}


def test_a_nack_of_an_already_replaced_version_is_not_held_against_the_proxy():
    proxy = Proxy("p")
    proxy.set_resources(xds.LISTENER, {"a": listener("a", 1)})
    proxy.nacked(xds.LISTENER, 0, "refused something older")
    assert proxy.status.rejected == {}


def test_push_order_is_make_before_break():
    assert in_push_order({xds.LISTENER, xds.ENDPOINTS, xds.CLUSTER}) == [xds.CLUSTER, xds.ENDPOINTS, xds.LISTENER]
