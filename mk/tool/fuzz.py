#!/usr/bin/env python3
"""Run a system call fuzzing campaign (make fuzz)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minnow.fuzz import main  # noqa: E402

sys.exit(main())
