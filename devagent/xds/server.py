"""The gRPC ADS server: one per devagent, on a loopback TCP port and a unix socket, on its own event loop."""

from __future__ import annotations

import asyncio
import atexit
import hmac
import logging
import os
import tempfile
import threading
from pathlib import Path

import grpc
from envoy.service.discovery.v3 import ads_pb2_grpc

from .proxies import Proxy, ProxyRegistry
from .stream import SotwStream

log = logging.getLogger(__name__)

# sun_path holds 108 bytes with the terminating NUL, for devagent and Envoy alike
MAX_SOCKET_PATH = 107
TOKEN_METADATA = "x-consul-token"  # the gRPC metadata key Consul's Envoy bootstrap sends its token in


class AdsService(ads_pb2_grpc.AggregatedDiscoveryServiceServicer):
    """StreamAggregatedResources, state of the world; delta is not served (Envoy is told to use SotW)."""

    def __init__(self, registry: ProxyRegistry):
        self.registry = registry

    async def StreamAggregatedResources(self, request_iterator, context):  # noqa: N802 -- gRPC's name
        loop = asyncio.get_running_loop()
        events: asyncio.Queue = asyncio.Queue()

        def post(kind, item=None):
            try:
                loop.call_soon_threadsafe(events.put_nowait, (kind, item))
            except RuntimeError:  # the loop is closing: the stream is going away anyway
                pass

        async def read_requests():
            try:
                async for request in request_iterator:
                    events.put_nowait(("request", request))
            except (asyncio.CancelledError, grpc.aio.AioRpcError):
                pass
            finally:
                events.put_nowait(("end", None))

        reader = asyncio.create_task(read_requests())
        proxy: Proxy | None = None
        stream: SotwStream | None = None
        waiting: list = []  # requests that arrived before devagent registered the node

        def wake(type_url: str) -> None:
            post("update", type_url)
        try:
            while True:
                kind, item = await events.get()
                if kind == "end":
                    return
                if kind == "request":
                    waiting.append(item)
                if stream is None:
                    node_id = waiting[0].node.id if waiting else ""
                    proxy = self.registry.get(node_id)
                    if proxy is None:
                        if kind == "request" and len(waiting) == 1:
                            log.info("xds: node %r is not (yet) a sidecar of this devagent; holding its stream",
                                     node_id)
                        self.registry.on_next_add(lambda: post("arrival"))
                        continue
                    if not _token_accepted(proxy, context):
                        # Consul's xDS server refuses a stream whose token may not write the proxy's service
                        log.warning("xds: node %r presented no or a wrong x-consul-token; refused", node_id)
                        proxy = None
                        await context.abort(grpc.StatusCode.PERMISSION_DENIED, "permission denied")
                    stream = SotwStream(proxy)
                    proxy.watch(wake)
                    for request in waiting:
                        for response in stream.on_request(request):
                            yield response
                    waiting.clear()
                    continue
                if kind == "request":
                    waiting.clear()
                    for response in stream.on_request(item):
                        yield response
                elif kind == "update":
                    for response in stream.on_update(item):
                        yield response
        finally:
            reader.cancel()
            if proxy is not None:
                proxy.unwatch(wake)


def _token_accepted(proxy: Proxy, context) -> bool:
    """Whether the stream presents the ACL token the proxy was given (always, when it was given none)."""
    if not proxy.token:
        return True
    presented = dict(context.invocation_metadata() or ()).get(TOKEN_METADATA, "")
    return hmac.compare_digest(presented.encode(), proxy.token.encode())


class XdsServer:
    """ADS for every Envoy of one devagent; proxies are added and fed by the sidecar runtimes."""

    def __init__(self, socket_path: Path):
        self.requested_socket = Path(socket_path)
        self.socket_path = usable_socket_path(self.requested_socket)
        self._made_dir = not self.socket_path.parent.exists()  # removed again by stop()
        self.tcp_port = 0
        self.registry = ProxyRegistry()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: grpc.aio.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 10.0) -> "XdsServer":
        """Start serving in a background thread; returns when both addresses listen."""
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(self._serve(started))
                self._loop.run_forever()
            except BaseException as exc:  # noqa: BLE001 -- handed to start()'s caller
                failure.append(exc)
                started.set()
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=run, name="xds-server", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise TimeoutError(f"xDS server did not start within {timeout}s")
        if failure:
            raise RuntimeError(f"xDS server failed to start: {failure[0]}") from failure[0]
        return self

    async def _serve(self, started: threading.Event) -> None:
        self._server = grpc.aio.server(options=[("grpc.max_receive_message_length", 16 << 20),
                                                ("grpc.max_send_message_length", 16 << 20)])
        ads_pb2_grpc.add_AggregatedDiscoveryServiceServicer_to_server(AdsService(self.registry), self._server)
        self.socket_path.parent.mkdir(parents=True, exist_ok=True)
        if self.socket_path.exists() or self.socket_path.is_symlink():
            self.socket_path.unlink()  # left by a devagent that died; nobody else owns this path
        self.tcp_port = self._server.add_insecure_port("127.0.0.1:0")
        self._server.add_insecure_port(f"unix:{self.socket_path}")
        await self._server.start()
        os.chmod(self.socket_path, 0o600)
        started.set()

    @property
    def address(self) -> str:
        """The loopback TCP address (for tools; Envoys use the unix socket)."""
        return f"127.0.0.1:{self.tcp_port}"

    def proxy(self, node_id: str) -> Proxy:
        """The proxy of a node ID, created on first use."""
        return self.registry.add(node_id)

    def remove(self, proxy: Proxy) -> None:
        """Forget a proxy whose sidecar is gone."""
        self.registry.remove(proxy.node_id, proxy)

    def stop(self, grace: float = 1.0) -> None:
        """Stop serving and remove the socket."""
        loop, server = self._loop, self._server
        if loop is None or server is None or loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(server.stop(grace), loop).result(grace + 5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        release_socket_path(self.socket_path, self.requested_socket)
        if self._made_dir:
            try:
                self.socket_path.parent.rmdir()
            except OSError:
                pass


def usable_socket_path(wanted: Path) -> Path:
    """`wanted`, or a private short path under the temp dir when `wanted` is too long for a unix socket."""
    if len(os.fsencode(str(wanted))) <= MAX_SOCKET_PATH:
        return wanted
    return Path(tempfile.mkdtemp(prefix="devagent-")) / wanted.name


def release_socket_path(chosen: Path, wanted: Path) -> None:
    """Remove the socket `usable_socket_path(wanted)` chose, and the private directory it made for it."""
    try:
        Path(chosen).unlink()
    except OSError:
        pass
    if Path(chosen) != Path(wanted):
        try:
            Path(chosen).parent.rmdir()
        except OSError:
            pass


_servers: dict[Path, XdsServer] = {}
_servers_lock = threading.Lock()


def stop_shared_server(socket_path: Path) -> None:
    """Stop the server shared_server(socket_path) started, if any (its socket and private directory go too)."""
    with _servers_lock:
        server = _servers.pop(Path(socket_path), None)
    if server is not None:
        server.stop()


@atexit.register
def _stop_shared_servers() -> None:
    """At exit, stop the shared servers nobody stopped (a test process's, say), so no socket dir stays behind."""
    with _servers_lock:
        remaining = list(_servers)
    for socket_path in remaining:
        stop_shared_server(socket_path)


def shared_server(socket_path: Path) -> XdsServer:
    """The server listening on `socket_path`, started on first use (one per devagent data dir)."""
    key = Path(socket_path)
    with _servers_lock:
        server = _servers.get(key)
        if server is None:
            server = _servers[key] = XdsServer(key).start()
            log.info("xds: serving ADS on unix:%s and %s", server.socket_path, server.address)
        return server
