"""Nomad and Consul clients, built in one place from flags, then environment."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

import consul
import nomad
import nomad.api.exceptions as nomad_exc
import requests

from deployer.consul_permissions import needed_permission, refusal_hint, refusal_message
from deployer.errors import DeployerError

NOMAD_HINT = "is `make up` running? set NOMAD_ADDR (or --nomad-addr)"
CONSUL_HINT = "is `make up` running? set CONSUL_HTTP_ADDR (or --consul-addr)"
TOKEN_HINT = "check NOMAD_TOKEN / CONSUL_HTTP_TOKEN (or --nomad-token / --consul-token)"
REQUEST_TIMEOUT = 10
# Nomad's own CLI waits as long as its server takes; a busy server (100 jobs placed at once) can take
# seconds per call, and one timed-out read would fail a whole apply
NOMAD_REQUEST_TIMEOUT = 30


@dataclass(frozen=True)
class Endpoints:
    """Where Nomad and Consul are and which tokens to use."""

    nomad_addr: str
    nomad_token: str | None
    consul_addr: str
    consul_token: str | None
    # NOMAD_NAMESPACE / NOMAD_REGION, as Nomad's CLI reads them: sent with every Nomad request
    nomad_namespace: str | None = None
    nomad_region: str | None = None

    @classmethod
    def resolve(cls, nomad_addr=None, nomad_token=None, consul_addr=None, consul_token=None,
                env=None) -> "Endpoints":
        """Flags beat environment variables, which beat the local defaults."""
        env = os.environ if env is None else env
        return cls(
            nomad_addr=_as_url(nomad_addr or env.get("NOMAD_ADDR") or "http://127.0.0.1:4646"),
            nomad_token=nomad_token or env.get("NOMAD_TOKEN") or None,
            consul_addr=_as_url(consul_addr or env.get("CONSUL_HTTP_ADDR") or "http://127.0.0.1:8500"),
            consul_token=consul_token or env.get("CONSUL_HTTP_TOKEN") or None,
            nomad_namespace=env.get("NOMAD_NAMESPACE") or None,
            nomad_region=env.get("NOMAD_REGION") or None,
        )


def _as_url(addr: str) -> str:
    """Accept `host:port` (as CONSUL_HTTP_ADDR often is) or a full URL."""
    addr = addr.strip().rstrip("/")
    if "://" not in addr:
        addr = f"http://{addr}"
    hint = "use HOST:PORT or http://HOST:PORT (https:// for TLS)"
    try:
        parts = urlsplit(addr)
        port = parts.port  # raises ValueError for a port that is not a number in 0-65535
    except ValueError as exc:
        raise DeployerError(f"invalid address {addr!r}: {exc}", hint=hint) from None
    if not parts.hostname or parts.scheme not in ("http", "https") or port == 0:
        raise DeployerError(f"invalid address {addr!r}", hint=hint)
    if parts.path or parts.query or parts.fragment:
        raise DeployerError(f"invalid address {addr!r}: it has a path or query", hint=hint)
    return addr


class ConsulHTTP:
    """Raw Consul HTTP calls for what python-consul2 lacks or gets wrong."""

    def __init__(self, base_url: str, token: str | None, session: requests.Session):
        self.base_url = base_url
        self.session = session
        self.headers = {"X-Consul-Token": token} if token else {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Send one request; connection problems become a DeployerError."""
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        try:
            response = self.session.request(method, f"{self.base_url}{path}", headers=self.headers, **kwargs)
        except requests.RequestException as exc:
            raise consul_unreachable(self.base_url, exc) from exc
        if response.status_code in (401, 403):
            raise DeployerError(refusal_message(f"{method} {path}", response.text, needed_permission(method, path)),
                                hint=refusal_hint(response.text))
        return response

    def get_json(self, path: str, **kwargs):
        """GET a path and return its JSON; None on 404; other failures raise."""
        response = self.request("GET", path, **kwargs)
        if response.status_code == 404:
            return None
        check_consul_response(response, f"GET {path}")
        return response.json()


def check_consul_response(response: requests.Response, what: str) -> None:
    """Raise a DeployerError when a raw Consul call failed."""
    if not response.ok:
        raise DeployerError(f"Consul {what} failed: HTTP {response.status_code} {response.text.strip()[:200]}")


def why_unreachable(exc: BaseException) -> str:
    """A short reason for a failed connection."""
    inner = getattr(exc, "nomad_resp", exc)
    text = str(inner)
    if isinstance(inner, requests.Timeout) or "timed out" in text:
        return "timed out"
    if "Connection refused" in text:
        return "connection refused"
    if "Name or service not known" in text or "Failed to resolve" in text:
        return "unknown host"
    return type(inner).__name__


def consul_unreachable(url: str, exc: Exception) -> DeployerError:
    """The error for a Consul agent that does not answer."""
    return DeployerError(f"cannot reach Consul at {url}: {why_unreachable(exc)}", hint=CONSUL_HINT)


def nomad_unreachable(url: str, exc: Exception) -> DeployerError:
    """The error for a Nomad agent that does not answer."""
    return DeployerError(f"cannot reach Nomad at {url}: {why_unreachable(exc)}", hint=NOMAD_HINT)


class Clients:
    """python-nomad, python-consul2 and a raw Consul session, sharing one set of endpoints."""

    def __init__(self, endpoints: Endpoints):
        self.endpoints = endpoints
        self.session = requests.Session()
        # the same namespace and region for python-nomad's calls and for the raw ones below
        self.nomad = nomad.Nomad(address=endpoints.nomad_addr, token=endpoints.nomad_token,
                                 timeout=NOMAD_REQUEST_TIMEOUT, session=self.session,
                                 namespace=endpoints.nomad_namespace, region=endpoints.nomad_region)
        self.consul = _consul_client(endpoints)
        self.consul_http = ConsulHTTP(endpoints.consul_addr, endpoints.consul_token, self.session)

    def nomad_call(self, what: str, call, *args, **kwargs):
        """Run a python-nomad call, turning its exceptions into DeployerErrors (404 -> None)."""
        try:
            return call(*args, **kwargs)
        except nomad_exc.URLNotFoundNomadException:
            return None
        except nomad_exc.URLNotAuthorizedNomadException as exc:
            raise DeployerError(f"Nomad refused {what}: {_nomad_text(exc)}", hint=TOKEN_HINT) from exc
        except nomad_exc.BaseNomadException as exc:
            if not isinstance(exc.nomad_resp, requests.Response):
                raise nomad_unreachable(self.endpoints.nomad_addr, exc) from exc
            raise DeployerError(f"Nomad {what} failed: {_nomad_text(exc)}") from exc

    def consul_call(self, what: str, call, *args, **kwargs):
        """Run a python-consul2 call, turning its exceptions into DeployerErrors."""
        try:
            return call(*args, **kwargs)
        except requests.RequestException as exc:
            raise consul_unreachable(self.endpoints.consul_addr, exc) from exc
        except consul.ACLPermissionDenied as exc:
            raise DeployerError(refusal_message(what, str(exc), needed_permission("", what)),
                                hint=refusal_hint(str(exc))) from exc
        except consul.ACLDisabled as exc:
            raise DeployerError(f"Consul refused {what}: {exc}", hint=TOKEN_HINT) from exc
        except consul.ConsulException as exc:
            raise DeployerError(f"Consul {what} failed: {exc}") from exc

    def nomad_get(self, path: str, params: dict | None = None, timeout: float = NOMAD_REQUEST_TIMEOUT,
                  refuse_forbidden: bool = True) -> requests.Response:
        """Raw Nomad GET (for blocking queries: python-nomad has no index/wait arguments); a 403 is an error
        unless refuse_forbidden is off (then the caller reads it)."""
        return self._nomad_request("GET", path, params=params or {}, timeout=timeout,
                                   refuse_forbidden=refuse_forbidden)

    def nomad_post(self, path: str, body: dict, timeout: float = NOMAD_REQUEST_TIMEOUT) -> requests.Response:
        """Raw Nomad POST whose error answers the caller reads itself (python-nomad turns them into exceptions)."""
        return self._nomad_request("POST", path, json=body, timeout=timeout)

    def _nomad_request(self, method: str, path: str, params: dict | None = None, refuse_forbidden: bool = True,
                       **kwargs) -> requests.Response:
        headers = {"X-Nomad-Token": self.endpoints.nomad_token} if self.endpoints.nomad_token else {}
        params = dict(params or {})
        for name, value in (("namespace", self.endpoints.nomad_namespace), ("region", self.endpoints.nomad_region)):
            if value:
                params.setdefault(name, value)
        kwargs["params"] = params
        try:
            response = self.session.request(method, f"{self.endpoints.nomad_addr}{path}", headers=headers, **kwargs)
        except requests.RequestException as exc:
            raise nomad_unreachable(self.endpoints.nomad_addr, exc) from exc
        if response.status_code == 403 and refuse_forbidden:
            raise DeployerError(f"Nomad refused {method} {path}: {response.text.strip()}", hint=TOKEN_HINT)
        return response


def _nomad_text(exc: nomad_exc.BaseNomadException) -> str:
    """The body of a failed Nomad response, trimmed to one line."""
    resp = exc.nomad_resp
    text = resp.text if isinstance(resp, requests.Response) else str(resp)
    return " ".join(text.split())[:300]


def _consul_client(endpoints: Endpoints) -> consul.Consul:
    """A python-consul2 client pointed at our endpoints even if CONSUL_HTTP_ADDR says otherwise."""
    parts = urlsplit(endpoints.consul_addr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # python-consul2 warns about legacy APIs we never call
        try:
            client = consul.Consul(host=parts.hostname, port=parts.port or 8500, scheme=parts.scheme,
                                   token=endpoints.consul_token, timeout=REQUEST_TIMEOUT)
        except consul.ConsulException as exc:  # it chokes on a CONSUL_HTTP_ADDR it cannot split
            raise DeployerError(str(exc), hint="set CONSUL_HTTP_ADDR to HOST:PORT or http://HOST:PORT") from exc
    # python-consul2 prefers CONSUL_HTTP_ADDR / CONSUL_HTTP_TOKEN over its arguments: undo that.
    client.http = client.http_connect(parts.hostname, parts.port or 8500, parts.scheme, True, None,
                                      timeout=REQUEST_TIMEOUT)
    client.token = endpoints.consul_token
    return client
