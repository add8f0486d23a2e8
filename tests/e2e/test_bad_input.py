"""Issue 17 end to end: bad values are refused before anything changes, a placement that does not fit is Nomad's
placement failure (exit 2) that leaves the running version serving, and the mesh applies and verifies afterwards.
"""


import pytest
import requests
import yaml

from tests.devagent.helpers import ledger_pids
from tests.e2e.mesh import Deployer, order_response
from tests.fixtures.consul import deployer_token
from tests.mesh_values import values_on_free_ports

pytestmark = [pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul]

NODE_MEMORY_MB = 8000  # devagent's memory_total_mb: the dev mesh fits, a 16 GB tax does not


def _with(path, tmp_path, name, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    broken = tmp_path / name
    broken.write_text(yaml.safe_dump(data, sort_keys=False))
    return broken


def _snapshot(agent, consul) -> dict:
    """Everything a half-applied change would show: jobs, allocations, processes, registrations, intentions."""
    jobs = {j["ID"]: (j["JobModifyIndex"], j["Stop"]) for j in requests.get(f"{agent.address}/v1/jobs", timeout=10).json()}
    allocs = sorted((a["ID"], a["DesiredStatus"], a["ClientStatus"])
                    for a in requests.get(f"{agent.address}/v1/allocations", timeout=10).json())
    admin = consul.admin_headers
    services = sorted(requests.get(f"{consul.url}/v1/agent/services", headers=admin, timeout=5).json())
    intentions = sorted((i["SourceName"], i["DestinationName"], i["Action"])
                        for i in requests.get(f"{consul.url}/v1/connect/intentions", headers=admin, timeout=5).json()
                        or [])
    return {"jobs": jobs, "allocs": allocs, "pids": sorted(ledger_pids(agent.data_dir)), "services": services,
            "intentions": intentions}


def _tax(data: dict) -> dict:
    return data["services"]["tax"]


BAD_VALUES = [
    ("count-1000", lambda d: _tax(d).update(count=1000), "services.tax.count: 1000 is more than the limit of 50"),
    ("memory-1tb", lambda d: _tax(d).update(resources={"cpu": 100, "memory": 1_000_000_000_000}),
     "services.tax.resources.memory: 1 x (1000000000000 MB + 128 MB for the sidecar)"),
    ("shutdown-delay", lambda d: d.update(shutdown_delay="10000h"), "shutdown_delay: 10000h is longer than the limit"),
    ("env-nul", lambda d: _tax(d).update(env={"GREETING": "a\0b"}), "services.tax.env.GREETING: contains a NUL"),
]


def test_bad_input_changes_nothing_and_the_mesh_still_applies_and_verifies(tmp_path, consul_factory,
                                                                             devagent_factory, capsys):
    consul = consul_factory()
    agent = devagent_factory(sidecar="builtin", consul=consul, extra_args=("-memory-total-mb", str(NODE_MEMORY_MB)))
    values, order_port = values_on_free_ports(tmp_path)
    token = deployer_token(consul)
    deployer = Deployer(agent.address, consul.http_addr, values, capsys, consul_token=token)
    applied = deployer("apply")
    assert applied.code == 0, applied.out + applied.err
    assert order_response(order_port).status_code == 200
    before = _snapshot(agent, consul)
    assert before["services"] and before["intentions"]  # read as Consul's administrator, not an empty anonymous view

    # 1. values that would wreck the mesh: one error line naming key and limit, nothing changed
    for name, change, message in BAD_VALUES:
        bad = Deployer(agent.address, consul.http_addr, _with(values, tmp_path, f"{name}.yaml", change), capsys,
                       consul_token=token)
        refused = bad("apply")
        lines = refused.err.strip().splitlines()
        assert refused.code == 1 and message in lines[0], (name, refused.err)
        assert len(lines) == 2 and lines[1].startswith("hint: "), (name, refused.err)
        assert _snapshot(agent, consul) == before, name

    # 2. within the schema, but more than the node offers: Nomad's placement failure, exit 2, the old tax serves on
    big = _with(values, tmp_path, "big.yaml", lambda d: _tax(d).update(resources={"cpu": 100, "memory": 16000}))
    unplaced = Deployer(agent.address, consul.http_addr, big, capsys, consul_token=token)("apply")
    assert unplaced.code == 2, unplaced.out + unplaced.err
    assert unplaced.err.startswith("error: group tax failed to place: memory exhausted (1 node; each allocation asks "
                                   "for 16128 MB, 1 not placed)"), unplaced.err
    assert order_response(order_port).status_code == 200
    after = _snapshot(agent, consul)
    assert [a for a in after["allocs"] if a not in before["allocs"]] == []  # nothing placed, nothing stopped
    assert after["pids"] == before["pids"] and after["services"] == before["services"]
    assert after["intentions"] == before["intentions"]

    # 3. the declared mesh applies again (tax back to its spec) and verifies
    reapplied = deployer("apply")
    assert reapplied.code == 0, reapplied.out + reapplied.err
    verified = deployer("verify")
    assert verified.code == 0, verified.out + verified.err
    assert order_response(order_port).status_code == 200
    assert _snapshot(agent, consul)["intentions"] == before["intentions"]
