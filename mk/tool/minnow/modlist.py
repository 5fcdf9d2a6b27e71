"""Parsing conf/modules.list and finding the files an entry boots.

    # comment
    default hello            optional; otherwise the first entry
    entry hello
    kernel minnow [args...]
    roottask hello [args...]
    module some.cfg [args...]   zero or more
    unchecked                its boot config is wrong on purpose (a test of
                             the root task's own refusals): the build does
                             not check it (bootcfg.py)

Indentation is ignored; words may be double-quoted (see words.split_words).
"""

import difflib
import os
import re
from dataclasses import dataclass, field

from .diag import ToolError, at
from .words import multiboot_cmdline, split_words

DIRECTIVES = ("default", "entry", "kernel", "roottask", "module", "unchecked")

# An entry's name becomes part of file names (images/NAME.iso, test logs):
# letters, digits, '.', '_' and '-', not starting with '.' or '-'.
ENTRY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*\Z")
# The kernel takes the root task and at most this many modules more
# (L4_BOOTINFO_MAX_MODULES in <l4/sys/abi.h>: 32 in all).
MAX_BOOT_MODULES = 32
# The kernel keeps each command line (the loader's "FILE ARGS...") in 256
# bytes with the terminating zero (struct l4_bootinfo: cmdline[256],
# kernel_cmdline[256], mod[].cmdline[256]); a longer one would be cut.
MAX_CMDLINE = 255


def cmdline_error(entry, item, text):
    """The message for a command line the kernel would cut, or None."""
    if len(text) <= MAX_CMDLINE:
        return None
    return (f"entry '{entry}': the {item.kind} command line is {len(text)} characters "
            f"('{text[:40]}...'); the kernel keeps at most {MAX_CMDLINE} "
            "(struct l4_bootinfo): shorten its arguments or the path")


def loader_cmdline(item, path):
    """What the boot loader hands the kernel for item: the file, then its
    arguments (QEMU's -kernel takes the 32-bit copy, FILE.elf32)."""
    f = path + ".elf32" if item.kind == "kernel" else path
    return f"{f} {multiboot_cmdline(item.args)}" if item.args else f


@dataclass
class Item:
    """One kernel/roottask/module line."""
    kind: str
    name: str
    args: list
    line: int
    path: str = None        # set by resolve()

    @property
    def basename(self):
        return os.path.basename(self.name)


@dataclass
class Entry:
    name: str
    line: int
    kernel: Item = None
    roottask: Item = None
    modules: list = field(default_factory=list)
    unchecked: bool = False

    def boot_modules(self):
        """The multiboot modules in load order: roottask first."""
        return [self.roottask] + self.modules

    def items(self):
        return [self.kernel] + self.boot_modules()


@dataclass
class ModulesList:
    path: str
    entries: dict            # name -> Entry, in file order
    default: str

    def select(self, name=None):
        """The entry called ``name``, or the default one if name is empty."""
        name = name or self.default
        if name not in self.entries:
            raise ToolError(f"{self.path}: no entry '{name}' (entries: "
                            + ", ".join(self.entries) + ")")
        return self.entries[name]


class _Parser:
    def __init__(self, path):
        self.path = path
        self.errors = []          # (line, message)
        self.entries = {}
        self.entry = None         # entry the following lines belong to
        self.default = None       # (name, line)

    def error(self, line, message):
        self.errors.append((line, message))

    def line(self, lineno, words):
        directive, args = words[0], words[1:]
        if directive == "default":
            self.set_default(lineno, args)
        elif directive == "entry":
            self.start_entry(lineno, args)
        elif directive in ("kernel", "roottask", "module"):
            self.add_item(lineno, directive, args)
        elif directive == "unchecked":
            if self.entry is None or args:
                self.error(lineno, "'unchecked' takes no argument and belongs to an entry")
            else:
                self.entry.unchecked = True
        else:
            self.error(lineno, f"unknown directive '{directive}' (known: "
                       + ", ".join(DIRECTIVES) + ")")

    def set_default(self, lineno, args):
        if len(args) != 1:
            self.error(lineno, "'default' takes exactly one entry name")
        elif self.default:
            self.error(lineno, f"second 'default' (the first is at line {self.default[1]})")
        else:
            self.default = (args[0], lineno)

    def start_entry(self, lineno, args):
        # Lines after a broken 'entry' go to a throw-away Entry so that they
        # do not cause follow-up "outside an entry" errors.
        self.entry = Entry(args[0] if args else "?", lineno)
        if len(args) != 1:
            self.error(lineno, "'entry' takes exactly one name")
        elif not ENTRY_NAME.match(args[0]):
            self.error(lineno, f"entry name '{args[0]}': use letters, digits, '.', '_' and "
                       "'-' (it names files such as images/NAME.iso)")
        elif args[0] in self.entries:
            first = self.entries[args[0]].line
            self.error(lineno, f"duplicate entry '{args[0]}' (first defined at line {first})")
        else:
            self.entries[args[0]] = self.entry

    def add_item(self, lineno, kind, args):
        if self.entry is None:
            self.error(lineno, f"'{kind}' outside an entry (put an 'entry NAME' line first)")
        elif not args:
            self.error(lineno, f"'{kind}' needs a file name")
        elif kind == "module":
            self.entry.modules.append(Item(kind, args[0], args[1:], lineno))
        elif getattr(self.entry, kind) is not None:
            first = getattr(self.entry, kind).line
            self.error(lineno, f"entry '{self.entry.name}' has a second '{kind}' "
                       f"(the first is at line {first})")
        else:
            setattr(self.entry, kind, Item(kind, args[0], args[1:], lineno))

    def finish(self):
        for e in self.entries.values():
            for kind in ("kernel", "roottask"):
                if getattr(e, kind) is None:
                    self.error(e.line, f"entry '{e.name}' has no '{kind}' line")
            for item in e.items():
                msg = item and cmdline_error(e.name, item, loader_cmdline(item, item.name))
                if msg:
                    self.error(item.line, msg)
            if 1 + len(e.modules) > MAX_BOOT_MODULES:
                self.error(e.modules[MAX_BOOT_MODULES - 1].line,
                           f"entry '{e.name}' has {1 + len(e.modules)} boot modules (the root "
                           f"task and {len(e.modules)} more); the kernel takes at most "
                           f"{MAX_BOOT_MODULES} (L4_BOOTINFO_MAX_MODULES)")
        if self.default and self.default[0] not in self.entries:
            self.error(self.default[1], f"default entry '{self.default[0]}' is not defined")
        if self.errors:
            self.errors.sort(key=lambda err: err[0])
            raise ToolError([at(self.path, ln, msg) for ln, msg in self.errors])
        if not self.entries:
            raise ToolError(f"{self.path}: no entries defined")
        default = self.default[0] if self.default else next(iter(self.entries))
        return ModulesList(self.path, self.entries, default)


def parse_modules_list(text, path):
    """Parse modules.list text; raises ToolError listing every error."""
    parser = _Parser(path)
    for lineno, raw in enumerate(text.splitlines(), 1):
        try:
            words = split_words(raw)
        except ValueError as e:
            parser.error(lineno, str(e))
            continue
        if words:
            parser.line(lineno, words)
    return parser.finish()


def load_modules_list(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ToolError(f"{path}: cannot read: {e}") from None
    return parse_modules_list(text, path)


def find_file(name, search):
    """First existing file ``name`` in the search dirs (absolute: as is)."""
    if os.path.isabs(name):
        return name if os.path.isfile(name) else None
    for d in search:
        candidate = os.path.join(d, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def unique_dirs(search):
    """The search directories in order, each once (conf/ and conf are one)."""
    out = []
    for d in search:
        if os.path.normpath(d) not in map(os.path.normpath, out):
            out.append(d)
    return out


def _near(name, search):
    """A file in the search directories whose name is close to ``name``."""
    names = set()
    for d in search:
        try:
            names.update(f for f in os.listdir(d) if os.path.isfile(os.path.join(d, f)))
        except OSError:
            pass
    close = difflib.get_close_matches(os.path.basename(name), sorted(names), n=1, cutoff=0.7)
    return f"did you mean '{close[0]}'? " if close else ""


def resolve(mlist, entry, search):
    """Set the ``path`` of every file of ``entry``; ToolError if missing.

    The directories searched are listed once, with the first missing file.
    """
    search = unique_dirs(search)
    errors, listed = [], False
    for item in entry.items():
        item.path = find_file(item.name, search)
        if item.path is None:
            if os.path.isabs(item.name):
                where = "absolute path"
            else:
                where = _near(item.name, search)
                if not listed:
                    where += "searched: " + (", ".join(search) or "nothing")
                    listed = True
            where = f" ({where.strip()})" if where.strip() else ""
            errors.append(at(mlist.path, item.line,
                             f"entry '{entry.name}': {item.kind} '{item.name}' not found{where}"))
            continue
        # With the path the loader will be given (QEMU's -kernel, -initrd).
        msg = cmdline_error(entry.name, item, loader_cmdline(item, item.path))
        if msg:
            errors.append(at(mlist.path, item.line, msg))
    if errors:
        raise ToolError(errors)
