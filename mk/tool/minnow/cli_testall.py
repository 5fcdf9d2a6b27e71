"""testall.py: run every test of the tree (``make test``).

    testall.py [--builddir O] [--srcdir SRC] [--kvm] [--make MAKE] [...]
               [--only PATTERN]... [--jobs N]

Without --jobs, as many run scripts boot at once as make's -jN allows
(read from $MAKEFLAGS), else one.
"""

import argparse
import os
import signal
import sys

from . import launch
from .cli_runtest import add_run_options, run_options
from .testall import make_jobs, run_all


def _stop(signum, frame):
    # Run scripts may boot in worker threads, where launch cannot install
    # handlers: every QEMU still running is killed here, by its pid.
    launch.kill_all()
    raise SystemExit(128 + signum)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="testall.py", description=__doc__.split("\n\n")[0])
    add_run_options(ap)
    ap.add_argument("--only", metavar="PATTERN", action="append", default=[],
                    help="run only the tests whose name matches (glob or substring; "
                    "make test T=...)")
    ap.add_argument("--jobs", type=int, metavar="N",
                    help="run scripts booted at once (default: make's -jN, else 1)")
    args = ap.parse_args(argv)
    patterns = [p for arg in args.only for p in arg.split()]
    jobs = args.jobs or make_jobs(os.environ.get("MAKEFLAGS"))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    return run_all(run_options(args), sys.stdout, patterns, jobs)
