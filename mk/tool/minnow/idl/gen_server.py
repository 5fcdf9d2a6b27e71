"""The server header: a table of handlers and a dispatcher per interface.

    struct IFACE_ops { int (*METHOD)(void *ctx, uint64_t badge, params...); ... };
    int IFACE_dispatch(const struct IFACE_ops *ops, void *ctx, uint64_t tag,
                       uint64_t badge, uint64_t *reply_tag);

A handler gets the sender's badge as its second argument, ins as values
(strings NUL-terminated, at most bound bytes), outs as pointers to zeroed
buffers (strings: bound+1 bytes, bytes: bound bytes and a length).  It
returns 0 (the outs are sent) or a negative error (only that is sent).

The dispatcher copies the request out of the UTCB before the handler runs
(so the handler may do IPC itself), writes the reply into the UTCB and sets
*reply_tag for l4_reply_wait().  It returns 0 when the handler ran,
-L4_EINVAL for a malformed request, -L4_ENOSYS for a label of another
interface or a NULL handler (both answered with that status), or the
receive error of `tag`.  For a message (one-way) *reply_tag is 0: there is
no caller, and replying with no caller does nothing.  Capabilities a
request carries land in the server's cap_window (memory: inside its
mem_window), which the server sets up before receiving.  Several interfaces can share an endpoint: test
L4_TAG_LABEL(tag) >> 16 against each IFACE_IFACE_ID first.
"""

from .gen_common import (c_param, header, indent, label_macro, locals_for, marshal, ncaps,
                         unmarshal)


def local_decl(p):
    t, n = p.type, p.name
    if t.kind == "scalar":
        return [f"{t.ctype} {n} = 0;"]
    if t.kind == "array":
        return [f"{t.ctype} {n}[{t.bound}];"]
    if t.kind == "string":
        return [f"char {n}[{t.bound + 1}];"]
    if t.kind == "bytes":
        return [f"uint8_t {n}[{t.bound}];", f"size_t {n}_len = 0;"]
    if t.kind == "mem":
        return [f"struct minnow_idl_mem {n} = {{ 0, 0 }};"]
    return [f"uint64_t {n} = 0;"]


def call_args(p):
    n = p.name
    if p.direction == "in" or p.type.kind in ("array", "string"):
        return f"{n}, {n}_len" if p.type.kind == "bytes" else n
    return f"{n}, &{n}_len" if p.type.kind == "bytes" else f"&{n}"


def serve_function(iface, m):
    ins, outs = m.ins(), m.outs()
    label = label_macro(iface, m)
    rpc = m.kind == "rpc"
    decls = [d for p in m.params for d in local_decl(p)] + ["int _r;"]
    # Out buffers start zeroed (no stack contents leak into a reply); a
    # loop, not an initializer, which could become a memset call.
    zero = [f"minnow_idl_zero({p.name}, sizeof {p.name});" for p in outs
            if p.type.kind in ("array", "string", "bytes")]
    body = zero + [f"if (L4_TAG_TYPED(tag) != {ncaps(ins)})", "\tgoto bad;",
            "_end = L4_TAG_UNTYPED(tag);"]
    body += unmarshal(ins, "goto bad;", lambda p: "")
    args = ", ".join(["ctx", "badge"] + [call_args(p) for p in m.params])
    body.append(f"_r = ops->{m.name}({args});")
    if rpc:
        body += ["if (_r) {", "\t_u->mr[0] = (uint64_t)(int64_t)_r;",
                 f"\t*reply_tag = L4_TAG({label}, 1, 0);", "\treturn 0;", "}",
                 "_n = 1;"]
        body += marshal(outs, "goto bad;")
        body += ["_u->mr[0] = 0;", f"*reply_tag = L4_TAG({label}, _n, {ncaps(outs)});",
                 "return 0;"]
    else:
        body += ["(void)_r;", "*reply_tag = 0;", "return 0;"]
    body += ["bad:"]
    if rpc:
        body += ["_u->mr[0] = (uint64_t)(int64_t)-L4_EINVAL;",
                 f"*reply_tag = L4_TAG({label}, 1, 0);"]
    else:
        body += ["*reply_tag = 0;"]
    body += ["return -L4_EINVAL;"]
    lines = [f"static inline int {iface.name}_serve_{m.name}(const struct {iface.name}_ops *ops, "
             "void *ctx, uint64_t tag, uint64_t badge, uint64_t *reply_tag)", "{"]
    lines += indent(locals_for(body) + decls)
    for l in body:
        lines.append(l if l == "bad:" else "\t" + l)
    return lines + ["}", ""]


def ops_struct(iface):
    lines = [f"struct {iface.name}_ops {{"]
    for m in iface.methods:
        args = ", ".join(["void *ctx", "uint64_t badge"] + [c_param(p) for p in m.params])
        lines.append(f"\tint (*{m.name})({args});")
    if not iface.methods:
        lines.append("\tint unused;")
    return lines + ["};", ""]


def dispatch_function(iface):
    u = iface.name
    lines = [f"static inline int {u}_dispatch(const struct {u}_ops *ops, void *ctx, "
             "uint64_t tag, uint64_t badge, uint64_t *reply_tag)", "{",
             "\tif (l4_error(tag)) {", "\t\t*reply_tag = 0;", "\t\treturn l4_error(tag);", "\t}",
             "\tswitch (L4_TAG_LABEL(tag)) {"]
    for m in iface.methods:
        lines += [f"\tcase {label_macro(iface, m)}:",
                  f"\t\tif (!ops->{m.name})", "\t\t\tbreak;",
                  f"\t\treturn {u}_serve_{m.name}(ops, ctx, tag, badge, reply_tag);"]
    lines += ["\tdefault:", "\t\tbreak;", "\t}",
              "\t(void)ops; (void)ctx; (void)badge;",
              "\tl4_utcb()->mr[0] = (uint64_t)(int64_t)-L4_ENOSYS;",
              "\t*reply_tag = L4_TAG(L4_TAG_LABEL(tag), 1, 0);",
              "\treturn -L4_ENOSYS;", "}", ""]
    return lines


def generate(interfaces, path, guard):
    lines = header("Server", path, guard, interfaces)
    lines.append("")
    for i in interfaces:
        lines += ops_struct(i)
        for m in i.methods:
            lines += serve_function(i, m)
        lines += dispatch_function(i)
    lines.append(f"#endif /* {guard} */")
    return "\n".join(lines) + "\n"
