"""Errors answered as JSON: every error body names the service and says what went wrong."""

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge


class ServiceError(Exception):
    """An error with an HTTP status and a JSON body; subclasses add their own fields."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def fields(self) -> dict:
        """Return the body fields besides 'error' and 'service'."""
        return {}


class InputError(ServiceError, ValueError):
    """Bad client input; answered with HTTP 400 and this message."""

    status = 400


def error_response(service: str, status: int, message: str, **fields):
    """Build the JSON error response every route uses."""
    response = jsonify({"error": message, "service": service, **fields})
    response.status_code = status
    return response


def register_error_handlers(app: Flask, service: str) -> None:
    """Answer every error with JSON; bad input is a 400, never a 500."""

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        return error_response(service, exc.status, exc.message, **exc.fields())

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_exc):
        limit = app.config["MAX_CONTENT_LENGTH"]
        return error_response(service, 400, f"request body too large (limit {limit} bytes)")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        response = error_response(service, exc.code or 500, exc.description or exc.name)
        for name, value in exc.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value  # e.g. Allow on a 405
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        logging.getLogger(f"services.{service}").exception("unhandled error")
        return error_response(service, 500, f"internal error: {type(exc).__name__}")
