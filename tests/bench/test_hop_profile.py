"""The hop profile: apps' request log lines joined by request ID into the parts of the chain."""

import json

from bench.hop_profile import OUTSIDE, PARTS, FileLogs, handler_ms, hop_medians
from bench.hop_report import hop_lines, hop_sentence
from bench.results import LoadRun


def _line(service: str, request_id: str, ms: float, path: str = "/") -> str:
    return json.dumps({"service": service, "method": "GET", "path": path, "status": 200, "duration_ms": ms,
                       "request_id": request_id})


def _chain(request_id: str, order: float, invoice: float, tax: float) -> dict[str, list[str]]:
    return {"order": [_line("order", request_id, order)], "invoice": [_line("invoice", request_id, invoice)],
            "tax": [_line("tax", request_id, tax)]}


def _merged(*chains: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {"order": [], "invoice": [], "tax": []}
    for chain in chains:
        for service, lines in chain.items():
            merged[service] += lines
    return merged


def test_handler_times_skip_other_services_and_non_json_lines():
    lines = ["[2026-11-27 10:00:00] [INFO] Booting worker", _line("order", "a", 3.5), _line("tax", "a", 1.0),
             "{not json", _line("order", "b", 4.0)]
    assert handler_ms(lines, "order") == {"a": 3.5, "b": 4.0}


def test_parts_are_medians_of_per_request_differences_over_requests_all_three_logged():
    logs = _merged(_chain("r1", 5.0, 3.0, 1.0), _chain("r2", 7.0, 4.0, 2.0), _chain("r3", 6.0, 3.5, 1.5))
    logs["order"].append(_line("order", "health-check", 0.4, "/health"))  # no invoice/tax line: not joined
    hops = hop_medians(logs, client_p50_ms=8.0)
    assert hops[OUTSIDE] == 2.0          # 8.0 - median(5, 6, 7)
    assert hops[PARTS[1]] == 2.5         # order - invoice: 2.0, 3.0, 2.5
    assert hops[PARTS[2]] == 2.0         # invoice - tax: 2.0, 2.0, 2.0
    assert hops[PARTS[3]] == 1.5
    assert hops["requests"] == 3


def test_no_joined_request_gives_no_profile():
    assert hop_medians({"order": [_line("order", "x", 1.0)]}, 5.0) == {}


def test_file_logs_return_only_what_was_written_after_the_mark(tmp_path):
    paths = {name: tmp_path / f"{name}.log" for name in ("order", "invoice", "tax")}
    for name, path in paths.items():
        path.write_text(_line(name, "old", 9.0) + "\n")
    logs = FileLogs(paths)
    logs.mark()
    for name, path in paths.items():
        with open(path, "a") as log:
            log.write(_line(name, "new", 1.0) + "\n")
    new = logs.new_lines()
    assert {name: [json.loads(line)["request_id"] for line in lines] for name, lines in new.items()} == {
        "order": ["new"], "invoice": ["new"], "tax": ["new"]}


def _run(target: str, p50: float, hops: dict[str, float], round_number: int = 0) -> LoadRun:
    return LoadRun(target, "keep-alive", 1, 1000, 4.0, p50, p50 * 2, p50 * 3, 0, round=round_number, hop_ms=hops)


def test_the_report_shows_each_part_and_the_difference_to_direct():
    direct = {OUTSIDE: 1.0, PARTS[1]: 2.0, PARTS[2]: 1.5, PARTS[3]: 1.0, "requests": 700.0}
    envoy = {OUTSIDE: 1.1, PARTS[1]: 3.2, PARTS[2]: 2.6, PARTS[3]: 1.0, "requests": 500.0}
    load = [_run("direct", 5.5, direct), _run("envoy", 7.9, envoy), _run("envoy", 8.1, envoy, 1),
            LoadRun("envoy", "keep-alive", 8, 900, 4.0, 30.0, 60.0, 90.0, 0)]  # no profile at 8 connections
    text = "\n".join(hop_lines(load))
    assert "| envoy | 8.00 | 1.10 | 3.20 | 2.60 | 1.00 | 500 |" in text
    assert "| envoy - direct | +2.50 | +0.10 | +1.20 | +1.10 | +0.00 |  |" in text
    sentence = hop_sentence(load)
    assert "envoy's extra 2.50 ms at p50 go: 1.20 ms in order's call to invoice and 1.10 ms in invoice's call" in sentence
    assert hop_sentence([_run("envoy", 8.0, envoy)]) == "" and hop_lines([]) == []
