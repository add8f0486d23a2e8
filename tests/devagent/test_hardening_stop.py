"""Stopping never hangs: whatever a job's shutdown_delay and kill_timeout say, a job stop and devagent's own
shutdown end within the agent's caps and leave no process and no Consul registration behind.
"""

import sys
import time

import pytest
import requests

from devagent.service_registration import NODE_MARKER
from tests.devagent.helpers import consul_services, ledger_pids, pid_alive, wait_for

pytestmark = [pytest.mark.devagent, pytest.mark.consul]

HOURS_10000 = 10_000 * 3600 * 1_000_000_000
# A task that ignores SIGINT and SIGTERM: only SIGKILL ends it.
STUBBORN = ("import signal, time\n"
            "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "print('ready', flush=True)\n"
            "time.sleep(10**6)\n")


def stubborn_job(job_id: str) -> dict:
    """shutdown_delay 10000h on the group and the task, kill_timeout 10000h, and a Consul service."""
    return {
        "ID": job_id, "Name": job_id, "Type": "service", "Datacenters": ["dc1"],
        # Nomad refuses a kill_timeout longer than the progress deadline; 0 turns the deadline off.
        "Update": {"ProgressDeadline": 0, "HealthyDeadline": 60_000_000_000, "MinHealthyTime": 0},
        "TaskGroups": [{
            "Name": "web", "Count": 1, "ShutdownDelay": HOURS_10000,
            "Networks": [{"Mode": "host", "DynamicPorts": [{"Label": "http"}]}],
            "Services": [{"Name": job_id, "PortLabel": "http"}],
            "RestartPolicy": {"Attempts": 0, "Interval": 60_000_000_000, "Delay": 250_000_000, "Mode": "fail"},
            "Tasks": [{"Name": "app", "Driver": "raw_exec", "ShutdownDelay": HOURS_10000, "KillTimeout": HOURS_10000,
                       "Config": {"command": sys.executable, "args": ["-c", STUBBORN]}}],
        }],
    }


def _ours(handle) -> dict:
    node_id = (handle.data_dir / "node-id").read_text().strip()
    return {sid: s for sid, s in consul_services(handle.consul).items()
            if (s.get("Meta") or {}).get(NODE_MARKER) == node_id}


def _start_stubborn(handle, job_id: str) -> tuple[dict, list[int]]:
    requests.put(f"{handle.address}/v1/jobs", json={"Job": stubborn_job(job_id)}, timeout=10).raise_for_status()
    alloc = wait_for(lambda: next((a for a in requests.get(f"{handle.address}/v1/job/{job_id}/allocations",
                                                           timeout=10).json() if a["ClientStatus"] == "running"), None),
                     what="running allocation")
    wait_for(lambda: _ours(handle), what="the service registered in Consul")
    pids = wait_for(lambda: ledger_pids(handle.data_dir), what="the task recorded")
    return alloc, pids


def _events(handle, alloc_id: str) -> list[dict]:
    alloc = requests.get(f"{handle.address}/v1/allocation/{alloc_id}", timeout=10).json()
    return alloc["TaskStates"]["app"]["Events"]


def test_a_job_stop_waits_the_capped_delays_and_kill_timeout_then_leaves_nothing(devagent_factory):
    handle = devagent_factory(extra_args=("-max-shutdown-delay", "1s", "-max-kill-timeout", "1s"))
    alloc, pids = _start_stubborn(handle, "stubborn")
    started = time.monotonic()
    requests.delete(f"{handle.address}/v1/job/stubborn?purge=true", timeout=10).raise_for_status()
    wait_for(lambda: not any(pid_alive(p) for p in pids), timeout=20, what="the task killed")
    took = time.monotonic() - started
    assert 2.0 <= took < 15.0, took  # group delay 1s + task delay 1s + kill timeout 1s (+ SIGKILL)
    assert not _ours(handle)
    events = _events(handle, alloc["ID"])
    kinds = [e["Type"] for e in events]
    assert kinds[-3:] == ["Waiting for shutdown delay", "Killing", "Killed"]
    assert events[-3]["DisplayMessage"] == "Waiting for shutdown_delay of 1s before killing the task."
    assert events[-2]["KillTimeout"] == 1_000_000_000  # capped at max_kill_timeout, as Nomad's SetKillTimeout
    wait_for(lambda: not ledger_pids(handle.data_dir), what="the ledger emptied")


def test_no_shutdown_delay_skips_the_delays_as_nomad_does(devagent_factory):
    handle = devagent_factory(extra_args=("-max-kill-timeout", "1s"))  # delays keep devagent's 30s cap
    alloc, pids = _start_stubborn(handle, "skip")
    started = time.monotonic()
    requests.delete(f"{handle.address}/v1/job/skip?purge=true&no_shutdown_delay=true", timeout=10).raise_for_status()
    wait_for(lambda: not any(pid_alive(p) for p in pids), timeout=20, what="the task killed")
    assert time.monotonic() - started < 15.0  # not the 30s (capped) group delay
    events = _events(handle, alloc["ID"])
    assert any(e["Type"] == "Skipping shutdown delay"
               and e["DisplayMessage"] == "Skipping shutdown_delay of 10000h0m0s before killing the task."
               for e in events), events
    transition = requests.get(f"{handle.address}/v1/allocation/{alloc['ID']}", timeout=10).json()["DesiredTransition"]
    assert transition["NoShutdownDelay"] is True
    assert not _ours(handle)


def test_devagent_shutdown_is_bounded_and_leaves_nothing_behind(devagent_factory):
    handle = devagent_factory(extra_args=("-max-kill-timeout", "2s"))
    _, first = _start_stubborn(handle, "stubborn-a")
    _, both = _start_stubborn(handle, "stubborn-b")
    started = time.monotonic()
    assert handle.stop(timeout=30) == 0  # skips the shutdown delays; kill timeouts capped at 2s
    assert time.monotonic() - started < 20.0
    assert not any(pid_alive(p) for p in set(first) | set(both))
    assert not _ours(handle)
    assert "devagent: stopped" in handle.log()


def test_agent_self_lists_the_stop_limits(devagent_factory):
    handle = devagent_factory(extra_args=("-max-kill-timeout", "3s"))
    limits = requests.get(f"{handle.address}/v1/agent/self", timeout=10).json()["stats"]["devagent"]["stop_limits"]
    assert limits["max_kill_timeout"] == "3s" and limits["max_shutdown_delay"] == "30s"
