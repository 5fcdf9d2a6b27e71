"""Deciding whether a test run passed, from its serial log and QEMU status."""

from dataclasses import dataclass, field

from .fileutil import split_lines
from .qemu import PANIC_STATUS, guest_status
from .tap import parse_tap

# Exit codes of runtest.py, also used as verdict codes.
PASS = 0
MISMATCH = 1        # wrong output or guest status
TIMEOUT = 2
BUILD_FAILED = 3
CRASH = 4           # triple fault/reset or kernel panic
HARNESS = 5         # bad .test file, missing QEMU, ...


@dataclass
class Verdict:
    code: int
    reasons: list = field(default_factory=list)
    tap: object = None          # TapResult for tap tests that booted

    @property
    def reason(self):
        return "; ".join(self.reasons)


def _short(line, width=100):
    line = line.strip()
    return line if len(line) <= width else line[:width - 3] + "..."


def reject_hits(rejects, lines):
    """One message per reject pattern that matches some line."""
    out = []
    for pat in rejects:
        for i, line in enumerate(lines):
            if pat.regex.search(line):
                out.append(f"reject '{pat.text}' matched serial line {i + 1}: {_short(line)}")
                break
    return out


def first_expect_problem(expects, lines):
    """None if every expect matches a line after the previous one's line."""
    pos = 0                     # index of the first line the next expect may use
    for pat in expects:
        hit = next((i for i in range(pos, len(lines)) if pat.regex.search(lines[i])), None)
        if hit is not None:
            pos = hit + 1
            continue
        where = f" after serial line {pos}" if pos else ""
        early = next((i for i in range(pos) if pat.regex.search(lines[i])), None)
        if early is not None:
            return (f"expect '{pat.text}' (line {pat.line}) out of order: it matches "
                    f"only serial line {early + 1}, not one{where}")
        return f"expect '{pat.text}' (line {pat.line}) not found{where}"
    return None


def count_problems(counts, lines):
    """One message per count directive whose lines are not exactly N distinct ones."""
    out = []
    for c in counts:
        hits = [line for line in lines if c.regex.search(line)]
        twice = len(hits) - len(set(hits))
        if len(hits) != c.n or twice:
            out.append(f"count '{c.regex.pattern}' (line {c.line}): {len(hits)} lines match, "
                       f"expected {c.n}" + (f"; {twice} of them repeat another" if twice else ""))
    return out


SCREEN_COLS, SCREEN_ROWS = 80, 25


def screen_rows(data):
    """The 25 rows of text of a VGA text buffer dump (character, attribute)."""
    chars = bytes(data[0:2 * SCREEN_COLS * SCREEN_ROWS:2]).decode("cp437")
    return [chars[r * SCREEN_COLS:(r + 1) * SCREEN_COLS].rstrip()
            for r in range(len(chars) // SCREEN_COLS)]


def screen_problem(screens, dump, rejects=()):
    """None if every screen pattern matches a row after the previous one's
    and no reject matches any row."""
    if not screens and not rejects:
        return None
    if dump is None:
        return "screen: no dump of the VGA text buffer (a 'monitor pmemsave ... {screen}')"
    rows, pos = screen_rows(dump), 0
    for pat in rejects:
        hit = next((i for i, r in enumerate(rows) if pat.regex.search(r)), None)
        if hit is not None:
            return f"screen-reject '{pat.text}' (line {pat.line}) matched row {hit + 1}: {rows[hit]}"
    for pat in screens:
        hit = next((i for i in range(pos, len(rows)) if pat.regex.search(rows[i])), None)
        if hit is None:
            return (f"screen '{pat.text}' (line {pat.line}) not found on the screen"
                    f"{f' below row {pos}' if pos else ''}: " + " | ".join(r for r in rows if r))
        pos = hit + 1
    return None


def judge(spec, log_text, qemu_status, timed_out=False, qemu_error=None, screen=None):
    """The verdict of a run of ``spec`` (a TestSpec).

    ``qemu_status`` is QEMU's exit status, or None if the harness killed it
    (after a timeout, or early after a reject matched).  ``qemu_error`` is
    an error QEMU itself reported, which makes the run a harness error.
    """
    lines = split_lines(log_text)
    tap = parse_tap(lines) if spec.tap else None
    if timed_out:
        reason = f"timeout after {spec.timeout:g} s"
        problem = first_expect_problem(spec.expects, lines)
        if problem:
            reason += f" ({problem})"
        return Verdict(TIMEOUT, [reason], tap)
    if qemu_error:
        return Verdict(HARNESS, [f"QEMU failed: {qemu_error}"], tap)
    guest = guest_status(qemu_status)
    if qemu_status == 0:
        return Verdict(CRASH, ["triple fault or reset (QEMU exited with status 0)"], tap)
    if guest == PANIC_STATUS:
        return Verdict(CRASH, [f"kernel panic (guest status {PANIC_STATUS})"], tap)
    if qemu_status is not None and guest is None:
        return Verdict(HARNESS, [f"QEMU failed with status {qemu_status}"], tap)

    reasons = reject_hits(spec.rejects, lines)
    problem = first_expect_problem(spec.expects, lines)
    if problem:
        reasons.append(problem)
    reasons += count_problems(spec.counts, lines)
    problem = screen_problem(spec.screens, screen, spec.screen_rejects)
    if problem:
        reasons.append(problem)
    if tap is not None and not tap.good:
        reasons += tap.problems()
    # stop-when-matched: the harness stops QEMU, and a guest that powered
    # off first (between two polls) has no status to judge either.
    stopping = spec.stop_when_matched
    if guest is not None and guest != spec.exit_status and not stopping:
        reasons.append(f"guest status {guest}, expected {spec.exit_status}")
    if qemu_status is None and not reasons and not stopping:
        reasons.append("QEMU was stopped before the guest powered off")
    return Verdict(MISMATCH if reasons else PASS, reasons, tap)


def points(verdict, tap_test):
    """(passed, failed) counts of a run for summaries.

    A TAP test counts its individual points (missing ones as failed);
    any other test counts as one.  A failed run always counts at least one
    failure, even if all TAP points it printed were ok.
    """
    if tap_test:
        passed, failed = (verdict.tap.passed, verdict.tap.failed) if verdict.tap else (0, 0)
    else:
        passed, failed = (1, 0) if verdict.code == PASS else (0, 1)
    if verdict.code != PASS and failed == 0:
        failed = 1
    return passed, failed
