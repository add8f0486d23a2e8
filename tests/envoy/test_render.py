"""Pure rendering of listeners, clusters, TLS and the bootstrap, and their protobuf form: no Consul, no Envoy."""

import sys
from pathlib import Path

import pytest

from devagent.sidecars.base import ExposePathSpec, SidecarSpec, UpstreamSpec
from devagent.sidecars.envoy import EnvoyNotFound, EnvoySidecar, envoy_binary
from devagent.sidecars.envoy.bootstrap import bootstrap
from devagent.sidecars.envoy.clusters import clusters, load_assignment, passing_instances
from devagent.sidecars.envoy.listeners import listeners, parse_bind_addr
from devagent.sidecars.envoy.rbac import http_rbac_config, network_rbac_config
from devagent.sidecars.envoy.tls import leaf_secret, roots_secret
from devagent.xds.types import BadResource, to_any

TD = "abcd.consul"
ADMIN = "/run/alloc/admin.sock"
ADS = {"ads": {}, "resource_api_version": "V3", "initial_fetch_timeout": "0s"}


def make_spec(tmp_path: Path, protocol="http", **overrides) -> SidecarSpec:
    fields = dict(alloc_id="a1", job="web", group="web", service_name="web", service_id="web-1",
                  sidecar_service_id="web-1-sidecar-proxy", public_port=21000, local_app_port=8080,
                  upstreams=[UpstreamSpec("api", 9191), UpstreamSpec("tax", 9292, datacenter="dc2")],
                  work_dir=tmp_path, consul_http_addr="127.0.0.1:8500", protocol=protocol,
                  expose_paths=[ExposePathSpec("/health/ready", 21500, 8080)],
                  proxy_config={"envoy_prometheus_bind_addr": "127.0.0.1:9102"})
    fields.update(overrides)
    return SidecarSpec(**fields)


def by_name(resources):
    return {resource["name"]: resource for resource in resources}


def only_filter(listener):
    (chain,) = listener["filter_chains"]
    return chain, chain["filters"]


def test_listener_names_follow_consul(tmp_path):
    rendered = by_name(listeners(make_spec(tmp_path), TD))
    assert set(rendered) == {"public_listener:127.0.0.1:21000", "api:127.0.0.1:9191", "tax:127.0.0.1:9292",
                              "exposed_path_healthready", "envoy_prometheus_metrics_listener"}
    public = rendered["public_listener:127.0.0.1:21000"]
    assert public["address"] == {"socket_address": {"address": "127.0.0.1", "port_value": 21000}}


def test_public_listener_http_requires_client_cert_and_checks_intentions_per_request(tmp_path):
    listener = by_name(listeners(make_spec(tmp_path), TD))["public_listener:127.0.0.1:21000"]
    chain, (hcm,) = only_filter(listener)
    tls = chain["transport_socket"]["typed_config"]
    assert tls["@type"].endswith("DownstreamTlsContext") and tls["require_client_certificate"] is True
    common = tls["common_tls_context"]
    assert common["alpn_protocols"] == ["http/1.1"]
    assert common["tls_certificate_sds_secret_configs"][0]["name"] == "leaf"
    assert common["validation_context_sds_secret_config"]["name"] == "roots"
    assert common["validation_context_sds_secret_config"]["sds_config"] == ADS
    config = hcm["typed_config"]
    assert config["stat_prefix"] == "public_listener"
    rbac, router = config["http_filters"]
    assert rbac["name"] == "envoy.filters.http.rbac" and router["name"] == "envoy.filters.http.router"
    discovery = rbac["config_discovery"]
    assert discovery["type_urls"] == ["type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC"]
    assert discovery["config_source"] == ADS
    assert config["route_config"]["virtual_hosts"][0]["routes"][0]["route"] == {"cluster": "local_app"}


def test_public_listener_tcp_uses_network_rbac_then_tcp_proxy(tmp_path):
    spec = make_spec(tmp_path, protocol="tcp")
    listener = by_name(listeners(spec, TD))["public_listener:127.0.0.1:21000"]
    chain, (rbac, proxy) = only_filter(listener)
    assert "alpn_protocols" not in chain["transport_socket"]["typed_config"]["common_tls_context"]
    assert rbac["name"] == "envoy.filters.network.rbac"
    assert rbac["config_discovery"]["type_urls"] == [
        "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC"]
    assert proxy["typed_config"]["stat_prefix"] == "public_listener" and proxy["typed_config"]["cluster"] == "local_app"


@pytest.mark.parametrize("protocol", ["http", "tcp"])
def test_upstream_listener_targets_the_sni_named_cluster(tmp_path, protocol):
    rendered = by_name(listeners(make_spec(tmp_path, protocol=protocol), TD))
    _, (network_filter,) = only_filter(rendered["tax:127.0.0.1:9292"])
    config = network_filter["typed_config"]
    assert config["stat_prefix"] == "upstream.tax.default.default.dc2"
    if protocol == "http":
        assert config["route_config"]["virtual_hosts"][0]["routes"][0]["route"]["cluster"] == \
            f"tax.default.dc2.internal.{TD}"
    else:
        assert config["cluster"] == f"tax.default.dc2.internal.{TD}"


def test_upstream_cluster_presents_leaf_and_matches_the_exact_spiffe_id(tmp_path):
    api = by_name(clusters(make_spec(tmp_path), TD, ADMIN))[f"api.default.dc1.internal.{TD}"]
    assert api["type"] == "EDS" and api["eds_cluster_config"]["service_name"] == api["name"]
    assert api["eds_cluster_config"]["eds_config"] == ADS
    tls = api["transport_socket"]["typed_config"]
    assert tls["@type"].endswith("UpstreamTlsContext") and tls["sni"] == api["name"]
    validation = tls["common_tls_context"]["combined_validation_context"]
    assert validation["default_validation_context"]["match_typed_subject_alt_names"] == [
        {"san_type": "URI", "matcher": {"exact": f"spiffe://{TD}/ns/default/dc/dc1/svc/api"}}]
    assert validation["validation_context_sds_secret_config"]["name"] == "roots"
    assert tls["common_tls_context"]["tls_certificate_sds_secret_configs"][0]["name"] == "leaf"


def test_static_clusters_local_app_expose_and_admin(tmp_path):
    by_names = by_name(clusters(make_spec(tmp_path), TD, ADMIN))
    local = by_names["local_app"]
    assert local["type"] == "STATIC" and local["connect_timeout"] == "5s"
    assert local["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"] == \
        {"socket_address": {"address": "127.0.0.1", "port_value": 8080}}
    assert "exposed_cluster_8080" in by_names
    assert by_names["self_admin"]["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"] == \
        {"pipe": {"path": ADMIN}}


def test_envoy_closes_idle_connections_to_an_http_app_before_the_app_does(tmp_path):
    from gunicorn.config import Keepalive

    from devagent.durations import parse_go_duration
    from services.common.server import gunicorn_options

    options = by_name(clusters(make_spec(tmp_path), TD, ADMIN))["local_app"]["typed_extension_protocol_options"]
    (http_options,) = options.values()
    idle = parse_go_duration(http_options["common_http_protocol_options"]["idle_timeout"]) / 1e9
    app_keepalive = gunicorn_options("web", "127.0.0.1", 8080, 1, 1).get("keepalive", Keepalive.default)
    assert 0 < idle < app_keepalive
    tcp = by_name(clusters(make_spec(tmp_path, protocol="tcp"), TD, ADMIN))["local_app"]
    assert "typed_extension_protocol_options" not in tcp


def test_prometheus_listener_rewrites_metrics_to_admin_stats(tmp_path):
    rendered = by_name(listeners(make_spec(tmp_path), TD))
    listener = rendered["envoy_prometheus_metrics_listener"]
    assert listener["address"]["socket_address"] == {"address": "127.0.0.1", "port_value": 9102}
    (route,) = only_filter(listener)[1][0]["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    assert route == {"match": {"path": "/metrics"},
                     "route": {"cluster": "self_admin", "prefix_rewrite": "/stats/prometheus"}}


def test_expose_path_listener_routes_only_that_path(tmp_path):
    listener = by_name(listeners(make_spec(tmp_path), TD))[
        "exposed_path_healthready"]
    chain, (hcm,) = only_filter(listener)
    assert "transport_socket" not in chain
    assert listener["address"]["socket_address"]["port_value"] == 21500
    (route,) = hcm["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    assert route == {"match": {"path": "/health/ready"}, "route": {"cluster": "exposed_cluster_8080"}}


@pytest.mark.parametrize("value", ["9102", ":9102", "host:", "host:port", "host:70000"])
def test_bad_prometheus_bind_addr_is_one_clear_error(value):
    with pytest.raises(ValueError, match="envoy_prometheus_bind_addr must be host:port"):
        parse_bind_addr(value)


def test_endpoints_from_consul_health_prefer_service_address():
    entries = [{"Node": {"Address": "10.0.0.1"}, "Service": {"Address": "", "Port": 21001}},
               {"Node": {"Address": "10.0.0.1"}, "Service": {"Address": "127.0.0.2", "Port": 21002}}]
    assert passing_instances(entries) == [("10.0.0.1", 21001), ("127.0.0.2", 21002)]
    assignment = load_assignment("c", passing_instances(entries))
    assert assignment["cluster_name"] == "c" and len(assignment["endpoints"][0]["lb_endpoints"]) == 2
    assert load_assignment("c", [])["endpoints"] == [{"lb_endpoints": []}]


def test_only_passing_instances_count_but_a_rejected_config_does_not_take_a_sidecar_out():
    def entry(port, *statuses):
        checks = [{"CheckID": check_id, "Status": status} for check_id, status in statuses]
        return {"Node": {"Address": "127.0.0.1"}, "Service": {"Address": "", "Port": port}, "Checks": checks}
    entries = [entry(1, ("serfHealth", "passing"), ("service:a", "passing")),
               entry(2, ("serfHealth", "passing"), ("service:b", "critical")),
               entry(3, ("serfHealth", "passing"), ("c-sidecar-proxy:envoy-config", "critical"))]
    assert passing_instances(entries, ":envoy-config") == [("127.0.0.1", 1), ("127.0.0.1", 3)]
    assert passing_instances(entries) == [("127.0.0.1", 1)]


def test_secrets_carry_leaf_and_every_root():
    leaf = leaf_secret("CERT", "KEY")
    assert leaf["name"] == "leaf" and leaf["tls_certificate"]["private_key"] == {"inline_string": "KEY"}
    roots = roots_secret(["A\n", "B"])
    assert roots["validation_context"]["trusted_ca"]["inline_string"] == "A\nB\n"


def test_bootstrap_names_the_node_and_reaches_admin_and_ads_over_unix_sockets(tmp_path):
    config = bootstrap(make_spec(tmp_path), "/data/xds.sock", ADMIN)
    assert config["node"]["id"] == "web-1-sidecar-proxy" and config["node"]["cluster"] == "web"
    assert config["admin"]["address"] == {"pipe": {"path": ADMIN, "mode": 0o600}}
    ads = config["dynamic_resources"]["ads_config"]
    assert ads["api_type"] == "GRPC" and ads["transport_api_version"] == "V3"
    (xds,) = config["static_resources"]["clusters"]
    assert ads["grpc_services"] == [{"envoy_grpc": {"cluster_name": xds["name"]}}]
    assert xds["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"] == \
        {"pipe": {"path": "/data/xds.sock"}}
    assert config["dynamic_resources"]["lds_config"] == config["dynamic_resources"]["cds_config"] == ADS


@pytest.mark.parametrize("protocol", ["http", "tcp"])
def test_every_rendered_resource_is_a_valid_envoy_message(tmp_path, protocol):
    spec = make_spec(tmp_path, protocol=protocol)
    resources = [*listeners(spec, TD), *clusters(spec, TD, ADMIN), load_assignment("c", [("127.0.0.1", 1)]),
                 leaf_secret("C", "K"), roots_secret(["R"]), http_rbac_config([], True, TD),
                 network_rbac_config([], False, TD)]
    for resource in resources:
        packed = to_any(resource)
        assert packed.type_url == resource["@type"] and packed.value


def test_a_misspelt_field_is_a_bad_resource_not_a_silent_drop():
    with pytest.raises(BadResource, match="Listener"):
        to_any({"@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "nmae": "x"})
    with pytest.raises(BadResource, match="unknown resource type"):
        to_any({"@type": "type.googleapis.com/no.such.Type"})


def test_command_runs_one_worker_without_hot_restart(tmp_path):
    sidecar = EnvoySidecar(make_spec(tmp_path), binary="/opt/envoy")
    sidecar.config = object()  # prepared
    argv = sidecar.command()
    assert argv[0] == "/opt/envoy"
    assert argv[argv.index("--concurrency") + 1] == "1" and "--disable-hot-restart" in argv
    assert argv[argv.index("--config-path") + 1] == str(tmp_path / "bootstrap.json")
    assert int(argv[argv.index("--drain-time-s") + 1]) <= 5


def test_envoy_binary_honours_envoy_bin(monkeypatch, tmp_path):
    monkeypatch.setenv("ENVOY_BIN", sys.executable)
    assert envoy_binary() == sys.executable
    monkeypatch.setenv("ENVOY_BIN", str(tmp_path / "missing"))
    assert envoy_binary() is None
    with pytest.raises(EnvoyNotFound, match="no Envoy binary"):
        EnvoySidecar(make_spec(tmp_path)).prepare(timeout=1)
