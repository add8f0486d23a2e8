"""The bench's own watch on Consul's intention list answers each change, timed from a given moment."""

import time

import pytest
import requests

from bench.consul_watch import IntentionWatch
from tests.waiting import wait_for

pytestmark = [pytest.mark.consul]


def test_each_intention_change_is_answered_after_the_write(consul_factory):
    consul = consul_factory(acl=False)  # the bench's Consul runs without ACLs
    with IntentionWatch(consul.url) as watch:
        written = time.time()
        requests.post(f"{consul.url}/v1/connect/intentions",
                      json={"SourceName": "web", "DestinationName": "api", "Action": "deny"}, timeout=10).raise_for_status()
        wait_for(watch.answers, timeout=10, what="the watch's answer")
        answered = watch.first_answer_after(written)
        assert answered is not None and 0 <= answered - written < 1.0
        assert watch.first_answer_after(written + 5) is None  # nothing changed later
        assert len(watch.answers()) == 1
