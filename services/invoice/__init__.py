"""The invoice service: line totals and subtotal, tax from the tax service."""

from services.invoice.app import create_app

__all__ = ["create_app"]
