"""devagent's resource accounting: the host's capacity as Nomad fingerprints it, and placements that do not fit.

The scheduler tests run an Agent that is never started (no Consul, no processes): placements are
recorded, not run.
"""

from pathlib import Path

import pytest

from devagent import resources
from devagent.agent import Agent, AgentConfig
from devagent.resources import BinPack, Usage, cpu_total_compute, exhausted_dimension, group_usage
from devagent.sidecars import sidecar_class

S = 1_000_000_000


def task(name: str, cpu: int, memory: int, hook: str = "", sidecar: bool = False) -> dict:
    lifecycle = {"Hook": hook, "Sidecar": sidecar} if hook else None
    return {"Name": name, "Resources": {"CPU": cpu, "MemoryMB": memory}, "Lifecycle": lifecycle}


def group(*tasks, disk: int = 300, name: str = "web") -> dict:
    return {"Name": name, "Tasks": list(tasks), "EphemeralDisk": {"SizeMB": disk}}


# -- fingerprint -------------------------------------------------------------------


def _sysfs(tmp_path: Path, online: str, speeds: dict[int, tuple[int, int]]) -> Path:
    root = tmp_path / "cpu"
    root.mkdir()
    (root / "online").write_text(online + "\n")
    for core, (base, maximum) in speeds.items():
        freq = root / f"cpu{core}" / "cpufreq"
        freq.mkdir(parents=True)
        if base:
            (freq / "base_frequency").write_text(f"{base}\n")
        if maximum:
            (freq / "cpuinfo_max_freq").write_text(f"{maximum}\n")
    return root


def test_total_compute_adds_each_cores_base_frequency_else_its_maximum(tmp_path):
    sysfs = _sysfs(tmp_path, "0-2", {0: (2_100_000, 3_900_000), 1: (0, 3_000_000), 2: (2_100_000, 0)})
    assert cpu_total_compute(sysfs, tmp_path / "no-cpuinfo") == 2100 + 3000 + 2100


def test_total_compute_falls_back_to_cpuinfo_mhz_times_the_cores(tmp_path):
    sysfs = _sysfs(tmp_path, "0-1,3", {})
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\ncpu MHz\t\t: 2499.998\nprocessor\t: 1\ncpu MHz\t\t: 1800.000\n")
    assert cpu_total_compute(sysfs, cpuinfo) == 2499 * 3  # the first core's MHz, truncated, for every core


def test_the_node_view_shows_the_capacity_the_scheduler_uses(tmp_path):
    agent = _agent(tmp_path, cpu=1234, memory=2048)
    node = agent.scheduler.placement_node()
    assert node["Attributes"]["cpu.totalcompute"] == "1234"
    assert node["NodeResources"]["Cpu"]["CpuShares"] == 1234
    assert node["NodeResources"]["Memory"]["MemoryMB"] == 2048
    assert int(node["Attributes"]["memory.totalbytes"]) == 2048 * 1024 * 1024


def test_the_host_capacity_is_the_hosts_own(tmp_path):
    capacity = resources.host_capacity(tmp_path)
    assert capacity.cpu > 0 and capacity.memory > 0 and capacity.disk > 0
    assert capacity.memory == resources.memory_total_mb()


# -- what an allocation reserves ----------------------------------------------------


def test_main_tasks_and_prestart_sidecars_add_up():
    usage = group_usage(group(task("app", 100, 128), task("connect-proxy-web", 250, 128, "prestart", sidecar=True)))
    assert usage == Usage(cpu=350, memory=256, disk=300)


def test_an_ephemeral_prestart_task_counts_as_the_larger_of_it_and_the_main_tasks():
    usage = group_usage(group(task("app", 100, 500), task("init", 400, 64, "prestart")))
    assert usage == Usage(cpu=400, memory=500, disk=300)


def test_poststart_tasks_are_left_out_as_nomad_leaves_them_out():
    usage = group_usage(group(task("app", 100, 128), task("after", 900, 900, "poststart")))
    assert usage == Usage(cpu=100, memory=128, disk=300)


@pytest.mark.parametrize("capacity, expected", [
    (Usage(cpu=99, memory=10, disk=10), "cpu"),  # cpu is checked first, as ComparableResources.Superset does
    (Usage(cpu=1000, memory=127, disk=1000), "memory"),
    (Usage(cpu=1000, memory=1000, disk=299), "disk"),
    (Usage(cpu=100, memory=128, disk=300), None),  # exactly full still fits
])
def test_the_first_exhausted_dimension_in_nomads_order(capacity, expected):
    assert exhausted_dimension(capacity, Usage(), group(task("app", 100, 128))) == expected


def test_bin_pack_places_until_full_then_coalesces_the_rest_into_one_metric():
    web = group(task("app", 100, 256), task("proxy", 50, 128, "prestart", sidecar=True))
    binpack = BinPack(Usage(cpu=10_000, memory=1000, disk=10_000), Usage(cpu=0, memory=100, disk=0))
    results = [binpack.place(web, lambda: {"NodesEvaluated": 1}) for _ in range(5)]
    assert results[:2] == [None, None]  # 100 + 2 * 384 = 868 MB fits, a third does not
    metric = results[2]
    assert results[3] is metric and results[4] is metric
    assert metric["NodesEvaluated"] == 1 and metric["NodesExhausted"] == 1
    assert metric["DimensionExhausted"] == {"memory": 1}
    assert metric["CoalescedFailures"] == 2
    assert "ClassExhausted" not in metric  # a node without a class is not counted per class
    assert metric["ResourcesExhausted"]["app"]["MemoryMB"] == 3 * 256  # ExhaustResources once per failed placement
    assert metric["ResourcesExhausted"]["proxy"]["MemoryMB"] == 3 * 128
    assert metric["ResourcesExhausted"]["app"]["CPU"] == 0  # only the exhausted dimensions are counted


def test_a_node_class_is_counted_in_class_exhausted():
    binpack = BinPack(Usage(cpu=10, memory=10, disk=10), Usage(), node_class="large")
    metric = binpack.place(group(task("app", 100, 128)), dict)
    assert metric["ClassExhausted"] == {"large": 1} and metric["DimensionExhausted"] == {"cpu": 1}


# -- the scheduler -------------------------------------------------------------------


def _agent(tmp_path: Path, cpu: int = 0, memory: int = 0) -> Agent:
    config = AgentConfig(bind="127.0.0.1", http_port=0, consul_addr="127.0.0.1:1", data_dir=tmp_path / "data",
                         sidecar_class=sidecar_class("builtin"), node_name="node", network_namespaces=False,
                         cpu_total_compute=cpu, memory_total_mb=memory)
    agent = Agent(config)
    agent.started = []
    agent.scheduler.start_alloc = agent.started.append  # record placements instead of running them
    return agent


def batch_job(job_id: str, count: int = 1, cpu: int = 100, memory: int = 128) -> dict:
    """A plain raw_exec job (no Connect, so no Consul-dependent constraints)."""
    return {"ID": job_id, "Name": job_id, "Type": "service", "Datacenters": ["dc1"],
            "TaskGroups": [{"Name": "web", "Count": count, "EphemeralDisk": {"SizeMB": 150},
                            "Tasks": [{"Name": "app", "Driver": "raw_exec", "Config": {"command": "true"},
                                       "Resources": {"CPU": cpu, "MemoryMB": memory}}]}]}


def _eval(agent: Agent, reply: dict) -> dict:
    return agent.store.evals[reply["EvalID"]]


def test_memory_that_does_not_fit_fails_placement_with_nomads_metric(tmp_path):
    agent = _agent(tmp_path, cpu=4000, memory=1000)
    reply = agent.scheduler.register(batch_job("huge", memory=1_000_000_000_000))
    evaluation = _eval(agent, reply)
    metric = evaluation["FailedTGAllocs"]["web"]
    assert metric["NodesEvaluated"] == 1 and metric["NodesFiltered"] == 0 and metric["NodesExhausted"] == 1
    assert metric["DimensionExhausted"] == {"memory": 1}
    assert metric["ResourcesExhausted"]["app"]["MemoryMB"] == 1_000_000_000_000
    assert metric["CoalescedFailures"] == 0
    assert evaluation["Status"] == "complete" and evaluation["QueuedAllocations"] == {"web": 1}
    blocked = agent.store.evals[evaluation["BlockedEval"]]
    assert blocked["Status"] == "blocked" and blocked["StatusDescription"] == "created to place remaining allocations"
    assert agent.started == [] and not agent.store.allocs


def test_a_large_count_places_what_fits_and_coalesces_the_rest(tmp_path):
    agent = _agent(tmp_path, cpu=1000, memory=100_000)
    evaluation = _eval(agent, agent.scheduler.register(batch_job("many", count=1000, cpu=300)))
    assert len(agent.started) == 3  # 3 * 300 MHz of 1000
    metric = evaluation["FailedTGAllocs"]["web"]
    assert metric["DimensionExhausted"] == {"cpu": 1} and metric["CoalescedFailures"] == 996
    assert metric["ResourcesExhausted"]["app"]["CPU"] == 997 * 300
    assert evaluation["QueuedAllocations"] == {"web": 997}


def test_other_jobs_allocations_count_and_stopped_ones_free_their_share(tmp_path):
    agent = _agent(tmp_path, cpu=1000, memory=10_000)
    agent.scheduler.register(batch_job("first", cpu=600))
    second = _eval(agent, agent.scheduler.register(batch_job("second", cpu=600)))
    assert second["FailedTGAllocs"]["web"]["DimensionExhausted"] == {"cpu": 1}
    agent.scheduler.deregister("first", purge=True)
    # the blocked evaluation is Nomad's to retry on a capacity change; a new evaluation places it now
    again = agent.scheduler.evaluate("second")
    assert again["FailedTGAllocs"] is None and len(agent.started) == 2


def test_a_destructive_update_that_does_not_fit_keeps_the_old_allocation(tmp_path):
    agent = _agent(tmp_path, cpu=1000, memory=1000)
    agent.scheduler.register(batch_job("web", memory=400))
    old = next(iter(agent.store.allocs.values()))
    evaluation = _eval(agent, agent.scheduler.register(batch_job("web", memory=2000)))
    assert evaluation["FailedTGAllocs"]["web"]["DimensionExhausted"] == {"memory": 1}
    assert old["DesiredStatus"] == "run"  # Nomad pops the stop of an allocation whose replacement failed


def test_a_destructive_update_counts_the_replaced_allocation_as_leaving(tmp_path):
    agent = _agent(tmp_path, cpu=1000, memory=1000)
    agent.scheduler.register(batch_job("web", memory=600))
    evaluation = _eval(agent, agent.scheduler.register(batch_job("web", memory=700)))
    assert evaluation["FailedTGAllocs"] is None
    assert sorted(a["DesiredStatus"] for a in agent.store.allocs.values()) == ["run", "stop"]


def test_plan_shows_the_placement_failure_without_registering(tmp_path):
    from devagent.http_api import NomadApi
    agent = _agent(tmp_path, cpu=1000, memory=1000)
    admitted = agent.scheduler.prepare_job(batch_job("planned", count=3, memory=400))
    plan = NomadApi(agent)._plan(admitted.job, want_diff=False)
    metric = plan["FailedTGAllocs"]["web"]
    assert metric["DimensionExhausted"] == {"memory": 1} and metric["CoalescedFailures"] == 0
    assert "planned" not in agent.store.jobs and not agent.store.allocs


def test_a_finished_allocation_unblocks_an_evaluation_blocked_on_resources(tmp_path):
    agent = _agent(tmp_path, cpu=1000, memory=10_000)
    agent.scheduler.register(batch_job("first", cpu=600))
    blocked_id = _eval(agent, agent.scheduler.register(batch_job("second", cpu=600)))["BlockedEval"]
    agent.blocked_evals.tick()  # nothing finished yet: still blocked
    assert agent.store.evals[blocked_id]["Status"] == "blocked" and len(agent.started) == 1
    agent.scheduler.deregister("first", purge=False)
    first = next(a for a in agent.store.allocs.values() if a["JobID"] == "first")
    first["ClientStatus"] = "complete"  # what the allocation's runner reports once its tasks are dead
    agent.blocked_evals.tick()
    assert agent.store.evals[blocked_id]["Status"] == "canceled"
    placed = [a for a in agent.store.allocs.values() if a["JobID"] == "second"]
    assert len(placed) == 1 and len(agent.started) == 2
    assert agent.store.evals[placed[0]["EvalID"]]["TriggeredBy"] == "queued-allocs"


def test_an_evaluation_blocked_on_a_missing_driver_stays_blocked(tmp_path):
    agent = _agent(tmp_path, cpu=1000, memory=10_000)
    agent.scheduler.register(batch_job("first", cpu=100))
    job = batch_job("docker")
    job["TaskGroups"][0]["Tasks"][0].update(Driver="docker", Config={"image": "x"})
    blocked_id = _eval(agent, agent.scheduler.register(job))["BlockedEval"]
    agent.scheduler.deregister("first", purge=False)
    next(a for a in agent.store.allocs.values() if a["JobID"] == "first")["ClientStatus"] = "complete"
    agent.blocked_evals.tick()
    assert agent.store.evals[blocked_id]["Status"] == "blocked"
