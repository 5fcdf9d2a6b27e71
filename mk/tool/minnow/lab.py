"""Labs: skeleton work trees cut from the reference tree, and their grading.

A lab's solution lives in the tree between two marker lines::

    /* LAB <n> BEGIN: what the student writes here */
    ...the reference solution...
    /* LAB <n> END */

(with the lab's number for <n>).  ``make lab LAB=n DEST=dir`` copies the
tree to dir and replaces each lab-n
region by one line, the BEGIN line with ``BEGIN`` turned into ``TODO``.  The
code after a region must let the skeleton build (a function returns
``-L4_ENOSYS`` after its region, say).  Labs are independent: the skeleton of
lab n keeps every other lab's solution.

``doc/labs/labN.grade`` lists lab N's graders, one a line::

    title IPC and a name service
    60 run pkg/greeter/test/greeter.test      # points, kind, what
    20 host test_roottask_config              # a host test ($(O)/hosttest/NAME)

``make grade LAB=N`` runs them and prints points per grader and a total.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from .diag import ToolError, at

_MARK = re.compile(r"\bLAB (\d+) (BEGIN|END)\b")
GRADE_DIR = os.path.join("doc", "labs")
# Git-ignored sources the build needs, fetched by mk/install-deps.sh (lwIP:
# mk/fetch-lwip.sh): copied as they are, so that a skeleton builds.
FETCHED = ("contrib",)
SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", "build", "images"}


def strip_text(text, lab, path="<text>"):
    """(text without lab's regions, number of regions cut).  Markers of other
    labs stay; a region that does not close, an END without a BEGIN and a
    BEGIN inside a region are refused with the file and line."""
    out, start, cut = [], None, 0
    for no, line in enumerate(text.splitlines(keepends=True), 1):
        m = _MARK.search(line)
        if m is None:
            if start is None or start[1] != lab:
                out.append(line)
            continue
        n, kind = int(m.group(1)), m.group(2)
        if kind == "BEGIN":
            if start is not None:
                raise ToolError(at(path, no, f"LAB {n} BEGIN inside the LAB {start[1]} "
                                            f"region begun at line {start[0]}"))
            start = (no, n)
            if n == lab:
                out.append(line[:m.start()] + f"LAB {n} TODO" + line[m.end():])
                cut += 1
            else:
                out.append(line)
        else:
            if start is None:
                raise ToolError(at(path, no, f"LAB {n} END without a LAB {n} BEGIN"))
            if n != start[1]:
                raise ToolError(at(path, no, f"LAB {n} END closes the LAB {start[1]} "
                                            f"region begun at line {start[0]}"))
            if n != lab:
                out.append(line)
            start = None
    if start is not None:
        raise ToolError(at(path, start[0], f"LAB {start[1]} BEGIN is never closed"))
    return "".join(out), cut


def tree_files(srcdir):
    """The tree's files, relative: what git tracks (and would track) in a
    checkout, else everything outside build output and VCS folders."""
    if os.path.isdir(os.path.join(srcdir, ".git")):
        r = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=srcdir, capture_output=True, check=True)
        names = [n for n in r.stdout.decode().split("\0") if n]
        return sorted(n for n in names if os.path.isfile(os.path.join(srcdir, n)))
    out = []
    for d, dirs, files in os.walk(srcdir):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS)
        out += [os.path.relpath(os.path.join(d, f), srcdir) for f in files]
    return sorted(out)


def _is_text(path):
    with open(path, "rb") as f:
        return b"\0" not in f.read(8192)


def make_lab(srcdir, lab, dest):
    """Copy srcdir to dest with lab's regions cut, and the fetched sources
    (FETCHED) as they are.  Returns {file: regions}."""
    if os.path.exists(dest) and os.listdir(dest):
        raise ToolError(f"{dest} exists and is not empty: give DEST= a new directory")
    if not os.path.isfile(os.path.join(srcdir, GRADE_DIR, f"lab{lab}.grade")):
        raise ToolError(f"there is no lab {lab} ({GRADE_DIR}/lab{lab}.grade does not exist)")
    cut = {}
    for rel in tree_files(srcdir):
        src, dst = os.path.join(srcdir, rel), os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
        if not _is_text(src):
            continue
        with open(src, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
        if "LAB " not in text:
            continue
        new, n = strip_text(text, lab, rel)
        if n:
            with open(dst, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(new)
            shutil.copymode(src, dst)
            cut[rel] = n
    for rel in FETCHED:
        src = os.path.join(srcdir, rel)
        if os.path.isdir(src) and not os.path.exists(os.path.join(dest, rel)):
            shutil.copytree(src, os.path.join(dest, rel), symlinks=True)
    if not cut:
        raise ToolError(f"lab {lab} has no LAB {lab} BEGIN/END regions in the tree")
    return cut


@dataclass
class Grader:
    points: int
    kind: str           # run | host
    what: str
    line: int


def load_grades(srcdir, lab):
    """(title, [Grader]) from doc/labs/labN.grade."""
    path = os.path.join(srcdir, GRADE_DIR, f"lab{lab}.grade")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        raise ToolError(f"there is no lab {lab} ({os.path.join(GRADE_DIR, f'lab{lab}.grade')} "
                        "does not exist)") from None
    title, graders = f"lab {lab}", []
    for no, raw in enumerate(lines, 1):
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        if not line:
            continue
        words = line.split()
        if words[0] == "title":
            title = " ".join(words[1:])
            continue
        if len(words) != 3 or not words[0].isdigit() or words[1] not in ("run", "host"):
            raise ToolError(at(path, no, "expected 'POINTS run PATH.test', "
                                         f"'POINTS host NAME' or 'title TEXT', not '{line}'"))
        if words[1] == "run" and not os.path.isfile(os.path.join(srcdir, words[2])):
            raise ToolError(at(path, no, f"run script {words[2]} does not exist"))
        graders.append(Grader(int(words[0]), words[1], words[2], no))
    if not graders:
        raise ToolError(at(path, len(lines), f"lab {lab} has no graders"))
    return title, graders
