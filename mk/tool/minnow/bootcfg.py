"""Checking boot configs at build time, with the root task's own parser.

An entry whose root task is ``roottask CONFIG`` boots a system from the
module CONFIG.  The build runs the parser (servers/roottask/config.c, built
for the host as $(O)/host/cfgcheck) on it, so a mistake is reported before
anything boots, in the root task's words, with "did you mean" for options
and program names; and it checks that every program's module is a module
of the entry.  An entry marked ``unchecked`` (a config that is wrong on
purpose, to test the root task's refusals) is left alone.
"""

import difflib
import os
import re
import subprocess

from .diag import ToolError, at
from .fileutil import display_path
from .modlist import find_file

ROOTTASK = "roottask"


def config_item(entry):
    """The module ``entry``'s root task reads as its boot config, or None."""
    task = entry.roottask
    if task is None or task.basename != ROOTTASK or not task.args:
        return None
    return next((m for m in entry.modules if m.basename == task.args[0]), None)


def _hint(word, choices):
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# The parser's messages that a list of known words can improve.
_UNKNOWN = (
    (re.compile(r"unknown option '([^']*)'$"), "option"),
    (re.compile(r"caps: no program named '([^']*)'$"), "prog"),
    (re.compile(r"unknown directive '([^']*)' \(expected 'start'\)$"), None),
)


def _parse_output(text):
    facts = {"option": [], "prog": [], "error": None}
    for line in text.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "option":
            facts["option"].append(rest)
        elif kind == "prog":
            lineno, name, module = rest.split(" ", 2)
            facts["prog"].append((int(lineno), name, module))
        elif kind == "error":
            facts["error"] = rest
    return facts


def _improve(error, facts):
    for pattern, kind in _UNKNOWN:
        m = pattern.search(error)
        if m:
            choices = [p[1] for p in facts["prog"]] if kind == "prog" else \
                facts["option"] if kind == "option" else []
            return error + _hint(m.group(1), choices)
    return error


def check_entry(mlist, entry, search, tool, base=None):
    """Messages about ``entry``'s boot config; [] if it is fine, has none,
    is unchecked, or is missing (resolve() reports a missing file)."""
    item = config_item(entry)
    if item is None or entry.unchecked:
        return []
    path = item.path or find_file(item.name, search)
    if path is None:
        return []
    base = base or os.getcwd()
    shown = display_path(path, base)
    try:
        proc = subprocess.run([tool, path, shown], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace")
    except OSError as e:
        raise ToolError(f"{tool}: cannot run the boot-config checker: {e}") from None
    facts = _parse_output(proc.stdout)
    where = f"boot config of entry '{entry.name}', {display_path(mlist.path, base)}:{item.line}"
    if proc.returncode == 1 and facts["error"]:
        return [f"{_improve(facts['error'], facts)} [{where}]"]
    if proc.returncode != 0:
        return [f"{tool} {shown}: failed ({proc.stderr.strip() or proc.returncode}) [{where}]"]
    modules = [m.basename for m in entry.modules]
    return [at(shown, line, f"program '{name}': module '{module}' is not a module of "
               f"entry '{entry.name}'{_hint(module, modules)} [{where}]")
            for line, name, module in facts["prog"] if module not in modules]


def check_all(mlist, search, tool, base=None):
    """check_entry for every entry; ToolError with every message."""
    errors = [m for entry in mlist.entries.values()
              for m in check_entry(mlist, entry, search, tool, base)]
    if errors:
        raise ToolError(errors)
