"""CDS (local app, upstreams, expose paths, admin) and the EDS load assignment of each upstream."""

from __future__ import annotations

from ..base import SidecarSpec, UpstreamSpec
from . import names
from .listeners import is_http, upstream_datacenter
from .sources import ads_source, endpoint, pipe_address, static_cluster, typed
from .tls import upstream_tls_context

HTTP2_OPTIONS = {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed(
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
    explicit_http_config={"http2_protocol_options": {}})}

# Envoy closes a pooled connection to the app after 1 s idle, before the app's own keep-alive
# timeout (gunicorn's is 2 s) can close it under a request Envoy is just sending (a 503 "reset").
LOCAL_APP_IDLE_TIMEOUT = "1s"
LOCAL_APP_HTTP_OPTIONS = {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed(
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
    common_http_protocol_options={"idle_timeout": LOCAL_APP_IDLE_TIMEOUT},
    explicit_http_config={"http_protocol_options": {}})}


def local_app_cluster(spec: SidecarSpec) -> dict:
    """The app behind the public listener; HTTP connections to it are closed by Envoy first."""
    cluster = static_cluster(names.LOCAL_APP_CLUSTER, "127.0.0.1", spec.local_app_port)
    if is_http(spec.protocol):
        cluster["typed_extension_protocol_options"] = LOCAL_APP_HTTP_OPTIONS
    return cluster


def upstream_cluster_for(spec: SidecarSpec, upstream: UpstreamSpec, trust_domain: str) -> str:
    """The SNI-style cluster name of one upstream."""
    return names.upstream_cluster_name(upstream.destination_name, upstream_datacenter(spec, upstream), trust_domain)


def upstream_cluster(spec: SidecarSpec, upstream: UpstreamSpec, trust_domain: str) -> dict:
    """EDS cluster of the destination's sidecars, dialled with mTLS and checked for its SPIFFE ID."""
    name = upstream_cluster_for(spec, upstream, trust_domain)
    expected = names.spiffe_id(trust_domain, upstream_datacenter(spec, upstream), upstream.destination_name)
    return typed(
        "envoy.config.cluster.v3.Cluster",
        name=name,
        type="EDS",
        connect_timeout="5s",
        eds_cluster_config={"eds_config": ads_source(), "service_name": name},
        transport_socket=upstream_tls_context(name, expected),
    )


def clusters(spec: SidecarSpec, trust_domain: str, admin_socket: str) -> list[dict]:
    """Every cluster of the sidecar."""
    result = [local_app_cluster(spec)]
    result += [upstream_cluster(spec, upstream, trust_domain) for upstream in spec.upstreams]
    for port in sorted({path.local_path_port for path in spec.expose_paths}):
        cluster = static_cluster(names.exposed_cluster_name(port), "127.0.0.1", port)
        if any(p.protocol == "http2" for p in spec.expose_paths if p.local_path_port == port):
            cluster["typed_extension_protocol_options"] = HTTP2_OPTIONS
        result.append(cluster)
    if spec.proxy_config.get("envoy_prometheus_bind_addr"):
        result.append(static_cluster(names.SELF_ADMIN_CLUSTER, pipe_address(admin_socket)))
    return result


def load_assignment(cluster: str, instances: list[tuple[str, int]]) -> dict:
    """EDS: the passing (address, port) instances of a destination's sidecar."""
    return typed("envoy.config.endpoint.v3.ClusterLoadAssignment", cluster_name=cluster,
                 endpoints=[{"lb_endpoints": [endpoint(host, port) for host, port in sorted(instances)]}])


def passing_instances(health_entries: list[dict], ignored_check_suffix: str = "") -> list[tuple[str, int]]:
    """(address, port) of each entry of `/v1/health/connect/<svc>` whose checks all pass.

    Checks whose ID ends with `ignored_check_suffix` do not count: a sidecar whose Envoy rejected
    a new configuration still serves with the one it had, so it stays in its callers' endpoints.
    """
    instances = set()
    for entry in health_entries:
        checks = [c for c in entry.get("Checks") or []
                  if not (ignored_check_suffix and c.get("CheckID", "").endswith(ignored_check_suffix))]
        if any(c.get("Status") != "passing" for c in checks):
            continue
        service = entry["Service"]
        instances.add((service.get("Address") or entry["Node"]["Address"], service["Port"]))
    return sorted(instances)
