"""What network run scripts need beside QEMU (testspec: `peer`, `pcap`,
placeholders in `qemu-args`):

- two free UDP ports on 127.0.0.1, ``{port}`` (the peer's) and
  ``{qemu_port}`` (QEMU's), a free TCP port ``{qmp_port}`` (for a
  QMP socket the peer may drive, e.g. to pull the link) and two more,
  ``{tcp_port}`` and ``{tcp_port2}`` (a hostfwd's host side, a host
  server a guestfwd reaches), put into the
  QEMU arguments and the peer's command line, with ``{pcap}`` (the
  capture's path), ``{log}`` (the serial log, which a peer may read
  to compare its counts with the guest's), ``{builddir}`` (where a
  peer that boots a second guest finds the programs), ``{tool}`` (mk/tool) and
  ``{python}`` (this interpreter);
- the peer: a host program started before QEMU, its output in
  BASE.peer.log; the test passes only if it exits 0 (it is killed by its
  pid if it outlives QEMU by PEER_GRACE seconds);
- the capture: ``-object filter-dump`` on the first netdev into BASE.pcap,
  checked after the run (minnow/pcap.py).
"""

import os
import socket
import subprocess
import sys

from . import launch
from .judge import MISMATCH, PASS, Verdict
from .pcap import check_pcap

PEER_GRACE = 10.0
TOOL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_udp_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def first_netdev_id(words):
    for i, w in enumerate(words[:-1]):
        if w in ("-netdev", "--netdev"):
            for part in words[i + 1].split(",")[1:]:
                if part.startswith("id="):
                    return part[3:]
    return None


class NetRun:
    def __init__(self, spec, log_path, builddir=None):
        self.spec = spec
        base = os.path.splitext(os.path.abspath(log_path))[0]
        self.pcap_path = base + ".pcap"
        self.peer_log = base + ".peer.log"
        port = free_udp_port()
        qport = free_udp_port()
        while qport == port:
            qport = free_udp_port()
        tcp = set()
        while len(tcp) < 3:         # three different ones
            tcp.add(free_udp_port(socket.SOCK_STREAM))
        qmp, tport, tport2 = sorted(tcp)
        self.subst = {"{port}": str(port), "{qemu_port}": str(qport),
                      "{qmp_port}": str(qmp), "{tcp_port}": str(tport),
                      "{tcp_port2}": str(tport2),
                      "{pcap}": self.pcap_path, "{log}": os.path.abspath(log_path),
                      "{builddir}": os.path.abspath(builddir or "."),
                      "{tool}": TOOL_DIR, "{python}": sys.executable}
        self.proc = None

    def _words(self, words):
        out = []
        for w in words:
            for k, v in self.subst.items():
                w = w.replace(k, v)
            out.append(w)
        return out

    def qemu_args(self):
        words = self._words(self.spec.qemu_args)
        if self.spec.pcap:
            netdev = first_netdev_id(words)
            if os.path.exists(self.pcap_path):
                os.unlink(self.pcap_path)
            words += ["-object", f"filter-dump,id=minnow-pcap,netdev={netdev},"
                                 f"file={self.pcap_path}"]
        return words

    def start(self):
        if not self.spec.peer:
            return
        argv = self._words(self.spec.peer)
        self.log = open(self.peer_log, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT,
                                     cwd=os.path.dirname(os.path.abspath(self.spec.path)))

    def watch(self, inner):
        """A launch.run poll callback: stop QEMU once the peer has failed."""
        def poll():
            if self.proc and self.proc.poll() not in (None, 0):
                return True
            return inner()
        return poll

    def stop(self):
        """Wait for the peer a little, then kill it (by its pid)."""
        if not self.proc:
            return None
        try:
            status = self.proc.wait(PEER_GRACE)
        except subprocess.TimeoutExpired:
            launch.kill(self.proc)
            status = None
        self.log.close()
        return status

    def finish(self, verdict):
        """The run's verdict with the peer's and the capture's."""
        status = self.stop()
        reasons = []
        if self.proc:
            with open(self.peer_log, errors="replace") as f:
                lines = [l.rstrip() for l in f if l.strip()]
            last = lines[-1] if lines else "(no output)"
            if status is None:
                reasons.append(f"peer still running {PEER_GRACE:.0f} s after QEMU ended "
                               f"(killed): {last}")
            elif status != 0:
                reasons.append(f"peer exited with status {status}: {last}")
        if self.spec.pcap:
            err = check_pcap(self.pcap_path, self.spec.pcap)
            if err:
                reasons.append(f"capture {self.pcap_path}: {err}")
        if not reasons:
            return verdict
        if verdict.code != PASS:
            verdict.reasons += reasons
            return verdict
        return Verdict(MISMATCH, reasons, verdict.tap)
