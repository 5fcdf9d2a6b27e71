"""The IPC trace reader and its sequence diagram (minnow/trace.py)."""
import os
import shutil
import xml.etree.ElementTree as ET

import pytest

from conftest import write
from minnow.cli_trace import main
from minnow.diag import ToolError
from minnow.trace import idl_labels, kernel_labels, parse_trace, participants, to_svg

LOG = """Minnow 0.1 (x86_64) starting
ipc: tick 0 names -> roottask label 0xfffffff0 words 4 items 0 caps 0 badge 0x1000101
roottask: started 'names'
ipc: tick 3 greeter -> names label 0x976a0001 words 2 items 1 caps 1 badge 0x2
ipc: tick 3 names -> greeter label 0x976a0001 words 1 items 0 caps 0 badge 0
ipc: tick 4 greeter -> names label 0x976a0001 words 2 items 1 caps one badge 0x2
ipc: tick 5 t -> t label 0x1 words 0 items 0 caps 0 badge 0
minnow> ipc: tick 6 console -> shell label 0xb5180003 words 1 items 0 caps 0 badge 0
xipc: tick 7 a -> b label 0x1 words 0 items 0 caps 0 badge 0
""".splitlines()

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ABI = os.path.join(SRC, "libl4", "include", "l4", "sys", "abi.h")


def test_parse_skips_other_lines_and_malformed_ones():
    msgs = parse_trace(LOG)
    assert [(m.sender, m.receiver) for m in msgs] == [
        ("names", "roottask"), ("greeter", "names"), ("names", "greeter"), ("t", "t"),
        ("console", "shell")]       # after a prompt on the same line, as the kernel prints it
    assert msgs[1].label == 0x976a0001 and msgs[1].caps == 1 and msgs[1].badge == 2
    assert participants(msgs) == ["names", "roottask", "greeter", "t", "console", "shell"]


def test_kernel_labels_from_the_abi_header():
    labels = kernel_labels(ABI)
    assert labels[0xfffffff0] == "pagefault" and labels[0xfffffff3] == "exit"


def test_idl_labels_from_generated_headers(tmp_path):
    write(tmp_path / "a" / "names_client.h",
          "#define NAMES_IFACE_ID 0x976au\n#define NAMES_PUBLISH_LABEL 0x976a0001u\n")
    write(tmp_path / "a" / "names_server.h", "#define OTHER_LABEL 0x5u\n")
    assert idl_labels(str(tmp_path)) == {0x976a0001: "names_publish"}


def test_svg_has_a_lifeline_per_program_and_an_arrow_per_message():
    msgs = parse_trace(LOG)
    svg = to_svg(msgs, {0x976a0001: "names_publish", 0xfffffff0: "pagefault"}, "t")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    names = [t.text for t in root.iter(ns + "text") if t.get("class") == "participant"]
    assert names == ["names", "roottask", "greeter", "t", "console", "shell"]
    arrows = [e for e in root.iter() if e.get("class") == "msg"]
    assert len(arrows) == 5
    assert "stroke-width" in arrows[1].attrib          # moves a capability
    assert "stroke-width" not in arrows[2].attrib
    texts = [t.text for t in root.iter(ns + "text")]
    assert "names_publish (2w, 1 item) badge 0x2 +1 cap" in texts
    assert "pagefault (4w) badge 0x1000101" in texts


def test_no_messages_is_an_error():
    with pytest.raises(ToolError, match="ipctrace"):
        to_svg([], {}, "empty")


def test_cli_draws_a_log(tmp_path, capsys):
    log = write(tmp_path / "g.log", "\n".join(LOG) + "\n")
    assert main(["--log", log, "--out-dir", str(tmp_path / "out"), "--abi", ABI]) == 0
    assert os.path.isfile(tmp_path / "out" / "g.svg")
    out = capsys.readouterr().out
    assert "5 messages among names, roottask, greeter, t, console, shell" in out
    if shutil.which("rsvg-convert"):
        with open(tmp_path / "out" / "g.png", "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_cli_refuses_a_log_without_trace(tmp_path, capsys):
    log = write(tmp_path / "g.log", "Minnow 0.1 (x86_64) starting\n")
    assert main(["--log", log, "--out-dir", str(tmp_path), "--abi", ABI]) == 1
    assert "no IPC messages" in capsys.readouterr().err


def test_cli_refuses_a_run_script_that_boots_an_iso(tmp_path, capsys):
    t = write(tmp_path / "x.test", "entry hello\nboot iso\nexpect x\n")
    assert main(["--test", t, "--out-dir", str(tmp_path / "out")]) == 1
    assert "boots an ISO" in capsys.readouterr().err
