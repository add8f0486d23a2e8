"""Names of Envoy resources, matching the ones Consul's own xDS server generates."""

from __future__ import annotations

import re

LOCAL_APP_CLUSTER = "local_app"
SELF_ADMIN_CLUSTER = "self_admin"
PROMETHEUS_LISTENER = "envoy_prometheus_metrics_listener"
PUBLIC_STAT_PREFIX = "public_listener"
LEAF_SECRET = "leaf"
ROOTS_SECRET = "roots"
HTTP_RBAC_FILTER = "envoy.filters.http.rbac"
NETWORK_RBAC_FILTER = "envoy.filters.network.rbac"


def listener_name(name: str, address: str, port: int) -> str:
    """`<name>:<addr>:<port>`, as in `public_listener:127.0.0.1:21000`."""
    return f"{name}:{address}:{port}"


def public_listener_name(address: str, port: int) -> str:
    """The mTLS listener in front of the local app."""
    return listener_name("public_listener", address, port)


def upstream_listener_name(destination: str, address: str, port: int) -> str:
    """The plain listener the app dials to reach an upstream."""
    return listener_name(destination, address, port)


def upstream_stat_prefix(destination: str, datacenter: str) -> str:
    """Stat prefix of an upstream listener (`upstream.<dest>.default.default.<dc>`)."""
    return f"upstream.{destination}.default.default.{datacenter}"


def upstream_cluster_name(destination: str, datacenter: str, trust_domain: str) -> str:
    """Cluster name and TLS SNI of an upstream: `<svc>.default.<dc>.internal.<trust-domain>`."""
    return f"{destination}.default.{datacenter}.internal.{trust_domain}"


def spiffe_id(trust_domain: str, datacenter: str, service: str) -> str:
    """The URI SAN Consul puts in a service's leaf certificate."""
    return f"spiffe://{trust_domain}/ns/default/dc/{datacenter}/svc/{service}"


def spiffe_principal_regex(trust_domain: str, service: str) -> str:
    """RE2 regex matching `service` from any datacenter; `*` matches every service."""
    svc = "[^/]+" if service == "*" else _regex_literal(service)
    return f"^spiffe://{_regex_literal(trust_domain)}/ns/default/dc/[^/]+/svc/{svc}$"


def _regex_literal(text: str) -> str:
    """Escape RE2 metacharacters only (re.escape also escapes `-`, which reads badly)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)


def exposed_path_listener_name(path: str) -> str:
    """`exposed_path_<path without special characters>`."""
    return "exposed_path_" + re.sub(r"[^a-zA-Z0-9]+", "", path)


def exposed_cluster_name(local_path_port: int) -> str:
    """`exposed_cluster_<port>`: the app port an expose path forwards to."""
    return f"exposed_cluster_{local_path_port}"
