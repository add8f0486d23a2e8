"""The bootstrap file: node identity, admin, and where listeners and clusters come from."""

from __future__ import annotations

from ..base import SidecarSpec
from .layout import ConfigLayout
from .sources import file_source, socket_address, typed


def bootstrap(spec: SidecarSpec, layout: ConfigLayout, admin_port: int) -> dict:
    """Envoy's bootstrap: everything dynamic comes from files in the layout."""
    return {
        "node": {"id": spec.sidecar_service_id, "cluster": spec.service_name,
                 "metadata": {"namespace": "default", "alloc_id": spec.alloc_id, "job": spec.job,
                              "group": spec.group}},
        "admin": {"address": socket_address("127.0.0.1", admin_port)},
        "dynamic_resources": {"lds_config": file_source(layout.listeners),
                              "cds_config": file_source(layout.clusters)},
        # a connection limit, without which Envoy warns at every start
        "overload_manager": {"resource_monitors": [{
            "name": "envoy.resource_monitors.global_downstream_max_connections",
            "typed_config": typed("envoy.extensions.resource_monitors.downstream_connections.v3."
                                  "DownstreamConnectionsConfig", max_active_downstream_connections=10000)}]},
    }
