"""Dependency order from upstreams: levels, parallel same-depth jobs, reverse for destroy."""

import pytest

from deployer.errors import DeployerError
from deployer.graph import dependency_levels, destroy_levels, service_upstreams
from tests.deployer.fakes import chain_values

CASES = [
    ("chain", {"order": ["invoice"], "invoice": ["tax"], "tax": []}, [["tax"], ["invoice"], ["order"]]),
    ("same depth in parallel", {"web": ["a", "b"], "a": [], "b": []}, [["a", "b"], ["web"]]),
    ("diamond", {"top": ["l", "r"], "l": ["base"], "r": ["base"], "base": []}, [["base"], ["l", "r"], ["top"]]),
    ("independent", {"x": [], "y": []}, [["x", "y"]]),
    ("external upstream ignored", {"app": ["payments-saas"]}, [["app"]]),
    ("uneven depths", {"a": ["b", "d"], "b": ["c"], "c": [], "d": []}, [["c", "d"], ["b"], ["a"]]),
    ("empty", {}, []),
]


@pytest.mark.parametrize("name,upstreams,levels", CASES, ids=[c[0] for c in CASES])
def test_dependency_levels(name, upstreams, levels):
    assert dependency_levels(upstreams) == levels


@pytest.mark.parametrize("name,upstreams,levels", CASES, ids=[c[0] for c in CASES])
def test_destroy_levels_are_the_reverse(name, upstreams, levels):
    assert destroy_levels(upstreams) == list(reversed(levels))


def test_cycle_is_an_error_naming_the_services():
    with pytest.raises(DeployerError, match="cycle between services: a -> b -> a"):
        dependency_levels({"a": ["b"], "b": ["a"], "c": []})


def test_service_upstreams_from_values():
    assert service_upstreams(chain_values()) == {"order": ["invoice"], "invoice": ["tax"], "tax": []}
