"""protocol = tcp: intentions are checked per connection by the network RBAC filter."""

import http.client

import pytest

from tests.envoy.harness import KeepAliveClient, wait_for

pytestmark = [pytest.mark.envoy, pytest.mark.consul]


def new_connection_status(port: int):
    """Status of one GET on a new connection, or None when the connection is cut without an answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/")
        return conn.getresponse().status
    except (ConnectionError, http.client.HTTPException, OSError):
        return None
    finally:
        conn.close()


def test_tcp_deny_refuses_new_connections_but_cannot_cut_open_ones(consul_agent, mesh_factory):
    api = mesh_factory.node(consul_agent, "api", protocol="tcp")
    web = mesh_factory.node(consul_agent, "web", upstreams=["api"], protocol="tcp")
    port = web.sidecar.spec.upstreams[0].local_bind_port
    wait_for(lambda: new_connection_status(port) == 200, 15, "200 over tcp through both Envoys")
    established = KeepAliveClient(port)
    try:
        assert established.get_status() == 200
        declared = mesh_factory.declared[(web.name, api.name)]
        api.consul.update_intention(declared, web.name, api.name, "deny")
        wait_for(lambda: new_connection_status(port) is None, 5, "new connections refused after the deny")
        # the limitation of per-connection checks: the connection admitted before the deny carries on
        assert established.get_status() == 200
        api.consul.update_intention(declared, web.name, api.name, "allow")
        wait_for(lambda: new_connection_status(port) == 200, 5, "new connections accepted again")
    finally:
        established.close()
