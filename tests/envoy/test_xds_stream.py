"""Envoy against devagent's xDS server: NACKs make the sidecar unhealthy, pushes reach only who is affected."""

import pytest
import requests

from devagent.sidecars.envoy.config_health import config_check_id
from devagent.xds import types as xds
from tests.envoy.harness import wait_for

pytestmark = [pytest.mark.envoy, pytest.mark.consul]


def config_check(node) -> dict | None:
    checks = node.consul.get("/v1/agent/checks")
    return checks.get(config_check_id(node.sidecar_id))


def test_a_sidecar_whose_envoy_accepts_everything_has_no_extra_check(web_api):
    web, api = web_api
    for node in (web, api):
        wait_for(lambda n=node: {xds.LISTENER, xds.CLUSTER, xds.SECRET, xds.EXTENSION_CONFIG}
                 <= set(n.sidecar.proxy.status.accepted), 5, f"{node.name}'s Envoy ACKing every type")
        assert node.sidecar.proxy.status.healthy and config_check(node) is None and node.events == []


def bad_rbac(name: str):
    return xds.to_any({"@type": xds.EXTENSION_CONFIG, "name": name, "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
        "rules": {"action": "DENY", "policies": {"p": {"permissions": [{"any": True}], "principals": [
            {"authenticated": {"principal_name": {"safe_regex": {"regex": "(unclosed"}}}}]}}}}})


def test_a_rejected_resource_fails_a_check_records_an_event_and_a_fix_recovers(web_api):
    web, api = web_api
    proxy = api.sidecar.proxy
    port = web.sidecar.spec.upstreams[0].local_bind_port
    # the declared web -> api allow has reached api's Envoy: `good` below is the configuration that lets web in
    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200, 15, "200 first")
    wait_for(lambda: proxy.status.healthy, 5, "api's Envoy ACKing first")
    good = proxy.snapshot(xds.EXTENSION_CONFIG)[1]
    (name,) = good
    proxy.set_resources(xds.EXTENSION_CONFIG, {name: bad_rbac(name)})
    # Consul takes a check's output only in an update after its registration: wait for both
    check = wait_for(lambda: (c := config_check(api)) and c["Status"] == "critical" and c["Output"] and c, 5,
                     "a critical check with an output after the NACK")
    assert check["ServiceID"] == api.sidecar_id
    assert check["Output"].startswith("ECDS: ") and "(unclosed" in check["Output"]  # Envoy's own error
    wait_for(lambda: any(e.startswith("Envoy rejected configuration: ECDS: ") for e in api.events), 5,
             "a task event with Envoy's error")
    # Envoy kept the config it had, and callers keep the sidecar in their endpoints: calls still go through
    assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    proxy.set_resources(xds.EXTENSION_CONFIG, good)
    wait_for(lambda: config_check(api) is None, 5, "the check gone once Envoy accepts a good version")
    wait_for(lambda: api.events[-1] == "Envoy accepted its configuration again", 5, "recovery event")


def test_an_intention_reaches_only_the_destination_and_health_only_the_callers(web_api, mesh_factory):
    web, api = web_api
    port = web.sidecar.spec.upstreams[0].local_bind_port
    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200, 15, "200 first")
    before = {node.name: dict(node.sidecar.proxy.pushes) for node in (web, api)}
    api.consul.update_intention(mesh_factory.declared[(web.name, api.name)], web.name, api.name, "deny")
    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 403, 5, "403")
    after_intention = {node.name: dict(node.sidecar.proxy.pushes) for node in (web, api)}
    assert after_intention[web.name] == before[web.name]
    assert after_intention[api.name] == {**before[api.name],
                                         xds.EXTENSION_CONFIG: before[api.name][xds.EXTENSION_CONFIG] + 1}

    api.consul.put(f"/v1/agent/check/fail/{api.check_id}")
    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 503, 5, "503")
    after_health = {node.name: dict(node.sidecar.proxy.pushes) for node in (web, api)}
    assert after_health[api.name] == after_intention[api.name]
    assert after_health[web.name] == {**before[web.name], xds.ENDPOINTS: before[web.name][xds.ENDPOINTS] + 1}
    api.consul.put(f"/v1/agent/check/pass/{api.check_id}")


def test_a_failing_check_lost_with_a_re_registered_service_is_put_back(web_api):
    web, api = web_api
    proxy = api.sidecar.proxy
    port = web.sidecar.spec.upstreams[0].local_bind_port
    # the declared web -> api allow has reached api's Envoy first: a later push of it would replace `bad_rbac`
    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200, 15, "200 first")
    wait_for(lambda: proxy.status.healthy, 5, "api's Envoy ACKing first")
    (name,) = proxy.snapshot(xds.EXTENSION_CONFIG)[1]
    proxy.set_resources(xds.EXTENSION_CONFIG, {name: bad_rbac(name)})
    wait_for(lambda: config_check(api), 5, "the critical check")
    check_id = config_check_id(api.sidecar_id)
    api.consul.put(f"/v1/agent/check/deregister/{check_id}")  # what deregistering the service does to it
    api.sidecar._reporter.fail(check_id, api.sidecar_id, "still rejected")  # as the periodic refresh does
    # Consul takes a TTL check's output only in an update after its registration: wait for both
    check = wait_for(lambda: (c := config_check(api)) and c["Output"] and c, 5, "the check registered and updated")
    assert check["Status"] == "critical" and check["Output"] == "still rejected"
