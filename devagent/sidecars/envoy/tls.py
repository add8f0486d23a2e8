"""TLS for the mesh: the SDS secrets (leaf, roots) and the contexts that use them."""

from __future__ import annotations

from .layout import ConfigLayout
from .names import LEAF_SECRET, ROOTS_SECRET
from .sources import discovery_file, file_source, typed

SECRET_TYPE = "envoy.extensions.transport_sockets.tls.v3.Secret"


def leaf_secret_file(cert_pem: str, key_pem: str) -> dict:
    """SDS file with the service's leaf certificate chain and private key, swapped together."""
    secret = typed(SECRET_TYPE, name=LEAF_SECRET, tls_certificate={
        "certificate_chain": {"inline_string": cert_pem},
        "private_key": {"inline_string": key_pem},
    })
    return discovery_file([secret])


def roots_secret_file(root_pems: list[str]) -> dict:
    """SDS file trusting every root Consul lists (old and new ones during a rotation)."""
    bundle = "".join(pem if pem.endswith("\n") else pem + "\n" for pem in root_pems)
    secret = typed(SECRET_TYPE, name=ROOTS_SECRET, validation_context={"trusted_ca": {"inline_string": bundle}})
    return discovery_file([secret])


def _secret_ref(name: str, path) -> dict:
    return {"name": name, "sds_config": file_source(path)}


def downstream_tls_context(layout: ConfigLayout, alpn: list[str]) -> dict:
    """Public listener TLS: present the leaf, require a client certificate signed by a root."""
    common = {
        "tls_certificate_sds_secret_configs": [_secret_ref(LEAF_SECRET, layout.leaf)],
        "validation_context_sds_secret_config": _secret_ref(ROOTS_SECRET, layout.roots),
    }
    if alpn:
        common["alpn_protocols"] = alpn
    context = typed("envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                    common_tls_context=common, require_client_certificate=True)
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}


def upstream_tls_context(layout: ConfigLayout, sni: str, expected_spiffe_id: str) -> dict:
    """Upstream TLS: present our leaf, trust the roots, accept only the destination's SPIFFE ID."""
    common = {
        "tls_certificate_sds_secret_configs": [_secret_ref(LEAF_SECRET, layout.leaf)],
        "combined_validation_context": {
            "default_validation_context": {
                "match_typed_subject_alt_names": [{"san_type": "URI", "matcher": {"exact": expected_spiffe_id}}],
            },
            "validation_context_sds_secret_config": _secret_ref(ROOTS_SECRET, layout.roots),
        },
    }
    context = typed("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", common_tls_context=common, sni=sni)
    return {"name": "envoy.transport_sockets.tls", "typed_config": context}
