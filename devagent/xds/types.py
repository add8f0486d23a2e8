"""The xDS resource types devagent serves, and how a typed dict becomes a protobuf Any."""

from __future__ import annotations

from google.protobuf import any_pb2, json_format, symbol_database

# Importing these registers every message the sidecar configs use in the default descriptor pool,
# so json_format can resolve the "@type" of nested typed_config fields.
from envoy.config.cluster.v3 import cluster_pb2  # noqa: F401
from envoy.config.core.v3 import extension_pb2  # noqa: F401
from envoy.config.endpoint.v3 import endpoint_pb2  # noqa: F401
from envoy.config.listener.v3 import listener_pb2  # noqa: F401
from envoy.extensions.filters.http.rbac.v3 import rbac_pb2 as http_rbac_pb2  # noqa: F401
from envoy.extensions.filters.http.router.v3 import router_pb2  # noqa: F401
from envoy.extensions.filters.network.http_connection_manager.v3 import http_connection_manager_pb2  # noqa: F401
from envoy.extensions.filters.network.rbac.v3 import rbac_pb2 as network_rbac_pb2  # noqa: F401
from envoy.extensions.filters.network.tcp_proxy.v3 import tcp_proxy_pb2  # noqa: F401
from envoy.extensions.transport_sockets.tls.v3 import secret_pb2, tls_pb2  # noqa: F401
from envoy.extensions.retry.host.previous_hosts.v3 import previous_hosts_pb2  # noqa: F401
from envoy.extensions.upstreams.http.v3 import http_protocol_options_pb2  # noqa: F401

TYPE_PREFIX = "type.googleapis.com/"
LISTENER = TYPE_PREFIX + "envoy.config.listener.v3.Listener"
CLUSTER = TYPE_PREFIX + "envoy.config.cluster.v3.Cluster"
ENDPOINTS = TYPE_PREFIX + "envoy.config.endpoint.v3.ClusterLoadAssignment"
SECRET = TYPE_PREFIX + "envoy.extensions.transport_sockets.tls.v3.Secret"
EXTENSION_CONFIG = TYPE_PREFIX + "envoy.config.core.v3.TypedExtensionConfig"

# Envoy asks for every listener and cluster (wildcard); other types by name.
WILDCARD_TYPES = frozenset({LISTENER, CLUSTER})
# Make before break: clusters (and their endpoints) before the listeners that route to them.
PUSH_ORDER = (CLUSTER, ENDPOINTS, SECRET, EXTENSION_CONFIG, LISTENER)
SHORT_NAMES = {LISTENER: "LDS", CLUSTER: "CDS", ENDPOINTS: "EDS", SECRET: "SDS", EXTENSION_CONFIG: "ECDS"}


class BadResource(ValueError):
    """A rendered resource that is not a valid message of its type."""


def short_name(type_url: str) -> str:
    """`LDS`, `CDS`, ... for a type URL (the URL itself for others)."""
    return SHORT_NAMES.get(type_url, type_url)


def to_any(resource: dict) -> any_pb2.Any:
    """Pack a dict with an "@type" (as the renderers build them) into a protobuf Any."""
    type_url = resource.get("@type", "")
    if not type_url.startswith(TYPE_PREFIX):
        raise BadResource(f"resource without a type URL: {sorted(resource)[:5]}")
    try:
        message_class = symbol_database.Default().GetSymbol(type_url.removeprefix(TYPE_PREFIX))
    except KeyError as exc:
        raise BadResource(f"unknown resource type {type_url}") from exc
    fields = {key: value for key, value in resource.items() if key != "@type"}
    try:
        message = json_format.ParseDict(fields, message_class())
    except json_format.ParseError as exc:
        raise BadResource(f"{type_url}: {exc}") from exc
    packed = any_pb2.Any()
    packed.Pack(message, deterministic=True)
    return packed
