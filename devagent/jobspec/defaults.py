"""Nomad's default values, as in api/*.go (DefaultUpdateStrategy, defaultServiceJobRestartPolicy, ...)."""

from devagent.durations import HOUR, MINUTE, SECOND

KILL_TIMEOUT = 5 * SECOND  # a task's kill_timeout when it sets none (api Task.Canonicalize, structs.DefaultKillTimeout)


def update_strategy():
    """api.DefaultUpdateStrategy()."""
    return {
        "Stagger": 30 * SECOND,
        "MaxParallel": 1,
        "HealthCheck": "checks",
        "MinHealthyTime": 10 * SECOND,
        "HealthyDeadline": 5 * MINUTE,
        "ProgressDeadline": 10 * MINUTE,
        "AutoRevert": False,
        "Canary": 0,
        "AutoPromote": False,
    }


def restart_policy(job_type):
    """api.defaultServiceJobRestartPolicy / defaultBatchJobRestartPolicy."""
    if job_type in ("service", "system"):
        return {"Delay": 15 * SECOND, "Attempts": 2, "Interval": 30 * MINUTE, "Mode": "fail", "RenderTemplates": False}
    return {"Delay": 15 * SECOND, "Attempts": 3, "Interval": 24 * HOUR, "Mode": "fail", "RenderTemplates": False}


def reschedule_policy(job_type):
    """api.NewDefaultReschedulePolicy(jobType)."""
    if job_type == "service":
        return {"Delay": 30 * SECOND, "DelayFunction": "exponential", "MaxDelay": HOUR, "Unlimited": True,
                "Attempts": 0, "Interval": 0}
    if job_type == "batch":
        return {"Attempts": 1, "Interval": 24 * HOUR, "Delay": 5 * SECOND, "DelayFunction": "constant",
                "MaxDelay": 0, "Unlimited": False}
    return {"Attempts": 0, "Interval": 0, "Delay": 0, "DelayFunction": "", "MaxDelay": 0, "Unlimited": False}


def migrate_strategy():
    """api.DefaultMigrateStrategy()."""
    return {"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10 * SECOND, "HealthyDeadline": 5 * MINUTE}


def ephemeral_disk():
    """api.DefaultEphemeralDisk()."""
    return {"Sticky": False, "Migrate": False, "SizeMB": 300}


def log_config():
    """api.DefaultLogConfig()."""
    return {"MaxFiles": 10, "MaxFileSizeMB": 10, "Disabled": False}
