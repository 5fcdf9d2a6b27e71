"""A host-side TCP peer for run scripts: connects to a guest's TCP
service through QEMU's ``-netdev user,restrict=on,hostfwd=tcp:127.0.0.1:P-:N``
(the run script's ``{tcp_port}``) and checks what comes back.

    tcppeer.py --port P MODE [N]

MODE:
  stream N   one connection: N bytes (deterministic, see data()) sent while
             the echo is read; the echo must equal them (FNV-1a 64 and
             SHA-256 of both sides printed; the guest prints its own
             FNV-1a 64 of what it received, which the run script checks)
  many N     N connections opened and kept open, then a distinct message
             sent on each and its echo read on each, only then all closed:
             the guest must hold N connections at once
  page CFG   pkg/httpd's page fetched by curl, twice, then a missing
             page (404): the programs it lists must be the boot config
             CFG's, with their modules, priorities and mem= quotas, all
             running; uptime and the network's counters must have grown
             between the two fetches by at least the first one's packets

Until the guest's service answers, a connection that slirp closes or
resets before any echo came is tried again (for up to BOOT_WAIT seconds):
slirp accepts our connect at once and only then reaches for the guest.
Exit status 0 on pass, 1 with the reason on stdout.
"""

import argparse
import hashlib
import re
import subprocess
import selectors
import socket
import sys
import time

BOOT_WAIT = 90.0
IO_WAIT = 30.0
CHUNK = 16384
PACE = 0.05


class Fail(Exception):
    pass


def fnv1a64(b, h=0xcbf29ce484222325):
    for x in b:
        h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    return h


def data(n):
    """n bytes: a xorshift stream, so every offset differs."""
    out = bytearray(n)
    x = 0x9e3779b97f4a7c15
    for i in range(0, n, 8):
        x ^= (x << 13) & 0xffffffffffffffff
        x ^= x >> 7
        x ^= (x << 17) & 0xffffffffffffffff
        out[i:i + 8] = x.to_bytes(8, "little")[:n - i]
    return bytes(out)


def connect(port, deadline):
    """A connection whose first byte is echoed (the guest is serving)."""
    while time.monotonic() < deadline:
        s = socket.create_connection(("127.0.0.1", port), timeout=IO_WAIT)
        try:
            s.sendall(b"\0")
            s.settimeout(IO_WAIT)
            if s.recv(1) == b"\0":
                s.settimeout(IO_WAIT)
                return s
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            pass
        s.close()
        time.sleep(0.5)
    raise Fail(f"no echo from the guest in {BOOT_WAIT:.0f} s")


def stream(port, n):
    payload = data(n)
    s = connect(port, time.monotonic() + BOOT_WAIT)
    start = time.monotonic()
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    sent, got = 0, bytearray()
    while len(got) < n:
        events = sel.select(IO_WAIT)
        if not events:
            raise Fail(f"stalled: {sent} bytes sent, {len(got)} echoed")
        for _, ev in events:
            if ev & selectors.EVENT_WRITE and sent < n:
                sent += s.send(payload[sent:sent + CHUNK])
                if sent == n:
                    sel.modify(s, selectors.EVENT_READ)
            if ev & selectors.EVENT_READ:
                b = s.recv(65536)
                if not b:
                    raise Fail(f"closed by the guest after {len(got)} of {n} bytes echoed")
                got += b
    t = time.monotonic() - start
    s.close()
    if bytes(got) != payload:
        k = next(i for i in range(n) if got[i] != payload[i])
        raise Fail(f"the echo differs from byte {k} on")
    # the guest hashed the probe byte too
    h = fnv1a64(b"\0" + payload)
    print(f"tcppeer: {n} bytes echoed intact in {t:.1f} s; sent and received: fnv1a64 "
          f"{h:016x} (with the probe byte), sha256 {hashlib.sha256(payload).hexdigest()[:16]}")


def many(port, n):
    first = connect(port, time.monotonic() + BOOT_WAIT)
    start = time.monotonic()
    conns = [first]
    for _ in range(n - 1):
        # slirp listens with a backlog of 1: a connect while it has not
        # taken the last one waits for the host's SYN retry (1 s)
        time.sleep(PACE)
        conns.append(socket.create_connection(("127.0.0.1", port), timeout=IO_WAIT))
    for i, s in enumerate(conns):
        s.sendall(f"connection {i:03d} of {n}\n".encode())
    print(f"tcppeer: {n} connected, lines sent after {time.monotonic() - start:.1f} s")
    for i, s in enumerate(conns):
        want = f"connection {i:03d} of {n}\n".encode()
        got = b""
        while len(got) < len(want):
            b = s.recv(len(want) - len(got))
            if not b:
                raise Fail(f"connection {i} closed by the guest after {len(got)} bytes")
            got += b
        if got != want:
            raise Fail(f"connection {i}: echo {got!r}, wanted {want!r}")
    t = time.monotonic() - start
    for s in conns:
        s.close()
    print(f"tcppeer: {n} connections open at once, each echoed its own line ({t:.1f} s)")


def curl(port, path, deadline):
    """(status, body) of GET path, trying again while the guest is not up."""
    while True:
        r = subprocess.run(["curl", "-sS", "--max-time", "30", "-o", "-", "-w", "\n%{http_code}",
                            f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True)
        if r.returncode == 0:
            body, _, code = r.stdout.rpartition("\n")
            return int(code), body
        if time.monotonic() > deadline:
            raise Fail(f"curl {path}: {r.stderr.strip()}")
        time.sleep(1.0)


def config_programs(path):
    """name -> (module, prio, mem KiB) of a boot config's start lines."""
    progs = {}
    for line in open(path):
        words = re.findall(r'(\w+)=("[^"]*"|\S+)|(\S+)', line.split("#")[0])
        words = [w[2] or (w[0], w[1]) for w in words]
        if not words or words[0] != "start":
            continue
        name, opts = words[1], dict(w for w in words[2:] if isinstance(w, tuple))
        mem = opts.get("mem", "4M")
        kib = int(mem[:-1]) * {"K": 1, "M": 1024, "G": 1 << 20}[mem[-1]] if mem[-1] in "KMG" \
            else int(mem) // 1024
        progs[name] = (opts.get("module", name), int(opts.get("prio", 100)), kib)
    return progs


def page_state(body):
    rows = re.findall(r"<tr class=prog><td>\d+</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>"
                      r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>\d+</td></tr>", body)
    net = dict(re.findall(r"<tr class=net><td>([^<]*)</td><td>(\d+)</td></tr>", body))
    up = re.search(r"<p id=uptime>up (\d+\.\d+) s</p>", body)
    mem = re.search(r"<p id=mem>RAM (\d+) KiB, free (\d+) KiB", body)
    if not rows or not net or not up or not mem:
        raise Fail(f"not the system's page: {body[:200]!r}")
    return rows, {k: int(v) for k, v in net.items()}, float(up.group(1)), mem


def page(port, cfg):
    want = config_programs(cfg)
    code, first = curl(port, "/", time.monotonic() + BOOT_WAIT)
    if code != 200:
        raise Fail(f"GET /: status {code}")
    code, second = curl(port, "/", time.monotonic() + IO_WAIT)
    if code != 200:
        raise Fail(f"GET / again: status {code}")
    rows1, net1, up1, _ = page_state(first)
    rows, net, up, mem = page_state(second)
    got = {name: (module, int(prio), int(quota)) for name, module, _, prio, quota, _ in rows}
    if got != want:
        raise Fail(f"programs {got}, the config says {want}")
    for name, _, state, _, quota, used in rows:
        if state != "running" or not 0 < int(used) <= int(quota):
            raise Fail(f"program {name}: {state}, {used} of {quota} KiB committed")
    if int(mem.group(2)) >= int(mem.group(1)):
        raise Fail(f"memory: {mem.group(0)}")
    if not up > up1 > 0:
        raise Fail(f"uptime {up1} s, then {up} s")
    for k in ("IPv4 received", "IPv4 sent", "frames in", "frames out", "requests served"):
        if net[k] < net1[k] + 3:     # the first fetch: a handshake, a request, an answer
            raise Fail(f"{k}: {net1[k]}, then {net[k]}")
    if net["socket sessions"] < 1 or net["sockets open"] < 1 or net["sockets made"] < 3:
        raise Fail(f"sockets: {net}")
    code, body = curl(port, "/nothing", time.monotonic() + IO_WAIT)
    if code != 404:
        raise Fail(f"GET /nothing: status {code}")
    print(f"tcppeer: the page lists the config's {len(want)} programs running, uptime "
          f"{up1:.3f} -> {up:.3f} s, IPv4 received {net1['IPv4 received']} -> "
          f"{net['IPv4 received']}; /nothing is 404")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True, help="the hostfwd port on 127.0.0.1")
    ap.add_argument("mode", choices=("stream", "many", "page"))
    ap.add_argument("arg", help="stream, many: a count; page: the boot config")
    args = ap.parse_args(argv)
    try:
        if args.mode == "stream":
            stream(args.port, int(args.arg))
        elif args.mode == "many":
            many(args.port, int(args.arg))
        else:
            page(args.port, args.arg)
        return 0
    except (Fail, OSError) as e:
        print(f"tcppeer: FAIL: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
