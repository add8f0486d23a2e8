"""Intentions as data: precedence, decisions, the declared set, and diffs."""

from __future__ import annotations

from dataclasses import dataclass, field

WILDCARD = "*"
ACTIONS = ("allow", "deny")


@dataclass(frozen=True)
class Intention:
    """One source -> destination rule as found in (or meant for) Consul."""

    source: str
    destination: str
    action: str
    managed: bool = False
    ref: str | None = field(default=None, compare=False)  # the backend's handle (legacy ID)

    @property
    def key(self) -> tuple[str, str]:
        """The pair this intention is about; Consul allows one intention per pair."""
        return (self.source, self.destination)

    def as_json(self) -> dict:
        """Plain data for --json."""
        return {"source": self.source, "destination": self.destination, "action": self.action,
                "managed": self.managed}

    @property
    def pair(self) -> str:
        """`src -> dst`, for messages."""
        return f"{self.source} -> {self.destination}"


def precedence(source: str, destination: str) -> int:
    """Consul's precedence for a pair in the default namespace: exact beats wildcard."""
    exact_src, exact_dst = source != WILDCARD, destination != WILDCARD
    if exact_dst:
        return 9 if exact_src else 8
    return 6 if exact_src else 5


def applying_intention(intentions, source: str, destination: str) -> Intention | None:
    """The intention Consul applies to source -> destination: highest precedence, deny on ties; None: the default."""
    matching = [i for i in intentions
                if i.source in (source, WILDCARD) and i.destination in (destination, WILDCARD)]
    if not matching:
        return None
    top = max(precedence(i.source, i.destination) for i in matching)
    best = [i for i in matching if precedence(i.source, i.destination) == top]
    return next((i for i in best if i.action == "deny"), best[0])


def decide(intentions, source: str, destination: str, default: str) -> str:
    """What Consul enforces for source -> destination: the applying intention's action, else the default."""
    applying = applying_intention(intentions, source, destination)
    return applying.action if applying is not None else default


def declared_intentions(policy, consul_default: str = "allow") -> list[Intention]:
    """The managed intentions that express an IntentionPolicy on a Consul whose own default is consul_default.

    Explicit rules become exact intentions. A default that differs from Consul's own (allow
    without ACLs; the ACL default policy with them) adds a `* -> *` intention with that action,
    unless a rule already covers `* -> *`; default "consul" never adds one.
    """
    wanted = {(r.source, r.destination): Intention(r.source, r.destination, r.action, managed=True)
              for r in policy.rules}
    if policy.default in ("allow", "deny") and policy.default != consul_default and (WILDCARD, WILDCARD) not in wanted:
        wanted[(WILDCARD, WILDCARD)] = Intention(WILDCARD, WILDCARD, policy.default, managed=True)
    return sorted(wanted.values(), key=lambda i: i.key)


def expected_action(policy, source: str, destination: str, consul_default: str = "allow") -> str:
    """What the declared policy says about source -> destination on a Consul with that default."""
    return decide(declared_intentions(policy, consul_default), source, destination, consul_default)


@dataclass
class IntentionChanges:
    """What it takes to make Consul match the declared intentions."""

    create: list[Intention] = field(default_factory=list)
    update: list[tuple[Intention, Intention]] = field(default_factory=list)  # (current, wanted)
    delete: list[Intention] = field(default_factory=list)
    conflicts: list[tuple[Intention, Intention]] = field(default_factory=list)  # (foreign, wanted)

    @property
    def empty(self) -> bool:
        """True when Consul already matches (conflicts are reported, never changed)."""
        return not (self.create or self.update or self.delete)

    def lines(self) -> list[str]:
        """One human line per change."""
        out = [f"create {w.pair} ({w.action})" for w in self.create]
        out += [f"update {c.pair} ({c.action} -> {w.action})" for c, w in self.update]
        out += [f"delete {c.pair} ({c.action})" for c in self.delete]
        out += [f"conflict {f.pair}: {f.action} is not managed by the deployer (declared {w.action}); left alone"
                for f, w in self.conflicts]
        return out

    def as_json(self) -> dict:
        """Plain data for --json."""
        return {
            "create": [w.as_json() for w in self.create],
            "update": [{"current": c.as_json(), "wanted": w.as_json()} for c, w in self.update],
            "delete": [c.as_json() for c in self.delete],
            "conflicts": [{"current": f.as_json(), "wanted": w.as_json()} for f, w in self.conflicts],
        }


def diff_intentions(wanted: list[Intention], current: list[Intention]) -> IntentionChanges:
    """Compare declared with actual; only managed intentions are ever updated or deleted."""
    current_by_key = {i.key: i for i in current}
    changes = IntentionChanges()
    for want in wanted:
        have = current_by_key.get(want.key)
        if have is None:
            changes.create.append(want)
        elif not have.managed:
            if have.action != want.action:
                changes.conflicts.append((have, want))
        elif have.action != want.action:
            changes.update.append((have, want))
    wanted_keys = {w.key for w in wanted}
    changes.delete = [i for i in current if i.managed and i.key not in wanted_keys]
    return changes
