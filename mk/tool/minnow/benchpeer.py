"""The host's side of ``make bench-net``'s echo figures: a peer that plays
10.0.2.2 on a guest's e1000 over QEMU's ``-netdev dgram`` (UDP on
127.0.0.1, one datagram per Ethernet frame), speaking Ethernet, ARP, IPv4,
UDP and ICMP itself (slirp with restrict=on drops the UDP a guest sends,
so UDP cannot go through ``-netdev user``).

It answers the guest's ARP requests for 10.0.2.2 at any time, and sends
either UDP datagrams to the guest's echo port (RFC 862) or ICMP echo
requests (RFC 792).  Every answer is checked whole (addresses, protocol,
sequence number and payload); anything else is counted, not taken for an
answer.  Timing is the host's wall clock (time.perf_counter): under TCG a
figure of this machine at this moment, to be read against the other guest
measured in the same run.
"""

import struct
import time

from .netpeer import (GUEST_IP, GUEST_MAC, PEER_IP, PEER_MAC, Link, arp_request, arp_reply_ok,
                      csum, eth, ipv4)

ECHO_PORT = 7
PEER_PORT = 40007
ICMP_ID = 0x4d42
MARK_MAGIC = b"MINNOW-BENCH-MARK"
LOST_AFTER = 1.0              # seconds without an answer: the rest of a window is lost


class PeerError(Exception):
    pass


def _fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


class Echo:
    """Request frames and answer checks for one protocol and payload size.
    The IPv4 header is the same for every request (ident 0); only the
    payload's first 8 bytes (the sequence number) change."""

    def __init__(self, proto, size):
        if proto not in ("udp", "icmp") or not 8 <= size <= 1472:
            raise PeerError(f"no echo of {proto} with {size} bytes (8..1472)")
        self.proto, self.size = proto, size
        self.fill = bytes((k * 7 + 3) & 0xff for k in range(size - 8))
        if proto == "udp":
            hdr = struct.pack(">HHHH", PEER_PORT, ECHO_PORT, 8 + size, 0)   # no checksum (RFC 768)
            self.head = eth(GUEST_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, GUEST_IP, 17, hdr + bytes(size)))
            self.head = self.head[:-size]
        else:
            self.head = eth(GUEST_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, GUEST_IP, 1, bytes(8 + size)))
            self.head = self.head[:-(8 + size)]
            self.base = sum(struct.unpack(f">{(size - 8) // 2}H", self.fill[:(size - 8) // 2 * 2]))
            if (size - 8) % 2:
                self.base += self.fill[-1] << 8
            self.base += (8 << 8) + ICMP_ID

    def payload(self, seq):
        return struct.pack(">Q", seq) + self.fill

    def request(self, seq):
        p = self.payload(seq)
        if self.proto == "udp":
            return self.head + p
        s = self.base + (seq & 0xffff) + sum(struct.unpack(">HHHH", p[:8]))
        icmp = struct.pack(">BBHHH", 8, 0, ~_fold(s) & 0xffff, ICMP_ID, seq & 0xffff)
        return self.head + icmp + p

    def answer(self, f):
        """The sequence number f answers, or None if f is no good answer."""
        if len(f) < 42 or f[12:14] != b"\x08\x00" or f[:6] != PEER_MAC:
            return None
        ip = f[14:]
        hl = (ip[0] & 15) * 4
        if ip[12:16] != GUEST_IP or ip[16:20] != PEER_IP:
            return None
        body = ip[hl:struct.unpack(">H", ip[2:4])[0]]
        if self.proto == "udp":
            if ip[9] != 17 or body[:4] != struct.pack(">HH", ECHO_PORT, PEER_PORT):
                return None
            data = body[8:]
        else:
            if ip[9] != 1 or body[:1] != b"\0" or body[4:6] != struct.pack(">H", ICMP_ID):
                return None
            data = body[8:]
        if len(data) != self.size or data[8:] != self.fill:
            return None
        return struct.unpack(">Q", data[:8])[0]

    def checksums_ok(self, f):
        """The IPv4 header's checksum and the ICMP or UDP checksum (RFC 768:
        0 is none) of an answer."""
        ip = f[14:]
        hl = (ip[0] & 15) * 4
        body = ip[hl:struct.unpack(">H", ip[2:4])[0]]
        if csum(ip[:hl]) != 0:
            return False
        if self.proto == "icmp":
            return csum(body) == 0
        if body[6:8] == b"\0\0":
            return True
        return csum(ip[12:20] + struct.pack(">BBH", 0, 17, len(body)) + body) == 0


def _udp_frame(payload):
    hdr = struct.pack(">HHHH", PEER_PORT, ECHO_PORT, 8 + len(payload), 0)
    return eth(GUEST_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, GUEST_IP, 17, hdr + payload))


def parse_mark(f):
    """(rdtsc, busy, gaps) from a guest's answer to a MARK datagram, or None."""
    if len(f) < 42 or f[12:14] != b"\x08\x00" or f[23] != 17:
        return None
    hl = (f[14] & 15) * 4
    data = f[14 + hl + 8:14 + struct.unpack(">H", f[16:18])[0]]
    if not data.startswith(MARK_MAGIC) or len(data) < len(MARK_MAGIC) + 24:
        return None
    return struct.unpack("<QQQ", data[len(MARK_MAGIC):len(MARK_MAGIC) + 24])


class Peer:
    def __init__(self, port, qemu_port):
        self.link = Link(port, qemu_port)
        self.arp_answered = 0
        self.other = 0          # frames that were neither answers nor ARP
        self.seq = 1
        self.udp_sent = 0       # datagrams to the echo port (a guest's count)

    def _recv(self, timeout):
        """The next frame that is not ARP (the guest's requests for us are
        answered here), or None after `timeout` seconds."""
        end = time.perf_counter() + timeout
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return None
            f = self.link.recv(left)
            if f is None:
                return None
            if f[12:14] != b"\x08\x06":
                return f
            self._answer_arp(f)

    def first_answers(self, echos, t0, deadline, every=0.02, alive=lambda: True):
        """{protocol: seconds from t0 (QEMU's start) to its first good
        answer}: ARP requests until the guest answers one, then a request
        of each protocol not yet answered every `every` seconds."""
        resolved, got = False, {}
        while time.perf_counter() - t0 < deadline and len(got) < len(echos):
            if not alive():
                raise PeerError("QEMU ended before the guest answered")
            if not resolved:
                self.link.send(arp_request())
            else:
                for e in echos:
                    if e.proto not in got:
                        self._send(e, e.request(self.seq))
            end = time.perf_counter() + every
            while time.perf_counter() < end:
                f = self.link.recv(max(0.001, end - time.perf_counter()))
                if f is None:
                    break
                if arp_reply_ok(f):
                    resolved = True
                    continue
                if f[12:14] == b"\x08\x06":
                    self._answer_arp(f)
                    continue
                for e in echos:
                    if e.proto not in got and e.answer(f) is not None and e.checksums_ok(f):
                        got[e.proto] = time.perf_counter() - t0
                        break
                else:
                    self.other += 1
            self.seq += 1
        if len(got) < len(echos):
            missing = [e.proto for e in echos if e.proto not in got]
            raise PeerError(f"no {' or '.join(missing)} echo answered in {deadline:.0f} s "
                            f"(ARP {'answered' if resolved else 'never answered'})")
        return got

    def _send(self, echo, frame):
        self.link.send(frame)
        self.udp_sent += echo.proto == "udp"

    def _answer_arp(self, f):
        if len(f) >= 42 and f[20:22] == b"\x00\x01" and f[38:42] == PEER_IP:
            a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + PEER_MAC + PEER_IP + f[22:28] + f[28:32]
            self.link.send(eth(f[6:12], PEER_MAC, 0x0806, a + bytes(18)))
            self.arp_answered += 1

    def round_trips(self, echo, n):
        """n echoes one at a time: ([seconds per answered echo], lost)."""
        out, lost = [], 0
        for _ in range(n):
            seq = self.seq
            self.seq += 1
            frame = echo.request(seq)
            t = time.perf_counter()
            self._send(echo, frame)
            while True:
                f = self._recv(LOST_AFTER)
                if f is None:
                    lost += 1
                    break
                now = time.perf_counter()
                if echo.answer(f) == seq:
                    if not echo.checksums_ok(f):
                        raise PeerError(f"{echo.proto} echo {seq}: a bad checksum in the answer")
                    out.append(now - t)
                    break
                self.other += 1
        return out, lost

    def window(self, echo, n, window):
        """n echoes with up to `window` in flight: (answered, lost, seconds
        until the last answer).  A lost echo keeps its place in the window
        until LOST_AFTER seconds pass with no answer at all."""
        first = self.seq
        self.seq += n
        frames = [echo.request(first + i) for i in range(n)]     # built before the clock runs
        sent = answered = 0
        outstanding = set()
        t = last = time.perf_counter()
        while sent < n or outstanding:
            while sent < n and len(outstanding) < window:
                self._send(echo, frames[sent])
                outstanding.add(first + sent)
                sent += 1
            f = self._recv(LOST_AFTER)
            if f is None:
                outstanding.clear()         # the rest of this window is lost
                continue
            s = echo.answer(f)
            if s in outstanding:
                outstanding.discard(s)
                answered += 1
                last = time.perf_counter()
            else:
                self.other += 1
        # Until the last answer: a loss near the end costs no LOST_AFTER wait.
        return answered, n - answered, last - t

    def mark(self):
        """The guest's (rdtsc, busy, gaps) from a MARK datagram."""
        self.link.send(_udp_frame(MARK_MAGIC))
        self.udp_sent += 1
        while True:
            f = self._recv(5.0)
            if f is None:
                raise PeerError("no answer to a MARK datagram in 5 s (the guest's echo "
                                "program does not count instructions)")
            m = parse_mark(f)
            if m:
                return m
            if f.endswith(MARK_MAGIC):
                raise PeerError("the MARK datagram came back without counters: the guest's "
                                "echo program has no spinner to ask (udpecho: caps=idle)")
            self.other += 1

    def counted(self, echo, n, window, intervals):
        """Guest instructions per echo over `intervals` intervals of n
        echoes, from the busy counter in the guest's MARK answers: [(busy
        instructions, echoes answered)]."""
        out = []
        last = self.mark()
        for _ in range(intervals):
            if window == 1:
                rtts, _ = self.round_trips(echo, n)
                got = len(rtts)
            else:
                got, _, _ = self.window(echo, n, window)
            now = self.mark()
            out.append((now[1] - last[1], got))
            last = now
        return out


def main(argv=None):
    """``benchpeer.py --port P --qemu-port Q marks N``: the MARK protocol
    checked against a guest (pkg/udpecho/test/mark.test): MARK, N UDP
    echoes one at a time, MARK, N with 32 in flight, MARK; every echo
    answered, and rdtsc, busy and gaps growing from mark to mark."""
    import argparse
    ap = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--qemu-port", type=int, required=True)
    ap.add_argument("mode", choices=("marks",))
    ap.add_argument("count", type=int)
    ap.add_argument("--total", type=int, help="then echoes until this many datagrams were sent "
                                               "(the guest's `count`, which ends the run)")
    args = ap.parse_args(argv)
    peer = Peer(args.port, args.qemu_port)
    try:
        peer.first_answers([Echo("udp", 64)], time.perf_counter(), 60.0)
        marks = [peer.mark()]
        for window, size in ((1, 64), (32, 1472)):
            got, lost, _ = peer.window(Echo("udp", size), args.count, window)
            if lost:
                raise PeerError(f"{lost} of {args.count} echoes of {size} bytes lost")
            marks.append(peer.mark())
            (t0, b0, g0), (t1, b1, g1) = marks[-2:]
            if not (t1 > t0 and b1 > b0 and g1 > g0):
                raise PeerError(f"the counters did not grow: rdtsc {t0}->{t1}, busy {b0}->{b1}, "
                                f"gaps {g0}->{g1}")
            print(f"benchpeer: {got} echoes of {size} bytes, {window} in flight: "
                  f"{(b1 - b0) / got:.0f} busy ticks each, {g1 - g0} gaps")
        print(f"benchpeer: {len(marks)} marks answered with growing counters")
        e = Echo("udp", 64)
        while args.total and peer.udp_sent < args.total:
            peer.round_trips(e, 1)
        return 0
    except PeerError as e:
        print(f"benchpeer: FAIL: {e}")
        return 1
