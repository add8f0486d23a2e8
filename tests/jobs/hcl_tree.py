"""Parse rendered HCL with python-hcl2 into plain Python values for assertions."""

from __future__ import annotations

import re

import hcl2

_ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t", "%%{": "%{", "$${": "${"}
_ESCAPE = re.compile("|".join(re.escape(e) for e in _ESCAPES))


def _plain(value):
    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items() if not key.startswith("__")}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], value[1:-1])
    return value


def parse_hcl(text: str) -> dict:
    """HCL text -> nested dicts and lists, strings unquoted, block and comment markers removed."""
    return _plain(hcl2.loads(text))


def block(parent: dict, kind: str, label: str | None = None) -> dict:
    """The only block `kind` (with `label`, if given) inside parent; fails if not exactly one."""
    blocks = parent.get(kind)
    assert isinstance(blocks, list) and len(blocks) == 1, f"expected one {kind} block, got {blocks!r}"
    body = blocks[0]
    if label is not None:
        assert list(body) == [label], f"expected {kind} {label!r}, got {list(body)}"
        body = body[label]
    return body


def blocks(parent: dict, kind: str) -> list[dict]:
    """All blocks `kind` inside parent (an empty list if there are none)."""
    return parent.get(kind, [])
