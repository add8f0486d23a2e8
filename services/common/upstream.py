"""Calls to upstream services, and the errors that say which hop of the chain failed."""

from http.client import RemoteDisconnected

import requests

from services.common.config import env_name, normalize_upstream_url
from services.common.deadline import TIMEOUT_HEADER, bounded_timeouts
from services.common.errors import ServiceError

BODY_SNIPPET = 200
DETAIL_LIMIT = 400


class UpstreamFailure(ServiceError):
    """An upstream call that gave no usable answer: 502 (or 503 when not configured)."""

    status = 502

    def __init__(self, upstream: str, reason: str, detail: str, failed_hop: str, message: str = ""):
        super().__init__(message or f"upstream {upstream} failed: {reason}")
        self.upstream = upstream
        self.reason = reason
        self.detail = detail
        self.failed_hop = failed_hop

    def fields(self) -> dict:
        return {
            "upstream": self.upstream,
            "reason": self.reason,
            "detail": self.detail,
            "failed_hop": self.failed_hop,
        }


class UpstreamNotConfigured(UpstreamFailure):
    """No address is known for an upstream: the call is not even tried."""

    status = 503

    def __init__(self, caller: str, upstream: str):
        name = env_name(upstream)
        super().__init__(
            upstream,
            "not configured",
            f"set NOMAD_UPSTREAM_ADDR_{name} or {name.upper()}_URL",
            f"{caller} -> {upstream}",
            message=f"upstream {upstream} is not configured",
        )


class UpstreamRejected(ServiceError):
    """An upstream refused our request as bad input (HTTP 400): the client's fault, passed on."""

    status = 400

    def __init__(self, upstream: str, message: str):
        super().__init__(message)
        self.upstream = upstream

    def fields(self) -> dict:
        return {"upstream": self.upstream}


def _exception_chain(exc: BaseException):
    """Yield exc and every exception it wraps (causes, contexts, urllib3 reasons, args)."""
    seen, pending = set(), [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))


def classify_failure(exc: requests.RequestException) -> str:
    """Name what went wrong on the wire: refused, reset, closed, or which timeout."""
    if isinstance(exc, requests.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, requests.ReadTimeout):
        return "read timeout"
    chain = list(_exception_chain(exc))
    # RemoteDisconnected subclasses ConnectionResetError, so it must be checked first.
    for kind, reason in (
        (ConnectionRefusedError, "connection refused"),
        ((RemoteDisconnected, BrokenPipeError, ConnectionAbortedError), "connection closed"),
        (ConnectionResetError, "connection reset"),
    ):
        if any(isinstance(item, kind) for item in chain):
            return reason
    return "connection failed"


def _snippet(response: requests.Response) -> str:
    return " ".join(response.text[:BODY_SNIPPET].split())


def _json_object(response: requests.Response) -> dict | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class UpstreamClient:
    """Calls one upstream with short timeouts, a new connection per call unless keepalive."""

    def __init__(
        self,
        caller: str,
        upstream: str,
        base_url: str | None,
        connect_timeout: float,
        read_timeout: float,
        keepalive: bool = False,
    ):
        self.caller = caller
        self.upstream = upstream
        self.base_url = normalize_upstream_url(base_url) if base_url else None
        self.timeouts = (connect_timeout, read_timeout)
        # A kept-alive connection can outlive a deny on L4 proxies, hence opt-in only.
        self.session = requests.Session() if keepalive else None

    @property
    def hop(self) -> str:
        """Return the hop this client crosses, e.g. 'invoice -> tax'."""
        return f"{self.caller} -> {self.upstream}"

    def _send(
        self, method: str, path: str, request_id: str, deadline: float | None, **kwargs
    ) -> requests.Response:
        if self.base_url is None:
            raise UpstreamNotConfigured(self.caller, self.upstream)
        timeouts = bounded_timeouts(*self.timeouts, deadline)
        if timeouts is None:
            raise UpstreamFailure(self.upstream, "deadline exceeded", "the caller's time budget ran out", self.hop)
        headers = {
            "X-Request-ID": request_id,
            TIMEOUT_HEADER: str(int(timeouts[1] * 1000)),
            "Accept": "application/json",
        }
        if self.session is None:
            headers["Connection"] = "close"
        send = self.session.request if self.session is not None else requests.request
        try:
            return send(method, self.base_url + path, headers=headers, timeout=timeouts, **kwargs)
        except requests.RequestException as exc:
            raise UpstreamFailure(self.upstream, classify_failure(exc), str(exc)[:DETAIL_LIMIT], self.hop) from None

    def call(self, method: str, path: str, request_id: str, deadline: float | None = None, **kwargs) -> dict:
        """Send a request and return its JSON object, or raise UpstreamFailure / UpstreamRejected."""
        response = self._send(method, path, request_id, deadline, **kwargs)
        body = _json_object(response)
        if 200 <= response.status_code < 300:
            if body is None:
                raise UpstreamFailure(
                    self.upstream, "invalid response", f"expected a JSON object, got {_snippet(response)!r}", self.hop
                )
            return body
        if response.status_code == 400 and body is not None and isinstance(body.get("error"), str):
            raise UpstreamRejected(self.upstream, body["error"])
        raise self._failure_from_status(response, body)

    def _failure_from_status(self, response: requests.Response, body: dict | None) -> UpstreamFailure:
        """Turn an error status into a failure, carrying the hop an upstream already blamed."""
        status = response.status_code
        carried_hop = body.get("failed_hop") if body is not None and status >= 500 else None
        if isinstance(carried_hop, str) and carried_hop:
            reason = body.get("reason") if isinstance(body.get("reason"), str) else f"HTTP {status}"
            detail = body.get("detail") if isinstance(body.get("detail"), str) else ""
            return UpstreamFailure(
                self.upstream,
                reason,
                detail,
                carried_hop,
                message=f"upstream {self.upstream} failed: {body.get('error', f'HTTP {status}')}",
            )
        # A 403 here is the sidecar's RBAC answering for a denied intention.
        return UpstreamFailure(self.upstream, f"HTTP {status}", f"HTTP {status}: {_snippet(response)}", self.hop)

    def probe(self, request_id: str) -> dict:
        """Check the upstream's own /health; return {'status': 'ok'} or the failure's fields."""
        try:
            body = self.call("GET", "/health", request_id)
        except UpstreamFailure as exc:
            return {"status": "failing", "error": exc.message, "reason": exc.reason, "detail": exc.detail}
        except UpstreamRejected as exc:
            return {"status": "failing", "error": exc.message, "reason": "HTTP 400", "detail": ""}
        if body.get("status") != "ok":
            return {"status": "failing", "error": "unexpected health answer", "reason": "invalid response",
                    "detail": str(body)[:BODY_SNIPPET]}
        return {"status": "ok"}
