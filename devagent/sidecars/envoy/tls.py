"""TLS for the mesh: the SDS secrets (leaf, roots) and the contexts that use them."""

from __future__ import annotations

from .names import LEAF_SECRET, ROOTS_SECRET
from .sources import ads_source, typed

SECRET_TYPE = "envoy.extensions.transport_sockets.tls.v3.Secret"


def leaf_secret(cert_pem: str, key_pem: str) -> dict:
    """The service's leaf certificate chain and private key, swapped together."""
    return typed(SECRET_TYPE, name=LEAF_SECRET, tls_certificate={
        "certificate_chain": {"inline_string": cert_pem},
        "private_key": {"inline_string": key_pem},
    })


def roots_secret(root_pems: list[str]) -> dict:
    """Trust every root Consul lists (old and new ones during a rotation)."""
    bundle = "".join(pem if pem.endswith("\n") else pem + "\n" for pem in root_pems)
    return typed(SECRET_TYPE, name=ROOTS_SECRET, validation_context={"trusted_ca": {"inline_string": bundle}})


def _secret_ref(name: str) -> dict:
    return {"name": name, "sds_config": ads_source()}


def downstream_tls_context(alpn: list[str]) -> dict:
    """Public listener TLS: present the leaf, require a client certificate signed by a root."""
    common = {
        "tls_certificate_sds_secret_configs": [_secret_ref(LEAF_SECRET)],
        "validation_context_sds_secret_config": _secret_ref(ROOTS_SECRET),
    }
    if alpn:
        common["alpn_protocols"] = alpn
    context = typed("envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                    common_tls_context=common, require_client_certificate=True)
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}


def upstream_tls_context(sni: str, expected_spiffe_id: str) -> dict:
    """Upstream TLS: present our leaf, trust the roots, accept only the destination's SPIFFE ID."""
    common = {
        "tls_certificate_sds_secret_configs": [_secret_ref(LEAF_SECRET)],
        "combined_validation_context": {
            "default_validation_context": {
                "match_typed_subject_alt_names": [{"san_type": "URI", "matcher": {"exact": expected_spiffe_id}}],
            },
            "validation_context_sds_secret_config": _secret_ref(ROOTS_SECRET),
        },
    }
    context = typed("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", common_tls_context=common, sni=sni)
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}
