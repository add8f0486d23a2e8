"""Golden files for jobs/values/dev.yaml, so that a change to the rendered jobs shows in review.

After an intended change to the templates or dev.yaml, regenerate them and review the diff:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/jobs/test_golden.py
The interpreter and checkout paths are fixed (FIXED_RUNTIME), so the files match on any machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deployer.render import render_jobs
from deployer.values import DEFAULT_VALUES, load_values
from tests.jobs.conftest import FIXED_RUNTIME

GOLDEN_DIR = Path(__file__).parent / "golden" / "dev"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REGENERATE = "regenerate with: UPDATE_GOLDEN=1 .venv/bin/pytest tests/jobs/test_golden.py"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    """The dev.yaml jobs rendered with fixed paths; written to golden/ when UPDATE_GOLDEN=1."""
    jobs = render_jobs(load_values(DEFAULT_VALUES, FIXED_RUNTIME))
    if UPDATE:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        for stale in set(GOLDEN_DIR.glob("*.nomad.hcl")) - {GOLDEN_DIR / f"{n}.nomad.hcl" for n in jobs}:
            stale.unlink()
        for name, text in jobs.items():
            (GOLDEN_DIR / f"{name}.nomad.hcl").write_text(text, encoding="utf-8")
    return jobs


def test_golden_files_cover_exactly_the_rendered_jobs(rendered):
    golden = sorted(p.name.removesuffix(".nomad.hcl") for p in GOLDEN_DIR.glob("*.nomad.hcl"))
    assert golden == sorted(rendered), REGENERATE


@pytest.mark.parametrize("name", ["order", "invoice", "tax"])
def test_rendered_job_matches_its_golden_file(rendered, name):
    golden = GOLDEN_DIR / f"{name}.nomad.hcl"
    assert golden.is_file(), REGENERATE
    assert rendered[name] == golden.read_text(encoding="utf-8"), REGENERATE
