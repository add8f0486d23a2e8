"""The release-under-load section of the report and its JSON round trip."""

from bench.report import render_report
from bench.results import RELEASE_EVENTS, ReleaseEvent, Results
from bench.store import load_results, save_results


def _results() -> Results:
    return Results(releases=[
        ReleaseEvent("envoy", "scale 2 -> 1", 2100, 0, 0.0, "", rounds=5, seconds=28.0, rate=75.0,
                     latency_p50_ms=9.0, latency_p99_ms=21.0),
        ReleaseEvent("builtin", "scale 2 -> 1", 380, 0, 0.0),
        ReleaseEvent("builtin", "kill -9 of the app (tax)", 240, 110, 2.4, "", recovery_s=2.4),
    ])


def test_release_section_puts_the_sidecar_kinds_side_by_side():
    text = render_report(_results(), "python -m bench --only release")
    assert "## Release under load" in text
    assert "| event | envoy | builtin |" in text
    assert ("| scale 2 -> 1 | 0 of 2,100 failed in 5 rounds (28 s at 75/s, latency p50 9 / p99 21 ms) "
            "| 0 of 380 failed |") in text
    assert "| kill -9 of the app (tax) | - | 110 of 240 failed, outage 2.4 s, recovered 2.4 s |" in text


def test_release_section_lists_every_event_of_the_issue_even_unmeasured():
    text = render_report(_results(), "python -m bench --only release")
    section = text[text.index("## Release under load"):]
    for event in RELEASE_EVENTS:
        assert f"| {event} |" in section
    assert "| Consul agent restarted | - | - |" in section


def test_release_events_survive_the_json_round_trip(tmp_path):
    path = tmp_path / "results.json"
    save_results(_results(), path)
    assert load_results(path).releases == _results().releases
