"""make bench-net's pure logic: statistics, iperf's output, the table, the
peer's frames and answer checks, and the Linux guest's assembly helpers
(newc archive, ldd and apt output, module dependencies)."""
import gzip
import struct

import pytest

from minnow import linuxguest, netstats
from minnow.benchpeer import MARK_MAGIC, Echo, PeerError, _udp_frame, parse_mark
from minnow.netpeer import GUEST_IP, GUEST_MAC, PEER_IP, PEER_MAC, csum, eth, ipv4


def test_percentile_nearest_rank():
    v = list(range(1, 101))
    assert netstats.percentile(v, 50) == 50
    assert netstats.percentile(v, 99) == 99
    assert netstats.percentile(v, 100) == 100
    assert netstats.percentile([7], 99) == 7
    assert netstats.percentile([3, 1, 2], 50) == 2
    with pytest.raises(ValueError):
        netstats.percentile([], 50)


def test_median_summary_ratio():
    assert netstats.median([5, 1, 3]) == 3
    assert netstats.median([4, 1, 3, 2]) == 2.5
    assert netstats.summary([3, 9, 1]) == {"median": 3, "min": 1, "max": 9, "n": 3}
    assert netstats.ratio(50, 100) == 0.5
    assert netstats.ratio(None, 100) is None
    assert netstats.ratio(1, 0) is None


CSV = """19700101000000,127.0.0.1,44368,127.0.0.1,25701,1,0.0-1.0,67371068,539000000
19700101000000,127.0.0.1,44368,127.0.0.1,25701,1,0.0-3.1,169738300,444267394
"""
HUMAN = """[  1] local 127.0.0.1 port 41140 connected with 127.0.0.1 port 25701 (reverse)
[ ID] Interval       Transfer     Bandwidth
[ *1] 0.0000-1.0000 sec  40 MBytes   300 Mbits/sec
[ *1] 0.0000-3.0237 sec   141 MBytes   390 Mbits/sec
"""


def test_iperf_output():
    assert netstats.iperf_mbits(CSV) == pytest.approx(444.267394)
    assert netstats.iperf_mbits(HUMAN) == 390
    assert netstats.iperf_mbits("[  1] 0.0000-2.0 sec  1 MBytes  800 Kbits/sec") == 0.8
    assert netstats.iperf_mbits("tcp connect failed: Connection refused") is None
    assert netstats.iperf_mbits("") is None


def test_table_ratio_and_skip():
    rows = [("UDP echo 64 B round trip p50", "us", netstats.summary([200, 180, 220]),
             netstats.summary([100, 90, 150]), "pkg/udpecho", ""),
            ("TCP iperf host -> guest", "Mbit/s", netstats.summary([900.0]), None,
             "pending: lwiperf", "")]
    out = netstats.table(rows)
    assert "200 [180-220]" in out[1] and "100 [90-150]" in out[1] and " 0.50 " in out[1]
    assert out[2].split()[-1] == "lwiperf" and " - " in out[2] and "900" in out[2]


@pytest.mark.parametrize("proto", ["udp", "icmp"])
@pytest.mark.parametrize("size", [8, 9, 64, 1471, 1472])
def test_echo_request_is_well_formed_and_answer_checked(proto, size):
    e = Echo(proto, size)
    f = e.request(0x1_0000_0042)
    ip = f[14:]
    assert len(f) == 14 + 20 + 8 + size and f[:6] == GUEST_MAC and csum(ip[:20]) == 0
    assert ip[12:16] == PEER_IP and ip[16:20] == GUEST_IP
    if proto == "icmp":
        assert ip[9] == 1 and csum(ip[20:]) == 0
        body = b"\0\0\0\0" + ip[24:]                      # what the guest sends back
        body = body[:2] + struct.pack(">H", csum(body)) + body[4:]
    else:
        assert ip[9] == 17 and ip[20:24] == struct.pack(">HH", 40007, 7)
        body = struct.pack(">HHHH", 7, 40007, 8 + size, 0) + ip[28:]
        pseudo = GUEST_IP + PEER_IP + struct.pack(">BBH", 0, 17, len(body))
        body = body[:6] + struct.pack(">H", csum(pseudo + body) or 0xffff) + body[8:]
    reply = eth(PEER_MAC, GUEST_MAC, 0x0800, ipv4(GUEST_IP, PEER_IP, ip[9], body))
    assert e.answer(reply) == 0x1_0000_0042
    assert e.answer(f) is None                                   # our own request
    assert e.answer(reply[:-1]) is None                          # a byte short
    bad = bytearray(reply)
    bad[-1] ^= 1
    assert e.answer(bytes(bad)) != 0x1_0000_0042                 # payload (or sequence) changed
    assert e.checksums_ok(reply)
    bad = bytearray(reply)
    bad[24] ^= 1                                                 # the IPv4 header's checksum
    assert not e.checksums_ok(bytes(bad))
    bad = bytearray(reply)
    bad[36 if proto == "icmp" else 40] ^= 1                      # ICMP / UDP checksum
    assert not e.checksums_ok(bytes(bad))
    assert Echo("icmp" if proto == "udp" else "udp", size).answer(reply) is None


def test_echo_sizes_refused():
    for size in (7, 1473):
        with pytest.raises(PeerError):
            Echo("udp", size)
    with pytest.raises(PeerError):
        Echo("tcp", 64)


def test_mark_answer():
    f = _udp_frame(MARK_MAGIC + struct.pack("<QQQ", 10, 20, 30))
    assert parse_mark(f) == (10, 20, 30)
    assert parse_mark(_udp_frame(MARK_MAGIC)) is None            # no counters
    assert parse_mark(_udp_frame(b"x" * 64)) is None


def test_newc_archive():
    a = linuxguest.newc([("init", 0o100755, b"#!/bin/sh\n", None), ("dev", 0o40755, None, None),
                         ("dev/console", 0o20600, None, (5, 1))])
    assert len(a) % 4 == 0
    assert a.startswith(b"070701")
    # header: magic + 13 fields of 8 hex digits; name size is field 12
    names, off = [], 0
    while True:
        h = a[off:off + 110]
        fields = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        name = a[off + 110:off + 110 + fields[11] - 1].decode()
        names.append((name, fields[1], fields[6], fields[9], fields[10]))
        off += 110 + fields[11]
        off += -off % 4
        off += fields[6] + (-fields[6] % 4)
        if name == "TRAILER!!!":
            break
    assert names == [("init", 0o100755, 10, 0, 0), ("dev", 0o40755, 0, 0, 0),
                     ("dev/console", 0o20600, 0, 5, 1), ("TRAILER!!!", 0, 0, 0, 0)]
    assert off == len(a)
    assert gzip.decompress(gzip.compress(a)) == a


LDD = """\tlinux-vdso.so.1 (0x00007ffd)
\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f1)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f3)
"""


def test_ldd_paths():
    assert linuxguest.ldd_paths(LDD) == ["/lib/x86_64-linux-gnu/libstdc++.so.6",
                                         "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"]
    with pytest.raises(linuxguest.GuestError, match="libfoo"):
        linuxguest.ldd_paths("\tlibfoo.so.1 => not found\n")


def test_kernel_package_and_apt_fields():
    stanza = "Package: linux-image-amd64\nVersion: 6.1.192-3\nDepends: linux-image-6.1.0-57-amd64 (= 6.1.192-3)\n"
    assert linuxguest.apt_field(stanza, "Version") == "6.1.192-3"
    assert linuxguest.kernel_package(linuxguest.apt_field(stanza, "Depends")) == \
        ("linux-image-6.1.0-57-amd64", "6.1.192-3")
    with pytest.raises(linuxguest.GuestError):
        linuxguest.kernel_package("initramfs-tools, linux-base")
    assert linuxguest.kconfig("# c\nCONFIG_E1000=m\nCONFIG_E1000E=m\n", "CONFIG_E1000") == "m"
    assert linuxguest.kconfig("CONFIG_E1000E=y\n", "CONFIG_E1000") is None


def test_modinfo_and_module_order():
    blob = b"\x7fELF...\0license=GPL\0depends=mii,libphy\0vermagic=6.1 SMP\0name=e1000\0"
    assert linuxguest.modinfo(blob) == {"depends": "mii,libphy", "vermagic": "6.1 SMP", "name": "e1000"}
    deps = {"e1000": "mii,libphy", "mii": "", "libphy": "mdio-bus", "mdio_bus": ""}
    index = {n: n for n in deps}
    assert linuxguest.module_order("e1000", index, read=lambda p: {"depends": deps[p]}) == \
        ["mii", "mdio_bus", "libphy", "e1000"]
    with pytest.raises(linuxguest.GuestError, match="not in the kernel package"):
        linuxguest.module_order("e1000", {"e1000": "e1000"}, read=lambda p: {"depends": "mii"})
    with pytest.raises(linuxguest.GuestError, match="loop"):
        linuxguest.module_order("a", {"a": "a", "b": "b"},
                                read=lambda p: {"depends": "b" if p == "a" else "a"})


def test_rows_name_what_answers_or_why_not():
    from minnow.netcompare import Guest
    from minnow.netreport import rows_of
    lin = Guest("linux", udp="echo.c", icmp="kernel", iperf="iperf")
    mnw = Guest("minnow", udp="pkg/udpecho", icmp="lwIP", skip={"iperf": "pending: lwiperf"})
    mnw.skip["tcp-guest-to-host"] = "iperf -c -R: no result"
    vals = {"linux": {"udp-rtt-p50-64": [200, 180], "udp-rate-64": [10.0], "udp-lost-64": [3],
                      "tcp-guest-to-host": [400.0]},
            "minnow": {"udp-rtt-p50-64": [100, 120], "udp-rate-64": [20.0], "udp-lost-64": [0]}}
    rows = {r[0]: r for r in rows_of([lin, mnw], vals)}
    key, title, unit, sl, sm, label, note = rows["udp-rtt-p50-64"]
    assert (sl["median"], sm["median"], label, unit) == (190, 110, "pkg/udpecho", "us")
    assert rows["udp-rate-64"][6] == "lost: Linux 3, Minnow 0"
    assert rows["tcp-guest-to-host"][4] is None
    assert rows["tcp-guest-to-host"][5] == "iperf -c -R: no result"     # the figure's own reason
    assert rows["tcp-host-to-guest"][5] == "pending: lwiperf"           # the column's
    assert rows["icmp-rtt-p50-64"][3] is None and rows["icmp-rtt-p50-64"][4] is None
