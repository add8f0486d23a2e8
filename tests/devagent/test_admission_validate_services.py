"""Service, check and connect validation, with cases carried over from Nomad's services_test.go and
structs_test.go, plus what a Connect service job can hit end to end."""

import json
from pathlib import Path

import pytest

from devagent.admission.job_validate import validate_job
from devagent.admission.validate_checks import validate_check_restart, validate_consul_check, validate_nomad_check
from devagent.admission.validate_connect import validate_connect, validate_gateway, validate_transparent_proxy
from devagent.admission.validate_services import validate_service
from devagent.admission.validate_task_services import task_service_errors

CONNECT_JOB = Path(__file__).parent / "data" / "admission_validate" / "connect_job.json"
SECOND = 1_000_000_000
NAME_RULE = ("Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and "
             "must be no longer than 63 characters")


def connect_job() -> dict:
    return json.loads(CONNECT_JOB.read_text())


def error_text(job: dict) -> str:
    error, _ = validate_job(job)
    return str(error) if error else ""


def service_errors(service: dict) -> list[str]:
    problem = validate_service(service)
    return [str(entry) for entry in (problem.errors if problem else [])]


@pytest.mark.parametrize("check_type", ["tcp", "http", "grpc"])
def test_pass_fail_thresholds_are_allowed_on_tcp_http_and_grpc(check_type):
    check = {"Name": "check", "Type": check_type, "Path": "/path", "Interval": SECOND, "Timeout": 2 * SECOND,
             "SuccessBeforePassing": 3, "FailuresBeforeCritical": 3, "FailuresBeforeWarning": 2}
    assert validate_consul_check(check) is None


@pytest.mark.parametrize("field, label", [("SuccessBeforePassing", "success_before_passing"),
                                          ("FailuresBeforeCritical", "failures_before_critical"),
                                          ("FailuresBeforeWarning", "failures_before_warning")])
def test_pass_fail_thresholds_are_not_allowed_on_script_checks(field, label):
    check = {"Name": "check", "Type": "script", "Command": "/nothing", "Interval": SECOND, "Timeout": 2 * SECOND,
             field: 3}
    assert validate_consul_check(check) == f'{label} not supported for check of type "script"'
    check[field] = 0
    assert validate_consul_check(check) is None
    check[field] = -1
    assert validate_consul_check(check) == f"{label} must be non-negative"


@pytest.mark.parametrize("on_update, ignore_warnings, expected", [
    ("ignore_warnings", False,
     'on_update value "ignore_warnings" not supported with check_restart ignore_warnings value "false"'),
    ("ignore", False, 'on_update value "ignore" is not compatible with check_restart'),
    ("ignore_warnings", True, None),
])
def test_on_update_and_check_restart_conflicts(on_update, ignore_warnings, expected):
    check = {"Name": "check", "Type": "script", "Command": "/nothing", "Interval": SECOND, "Timeout": 2 * SECOND,
             "CheckRestart": {"IgnoreWarnings": ignore_warnings, "Limit": 3, "Grace": 5 * SECOND},
             "OnUpdate": on_update}
    assert validate_consul_check(check) == expected


@pytest.mark.parametrize("check, expected", [
    ({"Type": "grpc"}, 'invalid check type ("grpc"), must be one of tcp, http'),
    ({"Type": "script"}, 'invalid check type ("script"), must be one of tcp, http'),
    ({"Type": "tcp", "Expose": True, "Interval": 3 * SECOND, "Timeout": SECOND},
     "expose may only be set for Consul service checks"),
    ({"Type": "tcp", "Interval": 3 * SECOND, "Timeout": SECOND, "OnUpdate": "ignore_warnings"},
     "on_update may only be set to ignore_warnings for Consul service checks"),
    ({"Type": "tcp", "SuccessBeforePassing": 3, "Interval": 3 * SECOND, "Timeout": SECOND},
     "success_before_passing may only be set for Consul service checks"),
    ({"Type": "tcp", "FailuresBeforeCritical": 3, "Interval": 3 * SECOND, "Timeout": SECOND},
     "failures_before_critical may only be set for Consul service checks"),
    ({"Type": "tcp", "FailuresBeforeWarning": 3, "Interval": 3 * SECOND, "Timeout": SECOND},
     "failures_before_warning may only be set for Consul service checks"),
    ({"Type": "tcp", "Interval": 3 * SECOND, "Timeout": SECOND, "CheckRestart": {}}, None),
    ({"Type": "tcp", "Interval": 3 * SECOND, "Timeout": SECOND, "CheckRestart": {"IgnoreWarnings": True}},
     "ignore_warnings on check_restart only supported for Consul service checks"),
    ({"Type": "tcp", "Interval": 3 * SECOND, "Timeout": SECOND, "AddressMode": "driver"},
     "address_mode = driver may only be set for Consul service checks"),
    ({"Type": "http", "Interval": 3 * SECOND, "Timeout": SECOND, "Path": "/health", "Method": "HEAD"}, None),
    ({"Type": "http", "Interval": 3 * SECOND, "Timeout": SECOND, "Path": "/health", "Method": "Invalid"},
     'method type "Invalid" not supported in Nomad http check'),
    ({"Type": "http", "Interval": 3 * SECOND, "Timeout": SECOND, "Path": "/health", "Method": "POST",
      "Body": "payload", "Header": {"foo": ["bar"], "baz": None}}, None),
    ({"Type": "http", "Interval": 3 * SECOND, "Timeout": SECOND, "Path": "/health", "TLSServerName": "foo"},
     "tls_server_name may only be set for Consul service checks"),
    ({"Type": "http", "Interval": 3 * SECOND, "Timeout": SECOND, "Path": "/health", "TLSSkipVerify": True},
     "tls_skip_verify may only be set for Consul service checks"),
])
def test_nomad_provider_check_table(check, expected):
    assert validate_nomad_check(check) == expected


@pytest.mark.parametrize("check, expected", [
    ({"Name": "c", "Command": "/bin/true", "Type": "script", "Interval": 10 * SECOND},
     "missing required value timeout. Timeout cannot be less than 1s"),
    ({"Name": "c", "Type": "tcp", "Interval": 10 * SECOND, "Timeout": 2 * SECOND}, None),
    ({"Name": "c", "Type": "tcp", "Interval": 10 * SECOND, "Timeout": 2 * SECOND, "InitialStatus": "foo"},
     'invalid initial check state (foo), must be one of "passing", "warning", "critical" or empty'),
    ({"Name": "c", "Type": "tcp", "Interval": 10 * SECOND, "Timeout": 2 * SECOND, "InitialStatus": "critical"}, None),
    ({"Name": "c", "Type": "http", "Interval": 10 * SECOND, "Timeout": 2 * SECOND, "Path": "/foo/bar"}, None),
    ({"Name": "c", "Type": "http", "Interval": 10 * SECOND, "Timeout": 2 * SECOND}, "http type must have http path"),
    ({"Name": "c", "Type": "http", "Interval": 10 * SECOND, "Timeout": 2 * SECOND, "Path": "http://www.example.com"},
     "http type must have relative http path"),
    ({"Name": "c", "Type": "http", "Interval": 10 * SECOND, "Timeout": 2 * SECOND, "Path": "/a%zz"},
     "http type must have valid http path"),
    ({"Type": "http", "Interval": SECOND, "Timeout": SECOND, "Path": "/health", "Expose": True}, None),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": SECOND, "Expose": True},
     "expose may only be set on HTTP or gRPC checks"),
    ({"Type": "HTTP", "Interval": SECOND, "Timeout": SECOND, "Path": "/x"}, None),
    ({"Type": "docker", "Interval": SECOND, "Timeout": SECOND},
     'invalid check type ("docker"), must be one of grpc, tcp, http, script'),
    ({"Type": "script", "Interval": SECOND, "Timeout": SECOND}, "script type must have a valid script path"),
    ({"Type": "tcp", "Interval": 500_000_000, "Timeout": SECOND}, "interval (500ms) cannot be lower than 1s"),
    ({"Type": "tcp", "Timeout": SECOND}, "missing required value interval. Interval cannot be less than 1s"),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": 100_000_000},
     "timeout (100ms) is lower than required minimum timeout 1s"),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": SECOND, "AddressMode": "auto"},
     'invalid address_mode "auto" - auto only valid for services'),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": SECOND, "AddressMode": "bogus"}, 'invalid address_mode "bogus"'),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": SECOND, "OnUpdate": "never"},
     'on_update must be "require_healthy", "ignore_warnings", or "ignore"; got "never"'),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": SECOND, "Notes": "A" * 256},
     "notes must not be longer than 255 characters"),
    ({"Type": "tcp", "Interval": SECOND, "Timeout": SECOND, "CheckRestart": {"Limit": -1, "Grace": -1}},
     "2 errors occurred:\n\t* limit must be greater than or equal to 0 but found -1\n"
     "\t* grace period must be greater than or equal to 0 but found -1\n\n"),
])
def test_consul_provider_check_table(check, expected):
    problem = validate_consul_check(check)
    assert (str(problem) if problem is not None else None) == expected


def test_check_restart_counts_its_errors():
    assert len(validate_check_restart({"Limit": -1, "Grace": -1})) == 2
    assert validate_check_restart({}) is None
    assert validate_check_restart({"Limit": 1, "Grace": 1}) is None


@pytest.mark.parametrize("service, expected", [
    ({"Name": "testservice", "Provider": "consul"}, []),
    ({"Name": "testservice", "TaskName": "testtask", "Provider": "consul", "Connect": {"Native": True}}, []),
    ({"Name": "testservice", "Provider": "consul", "Connect": {"Native": True}},
     ["Service testservice is Connect Native and requires setting the task"]),
    ({"Name": "testservice", "TaskName": "testtask", "Provider": "consul",
      "Connect": {"Native": True, "SidecarService": {}}},
     ["Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway"]),
    ({"Name": "testservice", "Provider": "nomad", "PortLabel": "port", "Checks": [
        {"Name": "servicecheck", "Type": "http", "Path": "/", "Interval": SECOND, "Timeout": 3 * SECOND},
        {"Name": "servicecheck", "Type": "tcp", "Interval": SECOND, "Timeout": 3 * SECOND}]}, []),
    ({"Name": "testservice", "Provider": "nomad", "Checks": [{"Name": "servicecheck", "Type": "script"}]},
     ['invalid check type ("script"), must be one of tcp, http']),
    ({"Name": "testservice", "Provider": "nomad", "Checks": [{"Name": "c", "Type": "http", "TLSSkipVerify": True}]},
     ['Check c invalid: check requires a port but neither check nor service "testservice" have a port']),
    ({"Name": "testservice", "Provider": "nomad", "Connect": {"Native": True}},
     ["Service with provider nomad cannot include Connect blocks"]),
    ({"Name": "testservice", "Provider": "nomad"}, []),
    ({"Name": "testservice", "Provider": "consul", "PortLabel": "port", "Checks": [
        {"Name": "servicecheck", "Type": "http", "Path": "/", "Interval": SECOND, "Timeout": 3 * SECOND,
         "Notes": "A" * 256}]},
     ["Check servicecheck invalid: notes must not be longer than 255 characters"]),
    ({"Name": "webapp", "PortLabel": "http", "Provider": "nomad", "Checks": [{"Name": "some-check"}]},
     ['invalid check type (""), must be one of tcp, http']),
    ({"Name": "service-name", "Provider": "consul", "PortLabel": "bar", "Checks": [{"Name": "check-name", "Type": "lol"}]},
     ['Check check-name invalid: invalid check type ("lol"), must be one of grpc, tcp, http, script']),
    ({"Name": "-my-service", "Provider": "consul"}, [f'{NAME_RULE}: "-my-service"']),
    ({"Name": "service.name", "Provider": "consul"}, [f'{NAME_RULE}: "service.name"']),
    ({"Name": "my-service-${NOMAD_META_FOO}", "Provider": "consul"}, []),
    ({"Name": "my_service-${NOMAD_META_FOO}", "Provider": "consul"}, [f'{NAME_RULE}: "my_service-${{NOMAD_META_FOO}}"']),
    ({"Name": "abcdef0123456789-abcdef0123456789-abcdef0123456789-abcdef0123456", "Provider": "consul"},
     [f'{NAME_RULE}: "abcdef0123456789-abcdef0123456789-abcdef0123456789-abcdef0123456"']),
    ({"Name": "service-name", "Provider": "consul", "Checks": [
        {"Name": "check-tcp", "Type": "tcp", "Interval": 5 * SECOND, "Timeout": 2 * SECOND},
        {"Name": "check-http", "Type": "http", "Path": "/foo", "Interval": 5 * SECOND, "Timeout": 2 * SECOND}]},
     ['Check check-tcp invalid: check requires a port but neither check nor service "service-name" have a port',
      'Check check-http invalid: check requires a port but neither check nor service "service-name" have a port']),
    ({"Name": "service-name", "Provider": "consul", "Checks": [
        {"Name": "check-script", "Type": "script", "Command": "/bin/date", "Interval": 5 * SECOND,
         "Timeout": 2 * SECOND}]}, []),
    ({"Name": "service-name", "Provider": "consul", "PortLabel": "9001", "Connect": {"SidecarService": {}},
      "Checks": [{"Name": "tcp-check", "Type": "tcp", "Interval": 5 * SECOND, "Timeout": 2 * SECOND}]},
     ["Check tcp-check invalid: tcp checks are not valid for Connect enabled services"]),
    ({"Name": "test", "Provider": "consul", "Checks": [{"Name": "g", "Type": "grpc", "Interval": SECOND,
                                                         "Timeout": SECOND}]},
     ['Check g invalid: check requires a port but neither check nor service "test" have a port']),
    ({"Name": "test", "Provider": "consul", "Checks": [{"Name": "g", "Type": "grpc", "Interval": SECOND,
                                                         "Timeout": SECOND, "PortLabel": "some-port-label"}]}, []),
    ({"Name": "s1", "Provider": "consul", "AddressMode": "bogus"},
     ['Service address_mode must be "auto", "host", or "driver"; not "bogus"']),
    ({"Name": "s1", "Provider": "consul", "OnUpdate": "bogus"},
     ['Service on_update must be "require_healthy", "ignore_warnings", or "ignore"; not "bogus"']),
    ({"Name": "s1", "Provider": "other"}, ['Service provider must be "consul", or "nomad"; not "other"']),
    ({"Name": "s1", "Provider": "consul", "Identity": {"Name": "consul-service_s1", "Audience": []}},
     ["Service identity must provide at least one target aud value"]),
])
def test_service_table(service, expected):
    assert service_errors(service) == expected


@pytest.mark.parametrize("mode, address, ok", [
    ("", "", True), ("auto", "", True), ("host", "", True), ("alloc", "", True), ("driver", "", True),
    ("", "example.com", True), ("auto", "example.com", True), ("host", "example.com", False),
    ("alloc", "example.com", False), ("driver", "example.com", False),
])
def test_service_address_needs_auto_address_mode(mode, address, ok):
    errors = service_errors({"Name": "s1", "Provider": "consul", "AddressMode": mode, "Address": address})
    assert errors == ([] if ok else ['Service address_mode must be "auto" if address is set'])


def test_connect_block_is_exactly_one_of_native_sidecar_or_gateway():
    assert validate_connect({}) == ("Consul Connect must be exclusively native, make use of a sidecar, or represent "
                                    "a Gateway")
    assert validate_connect({"Native": True}) is None
    assert validate_connect({"Native": True, "SidecarService": {}}) is not None
    assert validate_connect({"SidecarService": {}}) is None


@pytest.mark.parametrize("gateway, expected", [
    ({"Proxy": {"ConnectTimeout": None}}, "Consul Gateway Proxy connection_timeout must be set"),
    ({"Ingress": {"Listeners": None}}, "Consul Ingress Gateway requires at least one listener"),
    ({"Terminating": {"Services": None}}, "Consul Terminating Gateway requires at least one service"),
    ({}, "One Consul Gateway Configuration must be set"),
    ({"Ingress": {"Listeners": [{"Port": 1111, "Protocol": "tcp", "Services": [{"Name": "service1"}]}]},
      "Terminating": {"Services": [{"Name": "linked-service1"}]}}, "One Consul Gateway Configuration must be set"),
    ({"Mesh": {}}, None),
    ({"Proxy": {"ConnectTimeout": SECOND, "EnvoyGatewayBindAddresses": {"service1": {"Address": "", "Port": 2000}}},
      "Mesh": {}}, "Consul Gateway Bind Address must be set"),
    ({"Proxy": {"ConnectTimeout": SECOND, "EnvoyGatewayBindAddresses": {"service1": {"Address": "10.0.0.1", "Port": 0}}},
      "Mesh": {}}, "Consul Gateway Bind Address must set valid Port"),
    ({"Proxy": {"ConnectTimeout": SECOND, "EnvoyGatewayBindAddresses": {"s": {"Address": "10.0.0.1", "Port": -1}}},
      "Mesh": {}}, None),
    ({"Proxy": {"ConnectTimeout": SECOND, "EnvoyDNSDiscoveryType": "RANDOM_DNS"}, "Mesh": {}},
     "Consul Gateway Proxy Envoy DNS Discovery type must be STRICT_DNS or LOGICAL_DNS"),
    ({"Proxy": {"ConnectTimeout": SECOND, "EnvoyDNSDiscoveryType": "STRICT_DNS",
                "EnvoyGatewayBindTaggedAddresses": True}, "Mesh": {}}, None),
    ({"Ingress": {"Listeners": [{"Port": 0, "Protocol": "tcp", "Services": [{"Name": "service1"}]}]}},
     "Consul Ingress Listener requires valid Port"),
    ({"Ingress": {"Listeners": [{"Port": 2000, "Protocol": "gopher", "Services": [{"Name": "service1"}]}]}},
     'Consul Ingress Listener requires protocol of tcp, http, http2, grpc, got "gopher"'),
    ({"Ingress": {"Listeners": [{"Port": 9000, "Protocol": "tcp"}]}}, "Consul Ingress Listener requires one or more services"),
    ({"Ingress": {"Listeners": [{"Port": 2000, "Protocol": "tcp", "Services": [{"Name": ""}]}]}},
     "Consul Ingress Service requires a name"),
    ({"Ingress": {"Listeners": [{"Port": 2000, "Protocol": "tcp", "Services": [{"Name": "s", "Hosts": ["h"]}]}]}},
     'Consul Ingress Service doesn\'t support associating hosts to a service for the "tcp" protocol'),
    ({"Ingress": {"Listeners": [{"Port": 2000, "Protocol": "tcp", "Services": [{"Name": "*"}]}]}},
     'Consul Ingress Service doesn\'t support wildcard name for "tcp" protocol'),
    ({"Ingress": {"TLS": {"Enabled": True},
                  "Listeners": [{"Port": 9000, "Protocol": "tcp", "Services": [{"Name": "service1"}]}]}}, None),
    ({"Terminating": {"Services": [{"Name": ""}]}}, "Consul Linked Service requires Name"),
    ({"Terminating": {"Services": [{"Name": "l", "CertFile": "c.pem", "KeyFile": "k.pem"}]}},
     "Consul Linked Service TLS requires CAFile"),
    ({"Terminating": {"Services": [{"Name": "l", "CAFile": "ca.pem", "CertFile": "c.pem"}]}},
     "Consul Linked Service TLS Cert and Key must both be set"),
    ({"Terminating": {"Services": [{"Name": "l", "SNI": "service.consul"}]}},
     "Consul Linked Service TLS SNI requires CAFile"),
    ({"Terminating": {"Services": [{"Name": "l", "CAFile": "ca.pem", "CertFile": "c.pem", "KeyFile": "k.pem",
                                    "SNI": "l.consul"}]}}, None),
])
def test_gateway_table(gateway, expected):
    assert validate_gateway(gateway) == expected


@pytest.mark.parametrize("protocol", ["http", "http2", "grpc"])
def test_non_tcp_ingress_services_may_use_hosts_or_a_wildcard_but_not_both(protocol):
    def listener(service):
        return {"Ingress": {"Listeners": [{"Port": 2000, "Protocol": protocol, "Services": [service]}]}}
    assert validate_gateway(listener({"Name": "service1", "Hosts": ["host1"]})) is None
    assert validate_gateway(listener({"Name": "service1"})) is None
    assert validate_gateway(listener({"Name": "*"})) is None
    assert validate_gateway(listener({"Name": "*", "Hosts": ["any"]})) == (
        'Consul Ingress Service with a wildcard "*" service name can not also specify hosts')


@pytest.mark.parametrize("tproxy, expected", [
    ({"UID": "101", "ExcludeUIDs": ["0", "65535"], "ExcludeOutboundCIDRs": ["10.0.0.0/8", "fd00::/8"]}, None),
    ({"UID": "x"}, 'transparent proxy block has invalid UID field: invalid user ID "x": invalid syntax'),
    ({"ExcludeUIDs": ["70000"]},
     'transparent proxy block has invalid ExcludeUIDs field: invalid user ID "70000": value out of range'),
    ({"ExcludeOutboundCIDRs": ["10.0.0.0"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("10.0.0.0"): '
     "no '/'"),
    ({"ExcludeOutboundCIDRs": ["10.0.0.256/8"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("10.0.0.256/8"): '
     'ParseAddr("10.0.0.256"): IPv4 field has value >255'),
    ({"ExcludeOutboundCIDRs": ["10.0.0.0/33"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("10.0.0.0/33"): '
     "prefix length out of range"),
    ({"ExcludeOutboundCIDRs": ["fe80::1%eth0/64"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: '
     'netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix'),
    ({"ExcludeOutboundCIDRs": ["1::2::3/64"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("1::2::3/64"): '
     'ParseAddr("1::2::3"): multiple :: in address (at ":3")'),
    ({"ExcludeOutboundCIDRs": ["1:2:3:4:5:6:7::8/64"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: '
     'netip.ParsePrefix("1:2:3:4:5:6:7::8/64"): ParseAddr("1:2:3:4:5:6:7::8"): the :: must expand to at least one '
     "field of zeros"),
    ({"ExcludeOutboundCIDRs": ["::ffff:1.2.3.4/96", "::/0", "2001:db8::/32"]}, None),
    ({"ExcludeOutboundCIDRs": ["::/08"]},
     'could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("::/08"): '
     'bad bits after slash: "08"'),
    ({"UID": "x", "ExcludeUIDs": ["y"]},
     '2 errors occurred:\n\t* transparent proxy block has invalid UID field: invalid user ID "x": invalid syntax\n'
     '\t* transparent proxy block has invalid ExcludeUIDs field: invalid user ID "y": invalid syntax\n\n'),
])
def test_transparent_proxy_table(tproxy, expected):
    problem = validate_transparent_proxy(tproxy)
    assert (str(problem) if problem is not None else None) == expected


def test_task_services_table_duplicates_and_missing_intervals():
    task = {"Name": "web", "Services": [
        {"Name": "service-name", "Provider": "consul", "PortLabel": "bar", "Checks": [
            {"Name": "check-name", "Type": "tcp", "Interval": 0},
            {"Name": "check-name", "Type": "tcp", "Timeout": 2 * SECOND},
            {"Name": "check-name", "Type": "tcp", "Interval": SECOND}]},
        {"Name": "service-name", "Provider": "consul", "PortLabel": "bar"}]}
    text = str(task_service_errors(task, [{"DynamicPorts": [{"Label": "a"}, {"Label": "b"}]}]))
    assert 'service "service-name" is duplicate' in text
    assert 'check "check-name" is duplicate' in text
    assert "missing required value interval" in text
    assert "cannot be less than" in text
    assert 'port label "bar" referenced by services service-name does not exist' in text
    ok = {"Name": "web", "Services": [{"Name": "service-A", "Provider": "consul", "PortLabel": "a"},
                                      {"Name": "service-A", "Provider": "consul", "PortLabel": "b"}]}
    assert task_service_errors(ok, [{"DynamicPorts": [{"Label": "a"}, {"Label": "b"}]}]) is None


@pytest.mark.parametrize("service, ok", [
    ({"Name": "DriverModeWithLabel", "Provider": "consul", "PortLabel": "http", "AddressMode": "driver"}, True),
    ({"Name": "DriverModeWithPort", "Provider": "consul", "PortLabel": "80", "AddressMode": "driver"}, True),
    ({"Name": "HostModeWithLabel", "Provider": "consul", "PortLabel": "http", "AddressMode": "host"}, True),
    ({"Name": "HostModeWithoutLabel", "Provider": "consul", "AddressMode": "host"}, True),
    ({"Name": "DriverModeWithoutLabel", "Provider": "consul", "AddressMode": "driver"}, True),
    ({"Name": "DriverModeWithLabel", "Provider": "consul", "PortLabel": "asdf", "AddressMode": "driver"}, False),
    ({"Name": "HostModeWithLabel", "Provider": "consul", "PortLabel": "asdf", "AddressMode": "host"}, False),
    ({"Name": "HostModeWithPort", "Provider": "consul", "PortLabel": "80", "AddressMode": "host"}, False),
])
def test_task_service_address_modes(service, ok):
    problem = task_service_errors({"Name": "web", "Services": [service]}, [{"DynamicPorts": [{"Label": "http", "Value": 80}]}])
    assert (problem is None) is ok


@pytest.mark.parametrize("service, expected", [
    ({"Name": "invalid-driver", "Provider": "consul", "PortLabel": "80", "AddressMode": "host"},
     'port label "80" referenced by services invalid-driver does not exist'),
    ({"Name": "http-driver-fail-1", "Provider": "consul", "PortLabel": "80", "AddressMode": "driver",
      "Checks": [{"Name": "invalid-check-1", "Type": "tcp", "Interval": SECOND, "Timeout": SECOND}]},
     'check "invalid-check-1" cannot use a numeric port 80 without setting address_mode="driver"'),
    ({"Name": "http-driver-fail-2", "Provider": "consul", "PortLabel": "80", "AddressMode": "driver",
      "Checks": [{"Name": "invalid-check-2", "Type": "tcp", "PortLabel": "80", "Interval": SECOND, "Timeout": SECOND}]},
     'check "invalid-check-2" cannot use a numeric port 80 without setting address_mode="driver"'),
    ({"Name": "http-driver-fail-3", "Provider": "consul", "PortLabel": "80", "AddressMode": "driver",
      "Checks": [{"Name": "invalid-check-3", "Type": "tcp", "PortLabel": "missing-port-label", "Interval": SECOND,
                  "Timeout": SECOND}]},
     'port label "missing-port-label" referenced by services http-driver-fail-3 does not exist'),
    ({"Name": "http-driver-passes", "Provider": "consul", "PortLabel": "80", "AddressMode": "driver", "Checks": [
        {"Name": "valid-script-check", "Type": "script", "Command": "ok", "Interval": SECOND, "Timeout": SECOND},
        {"Name": "valid-host-check", "Type": "tcp", "PortLabel": "http", "Interval": SECOND, "Timeout": SECOND},
        {"Name": "valid-driver-check", "Type": "tcp", "AddressMode": "driver", "Interval": SECOND, "Timeout": SECOND}]},
     None),
    ({"Name": "driver-zero", "Provider": "consul", "PortLabel": "0", "AddressMode": "driver", "Checks": [
        {"Name": "zero", "Type": "tcp", "AddressMode": "driver", "Interval": SECOND, "Timeout": SECOND}]},
     'check "zero" has invalid numeric port 0'),
    ({"Name": "empty-address-3673-passes-1", "Provider": "consul", "Checks": [
        {"Name": "valid-port-label", "Type": "tcp", "PortLabel": "http", "Interval": SECOND, "Timeout": SECOND},
        {"Name": "empty-is-ok", "Type": "script", "Command": "ok", "Interval": SECOND, "Timeout": SECOND}]}, None),
    ({"Name": "empty-address-3673-passes-2", "Provider": "consul"}, None),
    ({"Name": "empty-address-3673-fails", "Provider": "consul", "Checks": [
        {"Name": "empty-is-not-ok", "Type": "tcp", "Interval": SECOND, "Timeout": SECOND}]},
     'check "empty-is-not-ok" is missing a port'),
    ({"Name": "conect-block-on-task-level", "Provider": "consul", "Connect": {"SidecarService": {}}},
     'service "conect-block-on-task-level" cannot have "connect" block, only services defined in a "group" block can'),
    ({"Name": "alloc-mode", "Provider": "consul", "AddressMode": "alloc"},
     'service "alloc-mode" cannot use address_mode="alloc", only services defined in a "group" block can use this mode'),
])
def test_task_service_check_address_modes_and_ports(service, expected):
    problem = task_service_errors({"Name": "web", "Services": [service]},
                                  [{"DynamicPorts": [{"Label": "http", "Value": 9999}]}])
    if expected is None:
        assert problem is None
    else:
        assert expected in str(problem)


def test_task_service_errors_quote_names_as_ascii():
    problem = task_service_errors({"Services": [{"Name": "café", "Provider": "consul"}]}, [])
    assert str(problem).startswith('1 error occurred:\n\t* service[0] "caf\\u00e9" validation failed: ')


# What a Connect service job can hit, checked through the whole Job.Validate.

def test_connect_http_check_without_a_path():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["Checks"][0]["Path"] = ""
    assert "Check api-health invalid: http type must have http path" in error_text(job)


def test_connect_check_interval_below_one_second():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["Checks"][0]["Interval"] = 500_000_000
    assert "Check api-health invalid: interval (500ms) cannot be lower than 1s" in error_text(job)


def test_connect_service_name_must_be_rfc1123():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["Name"] = "api_v2"
    job["TaskGroups"][0]["Tasks"][1]["Kind"] = "connect-proxy:api_v2"
    text = error_text(job)
    assert f'Service[0] api_v2 validation failed: 1 error occurred:\n\t* {NAME_RULE}: "api_v2"' in text


def test_a_task_level_service_cannot_have_connect():
    job = connect_job()
    job["TaskGroups"][0]["Tasks"][0]["Services"] = [{"Name": "web", "Provider": "consul", "PortLabel": "",
                                                     "Connect": {"SidecarService": {}}}]
    assert ('service "web" cannot have "connect" block, only services defined in a "group" block can'
            in error_text(job))


def test_a_sidecar_task_whose_service_lost_its_connect_block():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["Connect"] = None
    assert 'No Connect services in task group with Connect proxy ("api")' in error_text(job)


def test_group_services_may_not_use_driver_address_mode():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["AddressMode"] = "driver"
    assert ('service "api" cannot use address_mode="driver", only services defined in a "task" block can use '
            "this mode") in error_text(job)


def test_a_group_check_naming_a_task_cannot_use_driver_address_mode():
    job = connect_job()
    job["TaskGroups"][0]["Services"][0]["Checks"][0].update(TaskName="web", AddressMode="driver")
    assert ('Check "api" invalid: cannot use address_mode="driver", only checks defined in a "task" service block '
            "can use this mode") in error_text(job)


def test_two_group_services_with_the_same_name_and_port_are_not_unique():
    job = connect_job()
    services = job["TaskGroups"][0]["Services"]
    services.append(json.loads(json.dumps(services[0])))
    assert "Services are not unique: [group->api:9001]" in error_text(job)


def test_a_native_connect_service_is_accepted_when_it_names_its_task():
    job = connect_job()
    group = job["TaskGroups"][0]
    group["Tasks"] = group["Tasks"][:1]
    group["Services"][0]["Connect"] = {"Native": True}
    group["Services"][0]["TaskName"] = "web"
    group["Services"][0]["Checks"][0]["Expose"] = False
    assert error_text(job) == ""


def test_go_case_rules_in_service_names_check_types_and_methods():
    from devagent.admission.go_text import go_lower, go_upper
    from devagent.admission.validate_services import _SERVICE_NAME
    assert not _SERVICE_NAME.match("webı") and not _SERVICE_NAME.match("İweb")  # Go's (?i) does not fold them
    assert _SERVICE_NAME.match("web\u212a")  # the Kelvin sign folds to k in Go as well
    assert go_lower("scrİpt") == "script" and go_lower("ΑΣ") == "ασ"
    assert go_upper("POﬆ") == "POﬆ" and go_upper("straße") == "STRAßE"


@pytest.mark.parametrize("path", ["//a b/x", "//h%41/x", "//[fe80::1%en0]/x", "//user:p%zz@h/x", "//a b@h/x",
                                  "//[::1]:²/x", "//h{}/x"])
def test_an_http_path_with_an_authority_go_cannot_parse_is_invalid(path):
    from devagent.admission.validate_gosyntax import url_parse
    assert url_parse(path) == (False, False)


def test_http_paths_go_parses():
    from devagent.admission.validate_gosyntax import url_parse
    for path in ("/health", "//host/x", "//user:pw@host:80/x", "//[::1]:80/x", "//[fe80::1%25en0]/x", "/a b"):
        assert url_parse(path)[0], path
