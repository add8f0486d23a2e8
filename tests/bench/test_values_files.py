"""Generated values files: tree shapes, dependency levels, unique ports, and the deployer's own schema."""

import itertools

import pytest

from bench.values_files import (base_values, chain_parents, dependency_levels, generated_values, mesh_values,
                                tree_levels, tree_parents, unique_port_picker, with_keepalive, write_values)
from deployer.values import load_values


@pytest.mark.parametrize("count, levels", [(3, [1, 1, 1]), (10, [1, 3, 6]), (30, [1, 5, 24]), (2, [1, 1])])
def test_tree_levels_of_depth_three(count, levels):
    assert tree_levels(count, 3) == levels
    assert sum(levels) == count


def test_tree_children_are_spread_evenly_and_depth_is_three():
    parents = tree_parents(30)
    assert dependency_levels(parents) == 3
    per_parent = [list(parents.values()).count(i) for i in range(1, 6)]
    assert per_parent == [5, 5, 5, 5, 4]


def test_chain_has_one_level_per_service():
    assert dependency_levels(chain_parents(10)) == 10


def test_port_picker_never_repeats():
    ports = iter([5, 5, 6, 5, 7])
    pick = unique_port_picker(lambda: next(ports))
    assert [pick(), pick(), pick()] == [5, 6, 7]


@pytest.mark.parametrize("parents", [chain_parents(10), tree_parents(30)])
def test_generated_values_pass_the_deployer_schema(tmp_path, parents):
    counter = itertools.count(40000)
    path = write_values(generated_values(base_values(), parents, lambda: next(counter)), tmp_path / "v.yaml")
    values = load_values(path)
    assert len(values.services) == len(parents)
    edges = sum(p is not None for p in parents.values())
    assert sum(len(s.upstreams) for s in values.services.values()) == edges
    assert len(values.intentions.rules) == edges


def test_mesh_values_move_published_and_upstream_ports_and_keepalive_sets_env(tmp_path):
    counter = itertools.count(41000)
    data = with_keepalive(mesh_values(base_values(), lambda: next(counter)))
    values = load_values(write_values(data, tmp_path / "mesh.yaml"))
    assert values.services["order"].static_port == values.services["order"].port == 41000
    assert {u.local_bind_port for s in values.services.values() for u in s.upstreams} == {41001, 41002}
    assert all(s.env["UPSTREAM_KEEPALIVE"] == "1" for s in values.services.values())


def test_a_generated_mesh_can_check_its_services_at_another_interval():
    from bench.values_files import base_values, generated_values, tree_parents

    ports = iter(range(20000, 20100))
    data = generated_values(base_values(), tree_parents(3), lambda: next(ports), check_interval="10s")
    assert data["check"]["interval"] == "10s" and data["check"]["path"] == base_values()["check"]["path"]
    assert generated_values(base_values(), tree_parents(3), lambda: next(ports))["check"] == base_values()["check"]
