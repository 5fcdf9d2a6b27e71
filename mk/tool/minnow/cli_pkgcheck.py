"""pkgcheck.py: explain a mistake make found in a package Makefile.

    pkgcheck.py --root SRC MAKEFILE unknown ROLE 'KNOWN VARS' VAR...
    pkgcheck.py --root SRC MAKEFILE missing FILE...

Prints ``MAKEFILE:LINE: message`` lines (the path from SRC) on stderr and
exits 1; make then stops.
"""

import argparse
import os
import sys

from .pkgcheck import missing_sources, unknown_variables


def main(argv=None):
    ap = argparse.ArgumentParser(prog="pkgcheck.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("makefile")
    ap.add_argument("what", choices=("unknown", "missing"))
    ap.add_argument("args", nargs="*")
    args = ap.parse_args(argv)
    makefile = os.path.abspath(args.makefile)
    shown = os.path.relpath(makefile, os.path.abspath(args.root))
    try:
        with open(makefile, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        print(f"{shown}: cannot read: {e}", file=sys.stderr)
        return 1
    if args.what == "unknown":
        role, known, names = args.args[0], args.args[1].split(), args.args[2:]
        messages = unknown_variables(shown, text, names, known, role)
    else:
        messages = missing_sources(shown, text, args.args, os.path.dirname(makefile))
    for m in messages:
        print(m, file=sys.stderr)
    return 1
