"""Which HCL blocks and attributes the jobspec accepts, and their Nomad JSON names.

Names follow the `hcl:` / `mapstructure:` tags of hashicorp/nomad api/*.go.
Value kinds: str, int, bool, float, dur (Go duration -> ns), strs (list of str),
ints (list of int), any (kept as written).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Nested:
    """A nested block: the JSON field it fills and how."""

    json: str
    spec: "BlockSpec | None" = None
    kind: str = "struct"  # struct | map (string map) | list_map (map of string lists) | freeform
    repeated: bool = False
    label: str | None = None  # JSON field that receives the block's single label


@dataclass(frozen=True)
class BlockSpec:
    """The attributes and nested blocks one block type accepts."""

    attributes: dict = field(default_factory=dict)
    blocks: dict = field(default_factory=dict)


def _map(json):
    return Nested(json, kind="map")


def _freeform(json):
    return Nested(json, kind="freeform")


# Blocks Nomad knows but devagent does not implement: rejected by name, never dropped.
UNSUPPORTED_BLOCKS = {
    "vault", "volume", "volume_mount", "csi_plugin", "scaling", "identity", "secret", "action",
    "schedule", "device", "gateway", "transparent_proxy", "multiregion", "periodic",
    "change_script", "dispatch_payload", "variable", "locals", "variables", "numa", "ui",
}

# Shorthand attributes of constraint/affinity: `regexp = "x"` means Operand "regexp", RTarget "x".
OPERATOR_SHORTHANDS = ("version", "semver", "regexp", "set_contains", "set_contains_any", "set_contains_all")
CONSTRAINT = BlockSpec(
    attributes={
        "attribute": ("LTarget", "str"),
        "value": ("RTarget", "str"),
        "operator": ("Operand", "str"),
        "distinct_hosts": ("distinct_hosts", "bool"),
        "distinct_property": ("distinct_property", "str"),
        **{name: (name, "str") for name in OPERATOR_SHORTHANDS},
    }
)
AFFINITY = BlockSpec(
    attributes={
        "attribute": ("LTarget", "str"),
        "value": ("RTarget", "str"),
        "operator": ("Operand", "str"),
        "weight": ("Weight", "int"),
        **{name: (name, "str") for name in OPERATOR_SHORTHANDS},
    }
)
SPREAD_TARGET = BlockSpec(attributes={"percent": ("Percent", "int")})
SPREAD = BlockSpec(
    attributes={"attribute": ("Attribute", "str"), "weight": ("Weight", "int")},
    blocks={"target": Nested("SpreadTarget", SPREAD_TARGET, repeated=True, label="Value")},
)
UPDATE = BlockSpec(
    attributes={
        "stagger": ("Stagger", "dur"),
        "max_parallel": ("MaxParallel", "int"),
        "health_check": ("HealthCheck", "str"),
        "min_healthy_time": ("MinHealthyTime", "dur"),
        "healthy_deadline": ("HealthyDeadline", "dur"),
        "progress_deadline": ("ProgressDeadline", "dur"),
        "canary": ("Canary", "int"),
        "auto_revert": ("AutoRevert", "bool"),
        "auto_promote": ("AutoPromote", "bool"),
    }
)
MIGRATE = BlockSpec(
    attributes={
        "max_parallel": ("MaxParallel", "int"),
        "health_check": ("HealthCheck", "str"),
        "min_healthy_time": ("MinHealthyTime", "dur"),
        "healthy_deadline": ("HealthyDeadline", "dur"),
    }
)
RESTART = BlockSpec(
    attributes={
        "interval": ("Interval", "dur"),
        "attempts": ("Attempts", "int"),
        "delay": ("Delay", "dur"),
        "mode": ("Mode", "str"),
        "render_templates": ("RenderTemplates", "bool"),
    }
)
RESCHEDULE = BlockSpec(
    attributes={
        "attempts": ("Attempts", "int"),
        "interval": ("Interval", "dur"),
        "delay": ("Delay", "dur"),
        "delay_function": ("DelayFunction", "str"),
        "max_delay": ("MaxDelay", "dur"),
        "unlimited": ("Unlimited", "bool"),
    }
)
EPHEMERAL_DISK = BlockSpec(
    attributes={"sticky": ("Sticky", "bool"), "migrate": ("Migrate", "bool"), "size": ("SizeMB", "int")}
)
DISCONNECT = BlockSpec(
    attributes={
        "lost_after": ("LostAfter", "dur"),
        "stop_on_client_after": ("StopOnClientAfter", "dur"),
        "replace": ("Replace", "bool"),
        "reconcile": ("Reconcile", "str"),
    }
)
CONSUL = BlockSpec(
    attributes={"namespace": ("Namespace", "str"), "cluster": ("Cluster", "str"), "partition": ("Partition", "str")}
)
PORT = BlockSpec(
    attributes={"static": ("Value", "int"), "to": ("To", "int"), "host_network": ("HostNetwork", "str")}
)
DNS = BlockSpec(
    attributes={"servers": ("Servers", "strs"), "searches": ("Searches", "strs"), "options": ("Options", "strs")}
)
NETWORK = BlockSpec(
    attributes={"mode": ("Mode", "str"), "hostname": ("Hostname", "str"), "mbits": ("MBits", "int")},
    blocks={
        "port": Nested("DynamicPorts", PORT, repeated=True, label="Label"),
        "dns": Nested("DNS", DNS),
    },
)
CHECK_RESTART = BlockSpec(
    attributes={"limit": ("Limit", "int"), "grace": ("Grace", "dur"), "ignore_warnings": ("IgnoreWarnings", "bool")}
)
CHECK = BlockSpec(
    attributes={
        "name": ("Name", "str"),
        "type": ("Type", "str"),
        "command": ("Command", "str"),
        "args": ("Args", "strs"),
        "path": ("Path", "str"),
        "protocol": ("Protocol", "str"),
        "port": ("PortLabel", "str"),
        "expose": ("Expose", "bool"),
        "address_mode": ("AddressMode", "str"),
        "advertise": ("Advertise", "str"),
        "interval": ("Interval", "dur"),
        "timeout": ("Timeout", "dur"),
        "initial_status": ("InitialStatus", "str"),
        "notes": ("Notes", "str"),
        "tls_server_name": ("TLSServerName", "str"),
        "tls_skip_verify": ("TLSSkipVerify", "bool"),
        "method": ("Method", "str"),
        "body": ("Body", "str"),
        "grpc_service": ("GRPCService", "str"),
        "grpc_use_tls": ("GRPCUseTLS", "bool"),
        "task": ("TaskName", "str"),
        "success_before_passing": ("SuccessBeforePassing", "int"),
        "failures_before_critical": ("FailuresBeforeCritical", "int"),
        "failures_before_warning": ("FailuresBeforeWarning", "int"),
        "on_update": ("OnUpdate", "str"),
    },
    blocks={
        "header": Nested("Header", kind="list_map"),
        "check_restart": Nested("CheckRestart", CHECK_RESTART),
    },
)
EXPOSE_PATH = BlockSpec(
    attributes={
        "path": ("Path", "str"),
        "protocol": ("Protocol", "str"),
        "local_path_port": ("LocalPathPort", "int"),
        "listener_port": ("ListenerPort", "str"),
    }
)
EXPOSE = BlockSpec(blocks={"path": Nested("Paths", EXPOSE_PATH, repeated=True)})
MESH_GATEWAY = BlockSpec(attributes={"mode": ("Mode", "str")})
UPSTREAM = BlockSpec(
    attributes={
        "destination_name": ("DestinationName", "str"),
        "destination_namespace": ("DestinationNamespace", "str"),
        "destination_peer": ("DestinationPeer", "str"),
        "destination_partition": ("DestinationPartition", "str"),
        "destination_type": ("DestinationType", "str"),
        "local_bind_port": ("LocalBindPort", "int"),
        "local_bind_address": ("LocalBindAddress", "str"),
        "local_bind_socket_path": ("LocalBindSocketPath", "str"),
        "local_bind_socket_mode": ("LocalBindSocketMode", "str"),
        "datacenter": ("Datacenter", "str"),
    },
    blocks={"mesh_gateway": Nested("MeshGateway", MESH_GATEWAY), "config": _freeform("Config")},
)
PROXY = BlockSpec(
    attributes={"local_service_address": ("LocalServiceAddress", "str"), "local_service_port": ("LocalServicePort", "int")},
    blocks={
        "upstreams": Nested("Upstreams", UPSTREAM, repeated=True),
        "expose": Nested("Expose", EXPOSE),
        "config": _freeform("Config"),
    },
)
SIDECAR_SERVICE = BlockSpec(
    attributes={
        "tags": ("Tags", "strs"),
        "port": ("Port", "str"),
        "disable_default_tcp_check": ("DisableDefaultTCPCheck", "bool"),
    },
    blocks={"proxy": Nested("Proxy", PROXY), "meta": _map("Meta")},
)
RESOURCES = BlockSpec(
    attributes={
        "cpu": ("CPU", "int"),
        "cores": ("Cores", "int"),
        "memory": ("MemoryMB", "int"),
        "memory_max": ("MemoryMaxMB", "int"),
        "disk": ("DiskMB", "int"),
        "iops": ("IOPS", "int"),
    }
)
LOGS = BlockSpec(
    attributes={
        "max_files": ("MaxFiles", "int"),
        "max_file_size": ("MaxFileSizeMB", "int"),
        "disabled": ("Disabled", "bool"),
        "enabled": ("Enabled", "bool"),
    }
)
SIDECAR_TASK = BlockSpec(
    attributes={
        "name": ("Name", "str"),
        "driver": ("Driver", "str"),
        "user": ("User", "str"),
        "kill_timeout": ("KillTimeout", "dur"),
        "shutdown_delay": ("ShutdownDelay", "dur"),
        "kill_signal": ("KillSignal", "str"),
    },
    blocks={
        "config": _freeform("Config"),
        "env": _map("Env"),
        "resources": Nested("Resources", RESOURCES),
        "meta": _map("Meta"),
        "logs": Nested("LogConfig", LOGS),
    },
)
CONNECT = BlockSpec(
    attributes={"native": ("Native", "bool")},
    blocks={
        "sidecar_service": Nested("SidecarService", SIDECAR_SERVICE),
        "sidecar_task": Nested("SidecarTask", SIDECAR_TASK),
    },
)
SERVICE = BlockSpec(
    attributes={
        "name": ("Name", "str"),
        "tags": ("Tags", "strs"),
        "canary_tags": ("CanaryTags", "strs"),
        "enable_tag_override": ("EnableTagOverride", "bool"),
        "port": ("PortLabel", "str"),
        "address_mode": ("AddressMode", "str"),
        "address": ("Address", "str"),
        "task": ("TaskName", "str"),
        "on_update": ("OnUpdate", "str"),
        "provider": ("Provider", "str"),
        "cluster": ("Cluster", "str"),
    },
    blocks={
        "check": Nested("Checks", CHECK, repeated=True),
        "check_restart": Nested("CheckRestart", CHECK_RESTART),
        "connect": Nested("Connect", CONNECT),
        "meta": _map("Meta"),
        "canary_meta": _map("CanaryMeta"),
        "tagged_addresses": _map("TaggedAddresses"),
    },
)
TEMPLATE_WAIT = BlockSpec(attributes={"min": ("Min", "dur"), "max": ("Max", "dur")})
TEMPLATE = BlockSpec(
    attributes={
        "source": ("SourcePath", "str"),
        "destination": ("DestPath", "str"),
        "data": ("EmbeddedTmpl", "str"),
        "change_mode": ("ChangeMode", "str"),
        "change_signal": ("ChangeSignal", "str"),
        "once": ("Once", "bool"),
        "splay": ("Splay", "dur"),
        "perms": ("Perms", "str"),
        "uid": ("Uid", "int"),
        "gid": ("Gid", "int"),
        "left_delimiter": ("LeftDelim", "str"),
        "right_delimiter": ("RightDelim", "str"),
        "env": ("Envvars", "bool"),
        "error_on_missing_key": ("ErrMissingKey", "bool"),
    },
    blocks={"wait": Nested("Wait", TEMPLATE_WAIT)},
)
ARTIFACT = BlockSpec(
    attributes={
        "source": ("GetterSource", "str"),
        "destination": ("RelativeDest", "str"),
        "mode": ("GetterMode", "str"),
        "insecure": ("GetterInsecure", "bool"),
        "chown": ("Chown", "bool"),
    },
    blocks={"options": _map("GetterOptions"), "headers": _map("GetterHeaders")},
)
LIFECYCLE = BlockSpec(attributes={"hook": ("Hook", "str"), "sidecar": ("Sidecar", "bool")})
TASK = BlockSpec(
    attributes={
        "driver": ("Driver", "str"),
        "user": ("User", "str"),
        "leader": ("Leader", "bool"),
        "kill_timeout": ("KillTimeout", "dur"),
        "shutdown_delay": ("ShutdownDelay", "dur"),
        "kill_signal": ("KillSignal", "str"),
        "kind": ("Kind", "str"),
    },
    blocks={
        "config": _freeform("Config"),
        "constraint": Nested("Constraints", CONSTRAINT, repeated=True),
        "affinity": Nested("Affinities", AFFINITY, repeated=True),
        "env": _map("Env"),
        "service": Nested("Services", SERVICE, repeated=True),
        "resources": Nested("Resources", RESOURCES),
        "restart": Nested("RestartPolicy", RESTART),
        "meta": _map("Meta"),
        "logs": Nested("LogConfig", LOGS),
        "artifact": Nested("Artifacts", ARTIFACT, repeated=True),
        "template": Nested("Templates", TEMPLATE, repeated=True),
        "lifecycle": Nested("Lifecycle", LIFECYCLE),
    },
)
GROUP = BlockSpec(
    attributes={
        "count": ("Count", "int"),
        "shutdown_delay": ("ShutdownDelay", "dur"),
        "stop_after_client_disconnect": ("StopAfterClientDisconnect", "dur"),
        "max_client_disconnect": ("MaxClientDisconnect", "dur"),
        "prevent_reschedule_on_lost": ("PreventRescheduleOnLost", "bool"),
    },
    blocks={
        "constraint": Nested("Constraints", CONSTRAINT, repeated=True),
        "affinity": Nested("Affinities", AFFINITY, repeated=True),
        "spread": Nested("Spreads", SPREAD, repeated=True),
        "task": Nested("Tasks", TASK, repeated=True, label="Name"),
        "network": Nested("Networks", NETWORK, repeated=True),
        "service": Nested("Services", SERVICE, repeated=True),
        "restart": Nested("RestartPolicy", RESTART),
        "reschedule": Nested("ReschedulePolicy", RESCHEDULE),
        "ephemeral_disk": Nested("EphemeralDisk", EPHEMERAL_DISK),
        "update": Nested("Update", UPDATE),
        "migrate": Nested("Migrate", MIGRATE),
        "disconnect": Nested("Disconnect", DISCONNECT),
        "consul": Nested("Consul", CONSUL),
        "meta": _map("Meta"),
    },
)
PARAMETERIZED = BlockSpec(
    attributes={
        "payload": ("Payload", "str"),
        "meta_required": ("MetaRequired", "strs"),
        "meta_optional": ("MetaOptional", "strs"),
    }
)
JOB = BlockSpec(
    attributes={
        "region": ("Region", "str"),
        "namespace": ("Namespace", "str"),
        "id": ("ID", "str"),
        "name": ("Name", "str"),
        "type": ("Type", "str"),
        "priority": ("Priority", "int"),
        "all_at_once": ("AllAtOnce", "bool"),
        "datacenters": ("Datacenters", "strs"),
        "node_pool": ("NodePool", "str"),
        "consul_token": ("ConsulToken", "str"),
        "vault_token": ("VaultToken", "str"),
    },
    blocks={
        "group": Nested("TaskGroups", GROUP, repeated=True, label="Name"),
        "constraint": Nested("Constraints", CONSTRAINT, repeated=True),
        "affinity": Nested("Affinities", AFFINITY, repeated=True),
        "spread": Nested("Spreads", SPREAD, repeated=True),
        "update": Nested("Update", UPDATE),
        "reschedule": Nested("Reschedule", RESCHEDULE),
        "migrate": Nested("Migrate", MIGRATE),
        "parameterized": Nested("ParameterizedJob", PARAMETERIZED),
        "meta": _map("Meta"),
    },
)
