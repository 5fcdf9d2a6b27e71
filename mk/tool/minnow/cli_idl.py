"""idl.py: compile an interface definition into C client and server headers.

    idl.py [--client OUT.h] [--server OUT.h] [--rust OUT.rs] FILE.idl

Errors are printed as `FILE:LINE:COL: message`; exit status 1.
"""

import argparse

from .fileutil import compile_source, write_if_changed
from .idl import IdlError, client_header, compile_text, rust_module, server_header


def main(argv=None):
    ap = argparse.ArgumentParser(prog="idl.py", description="Minnow IDL stub compiler.")
    ap.add_argument("--client", metavar="OUT.h", help="write the client header here")
    ap.add_argument("--server", metavar="OUT.h", help="write the server header here")
    ap.add_argument("--rust", metavar="OUT.rs", help="write the Rust module here")
    ap.add_argument("idl", metavar="FILE.idl")
    args = ap.parse_args(argv)
    ifaces = compile_source(args.idl, compile_text, IdlError)
    if ifaces is None:
        return 1
    if args.client:
        write_if_changed(args.client, client_header(ifaces, args.idl, args.client))
    if args.server:
        write_if_changed(args.server, server_header(ifaces, args.idl, args.server))
    if args.rust:
        write_if_changed(args.rust, rust_module(ifaces, args.idl))
    return 0
