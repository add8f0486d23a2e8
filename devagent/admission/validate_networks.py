"""A group's networks and ports (structs.go TaskGroup.validateNetworks)."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import block, items, mapping, number, text

_MAX_PORT = 65535


def group_network_errors(group: dict) -> MultiError | None:
    """Unique port labels, unique static ports per host network, port ranges, CNI args and hostname."""
    errors = MultiError()
    add = errors.errors.append
    label_owner: dict[str, str] = {}
    static_ports: dict[str, dict[int, str]] = {}
    cni_keys: set[str] = set()

    for network in items(group, "Networks"):
        for port in _ports(network):
            label = text(port, "Label")
            if label in label_owner:
                add(f"Port label {label} already in use by {label_owner[label]}")
            else:
                label_owner[label] = "taskgroup network"
            _reserve_static(port, f"taskgroup network:{label}", static_ports, add)
            mapped = number(port, "To")
            if mapped < -1:
                add(f"Port {quote(label)} cannot be mapped to negative value {mapped}")
            elif mapped > _MAX_PORT:
                add(f"Port {quote(label)} cannot be mapped to a port ({mapped}) greater than {_MAX_PORT}")
        # Go walks this map in random order; sorted keys keep the listing stable.
        cni_args = mapping(block(network, "CNI"), "Args")
        for key in sorted(cni_args):
            value = str(cni_args[key])
            if key in cni_keys:
                add(f"duplicate CNI arg {quote(key)}")
            else:
                cni_keys.add(key)
            if ";" in key:
                add(f"invalid ';' character in CNI arg key {quote(key)}")
            if ";" in value:
                add(f"invalid ';' character in CNI arg value {quote(value)}")
        hostname = text(network, "Hostname")
        if hostname != "" and "${" not in hostname and not is_domain_name(hostname):
            add("Hostname is not a valid DNS name")

    for task in items(group, "Tasks"):
        resources = block(task, "Resources")
        if resources is None:
            continue
        for network in items(resources, "Networks"):
            for port in _ports(network):
                label = text(port, "Label")
                if label in label_owner:
                    add(f"Port label {label} already in use by {label_owner[label]}")
                _reserve_static(port, f"{text(task, 'Name')}:{label}", static_ports, add)
    return errors.error_or_none()


def _ports(network: dict) -> list:
    """Reserved ports first, then dynamic ones, as Nomad appends them."""
    return items(network, "ReservedPorts") + items(network, "DynamicPorts")


def _reserve_static(port: dict, owner: str, static_ports: dict, add) -> None:
    value = number(port, "Value")
    if value == 0:
        return
    taken = static_ports.setdefault(text(port, "HostNetwork") or "default", {})
    if value in taken:
        add(f"Static port {value} already reserved by {taken[value]}")
    elif value > _MAX_PORT:
        add(f"Port {text(port, 'Label')} ({value}) cannot be greater than {_MAX_PORT}")
    else:
        taken[value] = owner


def is_domain_name(name: str) -> bool:
    """miekg/dns IsDomainName: non-empty labels of at most 63 octets, at most 255 octets in all."""
    encoded = name.encode()
    if not encoded.endswith(b".") or encoded.endswith(b"\\."):
        encoded += b"."
    offset, begin, was_dot, index = 0, 0, False, 0
    while index < len(encoded):
        char = encoded[index:index + 1]
        if char == b"\\":
            step = 3 if encoded[index + 1:index + 4].isdigit() and len(encoded[index + 1:index + 4]) == 3 else 1
            index += step
            begin += step
            was_dot = False
        elif char == b".":
            if (index == 0 and len(encoded) > 1) or was_dot:
                return False
            was_dot = True
            label_length = index - begin
            if label_length >= 64:
                return False
            offset += 1 + label_length
            if offset > 256:
                return False
            begin = index + 1
        else:
            was_dot = False
        index += 1
    return True
