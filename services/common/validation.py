"""Strict reading of request input: JSON bodies, text fields and order items."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, request

from services.common.errors import InputError
from services.common.money import MAX_UNIT_PRICE, parse_decimal

MAX_ITEMS = 100
MAX_QTY = 10000
MAX_TEXT = 100
_REGION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")


@dataclass(frozen=True)
class Item:
    """One validated order line: a SKU, a quantity and a unit price."""

    sku: str
    qty: int
    unit_price: Decimal

    def as_json(self) -> dict:
        """Return the item as it is sent upstream."""
        return {"sku": self.sku, "qty": self.qty, "unit_price": format(self.unit_price, "f")}


def _reject_constant(name: str) -> None:
    raise InputError(f"request body contains {name}, which is not a number")


def read_json_object() -> dict:
    """Read the request body as one JSON object, refusing bodies over MAX_CONTENT_LENGTH."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    raw = request.stream.read(limit)
    # Werkzeug cuts a chunked body silently at the limit; one more byte tells us it was longer.
    if len(raw) == limit and request.stream.read(1):
        raise InputError(f"request body too large (limit {limit} bytes)")
    return parse_json_object(raw)


def parse_json_object(raw: bytes) -> dict:
    """Decode a request body that must be one JSON object; floats stay exact as Decimal."""
    if not raw.strip():
        raise InputError("request body is empty; expected a JSON object")
    try:
        body = json.loads(raw, parse_float=Decimal, parse_constant=_reject_constant)
    except InputError:
        raise
    except (ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:120] if isinstance(exc, ValueError) else "nested too deeply"
        raise InputError(f"request body is not valid JSON: {reason}") from None
    if not isinstance(body, dict):
        raise InputError(f"request body must be a JSON object, got {type(body).__name__}")
    return body


def check_fields(obj: dict, required: tuple[str, ...], where: str = "request body") -> None:
    """Reject missing and unknown fields, naming them."""
    missing = [name for name in required if name not in obj]
    if missing:
        raise InputError(f"{where} is missing field(s): {', '.join(missing)}")
    unknown = sorted(set(obj) - set(required))
    if unknown:
        raise InputError(f"{where} has unknown field(s): {', '.join(unknown)}")


def parse_text(value: object, field: str, max_len: int = MAX_TEXT) -> str:
    """Return a non-empty string of at most max_len characters."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{field} must be a non-empty string")
    value = value.strip()
    if len(value) > max_len:
        raise InputError(f"{field} must be at most {max_len} characters")
    return value


def parse_region(value: object) -> str:
    """Return a region code such as 'US-CA', upper-cased."""
    if not isinstance(value, str) or not _REGION.fullmatch(value.strip()):
        raise InputError(f"region must be a code like 'US-CA' or 'DE', got {str(value)[:40]!r}")
    return value.strip().upper()


def parse_qty(value: object, field: str) -> int:
    """Return a whole quantity between 1 and MAX_QTY."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{field} must be a whole number, got {str(value)[:40]!r}")
    if not 1 <= value <= MAX_QTY:
        raise InputError(f"{field} must be between 1 and {MAX_QTY}, got {value}")
    return value


def parse_items(value: object) -> list[Item]:
    """Return 1..MAX_ITEMS validated items from a JSON list of {sku, qty, unit_price}."""
    if not isinstance(value, list):
        raise InputError("items must be a list of {sku, qty, unit_price}")
    if not 1 <= len(value) <= MAX_ITEMS:
        raise InputError(f"items must hold between 1 and {MAX_ITEMS} entries, got {len(value)}")
    items = []
    for index, raw in enumerate(value):
        where = f"items[{index}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where} must be an object with sku, qty and unit_price")
        check_fields(raw, ("sku", "qty", "unit_price"), where)
        items.append(
            Item(
                sku=parse_text(raw["sku"], f"{where}.sku", 64),
                qty=parse_qty(raw["qty"], f"{where}.qty"),
                unit_price=parse_decimal(raw["unit_price"], f"{where}.unit_price", MAX_UNIT_PRICE),
            )
        )
    return items
