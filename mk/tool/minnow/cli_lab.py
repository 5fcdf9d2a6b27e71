"""lab.py: cut a lab's skeleton from the tree, grade a lab.

    lab.py lab   --srcdir DIR --lab N --dest DIR
    lab.py grade --srcdir DIR --builddir DIR --lab N

grade prints one line per grader with its points and a total
("Score: 60/100"); exit status 0 only for full marks.
"""

import argparse
import io
import os
import subprocess
import sys

from .diag import ToolError
from .judge import PASS
from .lab import load_grades, make_lab
from .runtest import RunOptions, run_test

HOST_TIMEOUT = 300


def _host(opts, name, log):
    """Run host test NAME (built by make hosttest); True if it passed."""
    r = subprocess.run(["make", "-s", "--no-print-directory", f"O={os.path.abspath(opts.builddir)}",
                        "hosttest"], cwd=opts.srcdir, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.write(r.stdout)
    if r.returncode:
        return False, "host tests did not build"
    binary = os.path.join(opts.builddir, "hosttest", name)
    if not os.path.isfile(binary):
        return False, f"no host test {name}"
    r = subprocess.run([binary], cwd=opts.srcdir, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=HOST_TIMEOUT)
    log.write(r.stdout)
    return r.returncode == 0, f"exit status {r.returncode}"


def grade(srcdir, builddir, lab, out):
    """Print the lab's points; returns (score, total)."""
    title, graders = load_grades(srcdir, lab)
    opts = RunOptions(srcdir=srcdir, builddir=builddir)
    print(f"== lab {lab}: {title} ==", file=out, flush=True)
    score = total = 0
    for g in graders:
        log = io.StringIO()
        if g.kind == "run":
            result = run_test(os.path.join(srcdir, g.what), opts, log)
            ok, why = result.verdict.code == PASS, result.verdict.reason
            detail = f" ({result.seconds:.1f} s)"
        else:
            ok, why = _host(opts, g.what, log)
            detail = ""
        got = g.points if ok else 0
        score, total = score + got, total + g.points
        name = os.path.basename(g.what)
        print(f"{name}: {'OK' if ok else 'FAIL'}{detail} {got}/{g.points}"
              + ("" if ok else f"\n    {why}"), file=out, flush=True)
    print(f"Score: {score}/{total}", file=out, flush=True)
    return score, total


def main(argv=None):
    ap = argparse.ArgumentParser(prog="lab.py", description="Minnow labs.")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lab", help="copy the tree with lab N's solution cut out")
    p.add_argument("--srcdir", default=".")
    p.add_argument("--lab", type=int, required=True)
    p.add_argument("--dest", required=True)
    p = sub.add_parser("grade", help="run lab N's graders")
    p.add_argument("--srcdir", default=".")
    p.add_argument("--builddir", default="build")
    p.add_argument("--lab", type=int, required=True)
    args = ap.parse_args(argv)
    try:
        if args.command == "lab":
            cut = make_lab(os.path.abspath(args.srcdir), args.lab, os.path.abspath(args.dest))
            for rel, n in sorted(cut.items()):
                print(f"lab {args.lab}: {n} region{'s' if n > 1 else ''} to write in {rel}")
            print(f"lab {args.lab}: the work tree is {args.dest}; the hand-out is "
                  f"doc/labs/lab{args.lab}.md; 'make grade LAB={args.lab}' there grades it")
            return 0
        score, total = grade(os.path.abspath(args.srcdir), args.builddir, args.lab, sys.stdout)
        return 0 if score == total else 1
    except ToolError as e:
        for m in e.messages:
            print(f"lab: {m}", file=sys.stderr)
        return 2
