"""Meaning of a parsed description: every field inside its word, no two
fields sharing a bit, values that fit, registers inside their space.
Raises LayoutError at the offending token; fills in derived values
(register widths, constants' words)."""

from .errors import LayoutError
from .model import READABLE, WIDTHS, WRITABLE


def _err(path, line, col, message):
    return LayoutError(path, line, col, message)


def _fits(value, width):
    return 0 <= value < (1 << width)


def check_fields(owner, what, width, words, path, reg_access=None):
    """Fields of a layout (width bits x words) or of a register (one word)."""
    total = width * words
    taken = {}                                  # bit -> field name
    names = {}
    for f in owner.fields:
        if f.name in names:
            raise _err(path, f.line, f.col, f"duplicate field '{f.name}' in {what} "
                       f"(first at line {names[f.name]})")
        names[f.name] = f.line
        if f.high and len(f.parts) > 1:
            raise _err(path, f.line, f.col, f"field '{f.name}' is 'high' but has several parts")
        if f.width > 64:
            raise _err(path, f.line, f.col, f"field '{f.name}' is {f.width} bits wide; at most 64")
        for p in f.parts:
            if p.hi >= total:
                raise _err(path, f.line, f.col, f"field '{f.name}' bit {p.hi} is past the end of "
                           f"{what} ({total} bits)")
            if p.lo // width != p.hi // width:
                raise _err(path, f.line, f.col, f"field '{f.name}' bits {p.hi}:{p.lo} cross the "
                           f"boundary between words {p.lo // width} and {p.hi // width}")
            for b in range(p.lo, p.hi + 1):
                if b in taken:
                    raise _err(path, f.line, f.col, f"field '{f.name}' overlaps field "
                               f"'{taken[b]}' at bit {b}")
                taken[b] = f.name
        if reg_access is not None:
            if f.access is None:
                f.access = reg_access
            elif f.access in WRITABLE and reg_access not in WRITABLE:
                t = f.access_tok
                raise _err(path, t.line, t.col, f"field '{f.name}' is {f.access} but {what} "
                           f"is {reg_access}")
            elif f.access in READABLE and reg_access not in READABLE:
                t = f.access_tok
                raise _err(path, t.line, t.col, f"field '{f.name}' is {f.access} but {what} "
                           f"is {reg_access}")
        vnames = {}
        for v in f.values:
            if v.name in vnames:
                raise _err(path, v.line, v.col, f"duplicate value '{v.name}' in field '{f.name}'")
            vnames[v.name] = v
            if not _fits(v.value, f.width):
                raise _err(path, v.line, v.col, f"value {v.name} = {v.value:#x} does not fit "
                           f"field '{f.name}' of {f.width} bits")
    check_consts(owner, what, width, words, path)


def _place(f, value, width, words):
    """The words of a layout holding just value in field f."""
    out = [0] * words
    for p in f.parts:
        piece = value & ((1 << p.width) - 1)
        value >>= p.width
        out[p.lo // width] |= piece << (p.lo % width)
    return out


def check_consts(owner, what, width, words, path):
    fields = {f.name: f for f in owner.fields}
    seen = {}
    for c in owner.consts:
        if c.name in seen:
            raise _err(path, c.line, c.col, f"duplicate constant '{c.name}' in {what}")
        if c.name in fields:
            raise _err(path, c.line, c.col, f"constant '{c.name}' has the name of a field of {what}")
        seen[c.name] = c
        c.words = [0] * words
        done = {}
        for fname, v, line, col in c.sets:
            f = fields.get(fname)
            if f is None:
                raise _err(path, line, col, f"constant '{c.name}' sets '{fname}', which is not a "
                           f"field of {what}")
            if fname in done:
                raise _err(path, line, col, f"constant '{c.name}' sets '{fname}' twice")
            done[fname] = line
            if isinstance(v, str):
                named = [x for x in f.values if x.name == v]
                if not named:
                    raise _err(path, line, col, f"'{v}' is not a value of field '{fname}'")
                v = named[0].value
            if f.high:
                if v & ~f.high_mask(width):
                    raise _err(path, line, col, f"{v:#x} is not a '{fname}' address: bits outside "
                               f"{f.parts[0].hi}:{f.parts[0].lo}")
                c.words[f.parts[0].lo // width] |= v
                continue
            if not _fits(v, f.width):
                raise _err(path, line, col, f"{v:#x} does not fit field '{fname}' of {f.width} bits")
            for k, w in enumerate(_place(f, v, width, words)):
                c.words[k] |= w


def check_layout(lay, path):
    if lay.width not in WIDTHS:
        t = lay.width_tok
        raise _err(path, t.line, t.col, f"layout '{lay.name}' word width {lay.width} "
                   f"is not 8, 16, 32 or 64")
    if not 1 <= lay.words <= 16:
        t = lay.words_tok
        raise _err(path, t.line, t.col, f"layout '{lay.name}' has {lay.words} words; 1 to 16")
    if not lay.fields:
        raise _err(path, lay.line, lay.col, f"layout '{lay.name}' has no fields")
    check_fields(lay, f"layout '{lay.name}'", lay.width, lay.words, path)


def check_device(dev, path):
    if dev.space is None:
        raise _err(path, dev.line, dev.col, f"device '{dev.name}' has no 'space io|mem|config|msr SIZE;'")
    if dev.width is not None and dev.width not in WIDTHS:
        t = dev.width_tok
        raise _err(path, t.line, t.col, f"device width {dev.width} is not 8, 16, 32 or 64")
    names = {}
    for r in dev.registers:
        what = f"register '{r.name}'"
        if r.name in names:
            raise _err(path, r.line, r.col, f"duplicate register '{r.name}' in device '{dev.name}' "
                       f"(first at line {names[r.name]})")
        names[r.name] = r.line
        if r.access is None:
            raise _err(path, r.line, r.col, f"{what} has no access (ro, rw, wo, rc or w1c)")
        if r.width is None:
            r.width = dev.width
            if r.width is None:
                raise _err(path, r.line, r.col, f"{what} has no width (give 'width N' here "
                           f"or in the device)")
        elif r.width not in WIDTHS:
            t = r.width_tok
            raise _err(path, t.line, t.col, f"{what} width {r.width} is not 8, 16, 32 or 64")
        if dev.space == "msr":
            # Model-specific registers are numbered, not addressed: each
            # takes one index, whatever its width.
            if r.stride is not None:
                t = r.stride_tok
                raise _err(path, t.line, t.col, f"{what}: MSR arrays take consecutive indices (no stride)")
            r.stride = 1
            end = r.offset + r.count
            if end > dev.size:
                t = r.offset_tok
                raise _err(path, t.line, t.col, f"{what} (MSR {r.offset:#x}) lies outside the msr "
                           f"space of device '{dev.name}' ({dev.size:#x} registers)")
            check_fields(r, what, r.width, 1, path, reg_access=r.access)
            check_reset(r, what, path)
            continue
        if dev.space == "io" and r.width == 64:
            raise _err(path, r.line, r.col, f"{what} is 64 bits wide; port I/O is at most 32")
        size = r.width // 8
        if r.offset % size:
            t = r.offset_tok
            raise _err(path, t.line, t.col, f"{what} at {r.offset:#x} is not aligned to its "
                       f"{size} bytes")
        if r.stride is not None and not r.is_array:
            t = r.stride_tok
            raise _err(path, t.line, t.col, f"{what} has a stride but is not an array")
        if r.stride is None:
            r.stride = size
        if r.stride < size or r.stride % size:
            t = r.stride_tok
            raise _err(path, t.line, t.col, f"{what} stride {r.stride} is not a multiple of its "
                       f"{size} bytes")
        end = r.offset + r.stride * (r.count - 1) + size
        if end > dev.size:
            t = r.offset_tok
            raise _err(path, t.line, t.col, f"{what} (bytes {r.offset:#x}..{end - 1:#x}) lies "
                       f"outside the {dev.space} space of device '{dev.name}' ({dev.size:#x} bytes)")
        check_fields(r, what, r.width, 1, path, reg_access=r.access)
        check_reset(r, what, path)


def check_reset(r, what, path):
    if r.reset is None:
        return
    line, col = r.reset_at
    if not _fits(r.reset, r.width):
        raise _err(path, line, col, f"reset value {r.reset:#x} of {what} does not fit "
                   f"in {r.width} bits")
    covered = 0
    for f in r.fields:
        covered |= f.mask()
    if r.fields and r.reset & ~covered:
        raise _err(path, line, col, f"reset value {r.reset:#x} of {what} sets bits "
                   f"{r.reset & ~covered:#x} that belong to no field")


def check(items, path):
    seen = {}
    for it in items:
        if it.name in seen:
            raise _err(path, it.line, it.col, f"duplicate name '{it.name}' (first at line "
                       f"{seen[it.name]})")
        seen[it.name] = it.line
        if it.kind == "layout":
            check_layout(it, path)
        else:
            check_device(it, path)
    return items
