"""Layout compiler: the language (layouts, descriptors, devices, constants)
and refusing malformed descriptions with exact file:line:col messages."""

import pytest

from minnow.layout import LayoutError, compile_text


def ok(text):
    return compile_text(text, "t.dev")


def refused(text):
    with pytest.raises(LayoutError) as e:
        compile_text(text, "t.dev")
    return e.value.messages[0]


def test_layout_fields_and_masks():
    (lay,) = ok("layout pte \"entry\" width 64 { p 0; w 1 \"writable\"; addr 51:12 high; nx 63; }")
    assert (lay.name, lay.doc, lay.width, lay.words) == ("pte", "entry", 64, 1)
    f = {x.name: x for x in lay.fields}
    assert f["p"].mask() == 1 and f["w"].doc == "writable"
    assert f["addr"].mask() == 0x000ffffffffff000 and f["addr"].high
    assert f["nx"].mask() == 1 << 63


def test_split_field_and_constant():
    (lay,) = ok("""layout seg width 64 {
        limit 15:0 | 51:48; base 39:16 | 63:56;
        type 43:40 { code = 0xa; } s 44; dpl 46:45; p 47; l 53; g 55;
        const kcode { limit = 0xfffff; type = code; s = 1; p = 1; l = 1; g = 1; }
    }""")
    assert lay.fields[0].width == 20 and lay.fields[1].width == 32
    assert lay.consts[0].words == [0x00af9a000000ffff]


def test_descriptor_of_two_words():
    (lay,) = ok("layout d width 64 words 2 { base 39:16 | 63:56 | 95:64; p 47; "
                "const c { base = 0x123456789abcdef0; p = 1; } }")
    assert lay.consts[0].words == [0x9a00_80bc_def0_0000, 0x12345678]


def test_device_registers_arrays_and_defaults():
    (dev,) = ok("""device nic { space mem 0x100; width 32;
        register ctrl @ 0 rw reset 0x1 { en 0; speed 9:8 { fast = 2; } }
        register status @ 4 ro;
        register ral[4] @ 0x40 stride 8 rw;
        register cause @ 0x10 rc { a 0; b 1 ro; }
        register ack @ 0x14 w1c;
        register b @ 0x18 width 8 wo;
    }""")
    assert (dev.space, dev.size) == ("mem", 0x100)
    r = {x.name: x for x in dev.registers}
    assert r["ctrl"].width == 32 and r["ctrl"].reset == 1 and r["ctrl"].fields[0].access == "rw"
    assert (r["ral"].count, r["ral"].stride, r["ral"].is_array) == (4, 8, True)
    assert r["cause"].fields[1].access == "ro" and r["cause"].fields[0].access == "rc"
    assert r["b"].width == 8 and r["b"].stride == 1


def test_msr_space_numbers_registers():
    (dev,) = ok("device m { space msr 0x100000000; width 64; register efer @ 0xc0000080 rw { lme 8; } "
                "register star @ 0xc0000081 rw; }")
    assert [(r.offset, r.stride) for r in dev.registers] == [(0xc0000080, 1), (0xc0000081, 1)]


def test_comments_hex_and_optional_semicolons():
    items = ok("/* c */ layout a width 8 { x 0; } ; // x\n device d { space io 0x8; "
               "register r @ 0x7 width 8 rw; };")
    assert [i.name for i in items] == ["a", "d"]


REFUSED = [
    # (description, line, col, reason)
    ("layout a width 64 { x 3:0; y 5:3; }", 1, 28, "field 'y' overlaps field 'x' at bit 3"),
    ("layout a width 32 {\n x 32; }", 2, 2, "field 'x' bit 32 is past the end of layout 'a' (32 bits)"),
    ("layout a width 64 words 2 { x 70:60; }", 1, 29, "cross the boundary between words 0 and 1"),
    ("layout a width 64 { x 0; x 1; }", 1, 26, "duplicate field 'x' in layout 'a'"),
    ("layout a width 64 { x 0:3; }", 1, 23, "bit range 0:3 of field 'x' is backwards"),
    ("layout a width 24 { x 0; }", 1, 16, "word width 24 is not 8, 16, 32 or 64"),
    ("layout a width 64 { x 0 rw; }", 1, 25, "access 'rw' applies to register fields"),
    ("layout a width 64 { x 1:0 { v = 4; } }", 1, 29, "value v = 0x4 does not fit field 'x' of 2 bits"),
    ("layout a width 64 { x 1:0 { v = 1; v = 2; } }", 1, 36, "duplicate value 'v' in field 'x'"),
    ("layout a width 64 { x 0; const c { y = 1; } }", 1, 36, "sets 'y', which is not a field"),
    ("layout a width 64 { x 0; const c { x = 2; } }", 1, 36, "0x2 does not fit field 'x' of 1 bits"),
    ("layout a width 64 { x 1:0; const c { x = z; } }", 1, 38, "'z' is not a value of field 'x'"),
    ("layout a width 64 { x 0; const c { x = 1; x = 1; } }", 1, 43, "sets 'x' twice"),
    ("layout a width 64 { a 51:12 high; const c { a = 0x1001; } }", 1, 45, "is not a 'a' address"),
    ("layout a width 64 { x 0; }\nlayout a width 8 { y 0; }", 2, 1, "duplicate name 'a' (first at line 1)"),
    ("layout a width 64 { x 0 | 2 high; }", 1, 21, "is 'high' but has several parts"),
    ("layout a width 64 { }", 1, 1, "layout 'a' has no fields"),
    ("layout a width 64 { x 0; ", 1, 26, "expected '}' to close 'a', found end of file"),
    ("layout a width 64 { x 0x1g; }", 1, 23, "malformed number '0x1g'"),
    ("layout a width 64 { x 0 $; }", 1, 25, "unexpected character '$'"),
    ("layout a width 64 { x 0; } /* open", 1, 28, "unterminated comment"),
    ("layout a width 64 { x 99999999999999999999999; }", 1, 23, "does not fit in 64 bits"),
    ("widget a {}", 1, 1, "expected 'layout' or 'device', found 'widget'"),
    ("device d { width 8; register r @ 0 rw; }", 1, 1, "device 'd' has no 'space io|mem|config|msr SIZE;'"),
    ("device d { space io 8; space io 8; }", 1, 24, "declares its space twice"),
    ("device d { space rom 8; }", 1, 18, "unknown space 'rom'"),
    ("device d { space io 8; width 8;\n register r @ 8 rw; }", 2, 15,
     "register 'r' (bytes 0x8..0x8) lies outside the io space of device 'd' (0x8 bytes)"),
    ("device d { space mem 0x20; width 32; register r[8] @ 0x10 rw; }", 1, 54,
     "register 'r' (bytes 0x10..0x2f) lies outside the mem space"),
    ("device d { space io 8; width 8; register r @ 0 rx; }", 1, 48, "unknown access 'rx' for register 'r'"),
    ("device d { space io 8; width 8; register r @ 0 rw { f 0 rwx; } }", 1, 57, "unknown access 'rwx' for field 'f'"),
    ("device d { space io 8; width 8; register r @ 0; }", 1, 42, "register 'r' has no access"),
    ("device d { space io 8; register r @ 0 rw; }", 1, 33, "register 'r' has no width"),
    ("device d { space io 8; width 8; register r @ 0 rw; register r @ 1 ro; }", 1, 61,
     "duplicate register 'r' in device 'd' (first at line 1)"),
    ("device d { space mem 16; width 32; register r @ 2 rw; }", 1, 49, "not aligned to its 4 bytes"),
    ("device d { space mem 16; width 32; register r @ 0 rw reset 0x100000000; }", 1, 60,
     "reset value 0x100000000 of register 'r' does not fit in 32 bits"),
    ("device d { space mem 16; width 32; register r @ 0 rw reset 0x5 { a 0; } }", 1, 60,
     "reset value 0x5 of register 'r' sets bits 0x4 that belong to no field"),
    ("device d { space mem 16; width 32; register r @ 0 ro { a 0 rw; } }", 1, 60,
     "field 'a' is rw but register 'r' is ro"),
    ("device d { space mem 16; width 32; register r @ 0 wo { a 0 ro; } }", 1, 60,
     "field 'a' is ro but register 'r' is wo"),
    ("device d { space mem 16; width 32; register r @ 0 rw { a 32; } }", 1, 56,
     "field 'a' bit 32 is past the end of register 'r' (32 bits)"),
    ("device d { space mem 64; width 32; register r[0] @ 0 rw; }", 1, 47, "register array 'r' has no elements"),
    ("device d { space mem 64; width 32; register r[2] @ 0 stride 2 rw; }", 1, 61,
     "stride 2 is not a multiple of its 4 bytes"),
    ("device d { space mem 64; width 32; register r @ 0 stride 8 rw; }", 1, 58, "has a stride but is not an array"),
    ("device d { space io 64; register r @ 0 width 64 rw; }", 1, 34, "64 bits wide; port I/O is at most 32"),
    ("device m { space msr 0x100; register r @ 0x100 width 64 rw; }", 1, 42,
     "register 'r' (MSR 0x100) lies outside the msr space of device 'm' (0x100 registers)"),
    ("device m { space msr 0x100; register r[2] @ 0x10 stride 8 width 64 rw; }", 1, 57,
     "MSR arrays take consecutive indices"),
    ("device d { space io 8; width 12; }", 1, 30, "device width 12 is not 8, 16, 32 or 64"),
    ("device d { space io 0; }", 1, 21, "has an empty space"),
    ("device d { space io 8; width 8; register r @ 0 rw }", 1, 51, "expected ';' or '{' after the register"),
]


@pytest.mark.parametrize("text,line,col,reason", REFUSED)
def test_refused(text, line, col, reason):
    msg = refused(text)
    prefix = f"t.dev:{line}:{col}: "
    assert msg.startswith(prefix), msg
    assert reason in msg, msg


def test_enough_refusals():
    assert len(REFUSED) >= 20
