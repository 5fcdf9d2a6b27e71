"""``make bench-net``: Minnow against a Linux guest in the same QEMU, on
the same e1000 model (``-M pc``), boots of the two alternated over several
sets in one run (the host is noisy: only figures of one run compare).

Per set and guest, one boot on ``-netdev dgram`` (127.0.0.1) against the
host peer (benchpeer.py, playing 10.0.2.2): the time from QEMU's start to
the first answered echo, then UDP and ICMP echo round trips (one in flight:
p50, p99) and rates (WINDOW in flight) at 64 and 1472 bytes of payload;
one boot on ``-netdev user,restrict=on`` for iperf2's TCP throughput:
guest to host, the guest's client through a ``guestfwd`` that
tcprelay.py relays to the host's ``iperf -s``; host to guest, the host's
``iperf -c`` through a ``hostfwd`` to the guest's server.  Once per guest, a
boot under ``-icount shift=0``: guest instructions per echoed UDP
datagram, from the guest's spinner counts read through MARK datagrams
(bench/linux/echo.c says how).

What answers on Minnow's side is named in every row; a figure whose
program is not in the build is skipped with the reason, never guessed.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from . import launch, linuxguest, netstats
from .netreport import SIZES, WINDOW, report
from .benchpeer import Echo, Peer, PeerError
from .modlist import load_modules_list, resolve
from .netrun import free_udp_port
from .qemu import QemuOptions, build_command, qemu_binary

BOOT_DEADLINE = 180.0
NIC = ["-device", "e1000,netdev=n0,mac=52:54:00:12:34:56"]
LIST = os.path.join("bench", "minnow", "net.list")
PENDING_IPERF = "pending: lwiperf in servers/net (issue 12) is not in this tree"


@dataclass
class Guest:
    name: str                        # linux | minnow
    udp: str = None                  # what answers UDP echo, or None
    icmp: str = None                 # what answers ICMP echo
    iperf: str = None                # what serves iperf
    skip: dict = field(default_factory=dict)   # protocol -> why it is not measured
    entry: str = None                # Minnow's boot entries: echo, iperf, icount
    tcp_entry: str = None
    icount_entry: str = None


def minnow_guest(builddir):
    """What the build has on Minnow's side."""
    have = lambda m: os.path.exists(os.path.join(builddir, "bin", m))
    g = Guest("minnow", icmp="servers/net (lwIP's ICMP)", entry="bench-net-icmp")
    if have("udpecho"):
        g.udp, g.entry = "pkg/udpecho on servers/net's sockets", "bench-net-udp"
        g.icmp = "servers/net (lwIP's ICMP)"
    else:
        g.skip["udp"] = "pending: pkg/udpecho is not in this build"
    with open(os.path.join(builddir, "bin", "net"), "rb") as f:
        lwiperf = b"iperf-to=" in f.read()      # servers/net's arguments name it
    if lwiperf:
        g.iperf, g.tcp_entry = "lwiperf in servers/net (iperf= server, iperf-to= client)", "bench-net-iperf"
    else:
        g.skip["iperf"] = PENDING_IPERF
    if "udp" in g.skip or not have("ethecho"):
        g.skip["icount"] = "needs pkg/udpecho and pkg/ethecho's spinner in the build"
    else:
        g.icount_entry = "bench-net-udp-icount"
    return g


def linux_guest():
    return Guest("linux", udp="bench/linux/echo.c (UDP socket, poll)", icmp="the kernel",
                 iperf="iperf 2 (-s, and -c to the relay)")


class Boot:
    """One QEMU of a guest, killed by its pid when done."""

    def __init__(self, opts, guest, netdev, icount, tag, entry=None, append=None):
        self.log = os.path.join(opts.logdir, f"bench-net-{guest.name}-{tag}.log")
        if guest.name == "linux":
            info = opts.linux
            argv = [qemu_binary(), "-machine", "pc", "-cpu", "max", "-m", "256M", "-display", "none",
                    "-no-reboot", "-nic", "none", "-serial", f"file:{self.log}", "-accel", "tcg"]
            argv += ["-icount", "shift=0"] if icount else []
            cmdline = info["cmdline"] + (f" {append}" if append else "")
            argv += ["-kernel", info["vmlinuz"], "-initrd", info["initrd"], "-append", cmdline]
        else:
            mlist = load_modules_list(opts.listing)
            e = mlist.select(entry or guest.entry)
            resolve(mlist, e, [os.path.join(opts.builddir, "bin"), os.path.join(opts.srcdir, "conf"),
                               os.path.dirname(opts.listing)])
            argv, _ = build_command(QemuOptions(mode="kernel", serial=f"file:{self.log}",
                                                icount=icount), e, qemu=qemu_binary())
        self.argv = argv + ["-netdev", netdev] + NIC
        self.proc = None

    def start(self):
        open(self.log, "w").close()
        self.chatter = open(os.path.splitext(self.log)[0] + ".qemu.log", "w")
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=self.chatter,
                                     stderr=subprocess.STDOUT)
        return self.t0

    def alive(self):
        return self.proc.poll() is None

    def why(self):
        """What QEMU and the guest said last, for an error message."""
        if not self.alive():
            self.chatter.flush()
        qemu = open(self.chatter.name, errors="replace").read().splitlines()
        return (f"QEMU {'running' if self.alive() else f'exited {self.proc.returncode}'}: "
                + " | ".join(qemu[-2:] + self.serial()[-3:]) + f" ({self.log})")

    def serial(self):
        return open(self.log, errors="replace").read().splitlines()

    def stop(self):
        if self.proc:
            launch.kill(self.proc)
            self.chatter.close()


def dgram_netdev(port, qport):
    return (f"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={qport},"
            f"remote.type=inet,remote.host=127.0.0.1,remote.port={port}")


def echo_boot(opts, guest, tag):
    """The dgram boot: {figure: value} for one set."""
    port, qport = free_udp_port(), free_udp_port()
    peer = Peer(port, qport)
    boot = Boot(opts, guest, dgram_netdev(port, qport), False, tag)
    figs = {}
    protos = [p for p in ("udp", "icmp") if getattr(guest, p)]
    try:
        t0 = boot.start()
        try:
            first = peer.first_answers([Echo(p, 64) for p in protos], t0, BOOT_DEADLINE,
                                       alive=boot.alive)
        except PeerError as e:
            raise PeerError(f"{guest.name}: {e}; {boot.why()}") from None
        for p, t in first.items():
            figs[f"first-answer-{p}"] = t
        for p in protos:
            peer.window(Echo(p, 64), 200, WINDOW)           # warm up: caches, ARP, buffers
            for size in SIZES:
                e = Echo(p, size)
                rtts, lost = peer.round_trips(e, opts.rtt_n)
                if len(rtts) < opts.rtt_n // 2:
                    raise PeerError(f"{p} {size}: {lost} of {opts.rtt_n} echoes lost")
                figs[f"{p}-rtt-p50-{size}"] = netstats.percentile(rtts, 50) * 1e6
                figs[f"{p}-rtt-p99-{size}"] = netstats.percentile(rtts, 99) * 1e6
                got, lost, secs = peer.window(e, opts.rate_n, WINDOW)
                figs[f"{p}-rate-{size}"] = got / secs / 1e3
                figs[f"{p}-lost-{size}"] = lost
    finally:
        boot.stop()
        peer.link.s.close()
    return figs


IPERF_TO = "10.0.2.100:5001"          # the guestfwd the guests' iperf clients send to
RELAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tcprelay.py")


def iperf_boot(opts, guest, tag):
    """TCP throughput both ways through QEMU's user network (restrict=on):
    guest to host, the guest's iperf client (10 s from when its address
    is up) to a guestfwd that tcprelay.py relays to the host's `iperf -s`
    (the rate is what that server counts); then host to guest, the host's
    `iperf -c` through a hostfwd to the guest's server on port 5001."""
    hp, sp = free_udp_port(socket.SOCK_STREAM), free_udp_port(socket.SOCK_STREAM)
    relay = f"cmd:{sys.executable} {RELAY} 127.0.0.1 {sp}"
    netdev = (f"user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:{hp}-:5001,"
              f"guestfwd=tcp:{IPERF_TO}-{relay}")
    boot = Boot(opts, guest, netdev, False, tag, entry=guest.tcp_entry,
                append=f"minnow.iperf_to={IPERF_TO}")
    client = linuxguest.host_iperf(opts.builddir)
    figs, lines = {}, []
    server = subprocess.Popen([client, "-s", "-B", "127.0.0.1", "-p", str(sp), "-y", "C"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        boot.start()
        while time.perf_counter() - boot.t0 < BOOT_DEADLINE + 20:
            v = netstats.iperf_mbits("\n".join(lines))
            if v is not None or not boot.alive():
                break
            time.sleep(0.2)
        if v is None:
            guest.skip["tcp-guest-to-host"] = (f"the host's iperf -s counted nothing: "
                                               f"{' '.join(lines)[-120:] or boot.why()}")
            print(f"bench-net: {guest.name}: {guest.skip['tcp-guest-to-host']}", flush=True)
        else:
            figs["tcp-guest-to-host"] = v
        # A first second unmeasured: connection set-up, slow start.
        for name, t in (("warm-up", 1), ("tcp-host-to-guest", opts.iperf_t)):
            r = subprocess.run([client, "-c", "127.0.0.1", "-p", str(hp), "-t", str(t), "-y", "C"],
                               capture_output=True, text=True, timeout=t + 60)
            v = netstats.iperf_mbits(r.stdout)
            if v is None:
                why = " ".join((r.stdout + r.stderr).split())[-160:] or f"status {r.returncode}"
                guest.skip[name] = f"iperf -c: no result: {why}"
                print(f"bench-net: {guest.name}: {guest.skip[name]}", flush=True)
                break
            if name != "warm-up":
                figs[name] = v
    finally:
        boot.stop()
        launch.kill(server)
    return figs


def icount_boot(opts, guest):
    """Guest instructions per echoed UDP datagram and ICMP echo: {figure:
    [per interval]}."""
    port, qport = free_udp_port(), free_udp_port()
    peer = Peer(port, qport)
    boot = Boot(opts, guest, dgram_netdev(port, qport), True, "icount", entry=guest.icount_entry)
    figs = {}
    try:
        t0 = boot.start()
        try:
            peer.first_answers([Echo("udp", 64)], t0, BOOT_DEADLINE, alive=boot.alive)
        except PeerError as e:
            raise PeerError(f"{guest.name} under icount: {e}; {boot.why()}") from None
        peer.mark()                                         # starts the guest's spinner
        peer.window(Echo("udp", 64), 200, WINDOW)
        # ICMP too: the spinner counts whatever the guest does between
        # two MARKs, so the stacks' own path (no program) is counted alike.
        for proto in ("udp", "icmp"):
            for size, window in ((64, 1), (1472, 1), (64, WINDOW), (1472, WINDOW)):
                rows = peer.counted(Echo(proto, size), opts.icount_n, window, opts.intervals)
                if any(got == 0 for _, got in rows):
                    raise PeerError(f"{proto} {size} window {window}: an interval with no echo")
                figs[f"{proto}-insn-{size}-w{window}"] = [busy / got for busy, got in rows]
    finally:
        boot.stop()
        peer.link.s.close()
    return figs


def collect(opts, guests):
    """{guest: {figure: [values]}}, boots alternated: in set i the guests
    go in turn, the first of them changing from set to set."""
    vals = {g.name: {} for g in guests}
    for i in range(opts.sets):
        order = guests if i % 2 == 0 else guests[::-1]
        for g in order:
            jobs = [("echo", lambda g=g: echo_boot(opts, g, f"echo{i}"))]
            if g.iperf:
                jobs.append(("iperf", lambda g=g: iperf_boot(opts, g, f"iperf{i}")))
            for what, job in jobs:
                print(f"bench-net: set {i + 1}/{opts.sets}: {g.name} {what}", flush=True)
                for k, v in job().items():
                    vals[g.name].setdefault(k, []).append(v)
    for g in guests:
        if "icount" in g.skip:
            continue
        print(f"bench-net: {g.name} under -icount shift=0", flush=True)
        for k, v in icount_boot(opts, g).items():
            vals[g.name][k] = v
    return vals


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


def compare(opts):
    """The whole comparison; 0 on success."""
    opts.listing = os.path.join(opts.srcdir, LIST)
    opts.logdir = os.path.join(opts.builddir, "test-logs")
    os.makedirs(opts.logdir, exist_ok=True)
    try:
        opts.linux = linuxguest.build(opts.builddir, opts.srcdir)
    except linuxguest.GuestError as e:
        print(f"bench-net: the Linux guest: {e}")
        return 1
    guests = [linux_guest(), minnow_guest(opts.builddir)]
    for g in guests:
        for what, why in g.skip.items():
            print(f"bench-net: {g.name}: no {what} figures: {why}")
    old = signal.signal(signal.SIGTERM, _terminated)   # unwind: every QEMU killed by its pid
    try:
        vals = collect(opts, guests)
    except (PeerError, OSError, subprocess.TimeoutExpired) as e:
        print(f"bench-net: {e}")
        return 1
    finally:
        signal.signal(signal.SIGTERM, old)
    return report(opts, guests, vals)


def icount_only(opts):
    """Minnow's guest instructions per echo alone (``--part icount``): the
    icount boot of compare(), without the Linux guest or any wall-time
    boot - a few seconds, for measuring a change of the data path.  0 on
    success."""
    opts.listing = os.path.join(opts.srcdir, LIST)
    opts.logdir = os.path.join(opts.builddir, "test-logs")
    os.makedirs(opts.logdir, exist_ok=True)
    g = minnow_guest(opts.builddir)
    if "icount" in g.skip:
        print(f"bench-net: no instruction figures: {g.skip['icount']}")
        return 1
    try:
        figs = icount_boot(opts, g)
    except (PeerError, OSError, subprocess.TimeoutExpired) as e:
        print(f"bench-net: {e}")
        return 1
    print(f"Minnow's guest instructions per echo (-icount shift=0), median [min-max] of "
          f"{opts.intervals} intervals of {opts.icount_n} echoes:")
    for k, v in figs.items():
        v = sorted(v)
        print(f"  {k:22} {round(v[len(v) // 2]):>8,} [{round(v[0]):,}-{round(v[-1]):,}]")
    return 0
