"""The gRPC server end to end with a real gRPC client: TCP and unix socket, held streams, pushes, ACK/NACK."""

import queue
import threading

import grpc
import pytest
from envoy.config.core.v3.base_pb2 import Node
from envoy.service.discovery.v3 import ads_pb2_grpc
from envoy.service.discovery.v3.discovery_pb2 import DiscoveryRequest
from google.rpc.status_pb2 import Status

from devagent.xds import XdsServer
from devagent.xds import types as xds
from devagent.xds.server import MAX_SOCKET_PATH, release_socket_path, usable_socket_path
from tests.waiting import wait_for


def listener(port: int):
    return xds.to_any({"@type": xds.LISTENER, "name": "l",
                       "address": {"socket_address": {"address": "127.0.0.1", "port_value": port}}})


class Client:
    """One ADS stream: put requests in, read responses out."""

    def __init__(self, target: str, node_id: str):
        self.channel = grpc.insecure_channel(target)
        self.requests: queue.Queue = queue.Queue()
        self.responses: queue.Queue = queue.Queue()
        self.node = Node(id=node_id, cluster="web")
        stub = ads_pb2_grpc.AggregatedDiscoveryServiceStub(self.channel)
        self.call = stub.StreamAggregatedResources(iter(self.requests.get, None))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for response in self.call:
                self.responses.put(response)
        except grpc.RpcError:
            pass

    def send(self, type_url, nonce="", version="", error=None):
        request = DiscoveryRequest(node=self.node, type_url=type_url, response_nonce=nonce, version_info=version)
        if error:
            request.error_detail.CopyFrom(Status(code=3, message=error))
        self.requests.put(request)

    def next(self, timeout=5.0):
        return self.responses.get(timeout=timeout)

    def close(self):
        self.requests.put(None)
        self.channel.close()


@pytest.fixture
def server(tmp_path):
    server = XdsServer(tmp_path / "xds.sock").start()
    yield server
    server.stop()


@pytest.mark.parametrize("address", ["tcp", "unix"])
def test_a_registered_proxy_gets_its_resources_and_later_changes(server, address):
    proxy = server.proxy("web-1-sidecar-proxy")
    proxy.set_resources(xds.LISTENER, {"l": listener(1)})
    target = server.address if address == "tcp" else f"unix:{server.socket_path}"
    client = Client(target, "web-1-sidecar-proxy")
    try:
        client.send(xds.LISTENER)
        first = client.next()
        assert first.version_info == "1" and first.resources[0] == listener(1)
        client.send(xds.LISTENER, nonce=first.nonce, version="1")
        wait_for(lambda: proxy.status.accepted, 5, "the ACK recorded")
        proxy.set_resources(xds.LISTENER, {"l": listener(2)})
        second = client.next()
        assert second.version_info == "2" and second.resources[0] == listener(2)
        client.send(xds.LISTENER, nonce=second.nonce, version="1", error="port 2 is taken")
        wait_for(lambda: proxy.status.rejected, 5, "the NACK recorded")
        assert proxy.status.rejected == {xds.LISTENER: "port 2 is taken"}
        assert proxy.status.accepted == {xds.LISTENER: "1"}
    finally:
        client.close()


def test_a_stream_of_an_unknown_node_is_held_until_devagent_adds_it(server):
    client = Client(server.address, "late-sidecar-proxy")
    try:
        client.send(xds.LISTENER)
        with pytest.raises(queue.Empty):
            client.next(timeout=0.3)
        server.proxy("late-sidecar-proxy").set_resources(xds.LISTENER, {"l": listener(3)})
        assert client.next().resources[0] == listener(3)
    finally:
        client.close()


def test_a_socket_path_too_long_for_unix_sockets_moves_to_a_short_private_dir(tmp_path):
    wanted = tmp_path / ("d" * 120) / "xds.sock"
    chosen = usable_socket_path(wanted)
    assert chosen.name == "xds.sock" and len(str(chosen)) <= MAX_SOCKET_PATH
    assert usable_socket_path(tmp_path / "xds.sock") == tmp_path / "xds.sock"
    release_socket_path(chosen, wanted)
    assert not chosen.parent.exists()


def test_releasing_a_socket_at_the_wanted_path_keeps_its_directory(tmp_path):
    wanted = tmp_path / "xds.sock"
    wanted.write_text("")
    release_socket_path(usable_socket_path(wanted), wanted)
    assert not wanted.exists() and tmp_path.is_dir()


def test_stopping_an_agents_shared_server_removes_its_socket_and_private_dir(tmp_path):
    from devagent.xds.server import shared_server, stop_shared_server

    wanted = tmp_path / ("d" * 120) / "xds.sock"
    server = shared_server(wanted)
    assert server.socket_path.exists() and server.socket_path != wanted
    stop_shared_server(wanted)
    assert not server.socket_path.parent.exists()
    again = shared_server(wanted)
    try:
        assert again is not server and again.socket_path.exists()
    finally:
        stop_shared_server(wanted)
    stop_shared_server(wanted)  # nothing left to stop: no error


def test_a_server_removes_the_socket_directory_it_made(tmp_path):
    made = tmp_path / "made-by-the-server"
    server = XdsServer(made / "xds.sock").start()
    assert made.is_dir()
    server.stop()
    assert not made.exists() and tmp_path.is_dir()
