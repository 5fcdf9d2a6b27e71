"""A fuzz loop for the Python parsers that take outside input: the IDL
compiler and the layout compiler.  Each mutates the tree's own sources
(byte flips, deletions, duplications, splices, random tokens) from a fixed
seed; every mutant must compile or be refused with the tool's own error
(IdlError/LayoutError, which name file, line and column) - never another
exception - and what compiles must also generate C without one.  A short run
here; a long one by hand: MINNOW_FUZZ_N=200000 python3 -m pytest -q
mk/tool/test/test_fuzz_parsers.py."""

import os
import random

import pytest

from minnow.idl import IdlError, client_header, server_header
from minnow.idl import compile_text as idl_compile
from minnow.layout import LayoutError, c_header
from minnow.layout import compile_text as layout_compile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
N = int(os.environ.get("MINNOW_FUZZ_N", "3000"))

IDL_FILES = ["libl4/lib/parent.idl", "servers/names/lib/names.idl", "pkg/greeter/lib/greeter.idl",
             "pkg/idltest/lib/types.idl", "pkg/ringtest/ringtest.idl"]
DEV_FILES = ["libl4/lib/abi_layout.dev", "kernel/arch/x86_64/layout/x86_seg.dev",
             "kernel/arch/x86_64/layout/x86_ctl.dev", "kernel/arch/x86_64/layout/x86_paging.dev",
             "pkg/devregs/e1000.dev", "pkg/devregs/uart16550.dev", "pkg/devregs/pci.dev"]
TOKENS = ["{", "}", "(", ")", ";", ":", ",", "=", "[", "]", "..", "0x", "-1", "99999999999999999999",
          "in", "out", "inout", "mem", "cap", "u64", "u8", "string", "rpc", "interface", "layout",
          "register", "field", "bits", "@", "#", "\n", "\t", " ", "\"", "\\", "\x00", "é", "a" * 300]


def mutate(rng, text, others):
    s = list(text)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        if not s:
            s = list(rng.choice(TOKENS))
            continue
        i = rng.randrange(len(s))
        if op == 0:
            s[i] = chr(rng.randrange(1, 128))
        elif op == 1:
            del s[i:i + rng.randint(1, 20)]
        elif op == 2:
            j = rng.randrange(len(s))
            s[i:i] = s[j:j + rng.randint(1, 40)]
        elif op == 3:
            s[i:i] = list(rng.choice(TOKENS))
        elif op == 4:
            o = rng.choice(others)
            j = rng.randrange(len(o) or 1)
            s[i:i] = list(o[j:j + rng.randint(1, 80)])
        else:
            s = s[:i]
    return "".join(s)


def run(files, compile_text, error, generate, seed):
    texts = [open(os.path.join(ROOT, f), encoding="utf-8").read() for f in files]
    rng = random.Random(seed)
    accepted = refused = 0
    for n in range(N):
        text = mutate(rng, rng.choice(texts), texts)
        try:
            items = compile_text(text, "fuzz.in")
        except error as e:
            assert "fuzz.in:" in str(e), f"mutant {n}: an error without file:line: {e}"
            refused += 1
            continue
        except Exception as e:      # noqa: BLE001 - what this test is for
            pytest.fail(f"mutant {n} (seed {seed}) raised {type(e).__name__}: {e}\n---\n{text}")
        try:
            generate(items)
        except Exception as e:      # noqa: BLE001
            pytest.fail(f"mutant {n} (seed {seed}) compiled but its C failed: "
                        f"{type(e).__name__}: {e}\n---\n{text}")
        accepted += 1
    assert refused > N // 10 and accepted > 0, (accepted, refused)


def test_idl_fuzz():
    run(IDL_FILES, idl_compile, IdlError,
        lambda items: (client_header(items, "fuzz.in"), server_header(items, "fuzz.in")), 1)


def test_layout_fuzz():
    run(DEV_FILES, layout_compile, LayoutError, lambda items: c_header(items, "fuzz.in"), 2)
