"""``make test``'s proof of the labs (doc/labs/): each lab's graders give full
marks on the reference tree and fail on its skeleton.

The reference marks come from the run scripts ``make test`` has just run (no
second boot).  The skeleton must build (else every grader would fail for
that reason alone).  The skeleton is cut into a temporary directory and built
incrementally from a copy of the build directory, whose generated files
name the tree and the build directory by absolute path: those are rewritten
to the copies, so nothing of the reference tree is used.
"""

import glob
import io
import os
import re
import shutil
import subprocess
import tempfile

from .cli_lab import grade
from .judge import PASS
from .lab import load_grades, make_lab
from .runtest import run_test

# Build output a skeleton does not need (logs, other configurations).
NOT_COPIED = ("test-logs", "trace", "bench", "iso", "images")
TEXT_SUFFIXES = (".mk", ".d", ".conf", ".cmd", ".h", ".list")


def labs(srcdir):
    """The lab numbers with a grade file, in order."""
    found = glob.glob(os.path.join(srcdir, "doc", "labs", "lab*.grade"))
    nums = [re.fullmatch(r"lab(\d+)\.grade", os.path.basename(p)) for p in found]
    return sorted(int(m.group(1)) for m in nums if m)


def copy_build(builddir, srcdir, new_build, new_src):
    """builddir copied to new_build, its text files pointing at the copies."""
    builddir, srcdir = os.path.abspath(builddir), os.path.abspath(srcdir)
    shutil.copytree(builddir, new_build, symlinks=True,
                    ignore=lambda d, names: [n for n in names if d == builddir and n in NOT_COPIED])
    pattern = re.compile(f"{re.escape(builddir)}|{re.escape(srcdir)}")
    for d, _, files in os.walk(new_build):
        for f in files:
            if not f.endswith(TEXT_SUFFIXES) and not f.startswith("."):
                continue
            p = os.path.join(d, f)
            try:
                with open(p, encoding="utf-8") as fh:
                    text = fh.read()
            except (UnicodeDecodeError, OSError):
                continue
            new = pattern.sub(lambda m: new_build if m.group() == builddir else new_src, text)
            if new != text:
                st = os.stat(p)
                with open(p, "w", encoding="utf-8") as fh:
                    fh.write(new)
                os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))


def reference_marks(srcdir, lab, ran, opts):
    """(score, total) of the reference tree, from the run scripts' results."""
    _, graders = load_grades(srcdir, lab)
    score = total = 0
    for g in graders:
        total += g.points
        path = os.path.abspath(os.path.join(srcdir, g.what))
        if g.kind == "run":
            if path not in ran:
                ran[path] = run_test(path, opts, io.StringIO()).verdict.code == PASS
            score += g.points if ran[path] else 0
    return score, total


def check_lab(opts, lab, ran, log):
    """A list of problems (empty: the lab is proven)."""
    problems = []
    ref, total = reference_marks(opts.srcdir, lab, ran, opts)
    if ref != total:
        problems.append(f"the reference tree scores {ref}/{total}")
    tmp = tempfile.mkdtemp(prefix=f"minnow-lab{lab}-")
    try:
        src = os.path.join(tmp, "src")
        make_lab(opts.srcdir, lab, src)
        copy_build(opts.builddir, opts.srcdir, os.path.join(src, "build"), src)
        # A skeleton that does not build would fail every grader for that
        # reason alone, and prove nothing about the graders.
        r = subprocess.run([opts.make, "-s", "--no-print-directory",
                            f"O={os.path.join(src, 'build')}"], cwd=src, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace")
        log.write(r.stdout)
        if r.returncode:
            last = [l for l in r.stdout.splitlines() if l.strip()][-3:]
            problems.append("the skeleton does not build (make exited with status "
                            f"{r.returncode}): " + " | ".join(last))
            return problems
        score, total = grade(src, os.path.join(src, "build"), lab, log)
        if score >= total:
            problems.append(f"the skeleton scores {score}/{total}: its graders cannot fail")
        log.write(f"reference {ref}/{total}, skeleton {score}/{total}\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems
