"""The fields of Nomad's structs types (v1.8.4) that a job's JSON shows, and a helper giving a value exactly that shape."""

from __future__ import annotations

import copy

# Each field: a zero value, None (a nil map/slice/interface), or (kind, type) for a nested struct:
# "ptr" (nil or one struct), "list" (nil or a list of structs), "map" (nil or name -> struct), "val" (always a struct).
STRUCT_FIELDS = {
    "Job": (("Stop", False), ("Region", ""), ("Namespace", ""), ("ID", ""), ("ParentID", ""), ("Name", ""), ("Type", ""), ("Priority", 0), ("AllAtOnce", False), ("Datacenters", None), ("NodePool", ""), ("Constraints", ("list", "Constraint")), ("Affinities", ("list", "Affinity")), ("Spreads", ("list", "Spread")), ("TaskGroups", ("list", "TaskGroup")), ("Update", ("val", "UpdateStrategy")), ("Multiregion", ("ptr", "Multiregion")), ("Periodic", ("ptr", "PeriodicConfig")), ("ParameterizedJob", ("ptr", "ParameterizedJobConfig")), ("Dispatched", False), ("DispatchIdempotencyToken", ""), ("Payload", None), ("Meta", None), ("ConsulToken", ""), ("ConsulNamespace", ""), ("VaultToken", ""), ("VaultNamespace", ""), ("NomadTokenID", ""), ("Status", ""), ("StatusDescription", ""), ("Stable", False), ("Version", 0), ("SubmitTime", 0), ("CreateIndex", 0), ("ModifyIndex", 0), ("JobModifyIndex", 0), ("UI", ("ptr", "JobUIConfig"))),
    "TaskGroup": (("Name", ""), ("Count", 0), ("Update", ("ptr", "UpdateStrategy")), ("Migrate", ("ptr", "MigrateStrategy")), ("Constraints", ("list", "Constraint")), ("Scaling", ("ptr", "ScalingPolicy")), ("RestartPolicy", ("ptr", "RestartPolicy")), ("Disconnect", ("ptr", "DisconnectStrategy")), ("Tasks", ("list", "Task")), ("EphemeralDisk", ("ptr", "EphemeralDisk")), ("Meta", None), ("ReschedulePolicy", ("ptr", "ReschedulePolicy")), ("Affinities", ("list", "Affinity")), ("Spreads", ("list", "Spread")), ("Networks", ("list", "NetworkResource")), ("Consul", ("ptr", "Consul")), ("Services", ("list", "Service")), ("Volumes", ("map", "VolumeRequest")), ("ShutdownDelay", None), ("StopAfterClientDisconnect", None), ("MaxClientDisconnect", None), ("PreventRescheduleOnLost", False)),
    "Task": (("Name", ""), ("Driver", ""), ("User", ""), ("Config", None), ("Env", None), ("Services", ("list", "Service")), ("Vault", ("ptr", "Vault")), ("Consul", ("ptr", "Consul")), ("Templates", ("list", "Template")), ("Constraints", ("list", "Constraint")), ("Affinities", ("list", "Affinity")), ("Resources", ("ptr", "Resources")), ("RestartPolicy", ("ptr", "RestartPolicy")), ("DispatchPayload", ("ptr", "DispatchPayloadConfig")), ("Lifecycle", ("ptr", "TaskLifecycleConfig")), ("Meta", None), ("KillTimeout", 0), ("LogConfig", ("ptr", "LogConfig")), ("Artifacts", ("list", "TaskArtifact")), ("Leader", False), ("ShutdownDelay", 0), ("VolumeMounts", ("list", "VolumeMount")), ("ScalingPolicies", ("list", "ScalingPolicy")), ("KillSignal", ""), ("Kind", ""), ("CSIPluginConfig", ("ptr", "TaskCSIPluginConfig")), ("Identity", ("ptr", "WorkloadIdentity")), ("Identities", ("list", "WorkloadIdentity")), ("Actions", ("list", "Action")), ("Schedule", ("ptr", "TaskSchedule"))),
    "Service": (("Name", ""), ("TaskName", ""), ("PortLabel", ""), ("AddressMode", ""), ("Address", ""), ("EnableTagOverride", False), ("Tags", None), ("CanaryTags", None), ("Checks", ("list", "ServiceCheck")), ("Connect", ("ptr", "ConsulConnect")), ("Meta", None), ("CanaryMeta", None), ("TaggedAddresses", None), ("Namespace", ""), ("OnUpdate", ""), ("Provider", ""), ("Cluster", ""), ("Identity", ("ptr", "WorkloadIdentity"))),
    "ServiceCheck": (("Name", ""), ("Type", ""), ("Command", ""), ("Args", None), ("Path", ""), ("Protocol", ""), ("PortLabel", ""), ("Expose", False), ("AddressMode", ""), ("Interval", 0), ("Timeout", 0), ("InitialStatus", ""), ("Notes", ""), ("TLSServerName", ""), ("TLSSkipVerify", False), ("Method", ""), ("Header", None), ("CheckRestart", ("ptr", "CheckRestart")), ("GRPCService", ""), ("GRPCUseTLS", False), ("TaskName", ""), ("SuccessBeforePassing", 0), ("FailuresBeforeCritical", 0), ("FailuresBeforeWarning", 0), ("Body", ""), ("OnUpdate", "")),
    "CheckRestart": (("Limit", 0), ("Grace", 0), ("IgnoreWarnings", False)),
    "ConsulConnect": (("Native", False), ("SidecarService", ("ptr", "ConsulSidecarService")), ("SidecarTask", ("ptr", "SidecarTask")), ("Gateway", ("ptr", "ConsulGateway"))),
    "ConsulSidecarService": (("Tags", None), ("Port", ""), ("Proxy", ("ptr", "ConsulProxy")), ("DisableDefaultTCPCheck", False), ("Meta", None)),
    "SidecarTask": (("Name", ""), ("Driver", ""), ("User", ""), ("Config", None), ("Env", None), ("Resources", ("ptr", "Resources")), ("Meta", None), ("KillTimeout", None), ("LogConfig", ("ptr", "LogConfig")), ("ShutdownDelay", None), ("KillSignal", ""), ("VolumeMounts", ("list", "VolumeMount"))),
    "ConsulProxy": (("LocalServiceAddress", ""), ("LocalServicePort", 0), ("Upstreams", ("list", "ConsulUpstream")), ("Expose", ("ptr", "ConsulExposeConfig")), ("TransparentProxy", ("ptr", "ConsulTransparentProxy")), ("Config", None)),
    "ConsulUpstream": (("DestinationName", ""), ("DestinationNamespace", ""), ("DestinationPartition", ""), ("DestinationPeer", ""), ("DestinationType", ""), ("LocalBindPort", 0), ("Datacenter", ""), ("LocalBindAddress", ""), ("LocalBindSocketPath", ""), ("LocalBindSocketMode", ""), ("MeshGateway", ("val", "ConsulMeshGateway")), ("Config", None)),
    "ConsulMeshGateway": (("Mode", ""),),
    "ConsulExposeConfig": (("Paths", ("list", "ConsulExposePath")),),
    "ConsulExposePath": (("Path", ""), ("Protocol", ""), ("LocalPathPort", 0), ("ListenerPort", "")),
    "ConsulGateway": (("Proxy", ("ptr", "ConsulGatewayProxy")), ("Ingress", ("ptr", "ConsulIngressConfigEntry")), ("Terminating", ("ptr", "ConsulTerminatingConfigEntry")), ("Mesh", ("ptr", "ConsulMeshConfigEntry"))),
    "ConsulGatewayProxy": (("ConnectTimeout", None), ("EnvoyGatewayBindTaggedAddresses", False), ("EnvoyGatewayBindAddresses", ("map", "ConsulGatewayBindAddress")), ("EnvoyGatewayNoDefaultBind", False), ("EnvoyDNSDiscoveryType", ""), ("Config", None)),
    "ConsulGatewayBindAddress": (("Address", ""), ("Port", 0)),
    "ConsulIngressConfigEntry": (("TLS", ("ptr", "ConsulGatewayTLSConfig")), ("Listeners", ("list", "ConsulIngressListener"))),
    "ConsulIngressListener": (("Port", 0), ("Protocol", ""), ("Services", ("list", "ConsulIngressService"))),
    "ConsulIngressService": (("Name", ""), ("Hosts", None), ("TLS", ("ptr", "ConsulGatewayTLSConfig")), ("RequestHeaders", ("ptr", "ConsulHTTPHeaderModifiers")), ("ResponseHeaders", ("ptr", "ConsulHTTPHeaderModifiers")), ("MaxConnections", None), ("MaxPendingRequests", None), ("MaxConcurrentRequests", None)),
    "ConsulGatewayTLSConfig": (("Enabled", False), ("TLSMinVersion", ""), ("TLSMaxVersion", ""), ("CipherSuites", None), ("SDS", ("ptr", "ConsulGatewayTLSSDSConfig"))),
    "ConsulGatewayTLSSDSConfig": (("ClusterName", ""), ("CertResource", "")),
    "ConsulHTTPHeaderModifiers": (("Add", None), ("Set", None), ("Remove", None)),
    "ConsulTerminatingConfigEntry": (("Services", ("list", "ConsulLinkedService")),),
    "ConsulLinkedService": (("Name", ""), ("CAFile", ""), ("CertFile", ""), ("KeyFile", ""), ("SNI", "")),
    "ConsulMeshConfigEntry": (),
    "Resources": (("CPU", 0), ("Cores", 0), ("MemoryMB", 0), ("MemoryMaxMB", 0), ("DiskMB", 0), ("IOPS", 0), ("Networks", ("list", "NetworkResource")), ("Devices", ("list", "RequestedDevice")), ("NUMA", ("ptr", "NUMA")), ("SecretsMB", 0)),
    "NetworkResource": (("Mode", ""), ("Device", ""), ("CIDR", ""), ("IP", ""), ("Hostname", ""), ("MBits", 0), ("DNS", ("ptr", "DNSConfig")), ("ReservedPorts", ("list", "Port")), ("DynamicPorts", ("list", "Port")), ("CNI", ("ptr", "CNIConfig"))),
    "Port": (("Label", ""), ("Value", 0), ("To", 0), ("HostNetwork", "")),
    "DNSConfig": (("Servers", None), ("Searches", None), ("Options", None)),
    "RestartPolicy": (("Attempts", 0), ("Interval", 0), ("Delay", 0), ("Mode", ""), ("RenderTemplates", False)),
    "ReschedulePolicy": (("Attempts", 0), ("Interval", 0), ("Delay", 0), ("DelayFunction", ""), ("MaxDelay", 0), ("Unlimited", False)),
    "MigrateStrategy": (("MaxParallel", 0), ("HealthCheck", ""), ("MinHealthyTime", 0), ("HealthyDeadline", 0)),
    "UpdateStrategy": (("Stagger", 0), ("MaxParallel", 0), ("HealthCheck", ""), ("MinHealthyTime", 0), ("HealthyDeadline", 0), ("ProgressDeadline", 0), ("AutoRevert", False), ("AutoPromote", False), ("Canary", 0)),
    "EphemeralDisk": (("Sticky", False), ("SizeMB", 0), ("Migrate", False)),
    "LogConfig": (("MaxFiles", 0), ("MaxFileSizeMB", 0), ("Disabled", False)),
    "Template": (("SourcePath", ""), ("DestPath", ""), ("EmbeddedTmpl", ""), ("ChangeMode", ""), ("ChangeSignal", ""), ("ChangeScript", ("ptr", "ChangeScript")), ("Splay", 0), ("Perms", ""), ("Uid", None), ("Gid", None), ("LeftDelim", ""), ("RightDelim", ""), ("Envvars", False), ("VaultGrace", 0), ("Wait", ("ptr", "WaitConfig")), ("ErrMissingKey", False)),
    "TaskArtifact": (("GetterSource", ""), ("GetterOptions", None), ("GetterHeaders", None), ("GetterMode", ""), ("GetterInsecure", False), ("RelativeDest", "")),
    "Vault": (("Role", ""), ("Policies", None), ("Namespace", ""), ("Cluster", ""), ("Env", False), ("DisableFile", False), ("ChangeMode", ""), ("ChangeSignal", ""), ("AllowTokenExpiration", False)),
    "Consul": (("Namespace", ""), ("Cluster", ""), ("Partition", "")),
    "Constraint": (("LTarget", ""), ("RTarget", ""), ("Operand", "")),
    "Affinity": (("LTarget", ""), ("RTarget", ""), ("Operand", ""), ("Weight", 0)),
    "Spread": (("Attribute", ""), ("Weight", 0), ("SpreadTarget", ("list", "SpreadTarget"))),
    "SpreadTarget": (("Value", ""), ("Percent", 0)),
    "TaskLifecycleConfig": (("Hook", ""), ("Sidecar", False)),
    "WorkloadIdentity": (("Name", ""), ("Audience", None), ("ChangeMode", ""), ("ChangeSignal", ""), ("Env", False), ("File", False), ("ServiceName", ""), ("TTL", 0)),
    "VolumeRequest": (("Name", ""), ("Type", ""), ("Source", ""), ("ReadOnly", False), ("AccessMode", ""), ("AttachmentMode", ""), ("MountOptions", ("ptr", "CSIMountOptions")), ("PerAlloc", False)),
    "VolumeMount": (("Volume", ""), ("Destination", ""), ("ReadOnly", False), ("PropagationMode", ""), ("SELinuxLabel", "")),
    "DisconnectStrategy": (("LostAfter", 0), ("StopOnClientAfter", None), ("Replace", None), ("Reconcile", "")),
    "PeriodicConfig": (("Enabled", False), ("Spec", ""), ("Specs", None), ("SpecType", ""), ("ProhibitOverlap", False), ("TimeZone", "")),
    "ParameterizedJobConfig": (("Payload", ""), ("MetaRequired", None), ("MetaOptional", None)),
    "Multiregion": (("Strategy", ("ptr", "MultiregionStrategy")), ("Regions", ("list", "MultiregionRegion"))),
    "MultiregionStrategy": (("MaxParallel", 0), ("OnFailure", "")),
    "MultiregionRegion": (("Name", ""), ("Count", 0), ("Datacenters", None), ("NodePool", ""), ("Meta", None)),
    "ScalingPolicy": (("ID", ""), ("Type", ""), ("Target", None), ("Policy", None), ("Min", 0), ("Max", 0), ("Enabled", False), ("CreateIndex", 0), ("ModifyIndex", 0)),
    "JobUIConfig": (("Description", ""), ("Links", ("list", "JobUILink"))),
    "JobUILink": (("Label", ""), ("Url", "")),
    "RequestedDevice": (("Name", ""), ("Count", 0), ("Constraints", ("list", "Constraint")), ("Affinities", ("list", "Affinity"))),
    "NUMA": (("Affinity", ""),),
    "DispatchPayloadConfig": (("File", ""),),
    "WaitConfig": (("Min", None), ("Max", None)),
    "ChangeScript": (("Command", ""), ("Args", None), ("Timeout", 0), ("FailOnError", False)),
    "Action": (("Name", ""), ("Command", ""), ("Args", None)),
    "TaskSchedule": (("Cron", ("ptr", "TaskScheduleCron")),),
    "TaskScheduleCron": (("Start", ""), ("End", ""), ("Timezone", "")),
    "ConsulTransparentProxy": (("UID", ""), ("OutboundPort", 0), ("ExcludeInboundPorts", None), ("ExcludeOutboundPorts", None), ("ExcludeOutboundCIDRs", None), ("ExcludeUIDs", None), ("NoDNS", False)),
    "CNIConfig": (("Args", None),),
    "CSIMountOptions": (("FSType", ""), ("MountFlags", None)),
    "TaskCSIPluginConfig": (("ID", ""), ("Type", ""), ("MountDir", ""), ("StagePublishBaseDir", ""), ("HealthTimeout", 0)),
}

# Fields Go's JSON encoder leaves out when empty (`json:",omitempty"`).
OMIT_EMPTY = {("NetworkResource", "Hostname")}


def shaped(type_name: str, value: dict | None) -> dict:
    """A new dict with exactly type_name's fields: value's where given (None is Go's zero), the zero value elsewhere."""
    value = value or {}
    out = {}
    for field, kind in STRUCT_FIELDS[type_name]:
        given = value.get(field)
        if isinstance(kind, tuple):
            out[field] = _nested(kind, given)
        elif given is None:
            out[field] = copy.deepcopy(kind)
        else:
            out[field] = copy.deepcopy(given)
        if (type_name, field) in OMIT_EMPTY and not out[field]:
            del out[field]
    return out


def zero(type_name: str) -> dict:
    """A struct of type_name with every field at its zero value."""
    return shaped(type_name, None)


def _nested(kind: tuple, given):
    how, type_name = kind
    if how == "val":
        return shaped(type_name, given if isinstance(given, dict) else None)
    if given is None:
        return None
    if how == "ptr":
        return shaped(type_name, given)
    if how == "list":
        return [shaped(type_name, item) if item is not None else None for item in given]
    return {key: shaped(type_name, item) if item is not None else None for key, item in given.items()}
