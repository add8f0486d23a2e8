"""Small Envoy v3 building blocks shared by the renderers."""

from __future__ import annotations

TYPE_PREFIX = "type.googleapis.com/"


def typed(type_name: str, **fields) -> dict:
    """A message with its `@type`, e.g. typed("envoy.config.listener.v3.Listener", name=...)."""
    return {"@type": TYPE_PREFIX + type_name, **fields}


def socket_address(address: str, port: int) -> dict:
    """An Envoy Address for a TCP socket."""
    return {"socket_address": {"address": address, "port_value": port}}


def pipe_address(path: str, mode: int | None = None) -> dict:
    """An Envoy Address for a unix socket (reachable from any network namespace)."""
    pipe: dict = {"path": str(path)}
    if mode is not None:
        pipe["mode"] = mode
    return {"pipe": pipe}


def ads_source() -> dict:
    """A v3 ConfigSource: the resource comes over the ADS stream, and Envoy waits for it as long as it takes.

    No initial fetch timeout: a listener never starts without its certificates or its RBAC
    config, however long Consul takes to sign a leaf.
    """
    return {"ads": {}, "resource_api_version": "V3", "initial_fetch_timeout": "0s"}


def static_cluster(name: str, address: str | dict, port: int = 0, connect_timeout: str = "5s") -> dict:
    """A STATIC cluster with one endpoint (a host and port, or a ready Address such as a pipe)."""
    target = address if isinstance(address, dict) else socket_address(address, port)
    return typed(
        "envoy.config.cluster.v3.Cluster",
        name=name,
        type="STATIC",
        connect_timeout=connect_timeout,
        load_assignment={"cluster_name": name, "endpoints": [{"lb_endpoints": [{"endpoint": {"address": target}}]}]},
    )


def endpoint(address: str, port: int) -> dict:
    """One LbEndpoint."""
    return {"endpoint": {"address": socket_address(address, port)}}


def route_to(cluster: str, name: str, match: dict | None = None, **route_extra) -> dict:
    """A RouteConfiguration sending every host (and `match`, default all paths) to `cluster`."""
    route = {"match": match or {"prefix": "/"}, "route": {"cluster": cluster, **route_extra}}
    return {"name": name, "virtual_hosts": [{"name": name, "domains": ["*"], "routes": [route]}]}


def http_connection_manager(stat_prefix: str, route_config: dict, http_filters: list[dict] | None = None,
                            **extra) -> dict:
    """The HCM network filter, always ending with the router."""
    router = {"name": "envoy.filters.http.router",
              "typed_config": typed("envoy.extensions.filters.http.router.v3.Router")}
    config = typed(
        "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        stat_prefix=stat_prefix,
        route_config=route_config,
        http_filters=[*(http_filters or []), router],
        **extra,
    )
    return {"name": "envoy.filters.network.http_connection_manager", "typed_config": config}


def tcp_proxy(stat_prefix: str, cluster: str, **extra) -> dict:
    """The tcp_proxy network filter."""
    config = typed("envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", stat_prefix=stat_prefix, cluster=cluster,
                   **extra)
    return {"name": "envoy.filters.network.tcp_proxy", "typed_config": config}
