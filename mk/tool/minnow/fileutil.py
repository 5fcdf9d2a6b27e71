"""Small file helpers."""

import os
import sys


def write_if_changed(path, content):
    """Write ``content`` to ``path`` unless the file already holds exactly it.

    Leaving an unchanged file alone keeps its timestamp, so make does not
    rebuild everything that depends on it.  The write goes through a
    temporary file and a rename so that readers never see half a file.
    Returns True when the file was (re)written.
    """
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == content:
                return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(tmp, path)
    return True


def read_text(path):
    """Read a (log) file as text, tolerating bytes that are not UTF-8."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def split_lines(text):
    """Split serial/console output into lines, dropping CRs of CRLF pairs."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def display_path(path, base):
    """``path`` relative to ``base`` if it lies inside it, else unchanged."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return path
    return rel


def compile_source(path, compile_text, error_class):
    """Read ``path`` and compile it with ``compile_text(text, path)``: the
    result, or None after printing the read error or the first compile
    error (``FILE:LINE:COL: message``) on stderr.  The IDL and layout
    compilers' command lines share it."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"{path}: {e.strerror}", file=sys.stderr)
        return None
    try:
        return compile_text(text, path)
    except error_class as e:
        print(e.messages[0], file=sys.stderr)
        return None
