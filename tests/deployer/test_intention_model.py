"""Intention precedence, the declared set, and declared-vs-actual diffs (table-driven)."""

import pytest

from deployer.intentions.model import (Intention, declared_intentions, decide, diff_intentions,
                                       expected_action, precedence)
from tests.deployer.fakes import FakePolicy, FakeRule, chain_values


def I(src, dst, action, managed=True):  # noqa: E743 - short constructor for tables
    return Intention(src, dst, action, managed=managed)


@pytest.mark.parametrize("src,dst,value", [("a", "b", 9), ("*", "b", 8), ("a", "*", 6), ("*", "*", 5)])
def test_precedence(src, dst, value):
    assert precedence(src, dst) == value


DECISIONS = [
    ("no intention -> default allow", [], "allow", "allow"),
    ("no intention -> default deny", [], "deny", "deny"),
    ("exact beats wildcard deny", [I("*", "*", "deny"), I("a", "b", "allow")], "allow", "allow"),
    ("exact deny beats wildcard allow", [I("*", "b", "allow"), I("a", "b", "deny")], "allow", "deny"),
    ("wildcard source beats wildcard destination", [I("a", "*", "allow"), I("*", "b", "deny")], "allow", "deny"),
    ("exact source wildcard destination beats */*", [I("*", "*", "deny"), I("a", "*", "allow")], "deny", "allow"),
    ("*/* deny applies", [I("*", "*", "deny")], "allow", "deny"),
    ("other pairs do not match", [I("a", "c", "deny"), I("c", "b", "deny")], "allow", "allow"),
    ("deny wins on a tie", [I("a", "b", "allow"), I("a", "b", "deny")], "allow", "deny"),
    ("deny wins on a wildcard tie", [I("*", "*", "allow"), I("*", "*", "deny")], "allow", "deny"),
]


@pytest.mark.parametrize("name,intentions,default,expected", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_decide(name, intentions, default, expected):
    assert decide(intentions, "a", "b", default) == expected


def test_declared_default_allow_needs_no_wildcard():
    assert declared_intentions(chain_values().intentions) == [
        I("invoice", "tax", "allow"), I("order", "invoice", "allow")]


def test_declared_default_deny_adds_managed_wildcard_deny():
    declared = declared_intentions(chain_values(default="deny").intentions)
    assert I("*", "*", "deny") in declared and len(declared) == 3


def test_declared_rule_for_wildcard_pair_is_kept_as_written():
    policy = FakePolicy("deny", (FakeRule("*", "*", "allow"),))
    assert declared_intentions(policy) == [I("*", "*", "allow")]


@pytest.mark.parametrize("src,dst,expected", [
    ("order", "invoice", "allow"), ("invoice", "tax", "allow"), ("order", "tax", "deny"),
    ("tax", "order", "deny"), ("invoice", "order", "deny")])
def test_expected_action_under_default_deny(src, dst, expected):
    assert expected_action(chain_values(default="deny").intentions, src, dst) == expected


WANTED = [I("order", "invoice", "allow"), I("invoice", "tax", "allow")]
DIFFS = [
    ("empty consul -> create all", [], {"create": ["order->invoice", "invoice->tax"]}),
    ("in sync -> nothing", [I("invoice", "tax", "allow"), I("order", "invoice", "allow")], {}),
    ("ad-hoc managed deny -> update back", [I("order", "invoice", "allow"), I("invoice", "tax", "deny")],
     {"update": ["invoice->tax"]}),
    ("stale managed -> delete", WANTED + [I("*", "*", "deny")], {"delete": ["*->*"]}),
    ("foreign extra intention -> ignored", WANTED + [I("tax", "order", "deny", managed=False)], {}),
    ("foreign same pair, same action -> satisfied", [I("order", "invoice", "allow", managed=False),
                                                      I("invoice", "tax", "allow")], {}),
    ("foreign same pair, other action -> conflict, untouched",
     [I("order", "invoice", "deny", managed=False), I("invoice", "tax", "allow")],
     {"conflicts": ["order->invoice"]}),
]


def _keys(items):
    return [f"{i.source}->{i.destination}" for i in items]


@pytest.mark.parametrize("name,current,expected", DIFFS, ids=[d[0] for d in DIFFS])
def test_diff_intentions(name, current, expected):
    changes = diff_intentions(WANTED, current)
    assert _keys(changes.create) == expected.get("create", [])
    assert _keys(c for c, _ in changes.update) == expected.get("update", [])
    assert _keys(changes.delete) == expected.get("delete", [])
    assert _keys(f for f, _ in changes.conflicts) == expected.get("conflicts", [])
    assert changes.empty == (not (expected.get("create") or expected.get("update") or expected.get("delete")))
