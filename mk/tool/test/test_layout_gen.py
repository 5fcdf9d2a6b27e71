"""Layout compiler: the generated header compiles (C with -Wall -Wextra
-Werror, and assembler), and a C program built from it agrees with an
independent Python computation on every field's insert/extract, every
descriptor's get/set, every constant and the memory-mapped accessors."""

import os
import random
import shutil
import subprocess

import pytest

from minnow.cli_layout import main as layout_main
from minnow.layout import c_header, compile_text

from conftest import TOOL_DIR, write

TREE = os.path.dirname(os.path.dirname(TOOL_DIR))
CC = shutil.which("gcc") or shutil.which("cc")
CFLAGS = ["-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror", "-I", os.path.join(TREE, "libl4", "include")]

needs_cc = pytest.mark.skipif(CC is None, reason="no C compiler")

SAMPLE = """\
layout flags8 width 8 { a 0; b 3:1 { two = 2; } c 7; const ac { a = 1; c = 1; } }
layout pte width 64 { p 0; w 1; addr 51:12 high; nx 63; const tbl { p = 1; w = 1; } }
layout seg width 64 {
    limit 15:0 | 51:48; base 39:16 | 63:56; type 43:40; p 47;
    const k { limit = 0xfffff; type = 0xa; p = 1; }
}
layout desc width 32 words 4 {
    lo 31:0; mid 47:40 | 35:32; hi 127:96; flag 64; addr 95:68 high;
}
device dev "test device" {
    space mem 0x100;
    width 32;
    register ctrl @ 0x0 rw reset 0x3 { en 0; mode 2:1 { fast = 3; } addr 31:12 high; }
    register stat @ 0x4 ro { busy 0; level 15:8; }
    register ral[4] @ 0x40 stride 8 rw;
    register w16 @ 0x80 width 16 wo { v 15:0; }
}
device ports { space io 8; width 8; register data @ 0 rw; register st @ 5 rc { rdy 0 ro; } }
"""


def ctype(width):
    return f"uint{width}_t"


def place(f, v, width, words):
    """Python's own idea of the words holding v in field f."""
    out = [0] * words
    if f.high:
        out[f.parts[0].lo // width] = v & f.high_mask(width)
        return out
    for p in f.parts:
        out[p.lo // width] |= (v & ((1 << p.width) - 1)) << (p.lo % width)
        v >>= p.width
    return out


def field_value(f, v, width):
    return v & f.high_mask(width) if f.high else v & ((1 << f.width) - 1)


def checks_for(items, rng):
    lines = []
    for it in items:
        if it.kind == "layout":
            owners = [(it.name, it, it.width, it.words)]
        else:
            owners = [(f"{it.name}_{r.name}", r, r.width, 1) for r in it.registers]
        for prefix, owner, width, words in owners:
            T = ctype(width)
            full = (1 << width) - 1
            for f in owner.fields:
                writable = getattr(f, "access", None) in (None, "rw", "wo", "w1c")
                for _ in range(8):
                    base = [rng.choice([0, full, rng.getrandbits(width)]) for _ in range(words)]
                    v = rng.choice([0, 1, (1 << 64) - 1, rng.getrandbits(64)])
                    v = field_value(f, v, width)                     # what the field can hold
                    placed = place(f, v, width, words)
                    fmask = place(f, (1 << 64) - 1, width, words)
                    want = [(b & ~m) | p for b, m, p in zip(base, fmask, placed)]
                    if words == 1:
                        if writable:
                            lines.append(f"CHECK({prefix}_{f.name}_insert({base[0]:#x}u, {v:#x}ull) == "
                                         f"({T}){want[0]:#x}ull);")
                        lines.append(f"CHECK({prefix}_{f.name}_extract({want[0]:#x}ull) == {v:#x}ull);")
                    else:
                        init = ", ".join(f"{b:#x}u" for b in base)
                        exp = " && ".join(f"d.w[{k}] == {w:#x}u" for k, w in enumerate(want))
                        lines.append(f"{{ {prefix}_t d = {{ {{ {init} }} }}; {prefix}_{f.name}_set(&d, {v:#x}ull); "
                                     f"CHECK({exp}); CHECK({prefix}_{f.name}_get(&d) == {v:#x}ull); }}")
            for c in owner.consts:
                if words == 1:
                    lines.append(f"CHECK({prefix.upper()}_{c.name.upper()} == {c.words[0]:#x}ull);")
                else:
                    for k, w in enumerate(c.words):
                        lines.append(f"CHECK({prefix.upper()}_{c.name.upper()}_W{k} == {w:#x}ull);")
    return lines


PROGRAM = """\
#include <stdio.h>
#include "gen.h"
static int fails, checks;
#define CHECK(c) do { checks++; if (!(c)) { fails++; printf("FAIL line %d: %s\\n", __LINE__, #c); } } while (0)
int main(void)
{
BODY
	printf("%d checks, %d failed\\n", checks, fails);
	return fails != 0;
}
"""


def build_and_run(tmp_path, header, body):
    write(tmp_path / "gen.h", header)
    src = write(tmp_path / "t.c", PROGRAM.replace("BODY", body))
    exe = str(tmp_path / "t")
    r = subprocess.run([CC, *CFLAGS, "-o", exe, src], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return subprocess.run([exe], capture_output=True, text=True)


@needs_cc
def test_round_trips_agree_with_python(tmp_path):
    items = compile_text(SAMPLE, "sample.dev")
    body = "\n".join("\t" + line for line in checks_for(items, random.Random(8254)))
    body += """
	/* memory-mapped accessors land at offset + i * stride */
	static uint32_t regs[0x100 / 4];
	dev_ral_wr(regs, 3, 0x12345678u);
	CHECK(regs[(0x40 + 3 * 8) / 4] == 0x12345678u && dev_ral_rd(regs, 3) == 0x12345678u);
	dev_ctrl_wr(regs, DEV_CTRL_EN | dev_ctrl_mode_insert(0, DEV_CTRL_MODE_FAST));
	CHECK(regs[0] == 7u && dev_ctrl_mode_extract(dev_ctrl_rd(regs)) == 3u);
	dev_w16_wr(regs, 0xbeef);
	CHECK(((volatile uint16_t *)regs)[0x80 / 2] == 0xbeef);
	CHECK(DEV_CTRL_RESET == 3 && DEV_RAL_COUNT == 4 && DEV_RAL_STRIDE == 8 && DEV_STAT_LEVEL_MASK == 0xff00);
	CHECK(sizeof(desc_t) == 16 && sizeof(pte_t) == 8 && sizeof(flags8_t) == 1);
"""
    r = build_and_run(tmp_path, c_header(items, "sample.dev", "gen.h"), body)
    assert r.returncode == 0, r.stdout
    assert " 0 failed" in r.stdout and int(r.stdout.split()[0]) > 300


@needs_cc
def test_round_trip_program_can_fail(tmp_path):
    """The checking program notices a wrong answer (it is not vacuous)."""
    items = compile_text(SAMPLE, "sample.dev")
    r = build_and_run(tmp_path, c_header(items, "sample.dev", "gen.h"),
                      "\tCHECK(pte_addr_extract(0x1234567ull) == 0x1234567ull);")
    assert r.returncode == 1 and "1 failed" in r.stdout


def tree_descriptions():
    out = []
    for root in ("kernel", "libl4", "pkg", "servers"):
        for d, _, files in os.walk(os.path.join(TREE, root)):
            out += [os.path.join(d, f) for f in sorted(files) if f.endswith(".dev")]
    return out


def test_tree_has_the_descriptions():
    names = {os.path.basename(p) for p in tree_descriptions()}
    assert {"x86_paging.dev", "x86_seg.dev", "uart16550.dev", "pci.dev", "e1000.dev",
            "abi_layout.dev"} <= names


@needs_cc
@pytest.mark.parametrize("path", tree_descriptions(), ids=os.path.basename)
def test_tree_headers_compile_as_c_and_assembler(tmp_path, path):
    out = str(tmp_path / "gen.h")
    assert layout_main(["-o", out, path]) == 0
    c = write(tmp_path / "c.c", '#include "gen.h"\nint main(void) { return 0; }\n')
    r = subprocess.run([CC, *CFLAGS, "-c", c, "-o", str(tmp_path / "c.o")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([CC, "-x", "assembler-with-cpp", "-c", out, "-o", str(tmp_path / "a.o")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@needs_cc
def test_tree_values_match_the_hardware(tmp_path):
    """The values the kernel used to spell out by hand (and the manuals')."""
    hdrs = []
    for p in tree_descriptions():
        if os.path.basename(p) in ("x86_seg.dev", "x86_paging.dev", "x86_ctl.dev", "uart16550.dev", "e1000.dev",
                                     "pci.dev"):
            out = str(tmp_path / (os.path.basename(p)[:-4] + ".h"))
            assert layout_main(["-o", out, p]) == 0
            hdrs.append(f'#include "{out}"')
    body = """
	CHECK(X86_SEG_KERNEL_CODE == 0x00af9a000000ffffull && X86_SEG_KERNEL_DATA == 0x00cf92000000ffffull);
	CHECK(X86_SEG_USER_DATA == 0x00cff2000000ffffull && X86_SEG_USER_CODE == 0x00affa000000ffffull);
	CHECK(X86_SEL_KCODE == 0x08 && X86_SEL_KDATA == 0x10 && X86_SEL_UDATA == (0x18 | 3) &&
	      X86_SEL_UCODE == (0x20 | 3) && X86_SEL_TSS == 0x28);
	{
		uint64_t base = 0xffffffff81234567ull, limit = 0x2068;
		x86_sysdesc_t d = { { 0, 0 } };
		x86_sysdesc_base_set(&d, base);
		x86_sysdesc_limit_set(&d, limit);
		x86_sysdesc_type_set(&d, X86_SYSDESC_TYPE_TSS_AVAIL);
		x86_sysdesc_p_set(&d, 1);
		uint64_t w0 = (limit & 0xffff) | ((base & 0xffffff) << 16) | (9ull << 40) | (1ull << 47) |
			((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
		CHECK(d.w[0] == w0 && d.w[1] == base >> 32 && x86_sysdesc_base_get(&d) == base);
	}
	{
		/* the IDT gate idt.c used to build as a packed struct */
		uint64_t h = 0xffffffff80123456ull;
		x86_gate_t g = { { 0, 0 } };
		x86_gate_offset_set(&g, h);
		x86_gate_sel_set(&g, 0x08);
		x86_gate_ist_set(&g, 2);
		x86_gate_type_set(&g, X86_GATE_TYPE_INTR);
		x86_gate_p_set(&g, 1);
		uint64_t w0 = (h & 0xffff) | 0x08ull << 16 | 2ull << 32 | 0x8eull << 40 | ((h >> 16) & 0xffff) << 48;
		CHECK(g.w[0] == w0 && g.w[1] == (h >> 32) && x86_gate_offset_get(&g) == h);
	}
	CHECK(X86_MSR_EFER_OFFSET == 0xc0000080u && X86_MSR_KERNEL_GS_BASE_OFFSET == 0xc0000102u);
	CHECK(X86_MSR_EFER_LME == 1u << 8 && X86_MSR_EFER_NXE == 1u << 11 && X86_CR0_PG == 1u << 31);
	CHECK(X86_CR4_SMAP == 1u << 21 && X86_CPUID_EXT_EDX_LM == 1u << 29);
	CHECK(x86_msr_star_sysret_insert(x86_msr_star_syscall_insert(0, 0x08), 0x10) ==
	      ((uint64_t)0x10 << 48 | (uint64_t)0x08 << 32));
	CHECK(X86_PTE_TABLE == 0x3 && X86_PTE_BIG_PAGE == 0x83 && X86_PTE_NX == 1ull << 63);
	CHECK(x86_pte_addr_insert(X86_PTE_P, 0xfee00fffull) == 0xfee00001ull);
	CHECK(x86_va_pml4_extract(0xffff800000000000ull) == 256 && x86_va_pdpt_extract(0xffffffff80000000ull) == 510);
	CHECK(UART16550_FCR_ON_CLEARED_14 == 0xc7 && UART16550_MCR_DTR_RTS_OUT2 == 0x0b);
	CHECK(UART16550_LCR_EIGHT_N_ONE == 0x03 && UART16550_LCR_DLAB == 0x80 && UART16550_LSR_THRE == 0x20);
	CHECK(UART16550_LSR_OFFSET == 5 && UART16550_LSR_RESET == 0x60);
	CHECK(E1000_RCTL_OFFSET == 0x100 && E1000_TDT_OFFSET == 0x3818 && E1000_RAH_OFFSET + 8 * 15 == 0x547c);
	CHECK(E1000_MTA_COUNT == 128 && E1000_GOTCH_OFFSET == 0x4094 && E1000_TPT_OFFSET == 0x40d4);
	CHECK(E1000_TIPG_COPPER == (10 | 8 << 10 | 6 << 20) && E1000_RCTL_BSIZE_MASK == 3u << 16);
	CHECK(sizeof(e1000_rxd_t) == 16 && sizeof(e1000_txd_t) == 16 && E1000_TXD_RS == 1u << 27);
	CHECK(PCI_CFG_BAR_OFFSET == 0x10 && PCI_CFG_BAR_COUNT == 6 && PCI_CFG_INTR_PIN_OFFSET == 0x3d);
	CHECK(pci_cfg_addr_bus_insert(PCI_CFG_ADDR_ENABLE, 1) == 0x80010000u);
"""
    write(tmp_path / "gen.h", "\n".join(hdrs) + "\n")
    src = write(tmp_path / "t.c", PROGRAM.replace("BODY", body))
    exe = str(tmp_path / "t")
    r = subprocess.run([CC, *CFLAGS, "-o", exe, src], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([exe], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def test_cli_writes_and_refuses(tmp_path, capsys):
    good = write(tmp_path / "g.dev", "layout a width 8 { x 0; }\n")
    out = str(tmp_path / "o" / "a.h")
    assert layout_main(["-o", out, good]) == 0
    text = open(out).read()
    assert "#define A_X LAYOUT_C(0x1)" in text and "MINNOW_LAYOUT_A_H" in text
    bad = write(tmp_path / "b.dev", "layout a width 8 {\n  x 8; }\n")
    assert layout_main(["-o", str(tmp_path / "b.h"), bad]) == 1
    assert capsys.readouterr().err.strip() == f"{bad}:2:3: field 'x' bit 8 is past the end of layout 'a' (8 bits)"
    assert not os.path.exists(tmp_path / "b.h")
    assert layout_main(["-o", str(tmp_path / "c.h"), str(tmp_path / "missing.dev")]) == 1
