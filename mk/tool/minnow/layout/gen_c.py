"""C header from checked layouts and devices.

Constants (offsets, shifts, masks, values, named constants) are plain
#defines usable from assembler too; types, _Static_asserts and the inline
functions are hidden from the assembler.  Naming, for layout or register
prefix P (upper case) / p (lower case) and field F:

    P_F_SHIFT P_F_WIDTH P_F_MASK   where the field is one bit range
    P_F                            the mask of a one-bit field (a flag)
    P_F_V                          value V of the field (not shifted)
    P_C                            a named constant (P_C_W0.. for descriptors)
    p_f_extract(w) p_f_insert(w,v) one-word layouts and registers
    p_f_get(d) p_f_set(d, v)       descriptors of several words, by pointer
    P_OFFSET P_COUNT P_STRIDE P_RESET, p_rd(base[, i]) p_wr(base, [i,] v)
"""

import os

from .model import READABLE, WRITABLE


def _ctype(width):
    return f"uint{width}_t"


def _hex(v):
    return f"LAYOUT_C({v:#x})"


class Out:
    def __init__(self):
        self.consts = []
        self.code = []

    def define(self, name, value, comment=""):
        c = f"\t/* {comment} */" if comment else ""
        self.consts.append(f"#define {name} {value}{c}")

    def blank(self):
        self.consts.append("")


def _field_consts(o, P, f, width, multiword):
    FP = f"{P}_{f.name.upper()}"
    o.define(f"{FP}_WIDTH", f.width, f.doc)
    if len(f.parts) == 1:
        p = f.parts[0]
        lo = p.lo % width
        mask = ((1 << p.width) - 1) << lo
        if multiword:
            o.define(f"{FP}_WORD", p.lo // width)
        o.define(f"{FP}_SHIFT", lo)
        o.define(f"{FP}_MASK", _hex(mask))
        if p.width == 1 and not f.high:
            o.define(FP, _hex(mask))
    elif not multiword:
        o.define(f"{FP}_MASK", _hex(f.mask()))
    for v in f.values:
        o.define(f"{FP}_{v.name.upper()}", _hex(v.value))


def _word_funcs(o, p, f, T, writable):
    """extract/insert on one word of type T."""
    fp = f"{p}_{f.name}"
    if f.high:
        m = f"{f.mask():#x}ull"
        o.code.append(f"static inline {T} {fp}_extract({T} w) {{ return ({T})(w & {m}); }}")
        if writable:
            o.code.append(f"static inline {T} {fp}_insert({T} w, {T} v) "
                          f"{{ return ({T})((w & ~{m}) | (v & {m})); }}")
        return
    get, put, shift = [], [], 0
    clear = 0
    for part in f.parts:
        fm = f"{(1 << part.width) - 1:#x}ull"
        get.append(f"((uint64_t)(w >> {part.lo}) & {fm}) << {shift}")
        put.append(f"(((uint64_t)v >> {shift}) & {fm}) << {part.lo}")
        clear |= ((1 << part.width) - 1) << part.lo
        shift += part.width
    o.code.append(f"static inline {T} {fp}_extract({T} w) {{ return ({T})({' | '.join(get)}); }}")
    if writable:
        o.code.append(f"static inline {T} {fp}_insert({T} w, {T} v)\n{{\n"
                      f"\treturn ({T})((w & ~{clear:#x}ull) | {' | '.join(put)});\n}}")


def _desc_funcs(o, p, f, T, width):
    """get/set through a pointer to a descriptor of several words."""
    fp = f"{p}_{f.name}"
    get, put, shift = [], [], 0
    for part in f.parts:
        k, lo = part.lo // width, part.lo % width
        fm = (1 << part.width) - 1
        if f.high:
            get.append(f"(uint64_t)(d->w[{k}] & {fm << lo:#x}ull)")
            put.append(f"\td->w[{k}] = ({T})((d->w[{k}] & ~{fm << lo:#x}ull) | (v & {fm << lo:#x}ull));")
        else:
            get.append(f"(((uint64_t)d->w[{k}] >> {lo}) & {fm:#x}ull) << {shift}")
            put.append(f"\td->w[{k}] = ({T})((d->w[{k}] & ~{fm << lo:#x}ull) | "
                       f"(((v >> {shift}) & {fm:#x}ull) << {lo}));")
        shift += part.width
    o.code.append(f"static inline uint64_t {fp}_get(const volatile {p}_t *d) "
                  f"{{ return {' | '.join(get)}; }}")
    o.code.append(f"static inline void {fp}_set(volatile {p}_t *d, uint64_t v)\n{{\n"
                  + "\n".join(put) + "\n}")


def _consts(o, P, owner, multiword):
    for c in owner.consts:
        CP = f"{P}_{c.name.upper()}"
        if multiword:
            for k, w in enumerate(c.words):
                o.define(f"{CP}_W{k}", _hex(w), c.doc if k == 0 else "")
        else:
            o.define(CP, _hex(c.words[0]), c.doc)


def gen_layout(o, lay):
    P, p = lay.name.upper(), lay.name
    T = _ctype(lay.width)
    multi = lay.words > 1
    o.consts.append(f"/* layout {p}: {lay.doc or ''} ({lay.words} x {lay.width} bits) */")
    for f in lay.fields:
        _field_consts(o, P, f, lay.width, multi)
    _consts(o, P, lay, multi)
    o.blank()
    o.code.append(f"/* {p}: {lay.doc} */")
    if multi:
        o.code.append(f"typedef struct {{ {T} w[{lay.words}]; }} {p}_t;")
    else:
        o.code.append(f"typedef {T} {p}_t;")
    o.code.append(f"_Static_assert(sizeof({p}_t) == {lay.words * lay.width // 8}, "
                  f"\"{p}: {lay.words * lay.width // 8} bytes\");")
    for f in lay.fields:
        if multi:
            _desc_funcs(o, p, f, T, lay.width)
        else:
            _word_funcs(o, p, f, T, True)
    o.code.append("")


def _accessors(o, dev, r, p, T):
    idx = ", unsigned i" if r.is_array else ""
    at = f"{p.upper()}_OFFSET" + (f" + i * {p.upper()}_STRIDE" if r.is_array else "")
    if dev.space == "io":
        sfx = {8: "b", 16: "w", 32: "l"}[r.width]
        if r.access in READABLE:
            o.code.append(f"static inline {T} {p}_rd(uint16_t base{idx}) "
                          f"{{ return l4_in{sfx}((uint16_t)(base + {at})); }}")
        if r.access in WRITABLE:
            o.code.append(f"static inline void {p}_wr(uint16_t base{idx}, {T} v) "
                          f"{{ l4_out{sfx}((uint16_t)(base + {at}), v); }}")
    elif dev.space == "mem":
        ptr = f"(volatile {T} *)((volatile uint8_t *)base + {at})"
        if r.access in READABLE:
            o.code.append(f"static inline {T} {p}_rd(volatile void *base{idx}) "
                          f"{{ return *{ptr}; }}")
        if r.access in WRITABLE:
            o.code.append(f"static inline void {p}_wr(volatile void *base{idx}, {T} v) "
                          f"{{ *{ptr} = v; }}")


def gen_device(o, dev):
    o.consts.append(f"/* device {dev.name}: {dev.doc} ({dev.space} space, {dev.size:#x} bytes) */")
    o.define(f"{dev.name.upper()}_SPACE_SIZE", _hex(dev.size))
    o.code.append(f"/* {dev.name}: {dev.doc} */")
    for r in dev.registers:
        p = f"{dev.name}_{r.name}"
        P = p.upper()
        T = _ctype(r.width)
        o.define(f"{P}_OFFSET", _hex(r.offset), f"{r.access}, {r.width} bits. {r.doc}".strip())
        if r.is_array:
            o.define(f"{P}_COUNT", r.count)
            o.define(f"{P}_STRIDE", r.stride)
        if r.reset is not None:
            o.define(f"{P}_RESET", _hex(r.reset))
        for f in r.fields:
            _field_consts(o, P, f, r.width, False)
        _consts(o, P, r, False)
        _accessors(o, dev, r, p, T)
        for f in r.fields:
            _word_funcs(o, p, f, T, f.access in WRITABLE)
    o.blank()
    o.code.append("")


def generate(items, path, guard):
    o = Out()
    for it in items:
        (gen_layout if it.kind == "layout" else gen_device)(o, it)
    port_io = any(it.kind == "device" and it.space == "io" for it in items)
    src = os.path.basename(path)
    head = [
        f"/* Generated by mk/tool/layout.py from {src}; do not edit. */",
        f"#ifndef {guard}",
        f"#define {guard}",
        "",
        "#ifndef LAYOUT_C",
        "#ifdef __ASSEMBLER__",
        "#define LAYOUT_C(x) x",
        "#else",
        "#define LAYOUT_C(x) x##ull",
        "#endif",
        "#endif",
        "",
    ]
    body = ["#ifndef __ASSEMBLER__", "#include <stdint.h>"]
    if port_io:
        body.append("#include <l4/util/port.h>")
    body.append("")
    tail = ["#endif /* !__ASSEMBLER__ */", f"#endif /* {guard} */", ""]
    return "\n".join(head + o.consts + body + o.code + tail)
