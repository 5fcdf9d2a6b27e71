"""`send` in run scripts: parsing, escapes, and the typist's timing."""
import os

import pytest

from minnow.diag import ToolError
from minnow.runtest import ExpectTracker
from minnow.serialpipe import SerialPipe, unescape
from minnow.testspec import parse_test


def test_escapes():
    assert unescape(r"\e") == "\x1b"
    assert unescape(r"t\r") == "t\r"
    assert unescape(r"a\\b\x41\n\t") == "a\\bA\n\t"
    assert unescape("plain") == "plain"
    with pytest.raises(ValueError):
        unescape(r"\q")
    with pytest.raises(ValueError):
        unescape(r"\xZZ")


def test_send_follows_its_expects():
    spec = parse_test("entry e\nsend \\e\nexpect one\nexpect two\nsend x\\r\n", "t.test")
    assert [(s.after, s.text) for s in spec.sends] == [(0, "\x1b"), (2, "x\r")]


def test_send_errors_are_reported_with_lines():
    with pytest.raises(ToolError) as e:
        parse_test("entry e\nsend\nsend \\q\n", "t.test")
    text = str(e.value)
    assert "t.test:2" in text and "t.test:3" in text


def test_send_not_with_build_fails():
    with pytest.raises(ToolError):
        parse_test("entry e\nbuild-fails x\nsend y\n", "t.test")


class FakePipe:
    def __init__(self):
        self.sent = []

    def send(self, text):
        self.sent.append(text)


def test_typist_types_in_order(tmp_path):
    log = tmp_path / "serial.log"
    log.write_text("")
    spec = parse_test("entry e\nsend A\nexpect ^ready\nsend B\nexpect ^done\nsend C\n", "t.test")
    pipe = FakePipe()
    typist = ExpectTracker(str(log), spec, pipe, lambda: False)
    typist()
    assert pipe.sent == ["A"]                 # nothing to wait for
    log.write_text("booting\n")
    typist()
    assert pipe.sent == ["A"]
    log.write_text("booting\ndone\nready\n")   # 'done' before 'ready' does not count
    typist()
    assert pipe.sent == ["A", "B"]
    with open(log, "a") as f:
        f.write("done\n")
    typist()
    assert pipe.sent == ["A", "B", "C"]


def test_serial_pipe_round_trip(tmp_path):
    log = tmp_path / "serial.log"
    log.write_text("")
    pipe = SerialPipe(str(tmp_path / "ser"), str(log))
    try:
        assert pipe.qemu_serial == f"pipe:{tmp_path / 'ser'}"
        # Play QEMU: read what we type, write output.
        fd_in = os.open(str(tmp_path / "ser.in"), os.O_RDWR)
        fd_out = os.open(str(tmp_path / "ser.out"), os.O_RDWR)
        pipe.send("hi\r")
        assert os.read(fd_in, 16) == b"hi\r"
        os.write(fd_out, b"guest says hello\n")
    finally:
        pipe.close()
    assert log.read_text() == "guest says hello\n"
    assert not os.path.exists(str(tmp_path / "ser.in"))
    os.close(fd_in)
    os.close(fd_out)


def test_stop_when_matched_stops_after_the_last_expect(tmp_path):
    log = tmp_path / "serial.log"
    log.write_text("")
    spec = parse_test("entry e\nexpect ^up\nexpect ^serving\nstop-when-matched\n", "t.test")
    tracker = ExpectTracker(str(log), spec, None, lambda: False)
    assert not tracker()
    log.write_text("serving\nup\n")           # out of order: not yet
    assert not tracker()
    log.write_text("serving\nup\nserving\n")
    assert tracker()


def test_stop_when_matched_yields_to_a_reject(tmp_path):
    log = tmp_path / "serial.log"
    log.write_text("")
    spec = parse_test("entry e\nexpect ^never\nstop-when-matched\n", "t.test")
    tracker = ExpectTracker(str(log), spec, None, lambda: True)
    assert tracker()                          # the inner watcher asks to stop
