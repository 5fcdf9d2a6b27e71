"""Rust module from checked layouts and devices (the Rust side of gen_c.py,
as Mackerel gained one for Barrelfish's Rust code).  One `pub mod` per
layout or register, named as in C without the prefix:

    l4_tag::UNTYPED_SHIFT, UNTYPED_WIDTH, UNTYPED_MASK   a one-range field
    l4_rights::READ                                       a one-bit field's mask
    l4_tag::ERROR_INVAL                                   value of a field (not shifted)
    l4_rights::ALL                                        a named constant
    l4_tag::untyped_extract(w), untyped_insert(w, v)      one-word layouts, registers
    x86_sysdesc::Desc { w: [u64; 2] }, .base_get(), .base_set(v)   descriptors
    uart16550_lsr::OFFSET, COUNT, STRIDE, RESET           registers

Everything is a `const` or a `const fn` over integers: no unsafe code.
Register accessors (port and memory access) are not generated: a Rust
driver reads the register word through its own mapping and decodes it here.
"""

import os


def _t(width):
    return f"u{width}"


class Out:
    def __init__(self):
        self.lines = []

    def add(self, line=""):
        self.lines.append(line)


def _doc(o, text, ind):
    if text:
        o.add(f"{ind}/// {text}")


def _field_consts(o, f, width, multiword, T, ind):
    F = f.name.upper()
    _doc(o, f.doc, ind)
    o.add(f"{ind}pub const {F}_WIDTH: u32 = {f.width};")
    if len(f.parts) == 1:
        p = f.parts[0]
        lo = p.lo % width
        mask = ((1 << p.width) - 1) << lo
        if multiword:
            o.add(f"{ind}pub const {F}_WORD: usize = {p.lo // width};")
        o.add(f"{ind}pub const {F}_SHIFT: u32 = {lo};")
        o.add(f"{ind}pub const {F}_MASK: {T} = {mask:#x};")
        if p.width == 1 and not f.high:
            o.add(f"{ind}pub const {F}: {T} = {mask:#x};")
    elif not multiword:
        o.add(f"{ind}pub const {F}_MASK: {T} = {f.mask():#x};")
    for v in f.values:
        o.add(f"{ind}pub const {F}_{v.name.upper()}: {T} = {v.value:#x};")


def _word_fns(o, f, T, writable, ind):
    n = f.name
    if f.high:
        m = f"{f.mask():#x}"
        o.add(f"{ind}#[inline] pub const fn {n}_extract(w: {T}) -> {T} {{ w & {m} }}")
        if writable:
            o.add(f"{ind}#[inline] pub const fn {n}_insert(w: {T}, v: {T}) -> {T} "
                  f"{{ (w & !{m}) | (v & {m}) }}")
        return
    get, put, shift, clear = [], [], 0, 0
    for part in f.parts:
        fm = f"{(1 << part.width) - 1:#x}"
        get.append(f"(((w as u64) >> {part.lo}) & {fm}) << {shift}")
        put.append(f"((((v as u64) >> {shift}) & {fm}) << {part.lo})")
        clear |= ((1 << part.width) - 1) << part.lo
        shift += part.width
    o.add(f"{ind}#[inline] pub const fn {n}_extract(w: {T}) -> {T} {{ ({' | '.join(get)}) as {T} }}")
    if writable:
        o.add(f"{ind}#[inline] pub const fn {n}_insert(w: {T}, v: {T}) -> {T} "
              f"{{ (((w as u64) & !{clear:#x}) | {' | '.join(put)}) as {T} }}")


def _desc_fns(o, f, T, width, ind):
    get, put, shift = [], [], 0
    for part in f.parts:
        k, lo = part.lo // width, part.lo % width
        fm = (1 << part.width) - 1
        if f.high:
            get.append(f"((self.w[{k}] as u64) & {fm << lo:#x})")
            put.append(f"self.w[{k}] = (((self.w[{k}] as u64) & !{fm << lo:#x}) | (v & {fm << lo:#x})) as {T};")
        else:
            get.append(f"((((self.w[{k}] as u64) >> {lo}) & {fm:#x}) << {shift})")
            put.append(f"self.w[{k}] = (((self.w[{k}] as u64) & !{fm << lo:#x}) | "
                       f"(((v >> {shift}) & {fm:#x}) << {lo})) as {T};")
        shift += part.width
    o.add(f"{ind}#[inline] pub const fn {f.name}_get(&self) -> u64 {{ {' | '.join(get)} }}")
    o.add(f"{ind}#[inline] pub fn {f.name}_set(&mut self, v: u64) {{ {' '.join(put)} }}")


def gen_layout(o, lay):
    T = _t(lay.width)
    multi = lay.words > 1
    _doc(o, f"{lay.doc} ({lay.words} x {lay.width} bits)" if lay.doc else "", "")
    o.add(f"pub mod {lay.name} {{")
    o.add("    #![allow(dead_code, unused_parens, clippy::all)]")
    for f in lay.fields:
        _field_consts(o, f, lay.width, multi, T, "    ")
    if multi:
        o.add("    #[repr(C)]")
        o.add("    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]")
        o.add(f"    pub struct Desc {{ pub w: [{T}; {lay.words}] }}")
        o.add(f"    const _: () = assert!(core::mem::size_of::<Desc>() == {lay.words * lay.width // 8});")
        for c in lay.consts:
            _doc(o, c.doc, "    ")
            ws = ", ".join(f"{w:#x}" for w in c.words)
            o.add(f"    pub const {c.name.upper()}: Desc = Desc {{ w: [{ws}] }};")
        o.add("    impl Desc {")
        for f in lay.fields:
            _desc_fns(o, f, T, lay.width, "        ")
        o.add("    }")
    else:
        o.add(f"    pub type Word = {T};")
        for c in lay.consts:
            _doc(o, c.doc, "    ")
            o.add(f"    pub const {c.name.upper()}: {T} = {c.words[0]:#x};")
        for f in lay.fields:
            _word_fns(o, f, T, True, "    ")
    o.add("}")
    o.add()


def gen_device(o, dev):
    _doc(o, f"{dev.doc} ({dev.space} space)", "")
    o.add(f"pub const {dev.name.upper()}_SPACE_SIZE: u64 = {dev.size:#x};")
    for r in dev.registers:
        T = _t(r.width)
        _doc(o, f"{r.access}, {r.width} bits. {r.doc}".strip(), "")
        o.add(f"pub mod {dev.name}_{r.name} {{")
        o.add("    #![allow(dead_code, unused_parens, clippy::all)]")
        o.add(f"    pub type Word = {T};")
        o.add(f"    pub const OFFSET: u64 = {r.offset:#x};")
        if r.is_array:
            o.add(f"    pub const COUNT: usize = {r.count};")
            o.add(f"    pub const STRIDE: u64 = {r.stride};")
        if r.reset is not None:
            o.add(f"    pub const RESET: {T} = {r.reset:#x};")
        for f in r.fields:
            _field_consts(o, f, r.width, False, T, "    ")
        for c in r.consts:
            _doc(o, c.doc, "    ")
            o.add(f"    pub const {c.name.upper()}: {T} = {c.words[0]:#x};")
        for f in r.fields:
            _word_fns(o, f, T, (f.access or r.access) in ("rw", "wo", "w1c"), "    ")
        o.add("}")
    o.add()


def generate(items, path):
    o = Out()
    o.add(f"// Generated by mk/tool/layout.py from {os.path.basename(path)}; do not edit.")
    o.add()
    for it in items:
        (gen_layout if it.kind == "layout" else gen_device)(o, it)
    return "\n".join(o.lines) + "\n"
