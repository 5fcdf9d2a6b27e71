"""A guest serial line that run scripts can also type into.

QEMU's ``-serial pipe:BASE`` talks through two FIFOs, BASE.in (to the
guest) and BASE.out (from it).  A thread copies BASE.out into the serial log
file, so everything that reads the log works as with ``-serial file:``, and
``send()`` writes to BASE.in.  Both FIFOs are opened read-write, which on
Linux never blocks on open and never reports end-of-file.
"""

import os
import select
import threading


def unescape(text):
    r"""Run-script escapes: \e (ESC), \r, \n, \t, \\ and \xNN."""
    out, i = [], 0
    simple = {"e": "\x1b", "r": "\r", "n": "\n", "t": "\t", "\\": "\\"}
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 == len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "x" and i + 3 < len(text) + 1 and len(text[i + 2:i + 4]) == 2:
            try:
                out.append(chr(int(text[i + 2:i + 4], 16)))
            except ValueError:
                raise ValueError(f"bad escape '\\x{text[i + 2:i + 4]}'") from None
            i += 4
        else:
            raise ValueError(f"unknown escape '\\{nxt}' (known: \\e \\r \\n \\t \\\\ \\xNN)")
    return "".join(out)


class SerialPipe:
    def __init__(self, base, log_path):
        self.base, self.log_path = base, log_path
        for suffix in (".in", ".out"):
            if os.path.exists(base + suffix):
                os.remove(base + suffix)
            os.mkfifo(base + suffix, 0o600)
        self._in = os.open(base + ".in", os.O_RDWR)
        self._out = os.open(base + ".out", os.O_RDWR)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._copy, daemon=True)
        self._thread.start()

    @property
    def qemu_serial(self):
        return f"pipe:{self.base}"

    def _copy(self):
        # Only this thread reads BASE.out (two readers could race for the
        # same bytes and leave one blocked forever).  Asked to stop, it goes
        # on until the FIFO has stayed empty for a moment.
        with open(self.log_path, "ab", buffering=0) as log:
            while True:
                ready, _, _ = select.select([self._out], [], [], 0.05)
                if ready:
                    log.write(os.read(self._out, 65536))
                elif self._stop.is_set():
                    return

    def send(self, text):
        os.write(self._in, text.encode("latin-1"))

    def drain(self):
        """Once QEMU has ended: let the copier take what is left in the
        FIFO into the log, then end (the log is complete after this)."""
        self._stop.set()               # the copier drains what is left, then ends
        self._thread.join()

    def close(self):
        self.drain()
        os.close(self._in)
        os.close(self._out)
        for suffix in (".in", ".out"):
            try:
                os.remove(self.base + suffix)
            except OSError:
                pass
