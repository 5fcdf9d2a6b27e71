"""The default image (conf/modules.list's ``default``: the shell, with the
console and the name service, conf/shell.cfg): from the kernel's first
instructions to the shell's first prompt, the first line a user can act on
(the lines before it are the kernel's and the servers' reports).  The shell
reads the time stamp counter when the flush of its first prompt has
returned - the prompt is in the console's ring and the console, at a
higher priority and woken by the flush, has taken it - and ``uptime``
prints the distance from the kernel's boot stamp.  The console puts the
prompt on the serial line when the shell then asks for its first key (the
console gives the input focus to the first program that reads): about
4,700 instructions later, measured once by instrumenting the console
(doc/testing.md).  The benchmark types ``uptime`` at the prompt, then
``exit`` (the shell powers off).  A boot of its own, one sample."""

import re

ENTRY = "shell"
TITLE = "the default image"
QEMU_ARGS = []
# What to type, each when the serial log's last line matches (pkg/shell).
TYPE = [(re.compile(r"minnow> $"), "uptime\r"),
        (re.compile(r"^first prompt \d+ TSC ticks"), "exit\r")]
_FIRST_PROMPT = re.compile(r"^first prompt (\d+) TSC ticks after the kernel's entry")


def extract(lines):
    """The shell's line as a figure (min = median = max: one boot)."""
    for line in lines:
        m = _FIRST_PROMPT.match(line)
        if m:
            n = int(m[1])
            return {"boot-kernel-to-shell-prompt": {"min": n, "median": n, "max": n}}
    return {}


def select(figs):
    return {n: f for n, f in figs.items() if n == "boot-kernel-to-shell-prompt"}


def ratios(wall):
    return []
