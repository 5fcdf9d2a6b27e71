"""image.py: grub.cfg generation and the ISO build (without grub-mkrescue)."""

import os
import subprocess

import pytest

from conftest import write
from minnow.diag import ToolError
from minnow.iso import build_iso, check_basenames, grub_cfg, missing_tools
from minnow.modlist import parse_modules_list, resolve

LIST = """\
entry hello
  kernel minnow -v "a b"
  roottask hello world
  module conf/some.cfg x
"""


@pytest.fixture
def entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("bin/minnow", "bin/hello", "bin/conf/some.cfg"):
        write(tmp_path / name, name)
    ml = parse_modules_list(LIST, "modules.list")
    e = ml.select("hello")
    resolve(ml, e, ["bin"])
    return e


def test_grub_cfg_content(entry):
    lines = grub_cfg(entry).splitlines()
    body = [l for l in lines if not l.startswith("#")]
    assert body == [
        "set timeout=0",
        "set default=0",
        "serial --unit=0 --speed=115200",
        "terminal_input serial console",
        "terminal_output serial console",
        "",
        "menuentry 'Minnow: hello' {",
        "    multiboot2 /boot/minnow -v 'a b'",
        "    module2 /boot/mod/hello hello world",
        "    module2 /boot/mod/some.cfg some.cfg x",
        "    boot",
        "}"]
    assert "# module: bin/conf/some.cfg" in lines     # sources are recorded


def test_duplicate_basenames_rejected():
    ml = parse_modules_list("entry e\nkernel k\nroottask a/x\nmodule b/x\n", "m.list")
    with pytest.raises(ToolError) as info:
        check_basenames(ml, ml.select("e"))
    assert info.value.messages == [
        "m.list:4: entry 'e': module name 'x' is already used at line 3"]


class FakeMkrescue:
    """Stands in for subprocess.run(grub-mkrescue ...)."""

    def __init__(self, status=0, output=""):
        self.calls, self.status, self.output = [], status, output

    def __call__(self, argv, **kwargs):
        self.calls.append(argv)
        if self.status == 0:
            write(argv[2], "iso")
        return subprocess.CompletedProcess(argv, self.status, self.output)


def test_build_iso_layout_and_rebuild_rules(entry, tmp_path):
    run = FakeMkrescue()
    out, work = str(tmp_path / "images/hello.iso"), str(tmp_path / "work")
    assert build_iso(entry, out, work, run=run, check_tools=list)
    assert run.calls == [["grub-mkrescue", "-o", out + ".tmp", work]]
    assert open(os.path.join(work, "boot/minnow")).read() == "bin/minnow"
    assert sorted(os.listdir(os.path.join(work, "boot/mod"))) == ["hello", "some.cfg"]
    assert os.path.isfile(out) and not os.path.exists(out + ".tmp")

    assert not build_iso(entry, out, work, run=run, check_tools=list)   # up to date
    os.utime(out, (1000, 1000))                                         # input newer
    assert build_iso(entry, out, work, run=run, check_tools=list)
    entry.roottask.args = ["changed"]                                   # grub.cfg changes
    assert build_iso(entry, out, work, run=run, check_tools=list)
    assert len(run.calls) == 3


def test_build_iso_failure_shows_output(entry, tmp_path):
    run = FakeMkrescue(status=1, output="grub-mkrescue: error: `mformat` invocation failed\n")
    out = str(tmp_path / "hello.iso")
    with pytest.raises(ToolError) as info:
        build_iso(entry, out, str(tmp_path / "work"), run=run, check_tools=list)
    msgs = info.value.messages
    assert msgs[0] == "grub-mkrescue failed with status 1:"
    assert "  grub-mkrescue: error: `mformat` invocation failed" in msgs
    assert any("mtools" in m for m in msgs)
    assert not os.path.exists(out)


def test_missing_tools_name_debian_packages(tmp_path):
    assert missing_tools(lambda name: None, str(tmp_path)) == [
        "grub-mkrescue not found: install the Debian packages grub-common and grub-pc-bin",
        "xorriso not found: install the Debian package xorriso"]
    msgs = missing_tools(lambda name: "/usr/bin/" + name, str(tmp_path / "nope"))
    assert len(msgs) == 1 and "grub-pc-bin" in msgs[0]
    assert missing_tools(lambda name: "/usr/bin/" + name, str(tmp_path)) == []
