"""make qemu: Ctrl-a x (QEMU's "Terminated", status 0) is a quit, not a crash."""

import io

from conftest import write_script
from minnow import console


def fake(tmp_path, body):
    return [write_script(tmp_path / "qemu", body)]


def test_quit_is_told_from_triple_fault(tmp_path):
    out = io.BytesIO()
    argv = fake(tmp_path, "printf 'guest line\\r\\nQEMU: Terminated\\n\\r'; exit 0\n")
    result, quit = console.run(argv, timeout=10, out=out)
    assert result.status == 0 and quit
    assert out.getvalue() == b"guest line\r\nQEMU: Terminated\n\r"   # relayed as is


def test_reset_is_not_a_quit(tmp_path):
    out = io.BytesIO()
    result, quit = console.run(fake(tmp_path, "echo booting; exit 0\n"), timeout=10, out=out)
    assert result.status == 0 and not quit
    assert out.getvalue() == b"booting\n"


def test_guest_status_is_not_a_quit(tmp_path):
    # The mark only counts with status 0: a guest that printed it and then
    # powered off with a status keeps that status.
    result, quit = console.run(fake(tmp_path, "echo 'QEMU: Terminated'; exit 3\n"),
                               timeout=10, out=io.BytesIO())
    assert result.status == 3 and not quit


def test_long_output_keeps_only_the_tail(tmp_path):
    out = io.BytesIO()
    body = "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done; exit 0\n"
    result, quit = console.run(fake(tmp_path, body), timeout=20, out=out)
    assert not quit and out.getvalue().count(b"\n") == 2000
