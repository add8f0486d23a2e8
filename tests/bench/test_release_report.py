"""The release-under-load section of the report and its JSON round trip."""

from bench.report import render_report
from bench.results import ReleaseEvent, Results
from bench.store import load_results, save_results


def _results() -> Results:
    return Results(releases=[
        ReleaseEvent("envoy", "scale 2 -> 1", 400, 0, 0.0),
        ReleaseEvent("builtin", "scale 2 -> 1", 380, 0, 0.0),
        ReleaseEvent("builtin", "kill -9 of the app (tax)", 240, 110, 2.4, "recovered after 2.4 s"),
    ])


def test_release_section_puts_the_sidecar_kinds_side_by_side():
    text = render_report(_results(), "python -m bench --only release")
    assert "## Release under load" in text
    assert "| event | envoy | builtin |" in text
    assert "| scale 2 -> 1 | 0 of 400 failed | 0 of 380 failed |" in text
    assert "| kill -9 of the app (tax) | - | 110 of 240 failed over 2.4 s; recovered after 2.4 s |" in text


def test_release_events_survive_the_json_round_trip(tmp_path):
    path = tmp_path / "results.json"
    save_results(_results(), path)
    assert load_results(path).releases == _results().releases
