"""Semantic checks and label assignment.

Labels (the message tag's 32-bit label) are stable per interface:

    label = interface_id << 16 | index
    interface_id = FNV-1a-32(interface name), folded to 16 bits (hi ^ lo)
    index = 1, 2, ... : the method's position in the interface

so appending a method keeps every existing label, and renaming the
interface changes all of them.  Index 0 is never used, nor are indices
above 4095, which keeps every label clear of the kernel's fault labels
(0xfffffff0..).  Two interfaces in one file whose ids collide are refused.
"""

from .errors import IdlError
from .model import MR_WORDS

MAX_METHODS = 4095
# Names the generated C uses itself, and C keywords.
RESERVED = {"ep", "ctx", "badge", "ops", "tag", "reply_tag"} | set("""
auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef
union unsigned void volatile while bool true false _Bool""".split())


def fnv1a32(s):
    h = 0x811c9dc5
    for b in s.encode():
        h = ((h ^ b) * 0x01000193) & 0xffffffff
    return h


def interface_id(name):
    h = fnv1a32(name)
    return (h >> 16) ^ (h & 0xffff)


def c_names(p):
    """The C parameter names a parameter becomes."""
    if p.type.kind == "bytes":
        return [p.name, p.name + "_len"]
    return [p.name]


def check_name(path, name, line, col, what):
    if name in RESERVED:
        raise IdlError(path, line, col, f"{what} name '{name}' is reserved")
    if name.startswith("_"):
        raise IdlError(path, line, col, f"{what} name '{name}' must not start with '_'")


def check_method(path, m):
    check_name(path, m.name, m.line, m.col, "method")
    seen = {}
    for p in m.params:
        check_name(path, p.name, p.line, p.col, "parameter")
        if m.kind == "message" and p.direction == "out":
            raise IdlError(path, p.line, p.dir_col,
                           f"message '{m.name}' cannot have out parameter '{p.name}' "
                           "(a message is one-way)")
        for cn in c_names(p):
            if cn in seen:
                raise IdlError(path, p.line, p.col,
                               f"duplicate parameter '{cn}' in {m.kind} '{m.name}' "
                               f"(first at line {seen[cn]})")
            seen[cn] = p.line
    # Request: the in parameters; reply: a status word and the out ones.
    for direction, base, what in (("in", 0, "request"), ("out", 1, "reply")):
        used = base
        for p in m.params:
            if p.direction != direction:
                continue
            used += p.type.max_words() + 2 * p.type.items()
            if used > MR_WORDS:
                raise IdlError(path, p.line, p.col,
                               f"{p.type.describe()} '{p.name}' makes the {what} of "
                               f"'{m.name}' up to {used} words, more than the "
                               f"{MR_WORDS} an IDL message may carry")


def check(interfaces, path):
    """Check the parsed file; fill in ids and labels.  Raises IdlError."""
    names, ids = {}, {}
    for iface in interfaces:
        check_name(path, iface.name, iface.line, iface.col, "interface")
        if iface.name in names:
            raise IdlError(path, iface.line, iface.col,
                           f"duplicate interface '{iface.name}' (first at line {names[iface.name]})")
        names[iface.name] = iface.line
        iface.id = interface_id(iface.name)
        if iface.id in ids:
            raise IdlError(path, iface.line, iface.col,
                           f"interface '{iface.name}' has the same id {iface.id:#06x} as "
                           f"'{ids[iface.id]}': rename one")
        ids[iface.id] = iface.name
        if len(iface.methods) > MAX_METHODS:
            m = iface.methods[MAX_METHODS]
            raise IdlError(path, m.line, m.col,
                           f"interface '{iface.name}' has more than {MAX_METHODS} methods")
        seen = {}
        for i, m in enumerate(iface.methods, 1):
            if m.name in seen:
                raise IdlError(path, m.line, m.col,
                               f"duplicate method '{m.name}' in interface '{iface.name}' "
                               f"(first at line {seen[m.name]})")
            seen[m.name] = m.line
            check_method(path, m)
            m.index = i
            m.label = iface.id << 16 | i
    check_c_names(interfaces, path)
    return interfaces


def c_names_of(iface):
    """Every file-scope C name the generated headers make for iface (see
    gen_common.header, gen_client, gen_server): (name, line, col, what)."""
    I, U = iface.name, iface.name.upper()
    yield f"{I}_dispatch", iface.line, iface.col, f"interface '{I}''s dispatch function"
    yield f"{U}_IFACE_ID", iface.line, iface.col, f"interface '{I}''s id macro"
    for m in iface.methods:
        what = f"{m.kind} '{m.name}' of interface '{I}'"
        yield f"{I}_{m.name}", m.line, m.col, f"the client stub of {what}"
        yield f"{I}_serve_{m.name}", m.line, m.col, f"the server stub of {what}"
        yield f"{U}_{m.name.upper()}_LABEL", m.line, m.col, f"the label macro of {what}"
        for p in m.params:
            if p.type.kind in ("string", "bytes"):
                yield (f"{U}_{m.name.upper()}_{p.name.upper()}_MAX", p.line, p.col,
                       f"the bound macro of '{p.name}' in {what}")


def check_c_names(interfaces, path):
    """Two things of the file that would get one C name (a method 'dispatch'
    of interface a against a_dispatch; interfaces a { b_c } and a_b { c })
    are refused here, not left to the C compiler."""
    seen = {}
    for iface in interfaces:
        for name, line, col, what in c_names_of(iface):
            if name in seen:
                first = seen[name]
                raise IdlError(path, line, col,
                               f"{what} would be C's '{name}', as {first[1]} (line {first[0]}) "
                               "is: rename one")
            seen[name] = (line, what)
