"""A host-side network peer for run scripts: raw Ethernet frames to and
from a guest's NIC over QEMU's ``-netdev dgram`` (UDP on 127.0.0.1, one
datagram per frame, no FCS).

    netpeer.py --port P --qemu-port Q MODE [N]

MODE:
  echo N       N frames of mixed sizes (60..1514 bytes); each must come
               back intact with the addresses swapped, in order
  malformed N  N malformed frames (runts, giants, bad EtherType, truncated
               IPv4), then 200 good ones: exactly the rules of
               pkg/ethecho decide which come back, in order
  kill N       like echo, but the guest's driver dies on the way: the
               peer passes when the answers stop before N and none was
               wrong
  link N       N/2 frames echoed, the link pulled (QMP set_link off, on:
               --qmp-port), ARP answered again, N/2 more frames echoed
  ping N       N ICMP echo requests (RFC 792) of up to 1472 bytes of data to
               the guest's IPv4 address, one at a time: each reply must
               come from it to us with id, sequence and data intact and
               right IPv4 and ICMP checksums (servers/net's lwIP answers;
               ARP frames of the guest's own are let pass)
  udpecho N    N UDP datagrams (RFC 768) of 1..1472 bytes to the guest's
               port 7 (--udp-port), one at a time: each must come back
               from that port to ours with the data intact and right IPv4
               and UDP checksums (pkg/udpecho over servers/net's sockets;
               the guest's ARP requests for us are answered)
  serve N      a host for a guest's client sockets, for at most N seconds:
               answers ARP for 10.0.2.2, echoes UDP sent to its port 7,
               answers a TCP SYN with RST (every port is closed), and ends
               (status 0) at a UDP datagram "STOP" to its port 9
  bench N      600 frames to warm up (each buffer used), then N frames
               with one in flight and N with WINDOW in flight, each phase
               in BENCH_INTERVALS intervals that start with a MARK frame,
               then STOP: prints each phase's echo rate and round trip
               (host wall time); the guest counts instructions between
               the marks

First (but in mode serve) ARP requests for the guest's address until it answers (the link
comes up meanwhile), last a stop frame (EtherType 0x88b5, "STOP").  Exit
status 0 on pass, 1 with the reason on stdout.
"""

import argparse
import json
import random
import socket
import struct
import sys
import time

PEER_MAC = bytes.fromhex("525400000001")
GUEST_MAC = bytes.fromhex("525400123456")
PEER_IP = bytes([10, 0, 2, 2])
GUEST_IP = bytes([10, 0, 2, 15])
ETH_P_TEST = 0x88b6            # IEEE local experimental 2: the test frames
ETH_P_STOP = 0x88b5
WINDOW = 32                    # frames in flight
BENCH_INTERVALS = 8            # marks a bench phase
SYNC_EVERY = 8                 # malformed frames between two good ones
REPLY_WAIT = 10.0              # seconds for an answer before the peer gives up


class Fail(Exception):
    pass


def eth(dst, src, etype, payload):
    return dst + src + struct.pack(">H", etype) + payload


def csum(b):
    """The Internet checksum (RFC 1071)."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f">{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, ident=0):
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack(">H", csum(h)) + h[12:] + payload


def echo_request(seq, data):
    icmp = struct.pack(">BBHHH", 8, 0, 0, 0x4d4e, seq) + data
    icmp = icmp[:2] + struct.pack(">H", csum(icmp)) + icmp[4:]
    return eth(GUEST_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, GUEST_IP, 1, icmp, seq))


def echo_reply_problem(f, seq, data):
    """None if f is the guest's reply to echo_request(seq, data), else why not."""
    if len(f) < 14 + 20 + 8 or f[:6] != PEER_MAC or f[12:14] != b"\x08\x00":
        return f"not an IPv4 frame to us: {f[:16].hex()}"
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    if ip[0] >> 4 != 4 or hl < 20 or total > len(ip) or csum(ip[:hl]) != 0:
        return "a bad IPv4 header (version, length or checksum)"
    if ip[9] != 1 or ip[12:16] != GUEST_IP or ip[16:20] != PEER_IP:
        return f"protocol {ip[9]} from {ip[12:16].hex()} to {ip[16:20].hex()}"
    icmp = ip[hl:total]
    if csum(icmp) != 0:
        return "a bad ICMP checksum"
    typ, code, _, ident, got_seq = struct.unpack(">BBHHH", icmp[:8])
    if (typ, code, ident, got_seq) != (0, 0, 0x4d4e, seq) or icmp[8:] != data:
        return f"type {typ} code {code} id {ident:#x} seq {got_seq}, {len(icmp) - 8} bytes of data"
    return None


def ping(link, n, rng):
    sizes = set()
    for seq in range(n):
        size = 1472 if seq == n - 1 else rng.randint(0, 1472)
        data = bytes(rng.getrandbits(8) for _ in range(size))
        link.send(echo_request(seq, data))
        while True:
            f = link.recv(REPLY_WAIT)
            if f is None:
                raise Fail(f"echo {seq} ({size} bytes): no reply in {REPLY_WAIT:.0f} s")
            if f[12:14] == b"\x08\x06":
                continue          # the guest's own ARP (its announcement, a late reply)
            why = echo_reply_problem(f, seq, data)
            if why:
                raise Fail(f"echo {seq} ({size} bytes): {why}")
            break
        sizes.add(size)
    return min(sizes), max(sizes)


UDP_PEER_PORT = 40007


def udp_frame(sport, dport, data, ident=0):
    """An Ethernet frame from us to the guest with one UDP datagram."""
    u = struct.pack(">HHHH", sport, dport, 8 + len(data), 0) + data
    pseudo = PEER_IP + GUEST_IP + struct.pack(">BBH", 0, 17, len(u))
    c = csum(pseudo + u) or 0xffff
    u = u[:6] + struct.pack(">H", c) + u[8:]
    return eth(GUEST_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, GUEST_IP, 17, u, ident))


def udp_reply_problem(f, sport, dport, data):
    """None if f is the guest's datagram from its dport to our sport with
    data, else why not."""
    if len(f) < 14 + 20 + 8 or f[:6] != PEER_MAC or f[12:14] != b"\x08\x00":
        return f"not an IPv4 frame to us: {f[:16].hex()}"
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    if ip[0] >> 4 != 4 or hl < 20 or total > len(ip) or csum(ip[:hl]) != 0:
        return "a bad IPv4 header (version, length or checksum)"
    if ip[9] != 17 or ip[12:16] != GUEST_IP or ip[16:20] != PEER_IP:
        return f"protocol {ip[9]} from {ip[12:16].hex()} to {ip[16:20].hex()}"
    u = ip[hl:total]
    got_sport, got_dport, ulen, ucsum = struct.unpack(">HHHH", u[:8])
    if ulen != len(u):
        return f"UDP length {ulen} in {len(u)} bytes"
    pseudo = ip[12:16] + ip[16:20] + struct.pack(">BBH", 0, 17, len(u))
    if ucsum == 0 or csum(pseudo + u) != 0:
        return f"a bad UDP checksum ({ucsum:#06x})"
    if (got_sport, got_dport) != (dport, sport):
        return f"ports {got_sport} -> {got_dport}, wanted {dport} -> {sport}"
    if u[8:] != data:
        if len(u) - 8 != len(data):
            return f"{len(u) - 8} bytes of data, not the {len(data)} sent"
        k = next(i for i in range(len(data)) if u[8 + i] != data[i])
        return f"the data differs from byte {k} on"
    return None


def arp_answer(link, f):
    """Answer the guest's ARP request for our address; True if f was ARP."""
    if f[12:14] != b"\x08\x06":
        return False
    if len(f) >= 42 and f[20:22] == b"\x00\x01" and f[38:42] == PEER_IP:
        a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + PEER_MAC + PEER_IP + f[22:28] + f[28:32]
        link.send(eth(f[6:12], PEER_MAC, 0x0806, a + bytes(18)))
    return True


def udpecho(link, n, port, rng):
    sizes = set()
    for i in range(n):
        size = 1 if i == 0 else 1472 if i == n - 1 else rng.randint(1, 1472)
        data = bytes(rng.getrandbits(8) for _ in range(size))
        sport = UDP_PEER_PORT + i % 16
        link.send(udp_frame(sport, port, data, i & 0xffff))
        while True:
            f = link.recv(REPLY_WAIT)
            if f is None:
                raise Fail(f"datagram {i} ({size} bytes): no echo in {REPLY_WAIT:.0f} s")
            if arp_answer(link, f):
                continue
            why = udp_reply_problem(f, sport, port, data)
            if why:
                raise Fail(f"datagram {i} ({size} bytes): {why}")
            break
        sizes.add(size)
    return min(sizes), max(sizes)


def tcp_rst_for(f):
    """The RST (RFC 793 3.4) that answers the guest's SYN in f, or None."""
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    t = ip[hl:]
    if len(t) < 20 or not t[13] & 0x02 or t[13] & 0x10:
        return None
    sport, dport, seq = struct.unpack(">HHI", t[:8])
    seg = struct.pack(">HHIIBBHHH", dport, sport, 0, (seq + 1) & 0xffffffff, 5 << 4, 0x14, 0, 0, 0)
    c = csum(PEER_IP + GUEST_IP + struct.pack(">BBH", 0, 6, len(seg)) + seg)
    seg = seg[:16] + struct.pack(">H", c) + seg[18:]
    return eth(GUEST_MAC, PEER_MAC, 0x0800, ipv4(PEER_IP, GUEST_IP, 6, seg))


def serve(link, seconds):
    """Be 10.0.2.2 for the guest's clients until it says STOP."""
    end = time.monotonic() + seconds
    echoed = refused = 0
    while time.monotonic() < end:
        f = link.recv(1.0)
        if f is None or arp_answer(link, f):
            continue
        if len(f) < 34 or f[12:14] != b"\x08\x00" or f[30:34] != PEER_IP:
            continue
        ip = f[14:]
        hl = (ip[0] & 15) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        if ip[9] == 6:
            rst = tcp_rst_for(f)
            if rst:
                link.send(rst)
                refused += 1
        elif ip[9] == 17:
            u = ip[hl:total]
            sport, dport = struct.unpack(">HH", u[:4])
            if dport == 9 and u[8:] == b"STOP":
                return echoed, refused
            if dport == 7:
                link.send(udp_frame(7, sport, u[8:]))
                echoed += 1
    raise Fail(f"no STOP from the guest in {seconds} s ({echoed} echoed, {refused} refused)")


def arp_request():
    a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 1) + PEER_MAC + PEER_IP + bytes(6) + GUEST_IP
    return eth(b"\xff" * 6, PEER_MAC, 0x0806, a + bytes(18))


def arp_reply_ok(f):
    want = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + GUEST_MAC + GUEST_IP + PEER_MAC + PEER_IP
    return f[:12] == PEER_MAC + GUEST_MAC and f[12:14] == b"\x08\x06" and f[14:42] == want


def good_frame(i, size):
    body = struct.pack(">I", i) + bytes((i * 7 + k) & 0xff for k in range(size - 18))
    return eth(GUEST_MAC, PEER_MAC, ETH_P_TEST, body)


def swapped(f):
    return f[6:12] + f[0:6] + f[12:]


def malformed_frames(n, rng):
    """(frame, expected answer or None) for n malformed frames, in equal
    parts of each kind, shuffled."""
    out = []
    kinds = ["runt", "tiny", "giant", "badtype", "truncated"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "runt":          # 14..59 bytes: the NIC pads to 60, echoed
            f = eth(GUEST_MAC, PEER_MAC, ETH_P_TEST, bytes([i & 0xff]) * rng.randint(0, 45))
            out.append((f, swapped(f + bytes(60 - len(f)))))
        elif kind == "tiny":        # 1..5 bytes: no whole address, the NIC filters it
            out.append((GUEST_MAC[:rng.randint(1, 5)], None))
        elif kind == "giant":       # past 1514: ethecho counts it, QEMU drops > 1522
            f = eth(GUEST_MAC, PEER_MAC, ETH_P_TEST, bytes(rng.randint(1501, 3000)))
            out.append((f, None))
        elif kind == "badtype":     # an 802.3 length past the frame's end
            body = bytes(rng.randint(46, 200))
            out.append((eth(GUEST_MAC, PEER_MAC, len(body) + rng.randint(1, 1000), body), None))
        else:                       # IPv4 whose total length is past the frame's end
            ln = rng.randint(46, 300)
            hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, ln + 1 + rng.randint(0, 500), 0, 0, 64,
                              17, 0, PEER_IP, GUEST_IP)
            out.append((eth(GUEST_MAC, PEER_MAC, 0x0800, hdr + bytes(ln - 20)), None))
    rng.shuffle(out)
    # A good frame after every SYNC_EVERY: answers keep coming, so the
    # sender knows the guest keeps up (exchange's window).
    synced = []
    for i, pair in enumerate(out):
        synced.append(pair)
        if i % SYNC_EVERY == SYNC_EVERY - 1:
            f = good_frame(100000 + i, 60 + i % 200)
            synced.append((f, swapped(f)))
    return synced


class Link:
    def __init__(self, port, qemu_port):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.s.bind(("127.0.0.1", port))
        self.dest = ("127.0.0.1", qemu_port)
        self.sent = self.received = 0

    def send(self, f):
        self.s.sendto(f, self.dest)
        self.sent += 1

    def recv(self, timeout):
        self.s.settimeout(timeout)
        try:
            f, _ = self.s.recvfrom(65536)
        except socket.timeout:
            return None
        self.received += 1
        return f


def wait_arp(link, deadline=60.0, let_arp_pass=False):
    start, sent = time.monotonic(), link.sent
    while time.monotonic() - start < deadline:
        link.send(arp_request())
        end = time.monotonic() + 0.2
        while time.monotonic() < end:
            f = link.recv(max(0.01, end - time.monotonic()))
            if f is not None and arp_reply_ok(f):
                print(f"netpeer: ARP answered after {time.monotonic() - start:.2f} s "
                      f"({link.sent - sent} requests)")
                return
            if f is not None and let_arp_pass and arp_answer(link, f):
                continue          # a stack's own ARP: its announcement, a request for us
            if f is not None:
                raise Fail(f"before the ARP reply: an unexpected frame of {len(f)} bytes: "
                           f"{f[:32].hex()}")
    raise Fail(f"no ARP reply in {deadline:.0f} s")


def exchange(link, frames, window=WINDOW, allow_stop=False):
    """Send (frame, answer or None) pairs, at most `window` frames sent
    since the last answer came (the guest's receive ring and QEMU's socket
    must not overflow); check that the answers come in order.  Returns how
    many came."""
    pending = []                  # expected answers, in order
    it = iter(frames)
    done, got, sent, answered_at = False, 0, 0, 0
    while True:
        while not done and (sent - answered_at < window or not pending):
            try:
                f, want = next(it)
            except StopIteration:
                done = True
                break
            link.send(f)
            sent += 1
            if want is not None:
                pending.append((want, sent))
        if not pending:
            return got
        f = link.recv(REPLY_WAIT if not allow_stop else 2.0)
        if f is None:
            if allow_stop:
                return got
            raise Fail(f"no answer in {REPLY_WAIT:.0f} s after {got} answers "
                       f"({len(pending)} outstanding)")
        if arp_reply_ok(f):
            continue              # a late answer to one of wait_arp's requests
        want, answered_at = pending.pop(0)
        if f != want:
            raise Fail(f"answer {got}: {len(f)} bytes {f[:24].hex()}..., wanted {len(want)} bytes "
                       f"{want[:24].hex()}...")
        got += 1


def qmp_set_link(port, netdev, up):
    """QEMU's monitor over QMP: set_link NETDEV up/down."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rw")
        json.loads(f.readline())                        # the greeting
        for cmd in ({"execute": "qmp_capabilities"},
                    {"execute": "set_link", "arguments": {"name": netdev, "up": up}}):
            f.write(json.dumps(cmd) + "\n")
            f.flush()
            while True:
                r = json.loads(f.readline())
                if "error" in r:
                    raise Fail(f"QMP {cmd['execute']}: {r['error'].get('desc')}")
                if "return" in r:
                    break


def mixed(n, rng):
    for i in range(n):
        f = good_frame(i, rng.randint(60, 1514))
        yield f, swapped(f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True, help="our UDP port on 127.0.0.1")
    ap.add_argument("--qemu-port", type=int, required=True, help="QEMU's UDP port on 127.0.0.1")
    ap.add_argument("--qmp-port", type=int, help="QEMU's QMP port on 127.0.0.1 (mode link)")
    ap.add_argument("--netdev", default="n0", help="the netdev whose link mode link pulls")
    ap.add_argument("--udp-port", type=int, default=7, help="the guest's UDP port (mode udpecho)")
    ap.add_argument("mode", choices=("echo", "malformed", "kill", "bench", "link", "ping",
                                     "udpecho", "serve"))
    ap.add_argument("count", type=int, nargs="?", default=10000)
    args = ap.parse_args(argv)
    rng = random.Random(11)
    link = Link(args.port, args.qemu_port)
    try:
        if args.mode != "serve":          # serve: the guest speaks first, we answer its ARP
            wait_arp(link, let_arp_pass=args.mode in ("ping", "udpecho"))
        start = time.monotonic()
        if args.mode == "ping":
            lo, hi = ping(link, args.count, rng)
            print(f"netpeer: {args.count} echo requests of {lo}..{hi} bytes answered, "
                  f"intact, in {time.monotonic() - start:.1f} s")
        elif args.mode == "serve":
            echoed, refused = serve(link, args.count)
            print(f"netpeer: served the guest: {echoed} datagrams echoed, {refused} "
                  f"connections refused, then its STOP")
            return 0
        elif args.mode == "udpecho":
            lo, hi = udpecho(link, args.count, args.udp_port, rng)
            print(f"netpeer: {args.count} UDP datagrams of {lo}..{hi} bytes echoed from port "
                  f"{args.udp_port}, intact, in {time.monotonic() - start:.1f} s")
        elif args.mode == "echo":
            got = exchange(link, mixed(args.count, rng))
            print(f"netpeer: {got} frames of 60..1514 bytes echoed intact and in order "
                  f"in {time.monotonic() - start:.1f} s")
        elif args.mode == "malformed":
            frames = malformed_frames(args.count, rng)
            want = sum(1 for _, w in frames if w is not None)
            got = exchange(link, frames)
            print(f"netpeer: {args.count} malformed frames sent with {args.count // SYNC_EVERY} "
                  f"good ones between them: the {got} that ethecho must answer (padded runts, "
                  f"good frames) answered in order")
            if got != want:
                raise Fail(f"{got} answers, wanted {want}")
            got = exchange(link, mixed(200, rng))
            print(f"netpeer: then {got} good frames echoed: the driver still serves")
        elif args.mode == "link":
            if not args.qmp_port:
                raise Fail("mode link needs --qmp-port")
            got = exchange(link, mixed(args.count // 2, rng))
            qmp_set_link(args.qmp_port, args.netdev, False)
            time.sleep(0.5)
            qmp_set_link(args.qmp_port, args.netdev, True)
            print(f"netpeer: {got} frames echoed, then the link pulled and put back")
            wait_arp(link)
            got = exchange(link, mixed(args.count - args.count // 2, rng))
            print(f"netpeer: {got} frames echoed after the link came back")
        elif args.mode == "kill":
            got = exchange(link, mixed(args.count, rng), allow_stop=True)
            if got >= args.count:
                raise Fail(f"all {got} frames answered: the driver did not die")
            print(f"netpeer: answers stopped after {got} frames, every one intact and in order")
            return 0
        else:
            exchange(link, mixed(600, rng))      # every buffer used once
            per = max(1, args.count // BENCH_INTERVALS)
            for window in (1, WINDOW):
                start, got = time.monotonic(), 0
                for _ in range(BENCH_INTERVALS):
                    link.send(eth(GUEST_MAC, PEER_MAC, ETH_P_STOP, b"MARK" + bytes(42)))
                    got += exchange(link, mixed(per, rng), window=window)
                t = time.monotonic() - start
                print(f"netpeer: bench window {window}: {got} frames in {t:.3f} s: "
                      f"{got / t:.0f} frames/s, round trip {t / got * window * 1e6:.0f} us")
        link.send(eth(GUEST_MAC, PEER_MAC, ETH_P_STOP, b"STOP" + bytes(42)))
        return 0
    except Fail as e:
        print(f"netpeer: FAIL: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
