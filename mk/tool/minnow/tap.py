"""A small parser for the Test Anything Protocol.

Only what Minnow needs: plans (``1..N``; several plans are added up, as
cmocka prints one per test group), ``ok``/``not ok`` points (a ``not ok``
with a ``# TODO`` directive does not count as a failure) and ``Bail out!``.
Other lines, such as kernel log messages on the same serial port, are
ignored.
"""

import re
from dataclasses import dataclass, field

_PLAN = re.compile(r"^\s*1\.\.(\d+)\b")
_POINT = re.compile(r"^\s*(not )?ok\b(.*)$")
_TODO = re.compile(r"#\s*TODO\b", re.IGNORECASE)
_BAIL = re.compile(r"^\s*Bail out!")


@dataclass
class TapResult:
    planned: int = None
    ok: int = 0
    not_ok: int = 0
    bailed: bool = False
    failures: list = field(default_factory=list)   # the 'not ok' lines

    @property
    def missing(self):
        if self.planned is None:
            return 0
        return max(0, self.planned - self.ok - self.not_ok)

    @property
    def good(self):
        return (self.planned is not None and self.not_ok == 0 and not self.bailed
                and self.ok == self.planned)

    @property
    def passed(self):
        return self.ok

    @property
    def failed(self):
        """Failed points; missing ones count, and a bad run counts at least 1."""
        n = self.not_ok + self.missing
        return n if self.good or n else 1

    def problems(self):
        """Why the run is not good, as short sentences."""
        out = []
        if self.planned is None:
            out.append("TAP: no plan (1..N)")
        if self.failures:
            out.append(f"TAP: {self.not_ok} not ok, first: {self.failures[0]}")
        if self.missing:
            out.append(f"TAP: {self.missing} of {self.planned} points missing")
        if self.planned is not None and self.ok + self.not_ok > self.planned:
            out.append(f"TAP: {self.ok + self.not_ok} points, but the plan "
                       f"says {self.planned}")
        if self.bailed:
            out.append("TAP: bailed out")
        return out


def parse_tap(lines):
    result = TapResult()
    for line in lines:
        m = _PLAN.match(line)
        if m:
            result.planned = (result.planned or 0) + int(m.group(1))
            continue
        m = _POINT.match(line)
        if m:
            if m.group(1) and not _TODO.search(m.group(2)):
                result.not_ok += 1
                result.failures.append(line.strip())
            else:
                result.ok += 1
        elif _BAIL.match(line):
            result.bailed = True
    return result
