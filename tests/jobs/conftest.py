"""Fixtures for the pure job-template tests: values files and machine-independent runtimes."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployer.values import JOBS_DIR

VALUES_FILES = sorted((JOBS_DIR / "values").glob("*.yaml"))
TEMPLATES = sorted(p.name for p in JOBS_DIR.glob("*.nomad.hcl.j2") if not p.name.startswith("_"))

# Fixed interpreter and checkout paths, so that rendered text does not depend on the machine.
FIXED_RUNTIME = {"runtime": {"python": "/opt/mesh/.venv/bin/python", "pythonpath": "/opt/mesh"}}


@pytest.fixture(params=VALUES_FILES, ids=lambda p: p.name)
def values_file(request) -> Path:
    """Each values file under jobs/values/."""
    return request.param


@pytest.fixture(autouse=True)
def _run_from_the_checkout(monkeypatch):
    """Error messages show paths relative to the working directory: make it the checkout."""
    monkeypatch.chdir(JOBS_DIR.parent)
