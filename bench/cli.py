"""`python -m bench [--quick] [--only NAME]...`: run the benchmarks and write bench/results.md."""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.report import render_report
from bench.results import Results
from bench.runner import MEASUREMENTS, BenchSettings, run_benchmarks
from bench.store import load_results, save_results
from bench.wrk import WrkError

DEFAULT_OUT = Path(__file__).resolve().parent / "results.md"
SIDECARS = ("envoy", "builtin")
NOISE_NOTE = ("the machine was shared: other work ran during this run, so every figure carries its noise; the "
              "targets being compared ran interleaved to share it.")


def build_parser() -> argparse.ArgumentParser:
    """Flags of the benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few iterations and short runs (a smoke run, ~4 min)")
    parser.add_argument("--only", action="append", choices=MEASUREMENTS, metavar="NAME",
                        help=f"run only this measurement (repeatable): {', '.join(MEASUREMENTS)}")
    parser.add_argument("--sidecars", default="envoy,builtin", help="sidecar kinds, comma-separated (envoy,builtin)")
    parser.add_argument("--scale-sidecars", help="sidecar kinds for the scale runs (default: the same as --sidecars)")
    parser.add_argument("--scale-sizes", help="mesh sizes of the scale runs, comma-separated (default 3,10,30,100; "
                        "chains only up to 30)")
    parser.add_argument("--scale-check-intervals", help="run the scale sizes once per time between health checks, "
                        "comma-separated, e.g. 1s,10s (default: dev.yaml's)")
    parser.add_argument("--out", type=Path, help=f"report file (default {DEFAULT_OUT}; --quick: stdout only)")
    parser.add_argument("--shared-machine", action="store_true",
                        help="say in the report that other work ran on the machine during the run")
    parser.add_argument("--keep-workdir", action="store_true", help="keep logs and values files of the run")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="measure nothing: render the report again from a results JSON of an earlier run")
    return parser


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in SIDECARS]
    if unknown or not kinds:
        raise ValueError(f"unknown sidecar kind {unknown[0] if unknown else text!r} (use envoy, builtin)")
    return kinds


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise ValueError(f"--scale-sizes wants positive numbers separated by commas, got {text!r}")
    return sizes


def _check_intervals(text: str) -> tuple[str, ...]:
    intervals = tuple(part.strip() for part in text.split(",") if part.strip())
    bad = [i for i in intervals if not re.fullmatch(r"[1-9][0-9]*(s|m)", i)]
    if bad or not intervals:
        raise ValueError(f"--scale-check-intervals wants durations of at least 1s such as 1s,10s,1m, got {text!r}")
    return intervals


def settings_from(args: argparse.Namespace) -> BenchSettings:
    """Iterations for a full run or a --quick one."""
    sidecars = _kinds(args.sidecars)
    quick = args.quick
    return BenchSettings(
        only=tuple(args.only) if args.only else MEASUREMENTS, sidecars=sidecars,
        apply_runs=1 if quick else 3, flips=3 if quick else 20, flip_timeout_s=5.0,
        kept_alive_timeout_s=1.0 if quick else 3.0, load_seconds=2 if quick else 4, load_rounds=1 if quick else 5,
        concurrencies=(1, 8), scale_sizes=_sizes(args.scale_sizes) if args.scale_sizes else
        ((3, 10) if quick else (3, 10, 30, 100)),
        scale_sidecars=_kinds(args.scale_sidecars) if args.scale_sidecars else sidecars,
        idle_seconds=3 if quick else 10, scale_flips=4 if quick else 20,
        scale_check_intervals=_check_intervals(args.scale_check_intervals) if args.scale_check_intervals else ("",))


def render_again(source: Path, out: Path) -> int:
    """Write the report of an earlier run from its JSON."""
    try:
        results = load_results(source)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        _log(f"error: cannot read results from {source}: {exc}")
        return 2
    out.write_text(render_report(results, results.command or "make bench"))
    _log(f"wrote {out} from {source}")
    return 0


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run, write the report, print where it is; exit 1 on errors, 130 on Ctrl-C."""
    args = build_parser().parse_args(argv)
    if args.render:
        return render_again(args.render, args.out or DEFAULT_OUT)
    try:
        settings = settings_from(args)
    except ValueError as exc:
        _log(f"error: {exc}")
        return 2
    command = "make bench" + (f" BENCH_ARGS='{' '.join(argv)}'" if argv else "")
    if argv is None and sys.argv[1:]:
        command = f"make bench BENCH_ARGS='{' '.join(sys.argv[1:])}'"
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    results = Results(notes=[NOISE_NOTE] if args.shared_machine else [])
    started = time.monotonic()
    try:
        run_benchmarks(settings, workdir, results, _log)
    except KeyboardInterrupt:
        _log("interrupted: everything started was stopped; no report written")
        return 130
    except WrkError as exc:
        _log(f"error: {exc}")
        return 1
    finally:
        results.wall_s = time.monotonic() - started
        if args.keep_workdir:
            _log(f"logs and values kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results.command = command
    report = render_report(results, command)
    out = args.out or (None if args.quick else DEFAULT_OUT)
    if out:
        out.write_text(report)
        save_results(results, out.with_suffix(".json"))
        _log(f"wrote {out} and its raw figures {out.with_suffix('.json').name} ({results.wall_s / 60:.1f} min)")
    else:
        print(report)
    for error in results.errors:
        _log(f"error: {error}")
    return 1 if results.errors else 0
