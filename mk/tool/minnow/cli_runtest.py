"""runtest.py: build, boot and judge run scripts (*.test).

    runtest.py [--builddir O] [--srcdir SRC] [--kvm] [--make MAKE]
               [--search DIR]... [--iso-dir DIR] TEST...

Exit status: 0 pass, 1 mismatch, 2 timeout, 3 build failed, 4 triple fault
or kernel panic, 5 harness error; with several tests the first non-zero.
"""

import argparse
import os
import sys

from .runtest import RunOptions, run_tests

# This file is SRCDIR/mk/tool/minnow/cli_runtest.py.
DEFAULT_SRCDIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def add_run_options(ap):
    """Options shared by runtest.py and testall.py."""
    ap.add_argument("--srcdir", default=DEFAULT_SRCDIR,
                    help="source tree, where make runs (default: this checkout)")
    ap.add_argument("--builddir", help="build directory, make's O= (default: SRCDIR/build)")
    ap.add_argument("--kvm", action="store_true",
                    help="let QEMU use KVM (also with KVM=1 in the environment)")
    ap.add_argument("--make", default="make", help="make program (default: make)")
    ap.add_argument("--search", metavar="DIR", action="append",
                    help="where boot files are (default: BUILDDIR/bin, SRCDIR/conf)")
    ap.add_argument("--iso-dir", metavar="DIR",
                    help="where 'make iso' puts images (default: BUILDDIR/images)")


def run_options(args):
    srcdir = os.path.abspath(args.srcdir)
    builddir = os.path.abspath(args.builddir or os.path.join(srcdir, "build"))
    # make runs in SRCDIR, so a make given as a relative path must be absolutised.
    make = os.path.abspath(args.make) if os.sep in args.make else args.make
    return RunOptions(srcdir=srcdir, builddir=builddir, make=make,
                      kvm=args.kvm or os.environ.get("KVM") == "1",
                      search=args.search, iso_dir=args.iso_dir,
                      verbose=os.environ.get("V") == "1")


def _locate(path, srcdir):
    """A test path as given, or relative to the source tree."""
    if not os.path.exists(path) and os.path.exists(os.path.join(srcdir, path)):
        return os.path.join(srcdir, path)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="runtest.py", description=__doc__.split("\n\n")[0])
    add_run_options(ap)
    ap.add_argument("tests", nargs="+", metavar="TEST", help=".test files")
    args = ap.parse_args(argv)
    opts = run_options(args)
    return run_tests([_locate(t, opts.srcdir) for t in args.tests], opts, sys.stdout)
