"""testall.py: run every test of the tree (``make test``).

    testall.py [--builddir O] [--srcdir SRC] [--kvm] [--make MAKE] [...]
"""

import argparse
import sys

from .cli_runtest import add_run_options, run_options
from .testall import run_all


def main(argv=None):
    ap = argparse.ArgumentParser(prog="testall.py", description=__doc__.split("\n\n")[0])
    add_run_options(ap)
    args = ap.parse_args(argv)
    return run_all(run_options(args), sys.stdout)
