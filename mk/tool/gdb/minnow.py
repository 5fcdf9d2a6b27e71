"""gdb helpers for Minnow, loaded by the .gdbinit that `make qemu-gdb` writes.

Every program is linked at 0x400000, so an address alone does not say which
program runs: these commands read the kernel's own lists (all_tasks,
all_threads, cpu0.current; the kernel's symbols are loaded) and tell them
apart by name.

    minnow-tasks                 tasks: number, name, capabilities used, threads
    minnow-threads               threads: name, state, priority, task
    minnow-current               the thread and task on the CPU now
    minnow-caps TASK             TASK's capability slots (by name or number)
    minnow-load PROGRAM          PROGRAM's symbols (build/bin/PROGRAM), the others unloaded
    minnow-break PROGRAM WHERE   break at WHERE (a function or *address) only while
                                 PROGRAM's task is the one running
"""

import os
import struct

import gdb

BIN_DIR = None          # set by the .gdbinit: the build's bin/ directory
_loaded = {}            # program -> its ELF file, symbols loaded

STATES = {0: "inactive", 1: "ready", 2: "send", 3: "recv", 4: "reply", 5: "dead"}


def _list(head, link):
    """The structures of a kernel list, following the pointer field link."""
    p = gdb.parse_and_eval(head)
    while int(p):
        yield p
        p = p[link]


def _name(obj):
    return obj["name"].string(length=16).split("\0")[0]


def tasks():
    """Numbered from the oldest, as the kernel debugger numbers them (the
    list holds the newest first): 0 is the root task."""
    return list(_list("all_tasks", "all_next"))[::-1]


def _task(arg):
    """A task by number (as minnow-tasks lists them) or name."""
    ts = tasks()
    if arg.isdigit() and int(arg) < len(ts):
        return ts[int(arg)]
    for t in ts:
        if _name(t) == arg:
            return t
    raise gdb.GdbError(f"no task '{arg}' (minnow-tasks lists them)")


def current_task_name():
    """The name of the running thread's task ("" if none, e.g. idle, or
    while the kernel is not yet mapped at its link address)."""
    try:
        cur = gdb.parse_and_eval("cpu0.current")
        if not int(cur) or not int(cur["task"]):
            return ""
        return _name(cur["task"])
    except gdb.MemoryError:
        return ""


def elf_symbol(path, name):
    """The address of symbol name in the ELF file at path, or None.  gdb's
    linespecs cannot name an object file, and every program (and the kernel)
    has a _start or a main: the program's own symbol table decides."""
    with open(path, "rb") as f:
        elf = f.read()
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        return None
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3a)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for sh in sections:
        if sh[1] != 2:                          # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 24):
            st_name, _, _, _, st_value, _ = struct.unpack_from("<IBBHQQ", elf, off)
            start = strtab[4] + st_name
            if elf[start:elf.index(b"\0", start)].decode() == name and st_value:
                return st_value
    return None


class Tasks(gdb.Command):
    """List the kernel's tasks by name."""

    def __init__(self):
        super().__init__("minnow-tasks", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        for i, t in enumerate(tasks()):
            cs = t["cs"]
            used = sum(1 for s in range(int(cs["nslots"])) if int(cs["slots"][s]["obj"]))
            nthr = len(list(_list(f"((struct task *){int(t)})->threads", "task_next")))
            print(f"{i:3} {_name(t):15} caps {used}/{int(cs['nslots'])} threads {nthr}")


class Threads(gdb.Command):
    """List the kernel's threads: name, state, priority, task."""

    def __init__(self):
        super().__init__("minnow-threads", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        for i, t in enumerate(list(_list("all_threads", "all_next"))[::-1]):
            task = _name(t["task"]) if int(t["task"]) else "-"
            state = STATES.get(int(t["state"]), str(int(t["state"])))
            print(f"{i:3} {_name(t):15} {state:8} prio {int(t['prio']):3} task {task}")


class Current(gdb.Command):
    """Show the thread and task on the CPU."""

    def __init__(self):
        super().__init__("minnow-current", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        cur = gdb.parse_and_eval("cpu0.current")
        print(f"thread {_name(cur)} of task {current_task_name() or '-'}")


def _kind(n):
    """The name of kobj type n, from the kernel's enum kobj_type."""
    for f in gdb.lookup_type("enum kobj_type").fields():
        if f.enumval == n:
            return f.name.replace("KOBJ_", "").lower()
    return str(n)


class Caps(gdb.Command):
    """minnow-caps TASK: the capability slots of a task (name or number)."""

    def __init__(self):
        super().__init__("minnow-caps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        t = _task(arg.strip())
        cs = t["cs"]
        for s in range(int(cs["nslots"])):
            c = cs["slots"][s]
            if not int(c["obj"]):
                continue
            kind = _kind(int(c["obj"]["type"]))
            r = int(c["rights"])
            rights = "".join(ch if r & bit else "-" for ch, bit in
                             (("r", 1), ("w", 2), ("g", 4), ("c", 8)))
            print(f"[{s:4}] {kind:12} rights {rights} badge {int(c['badge']):#x}")


def load(program):
    """Load PROGRAM's symbols alone (they all sit at 0x400000)."""
    path = os.path.join(BIN_DIR, program)
    if not os.path.isfile(path):
        raise gdb.GdbError(f"no program {path}")
    for other, f in list(_loaded.items()):
        if other != program:
            gdb.execute(f"remove-symbol-file {f}", to_string=True)
            del _loaded[other]
    if program not in _loaded:
        gdb.execute(f"add-symbol-file {path}", to_string=True)
        _loaded[program] = path


class Load(gdb.Command):
    """minnow-load PROGRAM: load build/bin/PROGRAM's symbols (and unload others')."""

    def __init__(self):
        super().__init__("minnow-load", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        load(arg.strip())
        print(f"symbols of {arg.strip()} loaded")


class ProgramBreakpoint(gdb.Breakpoint):
    """A breakpoint that stops only in one program's task."""

    def __init__(self, where, task):
        super().__init__(where)
        self.wanted = task

    def stop(self):
        return current_task_name() == self.wanted


class Break(gdb.Command):
    """minnow-break PROGRAM WHERE [TASK]: break at WHERE in PROGRAM only.

    PROGRAM is the file in bin/; TASK is the task's name in the boot config
    (default: PROGRAM)."""

    def __init__(self):
        super().__init__("minnow-break", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        words = gdb.string_to_argv(arg)
        if len(words) not in (2, 3):
            raise gdb.GdbError("usage: minnow-break PROGRAM WHERE [TASK]")
        load(words[0])
        task = words[2] if len(words) == 3 else words[0]
        where = words[1]
        addr = elf_symbol(os.path.join(BIN_DIR, words[0]), where)
        if addr is not None:
            where = f"*{addr:#x}"
        bp = ProgramBreakpoint(where, task)
        print(f"breakpoint {bp.number} at {words[1]} in task '{task}' only")


for cmd in (Tasks, Threads, Current, Caps, Load, Break):
    cmd()
