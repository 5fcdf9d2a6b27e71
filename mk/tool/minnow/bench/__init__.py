"""``make bench``: boot the benchmark images, collect their ``bench:``
lines, print the table with each figure's change against the baseline kept
in the tree, and write a JSON file and a plot.

Figures come in groups, one module each (a module
names its boot entry, QEMU arguments, which figures are its own and which
wall-time ratios mean something): ``ipc``, ``kernel``, ``machine``
(pkg/pingpong), ``program`` (pkg/bootstamp, a boot of its own), ``shell``
(the default image to the shell's first prompt, typed at: a boot of its
own), ``idl`` (pkg/idlbench: C stubs against Rust stubs, a boot of its own).  A module added to ``MODULES`` is booted,
tabled, plotted and compared like the others; modules sharing an entry
share one boot.

Under ``-icount shift=0`` rdtsc counts guest instructions: exact, repeatable,
comparable between runs and machines running this QEMU; not hardware
cycles.  A second run without icount gives wall time, of which only ratios
within that run mean anything.  With ``--kvm`` (``KVM=1 make bench``) on a
host with a usable /dev/kvm the figures are the CPU's time stamp counter:
cycles (at its nominal rate), not comparable with the instruction baseline.
``--kvm --tcg-for-kvm`` runs that pipeline with TCG (no icount) in place of
KVM, for the tool's own test on a host whose KVM cannot run Minnow.
"""

import json
import os
import subprocess
import sys

from minnow.bench import figures, idl, ipc, kernel, machine, program, shell
from minnow import qemu

MODULES = [ipc, kernel, machine, program, shell, idl]
BASELINE = os.path.join("conf", "bench-baseline.json")
KVM_DEVICE = "/dev/kvm"
KVM_API_VERSION = qemu.KVM_API_VERSION


def kvm_refusal(device=None, sysmodule=None):
    """Why ``--kvm`` cannot give cycle figures here, or None if it can try
    (qemu.kvm_refusal: the same test ``KVM=1`` boots make)."""
    return qemu.kvm_refusal(device or KVM_DEVICE, sysmodule)


def _run(tool, args, log, timeout, typed=None):
    """Boot (image.py qemu) with the serial line in log; typed: [(regex,
    text)], each text typed once the log's last line matches its regex
    (in order; the line then goes through a pipe, serialpipe.py)."""
    if os.path.exists(log):
        os.remove(log)
    if not typed:
        cmd = [sys.executable, tool] + args + ["--serial", f"file:{log}", "--timeout", str(timeout)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        lines = open(log, errors="replace").read().splitlines() if os.path.exists(log) else []
        return r.returncode, lines, r.stderr
    import tempfile
    import time
    from minnow.serialpipe import SerialPipe
    open(log, "wb").close()
    pipe = SerialPipe(os.path.abspath(log) + ".serial", log)
    try:
        cmd = [sys.executable, tool] + args + ["--serial", pipe.qemu_serial,
                                               "--timeout", str(timeout)]
        with tempfile.TemporaryFile(mode="w+") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            todo = list(typed)
            while proc.poll() is None:
                text = open(log, errors="replace").read()
                last = text.split("\n")[-1] if not text.endswith("\n") else ""
                done = text.splitlines()
                if todo and any(todo[0][0].search(x) for x in done[-3:] + [last]):
                    pipe.send(todo.pop(0)[1])
                time.sleep(0.05)
            err.seek(0)
            stderr = err.read()
    finally:
        pipe.close()
    return proc.returncode, open(log, errors="replace").read().splitlines(), stderr


def mode_args(kvm, tcg_for_kvm=False):
    """image.py qemu's options for a run: instructions under TCG with icount
    (and the RTC on the guest's clock), or the time stamp counter under KVM
    (no icount, the RTC on the host's clock as on hardware); with
    tcg_for_kvm, the KVM run's command with TCG in place of KVM."""
    if not kvm:
        return ["--icount", "--rtc-vm"]
    return ["--kvm", "--tcg-for-kvm"] if tcg_for_kvm else ["--kvm"]


def run_modules(opts, qemu_opts, tag):
    """{module: figures} for every module, one boot per (entry, QEMU arguments)."""
    tool = os.path.join(opts.srcdir, "mk", "tool", "image.py")
    logdir = os.path.join(opts.builddir, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    boots, out = {}, {}
    for mod in MODULES:
        key = (mod.ENTRY, tuple(mod.QEMU_ARGS))
        if key not in boots:
            args = ["--modules-list", os.path.join(opts.srcdir, "conf", "modules.list"),
                    "--search", os.path.join(opts.builddir, "bin"),
                    "--search", os.path.join(opts.srcdir, "conf"), "--entry", mod.ENTRY,
                    "qemu", "--mode", "kernel"] + qemu_opts + list(mod.QEMU_ARGS)
            log = os.path.join(logdir, f"bench-{mod.ENTRY}-{tag}.log")
            status, lines, err = _run(tool, args, log, opts.timeout, getattr(mod, "TYPE", None))
            figs, rounds = figures.parse(lines)
            if hasattr(mod, "extract"):
                figs.update(mod.extract(lines))
            if status != 0 or not figs:
                print(f"bench: {mod.ENTRY} did not complete (status {status}):\n{err}",
                      file=sys.stderr)
                print("\n".join(lines[-20:]), file=sys.stderr)
                return None
            boots[key] = (figs, rounds)
        figs, rounds = boots[key]
        out[mod] = (mod.select(figs), rounds)
    return out


def table(title, figs, baseline):
    """The rows of one group; a change column only against a baseline (none
    for cycles)."""
    head = f"  {'figure':34} {'min':>9} {'median':>9} {'max':>9}"
    rows = [f"{title}:", head + ("  change against baseline" if baseline is not None else "")]
    for name, f in figs.items():
        ch = f"  {figures.change(f, baseline.get(name))}" if baseline is not None else ""
        if "count" in f:
            row = f"  {name:34} {'':>9} {f['count']:>9} {'':>9}"
        else:
            row = f"  {name:34} {f['min']:>9} {f['median']:>9} {f['max']:>9}"
        rows.append((row + ch).rstrip())
    return rows


def plot(path, results, ylabel):
    """One horizontal bar per figure (median, log scale), a panel per module."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: no plot: python3-matplotlib is missing (mk/install-deps.sh)",
              file=sys.stderr)
        return False
    mods = [(m, f) for m, (f, _) in results.items() if any("median" in v for v in f.values())]
    heights = [max(2, 0.25 * sum("median" in v for v in f.values())) for _, f in mods]
    fig, axes = plt.subplots(len(mods), 1, figsize=(9, sum(heights) + 1),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, (mod, f) in zip(axes[:, 0], mods):
        names = [n for n, v in f.items() if "median" in v]
        ax.barh(names, [f[n]["median"] for n in names], color="#4c72b0")
        ax.set_xscale("log")
        ax.invert_yaxis()
        ax.set_title(mod.TITLE)
        ax.set_xlabel(ylabel)
        ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--kvm", action="store_true", help="cycles under KVM instead of instructions")
    ap.add_argument("--check-only", action="store_true",
                    help="with --kvm: only say whether KVM can be used (before a build)")
    ap.add_argument("--tcg-for-kvm", action="store_true",
                    help="with --kvm: TCG without icount in place of KVM, the rest of the "
                    "pipeline the same (the tool's own test; the figures are not cycles)")
    ap.add_argument("--baseline", help=f"baseline JSON (default: SRCDIR/{BASELINE})")
    ap.add_argument("--update-baseline", action="store_true",
                    help="write this run's figures as the new baseline")
    opts = ap.parse_args(argv)
    base_path = opts.baseline or os.path.join(opts.srcdir, BASELINE)
    kvm = opts.kvm
    if opts.tcg_for_kvm and not kvm:
        ap.error("--tcg-for-kvm goes with --kvm")
    if kvm and not opts.tcg_for_kvm:
        why = kvm_refusal()
        if why:
            print(f"bench: KVM=1: {why}.\nbench: no cycle figures; `make bench` without "
                  "KVM=1 gives guest instructions under TCG (doc/testing.md, Benchmarks)",
                  file=sys.stderr)
            return 2
    if opts.check_only:
        return 0
    results = run_modules(opts, mode_args(kvm, opts.tcg_for_kvm), "kvm" if kvm else "icount")
    if results is None:
        return 1
    rounds = next((r for _, r in results.values() if r), None)
    unit = "cycles (KVM, time stamp counter)" if kvm else "guest instructions (TCG -icount shift=0)"
    baseline = None
    if not kvm and os.path.exists(base_path):
        baseline = json.load(open(base_path))["figures"]
    per = f"{rounds} rounds per figure; " if rounds else ""
    print(f"Minnow benchmarks ({per}release kernel conf/bench_defconfig)")
    print(f"min / median / max in {unit}; the cost of measuring is subtracted.")
    if kvm:
        print("Cycles are not comparable with the instruction baseline; no change shown.")
    if opts.tcg_for_kvm:
        print("--tcg-for-kvm: TCG stood in for KVM; rdtsc followed host time: not cycles.")
    elif baseline is None:
        print(f"No baseline ({base_path}): `make bench BENCH_FLAGS=--update-baseline` writes one.")
    allfigs = {}
    for mod, (figs, _) in results.items():
        print("\n".join(table(mod.TITLE, figs, baseline)))
        allfigs.update(figs)
    if baseline is not None:
        worse = figures.compare(allfigs, baseline)
        gone = [n for n in baseline if n not in allfigs]
        print(f"against the baseline: {len(worse)} figures grew"
              + "".join(f"\n  {n}: {a} -> {b}" for n, a, b in worse)
              + (f"; missing now: {', '.join(gone)}" if gone else ""))

    out = os.path.join(opts.builddir, "bench-kvm.json" if kvm else "bench.json")
    doc = {"unit": "cycles" if kvm else "instructions", "rounds": rounds, "figures": allfigs}
    if kvm:
        doc["accelerator"] = "tcg standing in for kvm: not cycles" if opts.tcg_for_kvm else "kvm"
    with open(out, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    png = os.path.splitext(out)[0] + ".png"
    if plot(png, results, "cycles" if kvm else "guest instructions (median)"):
        print(f"written: {out}, {png}")
    else:
        print(f"written: {out}")
    if opts.update_baseline and not kvm:
        with open(base_path, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"baseline updated: {base_path}")

    if not kvm:
        wall = run_modules(opts, [], "wall")
        if wall is None:
            print("bench: the wall-time run did not complete", file=sys.stderr)
            return 1
        print("wall time under TCG, as ratios within one run (not instructions, not cycles):")
        for mod, (figs, _) in wall.items():
            for name, r in mod.ratios(figs):
                print(f"  {name} = {r:.2f}")
    return 0
