"""The Rust back ends: every construct of the IDL and every layout
description in the tree compile warning-free (-D warnings) with Debian's
rustc against the l4 crate (pkg/rust-l4, built --cfg l4_host), IDL names
that are Rust keywords become raw identifiers, and generated field
functions compute what the C header's do."""

import os
import shutil
import subprocess

import pytest

from conftest import write
from minnow.idl import compile_text, rust_module
from minnow.layout import compile_text as layout_compile, rust_module as layout_rust

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
RUSTC = "/usr/bin/rustc" if os.path.exists("/usr/bin/rustc") else shutil.which("rustc")
FLAGS = ["--edition", "2021", "-D", "warnings", "--check-cfg", "cfg(test, l4_host)"]
needs_rustc = pytest.mark.skipif(RUSTC is None, reason="rustc missing (mk/install-deps.sh)")

EVERYTHING = """\
interface all "every construct" {
    rpc scalars(in int8 a, in int16 b, in int32 c, in int64 d, in uint8 e, in uint16 f,
                in uint32 g, in uint64 h, in int i, in uint j, in bool k,
                out int8 oa, out uint64 oh, out bool ok);
    rpc arrays(in bool f[3], in int64 w[2], out uint8 b[9], out bool of[1]);
    rpc text(in string s, in string<1> one, out string<40> r, out bytes<8> raw);
    rpc caps(in cap a, in int x, in cap b, out cap c, out uint32 y);
    rpc shm(in mem m, in cap c, in uint64 n, out mem back, out cap d);
    rpc nothing();
    rpc keywords(in uint32 type, in string<4> fn, out bool match);
    message note(in bytes<16> b, in cap c, in uint8 v[3]);
    message ping();
};
interface other { };
"""


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(scope="module")
def l4_rlib(tmp_path_factory):
    """The l4 crate for the host, with its generated ABI module."""
    d = tmp_path_factory.mktemp("l4")
    abi = d / "gen" / "layout" / "l4" / "sys" / "abi_layout.rs"
    abi.parent.mkdir(parents=True)
    with open(f"{SRC}/libl4/lib/abi_layout.dev") as f:
        abi.write_text(layout_rust(layout_compile(f.read(), "abi_layout.dev"), "abi_layout.dev"))
    env = dict(os.environ, MINNOW_GEN_libl4=str(d / "gen"))
    env.pop("MAKEFLAGS", None)
    run([RUSTC, *FLAGS, "--cfg", "l4_host", "--crate-type", "rlib", "--crate-name", "l4",
         "-o", str(d / "libl4.rlib"), f"{SRC}/pkg/rust-l4/lib.rs"], env)
    return d / "libl4.rlib"


@needs_rustc
def test_every_idl_construct_compiles(tmp_path, l4_rlib):
    mod = rust_module(compile_text(EVERYTHING, "all.idl"), "all.idl")
    assert "r#type: u32" in mod and "r#fn: &str" in mod
    write(tmp_path / "all.rs", mod)
    main = write(tmp_path / "main.rs", 'include!("all.rs");\n'
                 "struct S;\nimpl all::Server for S {}\nimpl other::Server for S {}\n"
                 "fn main() {\n"
                 "    let mut u = l4::Utcb::host();\n"
                 "    let d = all::dispatch(&mut S, &mut u, l4::Tag::new(all::PING_LABEL, 0, 0), 0);\n"
                 "    assert_eq!(d.reply, l4::Tag(0));\n"
                 "    let d = other::dispatch(&mut S, &mut u, l4::Tag::new(all::PING_LABEL, 0, 0), 0);\n"
                 "    assert_eq!(d.status, Err(l4::L4Error::NOSYS));\n"
                 "    println!(\"ok\");\n}\n")
    run([RUSTC, *FLAGS, "--extern", f"l4={l4_rlib}", "-o", str(tmp_path / "m"), str(main)])
    assert run([str(tmp_path / "m")]) == "ok\n"


@needs_rustc
def test_every_layout_in_the_tree_compiles(tmp_path):
    devs = [os.path.join(r, f) for r, _, fs in os.walk(SRC) for f in fs
            if f.endswith(".dev") and "/build" not in r]
    assert len(devs) >= 7
    root = ["#![no_std]"]
    for k, path in enumerate(sorted(devs)):
        with open(path) as f:
            write(tmp_path / f"m{k}.rs", layout_rust(layout_compile(f.read(), path), path))
        root.append(f'pub mod m{k} {{ include!("m{k}.rs"); }}')
    lib = write(tmp_path / "lib.rs", "\n".join(root) + "\n")
    run([RUSTC, *FLAGS, "--crate-type", "rlib", "-o", str(tmp_path / "libx.rlib"), str(lib)])


@needs_rustc
def test_layout_functions_compute_what_c_does(tmp_path):
    text = """layout pte "x" width 64 { p 0; addr 51:12 high; key 62:59; nx 63;
                  const k { p = 1; key = 5; } }
              layout d "split" width 32 words 2 { base 15:0 | 39:32 | 63:56; t 43:40 { a = 9; } }"""
    write(tmp_path / "x.rs", layout_rust(layout_compile(text, "x.dev"), "x.dev"))
    main = write(tmp_path / "main.rs", 'include!("x.rs");\nfn main() {\n'
                 "    assert_eq!(pte::addr_insert(0, 0x1234_5fff), 0x1234_5000);\n"
                 "    assert_eq!(pte::key_extract(pte::K), 5);\n"
                 "    assert_eq!(pte::K, 1 | 5 << 59);\n"
                 "    assert_eq!(pte::NX, 1 << 63);\n"
                 "    let mut v = d::Desc::default();\n"
                 "    v.base_set(0xaabbccdd);\n"
                 "    assert_eq!(v.w, [0xccdd, 0xaa0000bb]);\n"
                 "    assert_eq!(v.base_get(), 0xaabbccdd);\n"
                 "    v.t_set(d::T_A as u64);\n"
                 "    assert_eq!(v.t_get(), 9);\n"
                 '    println!("ok");\n}\n')
    run([RUSTC, *FLAGS, "-o", str(tmp_path / "m"), str(main)])
    assert run([str(tmp_path / "m")]) == "ok\n"
