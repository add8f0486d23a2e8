"""Nomad task events and task states (structs.TaskEvent, PopulateEventDisplayMessage)."""

from __future__ import annotations

from devagent.durations import format_go_duration
from devagent.state import now_ns

RECEIVED = "Received"
SETUP = "Task Setup"
STARTED = "Started"
TERMINATED = "Terminated"
RESTARTING = "Restarting"
RESTART_SIGNALED = "Restart Signaled"
NOT_RESTARTING = "Not Restarting"
KILLING = "Killing"
KILLED = "Killed"
DRIVER_FAILURE = "Driver Failure"
SIBLING_FAILED = "Sibling Task Failed"
SHUTDOWN_DELAY = "Waiting for shutdown delay"
SKIPPING_SHUTDOWN_DELAY = "Skipping shutdown delay"
ALLOC_UNHEALTHY = "Alloc Unhealthy"
REASON_WITHIN_POLICY = "Restart within policy"
MAX_EVENTS = 10  # Nomad keeps the last 10 events of a task


def new_task_state() -> dict:
    """A task's state before it starts."""
    return {"State": "pending", "Failed": False, "Restarts": 0, "LastRestart": None,
            "StartedAt": None, "FinishedAt": None, "Events": [], "TaskHandle": None}


def append_event(state: dict, event: dict) -> None:
    """Add an event to a TaskState, keeping only the newest MAX_EVENTS."""
    state["Events"] = (state["Events"] + [event])[-MAX_EVENTS:]


def task_event(kind: str, message: str = "", **fields) -> dict:
    """A TaskEvent with Nomad's fields and its DisplayMessage filled in."""
    event = {
        "Type": kind, "Time": now_ns(), "Message": message, "DisplayMessage": "", "Details": {},
        "FailsTask": False, "RestartReason": "", "SetupError": "", "DriverError": "",
        "ExitCode": 0, "Signal": 0, "KillReason": "", "KillTimeout": 0, "KillError": "",
        "StartDelay": 0, "DownloadError": "", "ValidationError": "", "DiskLimit": 0,
        "FailedSibling": "", "VaultError": "", "TaskSignalReason": "", "TaskSignal": "",
        "DriverMessage": "", "GenericSource": "",
    }
    event.update(fields)
    event["DisplayMessage"] = display_message(event)
    event["Details"] = _details(event)
    return event


def display_message(event: dict) -> str:
    """The human text Nomad shows for an event."""
    kind = event["Type"]
    if kind == RECEIVED:
        return "Task received by client"
    if kind == STARTED:
        return "Task started by client"
    if kind == TERMINATED:
        parts = [f"Exit Code: {event['ExitCode']}"]
        if event["Signal"]:
            parts.append(f"Signal: {event['Signal']}")
        if event["Message"]:
            parts.append(f"Exit Message: {event['Message']!r}".replace("'", '"'))
        return ", ".join(parts)
    if kind == RESTARTING:
        wait = f"Task restarting in {format_go_duration(event['StartDelay'])}"
        reason = event["RestartReason"]
        return f"{reason} - {wait}" if reason and reason != REASON_WITHIN_POLICY else wait
    if kind == NOT_RESTARTING:
        return event["RestartReason"] or "Task exceeded restart policy"
    if kind == RESTART_SIGNALED:
        return event["RestartReason"] or "Task signaled to restart"
    if kind == KILLING:
        if event["KillReason"]:
            return f"Killing task: {event['KillReason']}"
        if event["KillTimeout"]:
            return f"Sent interrupt. Waiting {format_go_duration(event['KillTimeout'])} before force killing"
        return "Sent interrupt"
    if kind == KILLED:
        return f"Task killed: {event['KillError']}" if event["KillError"] else "Task successfully killed"
    if kind == DRIVER_FAILURE:
        return event["DriverError"] or "Failed to start task"
    if kind == SIBLING_FAILED:
        return f'Task\'s sibling "{event["FailedSibling"]}" failed' if event["FailedSibling"] else "Task's sibling failed"
    return event["Message"]


def _details(event: dict) -> dict:
    kind = event["Type"]
    if kind == TERMINATED:
        return {"exit_code": str(event["ExitCode"]), "signal": str(event["Signal"]),
                "oom_killed": "false", "exit_message": event["Message"]}
    if kind == RESTARTING:
        return {"restart_reason": event["RestartReason"], "start_delay": str(event["StartDelay"])}
    if kind == NOT_RESTARTING:
        return {"restart_reason": event["RestartReason"], "fails_task": str(event["FailsTask"]).lower()}
    if kind == KILLING:
        return {"kill_timeout": str(event["KillTimeout"])}
    if kind == DRIVER_FAILURE:
        return {"driver_error": event["DriverError"], "fails_task": "true"}
    if kind == SIBLING_FAILED:
        return {"failed_sibling": event["FailedSibling"]}
    return {"message": event["Message"]} if event["Message"] else {}
