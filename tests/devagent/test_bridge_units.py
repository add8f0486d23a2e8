"""Bridge networking without a network: names, subnets, port-map rules, env, registrations, port holds."""

from __future__ import annotations

import ipaddress

import pytest

from devagent.netns.alloc_network import expose_forwards, port_forwards
from devagent.netns.bridge import choose_subnet
from devagent.netns.names import NetworkNames
from devagent.netns.portmap import PortForward, alloc_rules, base_rules
from devagent.port_allocator import PortAllocator, PortCollision
from devagent.ports import free_port, is_port_free
from devagent.service_registration import RegistrationContext, build_service
from devagent.taskenv import NetworkStatus, NodeInfo, PortMapping, port_env

NAMES = NetworkNames.for_node("1A2B3C4D-0000-1111-2222-333344445555")
NODE = NodeInfo(id="n", name="n", datacenter="dc1", region="global")


def test_every_name_carries_the_node_tag_and_fits_linux_limits():
    alloc = "0f1e2d3c-aaaa-bbbb-cccc-dddddddddddd"
    assert NAMES.tag == "1a2b3c4d"
    assert (NAMES.bridge, NAMES.veth(254)) == ("dvg1a2b3c4d", "dvg1a2b3c4dv254")
    assert max(len(NAMES.bridge), len(NAMES.veth(254))) <= 15  # IFNAMSIZ - 1
    assert NAMES.namespace(alloc) == f"devagent-1a2b3c4d-{alloc}"
    chains = [NAMES.dnat_chain, NAMES.masquerade_chain, NAMES.forward_chain, NAMES.alloc_chain(alloc)]
    assert all(c.startswith("DVG-1a2b3c4d-") and len(c) <= 28 for c in chains)
    assert NAMES.alloc_chain(alloc) == "DVG-1a2b3c4d-0f1e2d3caaaabbb"


@pytest.mark.parametrize("used, expected", [
    ([], "172.26.64.0/24"),
    (["172.26.64.0/24", "10.0.0.0/8"], "172.26.65.0/24"),
    (["172.26.64.7/32", "172.26.65.0/25"], "172.26.66.0/24"),
    (["0.0.0.0/0"], "172.26.64.0/24"),  # a default route overlaps everything: ignored
    (["172.26.64.0/20"], None),  # Nomad's own bridge on this host takes the whole range
])
def test_the_first_unused_slash_24_of_nomads_range_is_chosen(used, expected):
    chosen = choose_subnet([ipaddress.ip_network(n) for n in used])
    assert (str(chosen) if chosen else None) == expected


def test_port_map_rules_dnat_each_host_address_and_masquerade_loopback_and_hairpin():
    base = base_rules(NAMES, "dvg1a2b3c4d", "172.26.64.0/24")
    assert "-A PREROUTING -m addrtype --dst-type LOCAL -j DVG-1a2b3c4d-DNAT" in base
    assert "-A OUTPUT -m addrtype --dst-type LOCAL -j DVG-1a2b3c4d-DNAT" in base
    assert "-A DVG-1a2b3c4d-MASQ -o dvg1a2b3c4d -s 127.0.0.1/8 -m conntrack --ctstate DNAT -j MASQUERADE" in base
    assert "-A DVG-1a2b3c4d-MASQ -o dvg1a2b3c4d -s 172.26.64.0/24 -m conntrack --ctstate DNAT -j MASQUERADE" in base
    rules = alloc_rules(NAMES, "0f1e2d3c-a", "172.26.64.2", ["127.0.0.1", "172.26.64.1"], [PortForward(25000, 9001)])
    chain = "DVG-1a2b3c4d-0f1e2d3ca"
    assert rules.splitlines()[1:3] == [f":{chain} - [0:0]", f"-A DVG-1a2b3c4d-DNAT -j {chain}"]
    dnat = [line for line in rules.splitlines() if "--to-destination" in line]
    assert dnat == [f"-A DVG-1a2b3c4d-0f1e2d3ca -d {ip}/32 -p tcp -m tcp --dport 25000 -j DNAT "
                    "--to-destination 172.26.64.2:9001" for ip in ("127.0.0.1", "172.26.64.1")]


def test_ports_forward_to_their_to_or_the_same_number_and_exposed_checks_to_the_app():
    ports = [PortMapping("http", 25000, 9001, "172.26.64.1"), PortMapping("connect-proxy-api", 26000, 26000),
             PortMapping("svc_api_ck_abc123", 27000, 27000)]
    assert port_forwards(ports) == [PortForward(25000, 9001), PortForward(26000, 26000), PortForward(27000, 27000)]
    group = {"Services": [{"Name": "api", "PortLabel": "9001", "Connect": {"SidecarService": {"Proxy": {
        "Expose": {"Paths": [{"Path": "/health", "ListenerPort": "svc_api_ck_abc123", "LocalPathPort": 0}]}}}}}]}
    assert expose_forwards(group, ports) == [PortForward(27000, 9001)]


def test_bridge_mode_env_is_nomads_and_host_mode_keeps_the_host_port():
    ports = [PortMapping("http", 25000, 9001, "172.26.64.1"), PortMapping("raw", 26000, 0, "172.26.64.1")]
    env = port_env(ports, NetworkStatus("eth0", "172.26.64.5"))
    assert (env["NOMAD_PORT_http"], env["NOMAD_ALLOC_PORT_http"]) == ("9001", "9001")
    assert env["NOMAD_HOST_PORT_http"] == "25000"
    assert (env["NOMAD_ADDR_http"], env["NOMAD_IP_http"]) == ("172.26.64.1:25000", "172.26.64.1")
    assert (env["NOMAD_ALLOC_INTERFACE_http"], env["NOMAD_ALLOC_IP_http"]) == ("eth0", "172.26.64.5")
    assert env["NOMAD_ALLOC_ADDR_http"] == "172.26.64.5:9001"
    assert (env["NOMAD_PORT_raw"], env["NOMAD_ALLOC_ADDR_raw"]) == ("26000", "172.26.64.5:0")  # Nomad's raw `to`
    host = port_env([PortMapping("http", 25000, 9001)])
    assert host["NOMAD_PORT_http"] == host["NOMAD_HOST_PORT_http"] == "25000"
    assert not any(key.startswith("NOMAD_ALLOC_IP_") for key in host)


def _registration(namespaced: bool, sidecar_address: str = "") -> dict:
    host_ip = "172.26.64.1" if namespaced else "127.0.0.1"
    ports = {"http": PortMapping("http", 25000, 9001, host_ip),
             "connect-proxy-api": PortMapping("connect-proxy-api", 26000, 26000, host_ip),
             "svc_api_ck_abc123": PortMapping("svc_api_ck_abc123", 27000, 27000, host_ip)}
    service = {"Name": "api", "PortLabel": "http",
               "Checks": [{"Name": "h", "Type": "http", "Path": "/health", "Expose": True,
                           "PortLabel": "svc_api_ck_abc123"}],
               "Connect": {"SidecarService": {"Proxy": {}}}}
    ctx = RegistrationContext(alloc_id="a1", job_id="api", group="api", namespace="default", node_id="n", node=NODE,
                              ports=ports, env={}, expose_listener=False, owner="group-api",
                              namespaced=namespaced, sidecar_address=sidecar_address)
    return build_service(service, ctx)


def test_registration_in_a_namespace_uses_the_host_ip_binds_everywhere_and_leaves_the_local_port_to_consul():
    payload = _registration(namespaced=True)
    sidecar = payload["Connect"]["SidecarService"]
    assert (payload["Address"], payload["Port"]) == ("172.26.64.1", 25000)
    assert (sidecar["Address"], sidecar["Port"]) == ("172.26.64.1", 26000)
    assert sidecar["Proxy"]["Config"]["bind_address"] == "0.0.0.0"
    # Nomad passes only the job's local_service_port; Consul's default is the registered (host) port
    # of the label, not its `to` (nomad#9824), and devagent does the same.
    assert sidecar["Proxy"]["LocalServicePort"] == 25000
    assert sidecar["Checks"][1]["TCP"] == "172.26.64.1:26000"
    assert payload["Checks"][0]["HTTP"] == "http://172.26.64.1:27000/health"  # the mapped expose port
    builtin = _registration(namespaced=True, sidecar_address="172.26.64.5")["Connect"]["SidecarService"]
    assert (builtin["Address"], builtin["Checks"][1]["TCP"]) == ("172.26.64.5", "172.26.64.5:26000")


def test_registration_in_host_mode_stays_on_loopback_host_ports():
    payload = _registration(namespaced=False)
    sidecar = payload["Connect"]["SidecarService"]
    assert sidecar["Proxy"]["Config"]["bind_address"] == "127.0.0.1"
    assert sidecar["Proxy"]["LocalServicePort"] == 25000
    assert payload["Checks"][0]["HTTP"] == "http://127.0.0.1:25000/health"  # no expose listener: the app


def test_bridge_ports_are_held_until_released_and_inherited_by_a_replacement():
    allocator = PortAllocator(bridge_host_ip=lambda: "172.26.64.1")
    static = free_port()
    networks = [{"Mode": "bridge", "ReservedPorts": [{"Label": "http", "Value": static, "To": 9001}],
                 "DynamicPorts": [{"Label": "connect-proxy-api", "To": -1}]}]
    first = allocator.allocate(networks, owner="a")
    assert {m["HostIP"] for m in first} == {"172.26.64.1"}
    dynamic = next(m for m in first if m["Label"] == "connect-proxy-api")
    assert dynamic["To"] == dynamic["Value"]
    assert not is_port_free(static) and not is_port_free(dynamic["Value"])  # nobody else may take them
    with pytest.raises(PortCollision):
        PortAllocator(bridge_host_ip=lambda: "172.26.64.1").allocate(networks, owner="other devagent")
    second = allocator.allocate(networks, owner="b", inherit=first)
    allocator.release(first, owner="a")
    assert not is_port_free(static)  # b holds it now
    allocator.release(second, owner="b")
    assert is_port_free(static) and is_port_free(dynamic["Value"])


def test_host_mode_groups_keep_the_agent_address_and_hold_nothing():
    allocator = PortAllocator(bridge_host_ip=lambda: "172.26.64.1")
    [mapping] = allocator.allocate([{"Mode": "host", "DynamicPorts": [{"Label": "http"}]}], owner="a")
    assert mapping["HostIP"] == "127.0.0.1" and is_port_free(mapping["Value"])


def test_addresses_are_handed_out_round_robin_so_a_new_allocation_never_gets_a_just_freed_one():
    from devagent.netns.manager import FIRST_SLOT, LAST_SLOT, BridgeNetworking
    networking = BridgeNetworking("1a2b3c4d", lambda line: None, enabled=False)
    first = networking._next_free_slot()
    networking._slots.add(first)
    networking._last_slot = first
    networking._slots.discard(first)  # freed: the next allocation must not get it back
    assert networking._next_free_slot() == first + 1
    networking._last_slot = LAST_SLOT
    assert networking._next_free_slot() == FIRST_SLOT  # wraps
    networking._slots.update(range(FIRST_SLOT, LAST_SLOT + 1))
    assert networking._next_free_slot() is None


def test_the_consul_socket_pipes_each_connection_to_its_tcp_target(tmp_path):
    import socket
    import threading

    from devagent.netns.socket_proxy import UnixSocketProxy
    server = socket.create_server(("127.0.0.1", 0))

    def echo_once():
        conn, _ = server.accept()
        with conn:
            conn.sendall(b"got " + conn.recv(64))
    threading.Thread(target=echo_once, daemon=True).start()
    proxy = UnixSocketProxy(tmp_path / "consul_http.sock", server.getsockname()).start()
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(5)
            client.connect(str(tmp_path / "consul_http.sock"))
            client.sendall(b"ping")
            assert client.recv(64) == b"got ping"
    finally:
        proxy.close()
        server.close()
    assert not (tmp_path / "consul_http.sock").exists()


def test_a_task_in_a_namespace_is_entered_with_ip_netns_exec_and_a_missing_command_fails_the_launch(tmp_path):
    from devagent.task_runner import TaskLaunch, process_argv
    launch = TaskLaunch(name="t", argv=["sh", "-c", "true"], env={"PATH": "/usr/bin:/bin"}, cwd=str(tmp_path),
                        stdout_path="", stderr_path="", restart_policy={}, network_namespace="devagent-x-a1")
    assert process_argv(launch) == ["ip", "netns", "exec", "devagent-x-a1", "sh", "-c", "true"]
    launch.argv = ["no-such-command-here"]
    with pytest.raises(FileNotFoundError):
        process_argv(launch)
    launch.network_namespace = ""
    assert process_argv(launch) == ["no-such-command-here"]  # on the host, Popen reports it as before
