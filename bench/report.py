"""bench/results.md from a run's Results (pure: text in, text out)."""

from __future__ import annotations

from bench.explain import miss_notes
from bench.hop_report import hop_lines
from bench.markdown import table as _table
from bench.results import RELEASE_EVENTS, RELEASE_MIN_REQUESTS, Results
from bench.stats import median, percentile as pct
from bench.summary import cpu_per_thousand, paired_ratios, scale_growth, summarize_delay, summarize_load
from bench.targets import target_rows


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


def _machine(results: Results) -> list[str]:
    m = results.machine
    if m is None:
        return []
    rows = [["date", m.date], ["cores", str(m.cores)], ["memory", f"{m.memory_gib:.1f} GiB"], ["CPU", m.cpu_model],
            ["kernel", m.kernel], ["load average at start", m.load_before], ["Python", m.python],
            ["Consul", m.consul], ["Envoy", m.envoy], ["load generator", m.wrk],
            ["fs.inotify.max_user_instances", str(m.inotify_limit)]]
    if m.reference_loop_ms is not None:
        rows.append(["reference loop at start (2,000,000 Python additions, best of 3)", f"{m.reference_loop_ms:.0f} ms"])
    if m.cpu_stolen_pct is not None:
        rows.append(["CPU taken by the host during the run (steal, % of busy CPU time)", f"{m.cpu_stolen_pct:.1f}%"])
    return ["## Machine", ""] + _table(["", ""], rows)


def _targets(results: Results) -> list[str]:
    rows = [[r.target, r.measured, r.verdict] for r in target_rows(results)]
    notes = miss_notes(results)
    why = ["Why the misses:", ""] + [f"- {note}" for note in notes] + [""] if notes else []
    return ["## Targets", ""] + _table(["target", "measured", "verdict"], rows) + why


def _applies(results: Results) -> list[str]:
    if not results.applies:
        return []
    rows = []
    for sidecar in dict.fromkeys(a.sidecar for a in results.applies):
        runs = [a for a in results.applies if a.sidecar == sidecar]
        applies = [a.apply_s for a in runs]
        rows.append([sidecar, str(len(runs)), f"{median(applies):.2f}", f"{min(applies):.2f}", f"{max(applies):.2f}",
                     ", ".join(f"{a:.2f}" for a in applies), f"{median([a.verify_s for a in runs]):.2f}",
                     "green" if all(a.verify_ok for a in runs) else "FAILED"])
    return (["## 1. Cold apply (3-service mesh)", "",
             "`deployer apply` (in-process `deployer.cli.main`) from no jobs to every allocation healthy and the "
             "intentions written, then `deployer verify`. Between runs `deployer destroy` and a wait until no task "
             "process is left. The first run of each sidecar kind is on a freshly started Consul and devagent.", ""]
            + _table(["sidecar", "runs", "apply median (s)", "min (s)", "max (s)", "each run (s)", "verify median (s)",
                      "verify"], rows))


def _enforcement(results: Results) -> list[str]:
    if not results.enforcement:
        return []
    rows = []
    for series in results.enforcement:
        d = summarize_delay(series)
        rows.append([series.sidecar, series.connections, series.action, f"{d.enforced}/{d.flips}",
                     _ms(d.p50_from_start), _ms(d.p99_from_start), _ms(d.p50_from_return), _ms(d.p99_from_return),
                     _ms(d.cli_p50), _ms(d.probe_p50), series.note or ""])
    return (["## 2. Intention enforcement delay (invoice -> tax)", "",
             "Each flip runs `deployer intentions deny|allow invoice tax --no-wait` in-process (`deployer.cli.main`, "
             "timed from just before the call) while a thread sends `GET /` to order back to back, each on a new "
             "connection; the delay ends when the first answer shows the new state (deny: a non-200 answer, allow: "
             "200 again). \"From start\" counts from the start of the command, \"from return\" from its return "
             "(negative: the probe saw it before the CLI had returned). The delay is an upper bound: it is taken at "
             "the end of the probe that saw it, so it includes up to one probe round trip (column \"probe\").", "",
             "- **new**: services open a new upstream connection per call (their default), so every probe makes new "
             "sidecar-to-sidecar connections.",
             "- **kept-alive**: the mesh is redeployed with `UPSTREAM_KEEPALIVE=1`, so invoice keeps its connection "
             "to its sidecar's upstream listener open between requests, and the sidecar's connection to tax's sidecar "
             "with it (the built-in proxy maps one inbound to one outbound connection; Envoy pools its upstream "
             "connections itself). This is the connection an intention change must act on.", ""]
            + _table(["sidecar", "connections", "action", "enforced", "p50 from start (ms)", "p99 from start (ms)",
                      "p50 from return (ms)", "p99 from return (ms)", "CLI p50 (ms)", "probe p50 (ms)", "note"], rows))


def _overhead(results: Results) -> list[str]:
    if not results.load:
        return []
    loads = summarize_load(results.load)
    rows = []
    for key in sorted(loads, key=lambda k: (k[1], k[2], ["direct", "envoy", "builtin"].index(k[0]))):
        s = loads[key]
        paired = paired_ratios(results.load, s.target, s.variant, s.connections) if s.target != "direct" else None
        factor = f"{paired.p50:.2f}x / {paired.p99:.2f}x / {paired.rps:.0%}" if paired else ""
        rows.append([s.variant, str(s.connections), s.target, f"{s.rps:.1f}", f"{s.p50_ms:.2f}", f"{s.p99_ms:.2f}",
                     f"{s.p999_ms:.2f}", factor, str(s.requests), str(s.errors), str(s.rounds)])
    settings = results.settings
    return (["## 3. Sidecar overhead (order -> invoice -> tax)", "",
             f"wrk ({settings.get('threads', 2)} threads) against `GET /` on order, {settings.get('seconds')} s per run, "
             f"{settings.get('rounds')} round(s); in each round every target runs once per concurrency, one after the "
             "other (who goes first rotates), so the three see nearly the same background load. Figures are the "
             "medians of the rounds; the comparison with direct is the median of the per-round ratios (each round's "
             "runs ran back to back, so pairing them cancels slow changes of the background load). "
             "**direct**: the three services wired to each other's ports with `<NAME>_URL`, no sidecars; "
             "**envoy** / **builtin**: the mesh deployed by the deployer on devagent, load on order's published "
             "port (order itself; its calls go through the sidecars).", "",
             "- **keep-alive**: wrk keeps its connections, and the services pool theirs (`UPSTREAM_KEEPALIVE=1`).",
             "- **new connection**: wrk sends `Connection: close` (checked below), and the services open a new "
             "upstream connection per call (their default).",
             "- Latency is wrk's: from writing the request to the end of the answer (the TCP connect of a new "
             "connection is not in it, but every hop behind order is).", "",
             f"wrk reconnect check: {results.reconnect_check or 'not run'}", ""]
            + _table(["variant", "connections", "target", "req/s", "p50 (ms)", "p99 (ms)", "p99.9 (ms)",
                      "p50 / p99 / throughput vs direct (paired)", "requests", "errors", "rounds"], rows)
            + hop_lines(results.load))


def _resources(results: Results) -> list[str]:
    lines = []
    if results.memory:
        rows = [[m.target, m.label, f"{m.rss_kib / 1024:.1f}", f"{m.idle_cpu_pct:.2f}", str(m.inotify)]
                for m in results.memory]
        lines += (["## 4. Resources", "",
                   "RSS from `/proc/<pid>/status` VmRSS after the keep-alive load runs, summed over each process "
                   "group (a service is gunicorn's master plus its one worker; an Envoy sidecar one process; a "
                   "built-in sidecar one `consul connect proxy`). PIDs come from devagent's `processes.json` "
                   "ledger (the direct chain's from the bench's own processes). Idle CPU: utime + stime over "
                   f"{results.settings.get('idle seconds', '?')} s with no load (health checks only).", ""]
                  + _table(["target", "process", "RSS (MiB)", "idle CPU (% of a core)", "inotify instances"], rows))
    cpu = cpu_per_thousand(results.load)
    if cpu:
        rows = [[target, variant, label, f"{seconds:.3f}"]
                for (target, variant, label), seconds in sorted(cpu.items(), key=lambda kv: (kv[0][1], kv[0][0],
                                                                                          kv[0][2]))]
        lines += (["CPU seconds per 1000 requests (utime + stime from `/proc/<pid>/stat` before and after each wrk "
                   "run, over every run of that target and variant, all concurrencies; idle use included). A "
                   "request crosses order's and tax's sidecars once and invoice's twice (in from order, out to tax).",
                   ""]
                  + _table(["target", "variant", "process", "CPU s / 1000 requests"], rows))
    return lines


def _scale(results: Results) -> list[str]:
    if not results.scale:
        return []
    rows = [[s.sidecar, s.shape + _checks(s), str(s.services), str(s.levels), f"{s.apply_s:.2f}" if s.ok else
             f"FAILED after {s.apply_s:.2f}: {s.failure}", f"{s.destroy_s:.2f}"] for s in results.scale]
    lines = (["## 5. Scale", "",
              "Generated values files: services `svc-01`... running the tax app, each caller with one upstream per "
              "callee and an allow intention per edge. **chain**: svc-01 -> svc-02 -> ... (one dependency level per "
              "service). **tree**: depth 3: a root, about sqrt(n-1) services below it, the rest spread evenly below "
              "those. Each applied from nothing on the same devagent, destroyed before the next.", ""]
             + _table(["sidecar", "shape", "services", "dependency levels", "apply (s)", "destroy (s)"], rows))
    for sidecar in dict.fromkeys(s.sidecar for s in results.scale):
        for interval in dict.fromkeys(s.check_interval for s in results.scale):
            same_checks = [s for s in results.scale if s.check_interval == interval]
            for shape in ("chain", "tree"):
                fit = scale_growth(same_checks, sidecar, shape)
                if fit:
                    lines.append(f"- {sidecar} {shape}{_checks(same_checks[0])}: {fit[0]:.2f} s per added service, "
                                 f"{fit[1]:+.2f} s fixed (least-squares fit of apply time over the sizes that applied)")
    lines += _scale_profiles(results)
    lines += ["", "Why a chain grows linearly: the deployer applies jobs in dependency order, one level after the "
              "other, and a level starts only when the previous one is healthy (a caller's sidecar needs its "
              "upstreams registered and healthy). A chain of n services has n levels, so its apply time is about "
              "n x (time for one job to become healthy: process start, Consul checks passing, min_healthy_time "
              "1 s). A tree of depth 3 has 3 levels whatever its size; the jobs of a level are applied in parallel, "
              "so it grows only with the extra work the 2 cores do for the parallel jobs of a level.", ""]
    return lines


def _ms_summary(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return (f"{pct(ordered, 50):.1f} / {pct(ordered, 99):.1f} / {ordered[-1]:.1f}")


def _scale_profiles(results: Results) -> list[str]:
    if not results.scale_profiles:
        return []
    rows = []
    for p in results.scale_profiles:
        mib = sorted(p.sidecar_private_mib)
        memory = f"{pct(mib, 50):.1f} / {mib[-1]:.1f} ({len(mib)})" if mib else "-"
        rows.append([p.sidecar, f"{p.shape} {p.services}{_checks(p)}", ("green" if p.verify_ok else "FAILED") +
                     (f" ({p.verify_s:.1f} s)" if p.verify_s else ""), memory,
                     f"{p.devagent_idle_cpu_pct:.1f} / {p.machine_idle_busy_pct:.0f}",
                     f"{p.devagent_flip_cpu_pct:.1f}",
                     "-" if p.consul_write_cpu_ms is None else f"{p.consul_write_cpu_ms:.1f}",
                     p.edge or "-", _ms_summary(p.deny_new_ms),
                     _ms_summary(p.deny_kept_alive_ms), _ms_summary(p.consul_answer_ms),
                     _ms_summary(p.consul_answer_unprobed_ms),
                     f"{p.probe_new_ms:.1f} / {p.probe_kept_alive_ms:.1f}", p.note or ""])
    return (["", "### The big meshes, once up", "",
             "`deployer verify` on the mesh; private memory of each sidecar process group (Private_Clean + "
             "Private_Dirty of `/proc/<pid>/smaps_rollup`: what one more sidecar costs, the binary's shared pages "
             "excluded); devagent's CPU (all threads, % of one core) idle and while the deny/allow flips were "
             "pushed, and the whole machine's CPU busy (% of both cores) while the mesh idled (its apps, sidecars "
             "and Consul's checks); Consul's CPU per intention write, beyond its idle rate (20 writes, 0.5 s apart, "
             "on a pair of names no service has: Consul 1.8.7 keeps a proxy configuration for every local sidecar, "
             "and each watches its service's intentions, so any write wakes them all); and the deny delay on the mesh's first edge: ms from the return of `deployer intentions "
             "deny <src> <dst> --no-wait` until the destination's sidecar answered 403 to the source's leaf "
             "certificate: in even flips on a new mTLS connection per probe, in odd ones on one connection kept "
             "open across the flips (each probe back to back; its median round trip is the resolution). \"Consul "
             "answered\" splits the delay: ms from the same return until a blocking query on Consul's intention list, "
             "in a process of its own, returned the change; the rest is devagent's push and Envoy's apply. The probes "
             "themselves load the machine (one new mTLS handshake after another), so before the probed flips the same "
             "deny/allow pairs run with no probe, and the next column shows Consul's answer then.", ""]
            + _table(["sidecar", "mesh", "verify", "sidecar private MiB p50 / max (n)", "idle CPU %: devagent / machine",
                      "devagent CPU % flipping", "Consul CPU ms per intention write", "edge", "deny new conn ms p50 / p99 / max",
                      "deny kept-alive ms p50 / p99 / max", "Consul answered ms p50 / p99 / max",
                      "Consul answered, no probe running, ms p50 / p99 / max",
                      "probe round trip ms new / kept", "note"], rows)
            + _idle_cpu_lines(results.scale_profiles))


def _checks(record) -> str:
    """" (checks every 10s)" for a scale record whose health checks ran at another interval than dev.yaml's."""
    return f" (checks every {record.check_interval})" if record.check_interval else ""


def _idle_cpu_lines(profiles) -> list[str]:
    """Where the idle machine's CPU went, per profiled mesh (% of one core per kind of process)."""
    lines = [f"- {p.sidecar} {p.shape} {p.services}{_checks(p)}, idle CPU by process (% of one core): "
             + ", ".join(f"{kind} {pct_used:.1f}" for kind, pct_used in
                         sorted(p.idle_cpu_by_kind.items(), key=lambda item: -item[1]))
             for p in profiles if p.idle_cpu_by_kind]
    return ["", *lines] if lines else []


def _release_cell(record) -> str:
    if record is None:
        return "-"
    counts = f"{record.failed:,} of {record.requests:,} failed"
    if record.rounds > 1:
        counts += f" in {record.rounds} rounds"
    outage = f", outage {record.outage_s:.1f} s" if record.failed else ""
    recovery = f", recovered {record.recovery_s:.1f} s" if record.recovery_s is not None else ""
    load = (f" ({record.seconds:.0f} s at {record.rate:.0f}/s, latency p50 {record.latency_p50_ms:.0f} / "
            f"p99 {record.latency_p99_ms:.0f} ms)" if record.seconds else "")
    note = f"; {record.note}" if record.note else ""
    return f"{counts}{outage}{recovery}{load}{note}"


def _releases(results: Results) -> list[str]:
    if not results.releases:
        return []
    kinds = list(dict.fromkeys(r.sidecar for r in results.releases))
    events = list(RELEASE_EVENTS) + [e for e in dict.fromkeys(r.event for r in results.releases)
                                     if e not in RELEASE_EVENTS]
    by_key = {(r.sidecar, r.event): r for r in results.releases}
    rows = [[event] + [_release_cell(by_key.get((kind, event))) for kind in kinds] for event in events]
    return (["## Release under load", "",
             "A client sends `GET /` to order (through order -> invoice -> tax) on a new connection per request, "
             "from several workers (rate and latency in each cell), while tax is changed as an operator would: "
             "edit the values and `deployer apply`, restart the Consul agent, `kill -9` a task. A release or "
             f"scale event is done again, round after round, until it has seen at least {RELEASE_MIN_REQUESTS:,} "
             "requests; requests count only during a round (from just before `deployer apply` until the "
             "replaced allocations have ended). Outage: first to last failed request; recovered: from the event "
             "(for Consul: from the agent answering again) to the last failed request, with no failure in the "
             "3 s (Consul: 6 s) after. dev.yaml's update block: one canary, promoted automatically.", ""]
            + _table(["event"] + kinds, rows))


def render_report(results: Results, command: str) -> str:
    """The whole results.md."""
    lines = ["# Benchmark results", "",
             f"Produced by `{command}` in {results.wall_s / 60:.1f} min. Every figure below comes from that one run.",
             "", "Settings: " + ", ".join(f"{k}={v}" for k, v in results.settings.items()), ""]
    lines += [f"Note: {note}" for note in results.notes] + ([""] if results.notes else [])
    if results.errors:
        lines += ["## Errors", ""] + [f"- {e}" for e in results.errors] + [""]
    for part in (_machine, _targets, _applies, _enforcement, _overhead, _resources, _scale, _releases):
        lines += part(results)
    return "\n".join(lines).rstrip() + "\n"
