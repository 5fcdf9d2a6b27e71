"""QEMU command lines, exit status mapping, and launching a fake QEMU."""

import os
import subprocess
import sys
import time

import pytest

from conftest import TOOL_DIR, write, write_script
from minnow import launch
from minnow.diag import ToolError
from minnow.modlist import parse_modules_list, resolve
from minnow.qemu import QemuOptions, build_command, explain_status, gdb_hint

BASE = ["qemu-system-x86_64", "-machine", "pc", "-cpu", "max", "-m", "256M",
        "-display", "none", "-no-reboot", "-nic", "none",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
LIST = 'entry hello\nkernel minnow -v\nroottask hello "a b"\nmodule x,y.cfg k=1\n'


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A resolved entry with its files in tmp_path/bin (cwd: tmp_path)."""
    monkeypatch.chdir(tmp_path)
    for name in ("minnow", "minnow.elf32", "hello", "x,y.cfg"):
        write(tmp_path / "bin" / name, "")
    ml = parse_modules_list(LIST, "modules.list")
    entry = ml.select(None)
    resolve(ml, entry, ["bin"])
    return entry


def no_kvm():
    return False


def test_kernel_mode_command(tree):
    argv, warnings = build_command(QemuOptions(), tree, kvm_ok=no_kvm)
    assert warnings == []
    assert argv == BASE + ["-serial", "mon:stdio", "-accel", "tcg",
                           "-kernel", "bin/minnow.elf32", "-append", "-v",
                           "-initrd", 'bin/hello "a b",bin/x,,y.cfg k=1']


def test_kernel_mode_needs_elf32(tree):
    os.remove("bin/minnow.elf32")
    with pytest.raises(ToolError, match=r"bin/minnow.elf32 does not exist"):
        build_command(QemuOptions(), tree, kvm_ok=no_kvm)


def test_iso_mode_with_serial_file(tree):
    opts = QemuOptions(mode="iso", iso="images/hello.iso", serial="file:/tmp/s.log",
                       extra=["-d", "int"])
    argv, _ = build_command(opts, tree, kvm_ok=no_kvm)
    assert argv == BASE + ["-serial", "file:/tmp/s.log", "-accel", "tcg",
                           "-cdrom", "images/hello.iso", "-boot", "d", "-d", "int"]


def test_bad_serial_rejected(tree):
    with pytest.raises(ToolError, match="--serial"):
        build_command(QemuOptions(serial="pty"), tree, kvm_ok=no_kvm)


def test_gdb_and_icount(tree):
    argv, _ = build_command(QemuOptions(gdb=True, icount=True), tree, kvm_ok=no_kvm)
    tail = argv[len(BASE):argv.index("-kernel")]
    assert tail == ["-serial", "mon:stdio", "-accel", "tcg", "-icount", "shift=0",
                    "-S", "-gdb", "tcp:127.0.0.1:1234"]
    assert gdb_hint("build/bin/minnow") == \
        "gdb -ex 'target remote 127.0.0.1:1234' build/bin/minnow"


def test_kvm_used_when_available(tree):
    argv, warnings = build_command(QemuOptions(kvm=True), tree, kvm_ok=lambda: True)
    assert warnings == []
    assert argv[argv.index("-cpu") + 1] == "host" and argv.count("-cpu") == 1
    assert argv[argv.index("-accel") + 1] == "kvm"


def test_kvm_falls_back_to_tcg(tree):
    argv, warnings = build_command(QemuOptions(kvm=True), tree, kvm_ok=no_kvm)
    assert argv[argv.index("-accel") + 1] == "tcg"
    assert argv[argv.index("-cpu") + 1] == "max"
    assert len(warnings) == 1 and "/dev/kvm" in warnings[0]


def test_tcg_for_kvm_changes_only_the_accelerator(tree):
    """make bench's test runs the KVM command with TCG: only -accel and the
    CPU model ("host" needs KVM) differ, and KVM is not even asked about."""
    kvm, _ = build_command(QemuOptions(kvm=True, serial="file:s"), tree, kvm_ok=lambda: True)
    def never():
        raise AssertionError("asked for KVM")
    tcg, warnings = build_command(QemuOptions(kvm=True, tcg_for_kvm=True, serial="file:s"), tree,
                                  kvm_ok=never)
    assert warnings == [] and len(kvm) == len(tcg)
    assert [(a, b) for a, b in zip(kvm, tcg) if a != b] == [("host", "max"), ("kvm", "tcg")]
    assert "-icount" not in kvm and "-rtc" not in kvm


@pytest.mark.parametrize("status, code, text", [
    (1, 0, "guest powered off with status 0"),
    (7, 3, "guest powered off with status 3"),
    (255, 127, "kernel panic"),
    (0, 1, "triple-faulted or reset"),
    (2, 2, "QEMU failed with status 2"),
    (-9, 137, "killed by signal 9"),
])
def test_exit_status_mapping(status, code, text):
    got, msgs = explain_status(status)
    assert got == code
    assert any(text in m for m in msgs)


def test_launch_returns_status(tmp_path):
    qemu = write_script(tmp_path / "fakeqemu", "exit 7\n")
    result = launch.run([qemu])
    assert result.status == 7 and not result.timed_out


def test_launch_timeout_kills_child(tmp_path):
    pidfile = tmp_path / "pid"
    qemu = write_script(tmp_path / "fakeqemu", f"echo $$ > {pidfile}\nexec sleep 30\n")
    start = time.monotonic()
    result = launch.run([qemu], timeout=0.5)
    assert result.timed_out and result.status is None
    assert time.monotonic() - start < 10
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)                            # reaped and gone


def test_launch_poll_stops_child(tmp_path):
    qemu = write_script(tmp_path / "fakeqemu", "exec sleep 30\n")
    result = launch.run([qemu], poll=lambda: True)
    assert result.stopped and result.status is None


def test_image_cli_maps_guest_status(tree, tmp_path):
    write("modules.list", LIST)
    qemu = write_script(tmp_path / "fakeqemu", 'echo "$@" > args.txt\nexit 11\n')
    env = dict(os.environ, QEMU=qemu, V="1")
    proc = subprocess.run([sys.executable, os.path.join(TOOL_DIR, "image.py"), "qemu",
                           "--modules-list", "modules.list", "--search", "bin", "--gdb",
                           "--", "-d", "int"], env=env, capture_output=True, text=True)
    assert proc.returncode == 5
    assert "minnow: guest powered off with status 5" in proc.stderr
    assert "gdb -ex 'target remote 127.0.0.1:1234' bin/minnow\n" in proc.stderr
    args = (tmp_path / "args.txt").read_text()
    assert "-S -gdb tcp:127.0.0.1:1234" in args and args.endswith("-d int\n")


def test_window_leaves_the_display_to_qemu(tree):
    argv, _ = build_command(QemuOptions(window=True), tree, kvm_ok=no_kvm)
    assert "-display" not in argv
    assert argv[:7] == BASE[:7] and argv[7:12] == BASE[9:]


def test_image_cli_writes_a_gdbinit(tree, tmp_path):
    """make qemu-gdb: the chosen port reaches QEMU and the script, which loads
    the kernel's symbols and the helpers."""
    write("modules.list", LIST)
    qemu = write_script(tmp_path / "fakeqemu", 'echo "$@" > args.txt\nexit 1\n')
    env = dict(os.environ, QEMU=qemu)
    proc = subprocess.run([sys.executable, os.path.join(TOOL_DIR, "image.py"), "qemu",
                           "--modules-list", "modules.list", "--search", "bin", "--gdb",
                           "--gdb-port", "25123", "--gdbinit", "out/.gdbinit"],
                          env=env, capture_output=True, text=True)
    assert "gdb -x out/.gdbinit" in proc.stderr
    assert "-S -gdb tcp:127.0.0.1:25123" in (tmp_path / "args.txt").read_text()
    script = (tmp_path / "out" / ".gdbinit").read_text()
    assert f"file {tmp_path}/bin/minnow\n" in script
    assert "target remote 127.0.0.1:25123\n" in script
    assert f"source {os.path.join(TOOL_DIR, 'gdb', 'minnow.py')}\n" in script
    assert f"python BIN_DIR = '{tmp_path}/bin'\n" in script


def test_rtc_on_the_guest_clock(tree):
    argv, _ = build_command(QemuOptions(icount=True, rtc_vm=True), tree, kvm_ok=no_kvm)
    assert argv[argv.index("-icount") + 1] == "shift=0"
    assert argv[argv.index("-rtc") + 1] == "clock=vm"
    argv, _ = build_command(QemuOptions(icount=True), tree, kvm_ok=no_kvm)
    assert "-rtc" not in argv


def test_kvm_refusal_reason_is_the_warning(tree):
    # KVM=1 boots (make qemu, make test) stay on TCG with kvm_refusal's
    # reason where KVM cannot run Minnow (kvm-pvm: this project's host).
    why = "/dev/kvm is kvm-pvm (a KVM without VT-x/SVM, ...)"
    argv, warnings = build_command(QemuOptions(kvm=True), tree, kvm_ok=lambda: why)
    assert argv[argv.index("-accel") + 1] == "tcg"
    assert warnings == [f"{why}; using TCG instead of KVM"]
