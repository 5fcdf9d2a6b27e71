"""``make bench-net`` (also run by ``make bench``): Minnow's network
figures.  Two parts (``--part``), and ``--part icount`` for Minnow's
instructions per echo alone (minnow/netcompare.py's icount boot):

- ``compare``: Minnow against a Linux guest in the same QEMU
  (minnow/netcompare.py, doc/net.md "Benchmark");
- ``ethecho``: pkg/ethecho through servers/e1000, QEMU's e1000 on
  ``-netdev dgram`` (UDP on 127.0.0.1), driven by the host peer
  (minnow/netpeer.py, mode bench), as follows.

For each interrupt-throttling setting (the driver's ITR: 0, and 488 x 256 ns
= 125 us) two boots of the same release build:

- under ``-icount shift=0``: guest instructions per echoed frame, with one
  frame in flight and with netpeer.WINDOW; split into the driver's own code
  (NIC_STAT_DRIVER_TSC), the client's own code (ethecho's turns) and the
  rest - the kernel (IPC, notifications, interrupts, switches, timer
  ticks) - counted by a spinner at the lowest priority (pkg/ethecho/idle.c);
- without icount: the echo rate and round trip the host sees.  Host wall
  time under TCG: only comparisons within one run carry over to another
  machine, and none of it is a hardware figure.
"""

import os
import re
import subprocess
import sys
import tempfile

from . import launch
from .modlist import load_modules_list, resolve
from .netrun import NetRun
from .qemu import QemuOptions, build_command, qemu_binary
from .netpeer import BENCH_INTERVALS
from .testspec import TestSpec

VARIANTS = (("ethecho-bench", 0), ("ethecho-bench-itr", 488))
_GUEST = re.compile(r"^bench: net frames (\d+) busy (\d+) driver (\d+) client (\d+) kernel (-?\d+) "
                    r"irqs (\d+) wakeups (\d+)")
_PEER = re.compile(r"^netpeer: bench window (\d+): (\d+) frames in ([\d.]+) s: (\d+) frames/s, "
                   r"round trip (\d+) us")
NETDEV = ("-netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={qemu_port},"
          "remote.type=inet,remote.host=127.0.0.1,remote.port={port}")


def boot(opts, entry_name, icount, frames, log):
    """Serial lines and peer lines of one run; raises RuntimeError."""
    listing = os.path.join(opts.srcdir, "pkg", "ethecho", "test", "ethecho.list")
    mlist = load_modules_list(listing)
    entry = mlist.select(entry_name)
    resolve(mlist, entry, [os.path.join(opts.builddir, "bin"), os.path.join(opts.srcdir, "conf"),
                           os.path.dirname(listing)])
    spec = TestSpec(listing, entry=entry_name,
                    qemu_args=NETDEV.split() + ["-device", "e1000,netdev=n0,mac=52:54:00:12:34:56"],
                    peer=["{python}", "{tool}/netpeer.py", "--port", "{port}",
                          "--qemu-port", "{qemu_port}", "bench", str(frames)])
    open(log, "w").close()
    net = NetRun(spec, log)
    qopts = QemuOptions(mode="kernel", serial=f"file:{os.path.abspath(log)}", icount=icount,
                        extra=net.qemu_args())
    argv, _ = build_command(qopts, entry, qemu=qemu_binary())
    net.start()
    try:
        with tempfile.TemporaryFile() as chatter:
            result = launch.run(argv, timeout=opts.timeout, stdin=subprocess.DEVNULL,
                                stdout=chatter, stderr=subprocess.STDOUT)
    finally:
        status = net.stop()
    serial = open(log, errors="replace").read().splitlines()
    peer = open(net.peer_log, errors="replace").read().splitlines()
    if result.timed_out or status != 0:
        raise RuntimeError(f"{entry_name}: the run did not complete (QEMU {result.status}, "
                           f"peer {status}): " + " | ".join((serial + peer)[-6:]))
    return serial, peer


def guest_rows(lines):
    return [tuple(int(m[i]) for i in range(1, 8)) for m in map(_GUEST.match, lines) if m]


def peer_rows(lines):
    return [(int(m[1]), int(m[2]), float(m[3]), int(m[4]), int(m[5]))
            for m in map(_PEER.match, lines) if m]


def per_frame(rows):
    """Each column's min, median and max per frame over the intervals;
    the interrupts and the client's wake-ups of the driver per 100 frames."""
    cols = []
    for c in range(1, 7):
        scale = 100 if c >= 5 else 1
        v = sorted(r[c] * scale / r[0] for r in rows)
        cols.append((round(v[0]), round(v[len(v) // 2]), round(v[-1])))
    return cols


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", required=True)
    ap.add_argument("--srcdir", default=".")
    ap.add_argument("--part", choices=("all", "compare", "ethecho", "icount"), default="all",
                    help="icount: Minnow's instructions per echo alone (no Linux guest, seconds)")
    ap.add_argument("--frames", type=int, default=2000, help="ethecho: frames a phase")
    ap.add_argument("--timeout", type=int, default=300, help="ethecho: seconds a boot")
    ap.add_argument("--sets", type=int, default=3, help="compare: sets of alternated boots")
    ap.add_argument("--rtt-n", type=int, default=1000, help="compare: round trips a set and size")
    ap.add_argument("--rate-n", type=int, default=4000, help="compare: echoes a set and size")
    ap.add_argument("--icount-n", type=int, default=500, help="compare: echoes an interval")
    ap.add_argument("--intervals", type=int, default=5, help="compare: intervals under icount")
    ap.add_argument("--iperf-t", type=int, default=5, help="compare: seconds an iperf run")
    opts = ap.parse_args(argv)
    status = 0
    if opts.part == "icount":
        from .netcompare import icount_only
        return icount_only(opts)
    if opts.part in ("all", "compare"):
        from .netcompare import compare
        status |= compare(opts)
    if opts.part in ("all", "ethecho"):
        status |= ethecho(opts)
    return status


def ethecho(opts):
    logdir = os.path.join(opts.builddir, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    counts, walls = [], []
    try:
        for entry, itr in VARIANTS:
            serial, _ = boot(opts, entry, True, opts.frames, os.path.join(logdir, f"{entry}-icount.log"))
            g = guest_rows(serial)
            _, peer = boot(opts, entry, False, opts.frames, os.path.join(logdir, f"{entry}-wall.log"))
            p = peer_rows(peer)
            n = BENCH_INTERVALS
            if len(g) != 2 * n or len(p) != 2:
                raise RuntimeError(f"{entry}: {len(g)} guest and {len(p)} peer figures, "
                                   f"wanted {2 * n} and 2")
            counts += [(itr, w[0], per_frame(g[i * n:(i + 1) * n])) for i, w in enumerate(p)]
            walls += [(itr, w) for w in p]
    except RuntimeError as e:
        print(f"bench: network: {e}", file=sys.stderr)
        return 1
    print(f"\nMinnow network echo ({opts.frames} frames of 60..1514 bytes a phase; pkg/ethecho on "
          f"servers/e1000, QEMU e1000, -netdev dgram on 127.0.0.1)")
    print(f"guest instructions per echoed frame (-icount shift=0; not hardware cycles), "
          f"median [min-max] of {BENCH_INTERVALS} intervals:")
    print(f"  {'ITR':>4} {'in flight':>9} {'total':>18} {'driver':>16} {'client':>16} {'kernel':>18}"
          f"  {'irqs/100':>8} {'wakeups/100':>11}")
    for itr, window, cols in counts:
        cells = [f"{m} [{lo}-{hi}]" for lo, m, hi in cols[:4]]
        print(f"  {itr:4} {window:9} {cells[0]:>18} {cells[1]:>16} {cells[2]:>16} {cells[3]:>18}"
              f"  {cols[4][1]:8} {cols[5][1]:11}")
    print("seen from the host, wall time under TCG (this machine only; compare within the run):")
    print(f"  {'ITR':>4} {'in flight':>9} {'frames/s':>9} {'round trip us':>14}")
    for itr, (window, frames, secs, rate, rtt) in walls:
        print(f"  {itr:4} {window:9} {rate:9} {rtt:14}")
    return 0
