"""compiledb.py: write BUILDDIR/compile_commands.json (clangd's database).

    compiledb.py BUILDDIR
"""

import argparse
import sys

from .compiledb import OUT_NAME, write_database


def main(argv=None):
    ap = argparse.ArgumentParser(prog="compiledb.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("builddir")
    args = ap.parse_args(argv)
    try:
        if write_database(args.builddir):
            print(f"  {'GEN':<7} {OUT_NAME}")
    except OSError as e:
        print(f"compiledb: {e}", file=sys.stderr)
        return 1
    return 0
