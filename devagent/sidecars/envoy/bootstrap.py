"""The bootstrap: node identity, admin on a unix socket, and devagent's ADS server for everything else."""

from __future__ import annotations

from ..base import SidecarSpec
from .clusters import HTTP2_OPTIONS
from .sources import ads_source, pipe_address, static_cluster, typed

XDS_CLUSTER = "devagent_xds"


def xds_cluster(xds_socket: str) -> dict:
    """The static cluster of devagent's gRPC server, over its unix socket (HTTP/2)."""
    cluster = static_cluster(XDS_CLUSTER, pipe_address(xds_socket), connect_timeout="1s")
    cluster.pop("@type")  # a bootstrap field, not an Any
    cluster["typed_extension_protocol_options"] = HTTP2_OPTIONS
    return cluster


def ads_service(token: str) -> dict:
    """The ADS gRPC service; with a Consul token, sent as x-consul-token as Consul's own bootstrap does."""
    service = {"envoy_grpc": {"cluster_name": XDS_CLUSTER}}
    if token:
        service["initial_metadata"] = [{"key": "x-consul-token", "value": token}]
    return service


def bootstrap(spec: SidecarSpec, xds_socket: str, admin_socket: str) -> dict:
    """Envoy's bootstrap: every listener, cluster, endpoint, secret and RBAC config comes over ADS."""
    return {
        "node": {"id": spec.sidecar_service_id, "cluster": spec.service_name,
                 "metadata": {"namespace": "default", "alloc_id": spec.alloc_id, "job": spec.job,
                              "group": spec.group}},
        "admin": {"address": pipe_address(admin_socket, mode=0o600)},
        "dynamic_resources": {
            "ads_config": {"api_type": "GRPC", "transport_api_version": "V3", "set_node_on_first_message_only": True,
                           "grpc_services": [ads_service(spec.consul_token)]},
            "lds_config": ads_source(),
            "cds_config": ads_source(),
        },
        "static_resources": {"clusters": [xds_cluster(xds_socket)]},
        # a connection limit, without which Envoy warns at every start
        "overload_manager": {"resource_monitors": [{
            "name": "envoy.resource_monitors.global_downstream_max_connections",
            "typed_config": typed("envoy.extensions.resource_monitors.downstream_connections.v3."
                                  "DownstreamConnectionsConfig", max_active_downstream_connections=10000)}]},
    }
