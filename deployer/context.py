"""What every command needs: console, clients and values, each built once and on demand."""

from __future__ import annotations

from functools import cached_property

from deployer.clients import Clients, Endpoints
from deployer.errors import DeployerError


class Context:
    """The parsed global flags, with the clients and the values loaded lazily."""

    def __init__(self, args, console):
        self.args = args
        self.console = console
        self.json = bool(getattr(args, "json", False))
        self.force = bool(getattr(args, "force", False))
        self.endpoints = Endpoints.resolve(args.nomad_addr, args.nomad_token, args.consul_addr, args.consul_token)

    @cached_property
    def clients(self) -> Clients:
        """Nomad and Consul clients for the resolved endpoints."""
        return Clients(self.endpoints)

    @cached_property
    def values(self):
        """The MeshValues of --values (or the default values file)."""
        from deployer.values import load_values
        try:
            return load_values(self.args.values)
        except FileNotFoundError as exc:
            raise DeployerError(f"values file not found: {exc.filename or self.args.values}",
                                hint="pass --values FILE (default: jobs/values/dev.yaml)") from exc

    def rendered_jobs(self) -> dict[str, str]:
        """Every job of the values rendered to HCL."""
        from deployer.render import render_jobs
        return render_jobs(self.values)

    def selected_jobs(self, only: list[str] | None) -> list[str]:
        """The job names to act on: all of the values, or those of --only (which must exist)."""
        names = list(self.values.services)
        for name in only or []:
            if name not in names:
                raise DeployerError(f"unknown job {name!r} for --only",
                                    hint=f"jobs in {self.values.path}: {', '.join(names)}")
        return list(only) if only else names
