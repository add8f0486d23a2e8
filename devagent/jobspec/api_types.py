"""Nomad v1.8 api structs reachable from api.Job: fields, Go types, JSON names and HCL tags.

One row per struct field, in declaration order: (JSON name, Go type, HCL name, HCL kind
[, "omitempty"]). HCL kind is "optional" or "required" (an attribute), "block" or "label",
as the `hcl:` struct tags of hashicorp/nomad api/*.go say; rows without HCL fields are
set by the server or by JSON only. The decoder, the JSON type check and the canonical
JSON shape (every field present, nil pointers as null) all read this one table.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class GoType:
    """A Go field type: kind is ptr, slice, map, struct, string, int, uint, bool, duration, float, any, bytes."""

    kind: str
    elem: "GoType | None" = None
    name: str = ""
    bits: int = 64


@dataclass(frozen=True)
class Field:
    json: str
    type: GoType
    hcl: str | None = None
    hcl_kind: str | None = None
    omitempty: bool = False


_INTS = {"int": ("int", 64), "int8": ("int", 8), "int64": ("int", 64), "uint8": ("uint", 8),
         "uint16": ("uint", 16), "uint32": ("uint", 32), "uint64": ("uint", 64)}


def go_type(text):
    """Parse a Go type expression such as `map[string]*VolumeRequest`."""
    if text.startswith("*"):
        return GoType("ptr", go_type(text[1:]))
    if text == "[]byte":
        return GoType("bytes")
    if text.startswith("[]"):
        return GoType("slice", go_type(text[2:]))
    match = re.fullmatch(r"map\[string\](.+)", text)
    if match:
        return GoType("map", go_type(match.group(1)))
    if text in _INTS:
        kind, bits = _INTS[text]
        return GoType(kind, bits=bits, name=text)
    if text == "time.Duration":
        return GoType("duration")
    if text in ("string", "bool"):
        return GoType(text)
    if text == "float64":
        return GoType("float")
    if text in ("interface{}", "any"):
        return GoType("any")
    return GoType("struct", name=text)


_ROWS = {
    "Job": [
        ("Region", "*string", "region", "optional"),
        ("Namespace", "*string", "namespace", "optional"),
        ("ID", "*string", "id", "optional"),
        ("Name", "*string", "name", "optional"),
        ("Type", "*string", "type", "optional"),
        ("Priority", "*int", "priority", "optional"),
        ("AllAtOnce", "*bool", "all_at_once", "optional"),
        ("Datacenters", "[]string", "datacenters", "optional"),
        ("NodePool", "*string", "node_pool", "optional"),
        ("Constraints", "[]*Constraint", "constraint", "block"),
        ("Affinities", "[]*Affinity", "affinity", "block"),
        ("TaskGroups", "[]*TaskGroup", "group", "block"),
        ("Update", "*UpdateStrategy", "update", "block"),
        ("Multiregion", "*Multiregion", "multiregion", "block"),
        ("Spreads", "[]*Spread", "spread", "block"),
        ("Periodic", "*PeriodicConfig", "periodic", "block"),
        ("ParameterizedJob", "*ParameterizedJobConfig", "parameterized", "block"),
        ("Reschedule", "*ReschedulePolicy", "reschedule", "block"),
        ("Migrate", "*MigrateStrategy", "migrate", "block"),
        ("Meta", "map[string]string", "meta", "block"),
        ("ConsulToken", "*string", "consul_token", "optional"),
        ("VaultToken", "*string", "vault_token", "optional"),
        ("UI", "*JobUIConfig", "ui", "block"),
        ("Stop", "*bool"),
        ("ParentID", "*string"),
        ("Dispatched", "bool"),
        ("DispatchIdempotencyToken", "*string"),
        ("Payload", "[]byte"),
        ("ConsulNamespace", "*string"),
        ("VaultNamespace", "*string"),
        ("NomadTokenID", "*string"),
        ("Status", "*string"),
        ("StatusDescription", "*string"),
        ("Stable", "*bool"),
        ("Version", "*uint64"),
        ("SubmitTime", "*int64"),
        ("CreateIndex", "*uint64"),
        ("ModifyIndex", "*uint64"),
        ("JobModifyIndex", "*uint64"),
    ],
    "Constraint": [
        ("LTarget", "string", "attribute", "optional"),
        ("RTarget", "string", "value", "optional"),
        ("Operand", "string", "operator", "optional"),
    ],
    "Affinity": [
        ("LTarget", "string", "attribute", "optional"),
        ("RTarget", "string", "value", "optional"),
        ("Operand", "string", "operator", "optional"),
        ("Weight", "*int8", "weight", "optional"),
    ],
    "TaskGroup": [
        ("Name", "*string", "name", "label"),
        ("Count", "*int", "count", "optional"),
        ("Constraints", "[]*Constraint", "constraint", "block"),
        ("Affinities", "[]*Affinity", "affinity", "block"),
        ("Tasks", "[]*Task", "task", "block"),
        ("Spreads", "[]*Spread", "spread", "block"),
        ("Volumes", "map[string]*VolumeRequest", "volume", "block"),
        ("RestartPolicy", "*RestartPolicy", "restart", "block"),
        ("Disconnect", "*DisconnectStrategy", "disconnect", "block"),
        ("ReschedulePolicy", "*ReschedulePolicy", "reschedule", "block"),
        ("EphemeralDisk", "*EphemeralDisk", "ephemeral_disk", "block"),
        ("Update", "*UpdateStrategy", "update", "block"),
        ("Migrate", "*MigrateStrategy", "migrate", "block"),
        ("Networks", "[]*NetworkResource", "network", "block"),
        ("Meta", "map[string]string", "meta", "block"),
        ("Services", "[]*Service", "service", "block"),
        ("ShutdownDelay", "*time.Duration", "shutdown_delay", "optional"),
        ("StopAfterClientDisconnect", "*time.Duration", "stop_after_client_disconnect", "optional"),
        ("MaxClientDisconnect", "*time.Duration", "max_client_disconnect", "optional"),
        ("Scaling", "*ScalingPolicy", "scaling", "block"),
        ("Consul", "*Consul", "consul", "block"),
        ("PreventRescheduleOnLost", "*bool", "prevent_reschedule_on_lost", "optional"),
    ],
    "UpdateStrategy": [
        ("Stagger", "*time.Duration", "stagger", "optional"),
        ("MaxParallel", "*int", "max_parallel", "optional"),
        ("HealthCheck", "*string", "health_check", "optional"),
        ("MinHealthyTime", "*time.Duration", "min_healthy_time", "optional"),
        ("HealthyDeadline", "*time.Duration", "healthy_deadline", "optional"),
        ("ProgressDeadline", "*time.Duration", "progress_deadline", "optional"),
        ("Canary", "*int", "canary", "optional"),
        ("AutoRevert", "*bool", "auto_revert", "optional"),
        ("AutoPromote", "*bool", "auto_promote", "optional"),
    ],
    "Multiregion": [
        ("Strategy", "*MultiregionStrategy", "strategy", "block"),
        ("Regions", "[]*MultiregionRegion", "region", "block"),
    ],
    "Spread": [
        ("Attribute", "string", "attribute", "optional"),
        ("Weight", "*int8", "weight", "optional"),
        ("SpreadTarget", "[]*SpreadTarget", "target", "block"),
    ],
    "PeriodicConfig": [
        ("Enabled", "*bool", "enabled", "optional"),
        ("Spec", "*string", "cron", "optional"),
        ("Specs", "[]string", "crons", "optional"),
        ("SpecType", "*string"),
        ("ProhibitOverlap", "*bool", "prohibit_overlap", "optional"),
        ("TimeZone", "*string", "time_zone", "optional"),
    ],
    "ParameterizedJobConfig": [
        ("Payload", "string", "payload", "optional"),
        ("MetaRequired", "[]string", "meta_required", "optional"),
        ("MetaOptional", "[]string", "meta_optional", "optional"),
    ],
    "ReschedulePolicy": [
        ("Attempts", "*int", "attempts", "optional"),
        ("Interval", "*time.Duration", "interval", "optional"),
        ("Delay", "*time.Duration", "delay", "optional"),
        ("DelayFunction", "*string", "delay_function", "optional"),
        ("MaxDelay", "*time.Duration", "max_delay", "optional"),
        ("Unlimited", "*bool", "unlimited", "optional"),
    ],
    "MigrateStrategy": [
        ("MaxParallel", "*int", "max_parallel", "optional"),
        ("HealthCheck", "*string", "health_check", "optional"),
        ("MinHealthyTime", "*time.Duration", "min_healthy_time", "optional"),
        ("HealthyDeadline", "*time.Duration", "healthy_deadline", "optional"),
    ],
    "JobUIConfig": [
        ("Description", "string", "description", "optional"),
        ("Links", "[]*JobUILink", "link", "block"),
    ],
    "Task": [
        ("Name", "string", "name", "label"),
        ("Driver", "string", "driver", "optional"),
        ("User", "string", "user", "optional"),
        ("Lifecycle", "*TaskLifecycle", "lifecycle", "block"),
        ("Config", "map[string]interface{}", "config", "block"),
        ("Constraints", "[]*Constraint", "constraint", "block"),
        ("Affinities", "[]*Affinity", "affinity", "block"),
        ("Env", "map[string]string", "env", "block"),
        ("Services", "[]*Service", "service", "block"),
        ("Resources", "*Resources", "resources", "block"),
        ("RestartPolicy", "*RestartPolicy", "restart", "block"),
        ("Meta", "map[string]string", "meta", "block"),
        ("KillTimeout", "*time.Duration", "kill_timeout", "optional"),
        ("LogConfig", "*LogConfig", "logs", "block"),
        ("Artifacts", "[]*TaskArtifact", "artifact", "block"),
        ("Vault", "*Vault", "vault", "block"),
        ("Consul", "*Consul", "consul", "block"),
        ("Templates", "[]*Template", "template", "block"),
        ("DispatchPayload", "*DispatchPayloadConfig", "dispatch_payload", "block"),
        ("VolumeMounts", "[]*VolumeMount", "volume_mount", "block"),
        ("CSIPluginConfig", "*TaskCSIPluginConfig", "csi_plugin", "block", "omitempty"),
        ("Leader", "bool", "leader", "optional"),
        ("ShutdownDelay", "time.Duration", "shutdown_delay", "optional"),
        ("KillSignal", "string", "kill_signal", "optional"),
        ("Kind", "string", "kind", "optional"),
        ("ScalingPolicies", "[]*ScalingPolicy", "scaling", "block"),
        ("Identity", "*WorkloadIdentity"),
        ("Identities", "[]*WorkloadIdentity", "identity", "block"),
        ("Actions", "[]*Action", "action", "block"),
        ("Schedule", "*TaskSchedule", "schedule", "block"),
    ],
    "VolumeRequest": [
        ("Name", "string", "name", "label"),
        ("Type", "string", "type", "optional"),
        ("Source", "string", "source", "optional"),
        ("ReadOnly", "bool", "read_only", "optional"),
        ("AccessMode", "string", "access_mode", "optional"),
        ("AttachmentMode", "string", "attachment_mode", "optional"),
        ("MountOptions", "*CSIMountOptions", "mount_options", "block"),
        ("PerAlloc", "bool", "per_alloc", "optional"),
    ],
    "RestartPolicy": [
        ("Interval", "*time.Duration", "interval", "optional"),
        ("Attempts", "*int", "attempts", "optional"),
        ("Delay", "*time.Duration", "delay", "optional"),
        ("Mode", "*string", "mode", "optional"),
        ("RenderTemplates", "*bool", "render_templates", "optional"),
    ],
    "DisconnectStrategy": [
        ("LostAfter", "*time.Duration", "lost_after", "optional"),
        ("StopOnClientAfter", "*time.Duration", "stop_on_client_after", "optional"),
        ("Replace", "*bool", "replace", "optional"),
        ("Reconcile", "*string", "reconcile", "optional"),
    ],
    "EphemeralDisk": [
        ("Sticky", "*bool", "sticky", "optional"),
        ("Migrate", "*bool", "migrate", "optional"),
        ("SizeMB", "*int", "size", "optional"),
    ],
    "NetworkResource": [
        ("Mode", "string", "mode", "optional"),
        ("Device", "string", "device", "optional"),
        ("CIDR", "string", "cidr", "optional"),
        ("IP", "string", "ip", "optional"),
        ("DNS", "*DNSConfig", "dns", "block"),
        ("ReservedPorts", "[]Port", "reserved_ports", "block"),
        ("DynamicPorts", "[]Port", "port", "block"),
        ("Hostname", "string", "hostname", "optional"),
        ("MBits", "*int", "mbits", "optional"),
        ("CNI", "*CNIConfig", "cni", "block"),
    ],
    "Service": [
        ("Name", "string", "name", "optional"),
        ("Tags", "[]string", "tags", "optional"),
        ("CanaryTags", "[]string", "canary_tags", "optional"),
        ("EnableTagOverride", "bool", "enable_tag_override", "optional"),
        ("PortLabel", "string", "port", "optional"),
        ("AddressMode", "string", "address_mode", "optional"),
        ("Address", "string", "address", "optional"),
        ("Checks", "[]ServiceCheck", "check", "block"),
        ("CheckRestart", "*CheckRestart", "check_restart", "block"),
        ("Connect", "*ConsulConnect", "connect", "block"),
        ("Meta", "map[string]string", "meta", "block"),
        ("CanaryMeta", "map[string]string", "canary_meta", "block"),
        ("TaggedAddresses", "map[string]string", "tagged_addresses", "block"),
        ("TaskName", "string", "task", "optional"),
        ("OnUpdate", "string", "on_update", "optional"),
        ("Identity", "*WorkloadIdentity", "identity", "block"),
        ("Provider", "string", "provider", "optional"),
        ("Cluster", "string", "cluster", "optional"),
    ],
    "ScalingPolicy": [
        ("Min", "*int64", "min", "optional"),
        ("Max", "*int64", "max", "optional"),
        ("Policy", "map[string]interface{}", "policy", "block"),
        ("Enabled", "*bool", "enabled", "optional"),
        ("Type", "string", "type", "optional"),
        ("ID", "string"),
        ("Namespace", "string"),
        ("Target", "map[string]string"),
        ("CreateIndex", "uint64"),
        ("ModifyIndex", "uint64"),
    ],
    "Consul": [
        ("Namespace", "string", "namespace", "optional"),
        ("Cluster", "string", "cluster", "optional"),
        ("Partition", "string", "partition", "optional"),
    ],
    "MultiregionStrategy": [
        ("MaxParallel", "*int", "max_parallel", "optional"),
        ("OnFailure", "*string", "on_failure", "optional"),
    ],
    "MultiregionRegion": [
        ("Name", "string", "", "label"),
        ("Count", "*int", "count", "optional"),
        ("Datacenters", "[]string", "datacenters", "optional"),
        ("NodePool", "string", "node_pool", "optional"),
        ("Meta", "map[string]string", "meta", "block"),
    ],
    "SpreadTarget": [
        ("Value", "string", "", "label"),
        ("Percent", "uint8", "percent", "optional"),
    ],
    "JobUILink": [
        ("Label", "string", "label", "optional"),
        ("URL", "string", "url", "optional"),
    ],
    "TaskLifecycle": [
        ("Hook", "string", "hook", "optional"),
        ("Sidecar", "bool", "sidecar", "optional"),
    ],
    "Resources": [
        ("CPU", "*int", "cpu", "optional"),
        ("Cores", "*int", "cores", "optional"),
        ("MemoryMB", "*int", "memory", "optional"),
        ("MemoryMaxMB", "*int", "memory_max", "optional"),
        ("DiskMB", "*int", "disk", "optional"),
        ("Networks", "[]*NetworkResource", "network", "block"),
        ("Devices", "[]*RequestedDevice", "device", "block"),
        ("NUMA", "*NUMAResource", "numa", "block"),
        ("SecretsMB", "*int", "secrets", "optional"),
        ("IOPS", "*int", "iops", "optional"),
    ],
    "LogConfig": [
        ("MaxFiles", "*int", "max_files", "optional"),
        ("MaxFileSizeMB", "*int", "max_file_size", "optional"),
        ("Enabled", "*bool", "enabled", "optional"),
        ("Disabled", "*bool", "disabled", "optional"),
    ],
    "TaskArtifact": [
        ("GetterSource", "*string", "source", "optional"),
        ("GetterOptions", "map[string]string", "options", "block"),
        ("GetterHeaders", "map[string]string", "headers", "block"),
        ("GetterMode", "*string", "mode", "optional"),
        ("GetterInsecure", "*bool", "insecure", "optional"),
        ("RelativeDest", "*string", "destination", "optional"),
    ],
    "Vault": [
        ("Policies", "[]string", "policies", "optional"),
        ("Role", "string", "role", "optional"),
        ("Namespace", "*string", "namespace", "optional"),
        ("Cluster", "string", "cluster", "optional"),
        ("Env", "*bool", "env", "optional"),
        ("DisableFile", "*bool", "disable_file", "optional"),
        ("ChangeMode", "*string", "change_mode", "optional"),
        ("ChangeSignal", "*string", "change_signal", "optional"),
        ("AllowTokenExpiration", "*bool", "allow_token_expiration", "optional"),
    ],
    "Template": [
        ("SourcePath", "*string", "source", "optional"),
        ("DestPath", "*string", "destination", "optional"),
        ("EmbeddedTmpl", "*string", "data", "optional"),
        ("ChangeMode", "*string", "change_mode", "optional"),
        ("ChangeScript", "*ChangeScript", "change_script", "block"),
        ("ChangeSignal", "*string", "change_signal", "optional"),
        ("Splay", "*time.Duration", "splay", "optional"),
        ("Perms", "*string", "perms", "optional"),
        ("Uid", "*int", "uid", "optional"),
        ("Gid", "*int", "gid", "optional"),
        ("LeftDelim", "*string", "left_delimiter", "optional"),
        ("RightDelim", "*string", "right_delimiter", "optional"),
        ("Envvars", "*bool", "env", "optional"),
        ("VaultGrace", "*time.Duration", "vault_grace", "optional"),
        ("Wait", "*WaitConfig", "wait", "block"),
        ("ErrMissingKey", "*bool", "error_on_missing_key", "optional"),
    ],
    "DispatchPayloadConfig": [
        ("File", "string", "file", "optional"),
    ],
    "VolumeMount": [
        ("Volume", "*string", "volume", "optional"),
        ("Destination", "*string", "destination", "optional"),
        ("ReadOnly", "*bool", "read_only", "optional"),
        ("PropagationMode", "*string", "propagation_mode", "optional"),
        ("SELinuxLabel", "*string", "selinux_label", "optional"),
    ],
    "TaskCSIPluginConfig": [
        ("ID", "string", "id", "optional"),
        ("Type", "string", "type", "optional"),
        ("MountDir", "string", "mount_dir", "optional"),
        ("StagePublishBaseDir", "string", "stage_publish_base_dir", "optional"),
        ("HealthTimeout", "time.Duration", "health_timeout", "optional"),
    ],
    "WorkloadIdentity": [
        ("Name", "string", "name", "optional"),
        ("Audience", "[]string", "aud", "optional"),
        ("ChangeMode", "string", "change_mode", "optional"),
        ("ChangeSignal", "string", "change_signal", "optional"),
        ("Env", "bool", "env", "optional"),
        ("File", "bool", "file", "optional"),
        ("ServiceName", "string", "service_name", "optional"),
        ("TTL", "time.Duration", "ttl", "optional"),
    ],
    "Action": [
        ("Name", "string", "name", "label"),
        ("Command", "string", "command", "required"),
        ("Args", "[]string", "args", "optional"),
    ],
    "TaskSchedule": [
        ("Cron", "*TaskScheduleCron", "cron", "block"),
    ],
    "CSIMountOptions": [
        ("FSType", "string", "fs_type", "optional"),
        ("MountFlags", "[]string", "mount_flags", "optional"),
    ],
    "DNSConfig": [
        ("Servers", "[]string", "servers", "optional"),
        ("Searches", "[]string", "searches", "optional"),
        ("Options", "[]string", "options", "optional"),
    ],
    "Port": [
        ("Label", "string", "", "label"),
        ("Value", "int", "static", "optional"),
        ("To", "int", "to", "optional"),
        ("HostNetwork", "string", "host_network", "optional"),
    ],
    "CNIConfig": [
        ("Args", "map[string]string", "args", "optional"),
    ],
    "ServiceCheck": [
        ("Name", "string", "name", "optional"),
        ("Type", "string", "type", "optional"),
        ("Command", "string", "command", "optional"),
        ("Args", "[]string", "args", "optional"),
        ("Path", "string", "path", "optional"),
        ("Protocol", "string", "protocol", "optional"),
        ("PortLabel", "string", "port", "optional"),
        ("Expose", "bool", "expose", "optional"),
        ("AddressMode", "string", "address_mode", "optional"),
        ("Advertise", "string", "advertise", "optional"),
        ("Interval", "time.Duration", "interval", "optional"),
        ("Timeout", "time.Duration", "timeout", "optional"),
        ("InitialStatus", "string", "initial_status", "optional"),
        ("Notes", "string", "notes", "optional"),
        ("TLSServerName", "string", "tls_server_name", "optional"),
        ("TLSSkipVerify", "bool", "tls_skip_verify", "optional"),
        ("Header", "map[string][]string", "header", "block"),
        ("Method", "string", "method", "optional"),
        ("CheckRestart", "*CheckRestart", "check_restart", "block"),
        ("GRPCService", "string", "grpc_service", "optional"),
        ("GRPCUseTLS", "bool", "grpc_use_tls", "optional"),
        ("TaskName", "string", "task", "optional"),
        ("SuccessBeforePassing", "int", "success_before_passing", "optional"),
        ("FailuresBeforeCritical", "int", "failures_before_critical", "optional"),
        ("FailuresBeforeWarning", "int", "failures_before_warning", "optional"),
        ("Body", "string", "body", "optional"),
        ("OnUpdate", "string", "on_update", "optional"),
    ],
    "CheckRestart": [
        ("Limit", "int", "limit", "optional"),
        ("Grace", "*time.Duration", "grace", "optional"),
        ("IgnoreWarnings", "bool", "ignore_warnings", "optional"),
    ],
    "ConsulConnect": [
        ("Native", "bool", "native", "optional"),
        ("Gateway", "*ConsulGateway", "gateway", "block"),
        ("SidecarService", "*ConsulSidecarService", "sidecar_service", "block"),
        ("SidecarTask", "*SidecarTask", "sidecar_task", "block"),
    ],
    "RequestedDevice": [
        ("Name", "string", "", "label"),
        ("Count", "*uint64", "count", "optional"),
        ("Constraints", "[]*Constraint", "constraint", "block"),
        ("Affinities", "[]*Affinity", "affinity", "block"),
    ],
    "NUMAResource": [
        ("Affinity", "string", "affinity", "optional"),
    ],
    "ChangeScript": [
        ("Command", "*string", "command", "required"),
        ("Args", "[]string", "args", "optional"),
        ("Timeout", "*time.Duration", "timeout", "optional"),
        ("FailOnError", "*bool", "fail_on_error", "required"),
    ],
    "WaitConfig": [
        ("Min", "*time.Duration", "min", "required"),
        ("Max", "*time.Duration", "max", "required"),
    ],
    "TaskScheduleCron": [
        ("Start", "string", "start", "optional"),
        ("End", "string", "end", "optional"),
        ("Timezone", "string", "timezone", "optional"),
    ],
    "ConsulGateway": [
        ("Proxy", "*ConsulGatewayProxy", "proxy", "block"),
        ("Ingress", "*ConsulIngressConfigEntry", "ingress", "block"),
        ("Terminating", "*ConsulTerminatingConfigEntry", "terminating", "block"),
        ("Mesh", "*ConsulMeshConfigEntry", "mesh", "block"),
    ],
    "ConsulSidecarService": [
        ("Tags", "[]string", "tags", "optional"),
        ("Port", "string", "port", "optional"),
        ("Proxy", "*ConsulProxy", "proxy", "block"),
        ("DisableDefaultTCPCheck", "bool", "disable_default_tcp_check", "optional"),
        ("Meta", "map[string]string", "meta", "block"),
    ],
    "SidecarTask": [
        ("Name", "string", "name", "optional"),
        ("Driver", "string", "driver", "optional"),
        ("User", "string", "user", "optional"),
        ("Config", "map[string]interface{}", "config", "block"),
        ("Env", "map[string]string", "env", "block"),
        ("Resources", "*Resources", "resources", "block"),
        ("Meta", "map[string]string", "meta", "block"),
        ("KillTimeout", "*time.Duration", "kill_timeout", "optional"),
        ("LogConfig", "*LogConfig", "logs", "block"),
        ("ShutdownDelay", "*time.Duration", "shutdown_delay", "optional"),
        ("KillSignal", "string", "kill_signal", "optional"),
        ("VolumeMounts", "[]*VolumeMount", "volume_mount", "block"),
    ],
    "ConsulGatewayProxy": [
        ("ConnectTimeout", "*time.Duration", "connect_timeout", "optional"),
        ("EnvoyGatewayBindTaggedAddresses", "bool", "envoy_gateway_bind_tagged_addresses", "optional"),
        ("EnvoyGatewayBindAddresses", "map[string]*ConsulGatewayBindAddress", "envoy_gateway_bind_addresses", "block"),
        ("EnvoyGatewayNoDefaultBind", "bool", "envoy_gateway_no_default_bind", "optional"),
        ("EnvoyDNSDiscoveryType", "string", "envoy_dns_discovery_type", "optional"),
        ("Config", "map[string]interface{}", "config", "block"),
    ],
    "ConsulIngressConfigEntry": [
        ("TLS", "*ConsulGatewayTLSConfig", "tls", "block"),
        ("Listeners", "[]*ConsulIngressListener", "listener", "block"),
    ],
    "ConsulTerminatingConfigEntry": [
        ("Services", "[]*ConsulLinkedService", "service", "block"),
    ],
    "ConsulMeshConfigEntry": [
    ],
    "ConsulProxy": [
        ("LocalServiceAddress", "string", "local_service_address", "optional"),
        ("LocalServicePort", "int", "local_service_port", "optional"),
        ("Expose", "*ConsulExposeConfig", "expose", "block"),
        ("ExposeConfig", "*ConsulExposeConfig"),
        ("Upstreams", "[]*ConsulUpstream", "upstreams", "block"),
        ("TransparentProxy", "*ConsulTransparentProxy", "transparent_proxy", "block"),
        ("Config", "map[string]interface{}", "config", "block"),
    ],
    "ConsulGatewayBindAddress": [
        ("Name", "string", "", "label"),
        ("Address", "string", "address", "optional"),
        ("Port", "int", "port", "optional"),
    ],
    "ConsulGatewayTLSConfig": [
        ("Enabled", "bool", "enabled", "optional"),
        ("TLSMinVersion", "string", "tls_min_version", "optional"),
        ("TLSMaxVersion", "string", "tls_max_version", "optional"),
        ("CipherSuites", "[]string", "cipher_suites", "optional"),
        ("SDS", "*ConsulGatewayTLSSDSConfig", "sds", "block"),
    ],
    "ConsulIngressListener": [
        ("Port", "int", "port", "optional"),
        ("Protocol", "string", "protocol", "optional"),
        ("Services", "[]*ConsulIngressService", "service", "block"),
    ],
    "ConsulLinkedService": [
        ("Name", "string", "name", "optional"),
        ("CAFile", "string", "ca_file", "optional"),
        ("CertFile", "string", "cert_file", "optional"),
        ("KeyFile", "string", "key_file", "optional"),
        ("SNI", "string", "sni", "optional"),
    ],
    "ConsulExposeConfig": [
        ("Paths", "[]*ConsulExposePath", "path", "block"),
        ("Path", "[]*ConsulExposePath"),
    ],
    "ConsulUpstream": [
        ("DestinationName", "string", "destination_name", "optional"),
        ("DestinationNamespace", "string", "destination_namespace", "optional"),
        ("DestinationPeer", "string", "destination_peer", "optional"),
        ("DestinationPartition", "string", "destination_partition", "optional"),
        ("DestinationType", "string", "destination_type", "optional"),
        ("LocalBindPort", "int", "local_bind_port", "optional"),
        ("Datacenter", "string", "datacenter", "optional"),
        ("LocalBindAddress", "string", "local_bind_address", "optional"),
        ("LocalBindSocketPath", "string", "local_bind_socket_path", "optional"),
        ("LocalBindSocketMode", "string", "local_bind_socket_mode", "optional"),
        ("MeshGateway", "*ConsulMeshGateway", "mesh_gateway", "block"),
        ("Config", "map[string]interface{}", "config", "block"),
    ],
    "ConsulTransparentProxy": [
        ("UID", "string", "uid", "optional"),
        ("OutboundPort", "uint16", "outbound_port", "optional"),
        ("ExcludeInboundPorts", "[]string", "exclude_inbound_ports", "optional"),
        ("ExcludeOutboundPorts", "[]uint16", "exclude_outbound_ports", "optional"),
        ("ExcludeOutboundCIDRs", "[]string", "exclude_outbound_cidrs", "optional"),
        ("ExcludeUIDs", "[]string", "exclude_uids", "optional"),
        ("NoDNS", "bool", "no_dns", "optional"),
    ],
    "ConsulGatewayTLSSDSConfig": [
        ("ClusterName", "string", "cluster_name", "optional"),
        ("CertResource", "string", "cert_resource", "optional"),
    ],
    "ConsulIngressService": [
        ("Name", "string", "name", "optional"),
        ("Hosts", "[]string", "hosts", "optional"),
        ("TLS", "*ConsulGatewayTLSConfig", "tls", "block"),
        ("RequestHeaders", "*ConsulHTTPHeaderModifiers", "request_headers", "block"),
        ("ResponseHeaders", "*ConsulHTTPHeaderModifiers", "response_headers", "block"),
        ("MaxConnections", "*uint32", "max_connections", "optional"),
        ("MaxPendingRequests", "*uint32", "max_pending_requests", "optional"),
        ("MaxConcurrentRequests", "*uint32", "max_concurrent_requests", "optional"),
    ],
    "ConsulExposePath": [
        ("Path", "string", "path", "optional"),
        ("Protocol", "string", "protocol", "optional"),
        ("LocalPathPort", "int", "local_path_port", "optional"),
        ("ListenerPort", "string", "listener_port", "optional"),
    ],
    "ConsulMeshGateway": [
        ("Mode", "string", "mode", "optional"),
    ],
    "ConsulHTTPHeaderModifiers": [
        ("Add", "map[string]string", "add", "block"),
        ("Set", "map[string]string", "set", "block"),
        ("Remove", "[]string", "remove", "optional"),
    ],
}

STRUCTS = {
    name: [Field(row[0], go_type(row[1]), *(row[2:4] if len(row) > 2 else ()), omitempty=row[-1] == "omitempty")
           for row in rows]
    for name, rows in _ROWS.items()
}


def hcl_fields(struct):
    """The fields of a struct that HCL decodes, by HCL name."""
    return {f.hcl: f for f in STRUCTS[struct] if f.hcl_kind in ("optional", "required", "block")}


def label_field(struct):
    return next((f for f in STRUCTS[struct] if f.hcl_kind == "label"), None)


def struct_of(gotype):
    """The struct name under pointers, slices and maps, or None for scalars."""
    while gotype.kind in ("ptr", "slice", "map"):
        gotype = gotype.elem
    return gotype.name if gotype.kind == "struct" else None
