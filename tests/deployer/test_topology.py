"""The topology model, layouts and renderers, without Nomad or Consul."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from deployer.intentions.model import Intention, applying_intention
from deployer.topology.labels import edge_label, node_lines, stats_lines
from deployer.topology.layout import dot_layout, layered_layout, layout
from deployer.topology.model import CONFIRMED, MISMATCH, UNPROBED, EdgeLink, EdgeStats, ServiceNode, Topology
from deployer.topology.read import job_upstreams, publishes_static_port
from deployer.topology.render_svg import path_data, render_svg
from deployer.topology.render_text import render_dot, render_mermaid
from tests.deployer.cli_helpers import assert_one_error

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz dot is not installed (make tools)")


def node(name, edge=False, health="passing", present=True, running=1, desired=1):
    return ServiceNode(name, present, 3 if present else None, running, desired, health, "passing", edge)


def chain(state_of_tax="allow", dataplane=CONFIRMED) -> Topology:
    return Topology(
        [node("order", edge=True), node("invoice"), node("tax")],
        [EdgeLink("order", "invoice", "allow", None, CONFIRMED),
         EdgeLink("invoice", "tax", state_of_tax, {"source": "invoice", "destination": "tax",
                                                   "action": state_of_tax, "managed": True}, dataplane)])


def nomad_job(upstreams, static=False):
    """The parts of a Nomad Job (as GET /v1/job/:id returns it) that the topology reads."""
    ports = [{"Label": "http", "Value": 5000, "To": 5000}] if static else None
    return {"ID": "order", "Version": 2, "TaskGroups": [{
        "Name": "order", "Count": 2, "Networks": [{"Mode": "bridge", "ReservedPorts": ports}],
        "Services": [{"Name": "order", "Connect": {"SidecarService": {"Proxy": {
            "Upstreams": [{"DestinationName": u, "LocalBindPort": 6000 + i} for i, u in enumerate(upstreams)]}}}}]}]}


def test_upstreams_and_the_edge_mark_come_from_the_nomad_job():
    assert job_upstreams(nomad_job(["invoice", "audit", "invoice"])) == ["invoice", "audit"]
    assert job_upstreams({"TaskGroups": [{"Services": [{"Name": "x", "Connect": None}]}]}) == []
    assert publishes_static_port(nomad_job([], static=True))
    assert not publishes_static_port(nomad_job([]))


@pytest.mark.parametrize("intentions,expected", [
    ([], None),
    ([Intention("*", "*", "deny")], ("*", "*", "deny")),
    ([Intention("*", "*", "deny"), Intention("invoice", "tax", "allow")], ("invoice", "tax", "allow")),
    ([Intention("*", "tax", "allow"), Intention("invoice", "*", "deny")], ("*", "tax", "allow")),
    ([Intention("order", "tax", "deny")], None),
], ids=["none", "wildcard", "exact beats wildcard", "destination exact beats source exact", "other pair"])
def test_applying_intention_follows_consul_precedence(intentions, expected):
    found = applying_intention(intentions, "invoice", "tax")
    assert (found and (found.source, found.destination, found.action)) == expected


@pytest.mark.parametrize("action,dataplane,state", [
    ("allow", CONFIRMED, "allowed"), ("deny", CONFIRMED, "denied"), ("allow", UNPROBED, "allowed-unconfirmed"),
    ("deny", UNPROBED, "denied-unconfirmed"), ("allow", MISMATCH, "mismatch"), ("deny", MISMATCH, "mismatch")])
def test_edge_state_combines_consul_and_the_data_plane(action, dataplane, state):
    assert EdgeLink("a", "b", action, None, dataplane).state == state


@pytest.mark.parametrize("kwargs,status", [
    ({}, "passing"), ({"health": "critical (0/1 passing)"}, "critical"), ({"running": 0}, "warning"),
    ({"health": "no checks"}, "warning"), ({"present": False}, "missing")])
def test_node_status(kwargs, status):
    assert node("tax", **kwargs).status == status


def test_labels_say_version_instances_health_and_what_applies():
    assert node_lines(node("order", edge=True)) == ["order (edge)", "v3 · 1/1 running", "checks: passing",
                                                    "sidecar: passing"]
    assert node_lines(node("tax", present=False))[1] == "no Nomad job"
    assert edge_label(EdgeLink("a", "b", "deny", None, CONFIRMED)) == "deny ✓"
    assert edge_label(EdgeLink("a", "b", "allow", None, MISMATCH)).startswith("allow ✗")
    assert stats_lines(EdgeStats(note="no stats: tax's sidecar sets no envoy_prometheus_bind_addr")) == ["no stats"]
    assert stats_lines(EdgeStats(note="measuring…")) == ["measuring…"]
    assert stats_lines(EdgeStats(rps=2.0, error_rate=0.25, p50_ms=3.2, p99_ms=12.0, rbac_denied_per_s=0.5)) == \
        ["2.0 rps · 25% err", "p50 3.2 ms · p99 12 ms · 0.5 denied/s"]


def check_chain_positions(placed):
    xs = [placed.nodes[name][0] for name in ("order", "invoice", "tax")]
    assert xs == sorted(xs) and len(set(xs)) == 3, placed.nodes  # callers left of what they call
    for key in ("order->invoice", "invoice->tax"):
        start, end = placed.edges[key][0], placed.edges[key][-1]
        assert start[0] < end[0], (key, placed.edges[key])
    assert all(0 <= x <= placed.width and 0 <= y <= placed.height for x, y in placed.nodes.values())


def test_layered_layout_puts_callers_left():
    placed = layered_layout(chain())
    assert placed.engine == "python"
    check_chain_positions(placed)


def test_layered_layout_survives_a_cycle_and_fan_out():
    topology = Topology([node("a"), node("b"), node("c")],
                        [EdgeLink("a", "b", "allow", None), EdgeLink("a", "c", "allow", None),
                         EdgeLink("b", "a", "allow", None)])
    placed = layered_layout(topology)
    assert set(placed.nodes) == {"a", "b", "c"} and set(placed.edges) == {"a->b", "a->c", "b->a"}


@needs_dot
def test_dot_layout_puts_callers_left():
    placed = dot_layout(chain())
    assert placed.engine == "dot"
    check_chain_positions(placed)


def test_layout_falls_back_to_python_without_dot(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert layout(chain()).engine == "python"


@pytest.mark.parametrize("use_dot", [pytest.param(True, marks=needs_dot), False], ids=["dot", "python"])
def test_svg_is_well_formed_with_nodes_edges_and_states(use_dot):
    svg = render_svg(chain("deny"), layout(chain("deny"), use_dot=use_dot), stats=True)
    root = ET.fromstring(svg)
    groups = root.iter(f"{SVG}g")
    by_class = {}
    for group in groups:
        by_class.setdefault(group.get("class", "").split(" ")[0], []).append(group)
    assert [g.get("data-node") for g in by_class["node"]] == ["order", "invoice", "tax"]
    assert {g.get("data-edge"): g.get("data-state") for g in by_class["edge"]} == \
        {"order->invoice": "allowed", "invoice->tax": "denied"}
    assert "order (edge)" in svg and "deny ✓" in svg
    assert "<script" not in svg  # a picture, safe to open anywhere


def test_svg_escapes_names():
    topology = Topology([node("a<b>&"), node("c")], [EdgeLink("a<b>&", "c", "allow", None)])
    ET.fromstring(render_svg(topology, layered_layout(topology)))  # would raise on unescaped markup


def test_path_data_uses_beziers_for_dot_splines_and_lines_otherwise():
    assert path_data([(0, 0), (1, 1), (2, 2), (3, 3)]) == "M0.0,0.0 C1.0,1.0 2.0,2.0 3.0,3.0"
    assert path_data([(0, 0), (5, 0)]) == "M0.0,0.0 L5.0,0.0"


@needs_dot
def test_dot_output_is_accepted_by_graphviz():
    done = subprocess.run(["dot", "-Tsvg"], input=render_dot(chain("deny", UNPROBED)), capture_output=True,
                          text=True, timeout=20, check=True)
    assert done.stdout.count('class="edge"') == 2 and done.stdout.count('class="node"') == 3


def test_dot_text_colours_and_marks():
    text = render_dot(chain("deny", UNPROBED))
    assert '"invoice" -> "tax" [label="deny ?", color="#c62828"' in text and "style=dashed" in text
    assert "peripheries=2" in text.split('"order" [')[1].split("\n")[0]


def test_mermaid_has_every_node_edge_and_link_style():
    text = render_mermaid(chain("deny"))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert any(line.startswith('  n0_order[["order (edge)') for line in lines)
    assert '  n1_invoice -->|"deny ✓"| n2_tax' in lines
    assert "  linkStyle 1 stroke:#c62828,stroke-width:2px" in lines


def dead_addr() -> str:
    from devagent.ports import free_port
    return f"http://127.0.0.1:{free_port()}"


@pytest.mark.parametrize("argv,contains", [
    (["graph", "--format", "png"], "invalid choice: 'png'"),
    (["ui", "--port", "http"], "invalid int value"),
])
def test_bad_graph_and_ui_flags_are_one_line_errors(run_cli, argv, contains):
    assert_one_error(run_cli(*argv), 1, contains)


def test_graph_without_nomad_is_one_line_error(run_cli):
    result = run_cli("--nomad-addr", dead_addr(), "graph")
    assert_one_error(result, 1, "cannot reach Nomad")


def test_graph_to_an_unwritable_file(run_cli, tmp_path, monkeypatch):
    import deployer.topology.commands as commands
    monkeypatch.setattr(commands, "probed_topology", lambda clients, values, probe: chain())
    assert_one_error(run_cli("graph", "--out", str(tmp_path / "missing" / "mesh.svg")), 1, "cannot write")
    written = run_cli("graph", "--format", "mermaid", "--out", str(tmp_path / "mesh.mmd"))
    assert written.code == 0 and "3 services, 2 edges" in written.out
    assert (tmp_path / "mesh.mmd").read_text().startswith("flowchart LR")


def test_ui_port_in_use_is_one_line_error(run_cli, monkeypatch):
    import socket
    import deployer.topology.ui.server as server
    monkeypatch.setattr(server.TopologyWatcher, "__init__", lambda self, endpoints, values: None)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("ui", "--port", str(taken.getsockname()[1]))
    assert_one_error(result, 1, "cannot listen on 127.0.0.1")


def test_dev_values_publish_the_sidecars_statistics_for_the_page():
    from deployer.render import render_jobs
    from deployer.values import load_values
    jobs = render_jobs(load_values())
    for text in jobs.values():
        assert 'port "envoy_metrics" {\n        to = 9102\n      }' in text
        assert 'envoy_prometheus_bind_addr = "0.0.0.0:${NOMAD_PORT_envoy_metrics}"' in text
    quiet = render_jobs(load_values(overrides={"sidecar_metrics_port": None}))
    assert not any("envoy_metrics" in text for text in quiet.values())


def test_metrics_port_may_not_clash_with_a_port_in_the_group():
    from deployer.values import ValuesError, load_values
    with pytest.raises(ValuesError, match="sidecar_metrics_port: port 5001 is already used by services.invoice.port"):
        load_values(overrides={"sidecar_metrics_port": 5001})
    with pytest.raises(ValuesError, match=r"local_bind_port: port 6001 is already used by sidecar_metrics_port"):
        load_values(overrides={"sidecar_metrics_port": 6001})
