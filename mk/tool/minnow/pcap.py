"""Checking a capture QEMU's filter-dump wrote (libpcap format, Ethernet
link type): every frame the guest sent is well formed - 60 to 1514 bytes
(no FCS), its source the guest's own unicast address, its destination not
itself, and the peer's if one is named - and the guest sent at least
one."""

import struct

LINKTYPE_ETHERNET = 1


def frames(path):
    """(original length, bytes) for each record; ValueError if malformed."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("shorter than a pcap header")
    magic = struct.unpack("<I", data[:4])[0]
    if magic == 0xa1b2c3d4:
        endian = "<"
    elif magic == 0xd4c3b2a1:
        endian = ">"
    else:
        raise ValueError(f"not a pcap file (magic 0x{magic:08x})")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != LINKTYPE_ETHERNET:
        raise ValueError(f"link type {linktype}, not Ethernet")
    off, out = 24, []
    while off < len(data):
        if off + 16 > len(data):
            raise ValueError(f"record {len(out)}: header truncated at byte {off}")
        _, _, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        if off + incl > len(data):
            raise ValueError(f"record {len(out)}: {incl} bytes claimed, {len(data) - off} left")
        out.append((orig, data[off:off + incl]))
        off += incl
    return out


def check_pcap(path, macs):
    """None when the capture is right, else what is wrong (one line).
    macs: "GUEST [PEER]"; with PEER, every frame from GUEST must go to it."""
    try:
        recs = frames(path)
    except (OSError, ValueError) as e:
        return str(e)
    guest_mac, *peer = macs.split()
    mac = bytes.fromhex(guest_mac.replace(":", ""))
    to = bytes.fromhex(peer[0].replace(":", "")) if peer else None
    sent = 0
    for i, (orig, f) in enumerate(recs):
        if len(f) != orig:
            return f"record {i}: {orig} bytes on the wire, {len(f)} captured"
        if f[6:12] != mac:
            continue
        sent += 1
        if not 60 <= len(f) <= 1514:
            return f"record {i}: the guest sent a frame of {len(f)} bytes (60..1514 allowed)"
        if f[0:6] == mac:
            return f"record {i}: the guest sent a frame to itself"
        if to is not None and f[0:6] != to:
            return f"record {i}: the guest sent a frame to {f[0:6].hex(':')}, not {peer[0]}"
    if not sent:
        return f"no frame from {guest_mac} among {len(recs)}"
    return None
