"""The order service: places orders, invoiced by the invoice service."""

from services.order.app import create_app

__all__ = ["create_app"]
