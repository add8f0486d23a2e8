"""Nomad's HTTP API routes, answered from the agent's state."""

from __future__ import annotations

import base64
import copy
import os

from devagent.admission.pipeline import AdmissionError, RequestError, regions_for_job, validate_response
from devagent.agent import Agent
from devagent.deployment_watcher import DeploymentRefused, is_active
from devagent.http_server import ApiRequest, HttpError, Response, Router
from devagent.jobmodel import same_spec
from devagent.node_view import node_stub, node_view
from devagent import request_decode as requests_
from devagent.jobspec.json_types import go_field
from devagent.resources import show_capacity
from devagent.scheduler import SchedulerError
from devagent.views import alloc_stub, job_stub, job_summary, job_view, public

LEADER = "127.0.0.1:4647"


class NomadApi:
    """Handlers for the /v1 endpoints devagent serves."""

    def __init__(self, agent: Agent):
        self.agent = agent
        self.store = agent.store
        self.scheduler = agent.scheduler

    def router(self) -> Router:
        """All routes."""
        r = Router(self.store)
        r.add("GET", "/v1/status/leader", lambda req: LEADER)
        r.add("GET", "/v1/status/peers", lambda req: [LEADER])
        r.add("GET", "/v1/regions", lambda req: [self.agent.config.region])
        r.add("GET", "/v1/agent/self", lambda req: self.agent.self_info())
        r.add("GET", "/v1/agent/health", lambda req: {"client": {"ok": True, "message": "ok"},
                                                     "server": {"ok": True, "message": "ok"}})
        r.add("GET", "/v1/agent/members", self.members)
        r.add("GET", "/v1/nodes", self.nodes)
        r.add("GET", "/v1/node/:id", self.node)
        r.add("GET", "/v1/jobs", self.list_jobs)
        r.add("POST", "/v1/jobs", self.register_jobs)
        r.add("PUT", "/v1/jobs", self.register_jobs)
        r.add("POST", "/v1/jobs/parse", self.parse)
        r.add("POST", "/v1/validate/job", self.validate_job)
        r.add("PUT", "/v1/validate/job", self.validate_job)
        r.add("PUT", "/v1/jobs/parse", self.parse)
        r.add("GET", "/v1/job/:id", self.get_job)
        r.add("POST", "/v1/job/:id", self.register_job)
        r.add("PUT", "/v1/job/:id", self.register_job)
        r.add("DELETE", "/v1/job/:id", self.deregister)
        r.add("POST", "/v1/job/:id/plan", self.plan)
        r.add("PUT", "/v1/job/:id/plan", self.plan)
        r.add("POST", "/v1/job/:id/evaluate", self.evaluate)
        r.add("POST", "/v1/job/:id/revert", self.revert)
        r.add("PUT", "/v1/job/:id/revert", self.revert)
        r.add("POST", "/v1/job/:id/stable", self.stable)
        r.add("PUT", "/v1/job/:id/stable", self.stable)
        r.add("GET", "/v1/job/:id/versions", self.versions)
        r.add("GET", "/v1/job/:id/allocations", self.job_allocations)
        r.add("GET", "/v1/job/:id/evaluations", self.job_evaluations)
        r.add("GET", "/v1/job/:id/deployment", self.job_deployment)
        r.add("GET", "/v1/job/:id/deployments", self.job_deployments)
        r.add("GET", "/v1/job/:id/summary", self.summary)
        r.add("GET", "/v1/deployments", self.list_deployments)
        r.add("GET", "/v1/deployment/:id", self.get_deployment)
        r.add("GET", "/v1/deployment/allocations/:id", self.deployment_allocations)
        for method in ("POST", "PUT"):
            r.add(method, "/v1/deployment/fail/:id", self.fail_deployment)
            r.add(method, "/v1/deployment/promote/:id", self.promote_deployment)
            r.add(method, "/v1/deployment/pause/:id", self.pause_deployment)
            r.add(method, "/v1/deployment/allocation-health/:id", self.deployment_allocation_health)
        r.add("GET", "/v1/allocations", self.list_allocations)
        r.add("GET", "/v1/allocation/:id", self.get_allocation)
        r.add("POST", "/v1/allocation/:id/stop", self.stop_allocation)
        r.add("PUT", "/v1/allocation/:id/stop", self.stop_allocation)
        r.add("GET", "/v1/evaluations", self.list_evaluations)
        r.add("GET", "/v1/evaluation/:id", self.get_evaluation)
        r.add("GET", "/v1/evaluation/:id/allocations", self.evaluation_allocations)
        r.add("GET", "/v1/client/fs/logs/:id", self.logs)
        return r

    # -- helpers ----------------------------------------------------------------------
    def _allocs(self) -> list[dict]:
        return list(self.store.allocs.values())

    def _job(self, job_id: str) -> dict:
        job = self.store.jobs.get(job_id)
        if job is None:
            raise HttpError(404, "job not found")
        return job

    @staticmethod
    def _by_prefix(items, prefix: str, key: str = "ID"):
        return [i for i in items if i[key].startswith(prefix)]

    @staticmethod
    def _newest_first(items) -> list[dict]:
        return sorted(items, key=lambda i: -i["CreateIndex"])

    def _list_table(self, table: dict, req: ApiRequest):
        """A /v1/<things>?prefix= listing: matching items, newest first."""
        with self.store.lock:
            return self._snap(self._newest_first(self._by_prefix(table.values(), req.query.get("prefix", ""))))

    def _alloc_stubs(self, field: str, value: str) -> list[dict]:
        return [alloc_stub(a) for a in self._allocs() if a.get(field) == value]

    @staticmethod
    def _job_body(req: ApiRequest, request=requests_.JOB_REGISTER) -> dict:
        body = requests_.check_request(req.json(), request)
        if not isinstance(body.get("Job"), dict):
            raise HttpError(400, "Job must be specified")
        return body

    def _lookup(self, table: dict, item_id: str, what: str) -> dict:
        item = table.get(item_id)
        if item is None:
            matches = [v for k, v in table.items() if k.startswith(item_id)] if len(item_id) >= 2 else []
            if len(matches) != 1:
                raise HttpError(404, f"{what} not found")
            item = matches[0]
        return item

    def _snap(self, value):
        return self.store.snapshot(value)

    # -- agent ------------------------------------------------------------------------
    def members(self, req: ApiRequest):
        cfg = self.agent.config
        return {"ServerName": self.agent.member()["Name"], "ServerRegion": cfg.region, "ServerDC": cfg.datacenter,
                "Members": [self.agent.member()]}

    def _node_view(self) -> dict:
        cfg = self.agent.config
        return show_capacity(node_view(self.agent.ctx.node, self.scheduler.placement_node()["Attributes"], cfg.bind,
                                       cfg.http_port), self.scheduler.capacity())

    def nodes(self, req: ApiRequest):
        """GET /v1/nodes: node stubs; ?resources=true and ?os=true add what Nomad adds."""
        view = self._node_view()
        if not view["ID"].startswith(req.query.get("prefix", "")):
            return []
        return [node_stub(view, req.flag("resources"), req.flag("os"))]

    def node(self, req: ApiRequest):
        view = self._node_view()
        if not view["ID"].startswith(req.params["id"]):
            raise HttpError(404, "node not found")
        return view

    # -- jobs -------------------------------------------------------------------------
    def list_jobs(self, req: ApiRequest):
        with self.store.lock:
            jobs = self._by_prefix(self.store.jobs.values(), req.query.get("prefix", ""))
            allocs = self._allocs()
            return self._snap(sorted((job_stub(j, allocs) for j in jobs), key=lambda s: s["ID"]))

    def register_jobs(self, req: ApiRequest):
        return self._register(req, self._register_body(req, ""))

    def register_job(self, req: ApiRequest):
        return self._register(req, self._register_body(req, req.params["id"]))

    def _register_body(self, req: ApiRequest, job_id: str) -> dict:
        """The agent's jobUpdate checks, in Nomad's order and with its texts, before admission."""
        body = self._job_body(req)
        job = body["Job"]
        if go_field(job, "ID") is None:
            raise HttpError(400, "Job ID hasn't been provided")
        if job_id and go_field(job, "ID") != job_id:
            raise HttpError(400, "Job ID does not match name")
        groups = go_field(job, "TaskGroups")
        if go_field(job, "Type") == "system" and any(isinstance(g, dict) and go_field(g, "Scaling") is not None
                                                     for g in (groups if isinstance(groups, list) else [])):
            raise HttpError(400, "Task groups with job type system do not support scaling blocks")
        priority = body.get("EvalPriority") or 0
        if priority and (not isinstance(priority, int) or not 1 <= priority <= 100):
            raise HttpError(400, "Eval priority must be between 1 and 100 inclusively")
        return body

    @staticmethod
    def _request_namespace(req: ApiRequest, body: dict) -> str:
        """namespaceForJob's overrides: ?namespace= first, then the request body's Namespace."""
        return req.query.get("namespace") or (body.get("Namespace") if isinstance(body.get("Namespace"), str) else "")

    def _check_region(self, req: ApiRequest, body: dict) -> None:
        """regionForJob, then the RPC's forward: a region other than this agent's has no path, as on a Nomad
        without federation."""
        agent = self.agent.config.region
        forwarded, _ = regions_for_job(body["Job"], agent, req.query.get("region", ""), body.get("Region") or "")
        if forwarded != agent:
            raise HttpError(500, "No path to region")

    def _register(self, req: ApiRequest, body: dict):
        self._check_region(req, body)
        try:
            return self.scheduler.register(body["Job"], bool(body.get("EnforceIndex")),
                                           int(body.get("JobModifyIndex") or 0),
                                           preserve_counts=bool(body.get("PreserveCounts")),
                                           namespace=self._request_namespace(req, body),
                                           eval_priority=body.get("EvalPriority") or 0)
        except SchedulerError as exc:
            raise HttpError(exc.status, str(exc)) from exc

    def parse(self, req: ApiRequest):
        """POST /v1/jobs/parse with Nomad's JobsParseRequest texts ("Job spec is empty", "Failed to parse job: ...")."""
        body = requests_.check_request(req.json(), requests_.JOBS_PARSE)
        if not isinstance(body, dict) or not body.get("JobHCL"):
            raise HttpError(400, "Job spec is empty")
        if not isinstance(body["JobHCL"], str) or not isinstance(body.get("Variables") or "", str):
            raise HttpError(400, "json: cannot unmarshal into Go struct field JobsParseRequest of type string")
        try:
            from devagent.jobspec import JobspecError, parse_jobspec
        except ImportError as exc:
            raise HttpError(500, f"jobspec parser unavailable: {exc}") from exc
        try:
            return parse_jobspec(body["JobHCL"], canonicalize=bool(body.get("Canonicalize")),
                                 variables=body.get("Variables") or None)
        except JobspecError as exc:
            raise HttpError(400, f"Failed to parse job: {exc}") from exc

    def validate_job(self, req: ApiRequest):
        """POST /v1/validate/job: Nomad's JobValidateResponse; a mutator error is a 500 as on Nomad."""
        body = requests_.check_request(req.json(), requests_.JOB_VALIDATE)
        if not isinstance(body.get("Job"), dict):
            raise HttpError(400, "Job must be specified")
        # parseRegion: ?region= over the body's; the RPC is forwarded by it, whatever the job's own region
        if (req.query.get("region") or body.get("Region") or self.agent.config.region) != self.agent.config.region:
            raise HttpError(500, "No path to region")
        try:
            return validate_response(body["Job"])
        except RequestError as exc:
            raise HttpError(400, str(exc)) from exc
        except AdmissionError as exc:
            raise HttpError(500, str(exc)) from exc

    def get_job(self, req: ApiRequest):
        with self.store.lock:
            return self._snap(job_view(self._job(req.params["id"]), self._allocs()))

    def deregister(self, req: ApiRequest):
        if req.params["id"] not in self.store.jobs:  # Nomad: nothing to do, an empty reply
            return {"EvalID": "", "EvalCreateIndex": 0, "JobModifyIndex": 0, "VolumeEvalID": "", "VolumeEvalIndex": 0,
                    "Index": 0}
        try:
            reply = self.scheduler.deregister(req.params["id"], req.flag("purge"))
        except SchedulerError as exc:
            raise HttpError(exc.status, str(exc)) from exc
        if req.flag("no_shutdown_delay"):
            self.scheduler.skip_shutdown_delays(req.params["id"])
        return reply

    def evaluate(self, req: ApiRequest):
        try:
            evaluation = self.scheduler.evaluate(req.params["id"])
        except SchedulerError as exc:
            raise HttpError(exc.status, str(exc)) from exc
        return {"EvalID": evaluation["ID"], "EvalCreateIndex": evaluation["CreateIndex"],
                "JobModifyIndex": evaluation["JobModifyIndex"], "Index": self.store.index}

    def _version_arg(self, req: ApiRequest, request) -> tuple[dict, dict, int]:
        body = requests_.check_request(req.json(), request)
        if not isinstance(body, dict) or not isinstance(body.get("JobVersion"), int):
            raise HttpError(400, "JobVersion must be specified")
        job = self._job(req.params["id"])
        versions = self.store.job_versions.get(job["ID"], {})
        if body["JobVersion"] not in versions:
            raise HttpError(500, f"job {job['ID']!r} in namespace \"default\" at version {body['JobVersion']} not found")
        return body, job, body["JobVersion"]

    def revert(self, req: ApiRequest):
        with self.store.lock:
            body, job, version = self._version_arg(req, requests_.JOB_REVERT)
            if version == job["Version"]:
                raise HttpError(500, "can't revert to current version")
            prior = body.get("EnforcePriorVersion")
            if prior is not None and prior != job["Version"]:
                raise HttpError(500, f"current job has version {job['Version']}; enforcing version {prior}")
            try:  # register() canonicalizes a copy; the stored version is not changed
                return self.scheduler.register(self.store.job_versions[job["ID"]][version], triggered_by="job-register")
            except SchedulerError as exc:
                raise HttpError(exc.status, str(exc)) from exc

    def stable(self, req: ApiRequest):
        with self.store.lock:
            body, job, version = self._version_arg(req, requests_.JOB_STABILITY)
            index = self.scheduler.set_stable(job["ID"], version, bool(body.get("Stable")))
            return {"JobModifyIndex": index, "Index": index}

    def plan(self, req: ApiRequest):
        body = self._job_body(req, requests_.JOB_PLAN)
        if go_field(body["Job"], "ID") is None:
            raise HttpError(400, "Job must have a valid ID")
        if go_field(body["Job"], "ID") != req.params["id"]:
            raise HttpError(400, "Job ID does not match")
        self._check_region(req, body)
        try:
            admitted = self.scheduler.prepare_job(body["Job"], self._request_namespace(req, body))
            return self._plan(admitted.job, bool(body.get("Diff")), admitted.warnings_text())  # no ?diff= on Nomad
        except SchedulerError as exc:
            raise HttpError(exc.status, str(exc)) from exc

    def _plan(self, job: dict, want_diff: bool, warnings: str = "") -> dict:
        with self.store.lock:
            existing = self.store.jobs.get(job["ID"])
            if existing is not None and same_spec(existing, job):
                planned, deployment = existing, self.scheduler.current_deployment(existing)
            else:
                planned = dict(job, Version=existing["Version"] + 1 if existing else 0, JobModifyIndex=None,
                               CreateIndex=existing["CreateIndex"] if existing else None)
                deployment = {"ID": "", "Status": "running"} if self.scheduler.wants_deployment(job) else None
            plans = self.scheduler.plan_groups(planned, deployment)
            failed = {p.group: p.failure for p in plans if p.failure} | self.scheduler.resource_failures(planned, plans)
            response = {
                "Index": self.store.index, "JobModifyIndex": existing["JobModifyIndex"] if existing else 0,
                "CreatedEvals": None, "FailedTGAllocs": failed or None, "Warnings": warnings,
                "Annotations": {"DesiredTGUpdates": _desired_updates(plans), "PreemptedAllocs": None},
                "NextPeriodicLaunch": "0001-01-01T00:00:00Z", "Diff": None,
            }
            if want_diff:  # as Job.Plan: the diff, then scheduler.Annotate with the plan's desired updates
                from devagent.plan_diff import annotate_diff, diff_jobs
                response["Diff"] = annotate_diff(diff_jobs(copy.deepcopy(existing) if existing else None,
                                                           copy.deepcopy(job), contextual=True),
                                                 response["Annotations"]["DesiredTGUpdates"])
            return self._snap(response)

    def versions(self, req: ApiRequest):
        with self.store.lock:
            self._job(req.params["id"])
            versions = self.store.job_versions.get(req.params["id"], {})
            ordered = self._snap([versions[v] for v in sorted(versions, reverse=True)])
        diffs = None
        if req.flag("diffs"):
            from devagent.plan_diff import diff_jobs
            diffs = [diff_jobs(older, newer, contextual=True) for newer, older in zip(ordered, ordered[1:])]
        return {"Versions": ordered, "Diffs": diffs}

    def job_allocations(self, req: ApiRequest):
        with self.store.lock:
            allocs = [a for a in self._allocs() if a["JobID"] == req.params["id"]]
            job = self.store.jobs.get(req.params["id"])
            if job is not None and not req.flag("all"):  # AllocsByJob: this job's, not a purged namesake's
                allocs = [a for a in allocs if a["Job"].get("CreateIndex") == job.get("CreateIndex")]
            return self._snap([alloc_stub(a) for a in self._newest_first(allocs)])

    def job_evaluations(self, req: ApiRequest):
        with self.store.lock:
            evals = [e for e in self.store.evals.values() if e["JobID"] == req.params["id"]]
            return self._snap(self._newest_first(evals))

    def _job_deployments(self, job_id: str, include_old: bool = False) -> list[dict]:
        """Newest first; only those of the current job (a purged and re-registered job starts afresh)."""
        job = self.store.jobs.get(job_id)
        return self._newest_first(d for d in self.store.deployments.values() if d["JobID"] == job_id
                                  and (include_old or job is None or d["JobCreateIndex"] == job["CreateIndex"]))

    def job_deployment(self, req: ApiRequest):
        with self.store.lock:
            deployments = self._job_deployments(req.params["id"])
            return self._snap(deployments[0] if deployments else None)

    def job_deployments(self, req: ApiRequest):
        with self.store.lock:
            return self._snap(self._job_deployments(req.params["id"], include_old=req.flag("all")))

    def summary(self, req: ApiRequest):
        with self.store.lock:
            return self._snap(job_summary(self._job(req.params["id"]), self._allocs()))

    # -- deployments ----------------------------------------------------------------
    def list_deployments(self, req: ApiRequest):
        return self._list_table(self.store.deployments, req)

    def get_deployment(self, req: ApiRequest):
        with self.store.lock:
            return self._snap(self._lookup(self.store.deployments, req.params["id"], "deployment"))

    def deployment_allocations(self, req: ApiRequest):
        with self.store.lock:
            deployment = self._lookup(self.store.deployments, req.params["id"], "deployment")
            return self._snap(self._alloc_stubs("DeploymentID", deployment["ID"]))

    # Deployment writes answer as Nomad's agent does: a body whose DeploymentID must match the
    # path (400), an unknown or terminal deployment or a refused request is a 500 with Nomad's text.
    def _deployment_for_write(self, req: ApiRequest, with_body: bool = True, request=None) -> tuple[dict, dict]:
        body = {}
        if with_body:
            body = req.json()
            if request is not None:
                body = requests_.check_request(body, request)
            if not isinstance(body, dict):
                raise HttpError(400, "json: cannot unmarshal into the request")
            if not body.get("DeploymentID"):
                raise HttpError(400, "DeploymentID must be specified")
            if body["DeploymentID"] != req.params["id"]:
                raise HttpError(400, "Deployment ID does not match")
        deployment = self.store.deployments.get(req.params["id"])
        if deployment is None:
            raise HttpError(500, "deployment not found")
        return deployment, body

    def _deployment_update(self, deployment: dict, reverted: int | None = None) -> dict:
        evals = [e for e in self.store.evals.values() if e["JobID"] == deployment["JobID"]]
        newest = max(evals, key=lambda e: e["CreateIndex"], default=None)
        return {"EvalID": newest["ID"] if newest else "", "EvalCreateIndex": newest["CreateIndex"] if newest else 0,
                "DeploymentModifyIndex": deployment["ModifyIndex"], "RevertedJobVersion": reverted,
                "Index": self.store.index}

    def fail_deployment(self, req: ApiRequest):
        with self.store.lock:
            deployment, _ = self._deployment_for_write(req, with_body=False)
            if not is_active(deployment):
                raise HttpError(500, "can't fail terminal deployment")
            reverted = self.agent.watcher.fail(deployment)
            return self._deployment_update(deployment, reverted)

    def promote_deployment(self, req: ApiRequest):
        with self.store.lock:
            deployment, body = self._deployment_for_write(req, request=requests_.DEPLOYMENT_PROMOTE)
            groups = body.get("Groups") or []
            if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
                raise HttpError(400, "Groups must be a list of task group names")
            try:
                self.agent.watcher.promote(deployment, None if body.get("All") else groups)
            except DeploymentRefused as exc:
                raise HttpError(500, str(exc)) from exc
            return self._deployment_update(deployment)

    def pause_deployment(self, req: ApiRequest):
        with self.store.lock:
            deployment, body = self._deployment_for_write(req, request=requests_.DEPLOYMENT_PAUSE)
            try:
                self.agent.watcher.pause(deployment, bool(body.get("Pause")))
            except DeploymentRefused as exc:
                raise HttpError(500, str(exc)) from exc
            return self._deployment_update(deployment)

    def deployment_allocation_health(self, req: ApiRequest):
        with self.store.lock:
            deployment, body = self._deployment_for_write(req, request=requests_.DEPLOYMENT_ALLOC_HEALTH)
            healthy = body.get("HealthyAllocationIDs") or []
            unhealthy = body.get("UnhealthyAllocationIDs") or []
            if not healthy and not unhealthy:
                raise HttpError(500, "must specify at least one healthy/unhealthy allocation ID")
            if not is_active(deployment):
                raise HttpError(500, "can't set health of allocations for a terminal deployment")
            try:
                reverted = self.agent.watcher.set_alloc_health(deployment, list(healthy), list(unhealthy))
            except DeploymentRefused as exc:
                raise HttpError(500, str(exc)) from exc
            return self._deployment_update(deployment, reverted)

    # -- allocations and evaluations --------------------------------------------------
    def list_allocations(self, req: ApiRequest):
        with self.store.lock:
            items = self._by_prefix(self._allocs(), req.query.get("prefix", ""))
            return self._snap([alloc_stub(a, req.flag("resources")) for a in self._newest_first(items)])

    def get_allocation(self, req: ApiRequest):
        with self.store.lock:
            return self._snap(public(self._lookup(self.store.allocs, req.params["id"], "alloc")))

    def stop_allocation(self, req: ApiRequest):
        with self.store.lock:
            alloc = self._lookup(self.store.allocs, req.params["id"], "alloc")
            evaluation = self.scheduler.stop_allocation(alloc["ID"], no_shutdown_delay=req.flag("no_shutdown_delay"))
            return {"EvalID": evaluation["ID"] if evaluation else "", "Index": self.store.index}

    def list_evaluations(self, req: ApiRequest):
        return self._list_table(self.store.evals, req)

    def get_evaluation(self, req: ApiRequest):
        with self.store.lock:
            return self._snap(self._lookup(self.store.evals, req.params["id"], "eval"))

    def evaluation_allocations(self, req: ApiRequest):
        with self.store.lock:
            evaluation = self._lookup(self.store.evals, req.params["id"], "eval")
            return self._snap(self._alloc_stubs("EvalID", evaluation["ID"]))

    # -- logs -------------------------------------------------------------------------
    def logs(self, req: ApiRequest):
        with self.store.lock:
            alloc = self._lookup(self.store.allocs, req.params["id"], "alloc")
        task = req.query.get("task", "")
        if not task:
            raise HttpError(400, "must include task name")
        if task not in alloc["TaskStates"]:
            raise HttpError(400, f"unknown task name {task!r}")
        kind = req.query.get("type", "")
        if kind not in ("stdout", "stderr"):
            raise HttpError(400, 'must include type: "stdout" or "stderr"')
        path = self.agent.config.data_dir / "alloc" / alloc["ID"] / "alloc" / "logs" / f"{task}.{kind}.0"
        data = path.read_bytes() if path.exists() else b""
        try:
            offset = int(req.query.get("offset") or 0)
        except ValueError as exc:
            raise HttpError(400, "invalid offset") from exc
        if req.query.get("origin", "start") == "end":
            start = max(len(data) - offset, 0)
        else:
            start = min(offset, len(data))
        chunk = data[start:]
        if req.flag("plain"):
            return Response(chunk, raw=True, content_type="text/plain; charset=utf-8")
        return {"Data": base64.b64encode(chunk).decode(), "File": os.path.join("alloc", "logs", path.name),
                "Offset": len(data)}


def _desired_updates(plans) -> dict:
    """PlanAnnotations.DesiredTGUpdates: each group's plan, and a group gone from the job with its allocations to stop."""
    updates = {plan.group: plan.annotation() for plan in plans if plan.group}
    for plan in plans:
        if not plan.group:
            for alloc in plan.stop:
                gone = updates.setdefault(alloc["TaskGroup"], {key: 0 for key in plan.annotation()})
                gone["Stop"] += 1
    return updates
