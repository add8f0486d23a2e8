"""How the deployer marks what it owns: jobs' meta, intentions' Meta (or Description on Consul >= 1.9)."""

MANAGED_BY = "deployer"
MANAGED_BY_KEY = "managed_by"
# Intentions written by name (Consul >= 1.9) cannot keep Meta: ours say so in their Description.
MANAGED_DESCRIPTION = f"{MANAGED_BY_KEY}={MANAGED_BY}"


def owner_of(meta: dict | None) -> str | None:
    """Who a job's or an intention's meta says owns it."""
    return (meta or {}).get(MANAGED_BY_KEY)


def managed_meta() -> dict:
    """The meta that marks something as ours."""
    return {MANAGED_BY_KEY: MANAGED_BY}
