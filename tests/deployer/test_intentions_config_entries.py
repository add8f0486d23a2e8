"""The Consul >= 1.9 path (service-intentions config entries), against a documented-shape fake.

Consul >= 1.9 cannot run here (only 1.8.7 exists on this machine), so these tests start a
small local HTTP server IN THIS TEST FILE ONLY that follows Consul's documented shapes:
`GET/PUT/DELETE /v1/config[...]` with `?cas=` (0 = create only if absent, else ModifyIndex
must match; the answer is `true`/`false`), entries `{Kind, Name, Sources: [{Name, Action,
Precedence, Type, Description, LegacyMeta...}], Meta, CreateIndex, ModifyIndex}` as in
hashicorp/consul api/config_entry_intentions.go and website/content/api-docs/config.mdx,
and `/v1/agent/self` reporting `Config.Version`. It is not Consul: it checks the request
shapes the deployer sends and answers the way the docs say Consul answers.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

KIND = "service-intentions"


class FakeConfigEntries:
    """State and request log of the documented-shape fake."""

    def __init__(self, version="1.15.2"):
        self.version = version
        self.entries: dict[str, dict] = {}
        self.index = 10
        self.log: list[tuple[str, str, dict, object]] = []
        self.race_once = None  # a function run once before the next PUT, then the PUT's cas fails
        self.legacy: list[dict] = []  # what GET /v1/connect/intentions answers when version is 1.8.x

    def seed(self, name, sources):
        self.index += 1
        self.entries[name] = {"Kind": KIND, "Name": name, "Sources": sources,
                              "CreateIndex": self.index, "ModifyIndex": self.index}

    def sources(self, name):
        return {s["Name"]: s for s in self.entries[name]["Sources"]} if name in self.entries else {}

    def handle(self, method, path, query, body):
        self.log.append((method, path, query, body))
        if path == "/v1/agent/self":
            return 200, {"Config": {"Version": self.version, "Datacenter": "dc1"}}
        if method == "GET" and path == f"/v1/config/{KIND}":
            return 200, [self.entries[n] for n in sorted(self.entries)]
        if path.startswith(f"/v1/config/{KIND}/"):
            name = path.rsplit("/", 1)[1]
            if method == "GET":
                return (200, self.entries[name]) if name in self.entries else (404, None)
            if method == "DELETE":
                cas = int(query.get("cas", ["-1"])[0])
                if name in self.entries and cas >= 0 and self.entries[name]["ModifyIndex"] != cas:
                    return 200, False
                self.entries.pop(name, None)
                return 200, True
        if method == "PUT" and path == "/v1/config":
            return self._put(query, body)
        if method == "GET" and path == "/v1/connect/intentions" and self.version.startswith("1.8."):
            return (200, self.legacy) if self.legacy is not None else (404, None)  # Consul 1.8: ID-based list
        if path == "/v1/connect/intentions/check":
            return 200, {"Allowed": self._allowed(query["source"][0], query["destination"][0])}
        return 404, None

    def _put(self, query, body):
        assert body["Kind"] == KIND and body["Name"]
        for source in body["Sources"]:
            assert source["Name"] and (source.get("Action") in ("allow", "deny") or source.get("Permissions"))
        if self.race_once:
            self.race_once(), setattr(self, "race_once", None)
        cas = int(query["cas"][0])
        current = self.entries.get(body["Name"])
        if (cas == 0 and current) or (cas and (not current or current["ModifyIndex"] != cas)):
            return 200, False
        self.index += 1
        self.entries[body["Name"]] = {**body, "CreateIndex": (current or {}).get("CreateIndex", self.index),
                                      "ModifyIndex": self.index}
        return 200, True

    def _allowed(self, source, destination):
        for name in (destination, "*"):
            sources = self.sources(name)
            for candidate in (source, "*"):
                if candidate in sources:
                    return sources[candidate]["Action"] == "allow"
        return True


@pytest.fixture
def fake():
    state = FakeConfigEntries()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            status, answer = state.handle(self.command, parts.path, parse_qs(parts.query), body)
            data = json.dumps(answer).encode() if answer is not None else b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_DELETE = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.addr = f"127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def intentions(run_cli, fake):
    def run(*args):
        return run_cli("--consul-addr", fake.addr, "intentions", *args)
    return run


def puts(fake):
    return [(q.get("cas", [None])[0], b["Name"]) for m, p, q, b in fake.log if m == "PUT"]


def test_apply_creates_one_entry_per_destination_with_cas_0(intentions, fake):
    result = intentions("apply")
    assert result.code == 0 and "created order -> invoice (allow)" in result.out
    assert sorted(puts(fake)) == [("0", "invoice"), ("0", "tax")]
    assert fake.sources("invoice")["order"] == {"Name": "order", "Action": "allow", "Type": "consul",
                                                "Description": "managed_by=deployer"}
    assert intentions("apply").out.strip() == "intentions: no changes"
    assert intentions("diff").code == 0


def test_foreign_sources_survive_the_whole_list_put(intentions, fake):
    foreign = {"Name": "billing", "Action": "deny", "Precedence": 9, "Type": "consul"}
    fake.seed("tax", [foreign])
    modify_index = fake.entries["tax"]["ModifyIndex"]
    intentions("apply")
    assert (str(modify_index), "tax") in puts(fake)
    assert fake.sources("tax")["billing"] == foreign
    assert fake.sources("tax")["invoice"]["Action"] == "allow"
    listed = {(i["source"], i["destination"]): i["managed"] for i in json.loads(intentions("list", "--json").out)}
    assert listed == {("billing", "tax"): False, ("invoice", "tax"): True, ("order", "invoice"): True}


def test_deny_twice_then_diff_and_apply_restore(intentions, fake):
    intentions("apply")
    assert "deny (was allow)" in intentions("deny", "invoice", "tax", "--no-wait").out
    assert "already deny" in intentions("deny", "invoice", "tax", "--no-wait").out
    assert fake.sources("tax")["invoice"]["Action"] == "deny"
    assert intentions("check", "invoice", "tax").out.strip() == "invoice -> tax: denied"
    assert intentions("diff").code == 1
    assert "updated invoice -> tax (deny -> allow)" in intentions("apply").out
    assert fake.sources("tax")["invoice"]["Action"] == "allow"


def test_legacy_created_intentions_count_as_ours_by_legacy_meta(intentions, fake):
    fake.seed("invoice", [{"Name": "order", "Action": "deny", "Type": "consul", "Precedence": 9,
                           "LegacyID": "abc", "LegacyMeta": {"managed_by": "deployer"}}])
    assert "updated order -> invoice (deny -> allow)" in intentions("apply").out


def test_cas_race_is_retried_and_keeps_the_other_writers_source(intentions, fake):
    fake.seed("tax", [])
    fake.race_once = lambda: fake.seed("tax", [{"Name": "audit", "Action": "allow", "Type": "consul"}])
    assert intentions("deny", "invoice", "tax", "--no-wait").code == 0
    assert set(fake.sources("tax")) == {"audit", "invoice"}
    assert len([p for p in puts(fake) if p[1] == "tax"]) == 2


def test_deleting_the_last_source_deletes_the_entry_with_cas(intentions, fake):
    intentions("deny", "invoice", "tax", "--no-wait")
    index = fake.entries["tax"]["ModifyIndex"]
    assert "deleted (deny)" in intentions("delete", "invoice", "tax").out
    assert "tax" not in fake.entries
    assert ("DELETE", f"/v1/config/{KIND}/tax", {"cas": [str(index)]}) in [(m, p, q) for m, p, q, _ in fake.log]


def test_old_consul_uses_the_legacy_api(intentions, fake):
    fake.version = "1.8.7"
    fake.legacy = [  # shaped as Consul 1.8's GET /v1/connect/intentions answers
        {"ID": "5f3c0b1e-0000-4000-8000-000000000001", "SourceNS": "default", "SourceName": "order",
         "DestinationNS": "default", "DestinationName": "invoice", "SourceType": "consul", "Action": "allow",
         "Meta": {"managed_by": "deployer"}, "Precedence": 9, "CreateIndex": 11, "ModifyIndex": 11},
        {"ID": "5f3c0b1e-0000-4000-8000-000000000002", "SourceNS": "default", "SourceName": "*",
         "DestinationNS": "default", "DestinationName": "tax", "SourceType": "consul", "Action": "deny",
         "Meta": {}, "Precedence": 8, "CreateIndex": 12, "ModifyIndex": 12},
    ]
    result = intentions("--json", "list")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {"source": "*", "destination": "tax", "action": "deny", "managed": False},
        {"source": "order", "destination": "invoice", "action": "allow", "managed": True},
    ]
    assert ("GET", "/v1/connect/intentions") in [(m, p) for m, p, _, _ in fake.log]
    assert not [p for m, p, _, _ in fake.log if p.startswith("/v1/config")]


def test_a_consul_without_the_legacy_list_is_a_clean_error(intentions, fake):
    fake.version = "1.8.7"
    fake.legacy = None  # answered 404, as an agent without that endpoint would
    result = intentions("list")
    assert result.code == 1
    assert result.err.startswith("error: Consul has no intentions list") and "unexpected" not in result.err
