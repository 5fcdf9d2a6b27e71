"""Shared test setup: make the minnow package importable, small helpers."""

import os
import stat
import sys

TOOL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOOL_DIR)


def write(path, text, mode=None):
    """Create ``path`` (and its parents) holding ``text``; return it as str."""
    path = str(path)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)
    return path


def write_script(path, body):
    """An executable /bin/sh script."""
    return write(path, "#!/bin/sh\n" + body, stat.S_IRWXU)
