"""Each Envoy sidecar holds a known number of inotify instances; devagent refuses to start one past the limit."""

import os

import pytest

from devagent.sidecars.envoy import inotify
from devagent.sidecars.envoy.inotify import InotifyExhausted, check_inotify_budget, instances_needed


def inotify_fds(pid: int) -> int:
    fd_dir = f"/proc/{pid}/fd"
    return sum(1 for fd in os.listdir(fd_dir) if os.readlink(f"{fd_dir}/{fd}") == "anon_inode:inotify")


@pytest.mark.envoy
@pytest.mark.consul
def test_an_envoy_holds_the_instances_the_budget_counts(web_api):
    web, api = web_api
    assert inotify_fds(web.process.pid) == instances_needed(len(web.spec().upstreams))
    assert inotify_fds(api.process.pid) == instances_needed(0)


def test_no_room_left_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(inotify, "instance_limit", lambda: 10)
    monkeypatch.setattr(inotify, "instances_in_use", lambda uid=None: 7)
    with pytest.raises(InotifyExhausted, match=r"needs 6 inotify instances but 7 of the 10 .* -sidecar builtin"):
        check_inotify_budget(upstream_count=1)


def test_room_left_passes(monkeypatch):
    monkeypatch.setattr(inotify, "instance_limit", lambda: 128)
    monkeypatch.setattr(inotify, "instances_in_use", lambda uid=None: 100)
    check_inotify_budget(upstream_count=3)
