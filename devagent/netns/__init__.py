"""Bridge networking as Nomad's bridge mode: a network namespace per allocation, a bridge, port maps.

Everything devagent creates here is named after its node ID (names.NetworkNames), so a restart
finds and removes exactly its own leftovers, and devagents running side by side never touch
each other's.
"""
