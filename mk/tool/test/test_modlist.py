"""image.py: modules.list parsing, quoting and file lookup."""

import os
import subprocess
import sys

import pytest

from conftest import TOOL_DIR, write
from minnow.diag import ToolError
from minnow.modlist import find_file, parse_modules_list, resolve
from minnow.words import grub_quote, multiboot_cmdline, split_words

GOOD = """\
# boot entries
entry first
  kernel minnow
  roottask sigma0
default hello

entry hello
    kernel minnow -v  "log=all serial"   # trailing comment
    roottask hello world
    module some.cfg "a b" c
    module other.cfg
"""


def errors_of(text):
    with pytest.raises(ToolError) as info:
        parse_modules_list(text, "conf/modules.list")
    return info.value.messages


def test_parse_good_file():
    ml = parse_modules_list(GOOD, "conf/modules.list")
    assert list(ml.entries) == ["first", "hello"]
    assert ml.default == "hello"
    e = ml.select(None)
    assert e.name == "hello" and e.line == 7
    assert (e.kernel.name, e.kernel.args, e.kernel.line) == ("minnow", ["-v", "log=all serial"], 8)
    assert (e.roottask.name, e.roottask.args) == ("hello", ["world"])
    assert [(m.name, m.args) for m in e.modules] == [("some.cfg", ["a b", "c"]),
                                                     ("other.cfg", [])]
    assert [m.name for m in e.boot_modules()] == ["hello", "some.cfg", "other.cfg"]


def test_first_entry_is_default_without_default_line():
    ml = parse_modules_list("entry a\nkernel k\nroottask r\nentry b\nkernel k\nroottask r\n", "m")
    assert ml.default == "a"
    assert ml.select("").name == "a" and ml.select("b").name == "b"


def test_select_unknown_entry():
    ml = parse_modules_list(GOOD, "conf/modules.list")
    with pytest.raises(ToolError) as info:
        ml.select("nope")
    assert info.value.messages == ["conf/modules.list: no entry 'nope' (entries: first, hello)"]


@pytest.mark.parametrize("line, expected", [
    ('a b  c', ["a", "b", "c"]),
    ('  kernel "x y" z', ["kernel", "x y", "z"]),
    ('a"b c"d', ["ab cd"]),
    (r'"say \"hi\" \\ now"', ['say "hi" \\ now']),
    ('a # comment "unclosed', ["a"]),
    ('a#b "#c"', ["a#b", "#c"]),
    ('""', [""]),
])
def test_split_words(line, expected):
    assert split_words(line) == expected


def test_unterminated_quote_has_line_number():
    # The broken kernel line is dropped, so the entry also lacks a kernel.
    assert errors_of('entry a\nkernel k "oops\nroottask r\n') == [
        "conf/modules.list:1: entry 'a' has no 'kernel' line",
        "conf/modules.list:2: unterminated double quote"]


@pytest.mark.parametrize("text, message", [
    ("kernel minnow\nentry a\nkernel k\nroottask r\n",
     "conf/modules.list:1: 'kernel' outside an entry (put an 'entry NAME' line first)"),
    ("entry a\nkernel k\nroottask r\n\nmodul x\n",
     "conf/modules.list:5: unknown directive 'modul' (known: default, entry, kernel, "
     "roottask, module, unchecked)"),
    ("entry a\nkernel k\nroottask r\nentry a\nkernel k\nroottask r\n",
     "conf/modules.list:4: duplicate entry 'a' (first defined at line 1)"),
    ("# x\nentry a\n  kernel k\n", "conf/modules.list:2: entry 'a' has no 'roottask' line"),
    ("entry a\n  roottask r\n", "conf/modules.list:1: entry 'a' has no 'kernel' line"),
    ("entry a\nkernel k\nroottask r\nkernel k2\n",
     "conf/modules.list:4: entry 'a' has a second 'kernel' (the first is at line 2)"),
    ("default b\nentry a\nkernel k\nroottask r\n",
     "conf/modules.list:1: default entry 'b' is not defined"),
    ("entry a\nkernel k\nroottask r\nmodule\n", "conf/modules.list:4: 'module' needs a file name"),
    ("entry a b\nkernel k\nroottask r\n", "conf/modules.list:1: 'entry' takes exactly one name"),
    ("entry ../x\nkernel k\nroottask r\n",
     "conf/modules.list:1: entry name '../x': use letters, digits, '.', '_' and '-' "
     "(it names files such as images/NAME.iso)"),
    ("entry -q\nkernel k\nroottask r\n",
     "conf/modules.list:1: entry name '-q': use letters, digits, '.', '_' and '-' "
     "(it names files such as images/NAME.iso)"),
    ("entry a\nkernel k\nroottask r\n" + "module m\n" * 32,
     "conf/modules.list:35: entry 'a' has 33 boot modules (the root task and 32 more); "
     "the kernel takes at most 32 (L4_BOOTINFO_MAX_MODULES)"),
])
def test_errors_point_at_the_right_line(text, message):
    assert errors_of(text) == [message]


def test_entry_names_and_module_count_within_limits():
    text = "entry shell-2.x_y\nkernel k\nroottask r\n" + "module m\n" * 31
    assert len(parse_modules_list(text, "l").select().modules) == 31


def test_all_errors_reported_sorted_by_line():
    msgs = errors_of('entry a\n  kernel k\nbogus\nentry b\n  kernel "x\n  roottask r\n')
    assert msgs == ["conf/modules.list:1: entry 'a' has no 'roottask' line",
                    "conf/modules.list:3: unknown directive 'bogus' (known: default, "
                    "entry, kernel, roottask, module, unchecked)",
                    "conf/modules.list:4: entry 'b' has no 'kernel' line",
                    "conf/modules.list:5: unterminated double quote"]


def test_search_path_order_and_absolute_names(tmp_path):
    first = write(tmp_path / "build/bin/x", "")
    write(tmp_path / "conf/x", "")
    other = write(tmp_path / "conf/y", "")
    search = [str(tmp_path / "build/bin"), str(tmp_path / "conf")]
    assert find_file("x", search) == first
    assert find_file("y", search) == other
    assert find_file(other, []) == other
    assert find_file(str(tmp_path / "none"), search) is None


def test_missing_file_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("build/bin/minnow", "build/bin/hello"):
        write(tmp_path / name, "")
    ml = parse_modules_list("entry broken\nkernel minnow\nroottask hello\n"
                            "module nothere\nmodule /abs/gone\n", "conf/modules.list")
    entry = ml.select("broken")
    with pytest.raises(ToolError) as info:
        resolve(ml, entry, ["build/bin", "conf"])
    assert info.value.messages == [
        "conf/modules.list:4: entry 'broken': module 'nothere' not found "
        "(searched: build/bin, conf)",
        "conf/modules.list:5: entry 'broken': module '/abs/gone' not found (absolute path)"]
    assert entry.kernel.path == os.path.join("build/bin", "minnow")


def test_multiboot_cmdline_quotes_like_grub():
    assert multiboot_cmdline([]) == ""
    assert multiboot_cmdline(["-v", "a b", 'say "x"', "it's", "c\\d"]) == \
        r'''-v "a b" "say \"x\"" it\'s c\\d'''


def test_grub_quote():
    assert grub_quote("/boot/mod/x.cfg") == "/boot/mod/x.cfg"
    assert grub_quote("a b") == "'a b'"
    assert grub_quote("it's") == "'it'\\''s'"
    assert grub_quote("") == "''"
    assert grub_quote("$x") == "'$x'"


def test_image_cli_entries_and_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "conf/modules.list", "default b\nentry a\nkernel k\nroottask r\n"
          "entry b\nkernel k\nroottask r\nmodule nothere\n")
    write(tmp_path / "build/bin/k", "")
    write(tmp_path / "conf/r", "")

    def image(*args):
        return subprocess.run([sys.executable, os.path.join(TOOL_DIR, "image.py"), *args],
                              capture_output=True, text=True)

    assert image("entries").stdout == "a\nb (default)\n"
    ok = image("--entry", "a", "check", "--search", "build/bin", "--search", "conf")
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    bad = image("check", "--search", "build/bin", "--search", "conf")
    assert bad.returncode == 1
    assert bad.stderr == ("conf/modules.list:8: entry 'b': module 'nothere' not found "
                          "(searched: build/bin, conf)\n")


def test_missing_files_list_the_search_path_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("build/bin/minnow", "build/bin/hello", "build/bin/greeter-server"):
        write(tmp_path / name, "")
    ml = parse_modules_list("entry broken\nkernel minnow\nroottask hello\n"
                            "module greeter-sever\nmodule gone\n", "conf/modules.list")
    with pytest.raises(ToolError) as info:
        resolve(ml, ml.select("broken"), ["build/bin", "conf", "conf/"])
    assert info.value.messages == [
        "conf/modules.list:4: entry 'broken': module 'greeter-sever' not found "
        "(did you mean 'greeter-server'? searched: build/bin, conf)",
        "conf/modules.list:5: entry 'broken': module 'gone' not found"]


def test_unchecked_entry():
    ml = parse_modules_list("entry a\nkernel k\nroottask r\nunchecked\n"
                            "entry b\nkernel k\nroottask r\n", "m.list")
    assert ml.entries["a"].unchecked and not ml.entries["b"].unchecked
    with pytest.raises(ToolError) as info:
        parse_modules_list("unchecked\nentry a\nkernel k\nroottask r\nunchecked x\n", "m.list")
    assert info.value.messages == [
        "m.list:1: 'unchecked' takes no argument and belongs to an entry",
        "m.list:5: 'unchecked' takes no argument and belongs to an entry"]


def test_long_command_lines_refused_at_parse():
    """The kernel keeps 255 bytes of each command line: longer ones are
    refused with the entry, the line and the length, not cut at boot."""
    ok = "a" * (255 - len("minnow.elf32 "))
    parse_modules_list(f"entry e\nkernel minnow {ok}\nroottask r\n", "conf/modules.list")
    msgs = errors_of(f"entry e\nkernel minnow {ok}b\nroottask r\nmodule m.cfg {'x' * 260}\n")
    assert msgs[0].startswith("conf/modules.list:2: entry 'e': the kernel command line is "
                              "256 characters ('minnow.elf32 aaaa")
    assert msgs[0].endswith("the kernel keeps at most 255 (struct l4_bootinfo): shorten "
                            "its arguments or the path")
    assert msgs[1].startswith("conf/modules.list:4: entry 'e': the module command line is 266 "
                              "characters")


def test_long_path_refused_when_resolved(tmp_path, monkeypatch):
    """QEMU hands the kernel FILE ARGS with the path as given: a deep build
    directory can push a line past 255 only once the path is known."""
    monkeypatch.chdir(tmp_path)
    deep = "d" * 200
    for name in (f"{deep}/minnow", f"{deep}/hello"):
        write(tmp_path / name, "")
    ml = parse_modules_list("entry e\nkernel minnow\nroottask hello " + "w" * 50 + "\n",
                            "conf/modules.list")
    with pytest.raises(ToolError) as info:
        resolve(ml, ml.select("e"), [deep])
    assert len(info.value.messages) == 1
    assert info.value.messages[0].startswith(
        "conf/modules.list:3: entry 'e': the roottask command line is 257 characters")
