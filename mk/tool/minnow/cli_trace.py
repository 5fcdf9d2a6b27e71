"""trace.py: boot an entry with the kernel's IPC trace on and draw it.

    trace.py --modules-list FILE --search DIR... --entry NAME --out-dir DIR
             [--timeout S] [--max N] [--abi libl4/include/l4/sys/abi.h]
             [--labels-from BUILDDIR]
    trace.py --log SERIAL.log --out-dir DIR --entry NAME   (draw a log again)
    trace.py --test PATH.test --srcdir DIR --builddir DIR --out-dir DIR
             (run a run script - its QEMU arguments, host peer, typed
             input - with the trace on, and draw it, named after the script)

Writes DIR/NAME.log (the serial output), DIR/NAME.svg and, where
rsvg-convert is installed, DIR/NAME.png.
"""

import argparse
import os
import shutil
import subprocess
import sys

from . import launch, qemu
from .diag import ToolError
from .fileutil import read_text, split_lines
from .modlist import load_modules_list, resolve
from .trace import idl_labels, kernel_labels, parse_trace, participants, to_svg, write_png

TRACE_WORD = "ipctrace"       # kernel/kdebug.c looks for this word


def boot(args, log):
    mlist = load_modules_list(args.modules_list)
    entry = mlist.select(args.entry)
    resolve(mlist, entry, args.search)
    if TRACE_WORD not in entry.kernel.args:
        entry.kernel.args = list(entry.kernel.args) + [TRACE_WORD]
    if os.path.exists(log):
        os.unlink(log)
    opts = qemu.QemuOptions(serial=f"file:{log}", icount=True)
    argv, _ = qemu.build_command(opts, entry, qemu=qemu.qemu_binary())
    result = launch.run(argv, timeout=args.timeout, stdin=subprocess.DEVNULL)
    if result.timed_out:
        print(f"trace: {entry.name} still ran after {args.timeout:g} s; drawing what it did "
              "until then", file=sys.stderr)
    return entry.name


def run_script(args):
    """Run args.test with ipctrace added; (name, serial log)."""
    from .runtest import RunOptions, run_test
    from .testspec import load_test
    spec = load_test(args.test)
    if spec.boot == "iso":
        raise ToolError(f"{args.test}: boots an ISO, whose kernel command line is fixed "
                        "when it is built: trace a run script that boots the kernel")
    opts = RunOptions(srcdir=args.srcdir, builddir=args.builddir, kernel_args=[TRACE_WORD])
    result = run_test(os.path.abspath(args.test), opts, sys.stderr)
    verdict = "passed" if result.verdict.code == 0 else "failed: " + result.verdict.reason
    print(f"trace: {result.name} {verdict} ({result.seconds:.1f} s)")
    if not result.log_path or not os.path.exists(result.log_path):
        raise ToolError(f"{args.test}: no serial log (it did not boot)")
    return os.path.splitext(os.path.basename(args.test))[0], result.log_path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="trace.py", description="Minnow IPC sequence diagrams.")
    ap.add_argument("--modules-list", default=os.path.join("conf", "modules.list"))
    ap.add_argument("--search", action="append", default=[])
    ap.add_argument("--entry", default=None)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--log", help="draw this serial log instead of booting")
    ap.add_argument("--test", help="run this run script with the trace on instead of an entry")
    ap.add_argument("--srcdir", default=".", help="with --test: the source tree")
    ap.add_argument("--builddir", default="build", help="with --test: the build directory")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--max", type=int, default=200, help="draw at most this many messages")
    ap.add_argument("--labels-from", metavar="BUILDDIR",
                    help="name IDL labels from the *_client.h headers generated here")
    ap.add_argument("--abi", default=os.path.join("libl4", "include", "l4", "sys", "abi.h"))
    args = ap.parse_args(argv)
    try:
        os.makedirs(args.out_dir, exist_ok=True)
        if args.test:
            name, log = run_script(args)
        elif args.log:
            name, log = args.entry or os.path.splitext(os.path.basename(args.log))[0], args.log
        else:
            args.search = args.search or [os.path.dirname(args.modules_list) or "."]
            name = args.entry or load_modules_list(args.modules_list).select(None).name
            log = os.path.join(args.out_dir, name + ".log")
            boot(args, log)
        messages = parse_trace(split_lines(read_text(log)))
        shown = messages[:args.max]
        svg = os.path.join(args.out_dir, name + ".svg")
        with open(svg, "w", encoding="utf-8") as f:
            title = f"{name}: {len(shown)} of {len(messages)} messages"
            labels = kernel_labels(args.abi)
            if args.labels_from:
                labels.update(idl_labels(args.labels_from))
            f.write(to_svg(shown, labels, title))
        png = write_png(svg, os.path.join(args.out_dir, name + ".png"), shutil.which)
        print(f"trace: {len(messages)} messages among {', '.join(participants(messages))}")
        print(f"trace: wrote {svg}" + (f" and {png}" if png else
                                       " (no PNG: install the Debian package librsvg2-bin)"))
        return 0
    except ToolError as e:
        for m in e.messages:
            print(f"trace: {m}", file=sys.stderr)
        return 1
    except (OSError, subprocess.SubprocessError) as e:
        print(f"trace: error: {e}", file=sys.stderr)
        return 1
