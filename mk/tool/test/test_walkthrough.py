"""doc/runtime.md section 5 is a walk from an empty folder: its blocks
(```LANG file=PATH, ```LANG append=PATH) are whole files.  Here they are
written, exactly as the doc gives them, into a copy of the tree without
pkg/greeter, conf/greeter.cfg and the greeter entry; the copy is built and
the doc's run script boots it.  And they must be the tree's own files, so
the package every other greeter test uses is the one the doc shows."""

import os
import re
import subprocess
import sys

import pytest

from test_framework import SRC, copy_tree, make, write

DOC = os.path.join(SRC, "doc", "runtime.md")
FENCE = re.compile(r"^```[\w-]* (file|append)=(\S+)\n(.*?)^```\n", re.M | re.S)
SECTION = "## 5. From an empty folder to a booted service"


def doc_blocks():
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    section = text[text.index(SECTION):]
    nxt = section.find("\n## ", len(SECTION))
    section = section if nxt < 0 else section[:nxt]
    return [(m.group(1), m.group(2), m.group(3)) for m in FENCE.finditer(section)]


def doc_transcript():
    """The serial lines the doc shows for `make qemu E=greeter` (the last
    line of that block is make's own, not the guest's)."""
    with open(DOC, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^```\n(minnow: starting root task .*?)^```\n", text, re.M | re.S)
    lines = m.group(1).splitlines()
    assert lines[-1].startswith("minnow: guest powered off")
    return lines[:-1]


def drop_entry(listing, name):
    """modules.list text without the block of ``entry NAME``."""
    return re.sub(rf"^entry {re.escape(name)}\n(?:(?!entry )[^\n]+\n)*", "", listing, flags=re.M)


def test_doc_blocks_are_the_tree_files():
    blocks = doc_blocks()
    files = {path for kind, path, _ in blocks if kind == "file"}
    assert {"pkg/greeter/Control", "pkg/greeter/server/main.c", "pkg/greeter/client/main.c",
            "conf/greeter.cfg", "pkg/greeter/test/greeter.test"} <= files
    for kind, path, text in blocks:
        with open(os.path.join(SRC, path), encoding="utf-8") as f:
            tree = f.read()
        if kind == "file":
            assert text == tree, f"doc/runtime.md's {path} differs from the tree's"
        else:
            assert text in tree, f"doc/runtime.md's lines for {path} are not in it"


def test_walk_from_an_empty_folder(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    build = str(tmp_path / "out")
    subprocess.run(["rm", "-rf", f"{src}/pkg/greeter", f"{src}/conf/greeter.cfg"], check=True)
    listing = f"{src}/conf/modules.list"
    with open(listing) as f:
        without = drop_entry(f.read(), "greeter")
    assert "entry greeter\n" not in without
    with open(listing, "w") as f:
        f.write(without)
    for kind, path, text in doc_blocks():
        if kind == "file":
            write(os.path.join(src, path), text)
        else:
            with open(os.path.join(src, path), "a") as f:
                f.write("\n" + text)
    make(src, build)
    run = subprocess.run([sys.executable, "mk/tool/runtest.py", "--builddir", build,
                          "pkg/greeter/test/greeter.test"], cwd=src, capture_output=True,
                         text=True, timeout=300,
                         env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS pkg/greeter/test/greeter.test" in run.stdout
    # What the doc says the system prints, it prints (frames released too).
    with open(f"{build}/test-logs/greeter-greeter.log", errors="replace") as f:
        serial = set(f.read().replace("\r", "").splitlines())
    missing = [l for l in doc_transcript() if l not in serial]
    assert not missing, f"doc/runtime.md shows lines the system does not print: {missing}"
