"""wrk output parsing, the reconnect counter, target verdicts and the rendered report."""

import pytest

from bench.reconnect_check import closed_connections
from bench.report import render_report
from bench.results import (ApplyRun, EnforcementSeries, FlipSample, LoadRun, ProcessFootprint, Results, ScaleProfile,
                           ScaleRun)
from bench.targets import target_rows
from bench.wrk import WrkError, parse_wrk_output, wrk_argv

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:1/
  2 threads and 8 connections
BENCH_JSON {"requests": 400, "duration_us": 2000000, "p50_us": 1500.0, "p99_us": 4000.0, "p999_us": 9000.0, \
"connect_errors": 0, "read_errors": 1, "write_errors": 0, "status_errors": 2, "timeouts": 0}
"""


def test_parse_wrk_output():
    result = parse_wrk_output(WRK_OUTPUT)
    assert (result.requests, result.rps, result.p999_us, result.errors) == (400, 200.0, 9000.0, 3)
    with pytest.raises(WrkError):
        parse_wrk_output("Running 2s test\n")


def test_new_connection_runs_send_connection_close():
    argv = wrk_argv("wrk", "http://x/", "s.lua", 8, 2, 3, new_connection=True)
    assert argv[argv.index("-H") + 1] == "Connection: close"
    assert "-H" not in wrk_argv("wrk", "http://x/", "s.lua", 8, 2, 3, new_connection=False)


def test_closed_connections_counts_time_wait_on_either_end():
    table = ("  sl  local_address rem_address   st\n"
             "   0: 0100007F:1F90 0100007F:9C40 06 0\n"   # server side of port 8080, TIME_WAIT
             "   1: 0100007F:9C41 0100007F:1F90 06 0\n"   # client side, TIME_WAIT
             "   2: 0100007F:1F90 0100007F:9C42 01 0\n"   # established: not closed
             "   3: 0100007F:1F91 0100007F:9C43 06 0\n")  # another port
    assert closed_connections(8080, table) == 2


def _results(envoy_p50=1.2, deny_return=0.015, apply_s=4.0, tree_s=11.0):
    runs = []
    for target, p50, rps in (("direct", 1.0, 100.0), ("envoy", envoy_p50, 85.0)):
        runs.append(LoadRun(target, "keep-alive", 8, int(rps * 10), 10.0, p50, p50 * 2, p50 * 3, 0,
                            {"sidecar order": 0.1, "order": 0.3} if target == "envoy" else {"order": 0.3}))
    deny = EnforcementSeries("envoy", "new", "deny", 5.0,
                             samples=[FlipSample(0.02, deny_return + 0.02, deny_return)] * 20, probe_s=[0.01])
    return Results(settings={"seconds": 10, "rounds": 1, "idle seconds": 10}, load=runs, enforcement=[deny],
                   memory=[ProcessFootprint("envoy", "sidecar order", 69632, 0.5, 6)],
                   applies=[ApplyRun("envoy", apply_s, 0.3, True)],
                   scale=[ScaleRun("envoy", "tree", 30, 3, tree_s, True), ScaleRun("envoy", "chain", 3, 3, 6.0, True),
                          ScaleRun("envoy", "chain", 30, 30, 60.0, True)])


def test_targets_met():
    rows = [row for row in target_rows(_results()) if row.met is not None]
    assert len(rows) == 6
    assert all(row.met for row in rows), [(r.target, r.measured) for r in rows]


def test_issue_12s_deny_target_at_3_services_comes_from_the_3_service_profile():
    results = _results()
    results.scale_profiles.append(ScaleProfile("envoy", "tree", 3, True, 0.2, [15.0] * 3, 0.5, 2.0,
                                               "svc-01 -> svc-02", [4.0] * 10, [25.0] * 10))
    rows = {row.target: row for row in target_rows(results)}
    assert rows["deny enforced on new connections within 20 ms (p99) of the command returning, 3 services "
                "(envoy)"].met is True
    kept = rows["deny enforced on a kept-alive connection within 20 ms (p99) of the command returning, 3 services "
                "(envoy)"]
    assert (kept.met, kept.measured) == (False, "p99 25.0 ms (10 flips)")


def _with_100_services(deny_ms: float, private_mib: float, verify_ok: bool = True) -> Results:
    results = _results()
    results.scale.append(ScaleRun("envoy", "tree", 100, 3, 80.0, True))
    results.scale_profiles.append(ScaleProfile("envoy", "tree", 100, verify_ok, 3.0, [private_mib] * 100, 1.0, 5.0,
                                               "svc-01 -> svc-02", [deny_ms] * 10, [deny_ms / 2] * 10))
    return results


def test_scale_targets_of_issue_12():
    met = {row.target.split(" (")[0].split(",")[0]: row for row in target_rows(_with_100_services(6.0, 15.0))}
    assert met["a 100-service mesh with Envoy applies and passes `deployer verify`"].met is True
    assert met["deny enforced on new connections within 20 ms"].met is True
    assert met["deny enforced on a kept-alive connection within 20 ms"].measured.startswith("p99 3.0 ms")
    assert met["Envoy sidecar private memory <= 20 MiB"].met is True
    missed = {row.target.split(" (")[0].split(",")[0]: row.met
              for row in target_rows(_with_100_services(25.0, 31.0, verify_ok=False))}
    assert missed["a 100-service mesh with Envoy applies and passes `deployer verify`"] is False
    assert missed["deny enforced on new connections within 20 ms"] is False
    assert missed["Envoy sidecar private memory <= 20 MiB"] is False


def test_targets_missed_when_over_the_limits():
    verdicts = {row.target.split(" (")[0]: row.met
                for row in target_rows(_results(envoy_p50=1.3, deny_return=0.2, apply_s=6.0, tree_s=19.0))}
    assert verdicts["chain latency via Envoy p50 <= 1.25x direct"] is False
    assert verdicts["chain latency via Envoy p99 <= 1.5x direct"] is True
    assert verdicts["deny enforced on new connections within 100 ms"] is False
    assert verdicts["cold apply of the 3-service mesh <= 5 s"] is False
    assert verdicts["apply of a 30-service tree"] is False


def test_a_deny_never_enforced_is_a_miss_not_a_blank():
    results = _results()
    results.enforcement = [EnforcementSeries("builtin", "new", "deny", 5.0, samples=[FlipSample(0.02, None, None)])]
    row = [r for r in target_rows(results) if "deny" in r.target][0]
    assert row.met is False and "never" in row.measured


def test_report_has_every_section_and_verdicts():
    text = render_report(_results(envoy_p50=1.3), "make bench")
    for heading in ("## Targets", "## 1. Cold apply", "## 2. Intention", "## 3. Sidecar overhead",
                    "## 5. Scale", "CPU seconds per 1000 requests"):
        assert heading in text
    assert "**MISSED**" in text
    assert "1.300x" in text
    assert "2.00 s per added service" in text
    assert "| envoy | sidecar order | 68.0 | 0.50 | 6 |" in text


def test_misses_are_explained_with_the_runs_own_figures():
    results = _results(envoy_p50=1.3, apply_s=6.0)
    results.scale.append(ScaleRun("envoy", "chain", 30, 30, 51.0, False,
                                  failure="deployment failed (Envoy sidecars aborted: no inotify instance left)"))
    text = render_report(results, "make bench")
    why = text.split("Why the misses:", 1)[1].split("## 1.", 1)[0]
    assert "3 x 2.0 s = 6.0 s" in why
    # direct: 0.3 s CPU / 1000 requests; envoy: 0.4 s / 850 requests, 0.1 s of it in its sidecar.
    assert "0.30 ms of CPU direct and 0.47 ms through Envoy (0.12 ms of that in the three Envoys" in why
    assert "64% of direct expected, measured 85%" in why
    assert "holds 6 inotify instances" in why


def test_no_miss_no_explanation():
    assert "Why the misses" not in render_report(_results(), "make bench")


def test_results_survive_a_json_round_trip(tmp_path):
    from bench.results import Machine
    from bench.store import load_results, save_results
    results = _with_100_services(6.0, 15.0)
    results.machine = Machine("d", 2, 23.5, "cpu", "k", "3.11", "Consul v1.8.7", "1.40.0", "wrk", "0 0 0", 128)
    save_results(results, tmp_path / "r.json")
    assert render_report(load_results(tmp_path / "r.json"), "make bench") == render_report(results, "make bench")


def test_each_health_check_interval_gets_its_own_deny_verdict_at_100_services():
    results = _with_100_services(60.0, 15.0)
    results.scale.append(ScaleRun("envoy", "tree", 100, 3, 70.0, True, check_interval="10s"))
    results.scale_profiles.append(ScaleProfile("envoy", "tree", 100, True, 3.0, [15.0] * 100, 1.0, 5.0,
                                               "svc-01 -> svc-02", [12.0] * 10, [9.0] * 10, check_interval="10s",
                                               consul_answer_unprobed_ms=[2.0, 3.0, 40.0]))
    rows = {row.target: row for row in target_rows(results)}
    base = "deny enforced on new connections within 20 ms (p99) of the command returning, 100 services"
    assert rows[f"{base} (envoy)"].met is False
    assert rows[f"{base} (envoy, health checks every 10s)"].met is True
    text = render_report(results, "make bench")
    assert "tree 100 (checks every 10s)" in text
    assert "Consul answered, no probe running" in text and "| 3.0 / 39.3 / 40.0 |" in text


def test_a_missed_deny_at_scale_is_explained_with_consuls_own_answer():
    results = _with_100_services(60.0, 15.0)
    (profile,) = [p for p in results.scale_profiles if p.services == 100]
    profile.consul_answer_ms, profile.consul_answer_unprobed_ms = [5.0] * 9 + [90.0], [4.0] * 9 + [10.0]
    why = render_report(results, "make bench").split("Why the misses:", 1)[1].split("## 1.", 1)[0]
    assert "**Deny at 100 services**" in why and "answered p50 5.0 / p99 " in why and "ms while the probes ran" in why
    assert "the back-to-back mTLS probes load the machine" in why
    profile.consul_answer_unprobed_ms = [4.0] * 9 + [80.0]
    why = render_report(results, "make bench").split("Why the misses:", 1)[1].split("## 1.", 1)[0]
    assert "load the machine" not in why


def test_the_envoy_miss_names_the_connection_count_where_the_chain_is_cpu_bound():
    why = render_report(_results(envoy_p50=1.3), "make bench").split("Why the misses:", 1)[1].split("## 1.", 1)[0]
    assert "CPU-bound (8 connections)" in why and "{top}" not in why


def test_a_missed_deny_at_scale_names_consuls_cost_per_intention_write_against_the_small_mesh():
    results = _with_100_services(60.0, 15.0)
    small = ScaleProfile("envoy", "tree", 3, True, 0.2, [15.0] * 3, 0.5, 2.0, "svc-01 -> svc-02", [4.0] * 10, [3.0] * 10)
    results.scale_profiles.insert(0, small)
    (big,) = [p for p in results.scale_profiles if p.services == 100]
    small.consul_write_cpu_ms, big.consul_write_cpu_ms = 1.5, 52.25
    text = render_report(results, "make bench")
    assert "Consul CPU ms per intention write" in text and "| 52.2 |" in text and "| 1.5 |" in text
    why = text.split("Why the misses:", 1)[1].split("## 1.", 1)[0]
    assert "Each intention write cost Consul 52.2 ms of CPU, against 1.5 ms with 3 services" in why
    assert "each of its 100 local sidecars" in why
    big.consul_write_cpu_ms = None
    why = render_report(results, "make bench").split("Why the misses:", 1)[1].split("## 1.", 1)[0]
    assert "Each intention write cost" not in why
