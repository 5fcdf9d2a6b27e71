#!/usr/bin/env python3
"""Command-line entry: the host-side TCP peer of run scripts
(see minnow/tcppeer.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minnow.tcppeer import main  # noqa: E402

sys.exit(main())
