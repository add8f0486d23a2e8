"""apply / plan / status / verify / destroy against devagent with the real templates and dev.yaml.

Ports are moved to free ones through a temporary values file (a copy of dev.yaml).
"""

import json
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

from deployer.clients import Clients, Endpoints
from deployer.errors import DeployerError
from deployer.nomad_jobs import parse_job, register_job
from deployer.validation import validate_job
from tests.fixtures.consul import deployer_consul_flags
from tests.mesh_values import values_on_free_ports

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def values_file(tmp_path, name="values.yaml", change=None) -> str:
    """dev.yaml with the edge port and upstream bind ports moved to free ports."""
    return str(values_on_free_ports(tmp_path, name, change)[0])


@pytest.fixture
def deployer(run_cli, devagent, clean_intentions, tmp_path):
    """Run the deployer (with its token) against this test's devagent and the shared Consul; destroy at the end."""
    base = ["--nomad-addr", devagent.address, *deployer_consul_flags(devagent.consul)]
    values = values_file(tmp_path)

    def run(*args, values_path=None):
        return run_cli(*base, "--values", values_path or values, *args)

    run.values = values
    run.devagent = devagent
    yield run
    run("destroy", "--no-wait")  # removes our intentions from the shared Consul; devagent stops the rest


def test_full_cycle(deployer):
    plan = deployer("plan")
    assert plan.code == 1 and plan.out.splitlines() == ["tax: create", "invoice: create", "order: create"]

    applied = deployer("apply")
    assert applied.code == 0, applied.err
    order = [line.split()[0] for line in applied.out.splitlines() if " done " in line]
    assert order == ["tax", "invoice", "order"]  # dependency order
    assert "intentions: created order -> invoice (allow)" in applied.out

    assert deployer("plan").out.splitlines() == ["tax: no changes", "invoice: no changes", "order: no changes"]
    started = time.monotonic()
    again = deployer("apply")
    assert again.code == 0 and "no changes to jobs" in again.out and "intentions: no changes" in again.out
    assert time.monotonic() - started < 5

    status = json.loads(deployer("status", "--json").out)
    jobs = {row["job"]: row for row in status["jobs"]}
    for name in ("order", "invoice", "tax"):
        assert jobs[name]["managed"] and jobs[name]["deployment"] == "successful"
        assert (jobs[name]["healthy"], jobs[name]["desired"]) == (1, 1)
        assert jobs[name]["service"] == jobs[name]["sidecar"] == "passing"
    assert {(i["source"], i["destination"], i["managed"]) for i in status["intentions"]} == {
        ("order", "invoice", True), ("invoice", "tax", True)}

    verified = deployer("verify", "--json")
    report = json.loads(verified.out)
    assert verified.code == 0 and report["ok"], report
    assert len(report["checks"]) == 1 + 6 + 2 * 3

    denied = deployer("intentions", "deny", "invoice", "tax")
    assert re.search(r"enforced by tax's sidecar after \d+ ms", denied.out), denied.out
    broken = deployer("verify")
    assert broken.code == 1
    assert re.search(r"mTLS invoice -> tax\s+allowed\s+denied\s+MISMATCH", broken.out)
    assert "failed hop invoice -> tax" in broken.out
    assert "updated invoice -> tax (deny -> allow)" in deployer("apply").out
    assert deployer("verify").code == 0

    destroyed = deployer("destroy")
    assert destroyed.out.splitlines()[:3] == ["order: stopped and purged", "invoice: stopped and purged",
                                              "tax: stopped and purged"]
    assert "intention order -> invoice (allow): deleted" in destroyed.out
    status = json.loads(deployer("status", "--json").out)
    assert not any(row["present"] for row in status["jobs"]) and status["intentions"] == []


def _register_foreign_tax(deployer):
    """A job named tax that someone else owns (no managed_by)."""
    hcl = deployer("render", "--only", "tax").out
    base = deployer.devagent.address
    job = requests.post(f"{base}/v1/jobs/parse", json={"JobHCL": hcl, "Canonicalize": True}, timeout=10).json()
    job["Meta"] = {"owner": "someone-else"}
    requests.post(f"{base}/v1/jobs", json={"Job": job}, timeout=10).raise_for_status()


def test_foreign_jobs_are_left_alone_and_enforce_index_catches_races(deployer):
    _register_foreign_tax(deployer)
    refused = deployer("apply", "--only", "tax")
    assert refused.code == 1 and "job tax exists and is not managed by the deployer" in refused.err
    assert "--force" in refused.err_lines[-1]
    destroyed = deployer("destroy", "--no-wait")
    assert "tax: left alone (not managed by the deployer)" in destroyed.out
    assert requests.get(f"{deployer.devagent.address}/v1/job/tax", timeout=5).ok
    requests.delete(f"{deployer.devagent.address}/v1/job/tax?purge=true", timeout=10)

    # EnforceIndex: registering "only if absent" (index 0) a job that exists is a detected conflict.
    clients = Clients(Endpoints.resolve(nomad_addr=deployer.devagent.address, env={}))
    job = parse_job(clients, "invoice", deployer("render", "--only", "invoice").out)
    register_job(clients, job, 0)
    with pytest.raises(DeployerError, match="changed by someone else"):
        register_job(clients, job, 0)


def test_failed_placement_and_deployment_exit_2(deployer, tmp_path):
    def docker(data):
        data["runtime"]["driver"] = "docker"
        for service in data["services"].values():
            service["image"] = "example/mesh:1"
    unplaced = deployer("apply", "--only", "invoice", values_path=values_file(tmp_path, "docker.yaml", docker))
    assert unplaced.code == 2
    assert unplaced.err_lines[0] == "error: group invoice failed to place: missing drivers (1 node filtered)"

    assert deployer("apply", "--only", "tax").code == 0

    def broken(data):
        data["services"]["tax"]["app"] = "nosuchapp"
        data["restart"]["attempts"] = 0
        # A plain rolling update; failed canaries are tested in test_promote_canaries.py.
        data["update"].update(canary=0, auto_promote=False)
    failed = deployer("apply", "--only", "tax", values_path=values_file(tmp_path, "broken.yaml", broken))
    assert failed.code == 2, failed
    assert failed.err_lines[0].startswith("error: deployment of job tax failed")
    assert "task events:" in failed.err and "Terminated" in failed.err
    assert "No module named services.nosuchapp" in failed.err
    assert "auto-revert: rolled back to job version 0" in failed.err
    assert failed.err_lines[-1].startswith("hint: ")


def test_ctrl_c_says_what_was_submitted_and_writes_no_intentions(deployer):
    devagent = deployer.devagent
    argv = [sys.executable, "-m", "deployer", "--nomad-addr", devagent.address,
            *deployer_consul_flags(devagent.consul), "--values", deployer.values, "apply"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not requests.get(f"{devagent.address}/v1/job/tax", timeout=5).ok:
            assert time.monotonic() < deadline and process.poll() is None, "tax was never submitted"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert re.search(r"^error: interrupted; already submitted to Nomad: tax", err, re.M), err
    assert "Traceback" not in err
    assert json.loads(deployer("intentions", "list", "--json").out) == []


def test_validate_on_devagent(deployer):
    """devagent answers POST /v1/validate/job as Nomad does: the real jobs pass, a dynamic-label check does not."""
    validated = deployer("validate")
    assert validated.code == 0, validated.out + validated.err
    assert validated.out.splitlines()[-1] == "validate: 3/3 jobs valid"

    # tax as the templates rendered it before: the exposed check on a dynamic port label (nomad#9907).
    hcl = deployer("render", "--only", "tax").out
    app_port = re.search(r'^      port = "(\d+)"$', hcl, re.M).group(1)
    dynamic_port = f'\n      port "http" {{\n        to = {app_port}\n      }}\n'
    dynamic = hcl.replace('mode = "bridge"\n', 'mode = "bridge"\n' + dynamic_port, 1)
    dynamic = dynamic.replace(f'port = "{app_port}"', 'port = "http"', 1)
    clients = Clients(Endpoints.resolve(nomad_addr=deployer.devagent.address, env={}))
    verdict = validate_job(clients, parse_job(clients, "tax", dynamic))
    assert verdict.errors == ["error in job mutator expose-check: unable to determine local service port "
                              'for service check tax->tax->service: "tax" check']
