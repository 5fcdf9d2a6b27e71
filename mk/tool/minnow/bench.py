"""``make bench``: boot the benchmark image, collect its ``bench:`` lines,
print them as a table.

Two runs of the same release build: one under ``-icount shift=0``, where
rdtsc counts guest instructions (exact and repeatable, comparable between
runs and machines running this QEMU), and one without, where TCG's rdtsc
follows host time: only the ratios within that run mean anything, so only
ratios are printed for it.  Neither is a hardware cycle count.
"""

import os
import re
import subprocess
import sys

_LINE = re.compile(r"^bench: (\S+) (\S+) (\S+) min (\d+) median (\d+) max (\d+)\s*$")
_INFO = re.compile(r"^bench: (\S+) rounds (\d+) rdtsc-overhead (\d+)")


def parse(lines):
    """{(bench, path, op): (min, median, max)} and {bench: rounds}."""
    rows, rounds = {}, {}
    for line in lines:
        m = _LINE.match(line)
        if m:
            rows[(m[1], m[2], m[3])] = tuple(int(m[i]) for i in (4, 5, 6))
            continue
        m = _INFO.match(line)
        if m:
            rounds[m[1]] = int(m[2])
    return rows, rounds


def format_counts(rows):
    out = [f"  {'benchmark':10} {'path':9} {'op':10} {'min':>7} {'median':>7} {'max':>7}"]
    for (bench, path, op), (lo, med, hi) in rows.items():
        out.append(f"  {bench:10} {path:9} {op:10} {lo:7} {med:7} {hi:7}")
    return out


def format_ratios(rows):
    """Median of each path and op relative to the fast path's."""
    out = []
    for (bench, path, op), (_, med, _) in rows.items():
        base = rows.get((bench, "fastpath", op))
        if base and path != "fastpath" and base[1]:
            out.append(f"  {bench} {op}: {path} / fastpath = {med / base[1]:.2f}")
    return out


def _run(tool, args, log, timeout):
    if os.path.exists(log):
        os.remove(log)
    cmd = [sys.executable, tool] + args + ["--serial", f"file:{log}", "--timeout", str(timeout)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    lines = open(log, errors="replace").read().splitlines() if os.path.exists(log) else []
    return r.returncode, lines, r.stderr


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--entry", default="pingpong")
    ap.add_argument("--timeout", type=int, default=600)
    opts = ap.parse_args(argv)
    tool = os.path.join(opts.srcdir, "mk", "tool", "image.py")
    base = ["--modules-list", os.path.join(opts.srcdir, "conf", "modules.list"),
            "--search", os.path.join(opts.builddir, "bin"),
            "--search", os.path.join(opts.srcdir, "conf"), "--entry", opts.entry,
            "qemu", "--mode", "kernel"]
    logdir = os.path.join(opts.builddir, "test-logs")
    os.makedirs(logdir, exist_ok=True)

    status, lines, err = _run(tool, base + ["--icount"], os.path.join(logdir, "bench-icount.log"),
                              opts.timeout)
    rows, rounds = parse(lines)
    if status != 0 or not rows:
        print(f"bench: the benchmark did not complete (status {status}):\n{err}", file=sys.stderr)
        print("\n".join(lines[-30:]), file=sys.stderr)
        return 1
    n = ", ".join(f"{b}: {r} rounds" for b, r in rounds.items())
    print(f"Minnow IPC benchmark ({n}; release kernel: conf/bench_defconfig; QEMU TCG)")
    print("guest instructions per operation (-icount shift=0 makes rdtsc count instructions;")
    print("the cost of rdtsc itself is subtracted; these are not hardware cycles):")
    print("\n".join(format_counts(rows)))

    status, lines, err = _run(tool, base, os.path.join(logdir, "bench-wall.log"), opts.timeout)
    wall, _ = parse(lines)
    if status == 0 and wall:
        print("wall time under TCG, as ratios within one run:")
        print("\n".join(format_ratios(wall)))
    else:
        print("bench: the wall-time run did not complete", file=sys.stderr)
        return 1
    return 0
