#!/usr/bin/env python3
"""Command-line entry: make bench-net's peer, for run scripts (see
minnow/benchpeer.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minnow.benchpeer import main  # noqa: E402

sys.exit(main())
