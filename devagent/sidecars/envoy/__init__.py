"""Envoy sidecars configured over xDS by devagent itself from Consul (Consul 1.8.7 serves no xDS v3)."""

from .binary import envoy_binary
from .runtime import EnvoyNotFound, EnvoySidecar

__all__ = ["EnvoySidecar", "EnvoyNotFound", "envoy_binary"]
