"""compile_commands.json for clangd, from the build's TARGET.o.cmd files.

Every compile rule of the framework (mk/Makeconf's ``compile``) leaves
beside its object a file of three lines: the directory the compiler ran
in, the source file, the command.  Joining them after each build keeps the
database exactly as current as the objects, with no second build.
"""

import json
import os
import shlex

from .fileutil import write_if_changed

OUT_NAME = "compile_commands.json"


def _entry(cmd_path):
    """The database entry of one .cmd file, or None if it is stale."""
    try:
        with open(cmd_path, encoding="utf-8") as f:
            directory, source, command = f.read().split("\n", 2)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    obj = cmd_path[:-len(".cmd")]
    if not (os.path.isfile(obj) and os.path.isfile(source)):
        return None                 # the source went away, or never compiled
    return {"directory": directory, "file": source,
            "arguments": shlex.split(command.strip()), "output": obj}


def collect(builddir):
    """Entries for every object under builddir, sorted by file.

    Another build directory inside this one (``make bench`` puts one in
    bench/) has its own database: its objects are left to it.
    """
    entries = []
    builddir = os.path.abspath(builddir)
    for dirpath, dirnames, filenames in os.walk(builddir):
        dirnames[:] = sorted(d for d in dirnames
                             if not os.path.isfile(os.path.join(dirpath, d, ".config")))
        for name in filenames:
            if name.endswith(".o.cmd"):
                entry = _entry(os.path.join(dirpath, name))
                if entry:
                    entries.append(entry)
    return sorted(entries, key=lambda e: (e["file"], e["output"]))


def write_database(builddir):
    """Write BUILDDIR/compile_commands.json; True if it changed.  An
    unchanged file is touched all the same: the build runs this only when
    a .cmd file is newer than it."""
    path = os.path.join(builddir, OUT_NAME)
    changed = write_if_changed(path, json.dumps(collect(builddir), indent=1) + "\n")
    if not changed:
        os.utime(path)
    return changed
