"""``make test``: host unit tests, the tooling's pytest suite, run scripts.

Each item prints a line when it finishes; the last line is the total
``N passed, M failed``.
"""

import fnmatch
import io
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from .fileutil import display_path, split_lines, write_if_changed
from .judge import PASS, points
from .labcheck import check_lab, labs
from .runtest import report, run_test
from .tap import parse_tap

PYTHON = "/usr/bin/python3"
PYTEST_DIR = "mk/tool/test"
TEST_ROOTS = ("libl4", "servers", "pkg")
HOSTTEST_TIMEOUT = 300
PYTEST_TIMEOUT = 900


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0

    def add(self, counts):
        self.passed += counts[0]
        self.failed += counts[1]

    def summary(self):
        return f"{self.passed} passed, {self.failed} failed"

    def exit_code(self):
        """1 if anything failed, or if nothing ran at all."""
        return 1 if self.failed or self.passed + self.failed == 0 else 0


_LIBTEST = re.compile(r"^test result: \w+\. (\d+) passed; (\d+) failed")


def hosttest_counts(returncode, output):
    """(passed, failed) of a cmocka binary run with TAP output, or of a
    Rust libtest binary (rustc --test) by its summary line."""
    results = [m for m in map(_LIBTEST.match, split_lines(output)) if m]
    if results:
        passed = sum(int(m.group(1)) for m in results)
        failed = sum(int(m.group(2)) for m in results)
        return passed, failed + (1 if returncode != 0 and failed == 0 else 0)
    tap = parse_tap(split_lines(output))
    if tap.ok + tap.not_ok == 0 and tap.planned is None:
        return (1, 0) if returncode == 0 else (0, 1)   # no TAP: the exit status says it
    passed, failed = tap.ok, tap.not_ok + tap.missing
    if returncode != 0 and failed == 0:                # crashed or failed silently
        failed = 1
    return passed, failed


_PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?|xpassed)\b")


def pytest_counts(returncode, output):
    """(passed, failed) from pytest's summary line and exit status."""
    passed = failed = 0
    summary = [l for l in split_lines(output) if re.search(r"\d+ (passed|failed|errors?)\b", l)]
    if summary:
        for n, what in _PYTEST_COUNT.findall(summary[-1]):
            if what == "passed":
                passed += int(n)
            else:                       # failed, error(s), and unexpected passes
                failed += int(n)
    if returncode != 0 and failed == 0:  # includes 5: no tests collected
        failed = 1
    return passed, failed


def _save_log(log_dir, name, text):
    path = os.path.join(log_dir, name)
    write_if_changed(path, text)
    return path


def _item_line(name, counts, log, out):
    passed, failed = counts
    if failed:
        print(f"FAIL {name}: {failed} failed, {passed} passed (log: {log})", file=out)
    else:
        print(f"PASS {name} ({passed} passed)", file=out)
    out.flush()


def run_hosttests(opts, log_dir, out, tally, patterns=()):
    hostdir = os.path.join(opts.builddir, "hosttest")
    names = sorted(os.listdir(hostdir)) if os.path.isdir(hostdir) else []
    binaries = [n for n in names if os.path.isfile(os.path.join(hostdir, n))
                and os.access(os.path.join(hostdir, n), os.X_OK)
                and selected(f"hosttest/{n}", patterns)]
    if not binaries and not patterns:
        print(f"note: no host tests in {display_path(hostdir, os.getcwd())}", file=out)
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    for name in binaries:
        try:
            proc = subprocess.run([os.path.join(hostdir, name)], env=env, cwd=opts.srcdir,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=HOSTTEST_TIMEOUT)
            output, code = proc.stdout.decode(errors="replace"), proc.returncode
        except subprocess.TimeoutExpired as e:
            output = (e.output or b"").decode(errors="replace") + "\n(timeout)\n"
            code = -1
        counts = hosttest_counts(code, output)
        log = _save_log(log_dir, f"hosttest-{name}.log", output)
        _item_line(f"hosttest/{name}", counts, log, out)
        tally.add(counts)


def report_item(item, out, tally):
    """Print and count one (name, counts, log) item."""
    _item_line(*item, out)
    tally.add(item[1])


def pytest_item(opts, log_dir):
    """Run the tool tests; returns (name, counts, log) for _item_line.
    They get the build just made ($MINNOW_TEST_BUILDDIR): a test that only
    boots programs (test_bench.py's KVM pipeline) uses its bin/ rather
    than building the tree again."""
    env = dict(os.environ, MINNOW_TEST_BUILDDIR=os.path.abspath(opts.builddir))
    try:
        proc = subprocess.run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", PYTEST_DIR],
                              cwd=opts.srcdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace",
                              timeout=PYTEST_TIMEOUT)
        returncode, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:      # a hung test fails, never blocks CI
        output = e.output or ""
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        returncode, output = 1, output + f"\n(pytest killed after {PYTEST_TIMEOUT} s)\n"
    counts = pytest_counts(returncode, output)
    log = _save_log(log_dir, "pytest.log", output)
    return f"pytest {PYTEST_DIR}", counts, log


def find_tests(srcdir, roots=TEST_ROOTS):
    """All *.test files below the roots, sorted."""
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(os.path.join(srcdir, root)):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            found += [os.path.join(dirpath, f) for f in filenames if f.endswith(".test")]
    return sorted(found)


def selected(name, patterns):
    """``make test T=...``: a name is selected by any pattern, a shell glob
    (``*/roottask/*``) or else a substring (``greeter``); no pattern selects all."""
    return not patterns or any(fnmatch.fnmatchcase(name, p) if any(c in p for c in "*?[")
                               else p in name for p in patterns)


_JOBS = re.compile(r"^-j(\d*)$|^--jobs(?:=(\d+))?$")


def make_jobs(makeflags):
    """How many jobs ``make -jN`` allows, from $MAKEFLAGS; 1 without -j.
    A bare -j (no limit) means one per CPU."""
    words = (makeflags or "").split(" -- ")[0].split()
    for word in words:
        m = _JOBS.match(word)
        if m:
            n = m.group(1) or m.group(2)
            return max(1, int(n)) if n else (os.cpu_count() or 1)
    return 1


def run_scripts(paths, opts, out, tally, jobs):
    """Every run script, ``jobs`` at a time; each is reported as it ends.
    Builds never overlap (runtest serialises them); boots do.  Returns
    {absolute path: passed} for the lab checks."""
    ran = {}

    def done(path, result):
        report(result, out)
        tally.add(points(result.verdict, result.tap_test))
        ran[os.path.abspath(path)] = result.verdict.code == PASS

    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            done(path, run_test(path, opts, out))
        return ran
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_test, p, opts, out): p for p in paths}
        for future in as_completed(futures):
            done(futures[future], future.result())
    return ran


def run_lab_checks(opts, ran, log_dir, out, tally, patterns=()):
    """Each lab: full marks on this tree, less on its skeleton (doc/labs/)."""
    for lab in labs(opts.srcdir):
        name = f"lab {lab} (full marks here, fails on its skeleton)"
        if not selected(name, patterns):
            continue
        log = io.StringIO()
        try:
            problems = check_lab(opts, lab, ran, log)
        except Exception as e:          # a broken lab fails its count, never make test
            problems = [f"{type(e).__name__}: {e}"]
        log.write("".join(p + "\n" for p in problems))
        path = _save_log(log_dir, f"lab{lab}.log", log.getvalue())
        counts = (0, 1) if problems else (1, 0)
        _item_line(name, counts, path, out)
        for p in problems:
            print(f"  lab {lab}: {p}", file=out)
        tally.add(counts)


def run_all(opts, out, patterns=(), jobs=1):
    """Run everything (or what ``patterns`` select); returns the exit status
    of ``make test``."""
    log_dir = os.path.join(opts.builddir, "test-logs")
    os.makedirs(log_dir, exist_ok=True)
    tally = Tally()
    run_hosttests(opts, log_dir, out, tally, patterns)
    scripts = [p for p in find_tests(opts.srcdir)
               if selected(display_path(p, opts.srcdir), patterns)]
    if not selected(f"pytest {PYTEST_DIR}", patterns):
        ran = run_scripts(scripts, opts, out, tally, jobs)
        run_lab_checks(opts, ran, log_dir, out, tally, patterns)
    elif jobs <= 1:
        report_item(pytest_item(opts, log_dir), out, tally)
        ran = run_scripts(scripts, opts, out, tally, jobs)
        run_lab_checks(opts, ran, log_dir, out, tally, patterns)
    else:
        # The tool tests build private copies of the tree: they run beside
        # the run scripts, which use the real build directory.
        with ThreadPoolExecutor(max_workers=1) as aside:
            pytest_future = aside.submit(pytest_item, opts, log_dir)
            ran = run_scripts(scripts, opts, out, tally, jobs)
            run_lab_checks(opts, ran, log_dir, out, tally, patterns)
            report_item(pytest_future.result(), out, tally)
    if patterns and tally.passed + tally.failed == 0:
        print(f"note: T={' '.join(patterns)} selects no test (names: hosttest/NAME, "
              f"pytest {PYTEST_DIR}, and run scripts by path, e.g. pkg/hello/test/hello-kernel.test)",
              file=out)
    print(f"logs: {display_path(log_dir, os.getcwd())}", file=out)
    print(tally.summary(), file=out)
    return tally.exit_code()
