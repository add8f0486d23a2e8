"""Intentions -> Envoy RBAC filter configs (HTTP per request, network per connection), served by ECDS."""

from __future__ import annotations

from .intentions import Intention, PrincipalRule, principal_rules
from .names import HTTP_RBAC_FILTER, NETWORK_RBAC_FILTER, spiffe_principal_regex
from .sources import typed

HTTP_RBAC_TYPE = "envoy.extensions.filters.http.rbac.v3.RBAC"
NETWORK_RBAC_TYPE = "envoy.extensions.filters.network.rbac.v3.RBAC"
POLICY_NAME = "consul-intentions-layer4"
EXTENSION_CONFIG_TYPE = "envoy.config.core.v3.TypedExtensionConfig"


def _authenticated(trust_domain: str, source: str) -> dict:
    regex = spiffe_principal_regex(trust_domain, source)
    return {"authenticated": {"principal_name": {"safe_regex": {"regex": regex}}}}


def _principal(trust_domain: str, rule: PrincipalRule) -> dict:
    base = _authenticated(trust_domain, rule.source)
    if not rule.excluded:
        return base
    carved = [{"not_id": _authenticated(trust_domain, source)} for source in rule.excluded]
    return {"and_ids": {"ids": [base, *carved]}}


def rbac_rules(intentions: list[Intention], default_allow: bool, trust_domain: str) -> dict:
    """Default allow => DENY listing the denied sources; default deny => ALLOW listing the allowed."""
    principals = [_principal(trust_domain, rule) for rule in principal_rules(intentions, default_allow)]
    rules: dict = {"action": "DENY" if default_allow else "ALLOW", "policies": {}}
    if principals:  # Envoy wants at least one principal per policy; no policy = no match
        rules["policies"][POLICY_NAME] = {"permissions": [{"any": True}], "principals": principals}
    return rules


def http_rbac_config(intentions: list[Intention], default_allow: bool, trust_domain: str) -> dict:
    """ECDS resource for the HTTP RBAC filter of the public listener (checked on every request)."""
    config = typed(HTTP_RBAC_TYPE, rules=rbac_rules(intentions, default_allow, trust_domain))
    return typed(EXTENSION_CONFIG_TYPE, name=HTTP_RBAC_FILTER, typed_config=config)


def network_rbac_config(intentions: list[Intention], default_allow: bool, trust_domain: str) -> dict:
    """ECDS resource for the network RBAC filter (tcp: checked once, when a connection opens)."""
    config = typed(NETWORK_RBAC_TYPE, stat_prefix="connect_authz",
                   rules=rbac_rules(intentions, default_allow, trust_domain))
    return typed(EXTENSION_CONFIG_TYPE, name=NETWORK_RBAC_FILTER, typed_config=config)
