"""The `deployer` command line: argument parsing and the one exit path for errors."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import textwrap
import traceback

from deployer import apply, commands, destroy, promote, status
from deployer.context import Context
from deployer.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_PLAN_ERROR, DeployerError
from deployer.intentions import commands as intentions
from deployer.output import Console
from deployer.topology import commands as topology


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but usage mistakes go through the one error path (exit 1, error + hint)."""

    def error(self, message: str):
        raise DeployerError(message, hint=f"see `{self.prog} --help`")


def add_global_flags(parser: argparse.ArgumentParser, default) -> None:
    """Flags every command takes, before or after the subcommand name."""
    parser.add_argument("--nomad-addr", default=default,
                        help="Nomad HTTP API (default: $NOMAD_ADDR, then http://127.0.0.1:4646)")
    parser.add_argument("--nomad-token", default=default, help="Nomad ACL token (default: $NOMAD_TOKEN)")
    parser.add_argument("--consul-addr", default=default,
                        help="Consul HTTP API (default: $CONSUL_HTTP_ADDR, then 127.0.0.1:8500)")
    parser.add_argument("--consul-token", default=default, help="Consul ACL token (default: $CONSUL_HTTP_TOKEN)")
    parser.add_argument("--values", default=default, help="values file (default: jobs/values/dev.yaml)")
    flag_default = False if default is None else default
    parser.add_argument("--debug", action="store_true", default=flag_default, help="show tracebacks")
    parser.add_argument("--no-color", action="store_true", default=flag_default,
                        help="no colours (NO_COLOR is honoured too)")
    parser.add_argument("--json", action="store_true", default=flag_default,
                        help="machine-readable output where it applies")


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and flags."""
    top = ArgumentParser(add_help=False)
    add_global_flags(top, default=None)
    # Subcommands accept the same flags; SUPPRESS keeps them from resetting values given earlier.
    common = ArgumentParser(add_help=False)
    add_global_flags(common, default=argparse.SUPPRESS)

    parser = ArgumentParser(prog="deployer", parents=[top],
                                     description="Deploy the Consul Connect mesh to Nomad and check it.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = sub.add_parser("render", parents=[common], help="print the rendered Nomad jobs")
    render.add_argument("--out", help="write <job>.nomad.hcl files into this directory")
    render.add_argument("--only", action="append", metavar="JOB", help="only this job (repeatable)")

    validate = sub.add_parser(
        "validate", parents=[common], help="Nomad's verdict on every rendered job (exit 0 valid, 1 errors)",
        description="Render the jobs, parse each with Nomad (POST /v1/jobs/parse) and send it to "
                    "POST /v1/validate/job, where Nomad runs its job admission (mutators and validators). "
                    "Prints Nomad's errors and warnings per job. Exit 0 when no job has an error (warnings "
                    "alone are printed), 1 otherwise. plan and apply run the same check first and stop on an error.")
    validate.add_argument("--only", action="append", metavar="JOB", help="only this job (repeatable)")

    for name, text in (("plan", "show what apply would change (exit 0 none, 1 changes, 255 error)"),
                       ("apply", "deploy the jobs, wait for health, apply intentions")):
        cmd = sub.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--only", action="append", metavar="JOB", help="only this job (repeatable)")
        cmd.add_argument("--force", action="store_true", help="overwrite jobs not managed by the deployer")

    sub.add_parser(
        "status", parents=[common], help="jobs, deployments, health and intentions (exit 0 healthy, 2 unhealthy, 1 error)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill("Per job: version, status, deployment, running/desired allocations and the Consul checks of "
                    "the service and its sidecar; then the intentions and their drift from the values. Every job "
                    "that is not healthy gets a line with the reasons (allocations failed or pending, a failed or "
                    "unfinished deployment, canaries waiting for a promotion, allocations missing in Consul, "
                    "failing checks). Exit 0 when everything is healthy, 2 when something is not, 1 on errors "
                    "(an address that does not answer like Nomad is one)."),
        epilog="examples:\n  deployer status\n  deployer --json status | jq .jobs")
    promote_cmd = sub.add_parser(
        "promote", parents=[common], help="promote healthy canaries and follow the deployment (exit 0, 2 failed, 1 error)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill("With update.canary set, apply runs a new version as canaries beside the old allocations; "
                    "without update.auto_promote it stops once they are healthy. promote asks Nomad to promote "
                    "them (POST /v1/deployment/promote/:id) and follows the deployment until the old version is "
                    "replaced. Exit 0 when it succeeds (or nothing waits), 2 when the deployment fails, 1 when "
                    "Nomad refuses (e.g. a canary is not healthy yet)."),
        epilog="examples:\n  deployer promote tax\n  deployer promote            # every job waiting for it")
    promote_cmd.add_argument("jobs", nargs="*", metavar="JOB", help="jobs to promote (default: every job waiting)")
    promote_cmd.add_argument("--no-wait", action="store_true", help="do not follow the deployment after promoting")
    destroy = sub.add_parser("destroy", parents=[common], help="purge our jobs and delete our intentions")
    destroy.add_argument("--no-wait", action="store_true", help="do not wait for services to leave Consul")
    sub.add_parser("verify", parents=[common], help="call the mesh and probe every pair with mTLS")
    graph = sub.add_parser(
        "graph", parents=[common], help="draw the mesh: services, upstreams, intentions, health",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Draw the services (health, version, instances; the edge service framed twice) and their "
                    "upstreams, each edge coloured by the intention that applies and whether an mTLS probe "
                    "confirmed it. Exit 0, 1 on errors.",
        epilog="examples:\n  deployer graph --out mesh.svg\n  deployer graph --format mermaid\n"
               "  deployer --json graph --no-probe")
    graph.add_argument("--format", choices=topology.FORMATS, default="svg", help="svg (default), dot or mermaid")
    graph.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    graph.add_argument("--no-probe", action="store_true", help="do not confirm the edges with mTLS probes")
    ui = sub.add_parser(
        "ui", parents=[common], help="serve a live topology page on 127.0.0.1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve the graph live on 127.0.0.1 (re-read about twice a second, with per-edge figures from "
                    "the sidecars' statistics); click an edge to allow or deny it. Runs until Ctrl-C (exit 0).",
        epilog="example:\n  deployer ui --port 8765    # then open http://127.0.0.1:8765/")
    ui.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0 = any free port)")

    intentions = sub.add_parser("intentions", parents=[common], help="Consul intentions")
    isub = intentions.add_subparsers(dest="intentions_command", required=True, metavar="ACTION")
    isub.add_parser("list", parents=[common], help="list intentions")
    iapply = isub.add_parser("apply", parents=[common], help="make Consul match the declared policy")
    iapply.add_argument("--no-wait", action="store_true", help="do not wait for the data plane")
    isub.add_parser("diff", parents=[common], help="show drift from the declared policy (exit 1 if any)")
    check = isub.add_parser("check", parents=[common], help="ask Consul whether SRC may call DST (exit 0)")
    check.add_argument("source")
    check.add_argument("destination")
    for name in ("allow", "deny", "delete"):
        cmd = isub.add_parser(name, parents=[common], help=f"{name} SRC -> DST")
        cmd.add_argument("source")
        cmd.add_argument("destination")
        cmd.add_argument("--force", action="store_true", help="allow unknown services / foreign intentions")
        cmd.add_argument("--no-wait", action="store_true", help="do not wait for the data plane")
        cmd.add_argument("--timeout", type=float, default=10.0, help="data-plane deadline in seconds")
    return parser


def dispatch(ctx, args) -> int:
    """Run the chosen command."""
    handlers = {"render": commands.cmd_render, "validate": commands.cmd_validate, "plan": apply.cmd_plan,
                "apply": apply.cmd_apply, "status": status.cmd_status, "destroy": destroy.cmd_destroy,
                "verify": commands.cmd_verify, "promote": promote.cmd_promote,
                "graph": topology.cmd_graph, "ui": topology.cmd_ui}
    if args.command == "intentions":
        handler = {"list": intentions.cmd_list, "check": intentions.cmd_check, "allow": intentions.cmd_set,
                   "deny": intentions.cmd_set, "delete": intentions.cmd_delete, "apply": intentions.cmd_apply,
                   "diff": intentions.cmd_diff}[args.intentions_command]
    else:
        handler = handlers[args.command]
    return handler(ctx, args)


def main(argv: list[str] | None = None) -> int:
    """Parse argv, run the command, and turn every failure into `error:` + `hint:` and an exit code."""
    try:
        args = build_parser().parse_args(argv)
    except DeployerError as exc:
        Console(no_color="--no-color" in (argv if argv is not None else sys.argv)).error(exc.message, exc.hint)
        return EXIT_ERROR
    console = Console(no_color=args.no_color)
    error_exit = EXIT_PLAN_ERROR if args.command == "plan" else EXIT_ERROR
    try:
        ctx = Context(args, console)
        return dispatch(ctx, args)
    except DeployerError as exc:
        if args.debug:
            traceback.print_exc(file=console.err)
        console.error(exc.message, None)
        for line in exc.details:
            print(f"  {line}", file=console.err)
        if exc.hint:
            console.error_hint(exc.hint)
        return exc.exit_code if exc.exit_code != EXIT_ERROR else error_exit
    except KeyboardInterrupt:
        console.error("interrupted", "nothing was half-written; run the command again")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean error
        if args.debug:
            traceback.print_exc(file=console.err)
        console.error(f"unexpected {type(exc).__name__}: {exc}", "run again with --debug and report it")
        return error_exit


def _reader_went_away() -> int:
    """Output to a closed pipe (`deployer status | head`): end quietly, as Unix tools do on SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not complain again
    os.close(devnull)
    return 128 + signal.SIGPIPE
