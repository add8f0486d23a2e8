"""Run one allocation: dirs, env, Consul services, sidecars, tasks, health, and the stop order."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from devagent import task_events as ev
from devagent.task_events import append_event
from devagent.agent_context import AgentContext
from devagent.alloc_health import AllocHealthWatcher, mark_unhealthy
from devagent.consul_client import ConsulError
from devagent.durations import format_go_duration
from devagent.jobmodel import group_services, is_sidecar_task, restart_policy, sidecar_service, task_group, task_services
from devagent.netns.alloc_network import AllocNetwork, network_mode
from devagent.netns.commands import NetworkError
from devagent.service_identity import HOOK_FAILED_EVENT, ServiceIdentities, ServiceIdentityError
from devagent.service_registration import RegistrationContext, build_service, has_sidecar
from devagent.sidecars import supports_expose
from devagent.sidecars.base import ExposePathSpec, SidecarSpec, UpstreamSpec, agent_xds_socket
from devagent.state import now_rfc3339
from devagent.task_runner import TaskLaunch, TaskRunner
from devagent.taskenv import NetworkStatus, PortMapping, TaskEnvInputs, build_task_env, interpolate_value

SIDECAR_START_TIMEOUT = 30.0
SUPERVISE_FALLBACK_SECONDS = 1.0  # a safety net only: supervision is woken by events


def client_status(task_states: dict) -> tuple[str, str]:
    """Nomad's ClientStatus and ClientDescription from the task states."""
    states = task_states.values()
    if any(s["Failed"] for s in states):
        return "failed", "Failed tasks"
    if any(s["State"] == "running" for s in states):
        return "running", "Tasks are running"
    if any(s["State"] == "pending" for s in states):
        return "pending", "No tasks have started"
    return "complete", "All tasks have completed"


def _all_tasks_dead(alloc: dict) -> None:
    """Mark every task that is not dead yet as dead now."""
    for state in alloc["TaskStates"].values():
        if state["State"] != "dead":
            state.update(State="dead", FinishedAt=now_rfc3339())


def _finished(alloc: dict) -> None:
    """The allocation's processes and registrations are gone: its ports and name may be reused."""
    _all_tasks_dead(alloc)
    alloc["_Cleaned"] = True


class AllocRunner:
    """Owns the processes and Consul registrations of one allocation."""

    def __init__(self, ctx: AgentContext, alloc_id: str):
        self.ctx = ctx
        self.alloc_id = alloc_id
        self.stopping = threading.Event()
        self._attention = threading.Event()  # set on a stop request, a task state change or a task's end
        self.done = threading.Event()
        self.tasks: dict[str, TaskRunner] = {}
        self.sidecars: dict[str, TaskRunner] = {}
        self.runtimes = []
        self.group_registrations: list[dict] = []
        self.task_registrations: dict[str, list[dict]] = {}
        self.network: AllocNetwork | None = None  # set when the group runs in its own namespace
        self._thread = threading.Thread(target=self._run, name=f"alloc-{alloc_id[:8]}", daemon=True)
        self._stop_reason = ""
        self._skip_shutdown_delay = threading.Event()  # set: stop without shutdown delays (stop_limits.py)
        # Consul ACLs (issue 15): with a devagent token, each sidecar gets its own service identity token.
        self.service_identities = (ServiceIdentities(ctx.consul.http_addr, ctx.consul.token, alloc_id, ctx.node.id)
                                   if ctx.consul.token else None)

    # -- store access -------------------------------------------------------------
    def update_alloc(self, mutate) -> None:
        """Apply mutate(alloc) under the store lock and bump the index."""
        store = self.ctx.store
        with store.lock:
            alloc = store.allocs.get(self.alloc_id)
            if alloc is None:
                return
            mutate(alloc)
            self._attention.set()
            alloc["ClientStatus"], alloc["ClientDescription"] = client_status(alloc["TaskStates"])
            if alloc["ClientStatus"] == "failed" and alloc.get("DeploymentID") and not alloc.get("DeploymentStatus"):
                # A failed allocation is unhealthy at once, whatever the health watcher is doing.
                mark_unhealthy(alloc, None, store.index + 1)
            store.touch(alloc)

    def _task_sink(self, task_name: str):
        def sink(changes: dict, event: dict | None) -> None:
            def apply(alloc: dict) -> None:
                state = alloc["TaskStates"][task_name]
                state.update(changes)
                if event is not None:
                    append_event(state, event)
            self.update_alloc(apply)
        return sink

    def _event_all(self, event_factory) -> None:
        def apply(alloc: dict) -> None:
            for state in alloc["TaskStates"].values():
                append_event(state, event_factory())
        self.update_alloc(apply)

    # -- lifecycle ------------------------------------------------------------------
    def start(self) -> None:
        """Run the allocation in a background thread."""
        self._thread.start()

    def request_stop(self, reason: str = "", no_shutdown_delay: bool = False) -> None:
        """Ask the allocation to stop (Nomad's stop order); returns at once.

        no_shutdown_delay skips the shutdown delays, also one already being waited (NoShutdownDelay).
        """
        self._stop_reason = reason
        if no_shutdown_delay:
            self._skip_shutdown_delay.set()
        self.stopping.set()
        self._attention.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the allocation has stopped and cleaned up."""
        return self.done.wait(timeout)

    def _run(self) -> None:
        try:
            self._run_alloc()
        except Exception as exc:  # noqa: BLE001 - an alloc must never take the agent down
            self.ctx.log(f"alloc {self.alloc_id[:8]}: {type(exc).__name__}: {exc}")
            self._fail_setup(f"{type(exc).__name__}: {exc}")
            self._shutdown()
        finally:
            self.done.set()

    def _run_alloc(self) -> None:
        with self.ctx.store.lock:
            alloc = self.ctx.store.snapshot(self.ctx.store.allocs[self.alloc_id])
        self._wait_previous(alloc.get("PreviousAllocation"))
        job = alloc["Job"]
        group = next(g for g in job["TaskGroups"] if g["Name"] == alloc["TaskGroup"])
        if self.stopping.is_set():
            self.update_alloc(_finished)
            return
        alloc_dir = self.ctx.data_dir / "alloc" / self.alloc_id
        self._event_all(lambda: ev.task_event(ev.RECEIVED))
        for sub in ("alloc/logs", "alloc/data", "alloc/tmp"):
            (alloc_dir / sub).mkdir(parents=True, exist_ok=True)
        for task in group["Tasks"]:
            for sub in ("local", "secrets", "tmp"):
                (alloc_dir / task["Name"] / sub).mkdir(parents=True, exist_ok=True)
        self._event_all(lambda: ev.task_event(ev.SETUP, "Building Task Directory"))
        ports = [PortMapping(p["Label"], p["Value"], p.get("To") or 0, p.get("HostIP") or "127.0.0.1")
                 for p in alloc["AllocatedResources"]["Shared"]["Ports"]]
        try:
            status = self._setup_network(group, ports, alloc_dir)
        except NetworkError as exc:
            self._fail_setup(f"failed to setup network for alloc: {exc}")
            self._shutdown()
            return
        upstreams = [u for s in group_services(group) for u in ((sidecar_service(s) or {}).get("Proxy") or {}).get("Upstreams") or []]
        envs = {t["Name"]: build_task_env(TaskEnvInputs(alloc, job, group, t, str(alloc_dir), str(alloc_dir / t["Name"]),
                                                        self.ctx.node, ports, upstreams, status)) for t in group["Tasks"]}
        main_tasks = [t for t in group["Tasks"] if not is_sidecar_task(t)]
        group_env = envs[main_tasks[0]["Name"]] if main_tasks else dict(os.environ)
        try:
            self.group_registrations = self._register(
                group_services(group), self._registration_context(job, group, ports, f"group-{group['Name']}", group_env))
        except (ConsulError, KeyError) as exc:
            self._fail_setup(f"failed to register group services: {exc}")
            self._shutdown()
            return
        health = AllocHealthWatcher(self, self._service_ids)
        health.start()
        if not self._start_sidecars(job, group, alloc_dir, envs) or self.stopping.is_set():
            self._shutdown()
            return
        if not self._start_in_lifecycle_order(job, group, main_tasks, alloc_dir, envs):
            self._supervise()
            self._shutdown()
            return
        for task in main_tasks:
            try:
                self.task_registrations[task["Name"]] = self._register(
                    task_services(task), self._registration_context(job, group, ports, task["Name"], envs[task["Name"]]))
            except (ConsulError, KeyError) as exc:
                self._fail_setup(f"failed to register services of task {task['Name']}: {exc}")
                break
        self._supervise()
        self._shutdown()

    def _setup_network(self, group: dict, ports: list[PortMapping], alloc_dir: Path) -> NetworkStatus | None:
        """A bridge-mode group gets its own namespace (None in host mode, or where devagent cannot make one)."""
        if network_mode(group) != "bridge":
            return None
        networking = self.ctx.network
        if networking is None or not networking.available:
            reason = networking.unavailable if networking is not None else "not enabled"
            message = f"devagent: no network namespaces ({reason}): the bridge-mode group runs in host mode"
            self._event_all(lambda: ev.task_event(ev.SETUP, message))
            return None
        self.network = AllocNetwork(networking, self.alloc_id, alloc_dir)
        status = self.network.setup(group, ports, supports_expose(self.ctx.sidecar_class))
        self.update_alloc(lambda alloc: alloc.update(NetworkStatus={
            "InterfaceName": status.interface, "Address": status.address, "DNS": None}))
        return status

    def _registration_context(self, job: dict, group: dict, ports: list[PortMapping], owner: str,
                              env: dict) -> RegistrationContext:
        return RegistrationContext(
            alloc_id=self.alloc_id, job_id=job["ID"], group=group["Name"], namespace=job.get("Namespace") or "default",
            node_id=self.ctx.node.id, node=self.ctx.node, ports={p.label: p for p in ports}, env=env,
            expose_listener=supports_expose(self.ctx.sidecar_class), owner=owner, namespaced=self.network is not None,
            sidecar_address=self._sidecar_address())

    def _sidecar_address(self) -> str:
        """The allocation's own address for a sidecar kind that can only bind where it is registered."""
        if self.network is None or not getattr(self.ctx.sidecar_class, "binds_registered_address", False):
            return ""
        return self.network.namespace.address

    def _wait_previous(self, previous_id: str | None) -> None:
        """A replacement waits for the allocation it replaces to stop (ports, Consul IDs)."""
        if not previous_id:
            return
        store = self.ctx.store
        while not self.stopping.is_set():
            with store.lock:
                prev = store.allocs.get(previous_id)
                # Terminal is not enough: a failed allocation may still be stopping its sidecars.
                if prev is None or prev.get("_Cleaned"):
                    return
            self.stopping.wait(0.1)

    def _register(self, services: list[dict], reg_ctx: RegistrationContext) -> list[dict]:
        payloads = []
        for service in services:
            payload = build_service(service, reg_ctx)
            self.ctx.consul.register_service(payload)
            payloads.append(payload)
        for warning in reg_ctx.warnings:
            self.ctx.log(f"alloc {self.alloc_id[:8]}: {warning}")
        return payloads

    def _service_ids(self) -> set[str]:
        ids = set()
        for payload in self.group_registrations + [p for ps in self.task_registrations.values() for p in ps]:
            ids.add(payload["ID"])
            if has_sidecar(payload):
                ids.add(payload["ID"] + "-sidecar-proxy")
        return ids

    def _launch(self, task: dict, group: dict, alloc_dir: Path, argv: list[str], env: dict,
                restart_on_success: bool = True) -> TaskLaunch:
        logs = alloc_dir / "alloc" / "logs"
        return TaskLaunch(
            name=task["Name"], argv=argv, env=env, cwd=str(alloc_dir / task["Name"]),
            stdout_path=str(logs / f"{task['Name']}.stdout.0"), stderr_path=str(logs / f"{task['Name']}.stderr.0"),
            restart_policy=restart_policy(group, task), kill_signal=task.get("KillSignal") or "SIGINT",
            kill_timeout_ns=self.ctx.stop_limits.kill_timeout(task.get("KillTimeout")), restart_on_success=restart_on_success,
            network_namespace=self.network.name if self.network is not None else "")

    def _start_sidecars(self, job: dict, group: dict, alloc_dir: Path, envs: dict) -> bool:
        """Prepare and start one sidecar per Connect service (Nomad's prestart sidecar)."""
        for payload, service in zip(self.group_registrations, group_services(group)):
            if not has_sidecar(payload):
                continue
            task = next(t for t in group["Tasks"] if t.get("Kind") == f"connect-proxy:{service['Name']}")
            proxy = payload["Connect"]["SidecarService"]["Proxy"]
            try:
                sidecar_token = self._sidecar_consul_token(payload["Name"], task["Name"], alloc_dir)
            except ServiceIdentityError as exc:
                self._task_sink(task["Name"])({"State": "dead", "Failed": True, "FinishedAt": now_rfc3339()},
                                              ev.task_event(HOOK_FAILED_EVENT, str(exc), FailsTask=True))
                return False
            spec = SidecarSpec(
                alloc_id=self.alloc_id, job=job["ID"], group=group["Name"], service_name=payload["Name"],
                service_id=payload["ID"], sidecar_service_id=payload["ID"] + "-sidecar-proxy",
                public_port=payload["Connect"]["SidecarService"]["Port"], local_app_port=proxy["LocalServicePort"],
                upstreams=[UpstreamSpec(u["DestinationName"], u["LocalBindPort"], u["LocalBindAddress"], u["Datacenter"])
                           for u in proxy["Upstreams"]],
                work_dir=alloc_dir / task["Name"] / "secrets", consul_http_addr=self.ctx.consul.http_addr,
                protocol=str(proxy["Config"].get("protocol", "tcp")),
                expose_paths=[ExposePathSpec(p["Path"], p["ListenerPort"], p["LocalPathPort"], p["Protocol"])
                              for p in (proxy.get("Expose") or {}).get("Paths") or []],
                proxy_config=proxy["Config"], consul_token=sidecar_token,
                datacenter=self.ctx.node.datacenter, xds_socket=agent_xds_socket(self.ctx.data_dir),
                report_event=self._event_reporter(task["Name"]), **self._sidecar_network())
            runtime = self.ctx.sidecar_class(spec)
            self.runtimes.append(runtime)
            try:
                runtime.prepare(timeout=SIDECAR_START_TIMEOUT)
                argv = runtime.command()
            except Exception as exc:  # noqa: BLE001 - a sidecar kind's failure fails the alloc, not the agent
                self._task_sink(task["Name"])({"State": "dead", "Failed": True, "FinishedAt": now_rfc3339()},
                                              ev.task_event(ev.DRIVER_FAILURE, DriverError=f"sidecar prepare failed: {exc}", FailsTask=True))
                return False
            env = {**envs[task["Name"]], **runtime.env()}
            runner = TaskRunner(self._launch(task, group, alloc_dir, argv, env), self._task_sink(task["Name"]), self.ctx.ledger)
            self.sidecars[task["Name"]] = runner
            runner.start()
        deadline = time.monotonic() + SIDECAR_START_TIMEOUT
        for runner in self.sidecars.values():
            while not runner.started_once.is_set() and not runner.finished.is_set() and time.monotonic() < deadline:
                runner.started_once.wait(0.1)
            if not runner.started_once.is_set():
                return False
        return True

    def _sidecar_consul_token(self, service: str, task_name: str, alloc_dir: Path) -> str:
        """The sidecar's Consul token: its service identity token under ACLs, else devagent's (none)."""
        if self.service_identities is None:
            return self.ctx.consul.token
        return self.service_identities.derive(service, task_name, alloc_dir / task_name / "secrets")

    def _event_reporter(self, task_name: str):
        """A sidecar runtime's way to record a task event (Nomad's "Task hook message") on its task."""
        sink = self._task_sink(task_name)
        return lambda message: sink({}, ev.task_event("Task hook message", message))

    def _sidecar_network(self) -> dict:
        """SidecarSpec fields for a sidecar inside the namespace: where it binds and how it reaches Consul."""
        if self.network is None:
            return {}
        return {"network_namespace": self.network.name, "bind_address": "0.0.0.0",
                "consul_http_socket": self.network.consul_http_socket(self.ctx.consul.http_addr)}

    def _start_in_lifecycle_order(self, job: dict, group: dict, tasks: list[dict], alloc_dir: Path, envs: dict) -> bool:
        """prestart tasks (ephemeral ones must exit 0 first), then main tasks, then poststart; False if cut short."""
        def hook(task):
            return (task.get("Lifecycle") or {}).get("Hook") or ""
        start = lambda task, again: self._start_task(job, group, task, alloc_dir, envs[task["Name"]], again)  # noqa: E731
        ephemeral = [t for t in tasks if hook(t) == "prestart" and not t["Lifecycle"].get("Sidecar")]
        for task in ephemeral:
            start(task, False)
        for task in ephemeral:
            runner = self.tasks.get(task["Name"])
            while runner is not None and not runner.finished.wait(0.1):
                if self.stopping.is_set():
                    return False
            if runner is None or runner.failed:
                return False
        for task in tasks:
            if hook(task) in ("", "prestart") and task not in ephemeral:
                start(task, hook(task) == "" or bool(task["Lifecycle"].get("Sidecar")))
        for task in tasks:
            if hook(task) == "poststart":
                start(task, bool(task["Lifecycle"].get("Sidecar")))
            elif hook(task) == "poststop":
                message = "devagent does not run poststop tasks"
                self._task_sink(task["Name"])({"State": "dead", "FinishedAt": now_rfc3339()}, ev.task_event(ev.SETUP, message))
                self.ctx.log(f"alloc {self.alloc_id[:8]}: task {task['Name']}: {message}")
        return True

    def _start_task(self, job: dict, group: dict, task: dict, alloc_dir: Path, env: dict,
                    restart_on_success: bool = True) -> None:
        config = interpolate_value(task.get("Config") or {}, env, self.ctx.node)
        command = config.get("command")
        argv = [command, *[str(a) for a in config.get("args") or []]] if command else []
        sink = self._task_sink(task["Name"])
        if not argv:
            sink({"State": "dead", "Failed": True, "FinishedAt": now_rfc3339()},
                 ev.task_event(ev.DRIVER_FAILURE, DriverError="failed to launch command with executor: missing command", FailsTask=True))
            return
        # Batch tasks and ephemeral lifecycle tasks that exit 0 are done; service tasks restart even then.
        restart_on_success = restart_on_success and job.get("Type") not in ("batch", "sysbatch")
        launch = self._launch(task, group, alloc_dir, argv, env, restart_on_success=restart_on_success)
        runner = TaskRunner(launch, sink, self.ctx.ledger, on_finished=self._attention.set)
        self.tasks[task["Name"]] = runner
        runner.start()

    def _supervise(self) -> None:
        """Wait for a stop request, a failed task, or every main task finished."""
        # Woken by what can end it rather than polling: a hundred allocations polling ten times a
        # second kept devagent's threads contending for the GIL with its xDS pushes
        while True:
            self._attention.clear()
            if self.stopping.is_set():
                return
            failed = [name for name, r in self.tasks.items() if r.failed]
            if failed or self._any_failed():
                for name, runner in self.tasks.items():
                    if name not in failed and not runner.finished.is_set():
                        self._task_sink(name)({"Failed": True}, ev.task_event(ev.SIBLING_FAILED, FailedSibling=(failed or [""])[0]))
                return
            if self.tasks and all(r.finished.is_set() for r in self.tasks.values()):
                return
            self._attention.wait(SUPERVISE_FALLBACK_SECONDS)

    def _any_failed(self) -> bool:
        with self.ctx.store.lock:
            alloc = self.ctx.store.allocs.get(self.alloc_id) or {}
            return any(s["Failed"] for s in (alloc.get("TaskStates") or {}).values())

    def _fail_setup(self, message: str) -> None:
        def apply(alloc: dict) -> None:
            for state in alloc["TaskStates"].values():
                append_event(state, ev.task_event("Setup Failure", message, SetupError=message, FailsTask=True))
                if state["State"] != "dead":
                    state.update(State="dead", Failed=True, FinishedAt=now_rfc3339())
        self.update_alloc(apply)

    # -- stop order -----------------------------------------------------------------
    def _shutdown(self) -> None:
        """Deregister, shutdown_delay, kill tasks, then sidecars; release ports."""
        self.stopping.set()
        with self.ctx.store.lock:
            alloc = self.ctx.store.allocs.get(self.alloc_id)
            job, group_name = (alloc["Job"], alloc["TaskGroup"]) if alloc else ({}, "")
            shared_ports = alloc["AllocatedResources"]["Shared"]["Ports"] if alloc else []
        group = task_group(job, group_name) or {}
        self._deregister(self.group_registrations)
        group_delay = self.ctx.stop_limits.shutdown_delay(group.get("ShutdownDelay"))
        if group_delay and any(r.running for r in self.tasks.values()):
            self._skip_shutdown_delay.wait(group_delay / 1e9)
        tasks = {t["Name"]: t for t in group.get("Tasks") or []}
        self._stop_runners(self.tasks, tasks, deregister=True)
        self._stop_runners(self.sidecars, tasks, deregister=False)
        for runtime in self.runtimes:
            try:
                runtime.close()
            except Exception as exc:  # noqa: BLE001 - cleanup continues
                self.ctx.log(f"alloc {self.alloc_id[:8]}: sidecar close: {exc}")
        if self.service_identities is not None:
            for failure in self.service_identities.revoke_all():
                self.ctx.log(f"alloc {self.alloc_id[:8]}: {failure}")
        if self.network is not None:
            try:
                self.network.close()
            except Exception as exc:  # noqa: BLE001 - cleanup continues; the agent's shutdown sweeps the rest
                self.ctx.log(f"alloc {self.alloc_id[:8]}: network teardown: {exc}")
        self.ctx.ports.release(shared_ports, self.alloc_id)

        self.update_alloc(_finished)

    def _stop_runners(self, runners: dict[str, TaskRunner], tasks: dict, deregister: bool) -> None:
        def stop_one(name: str, runner: TaskRunner) -> None:
            if deregister:
                self._deregister(self.task_registrations.get(name, []))
            delay = (tasks.get(name) or {}).get("ShutdownDelay") or 0
            if delay and runner.running:
                self._shutdown_delay(name, delay)
            runner.stop(self._stop_reason)
        threads = [threading.Thread(target=stop_one, args=item, daemon=True) for item in runners.items()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _shutdown_delay(self, task_name: str, delay_ns: int) -> None:
        """Wait a task's shutdown_delay (capped by the agent's stop limits), or skip it as NoShutdownDelay does."""
        if self._skip_shutdown_delay.is_set():
            self._task_sink(task_name)({}, ev.task_event(
                ev.SKIPPING_SHUTDOWN_DELAY, f"Skipping shutdown_delay of {format_go_duration(delay_ns)} before killing the task."))
            return
        wait_ns = self.ctx.stop_limits.shutdown_delay(delay_ns)
        self._task_sink(task_name)({}, ev.task_event(
            ev.SHUTDOWN_DELAY, f"Waiting for shutdown_delay of {format_go_duration(wait_ns)} before killing the task."))
        self._skip_shutdown_delay.wait(wait_ns / 1e9)

    def _deregister(self, payloads: list[dict]) -> None:
        for payload in payloads:
            ids = ([payload["ID"] + "-sidecar-proxy"] if has_sidecar(payload) else []) + [payload["ID"]]
            for service_id in ids:
                try:
                    self.ctx.consul.deregister_service(service_id)
                except ConsulError as exc:
                    self.ctx.log(f"alloc {self.alloc_id[:8]}: deregister {service_id}: {exc}")
