"""Upstream listeners send a request that could not reach an instance to another healthy one."""

from devagent.sidecars.envoy.listeners import CONNECT_ATTEMPTS, listeners
from devagent.xds.types import to_any
from tests.envoy.test_render import TD, by_name, make_spec, only_filter


def upstream(tmp_path, protocol):
    rendered = by_name(listeners(make_spec(tmp_path, protocol=protocol), TD))
    return rendered["api:127.0.0.1:9191"]


def test_http_upstreams_retry_connect_failures_on_another_host(tmp_path):
    _, (hcm,) = only_filter(upstream(tmp_path, "http"))
    (route,) = hcm["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    policy = route["route"]["retry_policy"]
    assert policy["retry_on"] == "connect-failure,refused-stream"  # never after the request left: no repeated work
    assert policy["num_retries"] == CONNECT_ATTEMPTS - 1
    assert policy["retry_host_predicate"][0]["name"] == "envoy.retry_host_predicates.previous_hosts"


def test_tcp_upstreams_try_another_host_when_connecting_fails(tmp_path):
    _, (proxy,) = only_filter(upstream(tmp_path, "tcp"))
    assert proxy["typed_config"]["max_connect_attempts"] == CONNECT_ATTEMPTS


def test_both_are_valid_envoy_protobufs(tmp_path):
    for protocol in ("http", "tcp"):
        to_any(upstream(tmp_path, protocol))  # raises on a field Envoy's protos do not have
