"""Percentiles, medians, fits and the summaries built on them."""

import pytest

from bench.results import EnforcementSeries, FlipSample, LoadRun, ScaleRun
from bench.stats import median, percentile
from bench.summary import (cpu_ms_per_request, cpu_per_thousand, linear_fit, paired_ratios, scale_growth,
                           summarize_delay,
                           summarize_load)


@pytest.mark.parametrize("samples, q, expected", [
    ([5.0], 99, 5.0),
    ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
    ([4.0, 1.0, 3.0, 2.0], 0, 1.0),
    ([4.0, 1.0, 3.0, 2.0], 100, 4.0),
    (list(range(1, 101)), 99, 99.01),
])
def test_percentile_interpolates_between_ranks(samples, q, expected):
    assert percentile(samples, q) == pytest.approx(expected)


@pytest.mark.parametrize("samples, q", [([], 50), ([1.0], 101), ([1.0], -1)])
def test_percentile_rejects_bad_input(samples, q):
    with pytest.raises(ValueError):
        percentile(samples, q)


def test_median_of_an_odd_count_is_the_middle_value():
    assert median([3.0, 1.0, 2.0]) == 2.0


def test_linear_fit_recovers_a_line_and_needs_two_x():
    assert linear_fit([(1, 3.0), (2, 5.0), (4, 9.0)]) == pytest.approx((2.0, 1.0))
    assert linear_fit([(3, 1.0), (3, 2.0)]) is None


def test_scale_growth_fits_services_of_one_shape_that_applied():
    runs = [ScaleRun("envoy", "chain", n, n, 1.0 + 2.0 * n, True) for n in (3, 10, 30)]
    runs += [ScaleRun("envoy", "tree", n, 3, 6.0 + 0.5 * n, True) for n in (3, 10, 30)]
    runs.append(ScaleRun("envoy", "chain", 40, 40, 0.0, False))
    assert scale_growth(runs, "envoy", "chain") == pytest.approx((2.0, 1.0))
    assert scale_growth(runs, "envoy", "tree") == pytest.approx((0.5, 6.0))
    assert scale_growth(runs, "builtin", "chain") is None


def test_cpu_ms_per_request_adds_every_process_of_the_target():
    runs = [_load("envoy", 1.0, 100, {"order": 1.0, "sidecar order": 0.5}), _load("envoy", 1.0, 100, {"order": 1.5})]
    assert cpu_ms_per_request(runs, "envoy", "keep-alive") == pytest.approx(1.5)
    assert cpu_ms_per_request(runs, "direct", "keep-alive") is None


def _load(target, p50, rps, cpu=None, connections=8):
    return LoadRun(target, "keep-alive", connections, requests=int(rps * 10), seconds=10.0, p50_ms=p50,
                   p99_ms=p50 * 2, p999_ms=p50 * 3, errors=0, cpu_s=cpu or {})


def test_summarize_load_takes_medians_per_target_and_concurrency():
    runs = [_load("direct", 1.0, 100), _load("direct", 3.0, 300), _load("direct", 2.0, 200),
            _load("envoy", 5.0, 50), _load("envoy", 9.0, 90, connections=1)]
    summary = summarize_load(runs)
    direct = summary[("direct", "keep-alive", 8)]
    assert (direct.rounds, direct.p50_ms, direct.rps, direct.requests) == (3, 2.0, 200.0, 6000)
    assert summary[("envoy", "keep-alive", 1)].p50_ms == 9.0


def test_cpu_per_thousand_divides_by_all_requests_of_the_target():
    runs = [_load("envoy", 1.0, 100, {"sidecar tax": 0.5}), _load("envoy", 1.0, 100, {"sidecar tax": 1.5})]
    assert cpu_per_thousand(runs) == {("envoy", "keep-alive", "sidecar tax"): pytest.approx(1.0)}


def test_summarize_delay_ignores_flips_that_never_took_effect():
    series = EnforcementSeries("builtin", "kept-alive", "deny", 3.0,
                               samples=[FlipSample(0.02, 0.05, 0.03), FlipSample(0.02, None, None)],
                               probe_s=[0.01, 0.03])
    delay = summarize_delay(series)
    assert (delay.enforced, delay.flips) == (1, 2)
    assert delay.p99_from_return == pytest.approx(0.03)
    assert delay.probe_p50 == pytest.approx(0.02)
    assert summarize_delay(EnforcementSeries("envoy", "new", "deny", 3.0)).p50_from_start is None


def test_paired_ratios_compare_runs_of_the_same_round():
    def run(target, round_number, p50, rps):
        return LoadRun(target, "keep-alive", 1, int(rps * 10), 10.0, p50, p50 * 2, p50 * 3, 0, round=round_number)
    # A slow round (everything x3) must not skew the comparison the way unpaired medians would.
    runs = [run("direct", 0, 1.0, 100), run("envoy", 0, 1.1, 90), run("direct", 1, 3.0, 40), run("envoy", 1, 3.3, 36),
            run("direct", 2, 1.0, 100), run("envoy", 2, 1.2, 80), run("envoy", 3, 9.0, 1)]
    paired = paired_ratios(runs, "envoy", "keep-alive", 1)
    assert paired.rounds == 3
    assert paired.p50 == pytest.approx(1.1) and paired.rps == pytest.approx(0.9)
    assert paired_ratios(runs, "builtin", "keep-alive", 1) is None
