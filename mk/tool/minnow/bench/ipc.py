"""IPC figures (pkg/pingpong, ipc.c): round trips with 0, 4, 10 and 64
words within a task and across, fast and slow path, call and reply apart,
a capability granted there and back, FPU state transfers per round trip."""

ENTRY = "pingpong"
TITLE = "IPC"
QEMU_ARGS = []


def select(figs):
    return {n: f for n, f in figs.items() if n.startswith(("ipc-", "fpu-"))}


def ratios(wall):
    """Slow path against fast path in wall time (TCG, one run)."""
    out = []
    for name, fig in wall.items():
        if name.startswith("ipc-slow-"):
            other = "ipc-fast-" + name[len("ipc-slow-"):]
            fast = wall.get(other)
            if fast and fast.get("median") and "median" in fig:
                out.append((f"{name} / {other}", fig["median"] / fast["median"]))
    return out
