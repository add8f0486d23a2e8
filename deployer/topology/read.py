"""Read the topology from Nomad (jobs, allocations) and Consul (health, intentions)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from deployer.health import mesh_health
from deployer.intentions.backend import intentions_backend
from deployer.intentions.model import Intention, applying_intention
from deployer.nomad_jobs import is_managed, list_jobs, read_job
from deployer.topology.model import EdgeLink, ServiceNode, Topology

PARALLEL_READS = 8  # the page re-reads everything twice a second: read jobs and services side by side


def read_topology(clients, values) -> Topology:
    """Nodes for the values' services and every other job we manage; edges from the jobs' upstreams."""
    with ThreadPoolExecutor(PARALLEL_READS) as pool:
        read = [job for job in pool.map(lambda stub: read_job(clients, stub["ID"]), list_jobs(clients)) if job]
        jobs = {job["ID"]: job for job in read}
        ours = {name for name, job in jobs.items() if is_managed(job)}
        names = list(values.services) + sorted(ours - set(values.services))
        upstreams = {name: job_upstreams(jobs[name]) if name in jobs else
                     [u.name for u in values.services[name].upstreams] for name in names}
        names += sorted({d for ups in upstreams.values() for d in ups} - set(names))
        nodes = list(pool.map(lambda name: read_node(clients, name, jobs.get(name), values.services.get(name)),
                              names))
    backend = intentions_backend(clients)
    intentions = backend.list()
    edges = [EdgeLink(source, destination, "allow" if backend.check(source, destination) else "deny",
                      _as_json(applying_intention(intentions, source, destination)))
             for source in upstreams for destination in upstreams[source]]
    return Topology(nodes, edges)


def read_node(clients, name: str, job: dict | None, declared) -> ServiceNode:
    """One service's node: version and instances from Nomad, health from Consul."""
    health = mesh_health(clients, name)
    if job is None:
        return ServiceNode(name, False, None, 0, 0, health["service"], health["sidecar"],
                           edge=bool(declared and declared.static_port is not None))
    allocs = clients.nomad_call(f"list allocations of {name}", clients.nomad.job.get_allocations, name) or []
    running = sum(1 for a in allocs if a.get("ClientStatus") == "running")
    desired = sum(int(group.get("Count") or 0) for group in job.get("TaskGroups") or [])
    return ServiceNode(name, True, job.get("Version"), running, desired, health["service"], health["sidecar"],
                       edge=publishes_static_port(job))


def job_upstreams(job: dict) -> list[str]:
    """Destination names of every Connect upstream in the job, in order, without repeats."""
    found: list[str] = []
    for group in job.get("TaskGroups") or []:
        for service in group.get("Services") or []:
            sidecar = ((service.get("Connect") or {}).get("SidecarService") or {})
            for upstream in (sidecar.get("Proxy") or {}).get("Upstreams") or []:
                name = upstream.get("DestinationName")
                if name and name not in found:
                    found.append(name)
    return found


def publishes_static_port(job: dict) -> bool:
    """Whether a group reserves a static host port: the mark of the mesh's edge service."""
    return any(network.get("ReservedPorts")
               for group in job.get("TaskGroups") or [] for network in group.get("Networks") or [])


def _as_json(intention: Intention | None) -> dict | None:
    """The intention's plain data (Intention.as_json); None when no intention applies."""
    return intention.as_json() if intention is not None else None
