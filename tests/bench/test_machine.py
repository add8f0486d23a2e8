"""The machine section's speed and steal figures."""

from bench.machine import reference_loop_ms, stolen_pct
from bench.procs import machine_busy_and_stolen_ticks
from bench.report import render_report
from bench.results import Machine, Results


def test_stolen_share_is_of_the_busy_time_between_two_readings():
    assert stolen_pct((1000, 10), (1400, 50)) == 10.0
    assert stolen_pct((1000, 10), (1000, 10)) is None


def test_readings_come_from_this_machine():
    busy, stolen = machine_busy_and_stolen_ticks()
    assert busy > 0 and stolen >= 0
    assert reference_loop_ms() > 0


def test_the_machine_table_shows_the_reference_loop_and_the_steal():
    results = Results(machine=Machine("d", 2, 23.5, "cpu", "k", "3.11", "Consul v1.8.7", "1.40.0", "wrk", "0 0 0",
                                      128, reference_loop_ms=812.4, cpu_stolen_pct=6.25))
    text = render_report(results, "make bench")
    assert "| reference loop at start (2,000,000 Python additions, best of 3) | 812 ms |" in text
    assert "| CPU taken by the host during the run (steal, % of busy CPU time) | 6.2% |" in text
    results.machine.reference_loop_ms = results.machine.cpu_stolen_pct = None
    assert "reference loop" not in render_report(results, "make bench")
