"""The connect and expose-check admission hooks: Nomad's test tables (job_endpoint_hook_*_test.go) carried over."""

import copy

import pytest

from devagent.admission import connect_hook, expose_check_hook
from devagent.admission.pipeline import AdmissionError, admit
from devagent.admission.structs_shape import shaped

S = 1_000_000_000


def sidecar_service(name, upstreams=None, tproxy=None):
    proxy = None
    if upstreams is not None or tproxy is not None:
        proxy = {"Upstreams": upstreams, "TransparentProxy": tproxy}
    return {"Name": name, "Connect": {"SidecarService": {"Proxy": proxy}}}


def group(name="g1", mode="bridge", services=(), networks=None):
    return {"Name": name, "Networks": networks if networks is not None else [{"Mode": mode}],
            "Services": list(services), "Tasks": [{"Name": "web", "Driver": "docker"}]}


@pytest.mark.parametrize("tg, error", [
    ({"Name": "g1", "Networks": None, "Services": [sidecar_service("connect-service")]},
     'Consul Connect sidecars require exactly 1 network, found 0 in group "g1"'),
    (group("g2", "host", [sidecar_service("connect-service")]),
     'Consul Connect sidecar requires bridge network, found "host" in group "g2"'),
    (group("g3", "bridge", [sidecar_service("connect-service")]), None),
    (group("group", "bridge", [{"Name": "Other-Service"}]), None),
    (group("group", "bridge", [{"Name": "Other-Service"}, sidecar_service("Connect-Service")]),
     'Consul Connect service name "Connect-Service" in group "group" must not contain uppercase characters'),
    (group("Other-Group", "bridge", [{"Name": "other-service"}]), None),
    (group("Connect-Group", "bridge", [{"Name": "other-service"}, sidecar_service("connect-service")]),
     'Consul Connect group "Connect-Group" with service "connect-service" must not contain uppercase characters'),
    (group("connect-group", "bridge", [sidecar_service("s1", [{"LocalBindPort": 8999}]),
                                       sidecar_service("s2", [{"LocalBindPort": 8999}])]),
     'Consul Connect services "s2" and "s1" in group "connect-group" using same address for upstreams (:8999)'),
    (group("group", "bridge", [
        sidecar_service("s1", [{"LocalBindAddress": "127.0.0.1", "LocalBindPort": 9001},
                               {"LocalBindAddress": "127.0.0.1", "LocalBindPort": 9002}]),
        sidecar_service("s2", [{"LocalBindAddress": "10.0.0.1", "LocalBindPort": 9001},
                               {"LocalBindAddress": "127.0.0.1", "LocalBindPort": 9003}])]), None),
    (group("group", "bridge", [
        sidecar_service("s1", [{"LocalBindAddress": "127.0.0.1", "LocalBindPort": 9001},
                               {"LocalBindAddress": "127.0.0.1", "LocalBindPort": 9002}]),
        sidecar_service("s2", [{"LocalBindAddress": "127.0.0.1", "LocalBindPort": 9002}])]),
     'Consul Connect services "s2" and "s1" in group "group" using same address for upstreams (127.0.0.1:9002)'),
    (group("group", "bridge", [sidecar_service("s1", tproxy={"ExcludeInboundPorts": ["www", "9000", "no-such-label"]})],
           networks=[{"Mode": "bridge", "ReservedPorts": [{"Label": "www"}]}]),
     'Consul Connect transparent proxy port "no-such-label" must be numeric or one of network.port labels'),
    (group("group", "bridge", [{"Name": "s1", "Connect": {}}, sidecar_service("s2", tproxy={})]),
     "Consul Connect transparent proxy requires there is only one connect block"),
    (group("group", "bridge", [sidecar_service("s1", tproxy={})],
           networks=[{"Mode": "bridge", "DNS": {"Servers": ["1.1.1.1"]}}]),
     "Consul Connect transparent proxy cannot be used with network.dns unless no_dns=true"),
    ({"Name": "g", "Networks": [{"Mode": "none"}], "Services": [{"Name": "gw", "Connect": {"Gateway": {"Ingress": {}}}}]},
     'Consul Connect Gateway service requires Task Group with network mode of type "bridge" or "host"'),
    ({"Name": "g", "Networks": [], "Services": [{"Name": "gw", "Connect": {"Gateway": {"Ingress": {}}}}]},
     'Consul Connect gateways require exactly 1 network, found 0 in group "g"'),
    ({"Name": "g", "Tasks": [{"Name": "a"}, {"Name": "b"}], "Services": [{"Name": "n", "Connect": {"Native": True}}]},
     "task for Consul Connect Native service g->n is ambiguous and must be set"),
    ({"Name": "g", "Tasks": [{"Name": "a"}], "Services": [{"Name": "n", "TaskName": "x", "Connect": {"Native": True}}]},
     "task x named by Consul Connect Native service g->n does not exist"),
])
def test_connect_validator(tg, error):
    assert connect_hook.validate({"TaskGroups": [tg]}) == ([], error)


def test_sidecar_task_is_nomads_default_task():
    job = {"ID": "j", "Name": "j", "Namespace": "default", "Type": "service", "TaskGroups": [
        {"Name": "g", "Networks": [{"Mode": "bridge"}], "RestartPolicy": {"Attempts": 2},
         "Services": [sidecar_service("count-api")], "Tasks": [shaped("Task", {"Name": "web", "Driver": "docker"})]}]}
    connect_hook.mutate(job)
    tg = job["TaskGroups"][0]
    task = tg["Tasks"][1]
    assert (task["Name"], task["Kind"], task["Driver"]) == ("connect-proxy-count-api", "connect-proxy:count-api", "docker")
    assert task["Config"] == {"image": "${meta.connect.sidecar_image}",
                              "args": ["-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json", "-l", "${meta.connect.log_level}",
                                       "--concurrency", "${meta.connect.proxy_concurrency}", "--disable-hot-restart"]}
    assert (task["ShutdownDelay"], task["KillTimeout"]) == (5 * S, 5 * S)
    assert (task["Resources"]["CPU"], task["Resources"]["MemoryMB"]) == (250, 128)
    assert task["LogConfig"] == {"MaxFiles": 2, "MaxFileSizeMB": 2, "Disabled": False}
    assert task["Lifecycle"] == {"Hook": "prestart", "Sidecar": True}
    assert task["Constraints"] == [{"LTarget": "${attr.consul.version}", "RTarget": ">= 1.8.0", "Operand": "semver"},
                                   {"LTarget": "${attr.consul.grpc}", "RTarget": "0", "Operand": ">"}]
    assert task["Identity"]["Name"] == "default" and task["RestartPolicy"] == {"Attempts": 2}
    assert tg["Networks"][0]["DynamicPorts"] == [
        {"Label": "connect-proxy-count-api", "Value": 0, "To": -1, "HostNetwork": "default"}]
    connect_hook.mutate(job)  # a second run finds the task and the port
    assert len(tg["Tasks"]) == 2 and len(tg["Networks"][0]["DynamicPorts"]) == 1


def test_sidecar_driver_is_podman_only_for_podman_groups():
    podman = group(services=[sidecar_service("s")])
    podman["Tasks"] = [{"Name": "a", "Driver": "podman"}]
    mixed = copy.deepcopy(podman)
    mixed["Tasks"].append({"Name": "b", "Driver": "docker"})
    assert connect_hook._guess_driver(podman) == "podman"
    assert connect_hook._guess_driver(mixed) == "docker"
    assert connect_hook._guess_driver({"Tasks": [{"Driver": "exec"}]}) == "docker"


def test_service_name_is_interpolated_before_naming_the_sidecar():
    job = {"ID": "my-job", "Name": "my-job", "Namespace": "default", "Type": "service", "TaskGroups": [
        {"Name": "api", "Networks": [{"Mode": "bridge"}], "Tasks": [shaped("Task", {"Name": "t", "Driver": "exec"})],
         "Services": [sidecar_service("${NOMAD_JOB_NAME}-${NOMAD_GROUP_NAME}-svc")]}]}
    connect_hook.mutate(job)
    assert job["TaskGroups"][0]["Services"][0]["Name"] == "my-job-api-svc"
    assert job["TaskGroups"][0]["Tasks"][1]["Name"] == "connect-proxy-my-job-api-svc"


@pytest.mark.parametrize("mode, network_mode, binds", [
    ("bridge", None, {"service1": {"Address": "0.0.0.0", "Port": 9999}}),
    ("host", "host", None),
])
def test_ingress_gateway_task_and_proxy(mode, network_mode, binds):
    gateway = {"Ingress": {"Listeners": [{"Port": 9999, "Protocol": "tcp", "Services": [{"Name": "service1"}]}]}}
    job = {"ID": "j", "Name": "j", "Namespace": "default", "Type": "service", "TaskGroups": [
        {"Name": "ingress", "Networks": [{"Mode": mode}], "Tasks": None,
         "Services": [{"Name": "my-gateway", "Connect": {"Gateway": gateway}}]}]}
    connect_hook.mutate(job)
    [task] = job["TaskGroups"][0]["Tasks"]
    assert (task["Name"], task["Kind"]) == ("connect-ingress-my-gateway", "connect-ingress:my-gateway")
    assert task["Config"]["image"] == "${meta.connect.gateway_image}"
    assert task["Config"].get("network_mode") == network_mode
    proxy = job["TaskGroups"][0]["Services"][0]["Connect"]["Gateway"]["Proxy"]
    assert proxy["ConnectTimeout"] == 5 * S
    assert proxy["EnvoyGatewayNoDefaultBind"] is (mode == "bridge")
    assert proxy["EnvoyGatewayBindAddresses"] == binds


def test_mesh_gateway_needs_a_port():
    job = {"ID": "j", "Name": "j", "TaskGroups": [
        {"Name": "mesh", "Networks": [{"Mode": "bridge"}], "Services": [{"Name": "m", "Connect": {"Gateway": {"Mesh": {}}}}]}]}
    with pytest.raises(connect_hook.ConnectError, match="^service.port must be set for mesh gateway service$"):
        connect_hook.mutate(job)


def exposed_group(port_label, reserved=None, mode="bridge"):
    network = {"Mode": mode, "ReservedPorts": reserved}
    check = {"Name": "check1", "Type": "http", "Path": "/health", "Protocol": "http", "Expose": True,
             "Interval": 10 * S, "Timeout": 2 * S}
    return {"Name": "group1", "Networks": [network],
            "Services": [{"Name": "service1", "PortLabel": port_label, "Checks": [check],
                          "Connect": {"SidecarService": {"Proxy": None}}}]}


@pytest.mark.parametrize("tg, local_port, error", [
    (exposed_group("8080"), 8080, None),
    (exposed_group("sPort", [{"Label": "sPort", "Value": 7777}]), 7777, None),
    (exposed_group("sPort", [{"Label": "otherPort", "Value": 7777}]), None,
     "unable to determine local service port for service check group1->service1->check1"),
    (exposed_group("http"), None, "unable to determine local service port for service check group1->service1->check1"),
    (exposed_group("8080", mode="host"), None, 'group "group1" must use bridge network for exposing service check(s)'),
])
def test_expose_check_mutator(tg, local_port, error):
    job = {"TaskGroups": [tg]}
    if error:
        with pytest.raises(expose_check_hook.ExposeCheckError) as raised:
            expose_check_hook.mutate(job)
        assert str(raised.value) == error
        return
    expose_check_hook.mutate(job)
    check = tg["Services"][0]["Checks"][0]
    assert check["PortLabel"].startswith("svc_service1_ck_") and len(check["PortLabel"]) == len("svc_service1_ck_") + 6
    assert tg["Services"][0]["Connect"]["SidecarService"]["Proxy"]["Expose"]["Paths"] == [
        {"Path": "/health", "Protocol": "http", "LocalPathPort": local_port, "ListenerPort": check["PortLabel"]}]
    assert tg["Networks"][0]["DynamicPorts"] == [{"Label": check["PortLabel"], "Value": 0, "To": -1,
                                                  "HostNetwork": "default"}]
    expose_check_hook.mutate(job)  # the path is added once
    assert len(tg["Services"][0]["Connect"]["SidecarService"]["Proxy"]["Expose"]["Paths"]) == 1


def test_expose_port_label_is_deterministic_and_unique_per_check_index():
    check = {"Name": "check1", "Type": "http", "Path": "/health", "Interval": 10 * S, "Timeout": 2 * S}
    assert expose_check_hook.check_hash(check, "service1_0") == expose_check_hook.check_hash(dict(check), "service1_0")
    assert expose_check_hook.check_hash(check, "service1_0") != expose_check_hook.check_hash(check, "service1_1")


@pytest.mark.parametrize("tg, error", [
    ({"Name": "g", "Networks": [{"Mode": "bridge"}, {"Mode": "bridge"}],
      "Services": [{"Name": "s", "Checks": [{"Name": "c", "Expose": True}]}]},
     'group "g" must specify one bridge network for exposing service check(s)'),
    ({"Name": "g", "Networks": [{"Mode": "bridge"}], "Services": [{"Name": "s", "Checks": [{"Name": "c", "Expose": True}]}]},
     "exposed service check g->s->c requires use of sidecar_proxy"),
    ({"Name": "g", "Networks": [{"Mode": "bridge"}],
      "Tasks": [{"Name": "t", "Services": [{"Name": "s", "Checks": [{"Name": "c", "Expose": True}]}]}]},
     "exposed service check g[t]->s->c is not a task-group service"),
    ({"Name": "g", "Networks": [{"Mode": "bridge"}], "Services": [
        {"Name": "s", "Checks": [{"Name": "c", "Expose": True}], "Connect": {"SidecarService": {}}}]}, None),
])
def test_expose_check_validator(tg, error):
    assert expose_check_hook.validate({"TaskGroups": [tg]}) == ([], error)


def api_connect_job(port_label="9001", reserved=None, check_type="http"):
    """An api.Job JSON as a client submits it: one Connect service with an exposed check."""
    check = {"Type": check_type, "Path": "/health", "Interval": 10 * S, "Timeout": 2 * S, "Expose": True}
    return {"ID": "invoice", "Type": "service", "TaskGroups": [{
        "Name": "invoice", "Networks": [{"Mode": "bridge", "ReservedPorts": reserved}],
        "Services": [{"Name": "invoice", "PortLabel": port_label, "Checks": [check],
                      "Connect": {"SidecarService": {"Proxy": {"Upstreams": [
                          {"DestinationName": "tax", "LocalBindPort": 9101}]}}}}],
        "Tasks": [{"Name": "invoice", "Driver": "raw_exec", "Config": {"command": "python3"}}]}]}


def test_exposed_check_on_a_dynamic_port_label_is_nomads_mutator_error():
    job = api_connect_job(port_label="http")
    job["TaskGroups"][0]["Networks"][0]["DynamicPorts"] = [{"Label": "http", "To": 9001}]
    with pytest.raises(AdmissionError) as raised:
        admit(job)
    assert str(raised.value) == ('error in job mutator expose-check: unable to determine local service port for '
                                 'service check invoice->invoice->service: "invoice" check')


def test_static_port_equal_to_its_to_is_accepted_as_on_nomad():
    job = api_connect_job(port_label="http", reserved=[{"Label": "http", "Value": 9001, "To": 9001}])
    paths = admit(job).job["TaskGroups"][0]["Services"][0]["Connect"]["SidecarService"]["Proxy"]["Expose"]["Paths"]
    assert [p["LocalPathPort"] for p in paths] == [9001]


def test_admitted_connect_job_is_stable_when_admitted_again():
    once = admit(api_connect_job()).job
    assert admit(copy.deepcopy(once)).job == once


def test_sidecar_names_come_from_interpolated_meta_and_the_hook_is_idempotent():
    job = {"ID": "j", "Name": "j", "Namespace": "default", "Type": "service",
           "Meta": {"backend_name": "backend", "admin_name": "admin"},
           "TaskGroups": [{"Name": "g", "Networks": [{"Mode": "bridge"}], "Tasks": None, "Services": [
               {"Name": "${NOMAD_META_backend_name}", "PortLabel": "8080", "Connect": {"SidecarService": {}}},
               {"Name": "${NOMAD_META_admin_name}", "PortLabel": "9090", "Connect": {"SidecarService": {}}}]}]}
    connect_hook.mutate(job)
    once = copy.deepcopy(job)
    tg = job["TaskGroups"][0]
    assert [s["Name"] for s in tg["Services"]] == ["backend", "admin"]
    assert [t["Name"] for t in tg["Tasks"]] == ["connect-proxy-backend", "connect-proxy-admin"]
    assert [p["Label"] for p in tg["Networks"][0]["DynamicPorts"]] == ["connect-proxy-backend", "connect-proxy-admin"]
    connect_hook.mutate(job)
    assert job == once


def test_sidecar_task_block_is_merged_into_the_gateway_task():
    gateway = {"Ingress": {"Listeners": [{"Port": 9999, "Protocol": "tcp", "Services": [{"Name": "service1"}]}]}}
    sidecar_task = {"Driver": "raw_exec", "User": "sidecars", "Config": {"command": "/bin/sidecar", "args": ["a", "b"]},
                    "Resources": {"CPU": 400}, "KillSignal": "SIGHUP"}
    job = {"ID": "j", "Name": "j", "Namespace": "default", "Type": "service", "Meta": {"gateway_name": "my-gateway"},
           "TaskGroups": [{"Name": "ingress", "Networks": [{"Mode": "bridge"}], "Tasks": None, "Services": [
               {"Name": "${NOMAD_META_gateway_name}", "Connect": {"Gateway": gateway, "SidecarTask": sidecar_task}}]}]}
    connect_hook.mutate(job)
    once = copy.deepcopy(job)
    [task] = job["TaskGroups"][0]["Tasks"]
    assert (task["Name"], task["Kind"], task["Driver"], task["User"]) == (
        "connect-ingress-my-gateway", "connect-ingress:my-gateway", "raw_exec", "sidecars")
    assert task["Config"] == {"command": "/bin/sidecar", "args": ["a", "b"]}  # another driver: its config replaces
    assert (task["Resources"]["CPU"], task["Resources"]["MemoryMB"]) == (400, 128)
    assert (task["KillSignal"], task["ShutdownDelay"], task["LogConfig"]["MaxFiles"]) == ("SIGHUP", 5 * S, 2)
    assert task["Lifecycle"] is None
    connect_hook.mutate(job)
    assert job == once


@pytest.mark.parametrize("name, expected", [
    ("${NOMAD_JOB_NAME}-${NOMAD_GROUP_NAME}", "my-job-api"),
    ("${NOMAD_META_team}-${NOMAD_META_TEAM}-svc", "pay-pay-svc"),
    ("svc-${NOMAD_ALLOC_INDEX}", "svc-0"),
    ("${NOMAD_NAMESPACE}-${NOMAD_REGION}-${attr.x}", "${NOMAD_NAMESPACE}-${NOMAD_REGION}-${attr.x}"),  # unknown then
])
def test_submit_time_interpolation_knows_only_the_job_and_group(name, expected):
    job = {"ID": "my-job", "Name": "my-job", "Namespace": "default", "Region": "global", "Meta": {"team": "pay"}}
    assert connect_hook.interpolate_submit_env(name, job, {"Name": "api"}) == expected


INGRESS = {"Ingress": {"Listeners": [{"Port": 3000, "Protocol": "tcp", "Services": [{"Name": "service1"}]}]}}
TERMINATING = {"Terminating": {"Services": [{"Name": "service1"}]}}


def gateway_proxy(**fields):
    return shaped("ConsulGatewayProxy", fields)


@pytest.mark.parametrize("gateway, mode, expected", [
    (INGRESS, "bridge", gateway_proxy(ConnectTimeout=5 * S, EnvoyGatewayNoDefaultBind=True,
                                      EnvoyGatewayBindAddresses={"service1": {"Address": "0.0.0.0", "Port": 3000}})),
    ({**INGRESS, "Proxy": gateway_proxy(ConnectTimeout=2 * S, Config={"foo": 1})}, "bridge",
     gateway_proxy(ConnectTimeout=2 * S, Config={"foo": 1}, EnvoyGatewayNoDefaultBind=True,
                   EnvoyGatewayBindAddresses={"service1": {"Address": "0.0.0.0", "Port": 3000}})),
    ({**INGRESS, "Proxy": gateway_proxy(Config={"foo": 1}, EnvoyGatewayBindTaggedAddresses=True)}, "bridge",
     gateway_proxy(Config={"foo": 1}, EnvoyGatewayBindTaggedAddresses=True)),
    ({**TERMINATING, "Proxy": gateway_proxy(ConnectTimeout=2 * S, EnvoyDNSDiscoveryType="STRICT_DNS")}, "bridge",
     gateway_proxy(ConnectTimeout=2 * S, EnvoyDNSDiscoveryType="STRICT_DNS", EnvoyGatewayNoDefaultBind=True,
                   EnvoyGatewayBindAddresses={"default": {"Address": "0.0.0.0", "Port": -1}})),
    ({"Mesh": {}, "Proxy": gateway_proxy(ConnectTimeout=2 * S)}, "bridge",
     gateway_proxy(ConnectTimeout=2 * S, EnvoyGatewayNoDefaultBind=True,
                   EnvoyGatewayBindAddresses={"lan": {"Address": "0.0.0.0", "Port": -1},
                                              "wan": {"Address": "0.0.0.0", "Port": -1}})),
    ({"Mesh": {}, "Proxy": gateway_proxy(ConnectTimeout=2 * S)}, "host", gateway_proxy(ConnectTimeout=2 * S)),
])
def test_gateway_proxy(gateway, mode, expected):
    """TestJobEndpointConnect_gatewayProxy's table: defaults unless the proxy is customized."""
    assert connect_hook._gateway_proxy(copy.deepcopy(gateway), mode) == expected


def test_expose_check_mutator_typical_job():
    """TestJobExposeCheckHook_Mutate's typical job: paths appended after a pre-existing one, check ports kept."""
    pre_existing = {"Path": "/pre-existing", "Protocol": "http", "LocalPathPort": 9000, "ListenerPort": "otherPort"}
    service1 = {"Name": "service1", "PortLabel": "8000", "Checks": [
        {"Name": "check1", "Type": "tcp", "PortLabel": "8100"},
        {"Name": "check2", "Type": "http", "PortLabel": "health", "Path": "/health", "Expose": True},
        {"Name": "check3", "Type": "grpc", "PortLabel": "health", "Path": "/v2/health", "Expose": True}],
        "Connect": {"SidecarService": {"Proxy": {"Expose": {"Paths": [dict(pre_existing)]}}}}}
    service2 = {"Name": "service2", "PortLabel": "3000", "Checks": [
        {"Name": "check1", "Type": "grpc", "Protocol": "http2", "Path": "/ok", "PortLabel": "health", "Expose": True}],
        "Connect": {"SidecarService": {"Proxy": {}}}}
    job = {"TaskGroups": [{"Name": "group0", "Networks": [{"Mode": "host"}]},
                          {"Name": "group1", "Networks": [{"Mode": "bridge"}], "Services": [service1, service2]}]}
    expose_check_hook.mutate(job)
    assert service1["Connect"]["SidecarService"]["Proxy"]["Expose"]["Paths"] == [
        pre_existing,
        {"Path": "/health", "Protocol": "", "LocalPathPort": 8000, "ListenerPort": "health"},
        {"Path": "/v2/health", "Protocol": "", "LocalPathPort": 8000, "ListenerPort": "health"}]
    assert service2["Connect"]["SidecarService"]["Proxy"]["Expose"]["Paths"] == [
        {"Path": "/ok", "Protocol": "http2", "LocalPathPort": 3000, "ListenerPort": "health"}]
    assert job["TaskGroups"][1]["Networks"][0].get("DynamicPorts") is None  # the checks named their ports
