"""LDS: the public, upstream, expose-path and Prometheus listeners of a sidecar."""

from __future__ import annotations

from ..base import ExposePathSpec, SidecarSpec, UpstreamSpec
from . import names
from .rbac import HTTP_RBAC_TYPE, NETWORK_RBAC_TYPE
from .sources import TYPE_PREFIX, ads_source, http_connection_manager, route_to, socket_address, tcp_proxy, typed
from .tls import downstream_tls_context

LISTENER_TYPE = "envoy.config.listener.v3.Listener"


def is_http(protocol: str) -> bool:
    """http, http2 and grpc are proxied per request; anything else is plain TCP."""
    return protocol in ("http", "http2", "grpc")


def _listener(name: str, address: str, port: int, filters: list[dict], transport_socket: dict | None = None,
              stat_prefix: str | None = None) -> dict:
    chain: dict = {"filters": filters}
    if transport_socket:
        chain["transport_socket"] = transport_socket
    listener = typed(LISTENER_TYPE, name=name, address=socket_address(address, port), filter_chains=[chain])
    if stat_prefix:
        listener["stat_prefix"] = stat_prefix
    return listener


def _rbac_discovery(filter_name: str, type_name: str) -> dict:
    """An RBAC filter whose config comes by ECDS over the ADS stream: swapped with no listener drain."""
    return {"name": filter_name, "config_discovery": {
        "config_source": ads_source(),
        "type_urls": [TYPE_PREFIX + type_name],
    }}


def public_listener(spec: SidecarSpec) -> dict:
    """mTLS in, intentions enforced on the caller's SPIFFE ID, then on to the local app."""
    name = names.public_listener_name(spec.bind_address, spec.public_port)
    if is_http(spec.protocol):
        hcm = http_connection_manager(
            names.PUBLIC_STAT_PREFIX,
            route_to(names.LOCAL_APP_CLUSTER, "public_listener"),
            [_rbac_discovery(names.HTTP_RBAC_FILTER, HTTP_RBAC_TYPE)],
            forward_client_cert_details="SANITIZE_SET",
            set_current_client_cert_details={"uri": True},
        )
        return _listener(name, spec.bind_address, spec.public_port, [hcm],
                         downstream_tls_context(["http/1.1"]))
    filters = [_rbac_discovery(names.NETWORK_RBAC_FILTER, NETWORK_RBAC_TYPE),
               tcp_proxy(names.PUBLIC_STAT_PREFIX, names.LOCAL_APP_CLUSTER)]
    return _listener(name, spec.bind_address, spec.public_port, filters, downstream_tls_context([]))


# A request that could not reach an instance (it was stopping, or just went) is sent to another
# healthy one: only failures before the request left, so a retry never repeats work (what Consul
# generates for a service-router with RetryOnConnectFailure).
CONNECT_ATTEMPTS = 3
CONNECT_FAILURE_RETRIES = {
    "retry_on": "connect-failure,refused-stream",
    "num_retries": CONNECT_ATTEMPTS - 1,
    "retry_host_predicate": [{
        "name": "envoy.retry_host_predicates.previous_hosts",
        "typed_config": typed("envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"),
    }],
    "host_selection_retry_max_attempts": 3,
}


def upstream_datacenter(spec: SidecarSpec, upstream: UpstreamSpec) -> str:
    """The upstream's datacenter, defaulting to the sidecar's."""
    return upstream.datacenter or spec.datacenter


def upstream_listener(spec: SidecarSpec, upstream: UpstreamSpec, trust_domain: str) -> dict:
    """Plain listener on local_bind_port; HTTP is routed per request, TCP proxied per connection."""
    datacenter = upstream_datacenter(spec, upstream)
    cluster = names.upstream_cluster_name(upstream.destination_name, datacenter, trust_domain)
    stat_prefix = names.upstream_stat_prefix(upstream.destination_name, datacenter)
    address = upstream.local_bind_address or "127.0.0.1"
    name = names.upstream_listener_name(upstream.destination_name, address, upstream.local_bind_port)
    if is_http(spec.protocol):
        route = route_to(cluster, stat_prefix, retry_policy=CONNECT_FAILURE_RETRIES)
        network_filter = http_connection_manager(stat_prefix, route)
    else:
        network_filter = tcp_proxy(stat_prefix, cluster, max_connect_attempts=CONNECT_ATTEMPTS)
    return _listener(name, address, upstream.local_bind_port, [network_filter])


def expose_path_listener(spec: SidecarSpec, path: ExposePathSpec) -> dict:
    """Plain HTTP on listener_port for exactly one path of the app (e.g. a health check)."""
    name = names.exposed_path_listener_name(path.path)
    stat_prefix = f"exposed_path_filter_{name.removeprefix('exposed_path_')}_{path.listener_port}"
    route = route_to(names.exposed_cluster_name(path.local_path_port), name, match={"path": path.path})
    extra = {"codec_type": "HTTP2"} if path.protocol == "http2" else {}
    hcm = http_connection_manager(stat_prefix, route, **extra)
    return _listener(name, spec.bind_address, path.listener_port, [hcm])


def parse_bind_addr(value: str) -> tuple[str, int]:
    """"host:port" -> (host, port), with a one-line error for anything else."""
    host, sep, port = str(value).rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"envoy_prometheus_bind_addr must be host:port, got {value!r}")
    return host, int(port)


def prometheus_listener(bind_addr: str) -> dict:
    """`/metrics` served from the admin's `/stats/prometheus`."""
    host, port = parse_bind_addr(bind_addr)
    route = route_to(names.SELF_ADMIN_CLUSTER, "self_admin_route", match={"path": "/metrics"},
                     prefix_rewrite="/stats/prometheus")
    hcm = http_connection_manager("envoy_prometheus_metrics", route)
    return _listener(names.PROMETHEUS_LISTENER, host, port, [hcm])


def listeners(spec: SidecarSpec, trust_domain: str) -> list[dict]:
    """Every listener of the sidecar."""
    result = [public_listener(spec)]
    result += [upstream_listener(spec, upstream, trust_domain) for upstream in spec.upstreams]
    result += [expose_path_listener(spec, path) for path in spec.expose_paths]
    if spec.proxy_config.get("envoy_prometheus_bind_addr"):
        result.append(prometheus_listener(spec.proxy_config["envoy_prometheus_bind_addr"]))
    return result
