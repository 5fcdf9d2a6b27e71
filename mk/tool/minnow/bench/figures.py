"""Parsing the guest's ``bench:`` lines, and comparing against a baseline.

A figure is ``bench: NAME min A median B max C`` (instructions, or cycles
on KVM) or ``bench: NAME count N`` (a count, such as FPU state transfers).
"""

import re

_TIMED = re.compile(r"^bench: (\S+) min (\d+) median (\d+) max (\d+)\s*$")
_COUNT = re.compile(r"^bench: (\S+) count (\d+)\s*$")
_ROUNDS = re.compile(r"^bench: rounds (\d+) overhead (\d+)")


def parse(lines):
    """{name: {"min", "median", "max"} or {"count"}} in the order printed,
    and the rounds per figure (or None)."""
    figs, rounds = {}, None
    for line in lines:
        m = _TIMED.match(line)
        if m:
            figs[m[1]] = {"min": int(m[2]), "median": int(m[3]), "max": int(m[4])}
            continue
        m = _COUNT.match(line)
        if m:
            figs[m[1]] = {"count": int(m[2])}
            continue
        m = _ROUNDS.match(line)
        if m:
            rounds = int(m[1])
    return figs, rounds


def value(fig):
    """The one number a figure is compared by: its median, or its count."""
    return fig["median"] if "median" in fig else fig["count"]


def change(now, base):
    """'+12 (+3.4%)', '=' or 'new' for figure now against base (or None)."""
    if base is None:
        return "new"
    a, b = value(base), value(now)
    if a == b:
        return "="
    pct = f" ({(b - a) * 100.0 / a:+.1f}%)" if a else ""
    return f"{b - a:+d}{pct}"


def compare(figs, baseline):
    """Figures whose median or count grew against the baseline: [(name, old, new)]."""
    out = []
    for name, fig in figs.items():
        base = baseline.get(name)
        if base is not None and value(fig) > value(base):
            out.append((name, value(base), value(fig)))
    return out
