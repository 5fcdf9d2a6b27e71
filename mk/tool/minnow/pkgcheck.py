"""Mistakes in a package Makefile, named by file and line.

make finds them cheaply (mk/pkgvars.mk: a variable no role file reads;
mk/rules.mk: a source that does not exist) and only then runs this, to say
where the variable is set and what was probably meant.
"""

import difflib
import os
import re

from .diag import at


def _assignment(name):
    return re.compile(r"^\s*(?:override\s+|export\s+)*(?:define\s+" + re.escape(name) +
                      r"\b|" + re.escape(name) + r"\s*(?:[?:+!]|::)?=)")


def find_line(text, name):
    """The line (1-based) where ``name`` is first set, or 1."""
    pattern = _assignment(name)
    for lineno, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return lineno
    return 1


def hint(word, choices):
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown_variables(path, text, names, known, role):
    """One message per variable in ``names`` that the role file does not read."""
    return [at(path, find_line(text, n),
               f"unknown variable '{n}'{hint(n, known)}; {role} reads only "
               + ", ".join(sorted(known)))
            for n in names]


def _source_line(text, source):
    """The line of the SRC_* assignment that names ``source``."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if re.match(r"^\s*SRC_\w+\s*(?:[?:+]|::)?=", line) and source in line.split():
            return lineno
    return 1


def missing_sources(path, text, sources, directory):
    """One message per file of SRC_C/SRC_S/SRC_IDL that is not in ``directory``."""
    try:
        present = [f for f in os.listdir(directory) if os.path.isfile(os.path.join(directory, f))]
    except OSError:
        present = []
    out = []
    for src in sources:
        same_kind = [f for f in present if os.path.splitext(f)[1] == os.path.splitext(src)[1]]
        out.append(at(path, _source_line(text, src),
                      f"source file '{src}' does not exist in {os.path.dirname(path) or '.'}/"
                      + hint(src, same_kind or present)))
    return out
