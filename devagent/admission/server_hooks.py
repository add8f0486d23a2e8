"""Nomad's smaller admission hooks as a dev agent (no Vault, no ACLs, no Enterprise) runs them."""

from __future__ import annotations

from devagent.admission.go_text import quote
from devagent.admission.multierror import MultiError

JOB_MIN_PRIORITY, JOB_MAX_PRIORITY, JOB_DEFAULT_PRIORITY = 1, 100, 50


def canonicalize_priority(job: dict) -> None:
    """The canonicalize mutator's fallback: priority 0 becomes the server's default (50)."""
    if not job.get("Priority"):
        job["Priority"] = JOB_DEFAULT_PRIORITY


def vault_mutate(job: dict) -> tuple[dict, list]:
    """jobVaultHook.Mutate: a vault block without a cluster uses "default"."""
    for task in _tasks(job):
        if task.get("Vault") is not None and not task["Vault"].get("Cluster"):
            task["Vault"]["Cluster"] = "default"
    return job, []


def vault_validate(job: dict) -> tuple[list, str | None]:
    """jobVaultHook.Validate on an agent without a vault block: any vault use is an error."""
    for task in _tasks(job):
        if task.get("Vault") is not None:
            return [], f"Vault {quote(task['Vault'].get('Cluster') or '')} not enabled but used in the job"
    return [], None


def consul_mutate(job: dict) -> tuple[dict, list]:
    """jobConsulHook.Mutate: cluster "default" where unset, partition constraints."""
    for group in job.get("TaskGroups") or []:
        _default_consul_block(group)
        for service in group.get("Services") or []:
            _default_service_cluster(service)
        for task in group.get("Tasks") or []:
            _default_consul_block(task)
            for service in task.get("Services") or []:
                _default_service_cluster(service)
    return job, []


def _default_consul_block(owner: dict) -> None:
    consul = owner.get("Consul")
    if consul is None:
        return
    if not consul.get("Cluster"):
        consul["Cluster"] = "default"
    if consul.get("Partition"):
        attr = ("${attr.consul.partition}" if consul["Cluster"] == "default"
                else "${attr.consul." + consul["Cluster"] + ".partition}")
        owner["Constraints"] = (owner.get("Constraints") or []) + [
            {"LTarget": attr, "RTarget": consul["Partition"], "Operand": "="}]


def _default_service_cluster(service: dict) -> None:
    if service.get("Provider") in ("consul", "", None) and not service.get("Cluster"):
        service["Cluster"] = "default"


def consul_validate(job: dict) -> tuple[list, str | None]:
    """jobConsulHook.Validate (CE): only the default cluster; task and group partitions agree."""
    enterprise = "non-default Consul cluster requires Nomad Enterprise"
    for group in job.get("TaskGroups") or []:
        group_partition = ""
        if group.get("Consul") is not None:
            group_partition = group["Consul"].get("Partition") or ""
            if group["Consul"].get("Cluster") != "default":
                return [], enterprise
        for service in group.get("Services") or []:
            if service.get("Provider") == "consul" and service.get("Cluster") != "default":
                return [], enterprise
        for task in group.get("Tasks") or []:
            for service in task.get("Services") or []:
                if service.get("Provider") == "consul" and service.get("Cluster") != "default":
                    return [], enterprise
            consul = task.get("Consul")
            if consul is not None:
                partition = consul.get("Partition") or ""
                if partition and group_partition and partition != group_partition:
                    return [], (f"task.consul.partition {quote(partition)} must match group.consul.partition "
                                f"{quote(group_partition)} if both are set")
                if consul.get("Cluster") != "default":
                    return [], enterprise
    return [], None


def node_pool_mutate(job: dict) -> tuple[dict, list]:
    """jobNodePoolMutatingHook: no pool means "default"."""
    if not job.get("NodePool"):
        job["NodePool"] = "default"
    return job, []


def node_pool_validate(job: dict, pools: tuple[str, ...] = ("default", "all")) -> tuple[list, str | None]:
    """jobNodePoolValidatingHook: the pool must exist (a dev agent has the built-in "default" and "all")."""
    if job.get("NodePool") not in pools:
        return [], f"job {quote(job.get('ID') or '')} is in nonexistent node pool {quote(job.get('NodePool') or '')}"
    return [], None


def namespace_validate(job: dict, namespaces: tuple[str, ...] = ("default",)) -> tuple[list, str | None]:
    """jobNamespaceConstraintCheckHook: the namespace must exist (the default namespace has no capabilities)."""
    if job.get("Namespace") not in namespaces:
        return [], f"job {quote(job.get('ID') or '')} is in nonexistent namespace {quote(job.get('Namespace') or '')}"
    return [], None


def implicit_identities_mutate(job: dict) -> tuple[dict, list]:
    """jobImplicitIdentitiesHook with no identity config: name given service identities, pin the client version."""
    for group in job.get("TaskGroups") or []:
        has_identity = False
        for service in group.get("Services") or []:
            has_identity = _name_service_identity(service) or has_identity
        for task in group.get("Tasks") or []:
            for service in task.get("Services") or []:
                has_identity = _name_service_identity(service) or has_identity
            has_identity = has_identity or bool(task.get("Identities"))
        if has_identity:
            group["Constraints"] = (group.get("Constraints") or []) + [
                {"LTarget": "${attr.nomad.version}", "RTarget": ">= 1.7.0-a", "Operand": "semver"}]
    return job, []


def _name_service_identity(service: dict) -> bool:
    if service.get("Provider") not in ("", "consul", None) or service.get("Identity") is None:
        return service.get("Identity") is not None
    prefix = "consul-service"
    port = service.get("PortLabel") or ""
    task = service.get("TaskName") or ""
    name = f"{prefix}_{task}-{service['Name']}-{port}" if task else f"{prefix}_{service['Name']}-{port}"
    service["Identity"].update(Name=name, ServiceName=service["Name"])
    return True


def numa_validate(job: dict) -> tuple[list, str | None]:
    """jobNumaHook (CE)."""
    for task in _tasks(job):
        numa = (task.get("Resources") or {}).get("NUMA")
        if numa is not None and numa.get("Affinity") != "none":
            return [], "numa scheduling requires Nomad Enterprise"
    return [], None


def schedule_validate(job: dict) -> tuple[list, str | None]:
    """jobSchedHook (CE)."""
    if any(task.get("Schedule") is not None for task in _tasks(job)):
        return [], "task schedules requires Nomad Enterprise"
    return [], None


def memory_oversubscription_validate(job: dict) -> tuple[list, str | None]:
    """memoryOversubscriptionValidate with the default scheduler config (oversubscription off)."""
    warnings = []
    for group in job.get("TaskGroups") or []:
        for task in group.get("Tasks") or []:
            if (task.get("Resources") or {}).get("MemoryMaxMB"):
                warnings.append(f'Memory oversubscription is not enabled; Task "{group["Name"]}.{task["Name"]}" '
                                "memory_max value will be ignored. Update the Scheduler Configuration to allow "
                                "oversubscription.")
    return warnings, None


def job_validate(job: dict) -> tuple[list, MultiError | None]:
    """jobValidate: structs.Job.Validate and Warnings, plus the server's own job-level checks."""
    errors = MultiError()
    warnings: list = []
    try:
        from devagent.admission.job_validate import validate_job
    except ImportError:  # the structs validation is another module; without it only the server checks run
        validate_job = None
    if validate_job is not None:
        error, job_warnings = validate_job(job)
        errors.append(error)
        warnings.extend(job_warnings)
    if job.get("Type") == "_core":
        errors.append("job type cannot be core")
    if job.get("Payload"):
        errors.append("job can't be submitted with a payload, only dispatched")
    if not JOB_MIN_PRIORITY <= (job.get("Priority") or 0) <= JOB_MAX_PRIORITY:
        errors.append(f"job priority must be between [{JOB_MIN_PRIORITY}, {JOB_MAX_PRIORITY}]")
    for group in job.get("TaskGroups") or []:
        for service in group.get("Services") or []:
            errors.append(_service_identity_error(service, f"task group {group['Name']}"))
        for task in group.get("Tasks") or []:
            for service in task.get("Services") or []:
                errors.append(_service_identity_error(service, f"task {task['Name']}"))
            vault_warnings, vault_error = _vault_identity(task)
            warnings.extend(vault_warnings)
            errors.append(vault_error)
    return warnings, errors.error_or_none()


def _service_identity_error(service: dict, parent: str) -> str | None:
    identity = service.get("Identity")
    if identity is not None and not identity.get("Name"):
        return f"Service {service['Name']} in {parent} has an identity with an empty name"
    return None


def _vault_identity(task: dict) -> tuple[list, str | None]:
    vault = task.get("Vault")
    identities = task.get("Identities") or []
    if vault is None:
        return [f"Task {task['Name']} has an identity called {i['Name']} but no vault block"
                for i in identities if (i.get("Name") or "").startswith("vault_")], None
    cluster = vault.get("Cluster") or ""
    name = f"vault_{cluster}"
    if not any(i.get("Name") == name for i in identities):
        if cluster != "default":
            return [], (f"Task {task['Name']} uses Vault cluster {cluster} but does not have an identity named {name} "
                        "and no default identity is provided in agent configuration")
        if not vault.get("Policies"):
            return [], f"Task {task['Name']} has a Vault block with an empty list of policies"
        return [], None
    if vault.get("Policies"):
        return [f"Task {task['Name']} has a Vault block with policies but uses workload identity to authenticate "
                "with Vault, policies will be ignored"], None
    return [], None


def _tasks(job: dict) -> list[dict]:
    return [t for g in job.get("TaskGroups") or [] for t in g.get("Tasks") or []]
