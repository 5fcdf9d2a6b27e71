"""Network run scripts: the `peer` and `pcap` directives, loopback-only
netdevs, the capture check and the host peer (against a guest played by a
thread here)."""

import random
import socket
import struct
import threading
import time

import pytest

from conftest import write
from minnow import netpeer
from minnow.diag import ToolError
from minnow.judge import MISMATCH, PASS, Verdict
from minnow.netrun import NetRun, first_netdev_id
from minnow.pcap import check_pcap
from minnow.testspec import parse_test

DGRAM = ("-netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={qemu_port},"
         "remote.type=inet,remote.host=127.0.0.1,remote.port={port}")
GUEST = "52:54:00:12:34:56"


def spec_of(extra):
    return parse_test("entry e\n" + extra, "t.test")


def errors_of(extra):
    with pytest.raises(ToolError) as info:
        spec_of(extra)
    return " ".join(info.value.messages)


def test_peer_and_pcap_parsed():
    s = spec_of(f"qemu-args {DGRAM}\npcap {GUEST}\npeer {{python}} x.py --port {{port}} echo 5\n")
    assert s.peer == ["{python}", "x.py", "--port", "{port}", "echo", "5"]
    assert s.pcap == GUEST


@pytest.mark.parametrize("netdev", [
    "-netdev dgram,id=n,local.type=inet,local.host=127.0.0.1,local.port=1,remote.type=inet,"
    "remote.host=127.0.0.1,remote.port=2",
    "-netdev socket,id=n,udp=127.0.0.1:5,localaddr=127.0.0.1:6",
    "-netdev stream,id=n,addr.type=inet,addr.host=127.0.0.1,addr.port=7",
    "-netdev user,id=n,restrict=on",
])
def test_loopback_netdevs_allowed(netdev):
    assert spec_of(f"qemu-args {netdev}\n").qemu_args[0] == "-netdev"


@pytest.mark.parametrize("netdev, why", [
    ("-netdev dgram,id=n,remote.type=inet,remote.host=10.0.0.1,remote.port=2", "only 127.0.0.1"),
    ("-netdev socket,id=n,udp=8.8.8.8:53,localaddr=127.0.0.1:6", "only 127.0.0.1"),
    ("-netdev socket,id=n,mcast=230.0.0.1:1234", "only 127.0.0.1"),
    ("-netdev stream,id=n,addr.type=unix,addr.path=/tmp/s", "only inet"),
    ("-netdev dgram,id=n,local.type=fd,local.str=3", "only inet"),
    ("-netdev socket,id=n,fd=3", "is not allowed"),
    ("-netdev dgram,id=n", "give its addresses"),
    ("-netdev user,id=n", "restrict=on"),
    ("-netdev tap,id=n", "restrict=on"),
])
def test_other_netdevs_refused(netdev, why):
    assert why in errors_of(f"qemu-args {netdev}\n")


def test_qmp_only_on_loopback():
    s = spec_of("qemu-args -qmp tcp:127.0.0.1:{qmp_port},server=on,wait=off\n")
    assert s.qemu_args[0] == "-qmp"
    assert "only tcp:127.0.0.1:PORT" in errors_of("qemu-args -qmp tcp:0.0.0.0:4444,server=on\n")
    assert "only tcp:127.0.0.1:PORT" in errors_of("qemu-args -qmp unix:/tmp/q,server=on\n")


def test_pcap_needs_mac_and_netdev():
    assert "guest's MAC" in errors_of(f"qemu-args {DGRAM}\npcap nonsense\n")
    assert "guest's MAC" in errors_of(f"qemu-args {DGRAM}\npcap {GUEST} {GUEST} {GUEST}\n")
    assert spec_of(f"qemu-args {DGRAM}\npcap {GUEST} 52:54:00:00:00:01\n").pcap.split()[1] == \
        "52:54:00:00:00:01"
    assert "needs a -netdev" in errors_of(f"pcap {GUEST}\n")
    assert "second 'peer'" in errors_of("peer a\npeer b\n")
    assert "'peer' needs a command" in errors_of("peer\n")


def test_placeholders_and_capture(tmp_path):
    s = spec_of(f"qemu-args {DGRAM}\npcap {GUEST}\npeer {{python}} p.py {{port}} {{qemu_port}}\n")
    net = NetRun(s, str(tmp_path / "x.log"))
    words = net.qemu_args()
    port, qport = net.subst["{port}"], net.subst["{qemu_port}"]
    assert port != qport
    assert f"local.port={qport}" in words[1] and f"remote.port={port}" in words[1]
    assert words[-2:] == ["-object", f"filter-dump,id=minnow-pcap,netdev=n0,"
                                     f"file={tmp_path / 'x.pcap'}"]
    assert first_netdev_id(["-M", "q35", "-netdev", "user,id=a,restrict=on"]) == "a"


def pcap_file(path, frames, magic=0xa1b2c3d4, linktype=1, cut=0):
    data = struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 65535, linktype)
    for f in frames:
        data += struct.pack("<IIII", 0, 0, len(f), len(f)) + f
    with open(path, "wb") as out:
        out.write(data[:len(data) - cut])
    return str(path)


def frame(src, size, dst=b"\x52\x54\x00\x00\x00\x01"):
    return dst + bytes.fromhex(src.replace(":", "")) + b"\x88\xb6" + bytes(size - 14)


def test_pcap_checks(tmp_path):
    p = tmp_path / "c.pcap"
    assert check_pcap(pcap_file(p, [frame(GUEST, 60), frame("52:54:00:00:00:01", 30),
                                    frame(GUEST, 1514)]), GUEST) is None
    assert "42 bytes" in check_pcap(pcap_file(p, [frame(GUEST, 60), frame(GUEST, 42)]), GUEST)
    assert "1515 bytes" in check_pcap(pcap_file(p, [frame(GUEST, 1515)]), GUEST)
    assert "to itself" in check_pcap(pcap_file(p, [frame(GUEST, 60, dst=bytes.fromhex(
        GUEST.replace(":", "")))]), GUEST)
    assert "no frame from" in check_pcap(pcap_file(p, [frame("52:54:00:00:00:01", 60)]), GUEST)
    assert "not a pcap" in check_pcap(pcap_file(p, [], magic=0x12345678), GUEST)
    assert "not Ethernet" in check_pcap(pcap_file(p, [], linktype=101), GUEST)
    assert "claimed" in check_pcap(pcap_file(p, [frame(GUEST, 60)], cut=5), GUEST)
    assert "No such file" in check_pcap(str(tmp_path / "none.pcap"), GUEST)
    peer = "52:54:00:00:00:01"
    assert check_pcap(pcap_file(p, [frame(GUEST, 60)]), f"{GUEST} {peer}") is None
    assert "not 52:54:00:00:00:02" in check_pcap(pcap_file(p, [frame(GUEST, 60)]),
                                                 f"{GUEST} 52:54:00:00:00:02")


def test_peer_verdict(tmp_path):
    s = spec_of(f"peer {{python}} -c \"print('netpeer: FAIL: lost'); raise SystemExit(1)\"\n")
    net = NetRun(s, str(tmp_path / "y.log"))
    net.start()
    v = net.finish(Verdict(PASS))
    assert v.code == MISMATCH and "peer exited with status 1: netpeer: FAIL: lost" in v.reason
    s = spec_of("peer {python} -c \"print('fine')\"\n")
    net = NetRun(s, str(tmp_path / "z.log"))
    net.start()
    assert net.finish(Verdict(PASS)).code == PASS


def test_malformed_frames_kinds():
    import random
    frames = netpeer.malformed_frames(1000, random.Random(1))
    answered = [w for _, w in frames if w is not None]
    assert len(frames) == 1000 + 1000 // netpeer.SYNC_EVERY
    assert len(answered) == 200 + 1000 // netpeer.SYNC_EVERY     # runts and syncs
    assert all(len(w) == 60 or w[12:14] == b"\x88\xb6" for w in answered)
    sizes = [len(f) for f, w in frames if w is None]
    assert min(sizes) >= 1 and max(sizes) > 1514


class Guest(threading.Thread):
    """ethecho's rules in a thread: swap, answer ARP; drop frame `lose`."""

    def __init__(self, lose=None):
        super().__init__(daemon=True)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 0))
        self.s.settimeout(5)
        self.port, self.peer, self.lose, self.n = self.s.getsockname()[1], None, lose, 0

    def run(self):
        mac, ip = netpeer.GUEST_MAC, netpeer.GUEST_IP
        while True:
            try:
                f, _ = self.s.recvfrom(65536)
            except socket.timeout:
                return
            if f[12:14] == b"\x08\x06":
                a = f[14:]
                out = f[6:12] + mac + f[12:14] + a[:7] + b"\x02" + mac + ip + a[8:18] + bytes(18)
            elif f[12:14] == b"\x88\xb5":
                return
            else:
                self.n += 1
                if self.n == self.lose:
                    continue
                out = netpeer.swapped(f)
            self.s.sendto(out, ("127.0.0.1", self.peer))


@pytest.mark.parametrize("lose, status", [(None, 0), (37, 1)])
def test_peer_against_a_guest(lose, status, capsys):
    g = Guest(lose)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        g.peer = s.getsockname()[1]
    g.start()
    netpeer.REPLY_WAIT = 1.0
    assert netpeer.main(["--port", str(g.peer), "--qemu-port", str(g.port), "echo", "300"]) == status
    out = capsys.readouterr().out
    assert ("300 frames of 60..1514 bytes echoed intact" in out) == (status == 0)
    if status:
        assert "answer 36: " in out


def test_bench_net_parsing():
    from minnow.bench_net import guest_rows, peer_rows, per_frame
    g = guest_rows(["noise", "bench: net frames 250 busy 1000 driver 250 client 250 kernel 500 "
                    "irqs 50 wakeups 250",
                    "bench: net frames 250 busy 2000 driver 500 client 250 kernel 1250 "
                    "irqs 100 wakeups 250",
                    "bench: net frames 250 busy 1500 driver 300 client 250 kernel 950 "
                    "irqs 75 wakeups 250"])
    assert per_frame(g) == [(4, 6, 8), (1, 1, 2), (1, 1, 1), (2, 4, 5), (20, 30, 40),
                            (100, 100, 100)]
    assert peer_rows(["netpeer: bench window 32: 2000 frames in 0.500 s: 4000 frames/s, "
                      "round trip 8000 us"]) == [(32, 2000, 0.5, 4000, 8000)]


def _reply_to(req):
    """What a correct stack answers to netpeer's echo request (RFC 792)."""
    ip = req[14:]
    icmp = b"\x00" + ip[21:22] + b"\0\0" + ip[24:]
    icmp = icmp[:2] + struct.pack(">H", netpeer.csum(icmp)) + icmp[4:]
    return netpeer.eth(netpeer.PEER_MAC, netpeer.GUEST_MAC, 0x0800,
                       netpeer.ipv4(netpeer.GUEST_IP, netpeer.PEER_IP, 1, icmp, 99))


def test_ping_frames():
    """netpeer's ping mode: its requests carry right checksums, and it
    takes exactly a correct reply."""
    data = bytes(range(200))
    req = netpeer.echo_request(7, data)
    assert netpeer.csum(req[14:34]) == 0 and netpeer.csum(req[34:]) == 0
    good = _reply_to(req)
    assert netpeer.echo_reply_problem(good, 7, data) is None
    assert "seq 7" in netpeer.echo_reply_problem(good, 8, data)
    assert "bytes of data" in netpeer.echo_reply_problem(good, 7, data[:-1] + b"x")
    bad_ip = bytearray(good)
    bad_ip[14 + 8] ^= 1                         # the TTL, under the header checksum
    assert "IPv4 header" in netpeer.echo_reply_problem(bytes(bad_ip), 7, data)
    bad_icmp = bytearray(good)
    bad_icmp[-1] ^= 1
    assert netpeer.echo_reply_problem(bytes(bad_icmp), 7, data) == "a bad ICMP checksum"
    assert "not an IPv4 frame" in netpeer.echo_reply_problem(req, 7, data)   # to the guest


def test_arp_wait_ends_soon_after_the_guest_says_it_listens(tmp_path, monkeypatch):
    """--ready: once the guest's line is in its log, an ARP reply is due
    within REPLY_WAIT, not ARP_WAIT; without the line the whole ARP_WAIT."""
    monkeypatch.setattr(netpeer, "REPLY_WAIT", 1.0)
    monkeypatch.setattr(netpeer, "ARP_WAIT", 3.0)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:   # a guest that never answers
        mute.bind(("127.0.0.1", 0))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        log = tmp_path / "serial.log"
        log.write_text("e1000: ready\nethecho: attached: MAC 52:54:00:12:34:56, link up\r\n")
        link = netpeer.Link(port, mute.getsockname()[1])
        start = time.monotonic()
        with pytest.raises(netpeer.Fail, match=r"no ARP reply in 1 s after the guest's line "
                                               r"'\^ethecho: attached: '"):
            netpeer.wait_arp(link, ready=netpeer.GuestLog(str(log), "^ethecho: attached: "))
        assert time.monotonic() - start < 2.5
        start = time.monotonic()
        with pytest.raises(netpeer.Fail, match=r"no ARP reply in 3 s$"):
            netpeer.wait_arp(link, ready=netpeer.GuestLog(str(log), "^never printed"))
        assert time.monotonic() - start >= 3.0
        link.s.close()


def test_arp_wait_passes_when_the_guest_answers_after_its_line(tmp_path):
    g = Guest()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        g.peer = s.getsockname()[1]
    log = tmp_path / "serial.log"
    log.write_text("ethecho: attached: MAC 52:54:00:12:34:56, link up\n")
    g.start()
    assert netpeer.main(["--port", str(g.peer), "--qemu-port", str(g.port), "--log", str(log),
                         "--ready", "^ethecho: attached: ", "echo", "10"]) == 0
    with pytest.raises(SystemExit):
        netpeer.main(["--port", "1", "--qemu-port", "2", "--ready", "x", "echo"])   # no --log


class Pinger(threading.Thread):
    """A guest answering echo requests that stalls 0.4 s after 100 replies
    (a host that descheduled QEMU) and again after 250, when its driver
    "restarts": that one it writes to its serial log, as servers/net does."""

    def __init__(self, log):
        super().__init__(daemon=True)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 0))
        self.s.settimeout(2)
        self.port, self.peer, self.log, self.n, self.restarted_at = \
            self.s.getsockname()[1], None, log, 0, None

    def run(self):
        while True:
            try:
                f, _ = self.s.recvfrom(65536)
            except socket.timeout:
                return
            self.s.sendto(_reply_to(f), ("127.0.0.1", self.peer))
            self.n += 1
            if self.n in (100, 250):
                time.sleep(0.4)
            if self.n == 250:
                with open(self.log, "a") as out:
                    out.write("net: first frame from the restarted driver at 1.0 s\n")
                self.restarted_at = self.n


def _pingload(tmp_path, restarts):
    log = tmp_path / "serial.log"
    log.write_text("net: en0 up\n")
    g = Pinger(str(log))
    link = netpeer.Link(0, g.port)
    g.peer = link.s.getsockname()[1]
    g.start()
    try:
        got = netpeer.pingload(link, 1, random.Random(1), after=50, limit=20,
                               restarts=netpeer.GuestLog(str(log), restarts) if restarts else None)
    finally:
        link.s.close()
    return got, g


def test_pingload_counts_the_guests_restarts_not_stalls(tmp_path):
    """--restarted: a stall of the host is a gap in the replies but no death
    of the driver; counted as one it ended the load before the real one
    (pkg/udpecho/test/restart.test then waited out its timeout)."""
    (sent, answered, gaps, _, _), g = _pingload(tmp_path, None)
    assert len(gaps) == 1 and g.restarted_at is None        # gone before the restart
    (sent, answered, gaps, _, _), g = _pingload(tmp_path, "^net: first frame from the restarted")
    assert len(gaps) == 2 and g.restarted_at == 250 and answered >= 300


def test_guest_log_counts_lines_as_they_come(tmp_path):
    log = tmp_path / "serial.log"
    log.write_text("restart 1\nrest")
    seen = netpeer.GuestLog(str(log), "^restart")
    assert seen.count() == 1 and seen.ready()
    with open(log, "a") as f:
        f.write("art 2\r\nother\n")
    assert seen.count() == 2 and seen.count() == 2
    assert netpeer.GuestLog(str(tmp_path / "none"), "x").count() == 0


def test_arp_wait_ends_when_the_guest_has_ended(tmp_path):
    """--log: a guest whose kernel has powered the machine off answers
    nothing more; the peer says so at once rather than after ARP_WAIT."""
    log = tmp_path / "serial.log"
    log.write_text("udpecho: no socket\nminnow: no tasks left; powering off (status 1)\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as mute:
        mute.bind(("127.0.0.1", 0))
        link = netpeer.Link(0, mute.getsockname()[1])
        start = time.monotonic()
        with pytest.raises(netpeer.Fail, match=r"the guest ended before it answered ARP .*"
                                               r"'minnow: no tasks left; powering off \(status 1\)'"):
            netpeer.wait_arp(link, end=netpeer.GuestLog(str(log), netpeer.GUEST_END))
        assert time.monotonic() - start < 1.0
        link.s.close()
    assert netpeer.GuestLog(str(log), netpeer.GUEST_END).ready()
    panic = tmp_path / "panic.log"
    panic.write_text("minnow: kernel panic: ipc.c:10: broken\n  rsp=0\n")
    assert netpeer.GuestLog(str(panic), netpeer.GUEST_END).ready()
