"""The tax service: tax on an amount for a region."""

from services.tax.app import create_app

__all__ = ["create_app"]
