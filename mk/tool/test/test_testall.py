"""testall: counting and summary arithmetic."""

import io
import os

import pytest

from conftest import write, write_script
from minnow.runtest import RunOptions
from minnow.testall import (Tally, find_tests, hosttest_counts, make_jobs, pytest_counts,
                            run_hosttests, selected)


def test_tally_summary_and_exit_code():
    t = Tally()
    assert t.exit_code() == 1                         # nothing ran at all
    t.add((3, 0))
    t.add((2, 0))
    assert (t.summary(), t.exit_code()) == ("5 passed, 0 failed", 0)
    t.add((1, 2))
    assert (t.summary(), t.exit_code()) == ("6 passed, 2 failed", 1)


@pytest.mark.parametrize("code, output, counts", [
    (0, "1..3\nok 1 - a\nok 2 - b\nok 3 - c\n", (3, 0)),
    (1, "1..3\nok 1 - a\nnot ok 2 - b\nok 3 - c\n", (2, 1)),
    (-11, "1..4\nok 1\nok 2\n", (2, 2)),            # crashed: the rest are missing
    (-6, "", (0, 1)),                                 # crashed without TAP
    (3, "something else\n", (0, 1)),                 # non-zero exit, no TAP
    (1, "1..1\nok 1\n", (1, 1)),                      # all ok but failing exit
    (0, "no tap here\n", (1, 0)),                     # plain binary that succeeded
    (0, "1..2\nok 1\n1..1\nok 1\nok 2\n", (3, 0)),    # cmocka: one plan per group
    (0, "test a ... ok\n\ntest result: ok. 10 passed; 0 failed; 0 ignored\n", (10, 0)),  # rustc --test
    (101, "test result: FAILED. 6 passed; 1 failed; 0 ignored\n", (6, 1)),
    (101, "test result: ok. 6 passed; 0 failed; 0 ignored\n", (6, 1)),      # failing exit anyway
])
def test_hosttest_counts(code, output, counts):
    assert hosttest_counts(code, output) == counts


@pytest.mark.parametrize("code, output, counts", [
    (0, "....\n50 passed in 1.02s\n", (50, 0)),
    (1, "F.\nFAILED x::y\n3 failed, 47 passed, 1 warning in 2.00s\n", (47, 3)),
    (1, "E\n1 passed, 2 errors in 0.1s\n", (1, 2)),
    (5, "\nno tests ran in 0.01s\n", (0, 1)),
    (2, "Interrupted: 1 error during collection\n1 error in 0.12s\n", (0, 1)),
    (4, "ERROR: file or directory not found\n", (0, 1)),
])
def test_pytest_counts(code, output, counts):
    assert pytest_counts(code, output) == counts


def test_find_tests_sorted_any_depth(tmp_path):
    for p in ("pkg/b/test/z.test", "pkg/a/test/y.test", "libl4/test/deep/x.test",
              "servers/s/test/notes.txt", "other/test/o.test"):
        write(tmp_path / p, "")
    found = [os.path.relpath(p, tmp_path) for p in find_tests(str(tmp_path))]
    assert found == ["libl4/test/deep/x.test", "pkg/a/test/y.test", "pkg/b/test/z.test"]


def test_run_hosttests(tmp_path):
    build = tmp_path / "build"
    write_script(build / "hosttest/test_good", 'echo 1..2; echo "ok 1 - $CMOCKA_MESSAGE_OUTPUT"'
                 '; echo ok 2\n')
    write_script(build / "hosttest/test_crash", "echo 1..1\nkill -SEGV $$\n")
    write(build / "hosttest/README", "not executable")
    opts = RunOptions(srcdir=str(tmp_path), builddir=str(build))
    out, tally = io.StringIO(), Tally()
    run_hosttests(opts, str(tmp_path / "logs"), out, tally)
    assert (tally.passed, tally.failed) == (2, 1)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("FAIL hosttest/test_crash: 1 failed, 0 passed")
    assert lines[1] == "PASS hosttest/test_good (2 passed)"
    assert "ok 1 - TAP" in (tmp_path / "logs/hosttest-test_good.log").read_text()


@pytest.mark.parametrize("patterns, name, chosen", [
    ((), "pkg/hello/test/hello-kernel.test", True),
    (("greeter",), "pkg/greeter/test/greeter.test", True),
    (("greeter",), "pkg/hello/test/hello-kernel.test", False),
    (("*/roottask/*",), "servers/roottask/test/env.test", True),
    (("*/roottask/*",), "hosttest/test_roottask_config", False),
    (("hello", "test_pmm"), "hosttest/test_pmm", True),
    (("pytest",), "pytest mk/tool/test", True),
])
def test_selected(patterns, name, chosen):
    assert selected(name, patterns) == chosen


@pytest.mark.parametrize("makeflags, jobs", [
    (None, 1), ("", 1), ("s", 1), (" -j2 --jobserver-auth=3,4", 2),
    ("s -j3 --jobserver-auth=3,4 -- V=1", 3), ("--jobs=4", 4),
    (" -- T=-j9", 1),                      # a variable's value, not an option
    (" -j", os.cpu_count() or 1),
])
def test_make_jobs(makeflags, jobs):
    assert make_jobs(makeflags) == jobs
