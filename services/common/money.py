"""Money as Decimal: strict parsing, two places rounded half-up, rendered as strings."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services.common.errors import InputError

CENT = Decimal("0.01")
MAX_UNIT_PRICE = Decimal("1000000000")
MAX_AMOUNT = Decimal("1000000000000000")
_PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def parse_decimal(value: object, field: str, maximum: Decimal) -> Decimal:
    """Parse a non-negative number (JSON number or plain decimal string) no larger than maximum."""
    if isinstance(value, bool):
        raise InputError(f"{field} must be a number, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40 or not _PLAIN_DECIMAL.fullmatch(text):
            raise InputError(f"{field} must be a decimal number, got {value[:40]!r}")
        number = Decimal(text)
    elif isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        raise InputError(f"{field} must be a number, got {type(value).__name__}")
    try:
        if not number.is_finite():
            raise InputError(f"{field} must be a finite number")
        if number < 0:
            raise InputError(f"{field} must not be negative, got {format(number, 'f')}")
        if number > maximum:
            raise InputError(f"{field} must be at most {maximum}, got {value!r}")
    except InvalidOperation:
        raise InputError(f"{field} must be a number, got {value!r}") from None
    return number


def to_cents(amount: Decimal) -> Decimal:
    """Round to two places, half-up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> str:
    """Render an amount as a string with exactly two places, rounded half-up."""
    return format(to_cents(amount), "f")
