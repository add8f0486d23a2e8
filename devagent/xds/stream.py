"""One ADS stream, state of the world: what Envoy asked for, what was sent, and ACK/NACK of each response."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from envoy.service.discovery.v3.discovery_pb2 import DiscoveryRequest, DiscoveryResponse

from .proxies import Proxy
from .types import PUSH_ORDER, WILDCARD_TYPES


@dataclass
class Subscription:
    """One resource type on one stream."""

    names: frozenset[str] = frozenset()
    sent_version: int = 0
    sent_nonce: str = ""


class SotwStream:
    """Turns Envoy's requests and devagent's updates into the responses to send; knows nothing of gRPC."""

    def __init__(self, proxy: Proxy):
        self.proxy = proxy
        self.subscriptions: dict[str, Subscription] = {}
        self._nonces = itertools.count(1)

    def on_request(self, request: DiscoveryRequest) -> list[DiscoveryResponse]:
        """A request: an ACK, a NACK, a new subscription or changed names."""
        type_url = request.type_url
        subscription = self.subscriptions.get(type_url)
        if subscription is not None and request.response_nonce:
            if request.response_nonce != subscription.sent_nonce:
                return []  # answers a response already superseded by a newer one
            if request.HasField("error_detail"):
                self.proxy.nacked(type_url, subscription.sent_version, request.error_detail.message or "rejected")
            else:
                self.proxy.acked(type_url, subscription.sent_version)
        names = frozenset(request.resource_names)
        if subscription is None:
            subscription = self.subscriptions[type_url] = Subscription(names=names)
            return self._respond(type_url)
        names_changed = type_url not in WILDCARD_TYPES and names != subscription.names
        subscription.names = names
        if names_changed or self.proxy.version(type_url) != subscription.sent_version:
            return self._respond(type_url)
        return []

    def on_update(self, type_url: str) -> list[DiscoveryResponse]:
        """devagent changed a type: send it if Envoy subscribed to it and has an older version."""
        subscription = self.subscriptions.get(type_url)
        if subscription is None or self.proxy.version(type_url) == subscription.sent_version:
            return []
        return self._respond(type_url)

    def _respond(self, type_url: str) -> list[DiscoveryResponse]:
        snapshot = self.proxy.snapshot(type_url)
        if snapshot is None:
            return []  # devagent has not rendered this type yet; on_update sends it when it does
        version, resources = snapshot
        subscription = self.subscriptions[type_url]
        if type_url in WILDCARD_TYPES:
            chosen = [resources[name] for name in sorted(resources)]
        else:
            chosen = [resources[name] for name in sorted(subscription.names) if name in resources]
        subscription.sent_version = version
        subscription.sent_nonce = str(next(self._nonces))
        return [DiscoveryResponse(version_info=str(version), resources=chosen, type_url=type_url,
                                  nonce=subscription.sent_nonce)]


def in_push_order(type_urls: set[str]) -> list[str]:
    """Types to push together, clusters first and listeners last."""
    known = [t for t in PUSH_ORDER if t in type_urls]
    return known + sorted(type_urls - set(known))
