"""layout.py: compile a register / memory-layout description into a C header.

    layout.py [-o OUT.h] [--rust OUT.rs] FILE.dev

Errors are printed as `FILE:LINE:COL: message`; exit status 1.
"""

import argparse

from .fileutil import compile_source, write_if_changed
from .layout import LayoutError, c_header, compile_text, rust_module


def main(argv=None):
    ap = argparse.ArgumentParser(prog="layout.py", description="Minnow layout compiler.")
    ap.add_argument("-o", "--output", metavar="OUT.h", help="the C header to write")
    ap.add_argument("--rust", metavar="OUT.rs", help="the Rust module to write")
    ap.add_argument("src", metavar="FILE.dev")
    args = ap.parse_args(argv)
    items = compile_source(args.src, compile_text, LayoutError)
    if items is None:
        return 1
    if args.output:
        write_if_changed(args.output, c_header(items, args.src, args.output))
    if args.rust:
        write_if_changed(args.rust, rust_module(items, args.src))
    return 0
