"""QEMU on the user's terminal (``make qemu``): its output is relayed so
that leaving with Ctrl-a x can be told from a triple fault.

Both make QEMU exit with status 0 under -no-reboot.  Ctrl-a x goes through
QEMU's serial multiplexer, which first writes ``QEMU: Terminated`` to its
standard output; a guest reset writes nothing.  So QEMU's stdout is a pipe
that a thread copies to ours as it comes, remembering the last bytes.
Its stdin stays the terminal (QEMU puts it in raw mode itself).
"""

import os
import subprocess
import sys
import threading

from . import launch

QUIT_MARK = b"QEMU: Terminated"
_KEEP = 64                  # bytes of the output's tail to look at


class _Relay(threading.Thread):
    def __init__(self, fd, out):
        super().__init__(daemon=True)
        self.fd, self.out, self.tail = fd, out, b""

    def run(self):
        while True:
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                break
            if not data:
                break
            self.tail = (self.tail + data)[-_KEEP:]
            try:
                self.out.write(data)
                self.out.flush()
            except (OSError, ValueError):
                pass        # our stdout went away: keep draining QEMU's


def user_quit(status, tail):
    """True if QEMU ended because the user pressed Ctrl-a x."""
    return status == 0 and QUIT_MARK in tail


def run(argv, timeout=None, out=None):
    """Run QEMU with serial on the terminal.  Returns (RunResult, quit)."""
    out = out or sys.stdout.buffer
    read_fd, write_fd = os.pipe()
    try:
        relay = _Relay(read_fd, out)
        relay.start()
        try:
            result = launch.run(argv, timeout=timeout, stdout=write_fd)
        finally:
            os.close(write_fd)          # QEMU has exited: the relay sees EOF
            relay.join(5)
    finally:
        os.close(read_fd)
    return result, user_quit(result.status, relay.tail)
