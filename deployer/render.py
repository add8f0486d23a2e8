"""Render one Nomad HCL2 job per service from the Jinja templates in jobs/."""

from __future__ import annotations

import functools
import re
import sys
import traceback
from pathlib import Path
from types import SimpleNamespace

import jinja2

from deployer.errors import DeployerError
from deployer.values import JOBS_DIR, RESERVED_ENV, MeshValues, Service

CHECKOUT_ROOT = JOBS_DIR.parent
GENERIC_TEMPLATE = "service.nomad.hcl.j2"
TEMPLATE_SUFFIX = ".nomad.hcl.j2"

_NOT_ENV_CHARS = re.compile(r"[^A-Za-z0-9_]")


class RenderError(DeployerError):
    """A template could not be rendered: one line naming the template, the line and the name."""


def hcl(value) -> str:
    """An HCL literal for a string, number, bool or list (strings keep ${...} for Nomad)."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here, naming the missing value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r").replace("\t", "\\t").replace("%{", "%%{"))
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(hcl(item) for item in value) + "]"
    raise TypeError(f"no HCL literal for {type(value).__name__}: {value!r}")


def hcl_attributes(mapping: dict, indent: int) -> str:
    """`name = value` lines with the equals signs aligned, as `nomad fmt` writes them."""
    width = max((len(name) for name in mapping), default=0)
    pad = " " * indent
    return "\n".join(f"{pad}{name.ljust(width)} = {hcl(value)}" for name, value in mapping.items())


def env_name(name: str) -> str:
    """A service name as Nomad writes it in environment variable names (dashes -> _)."""
    return _NOT_ENV_CHARS.sub("_", name)


@functools.lru_cache(maxsize=8)
def _environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        # Nomad owns {{ }} (template blocks) and ${ } (interpolation); ours cannot collide.
        block_start_string="[%", block_end_string="%]",
        variable_start_string="[[", variable_end_string="]]",
        comment_start_string="[#", comment_end_string="#]",
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["hcl"] = hcl
    env.filters["hcl_attributes"] = hcl_attributes
    return env


def template_for(service: Service, templates_dir: Path = JOBS_DIR) -> str:
    """The template file of a service: its own `template`, <name>.nomad.hcl.j2, or the generic one."""
    if service.template:
        if not (templates_dir / service.template).is_file():
            raise RenderError(f"services.{service.name}.template: no template {service.template!r} "
                              f"in {_where(str(templates_dir), None)}", "name a file under jobs/, or remove the key")
        return service.template
    own = service.name + TEMPLATE_SUFFIX
    return own if (templates_dir / own).is_file() else GENERIC_TEMPLATE


def task_env(values: MeshValues, service: Service, pythonpath: str | None) -> dict[str, str]:
    """The task's environment: PYTHONPATH, where to listen, global env, upstream URLs, then the service's env."""
    env: dict[str, str] = {}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    if service.static_port is None:
        # Without a group port Nomad sets no NOMAD_PORT_http: the app learns its in-group port here.
        env[RESERVED_ENV] = str(service.port)
    else:
        # Bridge mode forwards the published port to the group's address, not to its loopback.
        env["SERVICE_HOST"] = "0.0.0.0"
    env.update(values.data["env"])
    env.update(_upstream_env(values, service))
    env.update(service.env)
    return env


def _upstream_env(values: MeshValues, service: Service) -> dict[str, str]:
    """<NAME>_URL per upstream, and <APP>_URL so an app finds an upstream renamed in the values."""
    urls = {up.name: f"http://${{NOMAD_UPSTREAM_ADDR_{env_name(up.name)}}}" for up in service.upstreams}
    env = {f"{env_name(name).upper()}_URL": url for name, url in urls.items()}
    apps = [values.services[up.name].app for up in service.upstreams]
    for up, app in zip(service.upstreams, apps):
        if apps.count(app) == 1:
            env.setdefault(f"{env_name(app).upper()}_URL", urls[up.name])
    return env


def _job_context(values: MeshValues, service: Service, template: str) -> SimpleNamespace:
    # A namespace, not a dict: in Jinja `job.update` on a dict would find dict.update.
    data = values.data
    runtime = data["runtime"]
    raw_exec = runtime["driver"] == "raw_exec"
    pythonpath = (runtime["pythonpath"] or str(CHECKOUT_ROOT)) if raw_exec else None
    return SimpleNamespace(
        name=service.name,
        template=template,
        datacenters=data["datacenters"],
        service=service,
        driver=runtime["driver"],
        python=runtime["python"] or sys.executable,
        env=task_env(values, service, pythonpath),
        update=data["update"],
        restart=data["restart"],
        check=data["check"],
        shutdown_delay=data["shutdown_delay"],
        sidecar_metrics_port=data["sidecar_metrics_port"],
    )


def render_job(values: MeshValues, service: str, templates_dir: Path | None = None) -> str:
    """The HCL2 text of the job of one service."""
    if service not in values.services:
        raise RenderError(f"no service {service!r} in {values.path}",
                          f"services are: {', '.join(values.services)}")
    templates_dir = Path(templates_dir) if templates_dir is not None else JOBS_DIR
    svc = values.services[service]
    try:
        name = template_for(svc, templates_dir)
    except RenderError as exc:
        raise RenderError(f"{_where(str(values.path), None)}: {exc.message}", exc.hint) from None
    try:
        template = _environment(templates_dir.resolve()).get_template(name)
        text = template.render(job=_job_context(values, svc, name))
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"{name}: template {exc.name!r} not found in {templates_dir}",
                          "check the file name and the import in the template") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{_where(exc.filename or exc.name, exc.lineno)}: {exc.message}",
                          "fix the template syntax ([[ value ]], [% block %], [# comment #])") from None
    except jinja2.TemplateError as exc:
        frame = _template_frame(exc, templates_dir)
        where = _where(frame[0], frame[1]) if frame else name
        raise RenderError(f"{where}: {exc.message} (job {service})",
                          "every name a template uses must come from the job context in "
                          "deployer/render.py or the values file") from None
    return text


def render_jobs(values: MeshValues, templates_dir: Path | None = None) -> dict[str, str]:
    """Job name -> HCL2 text, for every service in the values."""
    return {name: render_job(values, name, templates_dir) for name in values.services}


def write_jobs(jobs: dict[str, str], out_dir: str | Path) -> list[Path]:
    """Write each job to <out_dir>/<name>.nomad.hcl and return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in jobs.items():
        path = out / f"{name}.nomad.hcl"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[str, int] | None:
    """The innermost traceback frame inside a template file: (file, line)."""
    root = str(templates_dir.resolve())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(root)]
    return (frames[-1].filename, frames[-1].lineno) if frames else None


def _where(filename: str, line: int | None) -> str:
    path = Path(filename)
    try:
        shown = str(path.resolve().relative_to(CHECKOUT_ROOT))
    except ValueError:
        shown = str(path)
    return f"{shown}, line {line}" if line else shown
