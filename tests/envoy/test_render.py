"""Pure rendering of listeners, clusters, TLS, bootstrap and files: no Consul, no Envoy."""

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from devagent.sidecars.base import ExposePathSpec, SidecarSpec, UpstreamSpec
from devagent.sidecars.envoy import EnvoyNotFound, EnvoySidecar, envoy_binary
from devagent.sidecars.envoy.bootstrap import bootstrap
from devagent.sidecars.envoy.clusters import clusters_file, endpoints_file, passing_instances
from devagent.sidecars.envoy.files import atomic_write_json
from devagent.sidecars.envoy.layout import ConfigLayout
from devagent.sidecars.envoy.listeners import listeners_file, parse_bind_addr
from devagent.sidecars.envoy.tls import leaf_secret_file, roots_secret_file
from devagent.sidecars.envoy.writer import ConfigWriter

TD = "abcd.consul"


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
    listeners = by_name(listeners_file(make_spec(tmp_path), ConfigLayout(tmp_path), TD)["resources"])
    assert set(listeners) == {"public_listener:127.0.0.1:21000", "api:127.0.0.1:9191", "tax:127.0.0.1:9292",
                              "exposed_path_healthready", "envoy_prometheus_metrics_listener"}
    public = listeners["public_listener:127.0.0.1:21000"]
    assert public["address"] == {"socket_address": {"address": "127.0.0.1", "port_value": 21000}}


def test_public_listener_http_requires_client_cert_and_checks_intentions_per_request(tmp_path):
    layout = ConfigLayout(tmp_path)
    listener = by_name(listeners_file(make_spec(tmp_path), layout, TD)["resources"])["public_listener:127.0.0.1:21000"]
    chain, (hcm,) = only_filter(listener)
    tls = chain["transport_socket"]["typed_config"]
    assert tls["@type"].endswith("DownstreamTlsContext") and tls["require_client_certificate"] is True
    common = tls["common_tls_context"]
    assert common["alpn_protocols"] == ["http/1.1"]
    assert common["tls_certificate_sds_secret_configs"][0]["name"] == "leaf"
    assert common["validation_context_sds_secret_config"]["name"] == "roots"
    assert common["validation_context_sds_secret_config"]["sds_config"]["path_config_source"]["path"] == \
        str(layout.roots)
    config = hcm["typed_config"]
    assert config["stat_prefix"] == "public_listener"
    rbac, router = config["http_filters"]
    assert rbac["name"] == "envoy.filters.http.rbac" and router["name"] == "envoy.filters.http.router"
    discovery = rbac["config_discovery"]
    assert discovery["type_urls"] == ["type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC"]
    assert discovery["config_source"]["path_config_source"] == {
        "path": str(layout.intentions), "watched_directory": {"path": str(layout.intentions.parent)}}
    assert config["route_config"]["virtual_hosts"][0]["routes"][0]["route"] == {"cluster": "local_app"}


def test_public_listener_tcp_uses_network_rbac_then_tcp_proxy(tmp_path):
    spec = make_spec(tmp_path, protocol="tcp")
    listener = by_name(listeners_file(spec, ConfigLayout(tmp_path), TD)["resources"])["public_listener:127.0.0.1:21000"]
    chain, (rbac, proxy) = only_filter(listener)
    assert "alpn_protocols" not in chain["transport_socket"]["typed_config"]["common_tls_context"]
    assert rbac["name"] == "envoy.filters.network.rbac"
    assert rbac["config_discovery"]["type_urls"] == [
        "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC"]
    assert proxy["typed_config"]["stat_prefix"] == "public_listener" and proxy["typed_config"]["cluster"] == "local_app"


@pytest.mark.parametrize("protocol", ["http", "tcp"])
def test_upstream_listener_targets_the_sni_named_cluster(tmp_path, protocol):
    listeners = by_name(listeners_file(make_spec(tmp_path, protocol=protocol), ConfigLayout(tmp_path), TD)["resources"])
    _, (network_filter,) = only_filter(listeners["tax:127.0.0.1:9292"])
    config = network_filter["typed_config"]
    assert config["stat_prefix"] == "upstream.tax.default.default.dc2"
    if protocol == "http":
        assert config["route_config"]["virtual_hosts"][0]["routes"][0]["route"]["cluster"] == \
            f"tax.default.dc2.internal.{TD}"
    else:
        assert config["cluster"] == f"tax.default.dc2.internal.{TD}"


def test_upstream_cluster_presents_leaf_and_matches_the_exact_spiffe_id(tmp_path):
    layout = ConfigLayout(tmp_path)
    clusters = by_name(clusters_file(make_spec(tmp_path), layout, TD, admin_port=19001)["resources"])
    api = clusters[f"api.default.dc1.internal.{TD}"]
    assert api["type"] == "EDS" and api["eds_cluster_config"]["service_name"] == api["name"]
    assert api["eds_cluster_config"]["eds_config"]["path_config_source"]["path"] == str(layout.endpoints(api["name"]))
    tls = api["transport_socket"]["typed_config"]
    assert tls["@type"].endswith("UpstreamTlsContext") and tls["sni"] == api["name"]
    validation = tls["common_tls_context"]["combined_validation_context"]
    assert validation["default_validation_context"]["match_typed_subject_alt_names"] == [
        {"san_type": "URI", "matcher": {"exact": f"spiffe://{TD}/ns/default/dc/dc1/svc/api"}}]
    assert validation["validation_context_sds_secret_config"]["name"] == "roots"
    assert tls["common_tls_context"]["tls_certificate_sds_secret_configs"][0]["name"] == "leaf"


def test_static_clusters_local_app_expose_and_admin(tmp_path):
    clusters = by_name(clusters_file(make_spec(tmp_path), ConfigLayout(tmp_path), TD, admin_port=19001)["resources"])
    local = clusters["local_app"]
    assert local["type"] == "STATIC" and local["connect_timeout"] == "5s"
    assert local["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"] == \
        {"socket_address": {"address": "127.0.0.1", "port_value": 8080}}
    assert "exposed_cluster_8080" in clusters
    assert clusters["self_admin"]["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"][
        "socket_address"]["port_value"] == 19001


def test_prometheus_listener_rewrites_metrics_to_admin_stats(tmp_path):
    listeners = by_name(listeners_file(make_spec(tmp_path), ConfigLayout(tmp_path), TD)["resources"])
    listener = listeners["envoy_prometheus_metrics_listener"]
    assert listener["address"]["socket_address"] == {"address": "127.0.0.1", "port_value": 9102}
    (route,) = only_filter(listener)[1][0]["typed_config"]["route_config"]["virtual_hosts"][0]["routes"]
    assert route == {"match": {"path": "/metrics"},
                     "route": {"cluster": "self_admin", "prefix_rewrite": "/stats/prometheus"}}


def test_expose_path_listener_routes_only_that_path(tmp_path):
    listener = by_name(listeners_file(make_spec(tmp_path), ConfigLayout(tmp_path), TD)["resources"])[
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
    (assignment,) = endpoints_file("c", passing_instances(entries))["resources"]
    assert assignment["cluster_name"] == "c" and len(assignment["endpoints"][0]["lb_endpoints"]) == 2
    assert endpoints_file("c", [])["resources"][0]["endpoints"] == [{"lb_endpoints": []}]


def test_secrets_carry_leaf_and_every_root():
    (leaf,) = leaf_secret_file("CERT", "KEY")["resources"]
    assert leaf["name"] == "leaf" and leaf["tls_certificate"]["private_key"] == {"inline_string": "KEY"}
    (roots,) = roots_secret_file(["A\n", "B"])["resources"]
    assert roots["validation_context"]["trusted_ca"]["inline_string"] == "A\nB\n"


def test_bootstrap_reads_listeners_and_clusters_from_watched_files(tmp_path):
    layout = ConfigLayout(tmp_path)
    config = bootstrap(make_spec(tmp_path), layout, admin_port=19001)
    assert config["node"]["id"] == "web-1-sidecar-proxy" and config["node"]["cluster"] == "web"
    assert config["admin"]["address"]["socket_address"] == {"address": "127.0.0.1", "port_value": 19001}
    lds = config["dynamic_resources"]["lds_config"]["path_config_source"]
    assert lds == {"path": str(layout.listeners), "watched_directory": {"path": str(layout.listeners.parent)}}


def test_atomic_write_is_private_and_replaces_by_rename(tmp_path):
    path = tmp_path / "secret" / "leaf.json"
    atomic_write_json(path, {"a": 1})
    first_inode = path.stat().st_ino
    atomic_write_json(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert path.stat().st_ino != first_inode  # a new file renamed in, never an in-place write
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.listdir(path.parent) == ["leaf.json"]


def test_writer_rewrites_only_what_changed(tmp_path):
    writer = ConfigWriter(make_spec(tmp_path), admin_port=19001)
    assert writer.write_leaf("C", "K") is True
    assert writer.write_leaf("C", "K") is False
    assert writer.write_leaf("C2", "K2") is True
    assert writer.write_topology(TD) is True and writer.write_topology(TD) is False


def test_command_runs_one_worker_without_hot_restart(tmp_path):
    sidecar = EnvoySidecar(make_spec(tmp_path), binary="/opt/envoy")
    sidecar.writer = ConfigWriter(sidecar.spec, admin_port=19001)
    argv = sidecar.command()
    assert argv[0] == "/opt/envoy"
    assert argv[argv.index("--concurrency") + 1] == "1" and "--disable-hot-restart" in argv
    assert argv[argv.index("--config-path") + 1] == str(ConfigLayout(tmp_path).bootstrap)
    assert int(argv[argv.index("--drain-time-s") + 1]) <= 5


def test_envoy_binary_honours_envoy_bin(monkeypatch, tmp_path):
    monkeypatch.setenv("ENVOY_BIN", sys.executable)
    assert envoy_binary() == sys.executable
    monkeypatch.setenv("ENVOY_BIN", str(tmp_path / "missing"))
    assert envoy_binary() is None
    with pytest.raises(EnvoyNotFound, match="no Envoy binary"):
        EnvoySidecar(make_spec(tmp_path)).prepare(timeout=1)
