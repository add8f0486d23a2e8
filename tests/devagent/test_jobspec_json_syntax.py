"""Jobspecs in HCL's JSON syntax, which jobspec2 reads when a file starts with "{" (pure)."""

import json
from pathlib import Path

import pytest

from devagent.jobspec import JobspecError, parse_jobspec

DATA = Path(__file__).parent / "data"


def test_the_connect_example_in_json_is_the_same_job_as_in_hcl():
    from_json = parse_jobspec((DATA / "nomad-json" / "connect.nomad.json").read_text())
    from_hcl = parse_jobspec((DATA / "nomad" / "connect.nomad.hcl").read_text())
    assert from_json == from_hcl


def test_json_strings_are_templates_and_free_form_objects_keep_their_shape():
    doc = {
        "variable": {"image": {"default": "redis:7"}},
        "job": {"web": {
            "task": {"solo": {"driver": "exec", "config": {"command": "/bin/true"}}},
            "group": {"g": {"task": {"app": {
                "driver": "docker",
                "config": {"image": "${var.image}", "labels": {"team": "mesh"}, "mount": [{"type": "bind"}]},
                "scaling": {"cpu": {"max": 500}},
            }}}},
        }},
    }
    job = parse_jobspec(json.dumps(doc), canonicalize=False)
    assert [g["Name"] for g in job["TaskGroups"]] == ["solo", "g"]
    task = job["TaskGroups"][1]["Tasks"][0]
    assert task["Config"] == {"image": "redis:7", "labels": {"team": "mesh"}, "mount": [{"type": "bind"}]}
    assert task["ScalingPolicies"][0]["Type"] == "vertical_cpu"


@pytest.mark.parametrize("text, message", [
    ('{"job": ', "Invalid JSON"),
    ("[1]", None),  # does not start with "{": read as HCL, a syntax error
    ('{"job": {"web": {"bogus": 1}}}', 'Unsupported argument; An argument named "bogus" is not expected here.'),
])
def test_json_errors(text, message):
    with pytest.raises(JobspecError) as raised:
        parse_jobspec(text)
    if message:
        assert message in str(raised.value)
