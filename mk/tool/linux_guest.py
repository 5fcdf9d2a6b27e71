#!/usr/bin/python3
"""Entry point; the implementation is minnow/linuxguest.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from minnow.linuxguest import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
