"""The shared intentions watch: one change calls back only the destinations whose intentions moved."""

from devagent.sidecars.envoy.mesh import ConsulMesh, intentions_topic


def _entry(source: str, destination: str, action: str = "allow") -> dict:
    return {"SourceName": source, "DestinationName": destination, "Action": action, "Precedence": 0}


def _mesh_with_subscribers(destinations):
    mesh = ConsulMesh("http://127.0.0.1:1")  # no watch is started: intentions are fed by hand
    called = []
    for name in destinations:
        mesh._subscribers[intentions_topic(name)] = [called.append]
    return mesh, called


def test_a_changed_intention_reaches_only_its_destination():
    mesh, called = _mesh_with_subscribers(["api", "db", "cache"])
    mesh._apply_intentions([_entry("web", "api"), _entry("api", "db")])
    assert sorted(called) == sorted(intentions_topic(n) for n in ("api", "db", "cache"))  # first read: everyone
    called.clear()
    mesh._apply_intentions([_entry("web", "api", "deny"), _entry("api", "db")])
    assert called == [intentions_topic("api")]
    assert [ix.action for ix in mesh.value(intentions_topic("api"))] == ["deny"]


def test_an_unchanged_list_calls_nobody_and_a_wildcard_reaches_everyone():
    mesh, called = _mesh_with_subscribers(["api", "db"])
    entries = [_entry("web", "api")]
    mesh._apply_intentions(entries)
    called.clear()
    mesh._apply_intentions(list(entries))
    assert called == []
    mesh._apply_intentions(entries + [_entry("*", "*", "deny")])
    assert sorted(called) == [intentions_topic("api"), intentions_topic("db")]
    assert {(ix.source, ix.destination) for ix in mesh.value(intentions_topic("api"))} == {("web", "api"), ("*", "*")}
