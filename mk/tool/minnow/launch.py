"""Running QEMU as a child that never outlives us.

The child is killed (by its own pid: SIGTERM, then SIGKILL) when a timeout
passes, when the caller's poll function asks for it, when an exception
unwinds, and when we get SIGINT, SIGTERM or SIGHUP.  QEMU stays in our
process group so that it can use the terminal for -serial mon:stdio.
"""

import contextlib
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from .diag import ToolError

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_live = set()               # children of run() in any thread, for kill_all()
_live_lock = threading.Lock()


@dataclass
class RunResult:
    status: int             # QEMU's exit status; None if we killed it
    elapsed: float
    timed_out: bool = False
    stopped: bool = False   # killed because poll() asked for it


def kill(proc, grace=2.0):
    """Terminate ``proc`` and reap it; SIGKILL if it ignores SIGTERM."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def kill_all():
    """Kill every child run() has running, in any thread (signal handlers)."""
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        kill(proc)


@contextlib.contextmanager
def _kill_on_signal(proc):
    """While active, a terminating signal kills ``proc`` and then us."""
    if threading.current_thread() is not threading.main_thread():
        yield                      # signal handlers only work in the main thread
        return

    def handler(signum, frame):
        kill(proc)
        raise SystemExit(128 + signum)

    old = {sig: signal.signal(sig, handler) for sig in _SIGNALS}
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


def run(argv, timeout=None, poll=None, interval=0.1, **popen_kwargs):
    """Run ``argv`` to completion, a timeout, or until ``poll()`` is true."""
    start = time.monotonic()
    try:
        proc = subprocess.Popen(argv, **popen_kwargs)
    except FileNotFoundError:
        raise ToolError(f"{argv[0]} not found: install the Debian package "
                        "qemu-system-x86 (or point $QEMU at a QEMU binary)") from None
    with _live_lock:
        _live.add(proc)
    with _kill_on_signal(proc):
        try:
            while True:
                try:
                    status = proc.wait(interval)
                    return RunResult(status, time.monotonic() - start)
                except subprocess.TimeoutExpired:
                    pass
                if timeout is not None and time.monotonic() - start >= timeout:
                    kill(proc)
                    return RunResult(None, time.monotonic() - start, timed_out=True)
                if poll is not None and poll():
                    kill(proc)
                    return RunResult(None, time.monotonic() - start, stopped=True)
        finally:
            kill(proc)             # no-op unless an exception is unwinding
            with _live_lock:
                _live.discard(proc)
