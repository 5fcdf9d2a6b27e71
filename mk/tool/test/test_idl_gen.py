"""IDL compiler: the generated C compiles warning-free against libl4's
headers, needs no library function, and the CLI writes both headers or
refuses with file:line:col and status 1."""

import os
import shutil
import subprocess

import pytest

from minnow.layout import c_header, compile_text as compile_layout

from conftest import write
from minnow.cli_idl import main
from minnow.idl import client_header, compile_text, server_header

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-ffreestanding",
          f"-I{SRC}/libl4/include"]

EVERYTHING = """\
interface all "every construct" {
    rpc scalars(in int8 a, in int16 b, in int32 c, in int64 d, in uint8 e, in uint16 f,
                in uint32 g, in uint64 h, in int i, in uint j, in bool k,
                out int8 oa, out uint64 oh, out bool ok);
    rpc arrays(in bool f[3], in int64 w[2], out uint8 b[9], out bool of[1]);
    rpc text(in string s, in string<1> one, out string<40> r, out bytes<8> raw);
    rpc caps(in cap a, in int x, in cap b, out cap c, out uint32 y);
    rpc shm(in mem m, in cap c, in uint64 n, out mem back, out cap d);
    rpc nothing();
    message note(in bytes<16> b, in cap c, in uint8 v[3]);
    message ping();
};
interface other { };
"""

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc missing")


def gen(tmp_path, text, stem="x"):
    ifaces = compile_text(text, f"{stem}.idl")
    c = write(tmp_path / f"{stem}_client.h", client_header(ifaces, f"{stem}.idl", f"{stem}_client.h"))
    s = write(tmp_path / f"{stem}_server.h", server_header(ifaces, f"{stem}.idl", f"{stem}_server.h"))
    return c, s


def abi_layout(tmp_path):
    """<l4/sys/abi_layout.h>, which abi.h includes, generated as the build does."""
    dev = os.path.join(SRC, "libl4/lib/abi_layout.dev")
    items = compile_layout(open(dev).read(), dev)
    (tmp_path / "l4" / "sys").mkdir(parents=True, exist_ok=True)
    write(tmp_path / "l4" / "sys" / "abi_layout.h", c_header(items, dev, "l4/sys/abi_layout.h"))


def gcc(tmp_path, source, *extra):
    abi_layout(tmp_path)
    f = write(tmp_path / "use.c", source)
    r = subprocess.run(["gcc", *CFLAGS, f"-I{tmp_path}", *extra, f], capture_output=True,
                       text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    return r


@needs_gcc
@pytest.mark.parametrize("text", [EVERYTHING, open(f"{SRC}/pkg/idltest/lib/types.idl").read(),
                                  "interface console { rpc write(in string text, out int written);"
                                  " rpc read(in uint32 max, out string text); message input_ready(); };"])
def test_both_headers_compile_together(tmp_path, text):
    gen(tmp_path, text)
    gcc(tmp_path, '#include "x_client.h"\n#include "x_server.h"\n#include "x_client.h"\n',
        "-fsyntax-only")


@needs_gcc
@pytest.mark.parametrize("opt", ["-O1", "-O2", "-O3"])
def test_no_library_calls(tmp_path, opt):
    """Instantiated at every optimisation level, the stubs call nothing but
    the kernel: no memcpy or memset from the byte loops or buffers."""
    gen(tmp_path, EVERYTHING)
    ifaces = compile_text(EVERYTHING, "x.idl")
    uses = []
    for m in ifaces[0].methods:
        uses.append(f"void *use_{m.name} = (void *)all_{m.name};")
    src = ('#include "x_client.h"\n#include "x_server.h"\n' + "\n".join(uses) +
           "\nint serve(const struct all_ops *o, uint64_t t, uint64_t *r)"
           " { return all_dispatch(o, 0, t, 1, r); }\n")
    gcc(tmp_path, src, opt, "-c", "-o", str(tmp_path / "use.o"))
    nm = subprocess.run(["nm", "-u", str(tmp_path / "use.o")], capture_output=True, text=True)
    assert nm.stdout.strip() == ""


def test_client_signatures():
    c = client_header(compile_text(EVERYTHING, "x.idl"), "x.idl")
    assert ("static inline int all_scalars(uint64_t ep, int8_t a, int16_t b, int32_t c, int64_t d, "
            "uint8_t e, uint16_t f, uint32_t g, uint64_t h, int32_t i, uint32_t j, bool k, "
            "int8_t *oa, uint64_t *oh, bool *ok)") in c
    assert ("static inline int all_text(uint64_t ep, const char *s, const char *one, char *r, "
            "void *raw, size_t *raw_len)") in c
    assert "static inline int all_caps(uint64_t ep, uint64_t a, int32_t x, uint64_t b, uint64_t *c, uint32_t *y)" in c
    assert "static inline int all_note(uint64_t ep, const void *b, size_t b_len, uint64_t c, const uint8_t v[3])" in c
    assert "l4_send(ep, L4_TAG(ALL_NOTE_LABEL, _n, 1))" in c
    assert "#define ALL_TEXT_R_MAX 40" in c
    assert ("static inline int all_shm(uint64_t ep, struct minnow_idl_mem m, uint64_t c, "
            "uint64_t n, struct minnow_idl_mem *back, uint64_t *d)") in c
    # mem and cap are items in parameter order: the memory first
    assert "l4_call(ep, L4_TAG(ALL_SHM_LABEL, _n, 2))" in c
    assert "_u->mr[_n + 0] = L4_ITEM(L4_ITEM_MEM, 0) | (m.addr & ~0xfffull);" in c
    assert "_u->mr[_n + 2] = minnow_idl_item(c);" in c
    assert "if (L4_ITEM_TYPE(_u->mr[_end + 0]) != L4_ITEM_MEM)" in c


def test_server_ops_take_the_badge():
    s = server_header(compile_text(EVERYTHING, "x.idl"), "x.idl")
    assert "\tint (*arrays)(void *ctx, uint64_t badge, const bool f[3], const int64_t w[2], uint8_t b[9], bool of[1]);" in s
    assert "\tint (*ping)(void *ctx, uint64_t badge);" in s
    assert ("\tint (*shm)(void *ctx, uint64_t badge, struct minnow_idl_mem m, uint64_t c, "
            "uint64_t n, struct minnow_idl_mem *back, uint64_t *d);") in s
    assert "struct minnow_idl_mem m = { 0, 0 };" in s
    assert "(m).addr = _u->mr[_end + 0] & ~0xfffull;" in s
    assert ("static inline int all_dispatch(const struct all_ops *ops, void *ctx, uint64_t tag, "
            "uint64_t badge, uint64_t *reply_tag)") in s


def test_labels_in_both_headers():
    ifaces = compile_text(EVERYTHING, "x.idl")
    m = ifaces[0].methods[2]
    line = f"#define ALL_TEXT_LABEL {m.label:#010x}u"
    assert line in client_header(ifaces, "x.idl") and line in server_header(ifaces, "x.idl")


def test_cli_writes_headers(tmp_path):
    idl = write(tmp_path / "console.idl", "interface console { rpc write(in string text, out int n); };")
    c, s = str(tmp_path / "out/console_client.h"), str(tmp_path / "out/console_server.h")
    assert main(["--client", c, "--server", s, idl]) == 0
    assert "#ifndef MINNOW_IDL_CONSOLE_CLIENT_H" in open(c).read()
    assert "struct console_ops" in open(s).read()


def test_cli_refuses_with_location(tmp_path, capsys):
    idl = write(tmp_path / "bad.idl", "interface x {\n  rpc m(in cheese c);\n};\n")
    out = str(tmp_path / "x_client.h")
    assert main(["--client", out, idl]) == 1
    assert capsys.readouterr().err == f"{idl}:2:12: unknown type 'cheese'\n"
    assert not os.path.exists(out)


def test_cli_script_exit_status(tmp_path):
    idl = write(tmp_path / "bad.idl", "interface x { rpc m() };")
    r = subprocess.run([f"{SRC}/mk/tool/idl.py", "--client", str(tmp_path / "c.h"), idl],
                       capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr == f"{idl}:1:23: expected ';' after rpc 'm', found '}}'\n"


def test_cli_missing_file(tmp_path, capsys):
    assert main([str(tmp_path / "none.idl")]) == 1
    assert "none.idl: No such file or directory" in capsys.readouterr().err
