"""``make fuzz``: boot pkg/sysfuzz once per seed and judge each run.

    fuzz.py --builddir O [--seeds 1-20,33] [--calls 20000] [--check 500]

A seed passes when the fuzzer ends with its summary, the kernel's leak check
is ok and the guest powers off with status 0.  A seed that fails is booted
again with ``trace=`` from its last progress mark, so the calls that led to
the failure are printed (a panic leaves nothing else behind: the fuzzer's
calls are reproducible from the seed, what helper threads did in between
depends on timer interrupts and may differ).
"""

import os
import re
import subprocess
import sys

# Searched, not matched: a debug write of the fuzzer may precede them on a line.
_MARK = re.compile(r"fuzz: seed \d+ at call (\d+)")
_DONE = re.compile(r"fuzz: seed (\d+): (\d+) calls, (\d+) invariant checks ok")
_CALL = re.compile(r"fuzz: call \d+ .*")


def parse_seeds(text):
    """'1-3,7' -> [1, 2, 3, 7]."""
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise ValueError(f"bad seed list {text!r}: {part!r} is neither N nor N-M")
        seeds += range(int(lo), int(hi or lo) + 1)
    return seeds


def judge(lines, seed, calls):
    """(ok, why, calls done, last progress mark) from a serial log."""
    mark, done = 0, 0
    summary = leak = False
    for line in lines:
        m = _MARK.search(line)
        if m:
            mark = int(m[1])
        m = _DONE.search(line)
        if m and int(m[1]) == seed:
            done = int(m[2])
            summary = done >= calls
        if "leak check ok" in line:
            leak = True
    if not summary:
        return False, "no summary (panic, hang or broken invariant)", done or mark, mark
    if not leak:
        return False, "leak check failed", done, mark
    return True, "", done, mark


class Campaign:
    def __init__(self, builddir, srcdir, calls, check, timeout):
        self.builddir, self.srcdir = builddir, srcdir
        self.calls, self.check, self.timeout = calls, check, timeout
        self.dir = os.path.join(builddir, "fuzz")
        os.makedirs(self.dir, exist_ok=True)

    def boot(self, seed, extra=""):
        lst = os.path.join(self.dir, f"seed{seed}.list")
        log = os.path.join(self.dir, f"seed{seed}{'-trace' if extra else ''}.log")
        with open(lst, "w") as f:
            f.write(f"entry fuzz\nkernel minnow\n"
                    f"roottask sysfuzz seed={seed} calls={self.calls} check={self.check} tags=1{extra}\n")
        if os.path.exists(log):
            os.remove(log)
        tool = os.path.join(self.srcdir, "mk", "tool", "image.py")
        cmd = [sys.executable, tool, "--modules-list", lst,
               "--search", os.path.join(self.builddir, "bin"),
               "--search", os.path.join(self.srcdir, "conf"), "--entry", "fuzz",
               "qemu", "--mode", "kernel", "--serial", f"file:{log}",
               "--timeout", str(self.timeout)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        lines = open(log, errors="replace").read().splitlines() if os.path.exists(log) else []
        return r.returncode, lines, log

    def run(self, seed):
        status, lines, log = self.boot(seed)
        ok, why, done, mark = judge(lines, seed, self.calls)
        if ok and status != 0:
            ok, why = False, f"guest status {status}"
        if ok:
            print(f"fuzz: seed {seed}: {done} calls ok", flush=True)
            return True, done
        print(f"fuzz: seed {seed}: FAILED after about {done} calls: {why} (log {log})")
        print("\n".join("  | " + l for l in lines[-15:]))
        _, tlines, tlog = self.boot(seed, f" trace={max(mark - 200, 0)}")
        calls = [m[0] for m in map(_CALL.search, tlines) if m]
        print(f"fuzz: seed {seed} again with trace= (log {tlog}); its last calls:")
        print("\n".join("  | " + l for l in calls[-25:]))
        tail = [l for l in tlines if "panic" in l or "check:" in l]
        print("\n".join("  | " + l for l in tail[-5:]), flush=True)
        return False, done


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--seeds", default="1-4")
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--check", type=int, default=500)
    opts = ap.parse_args(argv)
    try:
        seeds = parse_seeds(opts.seeds)
    except ValueError as e:
        print(f"fuzz: {e}", file=sys.stderr)
        return 2
    c = Campaign(opts.builddir, opts.srcdir, opts.calls, opts.check,
                 timeout=60 + opts.calls // 500)
    total, failed = 0, []
    for seed in seeds:
        ok, done = c.run(seed)
        total += done
        if not ok:
            failed.append(seed)
    print(f"fuzz: {len(seeds)} seeds, {total} calls, {len(failed)} failed"
          + (f" (seeds {','.join(map(str, failed))})" if failed else ""))
    return 1 if failed else 0
