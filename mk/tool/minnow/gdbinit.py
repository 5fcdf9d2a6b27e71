"""The gdb script `make qemu-gdb` writes: the kernel's symbols, the Minnow
helpers (mk/tool/gdb/minnow.py) and the stub's address."""

import os

from .fileutil import write_if_changed
from .qemu import GDB_HOST

HELPERS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "gdb", "minnow.py")


def text(kernel, bin_dir, port, helpers=HELPERS):
    return f"""# Written by make qemu-gdb (mk/tool/minnow/gdbinit.py): gdb -x THIS_FILE
set confirm off
set pagination off
file {os.path.abspath(kernel)}
source {helpers}
python BIN_DIR = {os.path.abspath(bin_dir)!r}
target remote {GDB_HOST}:{port}
echo Minnow: minnow-tasks, minnow-threads, minnow-current, minnow-caps TASK,\\n
echo Minnow: minnow-load PROGRAM, minnow-break PROGRAM WHERE [TASK]\\n
"""


def write(path, kernel, bin_dir, port):
    write_if_changed(path, text(kernel, bin_dir, port))
