"""runtest: parsing .test files."""

import os

import pytest

from conftest import write
from minnow.diag import ToolError
from minnow.testspec import load_test, parse_test

SAMPLE = """\
# Hello through QEMU's -kernel path
entry hello
boot iso                     # kernel | iso
timeout 12.5
expect Hello from Minnow     # trailing comments are dropped
expect cmdline: .*world
expect #PF page fault #3   #  only this is a comment
reject boom \\# not a comment
exit 3
tap
#no space after the hash: still a comment line
"""


def errors_of(text, path="t.test"):
    with pytest.raises(ToolError) as info:
        parse_test(text, path)
    return info.value.messages


def test_parse_sample():
    spec = parse_test(SAMPLE, "pkg/hello/test/hello.test")
    assert (spec.entry, spec.boot, spec.timeout, spec.exit_status, spec.tap) == \
        ("hello", "iso", 12.5, 3, True)
    assert [(p.text, p.line) for p in spec.expects] == [("Hello from Minnow", 5),
                                                        ("cmdline: .*world", 6),
                                                        ("#PF page fault #3", 7)]
    assert [p.text for p in spec.rejects] == ["PANIC", "^minnow: kernel panic",
                                              "boom \\# not a comment"]
    assert spec.rejects[2].regex.search("boom # not a comment")


def test_defaults():
    spec = parse_test("entry e\n", "t.test")
    assert (spec.boot, spec.timeout, spec.exit_status, spec.tap) == ("kernel", 60, 0, False)
    assert spec.expects == [] and spec.build_fails is None and spec.modules_list is None
    assert [p.text for p in spec.rejects] == ["PANIC", "^minnow: kernel panic"]


@pytest.mark.parametrize("text, message", [
    ("entry e\nexpekt x\n", "t.test:2: unknown directive 'expekt' (known: entry, boot, "
     "timeout, expect, reject, exit, tap, modules-list, build-fails, send, qemu-args, "
     "stop-when-matched, count, monitor, screen, screen-reject, peer, pcap, gdb)"),
    ("entry e\nboot floppy\n", "t.test:2: 'boot' must be 'kernel' or 'iso'"),
    ("entry e\n\nexit 300\n", "t.test:3: 'exit' must be a guest status from 0 to 127"),
    ("entry e\ntimeout soon\n", "t.test:2: 'timeout' must be a positive number of seconds"),
    ("entry e\nexpect (unclosed\n", "t.test:2: bad regular expression '(unclosed': "
     "missing ), unterminated subpattern at position 0"),
    ("entry e\nentry f\n", "t.test:2: second 'entry' (the first is at line 1)"),
    ("# nothing\nexpect x\n", "t.test:1: no 'entry' directive"),
    ("entry e\ntap 3\n", "t.test:2: 'tap' takes no argument"),
    ("entry e\ncount x ^a\n", "t.test:2: 'count' needs a number of lines and a regex"),
    ("entry e\ncount 3\n", "t.test:2: needs a regular expression"),
    ("entry e\nmonitor\n", "t.test:2: 'monitor' needs a monitor command"),
    ("entry e\nscreen ^x\n", "t.test:2: 'screen' needs a 'monitor' command that dumps "
     "the screen to {screen}"),
    ("entry e\nexpect x\nstop-when-matched now\n",
     "t.test:3: 'stop-when-matched' takes no argument"),
    ("entry e\nstop-when-matched\n", "t.test:2: 'stop-when-matched' needs at least one 'expect'"),
    ("entry e\nexpect x\nexit 0\nstop-when-matched\n", "t.test:3: 'exit' cannot be combined "
     "with 'stop-when-matched' (QEMU is stopped, the guest never powers off)"),
])
def test_errors(text, message):
    assert errors_of(text) == [message]


def test_qemu_args_appended_in_order():
    spec = parse_test("entry e\nqemu-args -M q35 -m 5G\n"
                      "qemu-args -device 'e1000,mac=52:54:00:c0:ff:ee'  # the NIC\n"
                      "qemu-args -netdev user,id=n0,restrict=on -nic none\n", "t.test")
    assert spec.qemu_args == ["-M", "q35", "-m", "5G", "-device", "e1000,mac=52:54:00:c0:ff:ee",
                              "-netdev", "user,id=n0,restrict=on", "-nic", "none"]
    assert parse_test("entry e\n", "t.test").qemu_args == []


@pytest.mark.parametrize("args, message", [
    ("", "'qemu-args' needs QEMU arguments"),
    ("-device 'e1000", "'qemu-args': No closing quotation"),
    ("-display gtk", "'qemu-args': -display is the harness's to set"),
    ("--serial stdio", "'qemu-args': --serial is the harness's to set"),
    ("-kernel x", "'qemu-args': -kernel is the harness's to set"),
    ("-netdev user,id=n0", "'qemu-args': -netdev user,id=n0: a network must be 'user' "
     "with restrict=on (no outside access), or dgram, stream or socket on 127.0.0.1"),
    ("-netdev tap,id=n0,restrict=on", "'qemu-args': -netdev tap,id=n0,restrict=on: a "
     "network must be 'user' with restrict=on (no outside access), or dgram, stream or socket on 127.0.0.1"),
    ("-nic user", "'qemu-args': -nic user: a network must be 'user' with restrict=on "
     "(no outside access), or dgram, stream or socket on 127.0.0.1"),
    ("-netdev", "'qemu-args': -netdev : a network must be 'user' with restrict=on "
     "(no outside access), or dgram, stream or socket on 127.0.0.1"),
    ("-netdev user,id=n,restrict=on,hostfwd=tcp::5555-:22", "'qemu-args': -netdev "
     "user,id=n,restrict=on,hostfwd=tcp::5555-:22: 'hostfwd=tcp::5555-:22': the host side must "
     "be 127.0.0.1 (hostfwd=tcp:127.0.0.1:PORT-GUEST:PORT)"),
    ("-netdev user,id=n,restrict=on,hostfwd=tcp:0.0.0.0:5555-:22", "'qemu-args': -netdev "
     "user,id=n,restrict=on,hostfwd=tcp:0.0.0.0:5555-:22: 'hostfwd=tcp:0.0.0.0:5555-:22': the "
     "host side must be 127.0.0.1 (hostfwd=tcp:127.0.0.1:PORT-GUEST:PORT)"),
    ("-netdev user,id=n,restrict=on,guestfwd=tcp:10.0.2.100:80-tcp:10.1.1.1:80", "'qemu-args': "
     "-netdev user,id=n,restrict=on,guestfwd=tcp:10.0.2.100:80-tcp:10.1.1.1:80: "
     "'guestfwd=tcp:10.0.2.100:80-tcp:10.1.1.1:80': a guestfwd may only reach 127.0.0.1 "
     "(-tcp:127.0.0.1:PORT, or -cmd: running tcprelay.py 127.0.0.1 PORT)"),
    ("'-netdev' 'user,id=n,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:nc example.org 80'",
     "'qemu-args': -netdev user,id=n,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:nc example.org "
     "80: 'guestfwd=tcp:10.0.2.100:80-cmd:nc example.org 80': a guestfwd may only reach "
     "127.0.0.1 (-tcp:127.0.0.1:PORT, or -cmd: running tcprelay.py 127.0.0.1 PORT)"),
])
def test_qemu_args_refused(args, message):
    assert errors_of(f"entry e\nqemu-args {args}\n") == [f"t.test:2: {message}"]


def test_qemu_args_forwards_to_loopback():
    spec = parse_test("entry e\nqemu-args -netdev 'user,id=n0,restrict=on,"
                      "hostfwd=tcp:127.0.0.1:{tcp_port}-10.0.2.15:5001,"
                      "guestfwd=tcp:10.0.2.100:5001-cmd:{python} {tool}/minnow/tcprelay.py "
                      "127.0.0.1 {tcp_port2},guestfwd=tcp:10.0.2.101:7-tcp:127.0.0.1:4000'\n",
                      "t.test")
    assert spec.qemu_args[0] == "-netdev"


def test_qemu_args_reach_the_command_line():
    from minnow.qemu import QemuOptions, build_command
    spec = parse_test("entry e\nboot iso\nqemu-args -M q35\n", "t.test")
    argv, _ = build_command(QemuOptions(mode="iso", iso="x.iso", extra=spec.qemu_args),
                            None, qemu="q")
    assert argv[-2:] == ["-M", "q35"]


def test_build_fails_cannot_be_combined_with_boot_checks():
    assert errors_of("entry e\nexpect hi\nbuild-fails not found\n") == [
        "t.test:2: 'expect' cannot be combined with 'build-fails' (the test does not boot)"]


def test_modules_list_relative_to_test_file(tmp_path):
    lst = write(tmp_path / "pkg/x/test/broken.list", "")
    test = write(tmp_path / "pkg/x/test/b.test",
                 "entry broken\nmodules-list broken.list\nbuild-fails module 'nothere'\n")
    spec = load_test(test)
    assert spec.modules_list == lst
    assert spec.build_fails.regex.search("module 'nothere' not found")
    os.remove(lst)
    with pytest.raises(ToolError, match=r"b.test:2: modules list 'broken.list' not found"):
        load_test(test)


def test_gdb_directive(tmp_path):
    from conftest import write as w
    cmds = w(tmp_path / "x.gdb", "continue\n")
    spec = parse_test("entry e\ngdb x.gdb\n", str(tmp_path / "t.test"))
    assert spec.gdb == cmds
    with pytest.raises(ToolError, match=r"t.test:2: gdb command file 'y.gdb' not found"):
        parse_test("entry e\ngdb y.gdb\n", str(tmp_path / "t.test"))
