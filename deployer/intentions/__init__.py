"""Consul intentions: the declared policy, the two Consul APIs, and the commands."""
