"""What `deployer COMMAND --help` says: a synopsis, a paragraph, the exit codes and examples per command."""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class CommandHelp:
    """One command's help, as HashiCorp CLIs give it."""

    synopsis: str
    paragraph: str
    exit_codes: str
    examples: tuple[str, ...]


HELP = {
    "render": CommandHelp(
        "print the rendered Nomad jobs",
        "Render every job of the values file from its Jinja template (strict: a missing variable is an "
        "error) and print the HCL, or write one <job>.nomad.hcl per job with --out.",
        "0 rendered, 1 error", ("deployer render --out /tmp/jobs", "deployer render --only tax")),
    "validate": CommandHelp(
        "Nomad's verdict on every rendered job",
        "Render the jobs, parse each with Nomad (POST /v1/jobs/parse) and send it to POST /v1/validate/job, "
        "where Nomad runs its job admission (mutators and validators). Prints Nomad's errors and warnings per "
        "job. plan and apply run the same check first and stop on an error.",
        "0 no job has an error (warnings alone are printed), 1 errors", ("deployer validate",)),
    "plan": CommandHelp(
        "show what apply would change",
        "Validate the jobs, then ask Nomad to plan each (POST /v1/job/:id/plan with the diff) and summarize "
        "what would be created, updated in place or replaced. Nothing is registered.",
        "0 no changes, 1 changes, 255 error (as `nomad job plan`)", ("deployer plan; echo \"exit $?\"",)),
    "apply": CommandHelp(
        "deploy the jobs, wait for health, apply intentions",
        "Validate and plan every job, then register them level by level in dependency order (the services "
        "a job calls first), follow each evaluation and deployment (canaries included) until Nomad reports it "
        "healthy and Consul's checks pass, make the intentions match the values and wait until the sidecars "
        "enforce them.",
        "0 applied, 2 placement or deployment failed, 1 other error, 130 interrupted",
        ("deployer apply", "deployer apply --only tax")),
    "status": CommandHelp(
        "jobs, deployments, health and intentions",
        "Per job: version, status, deployment, running/desired allocations and the Consul checks of the "
        "service and its sidecar; then the intentions and their drift from the values. Every job that is not "
        "healthy gets a line with the reasons (allocations failed or pending, a failed or unfinished "
        "deployment, canaries waiting for a promotion, allocations missing in Consul, failing checks).",
        "0 healthy, 2 something is not, 1 error (an address that does not answer like Nomad is one)",
        ("deployer status", "deployer --json status | jq .jobs")),
    "promote": CommandHelp(
        "promote healthy canaries and follow the deployment",
        "With update.canary set, apply runs a new version as canaries beside the old allocations; without "
        "update.auto_promote it stops once they are healthy. promote asks Nomad to promote them "
        "(POST /v1/deployment/promote/:id) and follows the deployment until the old version is replaced.",
        "0 promoted (or nothing waits), 2 the deployment failed, 1 Nomad refused (e.g. a canary is not healthy yet)",
        ("deployer promote tax", "deployer promote            # every job waiting for it")),
    "destroy": CommandHelp(
        "purge our jobs and delete our intentions",
        "Purge the jobs the deployer manages, callers first, wait until they left Consul, and delete the "
        "intentions marked as ours. Jobs and intentions of others are left alone.",
        "0 done, 1 error", ("deployer destroy",)),
    "verify": CommandHelp(
        "prove the mesh enforces what was declared",
        "Call the edge service through the port Nomad published for it; probe every ordered pair of services "
        "over mTLS with the source's own leaf certificate and compare with the declared policy; connect to "
        "every sidecar in plaintext and over TLS without a client certificate, which must be refused.",
        "0 everything matches, 1 otherwise", ("deployer verify", "deployer --json verify")),
    "graph": CommandHelp(
        "draw the mesh: services, upstreams, intentions, health",
        "Draw the services (health, version, instances; the edge service framed twice) and their upstreams, "
        "each edge coloured by the intention that applies and whether an mTLS probe confirmed it.",
        "0 drawn, 1 error",
        ("deployer graph --out mesh.svg", "deployer graph --format mermaid", "deployer --json graph --no-probe")),
    "ui": CommandHelp(
        "serve a live topology page on 127.0.0.1",
        "Serve the graph live on 127.0.0.1 (re-read about twice a second, with per-edge figures from the "
        "sidecars' statistics); click an edge to allow or deny it. Runs until Ctrl-C.",
        "0 on Ctrl-C or SIGTERM, 1 error", ("deployer ui --port 8765    # then open http://127.0.0.1:8765/",)),
    "intentions": CommandHelp(
        "Consul intentions: list, check, allow, deny, delete, apply, diff",
        "Read and change Consul's intentions. Writes mark the intention as the deployer's; allow, deny, delete "
        "and apply return once the destination's sidecar enforces the change (an mTLS probe).",
        "see each action's --help", ("deployer intentions deny invoice tax", "deployer intentions diff")),
    "intentions list": CommandHelp(
        "list intentions", "Every intention in Consul; MANAGED says which are the deployer's.",
        "0", ("deployer intentions list", "deployer --json intentions list")),
    "intentions check": CommandHelp(
        "ask Consul whether SRC may call DST",
        "Consul's own control-plane answer for the pair (its intentions and default); no probe is made.",
        "0 either way", ("deployer intentions check invoice tax",)),
    "intentions allow": CommandHelp(
        "allow SRC -> DST",
        "Write an allow intention for the pair (\"already allow\" when it is), then wait until the "
        "destination's sidecar lets the source in.",
        "0 done, 1 error or not enforced by the deadline", ("deployer intentions allow invoice tax",)),
    "intentions deny": CommandHelp(
        "deny SRC -> DST",
        "Write a deny intention for the pair (\"already deny\" when it is), then wait until the destination's "
        "sidecar refuses the source.",
        "0 done, 1 error or not enforced by the deadline", ("deployer intentions deny invoice tax",)),
    "intentions delete": CommandHelp(
        "delete the intention for SRC -> DST",
        "Delete the pair's intention (ours, unless forced), then wait until the sidecar enforces what now "
        "applies (the remaining intentions and Consul's default).",
        "0 done (or nothing to delete), 1 error", ("deployer intentions delete invoice tax",)),
    "intentions apply": CommandHelp(
        "make Consul match the declared policy",
        "Create, update and delete the deployer's intentions until Consul matches the values' policy; "
        "intentions of others are left alone. Then wait for the sidecars of the affected pairs.",
        "0 done, 1 error", ("deployer intentions apply",)),
    "intentions diff": CommandHelp(
        "show drift from the declared policy",
        "What intentions apply would change, without changing anything.",
        "0 no drift, 1 drift", ("deployer intentions diff",)),
}


def add_command(subparsers, name: str, parents: list) -> argparse.ArgumentParser:
    """A subcommand whose --help has its synopsis, paragraph, exit codes and examples."""
    text = HELP[name]
    examples = "\n".join(f"  {line}" for line in text.examples)
    return subparsers.add_parser(
        name.split()[-1], parents=parents, help=text.synopsis,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill(text.paragraph, 88),
        epilog=f"exit codes:\n  {text.exit_codes}\n\nexamples:\n{examples}")
