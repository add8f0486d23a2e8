"""Job builders and condition waits shared by the devagent tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import requests

from tests.waiting import wait_for  # noqa: F401 - re-exported for the tests here

SECOND = 1_000_000_000
APP = str(Path(__file__).with_name("app.py"))


def app_task(name: str, *app_args: str, driver: str = "raw_exec") -> dict:
    """A task running tests/devagent/app.py."""
    return {"Name": "app", "Driver": driver, "KillTimeout": 2 * SECOND,
            "Config": {"command": sys.executable, "args": [APP, name, *app_args]},
            "Env": {"APP_GREETING": "hello from ${NOMAD_JOB_NAME}/${NOMAD_ALLOC_INDEX}"}}


def service_job(name: str, *app_args: str, upstream: str | None = None, update: bool = True, count: int = 1,
                connect: bool = True, driver: str = "raw_exec", healthy_deadline: int = 20 * SECOND,
                restart: dict | None = None) -> dict:
    """A complete Nomad job JSON: one group, one app task, one service with an HTTP check.

    update=False leaves the update block out: canonicalization then gives a service job
    Nomad's default update strategy (min_healthy_time 10s), as Nomad does.
    """
    service = {"Name": name, "PortLabel": "http",
               "Checks": [{"Name": f"{name}-health", "Type": "http", "Path": "/health",
                           "Interval": SECOND, "Timeout": SECOND}]}
    if connect:
        # Consul's default local service port is the registered (host) port, not `to` (nomad#9824).
        proxy = {"LocalServicePort": 8080}
        if upstream:
            proxy["Upstreams"] = [{"DestinationName": upstream, "LocalBindPort": _upstream_port(name)}]
        service["Connect"] = {"SidecarService": {"Proxy": proxy}, "SidecarTask": {"ShutdownDelay": 0}}
    task = app_task(name, *app_args, driver=driver)
    if upstream:
        task["Env"]["APP_UPSTREAM_ADDR"] = "${NOMAD_UPSTREAM_ADDR_%s}" % upstream.replace("-", "_")
    job = {
        "ID": name, "Name": name, "Type": "service", "Datacenters": ["dc1"], "Meta": {"owner": "tests"},
        "TaskGroups": [{
            "Name": "web", "Count": count,
            "Networks": [{"Mode": "bridge", "DynamicPorts": [{"Label": "http", "To": 8080}]}],
            "Services": [service],
            "RestartPolicy": restart or {"Attempts": 0, "Interval": 60 * SECOND, "Delay": SECOND // 4, "Mode": "fail"},
            "Tasks": [task],
        }],
    }
    if update:
        job["Update"] = {"MaxParallel": 1, "MinHealthyTime": SECOND // 2, "HealthyDeadline": healthy_deadline,
                         "ProgressDeadline": 60 * SECOND, "AutoRevert": True, "HealthCheck": "checks"}
    return job


def _upstream_port(name: str) -> int:
    from devagent.ports import free_port
    return free_port()


def deployment_done(client, job_id: str, version: int | None = None):
    """The job's latest deployment once it is terminal (optionally of a given version)."""
    def check():
        if version is None:
            deployments = [client.job.get_deployment(job_id)]
        else:
            deployments = [d for d in client.job.get_deployments(job_id) if d["JobVersion"] == version]
        return next((d for d in deployments if d and d["Status"] != "running"), None)
    return check


def consul_services(consul) -> dict:
    """The Consul agent's services (all of them: as its administrator under ACLs)."""
    return requests.get(f"{consul.url}/v1/agent/services", headers=consul.admin_headers, timeout=5).json()


def allow_intention(consul, source: str, destination: str) -> str:
    """Declare source -> destination allowed, as the deployer would (under ACLs Consul denies undeclared pairs)."""
    created = requests.post(f"{consul.url}/v1/connect/intentions", headers=consul.admin_headers, timeout=5, json={
        "SourceName": source, "DestinationName": destination, "SourceType": "consul", "Action": "allow"})
    created.raise_for_status()
    return created.json()["ID"]


def consul_checks(consul) -> dict:
    """The Consul agent's checks (all of them: as its administrator under ACLs)."""
    return requests.get(f"{consul.url}/v1/agent/checks", headers=consul.admin_headers, timeout=5).json()


def ledger_pids(data_dir: Path) -> list[int]:
    """PIDs devagent recorded as live process groups."""
    path = Path(data_dir) / "processes.json"
    return [r["pid"] for r in json.loads(path.read_text())] if path.exists() else []


def pid_alive(pid: int) -> bool:
    """Whether a process exists (and is not a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def alloc_app_url(client, alloc: dict) -> str:
    """URL of the app in an allocation (its http host port), read from the allocation as the list has no ports."""
    full = client.allocation.get_allocation(alloc["ID"])
    port = next(p["Value"] for p in full["AllocatedResources"]["Shared"]["Ports"] if p["Label"] == "http")
    return f"http://127.0.0.1:{port}"
