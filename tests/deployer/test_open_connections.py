"""Pure parts of the already-open connection check: reading a whole response, and what the deployer says."""

import socket
import threading

import pytest

from deployer.intentions.commands import report_open_connections
from deployer.intentions.enforcement import Enforcement, OpenConnection, open_connection_note
from deployer.verify.kept_connection import CLOSED, read_response
from deployer.verify.probe import ALLOWED, DENIED


def answered(raw: bytes, close_after: bool = True):
    """read_response() on one end of a socket pair whose other end sent `raw`."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        sender = threading.Thread(target=lambda: (theirs.sendall(raw), close_after and theirs.shutdown(socket.SHUT_WR)))
        sender.start()
        result = read_response(ours)
        sender.join()
        return result


def test_a_response_with_its_length_leaves_the_connection_usable():
    assert answered(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", close_after=False) == (200, True)


def test_a_body_sent_in_pieces_is_read_to_its_length():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        def send():
            theirs.sendall(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 10\r\n\r\nabc")
            theirs.sendall(b"defghij")
        threading.Thread(target=send).start()
        assert read_response(ours) == (403, True)
        theirs.sendall(b"x")
        assert ours.recv(1) == b"x"  # nothing of the body was left behind for the next answer


@pytest.mark.parametrize("raw", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\n\r\nuntil the end",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
])
def test_an_answer_that_ends_the_connection_says_so(raw):
    status, reusable = answered(raw)
    assert status == 200 and not reusable


@pytest.mark.parametrize("raw", [b"", b"HTTP/1.1 200 OK\r\nContent-Le", b"garbage\r\n\r\n"])
def test_no_whole_status_is_none(raw):
    assert answered(raw) == (None, False)


def result(outcome: str, source="invoice", destination="tax", seconds=0.012) -> Enforcement:
    held = None if outcome is None else OpenConnection(outcome, seconds, {ALLOWED: "HTTP 200", DENIED: "HTTP 403",
                                                                          CLOSED: "closed by the peer"}[outcome])
    return Enforcement(source, destination, True, 0.01, "HTTP 403", held)


def test_notes_for_each_outcome():
    assert open_connection_note(result(None)) is None
    assert open_connection_note(result(DENIED)) == (
        "a connection invoice -> tax opened before the change: denied after 12 ms (HTTP 403)", False)
    assert open_connection_note(result(CLOSED))[0].startswith("a connection invoice -> tax opened before the change: "
                                                              "closed after 12 ms")
    text, warns = open_connection_note(result(ALLOWED))
    assert warns and "is still allowed (HTTP 200) 1s after new connections were denied: tax's sidecar checks" in text


class Console:
    def __init__(self):
        self.lines, self.warnings = [], []

    def line(self, text):
        self.lines.append(text)

    def warning(self, text):
        self.warnings.append(text)


class Ctx:
    def __init__(self):
        self.console = Console()


def test_several_pairs_get_one_line_and_one_warning():
    ctx = Ctx()
    report_open_connections(ctx, [result(DENIED, "order", "tax", 0.02), result(CLOSED, "order", "invoice", 0.03),
                                  result(ALLOWED, "invoice", "order"), result(ALLOWED, "tax", "order"),
                                  result(None, "tax", "invoice")])
    assert ctx.console.lines == ["intentions: connections opened before the change: denied or closed for 2 pair(s) "
                                 "within 30 ms"]
    assert len(ctx.console.warnings) == 1
    assert ctx.console.warnings[0].startswith("connections opened before the change are still allowed for 2 pair(s) "
                                              "(invoice -> order, tax -> order) 1s after new connections were denied")


def test_one_pair_gets_its_own_sentence():
    ctx = Ctx()
    report_open_connections(ctx, [result(DENIED), result(None, "order", "tax")])
    assert ctx.console.lines == ["a connection invoice -> tax opened before the change: denied after 12 ms (HTTP 403)"]
    assert ctx.console.warnings == []
