"""Every rendered job passes devagent's port of Nomad v1.8.4's admission; the old idiom does not."""

import re
from pathlib import Path

import pytest

from deployer.render import render_jobs
from deployer.values import load_values
from devagent.admission.pipeline import AdmissionError, RequestError, validate_response
from devagent.jobspec import parse_jobspec

ROOT = Path(__file__).resolve().parents[2]

VALUES = ["dev.yaml", "prod.yaml"]


def admission_of(hcl: str) -> dict:
    """What POST /v1/jobs/parse (Canonicalize) then POST /v1/validate/job answer for the HCL."""
    return validate_response(parse_jobspec(hcl, canonicalize=True))


@pytest.mark.parametrize("values_file", VALUES)
def test_every_rendered_job_passes_nomads_admission(values_file):
    jobs = render_jobs(load_values(ROOT / "jobs" / "values" / values_file))
    assert set(jobs) == {"order", "invoice", "tax"}
    for name, hcl in jobs.items():
        answer = admission_of(hcl)
        assert answer["Error"] == "" and not answer["ValidationErrors"], f"{values_file} {name}: {answer['Error']}"
        assert answer["Warnings"] == "", f"{values_file} {name}: {answer['Warnings']}"


def test_a_dynamic_port_label_under_an_exposed_check_is_nomads_expose_check_error():
    """The idiom of the first wave (a dynamic group port, the service on its label) that Nomad rejects."""
    hcl = render_jobs(load_values(ROOT / "jobs" / "values" / "dev.yaml"))["tax"]
    hcl = re.sub(r'port = "\d+"', 'port = "http"', hcl, count=1)
    hcl = hcl.replace('mode = "bridge"\n', 'mode = "bridge"\n\n      port "http" {\n        to = 5002\n      }\n', 1)
    with pytest.raises((AdmissionError, RequestError)) as caught:
        admission_of(hcl)
    assert str(caught.value) == ("error in job mutator expose-check: unable to determine local service port for "
                                 'service check tax->tax->service: "tax" check')
