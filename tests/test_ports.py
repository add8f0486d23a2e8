"""Port checks see what a server would see."""

import socket

from devagent.ports import free_port, is_port_free


def test_a_listening_port_is_taken():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert not is_port_free(server.getsockname()[1])


def test_time_wait_leftovers_do_not_make_a_port_taken():
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first: its end goes to TIME_WAIT
        client.close()
    assert is_port_free(port)


def test_free_port_is_free():
    assert is_port_free(free_port())
