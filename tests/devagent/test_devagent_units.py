"""Pure units of devagent: durations, task env, restart policy, reconcile, event texts."""

import pytest

from devagent import task_events as ev
from devagent.durations import DurationError, format_go_duration, parse_go_duration
from devagent.reconcile import reconcile_group
from devagent.restart_tracker import DONE, NOT_RESTART, RESTART, RestartTracker
from devagent.scheduler import SchedulerError, check_enforce_index
from devagent.taskenv import NodeInfo, PortMapping, interpolate, port_env, upstream_env

S = 1_000_000_000
NODE = NodeInfo(id="n1", name="node-1", datacenter="dc1", region="global")


@pytest.mark.parametrize("text,ns", [("30s", 30 * S), ("1m30s", 90 * S), ("500ms", S // 2), ("1h", 3600 * S),
                                     ("0", 0), ("1.5s", int(1.5 * S))])
def test_parse_go_duration(text, ns):
    assert parse_go_duration(text) == ns


@pytest.mark.parametrize("bad", ["1x", "s", "10", "1s garbage"])
def test_parse_go_duration_rejects(bad):
    with pytest.raises(DurationError):
        parse_go_duration(bad)


@pytest.mark.parametrize("ns,text", [(5 * 60 * S, "5m0s"), (30 * 60 * S, "30m0s"), (S // 2, "500ms"),
                                     (int(1.5 * S), "1.5s"), (3600 * S, "1h0m0s"), (0, "0s")])
def test_format_go_duration(ns, text):
    assert format_go_duration(ns) == text


def test_port_env_uses_the_host_port_and_cleans_labels():
    env = port_env([PortMapping("connect-proxy-tax", 21000, 21000), PortMapping("http", 25000, 8080)])
    assert env["NOMAD_PORT_http"] == env["NOMAD_HOST_PORT_http"] == "25000"
    assert env["NOMAD_ADDR_http"] == "127.0.0.1:25000"
    assert env["NOMAD_PORT_connect_proxy_tax"] == env["NOMAD_PORT_connect-proxy-tax"] == "21000"


def test_upstream_env_raw_and_cleaned():
    env = upstream_env([{"DestinationName": "tax-api", "LocalBindPort": 9001}])
    assert env["NOMAD_UPSTREAM_ADDR_tax-api"] == env["NOMAD_UPSTREAM_ADDR_tax_api"] == "127.0.0.1:9001"
    assert env["NOMAD_UPSTREAM_PORT_tax_api"] == "9001" and env["NOMAD_UPSTREAM_IP_tax_api"] == "127.0.0.1"


def test_interpolate_env_node_and_unknown():
    env = {"NOMAD_ALLOC_INDEX": "2"}
    assert interpolate("i=${NOMAD_ALLOC_INDEX} n=${node.unique.name} dc=${node.datacenter} x=${nope}", env, NODE) == \
        "i=2 n=node-1 dc=dc1 x=${nope}"


def test_restart_tracker_within_policy_then_fail():
    tracker = RestartTracker({"Attempts": 2, "Interval": 60 * S, "Delay": S, "Mode": "fail"})
    for _ in range(2):
        step, delay = tracker.next_step(successful_exit=False)
        assert step == RESTART and S <= delay <= 1.25 * S
    assert tracker.next_step(successful_exit=False) == (NOT_RESTART, 0)
    assert tracker.reason == 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"'


def test_restart_tracker_delay_mode_and_no_attempts():
    delayed = RestartTracker({"Attempts": 1, "Interval": 10 * S, "Delay": S, "Mode": "delay"})
    delayed.next_step(False)
    step, delay = delayed.next_step(False)
    assert step == RESTART and 0 < delay <= 10 * S and delayed.reason == "Exceeded allowed attempts, applying a delay"
    none = RestartTracker({"Attempts": 0, "Interval": 10 * S, "Delay": S, "Mode": "fail"})
    assert none.next_step(False) == (NOT_RESTART, 0) and none.reason == "Policy allows no restarts"
    batch = RestartTracker({"Attempts": 0, "Interval": 10 * S, "Delay": S, "Mode": "fail"}, restart_on_success=False)
    assert batch.next_step(True) == (DONE, 0)


def test_event_display_messages():
    assert ev.task_event(ev.TERMINATED, ExitCode=1)["DisplayMessage"] == "Exit Code: 1"
    assert ev.task_event(ev.TERMINATED, ExitCode=-1, Signal=9)["DisplayMessage"] == "Exit Code: -1, Signal: 9"
    assert ev.task_event(ev.KILLING, KillTimeout=5 * S)["DisplayMessage"] == "Sent interrupt. Waiting 5s before force killing"
    assert ev.task_event(ev.RESTARTING, RestartReason="Restart within policy", StartDelay=15 * S)["DisplayMessage"] == \
        "Task restarting in 15s"
    state = ev.new_task_state()
    for _ in range(15):
        ev.append_event(state, ev.task_event(ev.STARTED))
    assert len(state["Events"]) == ev.MAX_EVENTS


def _job(version, env="a", count=2):
    return {"ID": "j", "Version": version, "JobModifyIndex": 10 + version,
            "TaskGroups": [{"Name": "g", "Count": count, "Tasks": [{"Name": "t", "Driver": "raw_exec", "Env": {"X": env}}]}]}


def _alloc(index, job):
    return {"ID": f"a{index}-{job['Version']}", "Name": f"j.g[{index}]", "JobVersion": job["Version"], "Job": job}


def test_reconcile_places_ignores_and_limits_destructive_updates():
    v0, v1 = _job(0), _job(1, env="b")
    assert [i for i, _ in reconcile_group(v0, v0["TaskGroups"][0], [], None).place] == [0, 1]
    live = [_alloc(0, v0), _alloc(1, v0)]
    same = reconcile_group(v0, v0["TaskGroups"][0], live, None)
    assert (len(same.ignore), same.place) == (2, [])
    v1["Update"] = {"MaxParallel": 1}  # no deployment yet: max_parallel replacements at a time
    rolling = reconcile_group(v1, v1["TaskGroups"][0], live, None)
    assert rolling.annotation() | {} == {"Ignore": 1, "Place": 0, "Migrate": 0, "Stop": 0, "InPlaceUpdate": 0,
                                        "DestructiveUpdate": 1, "Canary": 0, "Preemptions": 0}
    inplace_job = dict(_job(1), JobModifyIndex=11)
    assert len(reconcile_group(inplace_job, inplace_job["TaskGroups"][0], live, None).inplace) == 2
    smaller = _job(0, count=1)
    assert [a["Name"] for a in reconcile_group(smaller, smaller["TaskGroups"][0], live, None).stop] == ["j.g[1]"]
    blocked = reconcile_group(v1, v1["TaskGroups"][0], live, None, failure={"NodesEvaluated": 1})
    assert (blocked.place, blocked.destructive, len(blocked.ignore)) == ([], [], 2)


def test_enforce_index_texts():
    with pytest.raises(SchedulerError, match="^Enforcing job modify index 0: job already exists$"):
        check_enforce_index({"JobModifyIndex": 4}, 0)
    with pytest.raises(SchedulerError, match="^Enforcing job modify index 3: job exists with conflicting job modify index: 4$"):
        check_enforce_index({"JobModifyIndex": 4}, 3)
    with pytest.raises(SchedulerError, match="^Enforcing job modify index 3: job does not exist$"):
        check_enforce_index(None, 3)
    check_enforce_index({"JobModifyIndex": 4}, 4)
    check_enforce_index(None, 0)


EXPOSE_LABEL = "svc_tax_ck_3f2a1b"  # admission gives an exposed check this dynamic port as its PortLabel
HEALTH_CHECK = {"Type": "http", "Path": "/health", "Interval": S, "Timeout": S, "Expose": True,
                "PortLabel": EXPOSE_LABEL}


def _registration_context(expose_listener):
    from devagent.service_registration import RegistrationContext
    ports = [PortMapping("http", 25000, 8080), PortMapping("connect-proxy-tax", 26000, 26000),
             PortMapping(EXPOSE_LABEL, 27000, 27000)]
    return RegistrationContext(alloc_id="A1", job_id="tax", group="tax", namespace="default", node_id="N1", node=NODE,
                               ports={p.label: p for p in ports}, env={"NOMAD_ALLOC_INDEX": "0"},
                               expose_listener=expose_listener, owner="group-tax")


def _tax_service():
    """A Connect service after admission (the expose path added for its check)."""
    expose = {"Paths": [{"Path": "/health", "Protocol": "http", "LocalPathPort": 0, "ListenerPort": EXPOSE_LABEL}]}
    proxy = {"Config": {"protocol": "http"}, "Upstreams": [{"DestinationName": "db", "LocalBindPort": 9002}],
             "Expose": expose}
    return {"Name": "tax", "PortLabel": "http", "Tags": ["v${NOMAD_ALLOC_INDEX}"], "Checks": [HEALTH_CHECK],
            "Connect": {"SidecarService": {"Proxy": proxy}}}


def test_registration_payload_matches_nomads():
    from devagent.service_registration import NODE_MARKER, build_service, has_sidecar
    payload = build_service(_tax_service(), _registration_context(expose_listener=True))
    assert payload["ID"] == "_nomad-task-A1-group-tax-tax-http"
    assert (payload["Address"], payload["Port"], payload["Tags"]) == ("127.0.0.1", 25000, ["v0"])
    assert payload["Meta"] == {"external-source": "nomad", NODE_MARKER: "N1"}
    [check] = payload["Checks"]
    assert check["Name"] == 'service: "tax" check' and check["CheckID"].startswith("_nomad-check-")
    assert check["HTTP"] == "http://127.0.0.1:27000/health"  # the expose listener
    sidecar = payload["Connect"]["SidecarService"]
    assert has_sidecar(payload) and sidecar["Port"] == 26000
    proxy = sidecar["Proxy"]
    assert (proxy["LocalServiceAddress"], proxy["LocalServicePort"]) == ("127.0.0.1", 25000)
    assert proxy["Config"]["bind_port"] == 26000 and proxy["Config"]["protocol"] == "http"
    assert "nomad.alloc_id=A1" in proxy["Config"]["envoy_stats_tags"]
    assert proxy["Upstreams"][0]["DestinationName"] == "db" and proxy["Upstreams"][0]["LocalBindPort"] == 9002
    assert proxy["Expose"]["Paths"] == [{"ListenerPort": 27000, "Path": "/health", "LocalPathPort": 25000,
                                         "Protocol": "http"}]
    assert [c["Name"] for c in sidecar["Checks"]] == ["Connect Sidecar Aliasing _nomad-task-A1-group-tax-tax-http",
                                                      "Connect Sidecar Listening"]
    assert sidecar["Checks"][1] == {"Name": "Connect Sidecar Listening", "TCP": "127.0.0.1:26000", "Interval": "1s"}


def test_expose_check_goes_to_the_app_without_an_expose_listener():
    from devagent.service_registration import build_service
    payload = build_service(_tax_service(), _registration_context(expose_listener=False))
    assert payload["Checks"][0]["HTTP"] == "http://127.0.0.1:25000/health"


def test_numeric_port_label_and_native_connect():
    from devagent.service_registration import build_service, has_sidecar
    payload = build_service({"Name": "raw", "PortLabel": "9001", "Connect": {"Native": True}},
                            _registration_context(expose_listener=False))
    assert (payload["ID"], payload["Address"], payload["Port"]) == ("_nomad-task-A1-group-tax-raw-9001", "", 9001)
    assert payload["Connect"] == {"Native": True} and not has_sidecar(payload)


def test_a_static_port_is_taken_while_listened_on_and_free_after():
    """Like a server binding with SO_REUSEADDR: TIME_WAIT left by such a listener does not block."""
    import socket

    from devagent.port_allocator import PortAllocator, PortCollision, listenable
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    assert not listenable(port, "127.0.0.1")
    with pytest.raises(PortCollision, match=f"reserved port collision http={port}"):
        PortAllocator().allocate([{"ReservedPorts": [{"Label": "http", "Value": port}]}], owner="a")
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first: its end goes to TIME_WAIT
    client.close()
    server.close()
    assert listenable(port, "127.0.0.1")
    [mapping] = PortAllocator().allocate([{"ReservedPorts": [{"Label": "http", "Value": port}]}], owner="b")
    assert mapping["Value"] == port
