"""The make framework itself, on a private copy of the source tree: out-of-tree
builds, no-op rebuilds, header dependencies, Control/REQUIRES_LIBS errors,
library export through lib.mk, subdir.mk ordering and Kconfig fragments; and
doc/runtime.md's walk from an empty folder, whose files that copy is built from."""

import os
import shutil
import subprocess
import sys

import pytest

from docwalk import doc_transcript, walk

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def tree_files(root):
    out = set()
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in (".git", "__pycache__", ".pytest_cache")]
        for f in files:
            p = os.path.join(d, f)
            out.add((os.path.relpath(p, root), os.path.getmtime(p)))
    return out


def copy_tree(dst):
    """The checkout as git sees it (tracked plus untracked-but-not-ignored)."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=SRC, capture_output=True, check=True).stdout.decode().split("\0")
    for n in filter(None, names):
        if not os.path.exists(os.path.join(SRC, n)):
            continue
        os.makedirs(os.path.join(dst, os.path.dirname(n)), exist_ok=True)
        shutil.copy2(os.path.join(SRC, n), os.path.join(dst, n))
    # Fetched dependencies are git-ignored (mk/fetch-lwip.sh): the copy
    # shares the checkout's rather than copying them.
    if os.path.isdir(os.path.join(SRC, "contrib")):
        os.symlink(os.path.join(SRC, "contrib"), os.path.join(dst, "contrib"))
    return dst


# What an outer `make test` exports must not steer the builds made here.
SCRUB = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "KCONFIG_CONFIG", "O", "V",
         "srctree", "E", "MODULES_LIST")


def make(src, build, *args, check=True):
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    r = subprocess.run(["make", "-j2", f"O={build}", *args], cwd=src, env=env,
                       capture_output=True, text=True, timeout=600)
    if check and r.returncode:
        raise AssertionError(f"make {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One full build of a copy of the tree, shared by the read-only tests.
    Its worked example is written from doc/runtime.md, section 5 (walk())."""
    src = copy_tree(str(tmp_path_factory.mktemp("src")))
    walk(src, SRC)
    build = str(tmp_path_factory.mktemp("out"))
    before = tree_files(src)
    first = make(src, build)
    return src, build, before, first


def test_build_is_out_of_tree(built):
    src, build, before, _ = built
    assert tree_files(src) == before, "the build wrote into the source tree"
    for f in ("bin/minnow", "bin/minnow.elf32", "bin/hello", "lib/libl4.a", "lib/pc/libl4.mk",
              "kernel/main.o", "pkg/hello/main.o", ".config", "include/generated/autoconf.h"):
        assert os.path.exists(os.path.join(build, f)), f


def test_quiet_lines(built):
    out = built[3].stdout
    assert "  CC      kernel/main.o" in out
    assert "  LD      bin/hello" in out
    assert "gcc " not in out


def test_no_change_rebuild_does_nothing(built):
    src, build, _, _ = built
    r = make(src, build)
    assert r.stdout.strip() == "" and r.stderr.strip() == ""


def test_header_change_rebuilds_dependants(built):
    src, build, _, _ = built
    os.utime(os.path.join(src, "libl4/include/l4/sys/debug.h"))
    out = make(src, build).stdout
    assert "  CC      pkg/hello/main.o" in out and "  LD      bin/hello" in out
    assert "kernel/main.o" not in out          # the kernel does not include it


def test_verbose_prints_commands(built):
    src, build, _, _ = built
    os.utime(os.path.join(src, "pkg/hello/main.c"))
    out = make(src, build, "V=1").stdout
    assert "gcc " in out and "-ffreestanding" in out


def test_walk_from_an_empty_folder(built):
    """The doc's files, written into a tree without pkg/greeter and built
    there, boot; the doc's run script passes and its transcript is real."""
    src, build, _, _ = built
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    run = subprocess.run([sys.executable, "mk/tool/runtest.py", "--builddir", build,
                          "pkg/greeter/test/greeter.test"], cwd=src, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS pkg/greeter/test/greeter.test" in run.stdout
    # What the doc says the system prints, it prints (frames released too).
    with open(f"{build}/test-logs/greeter-greeter.log", errors="replace") as f:
        serial = set(f.read().replace("\r", "").splitlines())
    missing = [l for l in doc_transcript(SRC) if l not in serial]
    assert not missing, f"doc/runtime.md shows lines the system does not print: {missing}"


def test_package_kconfig_fragment(built):
    _, build, _, _ = built
    with open(os.path.join(build, "include/generated/autoconf.h")) as f:
        assert 'CONFIG_HELLO_GREETING "Hello from Minnow!"' in f.read()


@pytest.fixture
def fresh(tmp_path):
    src = copy_tree(str(tmp_path / "src"))
    return src, str(tmp_path / "out")


def test_undeclared_requires_libs(fresh):
    src, build = fresh
    write(f"{src}/pkg/bad/Control", "provides:\nrequires:\n")
    write(f"{src}/pkg/bad/Makefile", "PKGDIR ?= .\nL4DIR ?= ../..\nTARGET = bad\nSRC_C = m.c\n"
          "REQUIRES_LIBS = libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    write(f"{src}/pkg/bad/m.c", "int main(void) { return 0; }\n")
    r = make(src, build, "pkgs", check=False)
    assert r.returncode != 0
    assert ("pkg/bad/Makefile: REQUIRES_LIBS names 'libl4', which pkg/bad/Control "
            "does not list under requires:") in r.stderr


def test_missing_provider_stops_the_build(fresh):
    src, build = fresh
    write(f"{src}/pkg/bad/Control", "provides:\nrequires: libnothere\n")
    r = make(src, build, check=False)
    assert r.returncode != 0
    assert "pkg/bad/Control:2: requires 'libnothere', which no package provides" in r.stderr


def test_cycle_stops_the_build(fresh):
    src, build = fresh
    write(f"{src}/pkg/a/Control", "provides: liba\nrequires: libb\n")
    write(f"{src}/pkg/b/Control", "provides: libb\nrequires: liba\n")
    r = make(src, build, check=False)
    assert r.returncode != 0
    assert "dependency cycle" in r.stderr and "pkg/a/Control" in r.stderr


def test_library_package_with_parts(fresh):
    """subdir.mk builds lib/ before server/; lib.mk exports include/ and the
    archive; the program links against it; the order comes from Control."""
    src, build = fresh
    p = f"{src}/pkg/zlibdemo"
    write(f"{p}/Control", "provides: libdemo\nrequires: libl4\n")
    write(f"{p}/Makefile", "PKGDIR ?= .\nL4DIR ?= ../..\ninclude $(L4DIR)/mk/subdir.mk\n")
    write(f"{p}/include/demo.h", "int demo_answer(void);\n")
    write(f"{p}/lib/Makefile", "PKGDIR ?= ..\nL4DIR ?= ../..\nTARGET = libdemo.a\n"
          "SRC_C = demo.c\nREQUIRES_LIBS = libl4\ninclude $(L4DIR)/mk/lib.mk\n")
    write(f"{p}/lib/demo.c", "#include <demo.h>\nint demo_answer(void) { return 42; }\n")
    write(f"{p}/server/Makefile", "PKGDIR ?= ..\nL4DIR ?= ../..\nTARGET = demo\nSRC_C = main.c\n"
          "REQUIRES_LIBS = libdemo libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    # A second package that uses the library: it must be built after pkg/zlibdemo
    # although it sorts first.
    write(f"{src}/pkg/auser/Control", "provides:\nrequires: libdemo libl4\n")
    write(f"{src}/pkg/auser/Makefile", "PKGDIR ?= .\nL4DIR ?= ../..\nTARGET = auser\n"
          "SRC_C = main.c\nREQUIRES_LIBS = libdemo libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    main = ("#include <demo.h>\n#include <l4/sys/debug.h>\n"
            "int main(void) { return demo_answer() == 42 ? 0 : 1; }\n")
    write(f"{p}/server/main.c", main)
    write(f"{src}/pkg/auser/main.c", main)
    make(src, build, "pkgs")
    assert os.path.exists(f"{build}/bin/demo") and os.path.exists(f"{build}/bin/auser")
    nm = subprocess.run(["nm", f"{build}/bin/auser"], capture_output=True, text=True).stdout
    assert " T demo_answer" in nm
    with open(f"{build}/.pkgdeps.mk") as f:
        order = [l for l in f if l.startswith("MINNOW_PKGS")][0].split()
    assert order.index("pkg/zlibdemo") < order.index("pkg/auser")


def test_unknown_entry_is_named(built):
    src, build, _, _ = built             # read-only: the image step fails
    r = make(src, build, "image", "E=nosuch", check=False)
    assert r.returncode != 0
    assert "no entry 'nosuch'" in r.stderr


def test_idl_headers_are_generated_out_of_tree(fresh):
    """SRC_IDL: the stubs go to the build directory, the program compiles
    against them, a library exports them to its dependants (PC_CPPFLAGS),
    and the source tree gains nothing."""
    src, build = fresh
    p = f"{src}/pkg/zidl"
    write(f"{p}/Control", "provides: libzidl\nrequires: libl4\n")
    write(f"{p}/Makefile", "PKGDIR ?= .\nL4DIR ?= ../..\ninclude $(L4DIR)/mk/subdir.mk\n")
    write(f"{p}/lib/Makefile", "PKGDIR ?= ..\nL4DIR ?= ../..\nTARGET = libzidl.a\nSRC_C = s.c\n"
          "SRC_IDL = echo.idl\nREQUIRES_LIBS = libl4\ninclude $(L4DIR)/mk/lib.mk\n")
    write(f"{p}/lib/echo.idl", "interface echo { rpc twice(in int x, out int y); };\n")
    write(f"{p}/lib/s.c", '#include <echo_server.h>\nint s(uint64_t t, uint64_t *r)\n'
          "{ return echo_dispatch(0, 0, t, 0, r); }\n")
    write(f"{p}/server/Makefile", "PKGDIR ?= ..\nL4DIR ?= ../..\nTARGET = zidl\nSRC_C = main.c\n"
          "REQUIRES_LIBS = libzidl libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    write(f"{p}/server/main.c", "#include <echo_client.h>\n"
          "int main(void) { int32_t y; return echo_twice(8, 1, &y); }\n")
    before = tree_files(src)
    out = make(src, build, "pkg-pkg/zidl").stdout
    assert "  IDL     pkg/zidl/lib/echo.idl" in out
    for h in ("echo_client.h", "echo_server.h"):
        assert os.path.exists(f"{build}/pkg/zidl/lib/idl/{h}"), h
    assert os.path.exists(f"{build}/bin/zidl")
    assert tree_files(src) == before, "the build wrote into the source tree"
    r = make(src, build, "pkg-pkg/zidl")
    assert "IDL" not in r.stdout and "CC" not in r.stdout


def test_kernel_headers_come_from_layout_descriptions(built):
    """mk/kernel.mk generates the kernel's layout headers out of tree."""
    src, build, _, first = built
    assert "  LAYOUT  kernel/arch/x86_64/layout/x86_paging.dev" in first.stdout
    for h in ("layout/x86_paging.h", "layout/x86_seg.h", "devregs/uart16550.h", "l4/sys/abi_layout.h"):
        assert os.path.exists(f"{build}/kernel/gen/{h}"), h
    assert os.path.exists(f"{build}/libl4/lib/layout/l4/sys/abi_layout.h")


def test_layout_headers_are_generated_out_of_tree(fresh):
    """SRC_LAYOUT: the header goes to the build directory under LAYOUT_INCDIR,
    a library exports it to its dependants, nothing is rebuilt the second
    time, and a bad description stops the build with file:line:col."""
    src, build = fresh
    p = f"{src}/pkg/zlay"
    write(f"{p}/Control", "provides: libzlay\nrequires: libl4\n")
    write(f"{p}/Makefile", "PKGDIR ?= .\nL4DIR ?= ../..\ninclude $(L4DIR)/mk/subdir.mk\n")
    write(f"{p}/lib/Makefile", "PKGDIR ?= ..\nL4DIR ?= ../..\nTARGET = libzlay.a\n"
          "SRC_LAYOUT = regs.dev\nLAYOUT_INCDIR = zlay\nREQUIRES_LIBS = libl4\ninclude $(L4DIR)/mk/lib.mk\n")
    write(f"{p}/lib/regs.dev", "device zdev { space mem 16; width 32; register ctl @ 4 rw { go 0; } }\n")
    write(f"{p}/server/Makefile", "PKGDIR ?= ..\nL4DIR ?= ../..\nTARGET = zlay\nSRC_C = main.c\n"
          "REQUIRES_LIBS = libzlay libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    write(f"{p}/server/main.c", "#include <zlay/regs.h>\n"
          "int main(void) { static uint32_t r[4]; zdev_ctl_wr(r, ZDEV_CTL_GO); return (int)r[1] - 1; }\n")
    before = tree_files(src)
    out = make(src, build, "pkg-pkg/zlay").stdout
    assert "  LAYOUT  pkg/zlay/lib/regs.dev" in out
    assert os.path.exists(f"{build}/pkg/zlay/lib/layout/zlay/regs.h")
    assert os.path.exists(f"{build}/bin/zlay")
    assert tree_files(src) == before, "the build wrote into the source tree"
    r = make(src, build, "pkg-pkg/zlay")
    assert "LAYOUT" not in r.stdout and "CC" not in r.stdout
    write(f"{p}/lib/regs.dev", "device zdev { space mem 16; width 32;\n  register ctl @ 16 rw; }\n")
    r = make(src, build, "pkg-pkg/zlay", check=False)
    assert r.returncode != 0
    assert "regs.dev:2:18: register 'ctl' (bytes 0x10..0x13) lies outside the mem space" in r.stderr


def test_compile_commands_for_clangd(built):
    """Every build leaves $(O)/compile_commands.json: one entry per object,
    run from the root, as it was compiled."""
    import json
    src, build, _, _ = built
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = {e["file"]: e for e in json.load(f)}
    hello = db[os.path.join(src, "pkg/hello/main.c")]
    assert hello["directory"] == src and hello["output"] == f"{build}/pkg/hello/main.o"
    assert "-ffreestanding" in hello["arguments"] and "pkg/hello/main.c" in hello["arguments"]
    assert os.path.join(src, "kernel/main.c") in db


def test_package_mistakes_are_named(fresh):
    """A misspelled variable, a missing source, a compiler and an IDL error:
    each names the file (from the tree's root) and line."""
    src, build = fresh
    p = f"{src}/pkg/zmistake"
    write(f"{p}/Control", "provides:\nrequires: libl4\n")
    good = ("PKGDIR ?= .\nL4DIR  ?= ../..\nTARGET  = zmistake\nSRC_C   = main.c\n"
            "SRC_IDL = calc.idl\nREQUIRES_LIBS = libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    write(f"{p}/main.c", "#include <calc_client.h>\nint main(void) { return 0; }\n")
    write(f"{p}/calc.idl", "interface calc { rpc add(in int a, in int b, out int c); };\n")

    write(f"{p}/Makefile", good.replace("SRC_C ", "SRC_CC").replace("REQUIRES_LIBS", "REQUIRE_LIBS"))
    err = make(src, build, "pkg-pkg/zmistake", check=False).stderr
    assert "pkg/zmistake/Makefile:4: unknown variable 'SRC_CC' (did you mean 'SRC_C'?)" in err
    assert ("pkg/zmistake/Makefile:6: unknown variable 'REQUIRE_LIBS' "
            "(did you mean 'REQUIRES_LIBS'?)") in err

    write(f"{p}/Makefile", good.replace("main.c", "mian.c"))
    err = make(src, build, "pkg-pkg/zmistake", check=False).stderr
    assert ("pkg/zmistake/Makefile:4: source file 'mian.c' does not exist in pkg/zmistake/ "
            "(did you mean 'main.c'?)") in err

    write(f"{p}/Makefile", good)
    write(f"{p}/calc.idl", "interface calc { rpc add(in int a, inn int b); };\n")
    r = make(src, build, "pkg-pkg/zmistake", check=False)
    assert r.returncode and "pkg/zmistake/calc.idl:1:" in r.stdout + r.stderr

    write(f"{p}/calc.idl", "interface calc { rpc add(in int a, in int b, out int c); };\n")
    write(f"{p}/main.c", "#include <calc_client.h>\nint main(void) { return nope; }\n")
    r = make(src, build, "pkg-pkg/zmistake", check=False)
    assert r.returncode and "pkg/zmistake/main.c:2:" in r.stderr


def test_package_path_with_space_refused(fresh):
    """make splits words at white space: such a package is refused by name
    before anything else happens."""
    src, build = fresh
    write(f"{src}/pkg/my pkg/Control", "provides:\nrequires:\n")
    r = make(src, build, "olddefconfig", check=False)
    assert r.returncode != 0
    assert ("pkg/my pkg/Control: white space in a package's path ('pkg/my pkg'): make "
            "splits words there; rename the directory") in r.stderr


def test_directory_named_control_refused(fresh):
    """A directory called Control is neither a package nor silently skipped."""
    src, build = fresh
    write(f"{src}/pkg/zdir/Control/notes.txt", "not a Control file\n")
    r = make(src, build, "olddefconfig", check=False)
    assert r.returncode != 0
    assert ("pkg/zdir/Control: a directory named Control; a package's Control is a file "
            "(rename the directory)") in r.stderr


def test_deleted_package_leaves_no_stale_order(fresh):
    """Deleting a package makes the package order again: the build no longer
    asks for the package that is gone (it once kept $(O)/.pkgdeps.mk)."""
    src, build = fresh
    write(f"{src}/pkg/zgone/Control", "provides:\nrequires: libl4\n")
    write(f"{src}/pkg/zgone/Makefile", "PKGDIR ?= .\nL4DIR ?= ../..\nTARGET = zgone\n"
          "SRC_C = m.c\nREQUIRES_LIBS = libl4\ninclude $(L4DIR)/mk/prog.mk\n")
    write(f"{src}/pkg/zgone/m.c", "int main(void) { return 0; }\n")
    make(src, build, "olddefconfig")
    with open(f"{build}/.pkgdeps.mk") as f:
        assert "pkg/zgone" in f.read()
    shutil.rmtree(f"{src}/pkg/zgone")
    make(src, build, "olddefconfig")
    with open(f"{build}/.pkgdeps.mk") as f:
        assert "pkg/zgone" not in f.read()
    r = make(src, build, "-n", "pkgs", check=False)
    assert "pkg/zgone" not in r.stdout + r.stderr
