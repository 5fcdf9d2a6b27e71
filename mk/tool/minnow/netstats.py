"""Pure logic of ``make bench-net`` (host-tested: mk/tool/test/test_netstats.py):
percentiles, the summary of a figure over the sets of one run, ratios,
iperf's output, and the table."""

import math
import re


def percentile(values, p):
    """The p-th percentile (0..100) by the nearest-rank method: the
    smallest value with at least p% of the values at or below it."""
    if not values:
        raise ValueError("percentile of no values")
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def median(values):
    v = sorted(values)
    if not v:
        raise ValueError("median of no values")
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def summary(values):
    """{'median', 'min', 'max', 'n'} of one figure's values over the sets."""
    return {"median": median(values), "min": min(values), "max": max(values), "n": len(values)}


def ratio(minnow, linux):
    """Minnow / Linux, or None when either is missing or Linux's is 0."""
    if minnow is None or linux in (None, 0):
        return None
    return minnow / linux


_CSV = re.compile(r"^\d{14,},[^,]*,\d+,[^,]*,\d+,-?\d+,([\d.]+)-([\d.]+),(\d+),(\d+)")
_HUMAN = re.compile(r"\s([\d.]+)-\s*([\d.]+) sec\s+[\d.]+ \w?Bytes\s+([\d.]+) (\w?)bits/sec")


def iperf_mbits(text):
    """iperf2's client result in Mbit/s: the whole-run line of its CSV
    output (-y C) or of its human output; None if there is none."""
    best = None
    for line in text.splitlines():
        m = _CSV.match(line.strip())
        if m:
            start, end, _, bps = float(m[1]), float(m[2]), int(m[3]), int(m[4])
            if start == 0 and (best is None or end >= best[0]):
                best = (end, bps / 1e6)
            continue
        m = _HUMAN.search(line)
        if m and float(m[1]) == 0:
            scale = {"": 1e-6, "K": 1e-3, "M": 1, "G": 1e3}[m[4]]
            if best is None or float(m[2]) >= best[0]:
                best = (float(m[2]), float(m[3]) * scale)
    return None if best is None else best[1]


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("us",):
        return f"{v:.0f}"
    if unit in ("s",):
        return f"{v:.2f}"
    if unit in ("k/s", "Mbit/s"):
        return f"{v:.1f}" if v < 100 else f"{v:.0f}"
    return f"{v:.0f}"


def table(rows):
    """Lines of the comparison table.  rows: (figure, unit, linux summary
    or None, minnow summary or None, minnow's label, note)."""
    out = [f"  {'figure':36} {'unit':>7} {'Linux median [min-max]':>24} "
           f"{'Minnow median [min-max]':>24} {'Minnow/Linux':>12}  Minnow side"]
    for name, unit, lin, mnw, label, note in rows:
        def cell(s):
            if s is None:
                return "-"
            if s["n"] == 1:
                return fmt(s["median"], unit)
            return f"{fmt(s['median'], unit)} [{fmt(s['min'], unit)}-{fmt(s['max'], unit)}]"
        r = ratio(mnw and mnw["median"], lin and lin["median"])
        out.append(f"  {name:36} {unit:>7} {cell(lin):>24} {cell(mnw):>24} "
                   f"{'-' if r is None else f'{r:.2f}':>12}  {label}{'; ' + note if note else ''}")
    return out
