"""A program the root task starts (pkg/bootstamp, entry bench-boot): from
the kernel's first instructions to that program's main, through the root
task's loading and paging of it.  A boot of its own."""

ENTRY = "bench-boot"
TITLE = "a program started by the root task"
QEMU_ARGS = []


def select(figs):
    return {n: f for n, f in figs.items() if n.startswith("boot-")}


def ratios(wall):
    return []
