#!/usr/bin/env python3
"""Run the IPC benchmark and print its table (make bench)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minnow.bench import main  # noqa: E402

sys.exit(main())
