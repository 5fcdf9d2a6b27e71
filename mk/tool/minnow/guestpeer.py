"""A second Minnow guest beside a run script's QEMU, as its `peer`: two
guests on one link (`-netdev dgram` on 127.0.0.1, each QEMU's local port
the other's remote).  It boots ENTRY of MODULES_LIST (its programs
already built into BUILDDIR/bin by the run script's own build: an entry
of the same programs with another boot config) in QEMU, headless, its
serial line into LOG, for at most TIMEOUT seconds; QEMU is killed by its
pid at the end or when this is stopped.  Passes (exit 0) when the guest
powered off with status 0 and its serial line matched every EXPECT in
order; else exit 1 with the reason.

    guestpeer.py --builddir B --modules-list L --entry E --log LOG
                 [--timeout S] [--expect REGEX ...]
                 [--first-log LOG1 --compare REGEX2 REGEX1 ...] -- QEMU-ARGS ...

--compare: the number REGEX2's group matches in the second guest's log
must equal the one REGEX1's matches in the first guest's (the run
script's, LOG1, waited for up to 30 s): the bytes one sent, the other
received.
"""

import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from minnow import launch  # noqa: E402
from minnow.diag import ToolError  # noqa: E402
from minnow.modlist import load_modules_list, resolve  # noqa: E402
from minnow.qemu import QemuOptions, build_command, guest_status, qemu_binary  # noqa: E402
from minnow.testspec import _qemu_args  # noqa: E402

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def first_number(lines, pattern):
    """The integer the first match of pattern's group gives, or None."""
    rx = re.compile(pattern)
    for line in lines:
        m = rx.search(line)
        if m:
            return int(m.group(1))
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--modules-list", required=True)
    ap.add_argument("--entry", required=True)
    ap.add_argument("--log", required=True, help="the second guest's serial log")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--first-log", help="the run script's serial log, for --compare")
    ap.add_argument("--compare", nargs=2, action="append", default=[],
                    metavar=("REGEX2", "REGEX1"))
    ap.add_argument("qemu_args", nargs="*", help="after --: its network")
    args = ap.parse_args(argv)
    try:
        # the same rules as a run script's qemu-args: only 127.0.0.1
        extra = _qemu_args(" ".join(args.qemu_args))
        mlist = load_modules_list(os.path.abspath(args.modules_list))
        entry = mlist.select(args.entry)
        resolve(mlist, entry, [os.path.join(args.builddir, "bin"), os.path.join(SRCDIR, "conf"),
                               os.path.dirname(mlist.path)])
        argv, _ = build_command(QemuOptions(mode="kernel", serial=f"file:{args.log}",
                                            extra=extra), entry, qemu=qemu_binary())
    except (ToolError, ValueError) as e:
        print(f"guestpeer: {e}")
        return 1
    open(args.log, "wb").close()
    result = launch.run(argv, timeout=args.timeout, stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    with open(args.log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]
    at = 0
    for pat in args.expect:
        rx = re.compile(pat)
        while at < len(lines) and not rx.search(lines[at]):
            at += 1
        if at == len(lines):
            print(f"guestpeer: FAIL: '{pat}' not in the second guest's serial log "
                  f"{args.log} (in order)")
            return 1
        at += 1
    for rx2, rx1 in args.compare:
        a = first_number(lines, rx2)
        b = None
        end = time.monotonic() + 30
        while b is None and time.monotonic() < end:
            try:
                with open(args.first_log, errors="replace") as f:
                    b = first_number([l.rstrip("\r\n") for l in f], rx1)
            except OSError:
                pass
            if b is None:
                time.sleep(0.5)
        if a is None or b is None or a != b:
            print(f"guestpeer: FAIL: '{rx2}' here gives {a}, '{rx1}' in the first guest's "
                  f"log gives {b}")
            return 1
        print(f"guestpeer: {a} in both guests' logs ('{rx2}', '{rx1}')")
    status = guest_status(result.status)
    if result.timed_out or status != 0:
        why = f"timed out after {args.timeout:.0f} s" if result.timed_out else \
            f"QEMU status {result.status} (guest status {status})"
        print(f"guestpeer: FAIL: the second guest {why}; its log: {args.log}")
        return 1
    print(f"guestpeer: the second guest ({args.entry}) matched {len(args.expect)} lines "
          f"and powered off with status 0 after {result.elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
