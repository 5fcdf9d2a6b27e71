"""runtest end to end, with a fake make and a fake QEMU."""

import io
import os

import pytest

from conftest import write, write_script
from minnow.runtest import RunOptions, run_test, run_tests, report, serial_log_path

MODULES = "entry hello\nkernel minnow\nroottask hello world\n"
HELLO_TEST = "entry hello\ntimeout 5\nexpect Hello from Minnow\nexpect cmdline: .*world\n"

# Writes $FAKE_SERIAL to the -serial file, then exits with $FAKE_STATUS.
FAKE_QEMU = """\
for a in "$@"; do case "$a" in file:*) log="${a#file:}";; esac; done
printf "$FAKE_SERIAL" > "$log"
[ -n "$FAKE_SLEEP" ] && exec sleep "$FAKE_SLEEP"
exit $FAKE_STATUS
"""


@pytest.fixture
def tree(tmp_path, monkeypatch):
    src, build = tmp_path / "src", tmp_path / "build"
    write(src / "conf/modules.list", MODULES)
    for name in ("minnow", "minnow.elf32", "hello"):
        write(build / "bin" / name, "")
    make = write_script(tmp_path / "fakemake",
                        f'echo "$@" > {tmp_path}/make-args\necho "$FAKE_MAKE_OUT"\n'
                        'exit ${FAKE_MAKE_STATUS:-0}\n')
    monkeypatch.setenv("QEMU", write_script(tmp_path / "fakeqemu", FAKE_QEMU))
    monkeypatch.setenv("FAKE_SERIAL", "Hello from Minnow\\r\\nroottask cmdline: hello world\\r\\n")
    monkeypatch.setenv("FAKE_STATUS", "1")
    monkeypatch.chdir(tmp_path)
    opts = RunOptions(srcdir=str(src), builddir=str(build), make=make)
    return opts, src, tmp_path


def add_test(src, name, text):
    return write(src / "pkg/hello/test" / name, text)


def reported(result):
    out = io.StringIO()
    report(result, out)
    return out.getvalue()


def test_pass_and_make_arguments(tree):
    opts, src, tmp = tree
    path = add_test(src, "hello-kernel.test", HELLO_TEST)
    result = run_test(path, opts, io.StringIO())
    assert result.verdict.code == 0, result.verdict.reason
    assert result.log_path == os.path.join(opts.builddir, "test-logs", "hello-hello-kernel.log")
    assert reported(result).startswith("PASS pkg/hello/test/hello-kernel.test (")
    assert (tmp / "make-args").read_text().split() == [
        "-s", "--no-print-directory", f"O={opts.builddir}", "E=hello",
        f"MODULES_LIST={src}/conf/modules.list", "image"]


def test_log_name_uses_package():
    assert serial_log_path("pkg/hello/test/a.test", "b") == os.path.join("b", "test-logs",
                                                                        "hello-a.log")


def test_build_failure(tree, monkeypatch):
    opts, src, _ = tree
    monkeypatch.setenv("FAKE_MAKE_OUT", "cc: error: kaputt")
    monkeypatch.setenv("FAKE_MAKE_STATUS", "2")
    result = run_test(add_test(src, "a.test", HELLO_TEST), opts, io.StringIO())
    assert result.verdict.code == 3
    text = reported(result)
    assert "FAIL pkg/hello/test/a.test: image build failed" in text
    assert "  | cc: error: kaputt" in text


def test_build_fails_directive(tree, monkeypatch):
    opts, src, _ = tree
    path = add_test(src, "b.test", "entry broken\nbuild-fails module 'nothere' not found\n")
    assert run_test(path, opts, io.StringIO()).verdict.code == 1      # build succeeded
    monkeypatch.setenv("FAKE_MAKE_STATUS", "2")
    monkeypatch.setenv("FAKE_MAKE_OUT", "x.list:4: entry 'broken': module 'nothere' "
                       "not found (searched: build/bin, conf)")
    assert run_test(path, opts, io.StringIO()).verdict.code == 0


def test_timeout_kills_qemu(tree, monkeypatch):
    opts, src, _ = tree
    monkeypatch.setenv("FAKE_SLEEP", "30")
    path = add_test(src, "slow.test", "entry hello\ntimeout 1\nexpect never\n")
    result = run_test(path, opts, io.StringIO())
    assert result.verdict.code == 2 and result.seconds < 10
    text = reported(result)
    assert text.startswith("FAIL pkg/hello/test/slow.test: timeout after 1 s")
    assert "  | Hello from Minnow" in text and "serial log:" in text


def test_tap_line_and_worst_exit_code(tree, monkeypatch):
    opts, src, _ = tree
    monkeypatch.setenv("FAKE_SERIAL", "1..3\\nok 1\\nnot ok 2\\n")
    tap = add_test(src, "tap.test", "entry hello\ntap\n")
    bad = add_test(src, "bad.test", "entry hello\nbogus\n")
    out = io.StringIO()
    assert run_tests([tap, bad], opts, out) == 1
    text = out.getvalue()
    assert "tap: 1 passed, 2 failed\n" in text
    assert "FAIL pkg/hello/test/bad.test: " in text and "bad.test:2: unknown directive" in text


def test_harness_errors(tree, monkeypatch):
    opts, src, tmp = tree
    path = add_test(src, "h.test", HELLO_TEST)
    monkeypatch.setenv("QEMU", str(tmp / "no-such-qemu"))
    result = run_test(path, opts, io.StringIO())
    assert result.verdict.code == 5 and "not found" in result.verdict.reason
    assert run_test(add_test(src, "e.test", "timeout 1\n"), opts, io.StringIO()).verdict.code == 5


def test_kernel_args_reach_the_kernel_command_line(tree, monkeypatch):
    """make trace T=: the run script's entry boots with ipctrace added."""
    opts, src, tmp = tree
    monkeypatch.setenv("QEMU", write_script(tmp / "argqemu", 'echo "$@" > ' + str(tmp) + "/qemu-args\n"
                                            + FAKE_QEMU))
    path = add_test(src, "hello-kernel.test", HELLO_TEST)
    opts.kernel_args = ["ipctrace"]
    assert run_test(path, opts, io.StringIO()).verdict.code == 0
    args = (tmp / "qemu-args").read_text()
    assert "ipctrace" in args
    opts.kernel_args = None
    run_test(path, opts, io.StringIO())
    assert "ipctrace" not in (tmp / "qemu-args").read_text()
