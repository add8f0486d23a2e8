"""Why each missed target was missed, in sentences built from the run's own figures (pure)."""

from __future__ import annotations

from bench.hop_report import hop_sentence
from bench.results import Results
from bench.stats import median, percentile
from bench.summary import cpu_ms_per_request, cpu_per_thousand, paired_ratios, scale_growth, summarize_load
from bench.targets import SMALL_SERVICES, TargetRow, scale_deny_scope, target_rows


def _missed(rows: list[TargetRow], text: str) -> bool:
    return any(text in row.target and row.met is False for row in rows)


def _apply_note(results: Results) -> str | None:
    slopes = [fit[0] for kind in dict.fromkeys(s.sidecar for s in results.scale)
              if (fit := scale_growth(results.scale, kind, "chain"))]
    if not slopes:
        return None
    level = sum(slopes) / len(slopes)
    medians = [median([a.apply_s for a in results.applies if a.sidecar == kind])
               for kind in dict.fromkeys(a.sidecar for a in results.applies)]
    same = (" The sidecar is not the cause: both kinds take about as long."
            if len(medians) > 1 and max(medians) <= 1.2 * min(medians) else "")
    return (f"**Cold apply**: the mesh has three dependency levels (tax, then invoice, then order) and the deployer "
            f"starts a level only once the previous one is healthy. One level costs about {level:.1f} s here (the "
            "chain's growth per service in section 5): the process starts, its Consul checks (every 1 s) pass, then "
            f"min_healthy_time (1 s in jobs/values/dev.yaml) runs out. 3 x {level:.1f} s = {3 * level:.1f} s. So the "
            f"5 s target needs the levels to overlap, or shorter health settings.{same}")


def _envoy_note(results: Results) -> str | None:
    direct = cpu_ms_per_request(results.load, "direct", "keep-alive")
    envoy = cpu_ms_per_request(results.load, "envoy", "keep-alive")
    if not direct or not envoy:
        return None
    cpu = cpu_per_thousand(results.load)
    sidecars = sum(v for (t, var, label), v in cpu.items() if t == "envoy" and var == "keep-alive"
                   and label.startswith("sidecar"))
    loads = summarize_load(results.load)
    top = max((k[2] for k in loads if k[1] == "keep-alive"), default=0)
    paired = paired_ratios(results.load, "envoy", "keep-alive", top)
    base = loads.get(("direct", "keep-alive", 1))
    measured = f", measured {paired.rps:.0%}" if paired else ""
    alone = (f" The direct chain takes only {base.p50_ms:.1f} ms (p50, one connection), so a fixed cost per hop "
             "weighs heavily in the ratio." if base else "")
    return (f"**Envoy latency and throughput**: a request crosses Envoy four times (out of order, into and out of "
            f"invoice, into tax), with TLS and HTTP parsing each time. Per request, the whole chain used {direct:.2f} ms "
            f"of CPU direct and {envoy:.2f} ms through Envoy ({sidecars:.2f} ms of that in the three Envoys; "
            "keep-alive). The 2 cores are shared by the three services, the three Envoys and wrk; where the chain "
            f"is CPU-bound ({top} connections), throughput follows CPU per "
            f"request: {direct / envoy:.0%} of direct expected{measured}.{alone}" + hop_sentence(results.load))


def _inotify_note(results: Results) -> str | None:
    failed = [s for s in results.scale if s.sidecar == "envoy" and not s.ok and "inotify" in s.failure]
    if not failed:
        return None
    held = [m.inotify for m in results.memory if m.target == "envoy" and m.label.startswith("sidecar")]
    per = (str(min(held)) if min(held) == max(held) else f"{min(held)}-{max(held)}") if held else "several"
    limit = results.machine.inotify_limit if results.machine and results.machine.inotify_limit else "limited"
    return (f"**Envoy at {', '.join(sorted({str(s.services) for s in failed}))} services**: every Envoy sidecar holds "
            f"{per} inotify instances (devagent's file-based config watches, section 4). fs.inotify.max_user_instances "
            f"is {limit}, shared by all of root's processes on this machine, other engineers' included. The apply "
            "failed when the next Envoy could not get one and aborted. The built-in proxy uses none. Raising the "
            "limit (`sysctl fs.inotify.max_user_instances=1024`) is a host setting, which the benchmark does not "
            "change.")


def _scale_deny_note(profile, small=None) -> str:
    """Where the deny delay of one profiled mesh went: Consul's answer (probed and not) against the whole.

    `small` is the 3-service mesh of the same run and check interval, whose Consul write cost is the baseline.
    """
    def p50_p99(values: list[float]) -> str:
        ordered = sorted(values)
        return f"p50 {percentile(ordered, 50):.1f} / p99 {percentile(ordered, 99):.1f} ms" if ordered else "not measured"
    checks = f", checks every {profile.check_interval}" if profile.check_interval else ""
    delays = profile.deny_new_ms + profile.deny_kept_alive_ms
    busiest = ", ".join(f"{kind} {used:.0f}%" for kind, used in
                        sorted(profile.idle_cpu_by_kind.items(), key=lambda item: -item[1])[:3])
    probed, unprobed = profile.consul_answer_ms, profile.consul_answer_unprobed_ms
    loaded = (bool(probed) and bool(unprobed) and percentile(sorted(unprobed), 99) * 2 < percentile(sorted(probed), 99))
    why = (": the back-to-back mTLS probes load the machine, and Consul's answer then waits for a core" if loaded
           else "")
    return (f"**Deny at {profile.services} services{checks}**: from the command's return, the sidecar enforced it "
            f"{p50_p99(delays)} (both probes). Consul's own intention watch answered {p50_p99(probed)} "
            f"while the probes ran, and {p50_p99(unprobed)} in the same flips with no probe running{why}. The "
            f"rest is devagent's push, Envoy's apply and the probe's own round trip ({profile.probe_new_ms:.1f} ms new, "
            f"{profile.probe_kept_alive_ms:.1f} ms kept-alive). While idle, the machine was "
            f"{profile.machine_idle_busy_pct:.0f}% busy" + (f" (% of one core: {busiest})" if busiest else "") + "."
            + _write_cost_sentence(profile, small))


def _write_cost_sentence(profile, small) -> str:
    """How much CPU Consul spent on each intention write here, against the 3-service mesh."""
    if profile.consul_write_cpu_ms is None:
        return ""
    baseline = (f", against {small.consul_write_cpu_ms:.1f} ms with {small.services} services"
                if small is not None and small.consul_write_cpu_ms is not None and small is not profile else "")
    return (f" Each intention write cost Consul {profile.consul_write_cpu_ms:.1f} ms of CPU{baseline}: Consul 1.8.7 "
            f"keeps a proxy configuration for each of its {profile.services} local sidecars, and any intention "
            f"write wakes every one of them, on the same 2 cores as the push, Envoy and the probe.")


def _scale_deny_notes(results: Results, rows: list[TargetRow]) -> list[str]:
    notes = []
    for profile in results.scale_profiles:
        scope = scale_deny_scope(profile.services, profile.check_interval)
        if profile.sidecar == "envoy" and _missed(rows, f"returning, {scope}"):
            small = next((p for p in results.scale_profiles if p.sidecar == profile.sidecar and
                          p.services == SMALL_SERVICES and p.check_interval == profile.check_interval), None)
            notes.append(_scale_deny_note(profile, small))
    return notes


def miss_notes(results: Results) -> list[str]:
    """One paragraph per kind of miss that this run shows."""
    rows = target_rows(results)
    notes = []
    if _missed(rows, "cold apply"):
        notes.append(_apply_note(results))
    if _missed(rows, "via Envoy"):
        notes.append(_envoy_note(results))
    if _missed(rows, "30-service tree") or any(not s.ok for s in results.scale):
        notes.append(_inotify_note(results))
    notes += _scale_deny_notes(results, rows)
    return [note for note in notes if note]
