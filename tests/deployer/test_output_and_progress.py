"""Colour rules, tables, the progress view and deferred Ctrl-C."""

import io
import os
import signal
import time

import pytest

from deployer.interrupts import deferred_interrupt
from deployer.output import Console, colour_enabled, format_table
from deployer.progress import ProgressView


class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("stream,flag,env,expected", [
    (TTY(), False, {}, True),
    (TTY(), True, {}, False),
    (TTY(), False, {"NO_COLOR": ""}, False),
    (io.StringIO(), False, {}, False),
])
def test_colour_only_on_a_tty_without_no_color(stream, flag, env, expected):
    assert colour_enabled(stream, flag, env) is expected


def test_error_lines_have_no_escape_codes_off_a_tty():
    err = io.StringIO()
    Console(out=io.StringIO(), err=err).error("boom", "do this")
    assert err.getvalue() == "error: boom\nhint: do this\n"


def test_format_table_aligns_columns():
    assert format_table(["A", "LONGER"], [["xxxx", "y"]]) == ["A     LONGER", "xxxx  y"]


def test_plain_progress_prints_a_line_per_change():
    out = io.StringIO()
    view = ProgressView(Console(out=out), ["tax", "order"]).start()
    view.update("tax", stage="deployment", healthy=0, desired=1)
    view.update("tax", stage="deployment", healthy=0, desired=1)  # no change, no line
    view.update("tax", healthy=1)
    view.update("tax", stage="done")
    view.stop()
    lines = out.getvalue().splitlines()
    assert [line.split()[:3] for line in lines] == [["tax", "deployment", "0/1"], ["tax", "deployment", "1/1"],
                                                    ["tax", "done", "1/1"]]


def test_tty_progress_redraws_in_place():
    out = TTY()
    view = ProgressView(Console(out=out), ["tax", "order"], redraw_interval=0.01).start()
    view.update("tax", stage="deployment", healthy=1, desired=1)
    deadline = time.monotonic() + 5
    while "tax" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    view.stop()  # draws once more, over the lines drawn before
    text = out.getvalue()
    assert "\033[2F" in text  # moved up over the two job lines to redraw them
    assert "tax          deployment     1/1" in text and "order        waiting" in text


def test_ctrl_c_waits_for_the_block_to_finish():
    finished = []
    with pytest.raises(KeyboardInterrupt):
        with deferred_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            finished.append(True)
    assert finished == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
