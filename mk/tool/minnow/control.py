"""Finding packages and reading their Control files.

A package is a directory holding a file named ``Control``.  Package
discovery descends from the given roots but never below a package
directory.  A Control file consists of ``field: value`` lines; blank lines
and lines starting with ``#`` are ignored.  ``provides``, ``requires`` and
``optional`` take names separated by whitespace or commas and may be
repeated (the lists accumulate).  A package without ``provides`` provides
nothing, so nothing can depend on it.
"""

import difflib
import os
import re
from dataclasses import dataclass, field

from .diag import at

KNOWN_FIELDS = ("provides", "requires", "optional", "description", "maintainer")
LIST_FIELDS = ("provides", "requires", "optional")

# Names end up in make variable names, so keep them free of make syntax.
_NAME_RE = re.compile(r"[A-Za-z0-9_.+-]+")
_FIELD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass
class Name:
    """A name from a list field, with the Control line it came from."""
    name: str
    line: int


@dataclass
class Package:
    dir: str                      # relative to the source dir, '/'-separated
    provides: list = field(default_factory=list)   # of Name
    requires: list = field(default_factory=list)
    optional: list = field(default_factory=list)
    description: str = ""
    maintainer: str = ""

    @property
    def control(self):
        return f"{self.dir}/Control" if self.dir not in ("", ".") else "Control"


def _unknown_field_message(key):
    close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (f"unknown field '{key}'{hint}; known fields: "
            + ", ".join(KNOWN_FIELDS))


def parse_control(text, pkgdir):
    """Parse a Control file's text.  Returns (Package, list of errors)."""
    pkg = Package(pkgdir)
    errors = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or not _FIELD_RE.fullmatch(key):
            errors.append(at(pkg.control, lineno,
                             f"expected 'field: value', got '{line}'"))
            continue
        key = key.lower()
        value = value.strip()
        if key not in KNOWN_FIELDS:
            errors.append(at(pkg.control, lineno, _unknown_field_message(key)))
        elif key in LIST_FIELDS:
            for word in re.split(r"[\s,]+", value):
                if not word:
                    continue
                if _NAME_RE.fullmatch(word):
                    getattr(pkg, key).append(Name(word, lineno))
                else:
                    errors.append(at(pkg.control, lineno,
                                     f"invalid name '{word}' in '{key}'"))
        else:
            # Repeated free-text fields are joined.
            old = getattr(pkg, key)
            setattr(pkg, key, f"{old} {value}".strip())
    return pkg, errors


def _join(rel, name):
    return name if rel in ("", ".") else f"{rel}/{name}"


def _walk(srcdir, rel, found, errors):
    full = os.path.join(srcdir, rel)
    control = os.path.join(full, "Control")
    if os.path.isdir(control) and not os.path.islink(control):
        # find -name Control sees it, a package walk would pass it by.
        errors.append(f"{_join(rel, 'Control')}: a directory named Control; a package's "
                      "Control is a file (rename the directory)")
    elif os.path.isfile(control):
        if any(c.isspace() for c in rel):
            errors.append(f"{_join(rel, 'Control')}: white space in a package's path "
                          f"('{rel}'): make splits words there; rename the directory")
        found.append(rel)
        return                                   # no packages inside packages
    for name in sorted(os.listdir(full)):
        sub = os.path.join(full, name)
        if name.startswith(".") or os.path.islink(sub) or not os.path.isdir(sub):
            continue
        if name == "Control":
            continue                             # refused above
        _walk(srcdir, _join(rel, name), found, errors)


def find_package_dirs(srcdir, roots):
    """Package directories below ``roots`` (relative to ``srcdir``).

    Returns (dirs, errors); each directory is listed once, in walk order.
    A directory named Control and a package path with white space are
    errors (the top Makefile's word lists could not carry them).
    """
    found, errors = [], []
    for root in roots:
        rel = os.path.normpath(root).replace(os.sep, "/")
        if not os.path.isdir(os.path.join(srcdir, rel)):
            errors.append(f"root '{root}' is not a directory in {srcdir}")
            continue
        _walk(srcdir, rel, found, errors)
    return list(dict.fromkeys(found)), errors


def load_packages(srcdir, roots):
    """Find and parse all packages.  Returns (packages, errors)."""
    dirs, errors = find_package_dirs(srcdir, roots)
    packages = []
    for pkgdir in dirs:
        path = os.path.join(srcdir, pkgdir, "Control")
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            errors.append(f"{_join(pkgdir, 'Control')}: cannot read: {e}")
            continue
        pkg, errs = parse_control(text, pkgdir)
        packages.append(pkg)
        errors.extend(errs)
    return packages, errors
