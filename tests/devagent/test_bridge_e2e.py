"""The real templates in bridge mode: from the host only order's published port and the sidecars answer."""

from __future__ import annotations

import pytest
import yaml

from tests.devagent.bridge_jobs import namespaces_unavailable, network_objects, node_names, tcp_answers
from tests.e2e.mesh import Deployer, order_response, sidecar_addresses
from tests.fixtures.consul import deployer_token
from tests.mesh_values import values_on_free_ports

UNAVAILABLE = namespaces_unavailable()
pytestmark = [pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul,
              pytest.mark.skipif(UNAVAILABLE is not None, reason=f"no network namespaces here: {UNAVAILABLE}")]


@pytest.mark.parametrize("sidecar", ["builtin", "envoy"])
def test_the_mesh_is_reachable_only_through_order_and_the_sidecars(sidecar, tmp_path, consul_factory,
                                                                  devagent_factory, capsys):
    consul = consul_factory()
    agent = devagent_factory(sidecar=sidecar, consul=consul)
    values, order_port = values_on_free_ports(tmp_path)
    deployer = Deployer(agent.address, consul.http_addr, values, capsys, consul_token=deployer_token(consul))
    applied = deployer("apply")
    assert applied.code == 0, applied.out + applied.err

    assert order_response(order_port).status_code == 200  # the whole chain, through the published port
    services = yaml.safe_load(values.read_text())["services"]
    for name in ("invoice", "tax"):  # no group port: their apps and order's upstream listeners stay inside
        assert not tcp_answers("127.0.0.1", services[name]["port"]), f"{name}'s app port answered on the host"
    for upstream in services["order"]["upstreams"] + services["invoice"]["upstreams"]:
        assert not tcp_answers("127.0.0.1", upstream["local_bind_port"]), f"upstream listener {upstream}"
    sidecars = sidecar_addresses(consul.url, ["order", "invoice", "tax"], consul.admin_headers)
    for name, (host, port) in sidecars.items():
        assert tcp_answers(host, port), f"{name}'s sidecar public port did not answer at {host}:{port}"
    assert deployer("verify").code == 0

    names = node_names(agent.data_dir)
    assert len([o for o in network_objects(names) if o.startswith(names.namespace_prefix)]) == 3
    assert deployer("destroy").code == 0
    assert agent.stop() == 0
    assert network_objects(names) == []
