"""The benchmark report: parsing the guest's lines, changes against the
baseline, the table, the ratios, one module per group of figures; KVM=1's
refusals, and its pipeline on a real build with TCG standing in for KVM."""
import json
import os
import subprocess

import pytest

from conftest import write_script
from minnow.bench import figures, ipc, kernel, machine, table

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

LOG = """Minnow 0.1 (x86_64) starting
bench: rounds 500 overhead 7
bench: ipc-fast-xas-w0 min 245 median 246 max 300
bench: ipc-slow-xas-w0 min 1031 median 492 max 1400
bench: ipc-slow-xas-w4 min x median 1 max 2
bench: fpu-transfers-per-rt-integer count 0
bench: syscall-null min 100 median 100 max 120
bench: map-4k min 900 median 1000 max 1100
bench: irq-to-user-handler min 300 median 350 max 600
bench: boot-kernel-to-roottask-main min 9 median 9 max 9
pingpong: done
""".splitlines()


def test_parse_figures_and_rounds():
    figs, rounds = figures.parse(LOG)
    assert rounds == 500
    assert figs["ipc-fast-xas-w0"] == {"min": 245, "median": 246, "max": 300}
    assert figs["fpu-transfers-per-rt-integer"] == {"count": 0}
    assert "ipc-slow-xas-w4" not in figs                  # malformed number
    assert list(figs) == ["ipc-fast-xas-w0", "ipc-slow-xas-w0",
                          "fpu-transfers-per-rt-integer", "syscall-null", "map-4k",
                          "irq-to-user-handler", "boot-kernel-to-roottask-main"]


def test_nothing_parsed_from_noise():
    assert figures.parse(["bench: nothing here", "random"]) == ({}, None)


def test_change_against_baseline():
    assert figures.change({"median": 110}, {"median": 100}) == "+10 (+10.0%)"
    assert figures.change({"median": 90}, {"median": 100}) == "-10 (-10.0%)"
    assert figures.change({"count": 0}, {"count": 0}) == "="
    assert figures.change({"count": 4}, {"count": 0}) == "+4"
    assert figures.change({"median": 5}, None) == "new"


def test_compare_lists_what_grew():
    figs, _ = figures.parse(LOG)
    base = {"ipc-fast-xas-w0": {"median": 240}, "syscall-null": {"median": 100},
            "map-4k": {"median": 1200}, "gone": {"median": 1}}
    assert figures.compare(figs, base) == [("ipc-fast-xas-w0", 240, 246)]


def test_modules_split_the_figures():
    figs, _ = figures.parse(LOG)
    a, b, c = ipc.select(figs), kernel.select(figs), machine.select(figs)
    assert set(a) == {"ipc-fast-xas-w0", "ipc-slow-xas-w0", "fpu-transfers-per-rt-integer"}
    assert set(b) == {"syscall-null", "map-4k"}
    assert set(c) == {"irq-to-user-handler", "boot-kernel-to-roottask-main"}
    assert len(figs) == len(a) + len(b) + len(c)          # each figure in one group


def test_ratios():
    figs, _ = figures.parse(LOG)
    assert ipc.ratios(ipc.select(figs)) == [("ipc-slow-xas-w0 / ipc-fast-xas-w0", 2.0)]
    assert kernel.ratios(kernel.select(figs)) == [("map-4k / syscall-null", 10.0)]


def test_table_rows_and_change():
    figs, _ = figures.parse(LOG)
    rows = table("IPC", ipc.select(figs), {"ipc-fast-xas-w0": {"median": 246}})
    assert rows[0] == "IPC:"
    assert len(rows) == 2 + 3
    assert "246" in rows[2] and rows[2].endswith("=")
    assert rows[3].endswith("new")


def test_idl_figures_and_ratios():
    from minnow.bench import idl
    figs, rounds = figures.parse(["bench: rounds 1000 overhead 3",
                                  "bench: idl-c-add min 90 median 100 max 120",
                                  "bench: idl-rust-add min 100 median 125 max 130"])
    assert rounds == 1000 and set(idl.select(figs)) == {"idl-c-add", "idl-rust-add"}
    assert idl.ratios(figs) == [("idl-rust-add / idl-c-add", 1.25)]


def test_kvm_refused_without_a_device(tmp_path):
    import minnow.bench as bench
    why = bench.kvm_refusal(str(tmp_path / "kvm"), str(tmp_path))
    assert "this host has no KVM we may use" in why and "No such file" in why


def test_kvm_refused_for_a_device_that_is_not_kvm(tmp_path):
    import minnow.bench as bench
    dev = tmp_path / "kvm"
    dev.write_text("")
    assert "not a KVM device" in bench.kvm_refusal(str(dev), str(tmp_path))


def test_kvm_refused_for_kvm_pvm(tmp_path, monkeypatch):
    import fcntl
    import minnow.bench as bench
    dev = tmp_path / "kvm"
    dev.write_text("")
    monkeypatch.setattr(fcntl, "ioctl", lambda fd, req: bench.KVM_API_VERSION)
    mods = tmp_path / "module"
    (mods / "kvm").mkdir(parents=True)
    assert bench.kvm_refusal(str(dev), str(mods)) is None        # no hypervisor module named
    (mods / "kvm_pvm").mkdir()
    assert "kvm-pvm" in bench.kvm_refusal(str(dev), str(mods))
    (mods / "kvm_intel").mkdir()
    assert bench.kvm_refusal(str(dev), str(mods)) is None        # VT-x there as well


def test_make_bench_kvm_stops_before_booting(tmp_path, monkeypatch, capsys):
    import minnow.bench as bench
    monkeypatch.setattr(bench, "KVM_DEVICE", str(tmp_path / "kvm"))

    def boot(*a, **k):
        raise AssertionError("booted although KVM is missing")
    monkeypatch.setattr(bench, "run_modules", boot)
    assert bench.main(["--builddir", str(tmp_path), "--kvm"]) == 2
    assert bench.main(["--builddir", str(tmp_path), "--kvm", "--check-only"]) == 2
    err = capsys.readouterr().err
    assert "bench: KVM=1: " in err and "no cycle figures" in err


def test_default_image_figure():
    import os
    from minnow.bench import shell
    from minnow.modlist import load_modules_list
    here = os.path.dirname(os.path.abspath(__file__))
    mlist = load_modules_list(os.path.join(here, "..", "..", "..", "conf", "modules.list"))
    assert mlist.default == shell.ENTRY             # the figure is the default image's
    lines = ["minnow> uptime", "up 0.050 s (2 ticks at 100 Hz)",
             "first prompt 32616748 TSC ticks after the kernel's entry", "minnow> exit"]
    figs = shell.extract(lines)
    assert figs == {"boot-kernel-to-shell-prompt":
                    {"min": 32616748, "median": 32616748, "max": 32616748}}
    assert shell.select(figs) == figs and shell.extract(lines[:2]) == {}
    (prompt, first), (done, second) = shell.TYPE
    assert prompt.search("minnow> ") and not prompt.search("minnow> uptime")
    assert first == "uptime\r" and done.search(lines[2]) and second == "exit\r"


def test_mode_args():
    from minnow.bench import mode_args
    assert mode_args(False) == ["--icount", "--rtc-vm"]
    assert mode_args(True) == ["--kvm"]                 # no icount, the RTC on the host's clock
    assert mode_args(True, True) == ["--kvm", "--tcg-for-kvm"]


def test_table_without_baseline_has_no_change_column():
    figs, _ = figures.parse(LOG)
    rows = table("IPC", ipc.select(figs), None)
    assert "change" not in rows[1]
    assert rows[2].split() == ["ipc-fast-xas-w0", "245", "246", "300"]
    assert rows[4].split() == ["fpu-transfers-per-rt-integer", "0"]


# What an outer `make test` exports must not steer the build made here.
SCRUB = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "KCONFIG_CONFIG", "O", "V",
         "srctree", "E", "MODULES_LIST", "QEMU", "MINNOW_TEST_BUILDDIR")


@pytest.fixture(scope="module")
def bench_build(tmp_path_factory):
    """A build directory with this tree's programs: under make test, the
    build it has just made ($MINNOW_TEST_BUILDDIR, its bin/ only: what the
    run writes stays here); run alone, make bench's release build
    (conf/bench_defconfig), about a minute."""
    build = str(tmp_path_factory.mktemp("bench"))
    given = os.environ.get("MINNOW_TEST_BUILDDIR")
    if given and os.path.isfile(os.path.join(given, "bin", "minnow.elf32")):
        os.symlink(os.path.join(given, "bin"), os.path.join(build, "bin"))
        return build
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    r = subprocess.run(["make", "-j2", f"O={build}", "DEFCONFIG=conf/bench_defconfig", "all"],
                       cwd=SRC, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return build


def test_kvm_pipeline_with_tcg_in_place_of_kvm(bench_build, tmp_path, monkeypatch, capsys):
    """KVM=1 make bench's whole way but the accelerator: every group booted
    with the KVM command (-accel tcg in place of kvm, TCG without icount, so
    rdtsc follows host time and the figures mean nothing as cycles), the
    guests' bench: lines parsed, the table without a change column, no
    comparison with the instruction baseline, bench-kvm.json in cycles."""
    import minnow.bench as bench
    calls = tmp_path / "qemu-calls"
    monkeypatch.setenv("QEMU", write_script(
        tmp_path / "qemu", f'echo "$*" >> {calls}\nexec qemu-system-x86_64 "$@"\n'))
    monkeypatch.setattr(bench, "KVM_DEVICE", str(tmp_path / "no-kvm"))   # never asked
    assert bench.main(["--builddir", bench_build, "--srcdir", SRC, "--kvm", "--tcg-for-kvm",
                       "--timeout", "300"]) == 0
    out = capsys.readouterr().out

    boots = calls.read_text().splitlines()
    assert len(boots) == len({(m.ENTRY, tuple(m.QEMU_ARGS)) for m in bench.MODULES})
    for argv in boots:
        words = argv.split()
        assert "-accel tcg" in argv and "-cpu max" in argv and "isa-debug-exit" in argv
        assert "-icount" not in words and "-rtc" not in words and "-S" not in words

    with open(os.path.join(bench_build, "bench-kvm.json")) as f:
        doc = json.load(f)
    assert doc["unit"] == "cycles" and doc["accelerator"].startswith("tcg standing in")
    assert doc["rounds"] == 500
    assert not os.path.exists(os.path.join(bench_build, "bench.json"))
    figs = doc["figures"]
    for mod in bench.MODULES:                       # every group has its figures
        assert mod.select(figs), mod.__name__
    for name in ("ipc-fast-xas-w0", "syscall-null", "irq-to-user-handler",
                 "boot-kernel-to-program-main", "boot-kernel-to-shell-prompt", "idl-c-add"):
        assert name in figs, name
    for name, f in figs.items():
        if "count" in f:
            assert f["count"] >= 0, name
        else:
            assert 0 < f["min"] <= f["median"] <= f["max"], (name, f)

    assert "min / median / max in cycles (KVM, time stamp counter)" in out
    assert "not comparable with the instruction baseline" in out and "not cycles" in out
    assert "against the baseline" not in out and "change against" not in out
    row = next(l for l in out.splitlines() if l.split()[:1] == ["syscall-null"])
    assert row.split()[1:] == [str(figs["syscall-null"][k]) for k in ("min", "median", "max")]
    assert "bench-kvm.json" in out
