"""Service configuration read from the environment (Nomad's variables first, then plain ones)."""

import os
from collections.abc import Iterable, Mapping

DEFAULT_CONNECT_TIMEOUT = 1.0
DEFAULT_READ_TIMEOUT = 3.0
MAX_BODY_BYTES = 64 * 1024


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable and the bad value."""


def env_name(upstream: str) -> str:
    """Return the form of an upstream name used in variable names (dashes become underscores)."""
    return upstream.replace("-", "_")


def normalize_upstream_url(value: str) -> str:
    """Turn 'host:port' or 'http://host:port/' into 'http://host:port'."""
    value = value.strip().rstrip("/")
    if "://" not in value:
        value = f"http://{value}"
    return value


def upstream_url_from_env(upstream: str, environ: Mapping[str, str]) -> str | None:
    """Return the base URL of an upstream: <NAME>_URL wins over NOMAD_UPSTREAM_ADDR_<name>."""
    name = env_name(upstream)
    explicit = environ.get(f"{name.upper()}_URL", "").strip()
    if explicit:
        return normalize_upstream_url(explicit)
    nomad_addr = environ.get(f"NOMAD_UPSTREAM_ADDR_{name}", "").strip()
    if nomad_addr:
        return normalize_upstream_url(nomad_addr)
    return None


def positive_float_from_env(environ: Mapping[str, str], variable: str, default: float) -> float:
    """Read a positive number of seconds, or the default when the variable is unset."""
    raw = environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{variable} must be a number of seconds, got {raw!r}") from None
    if not 0 < value <= 600:
        raise ConfigError(f"{variable} must be between 0 and 600 seconds, got {raw!r}")
    return value


def whole_number_from_env(
    environ: Mapping[str, str], variable: str, default: int, low: int, high: int
) -> int:
    """Read a whole number from low to high, or the default when the variable is unset."""
    raw = environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{variable} must be a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


def flag_from_env(environ: Mapping[str, str], variable: str) -> bool:
    """Read a boolean flag: 1/true/yes/on or 0/false/no/off (unset is false)."""
    raw = environ.get(variable, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{variable} must be 1 or 0, got {raw!r}")


def base_config(upstreams: Iterable[str], environ: Mapping[str, str] | None = None) -> dict:
    """Return the settings every service has, read from environ (default: os.environ)."""
    environ = os.environ if environ is None else environ
    return {
        "UPSTREAM_URLS": {name: upstream_url_from_env(name, environ) for name in upstreams},
        "UPSTREAM_CONNECT_TIMEOUT": positive_float_from_env(
            environ, "UPSTREAM_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT
        ),
        "UPSTREAM_READ_TIMEOUT": positive_float_from_env(
            environ, "UPSTREAM_READ_TIMEOUT", DEFAULT_READ_TIMEOUT
        ),
        "UPSTREAM_KEEPALIVE": flag_from_env(environ, "UPSTREAM_KEEPALIVE"),
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "LOG_REQUESTS": True,
    }
