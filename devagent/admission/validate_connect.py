"""The connect block's own validation: sidecar, native or gateway (services.go, connect.go)."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import block, flag, items, mapping, number, text
from .validate_gosyntax import parse_uint_error


def validate_connect(connect) -> str | MultiError | None:
    """ConsulConnect.Validate: exactly one of sidecar, native or gateway, each valid."""
    if connect is None:
        return None
    sidecar = block(connect, "SidecarService")
    count = 0
    if sidecar is not None:
        proxy = block(sidecar, "Proxy")
        tproxy = block(proxy, "TransparentProxy")
        if tproxy is not None:
            problem = validate_transparent_proxy(tproxy)
            if problem:
                return problem
        count += 1
    if flag(connect, "Native"):
        count += 1
    gateway = block(connect, "Gateway")
    if gateway is not None:
        count += 1
    if count != 1:
        return "Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway"
    return validate_gateway(gateway) if gateway is not None else None


def validate_transparent_proxy(tproxy: dict) -> str | MultiError | None:
    """ConsulTransparentProxy.Validate: a single error comes back bare, several as a multi-error."""
    errors = MultiError()
    for cidr in items(tproxy, "ExcludeOutboundCIDRs"):
        problem = _parse_prefix_error(str(cidr))
        if problem:
            errors.errors.append("could not parse transparent proxy excluded outbound CIDR as network prefix: "
                                 + problem)
    uid = text(tproxy, "UID")
    if uid != "":
        reason = parse_uint_error(uid, 16)
        if reason:
            errors.errors.append("transparent proxy block has invalid UID field: "
                                 f"invalid user ID {quote(uid)}: {reason}")
    for excluded in items(tproxy, "ExcludeUIDs"):
        reason = parse_uint_error(str(excluded), 16)
        if reason:
            errors.errors.append("transparent proxy block has invalid ExcludeUIDs field: "
                                 f"invalid user ID {quote(str(excluded))}: {reason}")
    if len(errors) == 1:
        return errors.errors[0]
    return errors.error_or_none()


def _parse_prefix_error(cidr: str) -> str | None:
    """netip.ParsePrefix's error text, or None."""
    prefix = f"netip.ParsePrefix({quote(cidr)}): "
    slash = cidr.rfind("/")
    if slash < 0:
        return prefix + "no '/'"
    address, bits = cidr[:slash], cidr[slash + 1:]
    problem = _parse_addr_error(address)
    if problem:
        return prefix + problem
    if "%" in address:
        return prefix + "IPv6 zones cannot be present in a prefix"
    if (len(bits) > 1 and not "1" <= bits[0] <= "9") or not bits.isascii() or not bits.isdigit():
        return prefix + f"bad bits after slash: {quote(bits)}"
    if int(bits) > (128 if ":" in address else 32):
        return prefix + "prefix length out of range"
    return None


def _parse_addr_error(address: str) -> str | None:
    """netip.ParseAddr's error text for the common cases, or None."""
    head = f"ParseAddr({quote(address)}): "
    for char in address:
        if char == ".":
            return _parse_ipv4_error(address, head)
        if char == ":":
            return _parse_ipv6_error(address, head)
        if char == "%":
            return head + "missing IPv6 address"
    return head + "unable to parse IP"


def _parse_ipv6_error(address: str, head: str) -> str | None:
    """netip's parseIPv6 error text, or None."""
    def at(rest: str) -> str:
        return f" (at {quote(rest)})" if rest else ""
    rest, _, zone = address.partition("%")
    if "%" in address and zone == "":
        return head + "zone must be a non-empty string"
    filled, ellipsis = 0, -1
    if rest.startswith("::"):
        ellipsis, rest = 0, rest[2:]
        if rest == "":
            return None
    while filled < 16:
        digits = 0
        while digits < len(rest) and rest[digits] in "0123456789abcdefABCDEF":
            if digits > 3:
                return head + "each group must have 4 or less digits" + at(rest)
            digits += 1
        if digits == 0:
            return head + "each colon-separated field must have at least one digit" + at(rest)
        if rest[digits:digits + 1] == ".":
            if ellipsis < 0 and filled != 12:
                return head + "embedded IPv4 address must replace the final 2 fields of the address" + at(rest)
            if filled + 4 > 16:
                return head + "too many hex fields to fit an embedded IPv4 at the end of the address" + at(rest)
            problem = _parse_ipv4_error(rest, head)
            if problem:
                return problem
            rest, filled = "", filled + 4
            break
        filled += 2
        rest = rest[digits:]
        if rest == "":
            break
        if rest[0] != ":":
            return head + "unexpected character, want colon" + at(rest)
        if len(rest) == 1:
            return head + "colon must be followed by more characters" + at(rest)
        rest = rest[1:]
        if rest[0] == ":":
            if ellipsis >= 0:
                return head + "multiple :: in address" + at(rest)
            ellipsis, rest = filled, rest[1:]
            if rest == "":
                break
    if rest:
        return head + "trailing garbage after address" + at(rest)
    if filled < 16 and ellipsis < 0:
        return head + "address string too short"
    if filled == 16 and ellipsis >= 0:
        return head + "the :: must expand to at least one field of zeros" + at(rest)
    return None


def _parse_ipv4_error(address: str, head: str) -> str | None:
    """netip's parseIPv4 error text, or None (head names the whole input, as Go's error does)."""
    value, fields, digits = 0, 0, 0
    for index, char in enumerate(address):
        if "0" <= char <= "9":
            if digits == 1 and value == 0:
                return head + "IPv4 field has octet with leading zero"
            value, digits = value * 10 + int(char), digits + 1
            if value > 255:
                return head + "IPv4 field has value >255"
        elif char == ".":
            if index == 0 or index == len(address) - 1 or address[index - 1] == ".":
                return head + f"IPv4 field must have at least one digit (at {quote(address[index:])})"
            if fields == 3:
                return head + "IPv4 address too long"
            fields, value, digits = fields + 1, 0, 0
        else:
            return head + f"unexpected character (at {quote(address[index:])})"
    return head + "IPv4 address too short" if fields < 3 else None


def validate_gateway(gateway: dict) -> str | None:
    """ConsulGateway.Validate: proxy, ingress, terminating, then exactly one kind."""
    for check, key in ((_validate_gateway_proxy, "Proxy"), (_validate_ingress, "Ingress"),
                       (_validate_terminating, "Terminating")):
        part = block(gateway, key)
        if part is not None:
            problem = check(part)
            if problem:
                return problem
    kinds = sum(block(gateway, key) is not None for key in ("Ingress", "Terminating", "Mesh"))
    if kinds != 1:
        return "One Consul Gateway Configuration must be set"
    return None


def _validate_gateway_proxy(proxy: dict) -> str | None:
    if proxy.get("ConnectTimeout") is None:
        return "Consul Gateway Proxy connection_timeout must be set"
    if text(proxy, "EnvoyDNSDiscoveryType") not in ("", "STRICT_DNS", "LOGICAL_DNS"):
        return "Consul Gateway Proxy Envoy DNS Discovery type must be STRICT_DNS or LOGICAL_DNS"
    addresses = mapping(proxy, "EnvoyGatewayBindAddresses")
    for name in sorted(addresses):
        address = addresses[name]
        if address is None:
            continue
        if text(address, "Address") == "":
            return "Consul Gateway Bind Address must be set"
        port = number(address, "Port")
        if port <= 0 and port != -1:
            return "Consul Gateway Bind Address must set valid Port"
    return None


def _validate_ingress(ingress: dict) -> str | None:
    listeners = items(ingress, "Listeners")
    if not listeners:
        return "Consul Ingress Gateway requires at least one listener"
    for listener in listeners:
        problem = _validate_listener(listener) if listener is not None else None
        if problem:
            return problem
    return None


def _validate_listener(listener: dict) -> str | None:
    if number(listener, "Port") <= 0:
        return "Consul Ingress Listener requires valid Port"
    protocol = text(listener, "Protocol")
    if protocol not in ("tcp", "http", "http2", "grpc"):
        return f"Consul Ingress Listener requires protocol of tcp, http, http2, grpc, got {quote(protocol)}"
    services = items(listener, "Services")
    if not services:
        return "Consul Ingress Listener requires one or more services"
    for service in services:
        problem = _validate_ingress_service(service, protocol) if service is not None else None
        if problem:
            return problem
    return None


def _validate_ingress_service(service: dict, protocol: str) -> str | None:
    name, hosts = text(service, "Name"), items(service, "Hosts")
    if name == "":
        return "Consul Ingress Service requires a name"
    if protocol == "tcp":
        if name == "*":
            return 'Consul Ingress Service doesn\'t support wildcard name for "tcp" protocol'
        if hosts:
            return 'Consul Ingress Service doesn\'t support associating hosts to a service for the "tcp" protocol'
    elif name == "*" and hosts:
        return 'Consul Ingress Service with a wildcard "*" service name can not also specify hosts'
    return None


def _validate_terminating(terminating: dict) -> str | None:
    services = items(terminating, "Services")
    if not services:
        return "Consul Terminating Gateway requires at least one service"
    for service in services:
        problem = _validate_linked_service(service) if service is not None else None
        if problem:
            return problem
    return None


def _validate_linked_service(service: dict) -> str | None:
    if text(service, "Name") == "":
        return "Consul Linked Service requires Name"
    ca, cert, key, sni = (text(service, field) != "" for field in ("CAFile", "CertFile", "KeyFile", "SNI"))
    if (cert or key) and not ca:
        return "Consul Linked Service TLS requires CAFile"
    if cert != key:
        return "Consul Linked Service TLS Cert and Key must both be set"
    if sni and not ca:
        return "Consul Linked Service TLS SNI requires CAFile"
    return None
