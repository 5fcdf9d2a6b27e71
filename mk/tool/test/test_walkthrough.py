"""doc/runtime.md section 5 is a walk from an empty folder: its blocks are
whole files, and they must be the tree's own, so the package every greeter
test uses is the one the doc shows.  (The walk itself - the doc's files
written into a copy of the tree without pkg/greeter, built and booted - is
test_framework.py's test_walk_from_an_empty_folder, which shares its build.)"""

import os

from docwalk import doc_blocks
from test_framework import SRC


def test_doc_blocks_are_the_tree_files():
    blocks = doc_blocks(SRC)
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
