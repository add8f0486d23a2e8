"""Shared pytest configuration: fixture plugins live in tests/fixtures/."""

import signal

pytest_plugins = ["tests.fixtures.consul", "tests.fixtures.devagent"]


def pytest_configure(config):
    """Give the run Python's own Ctrl-C handling even when started in the background.

    A shell starts a background job (`make test &`, nohup) with SIGINT ignored, and an ignored
    signal stays ignored in every process it starts: the Ctrl-C tests would then see no
    KeyboardInterrupt in the deployer. A handler (unlike SIG_IGN) is reset by exec, so the
    processes the tests start get Python's default again too.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
