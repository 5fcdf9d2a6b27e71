"""runtest: judging serial logs and QEMU statuses."""

from minnow.judge import (CRASH, HARNESS, MISMATCH, PASS, TIMEOUT, Verdict,
                          judge, points)
from minnow.tap import parse_tap
from minnow.testspec import parse_test

HELLO = "entry hello\nexpect Hello from Minnow\nexpect cmdline: .*world\n"
LOG = "boot\nHello from Minnow\nroottask cmdline: hello world\nbye\n"


def guest(status):
    """QEMU's exit status when the guest writes ``status`` to port 0xf4."""
    return (status << 1) | 1


def spec(text=HELLO):
    return parse_test(text, "t.test")


def test_pass():
    v = judge(spec(), LOG, guest(0))
    assert (v.code, v.reasons) == (PASS, [])


def test_crlf_log_passes():
    v = judge(spec(HELLO + "expect ^bye$\n"), LOG.replace("\n", "\r\n"), guest(0))
    assert v.code == PASS


def test_out_of_order_expect():
    log = "roottask cmdline: hello world\nHello from Minnow\n"
    v = judge(spec(), log, guest(0))
    assert v.code == MISMATCH
    assert v.reasons == ["expect 'cmdline: .*world' (line 3) out of order: it matches "
                         "only serial line 1, not one after serial line 2"]


def test_missing_expect():
    v = judge(spec(), "Hello from Minnow\n", guest(0))
    assert v.code == MISMATCH
    assert v.reasons == ["expect 'cmdline: .*world' (line 3) not found after serial line 1"]


def test_count_exact_distinct_lines():
    s = spec("entry e\ncount 3 ^p\\d \\d+$\n")
    assert judge(s, "p1 1\np2 1\nnoise\np1 2\n", guest(0)).code == PASS
    v = judge(s, "p1 1\np1 1\np1 2\n", guest(0))
    assert v.reasons == ["count '^p\\d \\d+$' (line 2): 3 lines match, expected 3; "
                         "1 of them repeat another"]
    v = judge(s, "p1 1\np1 2x\n", guest(0))
    assert v.reasons == ["count '^p\\d \\d+$' (line 2): 1 lines match, expected 3"]


def test_screen_rows_in_order():
    s = spec("entry e\nmonitor pmemsave 0xb8000 4000 \"{screen}\"\n"
             "screen ^minnow> ps$\nscreen ^  0 console\n")
    assert s.monitor and s.sends[0].monitor
    rows = ["boot", "minnow> ps", "  0 console  running"]
    dump = b"".join(r.ljust(80).encode() for r in rows).ljust(2000, b" ")
    cells = bytes(b for c in dump for b in (c, 0x07))
    assert judge(s, "", guest(0), screen=cells).code == PASS
    cells_swapped = bytes(b for c in b"".join(r.ljust(80).encode() for r in
                                              [rows[0], rows[2], rows[1]]).ljust(2000, b" ")
                          for b in (c, 0x07))
    v = judge(s, "", guest(0), screen=cells_swapped)
    assert v.code == MISMATCH and v.reasons[0].startswith(
        "screen '^  0 console' (line 4) not found on the screen below row 3")
    r = spec("entry e\nmonitor x\nscreen-reject ^boot$\n")
    assert judge(r, "", guest(0), screen=cells_swapped).reasons == [
        "screen-reject '^boot$' (line 3) matched row 1: boot"]
    v = judge(s, "", guest(0), screen=None)
    assert v.reasons == ["screen: no dump of the VGA text buffer (a 'monitor pmemsave ... "
                         "{screen}')"]


def test_reject_match():
    v = judge(spec(HELLO + "reject ^bye"), LOG, guest(0))
    assert v.code == MISMATCH
    assert v.reasons == ["reject '^bye' matched serial line 4: bye"]


def test_implied_panic_reject():
    v = judge(spec(), LOG + "PANIC: oops\n", guest(0))
    assert v.code == MISMATCH and "reject 'PANIC' matched serial line 5" in v.reason


def test_wrong_guest_status():
    v = judge(spec(HELLO + "exit 2\n"), LOG, guest(3))
    assert v.code == MISMATCH and v.reasons == ["guest status 3, expected 2"]
    assert judge(spec(HELLO + "exit 2\n"), LOG, guest(2)).code == PASS


def test_status_zero_is_triple_fault():
    v = judge(spec(), LOG, 0)
    assert v.code == CRASH and "triple fault" in v.reason


def test_kernel_panic_status():
    v = judge(spec(), LOG + "minnow: kernel panic: x\n", guest(127))
    assert v.code == CRASH and v.reason == "kernel panic (guest status 127)"


def test_timeout_names_missing_expect():
    v = judge(spec(), "Hello from Minnow\n", None, timed_out=True)
    assert v.code == TIMEOUT
    assert v.reason.startswith("timeout after 60 s (expect 'cmdline: .*world'")


def test_qemu_failures_are_harness_errors():
    assert judge(spec(), "", guest(0), qemu_error="qemu: bad option").code == HARNESS
    assert judge(spec(), "", 2).code == HARNESS


def test_stopped_after_reject():
    v = judge(spec("entry e\nreject oops\n"), "oops\n", None)
    assert v.code == MISMATCH and "reject 'oops'" in v.reason


TAP = "entry t\ntap\n"


def test_tap_pass_ignores_noise_and_todo():
    log = "kernel: hi\n1..3\nok 1 - a\nlog line\nnot ok 2 - b # TODO later\nok 3\n"
    v = judge(spec(TAP), log, guest(0))
    assert v.code == PASS
    assert points(v, True) == (3, 0)


def test_tap_missing_points():
    v = judge(spec(TAP), "1..4\nok 1\nok 2\n", guest(0))
    assert v.code == MISMATCH
    assert "TAP: 2 of 4 points missing" in v.reasons
    assert points(v, True) == (2, 2)


def test_tap_not_ok():
    v = judge(spec(TAP), "1..2\nok 1\nnot ok 2 - frobnicate\n", guest(0))
    assert v.code == MISMATCH
    assert "TAP: 1 not ok, first: not ok 2 - frobnicate" in v.reasons
    assert points(v, True) == (1, 1)


def test_tap_without_plan_counts_one_failure():
    tap = parse_tap(["ok 1", "ok 2"])
    assert not tap.good and (tap.passed, tap.failed) == (2, 1)
    assert "TAP: no plan (1..N)" in tap.problems()


def test_tap_failed_run_with_all_ok_counts_a_failure():
    v = judge(spec(TAP + "exit 1\n"), "1..1\nok 1\n", guest(0))
    assert v.code == MISMATCH and points(v, True) == (1, 1)


def test_points_for_plain_tests():
    assert points(Verdict(PASS), False) == (1, 0)
    assert points(Verdict(TIMEOUT), False) == (0, 1)
    assert points(Verdict(3), True) == (0, 1)        # TAP test whose build failed


STOPPING = "entry e\nexpect ^Hello\nstop-when-matched\n"


def test_stop_when_matched_passes_without_power_off():
    v = judge(spec(STOPPING), "Hello\nstill running\n", None)
    assert v.code == PASS, v.reasons


def test_stop_when_matched_still_fails_on_a_missing_expect():
    v = judge(spec(STOPPING + "expect ^bye\n"), "Hello\n", None)
    assert v.code == MISMATCH and "'^bye' (line 4) not found" in v.reason


def test_stop_when_matched_still_fails_on_a_reject():
    v = judge(spec(STOPPING + "reject oops\n"), "Hello\noops\n", None)
    assert v.code == MISMATCH and "reject 'oops'" in v.reason


def test_stop_when_matched_guest_status_is_not_judged():
    v = judge(spec(STOPPING), "Hello\n", guest(5))
    assert v.code == PASS, v.reasons


def test_stop_when_matched_panic_is_still_a_crash():
    v = judge(spec(STOPPING), "Hello\n", guest(127))
    assert v.code == CRASH
