"""The mesh of dev.yaml on its own Consul and devagent, deployed by the deployer, for the fault tests."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import yaml

from bench.request_load import LoadClient
from devagent.sidecars import SidecarUnavailable, sidecar_class
from tests.e2e.mesh import Deployer
from tests.fixtures.consul import deployer_token
from tests.mesh_values import values_on_free_ports
from tests.waiting import wait_for

# The client's rate: 4 workers, each a request every 80 ms (50 requests/s, 2.5 times one every 20 ms).
# Each request costs the chain about 13 ms (Envoy) to 20 ms (built-in) of CPU on this 2-core machine;
# at 50/s neither mesh is saturated (the median latency stays within about 1.5 times an idle one's).
LOAD_WORKERS = 4
LOAD_INTERVAL = 0.08


def load_client(mesh: "Mesh") -> LoadClient:
    """The load client of the fault tests on the mesh's edge."""
    return LoadClient(mesh.order_port, workers=LOAD_WORKERS, interval=LOAD_INTERVAL)


@dataclass
class Mesh:
    """One deployed mesh: its deployer, edge port, Consul and devagent."""

    deployer: Deployer
    values: Path
    order_port: int
    consul: object
    devagent: object

    def edit_values(self, change) -> None:
        """Apply change(data) to the values file."""
        data = yaml.safe_load(self.values.read_text())
        change(data)
        self.values.write_text(yaml.safe_dump(data, sort_keys=False))

    def nomad(self, path: str):
        """GET a Nomad API path on devagent."""
        response = requests.get(f"{self.devagent.address}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def live_allocs(self, job: str) -> dict[str, str]:
        """Name -> ID of the job's allocations that should run."""
        return {a["Name"]: a["ID"] for a in self.nomad(f"/v1/job/{job}/allocations") if a["DesiredStatus"] == "run"}

    def wait_settled(self, job: str, timeout: float = 30.0, linger: float = 1.0) -> None:
        """Until every stopped allocation of the job has really ended (drained, killed), then `linger` more."""
        wait_for(lambda: not [a for a in self.nomad(f"/v1/job/{job}/allocations")
                              if a["DesiredStatus"] != "run" and a["ClientStatus"] in ("running", "pending")],
                 timeout=timeout, what=f"stopped allocations of {job} to end")
        time.sleep(linger)  # requests in flight during the last kill still count

    def task_pid(self, task: str) -> int:
        """The pid of a task's process group (from devagent's process ledger)."""
        records = json.loads((Path(self.devagent.data_dir) / "processes.json").read_text())
        [record] = [r for r in records if r["label"] == f"task {task}"]
        return record["pgid"]

    def kill_task(self, task: str) -> None:
        """SIGKILL a task's process group, as `kill -9` would."""
        os.killpg(self.task_pid(task), signal.SIGKILL)


def _edge_and(data: dict, change) -> None:
    # In a network namespace the published port reaches the group's address, not its loopback
    # (prod.yaml says the same): the edge app must listen on every address.
    data["services"]["order"].setdefault("env", {})["SERVICE_HOST"] = "0.0.0.0"
    if change:
        change(data)


def sidecar_kinds() -> list:
    """builtin always; envoy when it can run here."""
    kinds = ["builtin"]
    try:
        sidecar_class("envoy")
        kinds.append("envoy")
    except SidecarUnavailable:
        kinds.append(pytest.param("envoy", marks=pytest.mark.skip(reason="the envoy sidecar cannot run here")))
    return kinds


@pytest.fixture(params=sidecar_kinds())
def mesh_factory(request, consul_factory, devagent_factory, tmp_path, capsys):
    """deploy(change=None, acl=None) -> Mesh: dev.yaml on free ports (change(data) edits it), applied; destroyed after.

    acl: Consul with ACLs or not (None: the fixtures' default); devagent and the deployer get their tokens.
    """
    meshes: list[Mesh] = []

    def deploy(change=None, acl=None) -> Mesh:
        consul = consul_factory() if acl is None else consul_factory(acl=acl)
        devagent = devagent_factory(sidecar=request.param, consul=consul)
        values, port = values_on_free_ports(tmp_path, change=lambda data: _edge_and(data, change))
        deployer = Deployer(devagent.address, consul.http_addr, values, capsys, consul_token=deployer_token(consul))
        applied = deployer("apply")
        assert applied.code == 0, applied.err + applied.out
        mesh = Mesh(deployer, values, port, consul, devagent)
        meshes.append(mesh)
        return mesh

    deploy.sidecar = request.param
    yield deploy
    for mesh in meshes:
        mesh.deployer("destroy", "--no-wait")
