"""`python -m devagent`: a Nomad-compatible dev agent on this host (Nomad-style single-dash flags)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from devagent.agent import Agent, AgentConfig, default_data_dir, default_node_name
from devagent.consul_api import ConsulAgentAPI
from devagent.consul_client import ConsulError
from devagent.durations import DurationError, parse_go_duration
from devagent.process_ledger import ProcessLedger
from devagent.sidecars import KINDS, SidecarUnavailable, default_kind, sidecar_class
from devagent.stop_limits import MAX_KILL_TIMEOUT_NS, MAX_SHUTDOWN_DELAY_NS, StopLimits


class CliError(Exception):
    """A startup failure: a message and a hint for the user."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def build_parser() -> argparse.ArgumentParser:
    """The flags, named as `nomad agent` names them."""
    parser = argparse.ArgumentParser(prog="devagent", description=__doc__)
    add = parser.add_argument
    add("-bind", "--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    add("-http-port", "--http-port", type=int, default=4646, help="HTTP API port (default 4646)")
    add("-consul-addr", "--consul-addr", default=os.environ.get("CONSUL_HTTP_ADDR") or "127.0.0.1:8500",
        help="Consul HTTP address (default $CONSUL_HTTP_ADDR or 127.0.0.1:8500)")
    add("-consul-token", "--consul-token", default=None, metavar="TOKEN",
        help="Consul ACL token for devagent's calls, as Nomad's consul.token (default $CONSUL_HTTP_TOKEN); "
             "with one, each Connect sidecar gets a service identity token of its own")
    add("-data-dir", "--data-dir", type=Path, default=None, help="state dir (default a temp dir per port)")
    add("-dev-consul", "--dev-consul", action="store_true", help="start a Consul dev agent when none answers")
    add("-dev-consul-acl", "--dev-consul-acl", action="store_true",
        help="as -dev-consul, and the Consul it starts enforces ACLs (default deny); devagent bootstraps them, keeps "
             "the management token in <data-dir>/consul-management.token (0600) and uses a devagent-policy token")
    add("-sidecar", "--sidecar", choices=KINDS, default=None, help="sidecar kind (default envoy if available, else builtin)")
    add("-node-name", "--node-name", default=default_node_name(), help="node name (default the host name)")
    add("-datacenter", "--datacenter", default="dc1", help="datacenter (default dc1)")
    add("-region", "--region", default="global", help="region (default global)")
    add("-no-network-namespaces", "--no-network-namespaces", action="store_true",
        help="run bridge-mode groups in host mode (loopback host ports) even where namespaces can be made")
    add("-max-kill-timeout", "--max-kill-timeout", type=_duration_ns, default=MAX_KILL_TIMEOUT_NS, metavar="DURATION",
        help="cap on every task's kill_timeout, as Nomad's client max_kill_timeout (default 30s)")
    add("-max-shutdown-delay", "--max-shutdown-delay", type=_duration_ns, default=MAX_SHUTDOWN_DELAY_NS,
        metavar="DURATION", help="cap on every shutdown_delay (devagent's own; default 30s)")
    add("-cpu-total-compute", "--cpu-total-compute", type=_non_negative, default=0, metavar="MHZ",
        help="CPU the node offers in MHz, as Nomad's client cpu_total_compute (default fingerprinted)")
    add("-memory-total-mb", "--memory-total-mb", type=_non_negative, default=0, metavar="MB",
        help="memory the node offers in MB, as Nomad's client memory_total_mb (default fingerprinted)")
    return parser


def _duration_ns(text: str) -> int:
    try:
        value = parse_go_duration(text)
    except DurationError as exc:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} ({exc})") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the agent until SIGINT/SIGTERM; 0 on a clean stop, 1 on a startup error (`validate`: see validate_cli)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["validate"]:
        from devagent.validate_cli import main as validate_main
        return validate_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # interrupted before the signal handlers were in place
        print("devagent: interrupted while starting", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    kind = args.sidecar or default_kind()
    try:
        runtime_class = sidecar_class(kind)
    except SidecarUnavailable as exc:
        raise CliError(str(exc), exc.hint) from exc
    data_dir = args.data_dir or default_data_dir(args.bind, args.http_port)
    data_dir.mkdir(parents=True, exist_ok=True)
    ledger = ProcessLedger(data_dir)
    for line in ledger.reap_previous_run():
        print(f"devagent: cleanup of a previous run: killed {line}", file=sys.stderr, flush=True)
    consul_token = _take_consul_token(args)
    consul_addr, dev_consul = _consul(args, data_dir)
    if dev_consul is not None and dev_consul.acl:
        consul_token = _dev_consul_tokens(dev_consul, data_dir)
    if dev_consul is not None:
        ledger.add(dev_consul.process.pid, "consul dev agent")
    config = AgentConfig(bind=args.bind, http_port=args.http_port, consul_addr=consul_addr, data_dir=data_dir,
                         sidecar_class=runtime_class, node_name=args.node_name, datacenter=args.datacenter,
                         region=args.region, ledger=ledger, network_namespaces=not args.no_network_namespaces,
                         cpu_total_compute=args.cpu_total_compute, memory_total_mb=args.memory_total_mb,
                         stop_limits=StopLimits(args.max_kill_timeout, args.max_shutdown_delay),
                         consul_token=consul_token)
    agent = Agent(config)
    try:
        from devagent.http_api import NomadApi
        from devagent.http_server import make_server
        try:
            server = make_server(args.bind, args.http_port, NomadApi(agent).router())
        except OSError as exc:
            raise CliError(f"cannot listen on {args.bind}:{args.http_port}: {exc.strerror}",
                           "choose another -http-port") from exc
        for line in agent.start():
            print(f"devagent: cleanup of a previous run: {line}", file=sys.stderr, flush=True)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        serving = threading.Thread(target=server.serve_forever, name="http", daemon=True)
        serving.start()
        print(f"devagent: listening on http://{args.bind}:{args.http_port} (consul {consul_addr}, sidecar {kind}, "
              f"data dir {data_dir})", flush=True)
        while not stop.wait(1):
            pass
        print("devagent: shutting down: stopping allocations", flush=True)
        server.shutdown()  # no new registrations while allocations stop
        agent.shutdown()
        server.server_close()
        print("devagent: stopped", flush=True)
        return 0
    finally:
        if dev_consul is not None:
            dev_consul.stop()
            ledger.remove(dev_consul.process.pid)


def _take_consul_token(args: argparse.Namespace) -> str:
    """devagent's Consul token (flag, then $CONSUL_HTTP_TOKEN), removed from the environment tasks inherit."""
    from_env = os.environ.pop("CONSUL_HTTP_TOKEN", "")
    return (args.consul_token if args.consul_token is not None else from_env).strip()


def _consul(args: argparse.Namespace, data_dir: Path):
    """The Consul address to use, starting a dev agent when asked and none answers."""
    address = args.consul_addr.removeprefix("http://")
    try:
        consul_api = ConsulAgentAPI(address, timeout=2)
    except ConsulError as exc:
        raise CliError(str(exc), "pass -consul-addr HOST:PORT") from None
    if consul_api.alive():
        return address, None
    if not (args.dev_consul or args.dev_consul_acl):
        raise CliError(f"no Consul agent answers at {address}",
                       "start one (consul agent -dev), pass -consul-addr, or add -dev-consul")
    from devagent.consul_dev import ConsulDevAgent, ConsulNotFound
    try:
        consul = ConsulDevAgent(log_path=data_dir / "consul.log", acl=args.dev_consul_acl).start()
    except (ConsulNotFound, TimeoutError, RuntimeError) as exc:
        raise CliError(f"could not start a Consul dev agent: {exc}", "install consul (scripts/install-consul.sh)") from exc
    acl = " with ACLs (default deny)" if consul.acl else ""
    print(f"devagent: started a Consul dev agent{acl} at {consul.http_addr} (log {data_dir / 'consul.log'})", flush=True)
    return consul.http_addr, consul


def _dev_consul_tokens(consul, data_dir: Path) -> str:
    """Keep the dev Consul's management token in the data dir (0600); devagent's own token, policy devagent."""
    path = data_dir / "consul-management.token"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(consul.management_token)
    print(f"devagent: Consul's management token is in {path} (0600)", flush=True)
    try:
        return consul.token(policies=["devagent"], description="devagent (-dev-consul-acl)")
    except ConsulError as exc:
        raise CliError(f"could not create devagent's Consul token: {exc}", "see the Consul log in the data dir") from exc
