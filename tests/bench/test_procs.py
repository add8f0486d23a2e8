"""bench/procs.py: CPU use split by kind of process."""

import os

from bench.procs import cpu_by_kind, cpu_seconds_by_process


def test_cpu_by_kind_sums_each_kinds_increase_and_counts_new_processes_from_zero():
    before = {1: ("envoy", 10.0), 2: ("envoy", 5.0), 3: ("consul", 2.0)}
    after = {1: ("envoy", 10.5), 2: ("envoy", 5.5), 3: ("consul", 3.0), 4: ("python3", 0.2)}
    usage = cpu_by_kind(before, after, 2.0, lambda pid, name: name)
    assert usage == {"envoy": 50.0, "consul": 50.0, "python3": 10.0}


def test_a_reused_pid_with_another_command_counts_from_zero():
    usage = cpu_by_kind({7: ("consul", 100.0)}, {7: ("envoy", 1.0)}, 1.0, lambda pid, name: name)
    assert usage == {"envoy": 100.0}


def test_this_process_is_among_the_live_processes():
    name, seconds = cpu_seconds_by_process()[os.getpid()]
    assert name and seconds >= 0
