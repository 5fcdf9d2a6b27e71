"""doc/runtime.md section 5 as data: the files it gives in full
(```LANG file=PATH), the lines it appends (```LANG append=PATH), and the
serial lines it shows for a boot.  Used by test_walkthrough.py (the blocks
are the tree's files) and test_framework.py (the walk, built and booted)."""

import os
import re
import subprocess

SECTION = "## 5. From an empty folder to a booted service"
FENCE = re.compile(r"^```[\w-]* (file|append)=(\S+)\n(.*?)^```\n", re.M | re.S)


def _doc(src):
    with open(os.path.join(src, "doc", "runtime.md"), encoding="utf-8") as f:
        return f.read()


def doc_blocks(src):
    """(kind, path, text) of every file block of section 5."""
    text = _doc(src)
    section = text[text.index(SECTION):]
    nxt = section.find("\n## ", len(SECTION))
    section = section if nxt < 0 else section[:nxt]
    return [(m.group(1), m.group(2), m.group(3)) for m in FENCE.finditer(section)]


def doc_transcript(src):
    """The serial lines the doc shows for `make qemu E=greeter` (the last
    line of that block is make's own, not the guest's)."""
    m = re.search(r"^```\n(minnow: starting root task .*?)^```\n", _doc(src), re.M | re.S)
    lines = m.group(1).splitlines()
    assert lines[-1].startswith("minnow: guest powered off")
    return lines[:-1]


def drop_entry(listing, name):
    """modules.list text without the block of ``entry NAME``."""
    return re.sub(rf"^entry {re.escape(name)}\n(?:(?!entry )[^\n]+\n)*", "", listing, flags=re.M)


def walk(tree, doc_src):
    """Empty ``tree`` (a copy of the source tree) of the worked example, then
    write the files exactly as ``doc_src``'s doc/runtime.md gives them."""
    subprocess.run(["rm", "-rf", f"{tree}/pkg/greeter", f"{tree}/conf/greeter.cfg"], check=True)
    listing = os.path.join(tree, "conf", "modules.list")
    with open(listing) as f:
        without = drop_entry(f.read(), "greeter")
    assert "entry greeter\n" not in without
    with open(listing, "w") as f:
        f.write(without)
    for kind, path, text in doc_blocks(doc_src):
        dest = os.path.join(tree, path)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "w" if kind == "file" else "a", encoding="utf-8") as f:
            f.write(text if kind == "file" else "\n" + text)
