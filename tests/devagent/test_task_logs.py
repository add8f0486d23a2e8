"""Task logs rotate as Nomad's do: <task>.<kind>.N, a new file at the size limit, at most MaxFiles kept."""

import io

from devagent.task_logs import MIB, RotatingLog, log_files


def names(tmp_path, kind="stdout"):
    return [p.name for p in log_files(tmp_path, "app", kind)]


def test_writes_go_to_index_0_until_it_is_full(tmp_path):
    log = RotatingLog(tmp_path, "app", "stdout", max_files=3, max_file_mb=1)
    log.write(b"hello\n")
    assert names(tmp_path) == ["app.stdout.0"]
    assert (tmp_path / "app.stdout.0").read_bytes() == b"hello\n"


def test_a_full_file_starts_the_next_and_the_oldest_are_dropped(tmp_path):
    log = RotatingLog(tmp_path, "app", "stderr", max_files=3, max_file_mb=1)
    log.write(b"x" * (4 * MIB + 10))
    assert names(tmp_path, "stderr") == ["app.stderr.2", "app.stderr.3", "app.stderr.4"]
    assert [(tmp_path / n).stat().st_size for n in names(tmp_path, "stderr")] == [MIB, MIB, 10]


def test_a_new_log_object_appends_to_the_newest_file(tmp_path):
    RotatingLog(tmp_path, "app", "stdout", max_files=5, max_file_mb=1).write(b"y" * (MIB + 1))
    again = RotatingLog(tmp_path, "app", "stdout", max_files=5, max_file_mb=1)
    again.write(b"z")
    assert names(tmp_path) == ["app.stdout.0", "app.stdout.1"]
    assert (tmp_path / "app.stdout.1").read_bytes() == b"yz"


def test_pump_copies_a_stream_until_it_closes(tmp_path):
    log = RotatingLog(tmp_path, "app", "stdout")
    log.pump(io.BufferedReader(io.BytesIO(b"line 1\nline 2\n"))).join(5)
    assert (tmp_path / "app.stdout.0").read_bytes() == b"line 1\nline 2\n"
