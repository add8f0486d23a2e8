"""verify's probes with real Consul leaf certificates against a tiny real TLS server."""

import os
import stat

import pytest

from deployer.clients import Clients, Endpoints
from deployer.verify.identity import LeafStore, load_mesh_ca
from deployer.verify.probe import (ALLOWED, DENIED, UNREACHABLE, WRONG_IDENTITY, probe_mtls,
                                   probe_plaintext, probe_without_client_cert)
from devagent.ports import free_port
from tests.deployer.tls_sidecar import MiniSidecar

pytestmark = pytest.mark.consul


@pytest.fixture(scope="module")
def mesh(consul_agent, consul_deployer_token):
    """Consul's CA and a leaf store for order, invoice and tax, read with the deployer's token as verify does."""
    clients = Clients(Endpoints.resolve(consul_addr=consul_agent.http_addr, consul_token=consul_deployer_token, env={}))
    ca = load_mesh_ca(clients)
    with LeafStore(clients, ca) as leaves:
        yield ca, leaves


def tax_sidecar(mesh, **kwargs) -> MiniSidecar:
    ca, leaves = mesh
    tax = leaves.identity("tax")
    return MiniSidecar(tax.cert_file, tax.key_file, ca.roots_pem, allowed={ca.spiffe_uri("order")}, **kwargs)


def test_leaf_files_are_private(mesh):
    _, leaves = mesh
    identity = leaves.identity("order")
    assert stat.S_IMODE(os.stat(leaves.directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(identity.key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(identity.cert_file).st_mode) == 0o600


def test_trust_domain_and_spiffe_uri(mesh):
    ca, _ = mesh
    assert ca.trust_domain.endswith(".consul")
    assert ca.spiffe_uri("tax") == f"spiffe://{ca.trust_domain}/ns/default/dc/dc1/svc/tax"


@pytest.mark.parametrize("source,deny_mode,outcome,details", [
    ("order", "reset", ALLOWED, ("HTTP 200",)),
    # refused, reset or closed, all before any HTTP answer: the detail says which
    ("invoice", "reset", DENIED, ("refused: ", "closed before answering", "no HTTP answer")),
    ("invoice", "403", DENIED, ("HTTP 403",)),
])
def test_mtls_probe_allowed_and_denied(mesh, source, deny_mode, outcome, details):
    ca, leaves = mesh
    with tax_sidecar(mesh, deny_mode=deny_mode) as server:
        result = probe_mtls("127.0.0.1", server.port, leaves.identity(source), ca.spiffe_uri("tax"))
    assert result.outcome == outcome
    assert any(result.detail.startswith(detail) for detail in details), result.detail
    if outcome == DENIED:
        assert "HTTP 200" not in result.detail


def test_mtls_probe_checks_the_servers_spiffe_id(mesh):
    ca, leaves = mesh
    with tax_sidecar(mesh) as server:
        result = probe_mtls("127.0.0.1", server.port, leaves.identity("order"), ca.spiffe_uri("invoice"))
    assert result.outcome == WRONG_IDENTITY and "svc/tax" in result.detail


def test_plaintext_and_certless_connections_are_refused(mesh):
    ca, _ = mesh
    with tax_sidecar(mesh) as server:
        assert probe_plaintext("127.0.0.1", server.port).outcome == DENIED
        assert probe_without_client_cert("127.0.0.1", server.port, ca.roots_pem).outcome == DENIED


def test_a_server_that_answers_plaintext_is_caught(mesh):
    ca, leaves = mesh
    tax = leaves.identity("tax")
    with MiniSidecar(tax.cert_file, tax.key_file, None, set(), plaintext=True) as server:
        result = probe_plaintext("127.0.0.1", server.port)
    assert result.outcome == ALLOWED and "plaintext" in result.detail


def test_a_server_without_client_auth_is_caught(mesh):
    ca, leaves = mesh
    tax = leaves.identity("tax")
    with MiniSidecar(tax.cert_file, tax.key_file, None, {ca.spiffe_uri("order")}, deny_mode="403") as server:
        result = probe_without_client_cert("127.0.0.1", server.port, ca.roots_pem)
    assert result.outcome == ALLOWED


def test_nothing_listening_is_unreachable_not_denied(mesh):
    ca, leaves = mesh
    port = free_port()
    assert probe_mtls("127.0.0.1", port, leaves.identity("order"), ca.spiffe_uri("tax")).outcome == UNREACHABLE
    assert probe_plaintext("127.0.0.1", port).outcome == UNREACHABLE
