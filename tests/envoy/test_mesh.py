"""Envoy sidecars against a real Consul: mTLS, intentions, health and CA rotation."""

import http.client
import json

import pytest
import requests

from tests.envoy.harness import wait_for

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
    trust_domain = web.sidecar.view.trust_domain
    assert f"URI=spiffe://{trust_domain}/ns/default/dc/dc1/svc/{web.name}" in body["xfcc"]
