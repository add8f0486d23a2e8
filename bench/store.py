"""Raw results as JSON, so the report can be rendered again without measuring again."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from bench.results import (ApplyRun, EnforcementSeries, FlipSample, LoadRun, Machine, ProcessFootprint,
                           ReleaseEvent, Results, ScaleProfile, ScaleRun)

_LISTS = {"applies": ApplyRun, "load": LoadRun, "memory": ProcessFootprint, "scale": ScaleRun,
          "scale_profiles": ScaleProfile, "releases": ReleaseEvent}


def save_results(results: Results, path: Path) -> None:
    """Write every record of a run as JSON."""
    path.write_text(json.dumps(dataclasses.asdict(results), indent=1) + "\n")


def load_results(path: Path) -> Results:
    """Read a file written by save_results back into records."""
    raw = json.loads(path.read_text())
    results = Results(**{k: v for k, v in raw.items() if k not in (*_LISTS, "machine", "enforcement")})
    results.machine = Machine(**raw["machine"]) if raw.get("machine") else None
    for name, kind in _LISTS.items():
        setattr(results, name, [kind(**item) for item in raw.get(name, [])])
    for item in raw.get("enforcement", []):
        samples = [FlipSample(**s) for s in item.pop("samples")]
        results.enforcement.append(EnforcementSeries(**item, samples=samples))
    return results
