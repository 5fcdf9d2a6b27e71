"""The Minnow layout compiler: register and memory-layout descriptions to a
C header (also usable from assembler) and a Rust module (gen_rs.py).  See doc/layout.md for the language.

    layout x86_pte "page-table entry" width 64 {
        p 0 "present";  w 1;  addr 51:12 high;  nx 63;
    }
    device uart16550 "PC16550D" {
        space io 8;  width 8;
        register lsr @ 5 ro reset 0x60 { dr 0; thre 5; temt 6; }
    }

parser.py (tokens via minnow/lexer.py, model.py objects) -> checker.py
(bits, overlaps, values, registers inside their space) -> gen_c.py.
Errors are LayoutError: `file:line:col: message`.
"""

import os
import re

from .checker import check
from .errors import LayoutError
from .parser import parse
from . import gen_c, gen_rs


def compile_text(text, path):
    """Parse and check; the list of layouts and devices.  Raises LayoutError."""
    return check(parse(text, path), path)


def guard_for(out_path):
    stem = os.path.basename(out_path) if out_path else "layout.h"
    return "MINNOW_LAYOUT_" + re.sub(r"[^A-Za-z0-9]", "_", stem).upper()


def c_header(items, path, out_path="layout.h"):
    return gen_c.generate(items, path, guard_for(out_path))


def rust_module(items, path):
    return gen_rs.generate(items, path)


__all__ = ["LayoutError", "compile_text", "c_header", "rust_module"]
