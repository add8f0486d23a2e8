"""Placement failures as sentences and plan diffs as summaries (Nomad's documented shapes)."""

import pytest

from deployer.placement import placement_failures, placement_sentence
from deployer.plan_summary import has_changes, headline, summarize_plan

SENTENCES = [
    ("missing driver", "tax", {"NodesEvaluated": 1, "NodesFiltered": 1, "ConstraintFiltered": {"missing drivers": 1}},
     "group tax failed to place: missing drivers (1 node filtered)"),
    ("exhausted", "invoice", {"NodesEvaluated": 2, "NodesExhausted": 2, "DimensionExhausted": {"memory": 2}},
     "group invoice failed to place: memory exhausted (2 nodes)"),
    ("no nodes", "order", {"NodesEvaluated": 0}, "group order failed to place: no nodes were eligible"),
    ("evaluated but unplaceable", "order", {"NodesEvaluated": 3},
     "group order failed to place: 3 nodes evaluated, none could take it"),
]


@pytest.mark.parametrize("name,group,metric,sentence", SENTENCES, ids=[s[0] for s in SENTENCES])
def test_placement_sentence(name, group, metric, sentence):
    assert placement_sentence(group, metric) == sentence


def test_placement_failures_one_per_group_sorted():
    evaluation = {"FailedTGAllocs": {"b": {"NodesEvaluated": 0}, "a": {"ConstraintFiltered": {"${attr.kernel.name} = linux": 1}}}}
    assert placement_failures(evaluation) == [
        "group a failed to place: ${attr.kernel.name} = linux (1 node filtered)",
        "group b failed to place: no nodes were eligible"]
    assert placement_failures({"FailedTGAllocs": None}) == []


EDITED = {
    "Diff": {
        "Type": "Edited", "ID": "tax", "Fields": [], "Objects": [],
        "TaskGroups": [{
            "Type": "Edited", "Name": "tax", "Fields": [], "Objects": [],
            "Updates": {"create/destroy update": 1},
            "Tasks": [{"Type": "Edited", "Name": "tax", "Objects": [], "Fields": [
                {"Type": "Edited", "Name": "Env[TAX_RATE]", "Old": "0.2", "New": "0.25"},
                {"Type": "None", "Name": "Driver", "Old": "raw_exec", "New": "raw_exec"}]}],
        }],
    },
    "JobModifyIndex": 42,
}


def test_plan_headlines():
    assert headline({"Diff": {"Type": "None"}}) == "no changes"
    assert headline({"Diff": {"Type": "Added"}}) == "create"
    assert headline(EDITED) == "update (1 create/destroy update)"
    assert not has_changes({"Diff": {"Type": "None"}})
    assert has_changes(EDITED) and has_changes({})


def test_plan_summary_lists_changed_leaves_only():
    assert summarize_plan("tax", EDITED) == [
        "tax: update (1 create/destroy update)",
        '  ~ group tax / task tax / Env[TAX_RATE]: "0.2" => "0.25"']


def test_plan_summary_warns_about_placement():
    plan = {"Diff": {"Type": "Added"}, "FailedTGAllocs": {"tax": {"ConstraintFiltered": {"missing drivers": 1}}}}
    assert summarize_plan("tax", plan) == [
        "tax: create", "  warning: group tax failed to place: missing drivers (1 node filtered)"]
