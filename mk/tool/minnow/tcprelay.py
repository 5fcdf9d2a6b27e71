"""A TCP relay for QEMU's `guestfwd=tcp:ADDR:PORT-cmd:...` (user network):
slirp runs this command for each connection the guest makes to ADDR:PORT,
its stdin and stdout being that connection (a socket), and this relays it
to HOST:PORT on the host's loopback, end of stream included both ways -
which a `guestfwd=...-tcp:HOST:PORT` chardev does not do (the guest's
close never reaches the host).

    tcprelay.py 127.0.0.1 PORT

Only 127.0.0.1 is accepted: the guest reaches nothing past the host.
"""

import selectors
import socket
import sys


def main(argv):
    if len(argv) != 3 or argv[1] != "127.0.0.1" or not argv[2].isdigit():
        print("usage: tcprelay.py 127.0.0.1 PORT", file=sys.stderr)
        return 2
    guest = socket.socket(fileno=0)     # slirp's end of the guest's connection
    host = socket.create_connection(("127.0.0.1", int(argv[2])), timeout=30)
    host.settimeout(None)
    sel = selectors.DefaultSelector()
    pair = {guest: host, host: guest}
    for s in pair:
        sel.register(s, selectors.EVENT_READ)
    while pair:
        events = sel.select(timeout=120)
        if not events:
            return 1                    # two minutes of silence: give up
        for key, _ in events:
            src = key.fileobj
            data = src.recv(65536)
            dst = pair[src]
            if data:
                dst.sendall(data)
                continue
            # end of stream from src: pass it on, stop reading src
            sel.unregister(src)
            del pair[src]
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
