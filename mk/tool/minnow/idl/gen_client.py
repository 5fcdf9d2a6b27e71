"""The client header: one function per method.

    rpc:      int IFACE_METHOD(uint64_t ep, ins and outs...)
              0, -L4_Exxx from the kernel, the server's negative status, or
              -L4_EINVAL for an argument over its bound or a malformed reply
    message:  int IFACE_METHOD(uint64_t ep, ins...)  (a send; 0 or -L4_Exxx)

Out strings need bound+1 bytes, out bytes bound bytes.  Scalar and
capability outs are 0, strings and bytes empty, unless the call succeeds.  Out capabilities
land in the caller's cap_window, out memory inside its mem_window, which the
caller sets up.
"""

from .gen_common import (c_param, header, indent, label_macro, locals_for, marshal, ncaps,
                         unmarshal)

FAIL = "return -L4_EINVAL;"


def client_function(iface, m):
    ins, outs = m.ins(), m.outs()
    label = label_macro(iface, m)
    args = ", ".join(["uint64_t ep"] + [c_param(p) for p in m.params])
    # Outs are defined whatever happens (0, empty) before anything can fail.
    body = [{"string": f"{p.name}[0] = 0;", "bytes": f"*{p.name}_len = 0;",
             "mem": f"{p.name}->fpage = {p.name}->addr = 0;",
             "array": None}.get(p.type.kind, f"*{p.name} = 0;") for p in outs]
    body = [l for l in body if l] + marshal(ins, FAIL)
    send = f"L4_TAG({label}, _n, {ncaps(ins)})"
    if m.kind == "message":
        body += [f"_tag = l4_send(ep, {send});", "return l4_error(_tag);"]
    else:
        body += [f"_tag = l4_call(ep, {send});",
                 "if (L4_TAG_ERROR(_tag))", "\treturn l4_error(_tag);",
                 f"if (L4_TAG_LABEL(_tag) != {label} || L4_TAG_UNTYPED(_tag) < 1)", f"\t{FAIL}",
                 "if (_u->mr[0]) {",
                 "\tint64_t _st = (int64_t)_u->mr[0];",
                 "\treturn _st >= INT32_MIN && _st <= INT32_MAX ? (int)_st : -L4_EINVAL;",
                 "}",
                 f"if (L4_TAG_TYPED(_tag) != {ncaps(outs)})", f"\t{FAIL}",
                 "_end = L4_TAG_UNTYPED(_tag);", "_n = 1;"]
        body += unmarshal(outs, FAIL, lambda p: "" if p.type.kind in ("array", "string") else "*")
        body.append("return 0;")
    return ([f"/* {m.kind} {iface.name}.{m.name} */",
             f"static inline int {iface.name}_{m.name}({args})", "{"]
            + indent(locals_for(body)) + indent(body) + ["}", ""])


def generate(interfaces, path, guard):
    lines = header("Client", path, guard, interfaces)
    lines.append("")
    for i in interfaces:
        for m in i.methods:
            lines += client_function(i, m)
    lines.append(f"#endif /* {guard} */")
    return "\n".join(lines) + "\n"
