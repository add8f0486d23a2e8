"""Consul intentions -> who may connect, following Consul's precedence and default policy."""

from __future__ import annotations

from dataclasses import dataclass

WILDCARD = "*"


@dataclass(frozen=True)
class Intention:
    """One intention that matches this destination (exactly or through `*`)."""

    source: str
    destination: str
    action: str  # "allow" | "deny"
    precedence: int

    @classmethod
    def from_consul(cls, data: dict) -> "Intention":
        """Build from an entry of `/v1/connect/intentions/match`."""
        source, destination = data["SourceName"], data["DestinationName"]
        precedence = data.get("Precedence") or precedence_of(source, destination)
        return cls(source, destination, data["Action"], precedence)


@dataclass(frozen=True)
class PrincipalRule:
    """A source pattern that the RBAC policy lists, minus exact sources carved out of it."""

    source: str
    excluded: tuple[str, ...] = ()


def precedence_of(source: str, destination: str) -> int:
    """Consul's precedence (single namespace): exact/exact 9, */exact 8, exact/* 6, */* 5."""
    top = 9 if destination != WILDCARD else 6
    return top - (1 if source == WILDCARD else 0)


def by_precedence(intentions: list[Intention]) -> list[Intention]:
    """Highest precedence first; at equal precedence a deny comes first (deny wins)."""
    return sorted(intentions, key=lambda ix: (-ix.precedence, ix.action != "deny", ix.source))


def is_allowed(source: str, intentions: list[Intention], default_allow: bool) -> bool:
    """Consul's answer for `source`: the first matching intention by precedence, else the default."""
    for ix in by_precedence(intentions):
        if ix.source in (WILDCARD, source):
            return ix.action == "allow"
    return default_allow


def principal_rules(intentions: list[Intention], default_allow: bool) -> list[PrincipalRule]:
    """The sources whose outcome differs from the default, with precedence flattened away.

    An intention whose action equals the default only matters by shadowing lower ones:
    a wildcard below it gets that exact source carved out (Consul's `not_id`).
    """
    default_action = "allow" if default_allow else "deny"
    ordered = by_precedence(intentions)
    rules = []
    for index, ix in enumerate(ordered):
        higher = ordered[:index]
        if ix.action == default_action or any(h.source in (WILDCARD, ix.source) for h in higher):
            continue
        excluded = ()
        if ix.source == WILDCARD:
            excluded = tuple(sorted({h.source for h in higher if h.action == default_action}))
        rules.append(PrincipalRule(ix.source, excluded))
    return rules
