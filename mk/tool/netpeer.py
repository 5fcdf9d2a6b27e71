#!/usr/bin/env python3
"""Command-line entry: the host-side network peer of run scripts
(see minnow/netpeer.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minnow.netpeer import main  # noqa: E402

sys.exit(main())
