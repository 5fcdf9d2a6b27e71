"""A run script's gdb (the ``gdb FILE`` directive): Debian's gdb in batch
mode against QEMU's stub, with the script `make qemu-gdb` writes."""

import os
import socket
import subprocess
import tempfile

from . import gdbinit
from .diag import ToolError
from .fileutil import split_lines

GDB = "gdb"
GDB_GRACE = 10.0        # seconds gdb may take to end after QEMU did


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GdbSession:
    """launch.run poll callback: starts gdb at the first poll (QEMU is up
    then; gdb retries the connection while the stub opens), then defers to
    ``inner``."""

    def __init__(self, commands, kernel, port, inner, workdir):
        self.script = os.path.join(workdir, "gdbinit")
        gdbinit.write(self.script, kernel, os.path.dirname(os.path.abspath(kernel)), port)
        self.commands, self.inner, self.proc = commands, inner, None
        self.output = tempfile.TemporaryFile()

    def __call__(self):
        if self.proc is None:
            try:
                self.proc = subprocess.Popen(
                    [GDB, "-batch", "-nx", "-ex", "set tcp connect-timeout 20",
                     "-x", self.script, "-x", self.commands],
                    stdin=subprocess.DEVNULL, stdout=self.output, stderr=subprocess.STDOUT)
            except FileNotFoundError:
                raise ToolError("gdb not found: install the Debian package gdb") from None
        return self.inner()

    def finish(self):
        """gdb's output lines, each prefixed "gdb: "; gdb killed (by its pid)
        if it is still running."""
        if self.proc is not None:
            try:
                self.proc.wait(GDB_GRACE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.output.seek(0)
        text = self.output.read().decode(errors="replace")
        self.output.close()
        return "".join(f"gdb: {line}\n" for line in split_lines(text))
