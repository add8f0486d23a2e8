"""POST /v1/jobs/parse over HTTP: Nomad's JobsParseRequest handling (a running devagent)."""

import pytest
import requests

pytestmark = [pytest.mark.devagent, pytest.mark.consul]

HCL = '''
variable "region" {
  default = "global"
}
job "web" {
  region = var.region
  group "web" {
    task "app" {
      driver = "exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
'''


def parse(devagent, body):
    return requests.post(f"{devagent.address}/v1/jobs/parse", json=body, timeout=10)


def test_parse_answers_as_nomads_endpoint(devagent):
    raw = parse(devagent, {"JobHCL": HCL})
    assert raw.status_code == 200
    assert raw.json()["Region"] == "global" and raw.json()["Priority"] is None
    canonical = parse(devagent, {"JobHCL": HCL, "Canonicalize": True, "Variables": 'region = "eu"\n'}).json()
    assert canonical["Region"] == "eu" and canonical["Priority"] == 50
    assert canonical["TaskGroups"][0]["Consul"]["Cluster"] == "default"


@pytest.mark.parametrize("body, status, text", [
    ({}, 400, "Job spec is empty"),
    ({"JobHCL": ""}, 400, "Job spec is empty"),
    ({"JobHCL": 'job "x" {\n  bogus = 1\n}\n'}, 400,
     'Failed to parse job: input.hcl:2,3-8: Unsupported argument; An argument named "bogus" is not expected here.'),
])
def test_parse_errors_are_nomads(devagent, body, status, text):
    response = parse(devagent, body)
    assert (response.status_code, response.text.strip()) == (status, text)
