"""pkgdeps.py: compute the package build order from the Control files.

    pkgdeps.py --srcdir SRC --out FILE ROOT...    write a makefile fragment
    pkgdeps.py --srcdir SRC --order ROOT...       print the build order
"""

import argparse
import sys

from .control import load_packages
from .depgraph import build_graph, render_make
from .fileutil import write_if_changed


def main(argv=None):
    ap = argparse.ArgumentParser(prog="pkgdeps.py",
                                 description="Order Minnow packages by their Control files.")
    ap.add_argument("--srcdir", default=".", help="source tree (default: .)")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", metavar="FILE",
                      help="write the makefile fragment (only if it changed)")
    what.add_argument("--order", action="store_true",
                      help="print the package build order, one per line")
    ap.add_argument("roots", nargs="+", metavar="ROOT",
                    help="directories to search for packages, relative to SRC")
    args = ap.parse_args(argv)

    packages, errors = load_packages(args.srcdir, args.roots)
    graph, graph_errors = build_graph(packages)
    errors += graph_errors
    if errors:
        for e in errors:
            print(f"pkgdeps: error: {e}", file=sys.stderr)
        return 1
    if args.order:
        for d in graph.order:
            print(d)
    else:
        write_if_changed(args.out, render_make(graph))
    return 0
