"""The book (doc/book/) and the lab hand-outs (doc/labs/) name only what
exists: every path, `<header.h>`, `function()` and `make target` in code
quotes, and every link and picture."""
import functools
import glob
import os
import re

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DOCS = sorted(glob.glob(os.path.join(SRC, "doc", "book", "*.md")) +
              glob.glob(os.path.join(SRC, "doc", "labs", "*.md")))
SOURCE_EXT = (".c", ".h", ".S", ".py", ".mk", ".idl", ".dev")
TOP = ("kernel", "libl4", "servers", "pkg", "mk", "conf", "doc")

_SPAN = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_PATH = re.compile(r"^[\w.\-/]+$")
_HEADER = re.compile(r"^<([\w/.-]+\.h)>$")
_FUNC = re.compile(r"^([A-Za-z_]\w*)\(\)$")
_MAKE = re.compile(r"^make ([a-z][\w-]*)\b")


@functools.lru_cache(maxsize=None)
def sources(root):
    out = {}
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".") and x not in ("build", "images")]
        for f in files:
            if f.endswith(SOURCE_EXT):
                with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
                    out[os.path.relpath(os.path.join(d, f), root)] = fh.read()
    return out


def defined(root, name):
    """Whether name is defined as a function (C, assembler label, Python,
    or an IDL stub or dispatcher the build generates)."""
    if name in idl_functions(root):
        return True
    pats = [re.compile(rf"^[A-Za-z_][^;=\n]*\b{name}\s*\(", re.M),
            re.compile(rf"^{name}:", re.M),
            re.compile(rf"^\s*def {name}\(", re.M),
            re.compile(rf"^#define {name}\(", re.M)]
    return any(p.search(text) for text in sources(root).values() for p in pats)


@functools.lru_cache(maxsize=None)
def idl_functions(root):
    """IFACE_OP (client stubs) and IFACE_dispatch of every .idl file."""
    out = set()
    for rel, text in sources(root).items():
        if rel.endswith(".idl"):
            for iface, body in re.findall(r"interface\s+(\w+)[^{]*\{(.*?)\};", text, re.S):
                out.add(f"{iface}_dispatch")
                out |= {f"{iface}_{op}" for op in re.findall(r"\brpc\s+(\w+)\s*\(", body)}
    return out


def make_targets(root):
    with open(os.path.join(root, "Makefile"), encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r"^([a-z][\w-]*)\s*:", text, re.M))


def header_exists(root, name):
    """In an include/ directory, or generated from a layout description."""
    dev = os.path.splitext(os.path.basename(name))[0] + ".dev"
    return any(rel.endswith(os.path.join("include", name)) or os.path.basename(rel) == dev
               for rel in sources(root))


def problems(root, md_path, text):
    """What md_path (text) names that the tree at root does not have."""
    out, here = [], os.path.dirname(md_path)
    targets = make_targets(root)
    for no, line in enumerate(text.splitlines(), 1):
        where = f"{os.path.relpath(md_path, root)}:{no}"
        for span in _SPAN.findall(line):
            span = span.strip()
            m = _MAKE.match(span)
            if m:
                if m.group(1) not in targets:
                    out.append(f"{where}: no make target '{m.group(1)}'")
                continue
            m = _FUNC.match(span)
            if m:
                if not defined(root, m.group(1)):
                    out.append(f"{where}: no function {m.group(1)}() in the tree")
                continue
            m = _HEADER.match(span)
            if m:
                if not header_exists(root, m.group(1)):
                    out.append(f"{where}: no header <{m.group(1)}>")
                continue
            first = span.split("/")[0]
            if "/" in span and _PATH.match(span) and \
               (first in TOP or os.path.isdir(os.path.join(here, first))):
                if not (os.path.exists(os.path.join(root, span)) or
                        os.path.exists(os.path.join(here, span))):
                    out.append(f"{where}: no file or directory {span}")
        for link in _LINK.findall(line):
            if re.match(r"^[a-z]+:", link):
                continue
            target = link.split("#")[0]
            if target and not os.path.exists(os.path.join(here, target)):
                out.append(f"{where}: link to missing {target}")
    return out


def test_the_book_has_its_chapters():
    names = {os.path.basename(p) for p in DOCS}
    for ch in ("01-boot.md", "02-memory.md", "03-capabilities.md", "04-ipc.md",
               "05-threads.md", "06-interrupts.md", "07-pagers.md", "08-roottask.md",
               "09-build.md", "10-interfaces.md", "11-drivers.md", "12-network.md",
               "13-restart.md", "debugging.md"):
        assert ch in names, ch


def test_every_name_the_book_uses_exists():
    found = []
    for path in DOCS:
        with open(path, encoding="utf-8") as f:
            found += problems(SRC, path, f.read())
    assert not found, "\n".join(found)


def test_every_chapter_ends_with_exercises():
    """All thirteen chapters are written: none is an outline any more."""
    for path in glob.glob(os.path.join(SRC, "doc", "book", "[0-9]*.md")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert "## Exercises" in text, f"{path}: no exercises"
        assert "(outline)" not in text.splitlines()[0], f"{path}: still an outline"


def test_the_checker_finds_what_is_missing(tmp_path):
    md = os.path.join(SRC, "doc", "book", "x.md")
    text = ("`kernel/nosuch.c` `kmain()` `no_such_fn()` `make qemu E=x` `make nosuch`\n"
            "`<l4/sys/ipc.h>` `<l4/nosuch.h>` [a](nosuch.md) [b](01-boot.md) `build/x/y`\n")
    got = problems(SRC, md, text)
    assert got == ["doc/book/x.md:1: no file or directory kernel/nosuch.c",
                   "doc/book/x.md:1: no function no_such_fn() in the tree",
                   "doc/book/x.md:1: no make target 'nosuch'",
                   "doc/book/x.md:2: no header <l4/nosuch.h>",
                   "doc/book/x.md:2: link to missing nosuch.md"]
