"""Kernel primitives other than IPC (pkg/pingpong, kops.c): null system
call, yield, notification, map and unmap, thread and task creation, a page
fault to a user-level pager."""

from minnow.bench import machine

ENTRY = "pingpong"
TITLE = "kernel primitives"
QEMU_ARGS = []


def select(figs):
    return {n: f for n, f in figs.items()
            if not n.startswith(("ipc-", "fpu-") + machine.PREFIXES)}


def ratios(wall):
    """Each against the null system call, in wall time."""
    base = wall.get("syscall-null")
    if not base or not base.get("median"):
        return []
    return [(f"{n} / syscall-null", f["median"] / base["median"])
            for n, f in wall.items() if n != "syscall-null" and "median" in f]
