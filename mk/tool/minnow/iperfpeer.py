"""The host's iperf2 (Debian's `iperf`) against a guest's iperf, for run
scripts (the guest's side is servers/net's lwiperf, doc/net.md):

    iperfpeer.py client --port P --bytes N
        `iperf -c 127.0.0.1 -p P -n N` through a hostfwd to the guest's
        server, again until iperf reports all N bytes sent (slirp accepts
        the host's connection before the guest listens: an early try ends
        short); then waits for the guest's report of N bytes received in
        the serial log (--log)
    iperfpeer.py server --port P
        `iperf -s -p P` on 127.0.0.1, which the guest reaches through a
        guestfwd; waits for the guest's client to finish, then checks
        that the bytes the host received are the bytes the guest reports
        sent (--log).  iperf 2.1.8's server leaves the first 4 bytes of a
        stream out of its count (the word it reads to tell the header's
        kind: a host-only stream of N bytes is reported as N - 4), so
        its figure + 4 must be the guest's.

The counts, not the speed, are judged.  Exit status 0 on pass, 1 with
the reason on stdout.  iperf is killed by its pid, never by name.
"""

import argparse
import re
import subprocess
import sys
import time

DEADLINE = 90.0
IPERF_UNCOUNTED = 4     # iperf -s's count of a stream leaves out its first word


class Fail(Exception):
    pass


def guest_report(log, what, deadline):
    """The byte count of the guest's first `net: iperf: WHAT N bytes ...`
    line in the serial log, waiting for it until deadline."""
    pat = re.compile(rf"net: iperf: {what} (\d+) bytes")   # anywhere: a prompt may come first
    while time.monotonic() < deadline:
        try:
            with open(log, errors="replace") as f:
                for line in f:
                    m = pat.search(line)
                    if m:
                        return int(m.group(1))
        except OSError:
            pass
        time.sleep(0.5)
    raise Fail(f"no 'net: iperf: {what}' line in the serial log")


def csv_bytes(out):
    """iperf -y C's transfer lines: the bytes field (the 8th) of each."""
    got = []
    for line in out.splitlines():
        f = line.split(",")
        if len(f) >= 9 and f[7].isdigit():
            got.append(int(f[7]))
    return got


def client(args):
    start = time.monotonic()
    tries = 0
    while True:
        tries += 1
        p = subprocess.run(["iperf", "-c", "127.0.0.1", "-p", str(args.port), "-n",
                            str(args.bytes), "-y", "C"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60)
        sent = csv_bytes(p.stdout)
        if p.returncode == 0 and sent and sent[-1] == args.bytes:
            break
        if time.monotonic() - start > DEADLINE:
            raise Fail(f"iperf -c: {tries} tries, the last: status {p.returncode}, "
                       f"{p.stdout.strip().splitlines()[-1:] or '(no output)'}")
        time.sleep(1.0)
    print(f"iperfpeer: iperf -c sent {args.bytes} bytes to the guest "
          f"(try {tries}, {time.monotonic() - start:.1f} s after start)")
    if args.log:
        got = guest_report(args.log, "received", time.monotonic() + 30)
        if got != args.bytes:
            raise Fail(f"the guest reports {got} bytes received, iperf sent {args.bytes}")
        print(f"iperfpeer: the guest reports the same {got} bytes received")


def server(args):
    p = subprocess.Popen(["iperf", "-s", "-B", "127.0.0.1", "-p", str(args.port), "-y", "C"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        sent = guest_report(args.log, "client done:", time.monotonic() + DEADLINE)
        # iperf -s prints its line when the connection has closed
        time.sleep(2.0)
    finally:
        p.kill()
        out, _ = p.communicate()
    got = csv_bytes(out)
    if not got:
        raise Fail(f"iperf -s reported no transfer: {out.strip()[-200:] or '(no output)'}")
    if got[-1] + IPERF_UNCOUNTED != sent:
        raise Fail(f"iperf -s received {got[-1]} (+ {IPERF_UNCOUNTED}) bytes, the guest "
                   f"reports {sent} sent")
    print(f"iperfpeer: iperf -s received {got[-1]} (+ {IPERF_UNCOUNTED} uncounted) bytes, "
          f"as many as the guest sent")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=("client", "server"))
    ap.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1")
    ap.add_argument("--bytes", type=int, default=1 << 20, help="mode client: bytes to send")
    ap.add_argument("--log", help="the serial log, for the guest's report")
    args = ap.parse_args(argv)
    if args.mode == "server" and not args.log:
        ap.error("mode server needs --log")
    try:
        client(args) if args.mode == "client" else server(args)
        return 0
    except (Fail, subprocess.TimeoutExpired) as e:
        print(f"iperfpeer: FAIL: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
