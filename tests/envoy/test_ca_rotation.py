"""A Connect CA rotation through Consul's API, under steady traffic, loses no request."""

import threading
import time

import pytest
import requests
from cryptography import x509

from tests.envoy.certs import make_ca
from tests.envoy.harness import client_context, https_get, wait_for

pytestmark = [pytest.mark.envoy, pytest.mark.consul]


def serial(text: str) -> str:
    """Consul's `0a:1b` and Envoy's `0a1b` serial numbers in one comparable form."""
    return text.replace(":", "").lower().lstrip("0")


def envoy_serves_leaf_of(node, root_pem: str) -> bool:
    """Consul now hands out a leaf signed by `root_pem`, and Envoy has loaded that very leaf."""
    leaf = node.consul.leaf(node.name, token=node.sidecar_token)  # the very leaf the sidecar's watch gets
    issuer = x509.load_pem_x509_certificate(leaf["CertPEM"].encode()).issuer
    if issuer != x509.load_pem_x509_certificate(root_pem.encode()).subject:
        return False
    wanted = serial(leaf["SerialNumber"])
    loaded = node.admin("/certs")
    return f'"serial_number": "{wanted}"' in loaded or f'"serial_number": "0{wanted}"' in loaded


class SteadyTraffic:
    """Requests in a loop: through web's upstream listener (app's view) and direct mTLS handshakes to api."""

    def __init__(self, web, api):
        self.web, self.api = web, api
        self.stop = threading.Event()
        self.ok = {"upstream": 0, "direct": 0}
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._through_web, daemon=True),
                        threading.Thread(target=self._direct_to_api, daemon=True)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(10)

    def _through_web(self):
        port = self.web.sidecar.spec.upstreams[0].local_bind_port
        while not self.stop.is_set():
            try:
                status = requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code  # a new connection each time
                if status == 200:
                    self.ok["upstream"] += 1
                else:
                    self.failures.append(f"upstream HTTP {status}")
            except requests.RequestException as exc:
                self.failures.append(f"upstream {exc}")
            self.stop.wait(0.005)  # pacing, not synchronization

    def _direct_to_api(self):
        """A fresh handshake each time with web's current leaf, verifying api against the current roots."""
        while not self.stop.is_set():
            leaf = self.api.consul.leaf(self.web.name)
            roots = "".join(root["RootCert"] for root in self.api.consul.roots()["Roots"])
            try:
                status = https_get(self.api.public_port, client_context(leaf["CertPEM"], leaf["PrivateKeyPEM"], roots))
                if status == 200:
                    self.ok["direct"] += 1
                else:
                    self.failures.append(f"direct HTTP {status}")
            except OSError as exc:
                self.failures.append(f"direct {exc}")
            self.stop.wait(0.02)


def test_ca_rotation_under_traffic_loses_no_request(consul_factory, mesh_factory):
    agent = consul_factory()  # an isolated agent: the rotation must not disturb the shared one
    api = mesh_factory.node(agent, "api")
    web = mesh_factory.node(agent, "web", upstreams=["api"])
    consul = api.consul
    wait_for(lambda: requests.get(f"http://127.0.0.1:{web.sidecar.spec.upstreams[0].local_bind_port}/",
                                  timeout=5).status_code == 200, 15, "traffic flowing before the rotation")
    old_root_ids = {root["ID"] for root in consul.roots()["Roots"]}
    new_cert, new_key = make_ca("Rotated Connect CA", consul.roots()["TrustDomain"])

    with SteadyTraffic(web, api) as traffic:
        start = time.monotonic()
        consul.put("/v1/connect/ca/configuration", {"Provider": "consul",
                                                    "Config": {"PrivateKey": new_key, "RootCert": new_cert}})
        roots = consul.roots()
        assert len(roots["Roots"]) == 2 and roots["ActiveRootID"] not in old_root_ids
        # Consul's agents spread leaf renewal over a 30 s window after a root change
        wait_for(lambda: envoy_serves_leaf_of(web, new_cert) and envoy_serves_leaf_of(api, new_cert), 45,
                 "both Envoys serving leaves of the new root", interval=0.2)
        rotated_after = time.monotonic() - start
        traffic.stop.wait(0.5)

    print(f"\nCA rotation: both Envoys on new leaves after {rotated_after:.1f} s; requests ok {traffic.ok}, "
          f"failed {len(traffic.failures)}")
    assert traffic.failures == []
    assert web.stat("listener_manager.listener_modified") == api.stat("listener_manager.listener_modified") == 0
    assert traffic.ok["upstream"] > 20 and traffic.ok["direct"] > 5

    # a restarted api Envoy forces web's Envoy into new handshakes: both sides on the new CA only now
    api.stop_envoy()
    api.run_envoy()
    upstream_port = web.sidecar.spec.upstreams[0].local_bind_port
    wait_for(lambda: requests.get(f"http://127.0.0.1:{upstream_port}/", timeout=5).status_code == 200, 10,
             "200 through web after api's Envoy restarted")
    new_root_only = client_context(*_leaf_pair(consul, web.name), new_cert)
    assert https_get(api.public_port, new_root_only) == 200


def _leaf_pair(consul, service):
    leaf = consul.leaf(service)
    return leaf["CertPEM"], leaf["PrivateKeyPEM"]


def test_a_restarted_consul_agent_brings_its_new_ca_to_envoy_at_once(consul_factory, mesh_factory):
    """Without ACLs: a restarted dev agent forgets its ACL system too, so every token (the sidecars') is gone."""
    agent = consul_factory(acl=False)  # a dev agent keeps nothing: after a restart it has a new CA and indexes from 1
    api = mesh_factory.node(agent, "api")
    web = mesh_factory.node(agent, "web", upstreams=["api"])
    upstream = f"http://127.0.0.1:{web.sidecar.spec.upstreams[0].local_bind_port}/"
    wait_for(lambda: requests.get(upstream, timeout=5).status_code == 200, 15, "traffic before the restart")
    old_roots = {root["ID"] for root in api.consul.roots()["Roots"]}
    agent.stop()
    agent.start()
    started = time.monotonic()
    for node in (api, web):
        node.register()  # what devagent's Consul re-sync does for its allocations
    new_root = api.consul.roots()["Roots"][0]
    assert new_root["ID"] not in old_roots
    # the watches' old indexes would block for their whole wait on the new agent; they read afresh
    wait_for(lambda: envoy_serves_leaf_of(web, new_root["RootCert"]) and envoy_serves_leaf_of(api, new_root["RootCert"]),
             15, "both Envoys serving leaves of the new agent's CA", interval=0.2)
    wait_for(lambda: requests.get(upstream, timeout=5).status_code == 200, 10, "traffic on the new CA")
    print(f"\nnew CA in both Envoys {time.monotonic() - started:.1f} s after the restarted agent answered")
