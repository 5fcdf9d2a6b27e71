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
  answer N     play the host the guest pings (10.0.2.2): answer its ARP
               requests and its ICMP echo requests until N requests came,
               each checked (checksums, addresses); --late SEQ holds the
               reply to that sequence number back until the next request
               has come and sends it first (a stale reply the guest must
               not take for the next one's); --dhcp-min N: at least N
               DHCP discovers (left unanswered) must come first
  flood N      N malformed frames of FLOOD_KINDS (bad IPv4, UDP, TCP and
               ICMP checksums, lengths and header lengths, IP and TCP
               options, fragments overlapping, past 64 KiB and never
               completed, odd TCP flags, ARP garbage, runts), an echo the
               guest must answer after every FLOOD_BATCH of them, then 100
               checked pings; the guest's own echo requests (its shell's
               ping) are answered only after the flood, then as in mode
               answer until --answers of them came
  pingload K   echo requests at a steady pace (one every 5 ms, 64 bytes
               of data) while the guest's driver is killed K times: each
               reply is checked as in ping, none may come twice; passes
               once K gaps of more than 0.25 s between replies have been
               seen and 300 replies came after the last; prints each
               gap (host wall time) and the requests never answered
               (lost) in all and per gap.  With --log and --restarted
               REGEX the K deaths are the guest's lines that match (a
               host that stalls QEMU for a moment makes a gap too, and
               counted as a death it ended the load before the last one)
  udpload K    the same with UDP datagrams to the guest's port 7
               (--udp-port): pkg/udpecho answers each
  udpecho N    N UDP datagrams (RFC 768) of 1..1472 bytes to the guest's
               port 7 (--udp-port), one at a time: each must come back
               from that port to ours with the data intact and right IPv4
               and UDP checksums (pkg/udpecho over servers/net's sockets;
               the guest's ARP requests for us are answered)
  serve N      a host for a guest's client sockets, for at most N seconds:
               checks every IPv4, TCP and UDP checksum the guest sends,
               answers ARP for 10.0.2.2, echoes UDP sent to its port 7,
               answers a TCP SYN with RST (every port is closed), and ends
               (status 0) at a UDP datagram "STOP" to its port 9
  bench N      600 frames to warm up (each buffer used), then N frames
               with one in flight and N with WINDOW in flight, each phase
               in BENCH_INTERVALS intervals that start with a MARK frame,
               then STOP: prints each phase's echo rate and round trip
               (host wall time); the guest counts instructions between
               the marks

First (but in modes answer and serve, where the guest speaks first) ARP
requests for the guest's address until it answers (the link comes up
meanwhile): for up to ARP_WAIT seconds, a boot on a loaded machine; with
--log (the run script's {log}) no longer once the kernel's last line
(GUEST_END) is in the guest's serial log and nothing came since, and with
--ready REGEX, the guest's line that says it listens, only REPLY_WAIT more
once that line is there (a driver that never answers fails in seconds,
not a minute).  Last a stop
frame (EtherType 0x88b5, "STOP").  Exit status 0 on pass, 1 with the
reason on stdout.
"""

import argparse
import json
import random
import re
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
FLOOD_BATCH = 16               # mode flood: malformed frames between two echoes
REPLY_WAIT = 10.0              # seconds for an answer before the peer gives up
ARP_WAIT = 60.0                # seconds for the first ARP reply: the guest boots meanwhile


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


def guest_ipv4_payload(f, proto):
    """The payload of f, an IPv4 packet of protocol proto from the guest to
    us with a sound header; or, as a str, why f is not one."""
    if len(f) < 14 + 20 + 8 or f[:6] != PEER_MAC or f[12:14] != b"\x08\x00":
        return f"not an IPv4 frame to us: {f[:16].hex()}"
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    if ip[0] >> 4 != 4 or hl < 20 or total > len(ip) or csum(ip[:hl]) != 0:
        return "a bad IPv4 header (version, length or checksum)"
    if ip[9] != proto or ip[12:16] != GUEST_IP or ip[16:20] != PEER_IP:
        return f"protocol {ip[9]} from {ip[12:16].hex()} to {ip[16:20].hex()}"
    return ip[hl:total]


def echo_reply_problem(f, seq, data):
    """None if f is the guest's reply to echo_request(seq, data), else why not."""
    icmp = guest_ipv4_payload(f, 1)
    if isinstance(icmp, str):
        return icmp
    if csum(icmp) != 0:
        return "a bad ICMP checksum"
    typ, code, _, ident, got_seq = struct.unpack(">BBHHH", icmp[:8])
    if (typ, code, ident, got_seq) != (0, 0, 0x4d4e, seq) or icmp[8:] != data:
        return f"type {typ} code {code} id {ident:#x} seq {got_seq}, {len(icmp) - 8} bytes of data"
    return None


def ping(link, n, rng, other=None):
    sizes = set()
    for seq in range(n):
        size = 1472 if seq == n - 1 else rng.randint(0, 1472)
        data = bytes(rng.getrandbits(8) for _ in range(size))
        link.send(echo_request(seq, data))
        while True:
            f = link.recv(REPLY_WAIT)
            if f is None:
                raise Fail(f"echo {seq} ({size} bytes): no reply in {REPLY_WAIT:.0f} s")
            why = echo_reply_problem(f, seq, data)
            if why and other:
                other(f)          # not the reply: someone else's business
                continue
            if f[12:14] == b"\x08\x06":
                continue          # the guest's own ARP (its announcement, a late reply)
            if why:
                raise Fail(f"echo {seq} ({size} bytes): {why}")
            break
        sizes.add(size)
    return min(sizes), max(sizes)


def arp_reply_to(f):
    """Our ARP reply to the guest's request f for PEER_IP, or None if f is not one."""
    if len(f) < 42 or f[12:14] != b"\x08\x06":
        return None
    htype, ptype, hlen, plen, op = struct.unpack(">HHBBH", f[14:22])
    sha, spa, tpa = f[22:28], f[28:32], f[38:42]
    if (htype, ptype, hlen, plen, op) != (1, 0x0800, 6, 4, 1) or tpa != PEER_IP:
        return None
    a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + PEER_MAC + PEER_IP + sha + spa
    return eth(sha, PEER_MAC, 0x0806, a + bytes(18))


def echo_reply_to(f):
    """(seq, our reply) to the guest's ICMP echo request f to PEER_IP, None if
    f is not one; Fail if it is one but malformed."""
    if len(f) < 14 + 20 + 8 or f[12:14] != b"\x08\x00":
        return None
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    if ip[9] != 1 or ip[16:20] != PEER_IP:
        return None
    if ip[0] >> 4 != 4 or hl < 20 or total > len(ip) or csum(ip[:hl]) != 0:
        raise Fail("an echo request with a bad IPv4 header (version, length or checksum)")
    icmp = ip[hl:total]
    if icmp[0] != 8:
        return None
    if csum(icmp) != 0 or icmp[1] != 0:
        raise Fail(f"an echo request with a bad checksum or code {icmp[1]}")
    ident, seq = struct.unpack(">HH", icmp[4:8])
    rep = struct.pack(">BBHHH", 0, 0, 0, ident, seq) + icmp[8:]
    rep = rep[:2] + struct.pack(">H", csum(rep)) + rep[4:]
    return seq, eth(f[6:12], PEER_MAC, 0x0800, ipv4(PEER_IP, ip[12:16], 1, rep, seq))


def is_dhcp_discover(f):
    """f is an IPv4 UDP datagram to port 67 (a DHCP client's, RFC 2131)
    with DHCP message type 1 (DISCOVER)."""
    if len(f) < 14 + 20 + 8 + 240 or f[12:14] != b"\x08\x00" or f[23] != 17:
        return False
    hl = (f[14] & 15) * 4
    udp = f[14 + hl:]
    if struct.unpack(">H", udp[2:4])[0] != 67:
        return False
    opts = udp[8 + 240:]
    return b"\x35\x01\x01" in opts      # option 53, length 1, DISCOVER


def answer(link, n, late, dhcp_min=0):
    """Answer the guest's ARP and echo requests until n requests came
    (after at least dhcp_min DHCP discovers, which nobody answers)."""
    seen, held, arps, discovers = 0, None, 0, 0
    while seen < n:
        f = link.recv(60.0)
        if f is None:
            raise Fail(f"{seen} echo requests in, then nothing for 60 s")
        r = arp_reply_to(f)
        if r:
            link.send(r)
            arps += 1
            continue
        if is_dhcp_discover(f):
            discovers += 1
            continue
        e = echo_reply_to(f)
        if not e:
            continue
        seq, rep = e
        if discovers < dhcp_min:
            raise Fail(f"an echo request after {discovers} DHCP discovers, wanted {dhcp_min}")
        seen += 1
        if held:
            link.send(held)        # the stale one first
            held = None
        if seq in late:
            held = rep
        else:
            link.send(rep)
    return arps, discovers


def tcp_seg(src_port, dst_port, flags, opts=b"", data=b"", seq=1000, off=None, good=True):
    """A TCP segment PEER_IP -> GUEST_IP (RFC 793), checksum right unless
    good is false; off overrides the data offset (in words)."""
    off = off if off is not None else 5 + (len(opts) + 3) // 4
    opts = opts + bytes(-len(opts) % 4)
    h = struct.pack(">HHIIBBHHH", src_port, dst_port, seq, 0, off << 4, flags, 8192, 0, 0)
    seg = h + opts + data
    pseudo = PEER_IP + GUEST_IP + struct.pack(">BBH", 0, 6, len(seg))
    c = csum(pseudo + seg) ^ (0 if good else 0x5a5a)
    return seg[:16] + struct.pack(">H", c) + seg[18:]


def udp_dgram(dst_port, data, good=True, length=None):
    length = 8 + len(data) if length is None else length
    u = struct.pack(">HHHH", 40000, dst_port, length, 0) + data
    pseudo = PEER_IP + GUEST_IP + struct.pack(">BBH", 0, 17, len(u))
    c = csum(pseudo + u) or 0xffff
    return u[:6] + struct.pack(">H", c if good else c ^ 0x1234) + u[8:]


def ip_raw(payload, proto=1, ident=0, frag=0, ihl=5, opts=b"", total=None, ver=4, good=True,
           src=PEER_IP, dst=GUEST_IP, ttl=64):
    """An IPv4 header as asked, however wrong, then payload."""
    total = ihl * 4 + len(payload) if total is None else total
    h = struct.pack(">BBHHHBBH4s4s", ver << 4 | ihl, 0, total & 0xffff, ident, frag, ttl, proto,
                    0, src, dst) + opts
    c = csum(h) ^ (0 if good else 0x0101)
    return h[:10] + struct.pack(">H", c) + h[12:] + payload


def icmp_echo(seq, data=b"minnow flood", good=True):
    m = struct.pack(">BBHHH", 8, 0, 0, 0x4d4f, seq) + data
    c = csum(m) ^ (0 if good else 0x00ff)
    return m[:2] + struct.pack(">H", c) + m[4:]


FLOOD_KINDS = (
    "ip-checksum", "ip-version", "ip-ihl-short", "ip-ihl-long", "ip-total-long",
    "ip-total-short", "ip-options", "ip-not-ours", "ip-src-broadcast", "ip-proto-unknown",
    "frag-never-completed", "frag-overlap", "frag-past-64k", "frag-odd-middle",
    "udp-checksum", "udp-length-long", "udp-length-short", "udp-closed-port",
    "tcp-checksum", "tcp-flags", "tcp-offset-short", "tcp-offset-long", "tcp-options",
    "tcp-syn-listener", "icmp-checksum", "icmp-truncated", "icmp-unknown-type",
    "arp-lengths", "arp-op", "arp-truncated", "arp-random-sender", "arp-claims-guest",
    "eth-runt", "eth-type",
)


def flood_frame(kind, i, rng):
    """One malformed (or merely odd) frame of the kind: Ethernet to the guest."""
    e = lambda payload, t=0x0800: eth(GUEST_MAC, PEER_MAC, t, payload)  # noqa: E731
    ident = 0x8000 | (i & 0x7fff)
    echo = icmp_echo(i & 0xffff)
    if kind == "ip-checksum":
        return e(ip_raw(echo, ident=ident, good=False))
    if kind == "ip-version":
        return e(ip_raw(echo, ident=ident, ver=rng.choice((0, 5, 6, 15))))
    if kind == "ip-ihl-short":
        return e(ip_raw(echo, ident=ident, ihl=rng.randint(0, 4)))
    if kind == "ip-ihl-long":          # the header claims more than the packet has
        return e(ip_raw(b"", ident=ident, ihl=15, total=28)[:28] + bytes(8))
    if kind == "ip-total-long":
        return e(ip_raw(echo, ident=ident, total=len(echo) + 20 + rng.randint(1, 1400)))
    if kind == "ip-total-short":
        return e(ip_raw(echo, ident=ident, total=rng.randint(0, 19)))
    if kind == "ip-options":           # NOP, EOL, record route with lengths 0, 1, 255, garbage
        opts = rng.choice((b"\x01\x01\x01\x00", b"\x07\x00\x04\x00", b"\x07\xff\x04\x00",
                           b"\x44\x01\x05\x00", bytes(rng.getrandbits(8) for _ in range(8)),
                           b"\x83\x27" + bytes(38)))
        return e(ip_raw(echo, ident=ident, ihl=5 + len(opts) // 4, opts=opts))
    if kind == "ip-not-ours":
        return e(ip_raw(echo, ident=ident, dst=bytes([10, 0, 2, rng.randint(16, 250)])))
    if kind == "ip-src-broadcast":
        return e(ip_raw(echo, ident=ident, src=rng.choice((b"\xff" * 4, bytes([224, 0, 0, 1]),
                                                             bytes(4), bytes([10, 0, 2, 255])))))
    if kind == "ip-proto-unknown":
        return e(ip_raw(bytes(32), proto=rng.choice((0, 2, 41, 99, 255)), ident=ident))
    if kind == "frag-never-completed":  # the first half of an echo; the rest never comes
        return e(ip_raw(icmp_echo(i, bytes(64))[:40], ident=ident, frag=0x2000,
                        total=20 + 40))
    if kind == "frag-overlap":          # a middle piece overlapping another of the same id
        return e(ip_raw(bytes(48), ident=0x7000 | (i % 4), frag=0x2000 | rng.randint(1, 6)))
    if kind == "frag-past-64k":         # offset * 8 + length past 65535
        return e(ip_raw(bytes(64), ident=ident, frag=0x1fff))
    if kind == "frag-odd-middle":       # a middle fragment (MF) whose length is not 8k
        return e(ip_raw(bytes(rng.randint(1, 7) + 8 * rng.randint(0, 4)), ident=ident,
                        frag=0x2000 | rng.randint(1, 100)))
    if kind == "udp-checksum":
        return e(ip_raw(udp_dgram(7, b"x" * rng.randint(0, 100), good=False), proto=17,
                        ident=ident))
    if kind == "udp-length-long":
        return e(ip_raw(udp_dgram(7, b"x" * 20, length=28 + rng.randint(1, 1000)), proto=17,
                        ident=ident))
    if kind == "udp-length-short":
        return e(ip_raw(udp_dgram(7, b"x" * 20, length=rng.randint(0, 7)), proto=17,
                        ident=ident))
    if kind == "udp-closed-port":       # well formed: an ICMP port unreachable back
        return e(ip_raw(udp_dgram(rng.randint(1, 65535), b"hello"), proto=17, ident=ident))
    if kind == "tcp-checksum":
        return e(ip_raw(tcp_seg(40000 + i % 1000, 5001, 0x02, good=False), proto=6,
                        ident=ident))
    if kind == "tcp-flags":             # SYN+FIN, everything, nothing, RST+SYN, URG alone
        return e(ip_raw(tcp_seg(41000 + i % 1000, rng.choice((5001, 80, 7)),
                                rng.choice((0x03, 0x3f, 0x00, 0x06, 0x20, 0x29))),
                        proto=6, ident=ident))
    if kind == "tcp-offset-short":
        return e(ip_raw(tcp_seg(42000, 5001, 0x02, off=rng.randint(0, 4)), proto=6,
                        ident=ident))
    if kind == "tcp-offset-long":
        return e(ip_raw(tcp_seg(42001, 5001, 0x02, off=15), proto=6, ident=ident))
    if kind in ("tcp-options", "tcp-syn-listener"):
        opts = b"" if kind == "tcp-syn-listener" else rng.choice((
            b"\x02\x00", b"\x02\x01", b"\x02\xff\x05\xb4", b"\x03\x03\xc8", b"\x03\x00",
            b"\x04\x00", b"\x08\x0a" + bytes(8), b"\x08\x00", b"\xfe\x02",
            b"\x01" * 3 + b"\x02", bytes(rng.getrandbits(8) for _ in range(12))))
        return e(ip_raw(tcp_seg(43000 + i % 2000, 5001, 0x02, opts), proto=6, ident=ident))
    if kind == "icmp-checksum":
        return e(ip_raw(icmp_echo(i & 0xffff, good=False), ident=ident))
    if kind == "icmp-truncated":
        return e(ip_raw(echo[:rng.randint(0, 7)], ident=ident))
    if kind == "icmp-unknown-type":
        m = struct.pack(">BBHI", rng.choice((1, 2, 13, 42, 255)), 0, 0, 0) + bytes(8)
        return e(ip_raw(m[:2] + struct.pack(">H", csum(m)) + m[4:], ident=ident))
    if kind == "arp-lengths":
        a = struct.pack(">HHBBH", 1, 0x0800, 5, 3, 1) + bytes(16) + GUEST_IP
        return e(a + bytes(18), 0x0806)
    if kind == "arp-op":
        a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, rng.choice((0, 3, 9, 0xffff))) + \
            PEER_MAC + PEER_IP + bytes(6) + GUEST_IP
        return e(a + bytes(18), 0x0806)
    if kind == "arp-truncated":
        a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 1) + PEER_MAC
        return e(a[:rng.randint(0, 13)], 0x0806)
    if kind == "arp-random-sender":     # a request from addresses nobody has: ARP table churn
        mac = bytes([0x02, 0x66, rng.getrandbits(8), rng.getrandbits(8), 0, i & 0xff])
        a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 1) + mac + \
            bytes([10, 0, 2, rng.randint(100, 200)]) + bytes(6) + GUEST_IP
        return eth(b"\xff" * 6, mac, 0x0806, a + bytes(18))
    if kind == "arp-claims-guest":      # someone says the guest's address is theirs
        mac = bytes([0x02, 0x77, 0, 0, 0, i & 0xff])
        a = struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + mac + GUEST_IP + GUEST_MAC + GUEST_IP
        return eth(GUEST_MAC, mac, 0x0806, a + bytes(18))
    if kind == "eth-runt":
        return e(bytes(rng.randint(0, 20)))
    return e(bytes(46), rng.choice((0x0000, 0x05dc, 0x86dd, 0x8100, 0xffff)))


def flood(link, n, answers, rng):
    """n malformed frames to the guest, FLOOD_BATCH at a time, each batch
    followed by an echo request the guest must answer (it keeps serving
    through the flood); then 100 checked pings.  Meanwhile the guest's
    own ARP requests are answered, and the replies to its echo requests
    held until the flood is over; then answer mode until `answers` of
    its echo requests came in all."""
    held, guest_echoes, sent = [], 0, {}

    def other(f):
        nonlocal guest_echoes
        r = arp_reply_to(f)
        if r:
            link.send(r)
            return
        e = echo_reply_to(f)
        if e:
            guest_echoes += 1
            held.append(e[1])

    wait_arp(link, other=other)
    syncs = 0
    for b in range(0, n, FLOOD_BATCH):
        for i in range(b, min(n, b + FLOOD_BATCH)):
            kind = FLOOD_KINDS[i % len(FLOOD_KINDS)]
            link.send(flood_frame(kind, i, rng))
            sent[kind] = sent.get(kind, 0) + 1
        seq = 50000 + syncs
        data = struct.pack(">I", b) * 8
        link.send(echo_request(seq, data))
        syncs += 1
        end = time.monotonic() + REPLY_WAIT
        while True:
            f = link.recv(max(0.01, end - time.monotonic()))
            if f is None:
                raise Fail(f"after {b + FLOOD_BATCH} malformed frames: no answer to echo {seq} "
                           f"in {REPLY_WAIT:.0f} s")
            if echo_reply_problem(f, seq, data) is None:
                break
            other(f)
    print(f"netpeer: {n} malformed frames of {len(sent)} kinds sent, "
          f"{syncs} echoes between them answered")
    lo, hi = ping(link, 100, rng, other)
    print(f"netpeer: then 100 echo requests of {lo}..{hi} bytes answered intact")
    for r in held:
        link.send(r)
    left = answers - guest_echoes
    arps, _ = answer(link, left, set()) if left > 0 else (0, 0)
    print(f"netpeer: {answers} echo requests from the guest answered "
          f"({guest_echoes} of them held until the flood was over)")
def icmp_data(f):
    """The data of an ICMP message in IPv4 frame f (unchecked), or b''."""
    if len(f) < 14 + 20 + 8 or f[12:14] != b"\x08\x00":
        return b""
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    return ip[hl + 8:total]


def pingload(link, outages, rng, udp_port=None, interval=0.005, gap=0.25, after=300,
             limit=150.0, restarts=None):
    """Steady echo requests (ICMP, or UDP datagrams to udp_port) through
    `outages` outages of the guest's driver: gaps between replies, or the
    lines of `restarts` (a GuestLog); returns (sent, answered, gaps, lost
    per gap, lost in all)."""
    sent_at, data_of, replied = [], [], {}
    gaps = []                     # (last reply before, first reply after)
    last, since, start = None, 0, time.monotonic()
    seen = 0                      # outages: len(gaps), or the guest's restart lines
    next_send = next_look = start
    while seen < outages or since < after:
        now = time.monotonic()
        if now - start > limit:
            what = f"restarts seen in the guest's log ('{restarts.regex.pattern}')" \
                if restarts else "outages seen"
            raise Fail(f"{seen} of {outages} {what} and {since} replies after the "
                       f"last in {limit:.0f} s ({len(sent_at)} requests, {len(replied)} replies)")
        if restarts and now >= next_look:
            next_look = now + 0.05
            if restarts.count() > seen:
                seen, since = restarts.seen, 0
        if now >= next_send:
            seq = len(sent_at)
            data = struct.pack(">I", seq) + bytes(rng.getrandbits(8) for _ in range(60))
            link.send(udp_frame(UDP_PEER_PORT, udp_port, data, seq & 0xffff) if udp_port
                      else echo_request(seq & 0xffff, data))
            sent_at.append(now)
            data_of.append(data)
            next_send = max(next_send + interval, now - 0.05)
        f = link.recv(max(0.0005, next_send - time.monotonic()))
        if f is None or arp_answer(link, f):
            continue              # the guest's own ARP (a request for us answered)
        d = icmp_data(f)
        seq = struct.unpack(">I", d[:4])[0] if len(d) >= 4 else -1
        if not 0 <= seq < len(sent_at):
            raise Fail(f"a frame that answers no request: {f[:48].hex()}")
        why = (udp_reply_problem(f, UDP_PEER_PORT, udp_port, data_of[seq]) if udp_port
               else echo_reply_problem(f, seq & 0xffff, data_of[seq]))
        if why:
            raise Fail(f"echo {seq}: {why}")
        if seq in replied:
            raise Fail(f"echo {seq} answered twice")
        t = time.monotonic()
        replied[seq] = t
        if last is not None and t - last > gap:
            gaps.append((last, t))
            print(f"netpeer: outage {len(gaps)}: no reply for {(t - last) * 1000:.0f} ms "
                  f"(after {len(replied) - 1} replies)", flush=True)
            if not restarts:
                seen, since = len(gaps), 0
        last = t
        since += 1
    end = time.monotonic() + 1.0  # the last requests' replies
    while time.monotonic() < end:
        f = link.recv(0.05)
        d = icmp_data(f) if f is not None else b""
        if len(d) >= 4 and struct.unpack(">I", d[:4])[0] < len(sent_at):
            replied.setdefault(struct.unpack(">I", d[:4])[0], time.monotonic())
    lost = [seq for seq in range(len(sent_at)) if seq not in replied]
    per_gap = [sum(1 for seq in lost if a - 0.1 <= sent_at[seq] <= b) for a, b in gaps]
    return len(sent_at), len(replied), gaps, per_gap, len(lost)
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
    u = guest_ipv4_payload(f, 17)
    if isinstance(u, str):
        return u
    got_sport, got_dport, ulen, ucsum = struct.unpack(">HHHH", u[:8])
    if ulen != len(u):
        return f"UDP length {ulen} in {len(u)} bytes"
    pseudo = GUEST_IP + PEER_IP + struct.pack(">BBH", 0, 17, len(u))  # as checked
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


def l4_checksum_problem(f):
    """Why the IPv4 header, TCP or UDP checksum of the guest's frame f is
    wrong (RFC 791, 793, 768), or None: what the guest's stack left to its
    NIC (checksum offload) is checked on the wire."""
    ip = f[14:]
    hl = (ip[0] & 15) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    if ip[0] >> 4 != 4 or hl < 20 or total > len(ip) or csum(ip[:hl]) != 0:
        return "a bad IPv4 header (version, length or checksum)"
    body = ip[hl:total]
    if ip[9] == 17 and len(body) >= 8 and body[6:8] == b"\0\0":
        return "a UDP datagram without a checksum"
    if ip[9] in (6, 17) and csum(ip[12:20] + struct.pack(">BBH", 0, ip[9], len(body)) + body):
        return f"a bad {'TCP' if ip[9] == 6 else 'UDP'} checksum"
    return None


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
        why = l4_checksum_problem(f)
        if why:
            raise Fail(f"from the guest: {why}: {f[:54].hex()}")
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


# The kernel's last line when the machine ends (kernel/roottask.c, console.c):
# QEMU exits with it, and no frame of the guest's comes after.
GUEST_END = r"^minnow: ((no tasks left|boot stopped); powering off|kernel panic:)"


class GuestLog:
    """The guest's serial log as it grows (--log): how many lines have
    matched a regex (--ready, --restarted, GUEST_END) so far, and the last."""

    def __init__(self, path, regex):
        self.path, self.regex = path, re.compile(regex)
        self.offset, self.partial, self.seen, self.line = 0, "", 0, None

    def count(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return self.seen
        self.offset += len(data)
        *lines, self.partial = (self.partial + data.decode(errors="replace")).split("\n")
        for l in lines:
            if self.regex.search(l.rstrip("\r")):
                self.seen, self.line = self.seen + 1, l.rstrip("\r")
        return self.seen

    def ready(self):
        return self.seen > 0 or self.count() > 0


def wait_arp(link, deadline=None, let_arp_pass=False, other=None, ready=None, end=None):
    """ARP requests until the guest answers: ARP_WAIT seconds in all, at
    most REPLY_WAIT after ready (a GuestLog) has seen the guest's line, and
    none once end (a GuestLog of GUEST_END) has seen the machine end."""
    deadline = ARP_WAIT if deadline is None else deadline
    start, sent, ready_at = time.monotonic(), link.sent, None
    quiet = False                 # nothing came in the last round of requests
    while time.monotonic() - start < deadline:
        if quiet and end is not None and end.ready():
            raise Fail(f"the guest ended before it answered ARP ({time.monotonic() - start:.0f} "
                       f"s): '{end.line}'")
        if ready_at is None and ready is not None and ready.ready():
            ready_at = time.monotonic()
        if ready_at is not None and time.monotonic() - ready_at >= REPLY_WAIT:
            raise Fail(f"no ARP reply in {REPLY_WAIT:.0f} s after the guest's line "
                       f"'{ready.regex.pattern}' ({time.monotonic() - start:.0f} s in all)")
        link.send(arp_request())
        until, quiet = time.monotonic() + 0.2, True
        while time.monotonic() < until:
            f = link.recv(max(0.01, until - time.monotonic()))
            quiet = quiet and f is None
            if f is not None and arp_reply_ok(f):
                print(f"netpeer: ARP answered after {time.monotonic() - start:.2f} s "
                      f"({link.sent - sent} requests)")
                return
            if f is not None and let_arp_pass and arp_answer(link, f):
                continue          # a stack's own ARP: its announcement, a request for us
            if f is not None and other:
                other(f)
                continue
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
    ap.add_argument("--late", type=int, action="append", default=[],
                    help="mode answer: the sequence number whose reply comes late")
    ap.add_argument("--dhcp-min", type=int, default=0,
                    help="mode answer: DHCP discovers that must come before the first echo")
    ap.add_argument("--answers", type=int, default=0,
                    help="mode flood: the guest's echo requests to answer in all")
    ap.add_argument("--udp-port", type=int, default=7, help="the guest's UDP port (mode udpecho)")
    ap.add_argument("--log", help="the guest's serial log (a run script's {log}): the first "
                    "ARP wait ends when the machine has ended; for --ready and --restarted")
    ap.add_argument("--ready", metavar="REGEX",
                    help="the guest's line after which its ARP reply must come within "
                    f"{REPLY_WAIT:.0f} s (else {ARP_WAIT:.0f} s in all); needs --log")
    ap.add_argument("--restarted", metavar="REGEX",
                    help="modes pingload, udpload: the guest's line that counts a death of "
                    "its driver (else a gap in the replies); needs --log")
    ap.add_argument("mode", choices=("echo", "malformed", "kill", "bench", "link", "ping",
                                     "pingload", "udpload", "udpecho", "serve", "answer", "flood"))
    ap.add_argument("count", type=int, nargs="?", default=10000)
    args = ap.parse_args(argv)
    if (args.ready or args.restarted) and not args.log:
        ap.error("--ready and --restarted read the guest's --log")
    ready = GuestLog(args.log, args.ready) if args.ready else None
    ended = GuestLog(args.log, GUEST_END) if args.log else None
    restarts = GuestLog(args.log, args.restarted) if args.restarted else None
    rng = random.Random(11)
    link = Link(args.port, args.qemu_port)
    try:
        if args.mode == "flood":
            flood(link, args.count, args.answers, rng)
            return 0
        if args.mode == "answer":
            arps, discovers = answer(link, args.count, set(args.late), args.dhcp_min)
            print(f"netpeer: {args.count} echo requests from the guest answered "
                  f"({len(args.late)} late), {arps} ARP requests, {discovers} DHCP discovers "
                  f"left unanswered")
            return 0
        if args.mode != "serve":          # serve: the guest speaks first, we answer its ARP
            wait_arp(link, let_arp_pass=args.mode in ("ping", "pingload", "udpload", "udpecho"),
                     ready=ready, end=ended)
        start = time.monotonic()
        if args.mode == "ping":
            lo, hi = ping(link, args.count, rng)
            print(f"netpeer: {args.count} echo requests of {lo}..{hi} bytes answered, "
                  f"intact, in {time.monotonic() - start:.1f} s")
        elif args.mode in ("pingload", "udpload"):
            sent, got, gaps, per_gap, lost = pingload(
                link, args.count, rng, args.udp_port if args.mode == "udpload" else None,
                restarts=restarts)
            for i, ((a, b), n) in enumerate(zip(gaps, per_gap)):
                print(f"netpeer: outage {i + 1}: {(b - a) * 1000:.0f} ms without a reply, "
                      f"{n} requests lost")
            print(f"netpeer: {sent} {'datagrams' if args.mode == 'udpload' else 'echo requests'}, "
                  f"{got} answered intact, {lost} lost, "
                  f"through {len(gaps)} outages in {time.monotonic() - start:.1f} s"
                  + (f" ({restarts.seen} restarts in the guest's log)" if restarts else ""))
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
