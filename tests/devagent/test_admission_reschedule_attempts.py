"""ReschedulePolicy.viableAttempts: devagent's closed form equals Go's per-attempt loops; huge counts finish (pure)."""

import itertools

import pytest

from devagent.admission.validate_policies import _viable_attempts, validate_reschedule

S = 1_000_000_000
MIN_INT64, MAX_INT64 = -(1 << 63), (1 << 63) - 1


def wrap(value):
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


def go_pow2(exponent):
    """time.Duration(math.Pow(2, float64(i))) on amd64: out-of-range floats become MinInt64."""
    value = 2.0 ** exponent if exponent < 1024 else float("inf")
    return int(value) if value <= MAX_INT64 else MIN_INT64


def go_viable_attempts(attempts, interval, delay, function, max_delay):
    """nomad/structs ReschedulePolicy.viableAttempts, loop for loop."""
    possible, recommended, valid = 0, 0, True
    if function == "constant":
        recommended = wrap(attempts * delay)
        if interval < recommended:
            possible, valid = int(interval / delay), False
    elif function == "exponential":
        for i in range(attempts):
            next_delay = wrap(go_pow2(i) * delay)
            if next_delay > max_delay:
                recommended = wrap(recommended + max_delay)
            else:
                recommended = next_delay
            if recommended < interval:
                possible += 1
        valid = possible >= attempts
    else:
        slots, ceiling = [delay, delay], False
        for i in range(2, attempts):
            if ceiling:
                next_delay = wrap(slots[i - 1] + max_delay)
            else:
                next_delay = wrap(slots[i - 1] + slots[i - 2])
                if next_delay > max_delay:
                    next_delay, ceiling = max_delay, True
            slots.append(next_delay)
        recommended = slots[-1]
        if interval < recommended:
            valid = False
            possible = next((i for i, slot in enumerate(slots) if slot > interval), 0)
    return valid, possible, recommended


PARAMS = list(itertools.product(
    (1, 2, 3, 10, 62, 63, 64, 65, 100, 300, 5000),    # attempts
    (5 * S, 60 * S, 3600 * S, 24 * 3600 * S),         # interval
    (5 * S, 30 * S, 5 * S + 1),                       # delay (an odd one exercises MinInt64 * delay)
    ("constant", "exponential", "fibonacci"),
    (30 * S, 600 * S, 3600 * S),                      # max_delay
))


@pytest.mark.parametrize("attempts, interval, delay, function, max_delay", PARAMS)
def test_closed_form_equals_gos_loops(attempts, interval, delay, function, max_delay):
    expected = go_viable_attempts(attempts, interval, delay, function, max_delay)
    assert _viable_attempts(attempts, interval, delay, function, max_delay) == expected


@pytest.mark.parametrize("function, attempts", [
    ("constant", 99_999_999), ("exponential", 99_999_999),
    ("fibonacci", 1_000_000),  # more would wrap int64 past the interval, and Go would then accept it
])
def test_a_huge_attempt_count_is_answered_without_looping_per_attempt(function, attempts):
    policy = {"Attempts": attempts, "Interval": 3600 * S, "Delay": 30 * S, "DelayFunction": function,
              "MaxDelay": 3600 * S, "Unlimited": False}
    error = validate_reschedule(policy)
    assert error is not None
    assert f"to accommodate {attempts} attempts" in str(error)
