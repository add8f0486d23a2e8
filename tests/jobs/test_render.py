"""Rendering: every template for every values file parses as HCL2 and has the Connect job shape."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

import deployer
from deployer.render import (
    CHECKOUT_ROOT,
    RenderError,
    hcl,
    render_job,
    render_jobs,
    template_for,
    write_jobs,
)
from deployer.values import JOBS_DIR, load_values
from tests.jobs.conftest import FIXED_RUNTIME, TEMPLATES, VALUES_FILES
from tests.jobs.hcl_tree import block, blocks, parse_hcl


def _job(text: str, name: str) -> dict:
    tree = parse_hcl(text)
    assert list(tree) == ["job"]
    return block(tree, "job", name)


def assert_job_shape(text: str, values, name: str) -> None:
    """The rendered job of `name` has the structure the issue asks for, with the values' data."""
    service, data = values.services[name], values.data
    job = _job(text, name)
    assert job["datacenters"] == data["datacenters"]
    assert job["type"] == "service"
    assert block(job, "meta") == {"managed_by": "deployer"}

    group = block(job, "group", name)
    assert group["count"] == service.count

    network = block(group, "network")
    assert network["mode"] == "bridge"
    ports = {label: body for port in blocks(network, "port") for label, body in port.items()}
    metrics_port = data["sidecar_metrics_port"]
    expected_ports = {} if service.static_port is None else {"http": {"static": service.static_port, "to": service.port}}
    if metrics_port is not None:  # the sidecar's statistics, on a dynamic host port
        expected_ports["envoy_metrics"] = {"to": metrics_port}
    assert ports == expected_ports

    svc = block(group, "service")
    # A number Nomad knows at submit time, as an exposed check needs (nomad#9907).
    assert svc["name"] == name and svc["port"] == str(service.port)
    assert svc["tags"] == list(service.tags)
    check = block(svc, "check")
    assert check == {"type": "http", "path": data["check"]["path"], "interval": data["check"]["interval"],
                     "timeout": data["check"]["timeout"], "expose": True}
    proxy = block(block(block(svc, "connect"), "sidecar_service"), "proxy")
    expected_config = {"protocol": "http"}
    if metrics_port is not None:
        expected_config["envoy_prometheus_bind_addr"] = "0.0.0.0:${NOMAD_PORT_envoy_metrics}"
    assert block(proxy, "config") == expected_config
    assert [(u["destination_name"], u["local_bind_port"]) for u in blocks(proxy, "upstreams")] == [
        (u.name, u.local_bind_port) for u in service.upstreams]

    canary = 0 if service.static_port is not None else data["update"]["canary"]
    assert block(group, "update") == {**data["update"], "auto_revert": True, "canary": canary,
                                      "auto_promote": data["update"]["auto_promote"] and canary > 0}
    assert block(group, "restart") == data["restart"]

    task = block(group, "task", name)
    assert task["driver"] == data["runtime"]["driver"]
    assert task["shutdown_delay"] == data["shutdown_delay"]
    assert block(task, "resources") == {"cpu": service.resources.cpu, "memory": service.resources.memory}
    env = block(task, "env") if "env" in task else {}
    if service.static_port is None:
        assert env["PORT"] == str(service.port) and "SERVICE_HOST" not in env
    else:  # the app reads NOMAD_PORT_http; the published port arrives at the group's address
        assert "PORT" not in env and env["SERVICE_HOST"] == service.env.get("SERVICE_HOST", "0.0.0.0")
    for upstream in service.upstreams:
        key = upstream.name.replace("-", "_")
        assert env[f"{key.upper()}_URL"] == f"http://${{NOMAD_UPSTREAM_ADDR_{key}}}"
    config = block(task, "config")
    if task["driver"] == "raw_exec":
        assert config["args"] == ["-m", f"services.{service.app}"]
        assert config["command"] and env["PYTHONPATH"]
    else:
        assert config == {"image": service.image}


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_every_service_of_every_values_file(values_file, template):
    values = load_values(values_file)
    for name in values.services:
        forced = load_values(values_file, {"services": {name: {"template": template}}})
        text = render_job(forced, name)
        assert f"from jobs/{template}" in text
        assert_job_shape(text, forced, name)


def test_render_jobs_gives_one_job_per_service_in_values_order(values_file):
    values = load_values(values_file)
    jobs = render_jobs(values)
    assert list(jobs) == list(values.services)
    for name, text in jobs.items():
        assert_job_shape(text, values, name)


def test_only_order_publishes_a_host_port(values_file):
    jobs = render_jobs(load_values(values_file))
    published = {name for name, text in jobs.items()
                 for port in blocks(block(block(_job(text, name), "group", name), "network"), "port")
                 if any("static" in body for body in port.values())}
    assert published == {"order"}


def test_services_share_the_generic_template_unless_one_of_their_own_exists(tmp_path):
    values = load_values(overrides={"services": {"audit": {"app": "tax", "port": 5003}}})
    assert {template_for(values.services[n]) for n in ("order", "invoice", "tax", "audit")} == {
        "service.nomad.hcl.j2"}
    templates = _templates_copy(tmp_path)
    (templates / "tax.nomad.hcl.j2").write_text((templates / "service.nomad.hcl.j2").read_text())
    assert template_for(values.services["tax"], templates) == "tax.nomad.hcl.j2"
    assert template_for(values.services["order"], templates) == "service.nomad.hcl.j2"


def test_a_template_that_does_not_exist_is_an_error():
    values = load_values(overrides={"services": {"tax": {"template": "taxes.nomad.hcl.j2"}}})
    with pytest.raises(RenderError, match=r"^jobs/values/dev.yaml: services.tax.template: "
                                          r"no template 'taxes.nomad.hcl.j2' in jobs$"):
        render_job(values, "tax")


def test_unknown_service_is_an_error():
    with pytest.raises(RenderError, match=r"no service 'shipping'"):
        render_job(load_values(), "shipping")


def test_raw_exec_runs_the_deployers_python_from_this_checkout():
    task = block(block(_job(render_job(load_values(), "tax"), "tax"), "group", "tax"), "task", "tax")
    assert block(task, "config")["command"] == sys.executable
    assert block(task, "env")["PYTHONPATH"] == str(CHECKOUT_ROOT)
    assert CHECKOUT_ROOT == Path(deployer.__file__).resolve().parent.parent
    assert (CHECKOUT_ROOT / "jobs" / "service.nomad.hcl.j2").is_file()


def test_values_can_set_the_interpreter_and_pythonpath():
    text = render_job(load_values(overrides=FIXED_RUNTIME), "tax")
    task = block(block(_job(text, "tax"), "group", "tax"), "task", "tax")
    assert block(task, "config")["command"] == "/opt/mesh/.venv/bin/python"
    assert block(task, "env")["PYTHONPATH"] == "/opt/mesh"


def test_renamed_services_still_find_their_upstream_by_app():
    """Generated values (benchmarks) name services freely; apps find upstreams by their app name."""
    services = {
        "svc-a": {"app": "order", "port": 7000, "upstreams": [{"name": "svc-b", "local_bind_port": 7101}]},
        "svc-b": {"app": "invoice", "port": 7001, "upstreams": [{"name": "svc-c", "local_bind_port": 7102}]},
        "svc-c": {"app": "tax", "port": 7002},
    }
    values = load_values(overrides={"services": services})
    text = render_job(values, "svc-a")
    assert_job_shape(text, values, "svc-a")
    task = block(block(_job(text, "svc-a"), "group", "svc-a"), "task", "svc-a")
    env = block(task, "env")
    assert env["SVC_B_URL"] == env["INVOICE_URL"] == "http://${NOMAD_UPSTREAM_ADDR_svc_b}"
    assert block(task, "config")["args"] == ["-m", "services.order"]
    assert "from jobs/service.nomad.hcl.j2" in text


def test_a_chain_of_thirty_services_renders_and_parses(tmp_path):
    names = [f"s{i:02d}" for i in range(30)]
    apps = ["order"] + ["invoice"] * 28 + ["tax"]
    services = {}
    for i, name in enumerate(names):
        upstreams = [{"name": names[i + 1], "local_bind_port": 9000 + i}] if i + 1 < len(names) else []
        services[name] = {"app": apps[i], "port": 8000 + i, "upstreams": upstreams}
    data = {**yaml.safe_load((JOBS_DIR / "values" / "dev.yaml").read_text()),
            "services": services, "intentions": {"default": "allow"}}
    path = tmp_path / "chain.yaml"
    path.write_text(yaml.safe_dump(data))
    values = load_values(path)
    jobs = render_jobs(values)
    assert list(jobs) == names
    for name, text in jobs.items():
        assert_job_shape(text, values, name)


def test_service_env_is_added_last_and_escaped_for_hcl():
    overrides = {"env": {"SHARED": "g"},
                 "services": {"tax": {"env": {"TAX_RATES": 'US-CA=0.0725 "q" \\ %{x}', "SHARED": "own"}}}}
    text = render_job(load_values(overrides=overrides), "tax")
    env = block(block(block(_job(text, "tax"), "group", "tax"), "task", "tax"), "env")
    assert env["TAX_RATES"] == 'US-CA=0.0725 "q" \\ %{x}'
    assert env["SHARED"] == "own"


def test_docker_apps_are_told_only_where_to_listen():
    """Internal apps learn their port from PORT; the edge listens on every address of its namespace."""
    jobs = render_jobs(load_values(JOBS_DIR / "values" / "prod.yaml"))
    envs = {name: block(block(block(_job(text, name), "group", name), "task", name), "env")
            for name, text in jobs.items()}
    assert envs["tax"] == {"PORT": "5002"}
    assert envs["invoice"] == {"PORT": "5001", "TAX_URL": "http://${NOMAD_UPSTREAM_ADDR_tax}"}
    assert envs["order"] == {"SERVICE_HOST": "0.0.0.0", "INVOICE_URL": "http://${NOMAD_UPSTREAM_ADDR_invoice}"}


# --- job meta ---


def test_rendering_is_deterministic():
    assert render_jobs(load_values(overrides=FIXED_RUNTIME)) == render_jobs(load_values(overrides=FIXED_RUNTIME))


def test_a_count_change_changes_only_the_count_line():
    """Job meta is part of Nomad's destructive-update comparison: it must not follow the spec."""
    before = render_job(load_values(overrides=FIXED_RUNTIME), "invoice").splitlines()
    after = render_job(load_values(overrides={**FIXED_RUNTIME, "services": {"invoice": {"count": 2}}}),
                       "invoice").splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after)
    assert changed == [("    count = 1", "    count = 2")]


# --- template errors name the template, the line and the name ---


def _templates_copy(tmp_path: Path) -> Path:
    for path in JOBS_DIR.glob("*.j2"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_missing_variable_in_a_template_names_template_line_and_name(tmp_path):
    templates = _templates_copy(tmp_path)
    (templates / "tax.nomad.hcl.j2").write_text(
        '[% from "_macros.nomad.hcl.j2" import service_job %]\n'
        '# port [[ job.service.prot ]]\n'
        '[[ service_job(job) ]]\n')
    with pytest.raises(RenderError) as caught:
        render_job(load_values(), "tax", templates_dir=templates)
    message = str(caught.value)
    assert f"{templates / 'tax.nomad.hcl.j2'}, line 2: " in message
    assert "'prot'" in message and "job tax" in message
    assert "\n" not in message and caught.value.hint


@pytest.mark.parametrize("name, typo", [
    ("job.update.max_parallel", "job.update.max_paralel"),  # printed as is
    ("job.check.path", "job.check.pth"),  # passed through the hcl filter
    ("job.service.resources.cpu", "job.service.resource.cpu"),  # attribute of a missing value
])
def test_misspelled_name_in_the_macros_names_the_macros_file_and_line(tmp_path, name, typo):
    templates = _templates_copy(tmp_path)
    macros = templates / "_macros.nomad.hcl.j2"
    text = macros.read_text()
    assert text.count(name) == 1
    macros.write_text(text.replace(name, typo))
    line = text[:text.index(name)].count("\n") + 1
    with pytest.raises(RenderError) as caught:
        render_job(load_values(), "order", templates_dir=templates)
    assert f"{macros}, line {line}: " in str(caught.value)
    assert f"'{typo.split('.')[2]}'" in str(caught.value)


def test_undefined_top_level_name_is_an_error_not_an_empty_string(tmp_path):
    templates = _templates_copy(tmp_path)
    (templates / "tax.nomad.hcl.j2").write_text("[[ jobb.name ]]\n")
    with pytest.raises(RenderError, match=r"tax.nomad.hcl.j2, line 1: 'jobb' is undefined"):
        render_job(load_values(), "tax", templates_dir=templates)


def test_template_syntax_error_names_template_and_line(tmp_path):
    templates = _templates_copy(tmp_path)
    (templates / "tax.nomad.hcl.j2").write_text("job {\n[% if %]\n}\n")
    with pytest.raises(RenderError, match=r"tax.nomad.hcl.j2, line 2: "):
        render_job(load_values(), "tax", templates_dir=templates)


def test_nomad_syntax_passes_through_untouched(tmp_path):
    templates = _templates_copy(tmp_path)
    (templates / "tax.nomad.hcl.j2").write_text(
        '[% from "_macros.nomad.hcl.j2" import service_job %]\n'
        '# {{ env "NOMAD_ALLOC_ID" }} ${NOMAD_PORT_http}\n'
        '[[ service_job(job) ]]\n')
    text = render_job(load_values(), "tax", templates_dir=templates)
    assert '# {{ env "NOMAD_ALLOC_ID" }} ${NOMAD_PORT_http}\n' in text


# --- helpers ---


@pytest.mark.parametrize("value, literal", [
    ("a", '"a"'), ('say "hi"\n', '"say \\"hi\\"\\n"'), ("${NOMAD_X}", '"${NOMAD_X}"'),
    (True, "true"), (3, "3"), (["-m", "x"], '["-m", "x"]'), ((), "[]"),
])
def test_hcl_literals(value, literal):
    assert hcl(value) == literal


def test_write_jobs_writes_one_file_per_job(tmp_path):
    jobs = render_jobs(load_values(overrides=FIXED_RUNTIME))
    paths = write_jobs(jobs, tmp_path / "out")
    assert [p.name for p in paths] == ["order.nomad.hcl", "invoice.nomad.hcl", "tax.nomad.hcl"]
    assert paths[0].read_text() == jobs["order"]


def test_values_files_are_found():
    assert {p.name for p in VALUES_FILES} >= {"dev.yaml", "prod.yaml"}
    assert set(TEMPLATES) == {"service.nomad.hcl.j2"}
