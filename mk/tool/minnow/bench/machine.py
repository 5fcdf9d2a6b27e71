"""Figures of the machine (pkg/pingpong, devs.c): an interrupt from the
first instruction of its vector's stub to a user-level handler's first
instructions, and boot from the kernel's first instructions to the root
task's main."""

ENTRY = "pingpong"
TITLE = "interrupts and boot"
QEMU_ARGS = []
PREFIXES = ("irq-", "boot-")


def select(figs):
    return {n: f for n, f in figs.items() if n.startswith(PREFIXES)}


def ratios(wall):
    """Wall time of an interrupt or of boot under TCG says nothing: none."""
    return []
