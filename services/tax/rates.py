"""Tax rates per region: built-in defaults, overridden and extended by TAX_RATES."""

import os
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from services.common.config import ConfigError
from services.common.errors import InputError
from services.common.validation import parse_region

DEFAULT_RATES = {
    "US-CA": Decimal("0.0725"),
    "US-NY": Decimal("0.04"),
    "US-TX": Decimal("0.0625"),
    "DE": Decimal("0.19"),
    "FR": Decimal("0.20"),
    "GB": Decimal("0.20"),
    "NL": Decimal("0.21"),
    "JP": Decimal("0.10"),
}


def parse_rates(text: str) -> dict[str, Decimal]:
    """Parse 'US-CA=0.0725,DE=0.19' into {region: rate}; rates are fractions from 0 to 1."""
    rates = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        region, sep, rate_text = entry.partition("=")
        try:
            if not sep:
                raise ValueError
            code = parse_region(region)
            rate = Decimal(rate_text.strip())
            if not rate.is_finite() or not 0 <= rate <= 1:
                raise ValueError
        except (ValueError, InvalidOperation, InputError):
            raise ConfigError(
                f"TAX_RATES entry {entry!r} must look like REGION=RATE with a rate from 0 to 1, e.g. DE=0.19"
            ) from None
        rates[code] = rate
    return rates


def rates_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Decimal]:
    """Return the default rates updated with those in TAX_RATES."""
    environ = os.environ if environ is None else environ
    return {**DEFAULT_RATES, **parse_rates(environ.get("TAX_RATES", ""))}
