"""Per-edge figures from Envoy's Prometheus text: parsing, matching the upstream, rates and quantiles."""

import pytest

from deployer.topology.model import EdgeLink, ServiceNode, Topology
from deployer.topology.prometheus import http_stat, quantile, scrape_from_text, upstream_stat_prefix
from deployer.topology.stats import SidecarStats, published_metrics_address

# Shaped as Envoy 1.40 prints /stats/prometheus for an upstream listener with stat prefix
# `upstream.tax.default.default.dc1` (its tag extractor cuts the dotted prefix in two) and the
# public listener's HTTP RBAC filter.
def metrics(total, ok, denied, buckets, rbac=0):
    lines = [
        "# TYPE envoy_http_tax_default_default_dc1_downstream_rq_total counter",
        f'envoy_http_tax_default_default_dc1_downstream_rq_total{{envoy_http_conn_manager_prefix="upstream"}} {total}',
        f'envoy_http_tax_default_default_dc1_downstream_rq_xx{{envoy_response_code_class="2",'
        f'envoy_http_conn_manager_prefix="upstream"}} {ok}',
        f'envoy_http_tax_default_default_dc1_downstream_rq_xx{{envoy_response_code_class="4",'
        f'envoy_http_conn_manager_prefix="upstream"}} {denied}',
        f'envoy_http_tax_default_default_dc1_downstream_rq_xx{{envoy_response_code_class="5",'
        f'envoy_http_conn_manager_prefix="upstream"}} 0',
        f'envoy_http_downstream_rq_total{{envoy_http_conn_manager_prefix="public_listener"}} 999',
        f'envoy_http_rbac_denied{{envoy_http_conn_manager_prefix="public_listener"}} {rbac}',
        "# TYPE envoy_http_tax_default_default_dc1_downstream_rq_time histogram",
    ]
    for le, count in buckets:
        lines.append(f'envoy_http_tax_default_default_dc1_downstream_rq_time_bucket'
                     f'{{envoy_http_conn_manager_prefix="upstream",le="{le}"}} {count}')
    lines.append('envoy_cluster_upstream_rq_total{envoy_cluster_name="local_app"} 7')
    return "\n".join(lines) + "\n"


def test_http_stat_joins_what_the_tag_extractor_split():
    assert http_stat("envoy_http_tax_default_default_dc1_downstream_rq_total",
                     {"envoy_http_conn_manager_prefix": "upstream"}) == \
        "http_upstream_tax_default_default_dc1_downstream_rq_total"
    # the same stat when the whole prefix lands in the label
    assert http_stat("envoy_http_downstream_rq_total",
                     {"envoy_http_conn_manager_prefix": "upstream.tax.default.default.dc1"}) == \
        "http_upstream_tax_default_default_dc1_downstream_rq_total"
    assert http_stat("envoy_cluster_upstream_rq_total", {"envoy_cluster_name": "local_app"}) is None


def test_scrape_keeps_request_counters_by_class_histograms_and_rbac():
    scrape = scrape_from_text(metrics(10, 8, 2, [("1", 3), ("5", 9), ("+Inf", 10)], rbac=4))
    assert scrape.counters["http_upstream_tax_default_default_dc1_downstream_rq_total"] == 10
    assert scrape.counters["http_upstream_tax_default_default_dc1_downstream_rq_4xx"] == 2
    assert scrape.counters["http_public_listener_rbac_denied"] == 4
    assert scrape.buckets["http_upstream_tax_default_default_dc1_downstream_rq_time"] == \
        {1.0: 3, 5.0: 9, float("inf"): 10}


@pytest.mark.parametrize("stat,destination,match", [
    ("http_upstream_tax_default_default_dc1_downstream_rq_total", "tax", True),
    ("http_upstream_tax_downstream_rq_total", "tax", True),
    ("http_upstream_tax_default_default_dc1_downstream_rq_total", "invoice", False),
    ("http_upstream_taxes_default_default_dc1_downstream_rq_total", "tax", False),
    ("http_upstream_my_svc_default_default_dc1_downstream_rq_total", "my-svc", True),
])
def test_upstream_stat_prefix(stat, destination, match):
    assert upstream_stat_prefix(stat, destination) is match


@pytest.mark.parametrize("buckets,q,expected", [
    ({1.0: 0, 5.0: 10, float("inf"): 10}, 0.5, 3.0),     # halfway through the 1-5 ms bucket
    ({1.0: 10, 5.0: 10, float("inf"): 10}, 0.99, 0.99),  # all in the first bucket, from 0
    ({1.0: 0, 5.0: 0, float("inf"): 4}, 0.5, 5.0),       # beyond the last bound: its lower edge
    ({1.0: 0, float("inf"): 0}, 0.5, None),              # no requests
    ({}, 0.5, None),
])
def test_quantile_interpolates_inside_buckets(buckets, q, expected):
    assert quantile(buckets, q) == (pytest.approx(expected) if expected is not None else None)


class FakeSession:
    """Answers GET /metrics with the next prepared text."""

    def __init__(self, texts):
        self.texts = texts

    def get(self, url, timeout):
        class Response:
            ok = True
            text = self.texts[url].pop(0)
        return Response()


def test_edge_figures_are_rates_over_the_window():
    now = [100.0]
    invoice, tax = ("127.0.0.1", 1001), ("127.0.0.1", 1002)
    session = FakeSession({
        "http://127.0.0.1:1001/metrics": [metrics(100, 100, 0, [("1", 50), ("5", 100), ("+Inf", 100)]),
                                          metrics(140, 120, 20, [("1", 50), ("5", 140), ("+Inf", 140)])],
        "http://127.0.0.1:1002/metrics": [metrics(0, 0, 0, [], rbac=5), metrics(0, 0, 0, [], rbac=25)],
    })
    stats = SidecarStats(clients=None, session=session, clock=lambda: now[0])
    stats.scrape(invoice), stats.scrape(tax)
    first = stats.edge_figures([invoice], [tax], "tax")
    assert first.rps is None and first.note == "measuring…"
    now[0] = 104.0
    stats.scrape(invoice), stats.scrape(tax)
    figures = stats.edge_figures([invoice], [tax], "tax")
    assert figures.rps == pytest.approx(10.0)          # 40 requests in 4 s
    assert figures.error_rate == pytest.approx(0.5)    # 20 of them 4xx
    assert figures.p50_ms == pytest.approx(3.0)        # the 40 new ones all took 1-5 ms
    assert figures.rbac_denied_per_s == pytest.approx(5.0)
    assert stats.edge_figures([invoice], [tax], "invoice").note == "measuring…"  # no such upstream


class FakeClients:
    """Nomad's allocation read, as python-nomad returns it, for one allocation."""

    def __init__(self, ports):
        self.nomad = type("N", (), {"allocation": type("A", (), {"get_allocation": None})()})()
        self.ports = ports

    def nomad_call(self, what, call, alloc_id):
        assert alloc_id == "6b9f1c3e-2a7d-4e4b-9c1a-0d2f3e4a5b6c"
        return {"AllocatedResources": {"Shared": {"Ports": self.ports}}}


SERVICE_ID = "_nomad-task-6b9f1c3e-2a7d-4e4b-9c1a-0d2f3e4a5b6c-group-tax-tax-9001-sidecar-proxy"


@pytest.mark.parametrize("ports,bind,expected", [
    # bridge mode on Nomad: Envoy binds `to` inside the namespace; the host port leads there
    ([{"Label": "envoy_metrics", "Value": 23208, "To": 9102, "HostIP": "10.0.0.5"}], "0.0.0.0:9102",
     ("10.0.0.5", 23208)),
    # no namespaces (devagent): the bind port is the host port itself
    ([{"Label": "envoy_metrics", "Value": 23208, "To": 9102, "HostIP": "127.0.0.1"}], "0.0.0.0:23208",
     ("127.0.0.1", 23208)),
    ([], "127.0.0.1:9102", ("127.0.0.1", 9102)),   # host networking: the bind address itself
    ([], "0.0.0.0:9102", None),                     # nothing leads there
])
def test_metrics_address_through_the_allocation(ports, bind, expected):
    entry = {"ServiceID": SERVICE_ID}
    assert published_metrics_address(FakeClients(ports), entry, bind) == expected


def test_update_says_why_there_are_no_stats(monkeypatch):
    import deployer.topology.stats as stats_module
    monkeypatch.setattr(stats_module, "metrics_addresses",
                        lambda clients, name, known: ([], f"{name}'s sidecar sets no envoy_prometheus_bind_addr"))
    topology = Topology([ServiceNode("invoice", True, 1, 1, 1, "passing", "passing", False),
                         ServiceNode("tax", True, 1, 1, 1, "passing", "passing", False)],
                        [EdgeLink("invoice", "tax", "allow", None)])
    SidecarStats(clients=None).update(topology)
    assert topology.edges[0].stats.rps is None
    assert topology.edges[0].stats.note == "no stats: invoice's sidecar sets no envoy_prometheus_bind_addr"
    assert topology.nodes[1].stats_note.startswith("no stats: tax's sidecar")
