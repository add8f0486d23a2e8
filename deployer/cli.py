"""The `deployer` command line: argument parsing and the one exit path for errors."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from importlib import metadata

from deployer import apply, commands, destroy, promote, status
from deployer.cli_help import add_command
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
    group = parser.add_argument_group("global flags")
    group.add_argument("--nomad-addr", default=default,
                       help="Nomad HTTP API (default: $NOMAD_ADDR, then http://127.0.0.1:4646)")
    group.add_argument("--nomad-token", default=default, help="Nomad ACL token (default: $NOMAD_TOKEN)")
    group.add_argument("--consul-addr", default=default,
                       help="Consul HTTP API (default: $CONSUL_HTTP_ADDR, then 127.0.0.1:8500)")
    group.add_argument("--consul-token", default=default, help="Consul ACL token (default: $CONSUL_HTTP_TOKEN)")
    group.add_argument("--values", default=default, help="values file (default: jobs/values/dev.yaml)")
    flag_default = False if default is None else default
    group.add_argument("--debug", action="store_true", default=flag_default, help="show tracebacks")
    group.add_argument("--no-color", action="store_true", default=flag_default,
                       help="no colours (NO_COLOR is honoured too)")
    group.add_argument("--json", action="store_true", default=flag_default,
                       help="machine-readable output where it applies")


def package_version() -> str:
    """The installed project's version."""
    try:
        return metadata.version("consul-mesh-deployer")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and flags."""
    top = ArgumentParser(add_help=False)
    add_global_flags(top, default=None)
    # Subcommands accept the same flags; SUPPRESS keeps them from resetting values given earlier.
    common = ArgumentParser(add_help=False)
    add_global_flags(common, default=argparse.SUPPRESS)

    parser = ArgumentParser(prog="deployer", parents=[top],
                            description="Deploy the Consul Connect mesh to Nomad and check it.",
                            epilog="`deployer COMMAND --help` for a command's flags, exit codes and examples.")
    parser.add_argument("--version", action="version", version=f"deployer {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = add_command(sub, "render", [common])
    render.add_argument("--out", help="write <job>.nomad.hcl files into this directory")
    render.add_argument("--only", action="append", metavar="JOB", help="only this job (repeatable)")
    validate = add_command(sub, "validate", [common])
    validate.add_argument("--only", action="append", metavar="JOB", help="only this job (repeatable)")
    for name in ("plan", "apply"):
        cmd = add_command(sub, name, [common])
        cmd.add_argument("--only", action="append", metavar="JOB", help="only this job (repeatable)")
        cmd.add_argument("--force", action="store_true", help="overwrite jobs not managed by the deployer")
    add_command(sub, "status", [common])
    promote_cmd = add_command(sub, "promote", [common])
    promote_cmd.add_argument("jobs", nargs="*", metavar="JOB", help="jobs to promote (default: every job waiting)")
    promote_cmd.add_argument("--no-wait", action="store_true", help="do not follow the deployment after promoting")
    destroy_cmd = add_command(sub, "destroy", [common])
    destroy_cmd.add_argument("--no-wait", action="store_true", help="do not wait for services to leave Consul")
    add_command(sub, "verify", [common])
    graph = add_command(sub, "graph", [common])
    graph.add_argument("--format", choices=topology.FORMATS, default="svg", help="svg (default), dot or mermaid")
    graph.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    graph.add_argument("--no-probe", action="store_true", help="do not confirm the edges with mTLS probes")
    ui = add_command(sub, "ui", [common])
    ui.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0 = any free port)")

    intentions_cmd = add_command(sub, "intentions", [common])
    isub = intentions_cmd.add_subparsers(dest="intentions_command", required=True, metavar="ACTION")
    add_command(isub, "intentions list", [common])
    iapply = add_command(isub, "intentions apply", [common])
    iapply.add_argument("--no-wait", action="store_true", help="do not wait for the data plane")
    add_command(isub, "intentions diff", [common])
    check = add_command(isub, "intentions check", [common])
    check.add_argument("source", metavar="SRC")
    check.add_argument("destination", metavar="DST")
    for name in ("allow", "deny", "delete"):
        cmd = add_command(isub, f"intentions {name}", [common])
        cmd.add_argument("source", metavar="SRC")
        cmd.add_argument("destination", metavar="DST")
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
