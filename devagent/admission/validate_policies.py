"""A group's policies: update, restart, reschedule, migrate, disconnect, scaling, ephemeral disk (structs.go)."""

from __future__ import annotations

from devagent.durations import SECOND

from .multierror import MultiError
from .go_text import duration, go_bool, quote, quote_list
from .structs_fields import block, flag, items, mapping, number, text

_RESTART_MIN_INTERVAL = 5 * SECOND
_RESCHEDULE_MIN_INTERVAL = 15 * SECOND
_RESCHEDULE_MIN_DELAY = 5 * SECOND
_DELAY_FUNCTIONS = ("constant", "exponential", "fibonacci")
_RECONCILE_OPTIONS = ("", "best_score", "longest_running", "keep_original", "keep_replacement")


def validate_update(update: dict) -> MultiError | None:
    """UpdateStrategy.Validate."""
    errors = MultiError()
    add = errors.errors.append
    health_check = text(update, "HealthCheck")
    max_parallel, canary = number(update, "MaxParallel"), number(update, "Canary")
    min_healthy, healthy_deadline = number(update, "MinHealthyTime"), number(update, "HealthyDeadline")
    progress_deadline, stagger = number(update, "ProgressDeadline"), number(update, "Stagger")
    if health_check not in ("checks", "task_states", "manual"):
        add(f"Invalid health check given: {quote(health_check)}")
    if max_parallel < 0:
        add(f"Max parallel can not be less than zero: {max_parallel} < 0")
    if canary < 0:
        add(f"Canary count can not be less than zero: {canary} < 0")
    if canary == 0 and flag(update, "AutoPromote"):
        add("Auto Promote requires a Canary count greater than zero")
    if min_healthy < 0:
        add(f"Minimum healthy time may not be less than zero: {duration(min_healthy)}")
    if healthy_deadline <= 0:
        add(f"Healthy deadline must be greater than zero: {duration(healthy_deadline)}")
    if progress_deadline < 0:
        add(f"Progress deadline must be zero or greater: {duration(progress_deadline)}")
    if min_healthy >= healthy_deadline:
        add("Minimum healthy time must be less than healthy deadline: "
            f"{duration(min_healthy)} > {duration(healthy_deadline)}")
    if progress_deadline != 0 and healthy_deadline >= progress_deadline:
        add("Healthy deadline must be less than progress deadline: "
            f"{duration(healthy_deadline)} > {duration(progress_deadline)}")
    if stagger <= 0:
        add(f"Stagger must be greater than zero: {duration(stagger)}")
    return errors.error_or_none()


def validate_restart(policy: dict) -> MultiError | None:
    """RestartPolicy.Validate."""
    errors = MultiError()
    mode, attempts = text(policy, "Mode"), number(policy, "Attempts")
    interval, delay = number(policy, "Interval"), number(policy, "Delay")
    if mode not in ("delay", "fail"):
        errors.errors.append(f"Unsupported restart mode: {quote(mode)}")
    if attempts == 0 and mode != "fail":
        errors.errors.append(f"Restart policy {quote(mode)} with {attempts} attempts is ambiguous")
    if interval < _RESTART_MIN_INTERVAL:
        errors.errors.append(f"Interval can not be less than {duration(_RESTART_MIN_INTERVAL)} "
                             f"(got {duration(interval)})")
    if _int64(attempts * delay) > interval:
        errors.errors.append(f"Nomad can't restart the TaskGroup {attempts} times in an interval of "
                             f"{duration(interval)} with a delay of {duration(delay)}")
    return errors.error_or_none()


def validate_reschedule(policy: dict) -> MultiError | None:
    """ReschedulePolicy.Validate (only an enabled policy: attempts > 0 or unlimited)."""
    attempts, unlimited = number(policy, "Attempts"), flag(policy, "Unlimited")
    if not (attempts > 0 or unlimited):
        return None
    errors = MultiError()
    add = errors.errors.append
    interval, delay = number(policy, "Interval"), number(policy, "Delay")
    function, max_delay = text(policy, "DelayFunction"), number(policy, "MaxDelay")
    if attempts > 0:
        if interval <= 0:
            add("Interval must be a non zero value if Attempts > 0")
        if unlimited:
            add(f"Reschedule Policy with Attempts = {attempts}, Interval = {duration(interval)}, "
                f"and Unlimited = {go_bool(unlimited)} is ambiguous")
            add("If Attempts >0, Unlimited cannot also be set to true")
    delays_valid = True
    if delay < _RESCHEDULE_MIN_DELAY:
        add(f"Delay cannot be less than {duration(_RESCHEDULE_MIN_DELAY)} (got {duration(delay)})")
        delays_valid = False
    if function not in _DELAY_FUNCTIONS:
        add(f"Invalid delay function {quote(function)}, must be one of {quote_list(_DELAY_FUNCTIONS)}")
        delays_valid = False
    if function != "constant":
        if max_delay < _RESCHEDULE_MIN_DELAY:
            # Nomad prints Delay here, not MaxDelay.
            add(f"Max Delay cannot be less than {duration(_RESCHEDULE_MIN_DELAY)} (got {duration(delay)})")
            delays_valid = False
        if max_delay < delay:
            add(f"Max Delay cannot be less than Delay {duration(delay)} (got {duration(max_delay)})")
            delays_valid = False
    if not unlimited:
        if interval < _RESCHEDULE_MIN_INTERVAL:
            add(f"Interval cannot be less than {duration(_RESCHEDULE_MIN_INTERVAL)} (got {duration(interval)})")
        if not delays_valid:
            return errors.error_or_none()
        errors.append(_reschedule_delay_errors(attempts, interval, delay, function, max_delay))
    return errors.error_or_none()


def _reschedule_delay_errors(attempts, interval, delay, function, max_delay) -> MultiError | None:
    """ReschedulePolicy.validateDelayParams: can `attempts` reschedules fit in `interval`?"""
    viable, possible, recommended = _viable_attempts(attempts, interval, delay, function, max_delay)
    if viable:
        return None
    errors = MultiError()
    if function == "constant":
        errors.errors.append(f"Nomad can only make {possible} attempts in {duration(interval)} with initial delay "
                             f"{duration(delay)} and delay function {quote(function)}")
    else:
        errors.errors.append(f"Nomad can only make {possible} attempts in {duration(interval)} with initial delay "
                             f"{duration(delay)}, delay function {quote(function)}, "
                             f"and delay ceiling {duration(max_delay)}")
    errors.errors.append(f"Set the interval to at least {duration(_round_to_second(recommended))} "
                         f"to accommodate {attempts} attempts")
    return errors


def _viable_attempts(attempts, interval, delay, function, max_delay) -> tuple[bool, int, int]:
    """ReschedulePolicy.viableAttempts in closed form where Go loops once per attempt (attempts may be huge)."""
    if function == "constant":
        recommended = _int64(attempts * delay)
        if interval < recommended:
            return False, max(_go_div(interval, delay), 0), recommended
        return True, 0, recommended
    if function == "exponential":
        return _exponential_attempts(attempts, interval, delay, max_delay)
    return _fibonacci_attempts(attempts, interval, delay, max_delay)


# time.Duration(math.Pow(2, i)) for i >= 63 is out of int64's range: amd64 converts it to math.MinInt64.
_POW2_EXACT = 63
_MIN_INT64 = -(1 << 63)


def _exponential_attempts(attempts, interval, delay, max_delay) -> tuple[bool, int, int]:
    possible, recommended = 0, 0
    for exponent in range(min(max(attempts, 0), _POW2_EXACT)):
        next_delay = _int64((1 << exponent) * delay)
        recommended = _int64(recommended + max_delay) if next_delay > max_delay else next_delay
        if recommended < interval:
            possible += 1
    if attempts > _POW2_EXACT:
        # Every later factor is MinInt64, so each later attempt repeats the same step.
        next_delay = _int64(_MIN_INT64 * delay)
        remaining = attempts - _POW2_EXACT
        if next_delay > max_delay:  # unreachable after Validate's delay checks; Go's loop, step by step
            for _ in range(remaining):
                recommended = _int64(recommended + max_delay)
                possible += recommended < interval
        else:
            recommended = next_delay
            possible += remaining if recommended < interval else 0
    return possible >= attempts, max(possible, 0), recommended


def _fibonacci_attempts(attempts, interval, delay, max_delay) -> tuple[bool, int, int]:
    slots = [delay, delay]
    index, reached_ceiling = 2, False
    while index < attempts and not reached_ceiling:
        next_delay = _int64(slots[index - 1] + slots[index - 2])
        if next_delay > max_delay:
            next_delay, reached_ceiling = max_delay, True
        slots.append(next_delay)
        index += 1
    # After the ceiling the slots grow linearly by max_delay: slot[index + j] = slot[index - 1] + (j + 1) * max_delay.
    last = len(slots) - 1
    remaining = max(attempts - len(slots), 0)
    recommended = _int64(slots[last] + remaining * max_delay)
    if interval >= recommended:
        return True, 0, recommended
    for position, slot in enumerate(slots):
        if slot > interval:
            return False, position, recommended
    # The first linear slot above the interval (slots only grow until they pass it, before any int64 wrap).
    if max_delay > 0:
        steps = max((interval - slots[last]) // max_delay + 1, 1)
        if steps <= remaining:
            return False, last + steps, recommended
    return False, 0, recommended


def validate_migrate(migrate: dict) -> MultiError | None:
    """MigrateStrategy.Validate."""
    errors = MultiError()
    add = errors.errors.append
    max_parallel, health_check = number(migrate, "MaxParallel"), text(migrate, "HealthCheck")
    min_healthy, healthy_deadline = number(migrate, "MinHealthyTime"), number(migrate, "HealthyDeadline")
    if max_parallel < 0:
        add(f"MaxParallel must be >= 0 but found {max_parallel}")
    if health_check == "":
        if max_parallel > 0:
            add("Missing HealthCheck")
    elif health_check not in ("checks", "task_states"):
        add(f"Invalid HealthCheck: {quote(health_check)}")
    if min_healthy < 0:
        add(f"MinHealthyTime is {duration(min_healthy)} and must be >= 0")
    if healthy_deadline < 0:
        add(f"HealthyDeadline is {duration(healthy_deadline)} and must be >= 0")
    if min_healthy > healthy_deadline:
        add("MinHealthyTime must be less than HealthyDeadline")
    return errors.error_or_none()


def validate_disconnect(disconnect: dict, job_type: str) -> MultiError | None:
    """DisconnectStrategy.Validate."""
    errors = MultiError()
    add = errors.errors.append
    stop_after = disconnect.get("StopOnClientAfter")
    lost_after = number(disconnect, "LostAfter")
    if stop_after is not None:
        if stop_after < 0:
            add("stop_after cannot be a negative duration")
        if job_type not in ("service", "batch"):
            add("stop_after can only be used with service or batch job types")
    if lost_after < 0:
        add("lost_after cannot be a negative duration")
    if stop_after is not None and lost_after != 0:
        add("Disconnect cannot be configured with both lost_after and stop_after")
    reconcile = text(disconnect, "Reconcile")
    if reconcile not in _RECONCILE_OPTIONS:
        add(f"reconcile option is invalid: {reconcile}")
    return errors.error_or_none()


def validate_ephemeral_disk(disk: dict) -> str | None:
    """EphemeralDisk.Validate."""
    size = number(disk, "SizeMB")
    return f"minimum DiskMB value is 10; got {size}" if size < 10 else None


def validate_scaling(policy: dict) -> MultiError | None:
    """ScalingPolicy.Validate (community edition: only the horizontal type)."""
    errors = MultiError()
    add = errors.errors.append
    policy_type = text(policy, "Type")
    if policy_type == "":
        add("missing scaling policy type")
    elif policy_type == "horizontal":
        target = mapping(policy, "Target")
        if target:
            for key, label in (("Namespace", "namespace"), ("Job", "job"), ("Group", "group")):
                if not target.get(key):
                    add(f"missing target {label}")
    else:
        add(f'scaling policy type "{policy_type}" is not valid')
    minimum, maximum = number(policy, "Min"), number(policy, "Max")
    if maximum < 0:
        add("maximum count must be specified and non-negative")
    elif maximum < minimum:
        add("maximum count must not be less than minimum count")
    if minimum < 0:
        add("minimum count must be specified and non-negative")
    return errors.error_or_none()


def scaling_errors(group: dict, job: dict) -> MultiError | None:
    """TaskGroup.validateScalingPolicy: the policy's own errors, then its bounds against the group count."""
    policy = block(group, "Scaling")
    if policy is None:
        return None
    errors = MultiError()
    problem = validate_scaling(policy)
    for error in problem.errors if problem else []:
        errors.errors.append(f"Scaling policy invalid: {error}")
    count = number(group, "Count")
    if number(policy, "Max") < count:
        errors.errors.append("Scaling policy invalid: task group count must not be greater than maximum count "
                             "in scaling policy")
    multiregion_exception = is_multiregion(job) and count == 0 and text(job, "Region") == "global"
    if count < number(policy, "Min") and not multiregion_exception:
        errors.errors.append("Scaling policy invalid: task group count must not be less than minimum count "
                             "in scaling policy")
    return errors.error_or_none()


def is_multiregion(job: dict) -> bool:
    """Job.IsMultiregion: a multiregion block that lists regions."""
    return bool(items(block(job, "Multiregion"), "Regions"))


def _int64(value: int) -> int:
    """Go's int64 arithmetic wraps around."""
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


def _go_div(a: int, b: int) -> int:
    """Go's integer division truncates toward zero."""
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def _round_to_second(ns: int) -> int:
    """time.Duration.Round(time.Second): halves round away from zero."""
    remainder = abs(ns) % SECOND
    magnitude = abs(ns) - remainder + (SECOND if remainder * 2 >= SECOND else 0)
    return magnitude if ns >= 0 else -magnitude

