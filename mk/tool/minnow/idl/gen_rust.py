"""The Rust module: per interface a `pub mod NAME` with client functions, a
`Server` trait and a dispatcher, over the l4 crate (pkg/rust-l4: idl.rs,
msg.rs).  Same wire format, labels and checks as the C headers
(gen_common.py), so C and Rust clients and servers talk to each other.

    pub fn METHOD(u: &mut Utcb, ep: Endpoint, ins...) -> Result<OUTS, L4Error>
    pub trait Server { fn METHOD(&mut self, cx: &mut idl::Caller<'_>, ins...) -> Result<OUTS, L4Error>; }
    pub fn dispatch<S: Server + ?Sized>(s: &mut S, u: &mut Utcb, tag: Tag, badge: u64) -> idl::Dispatched

OUTS is (), the one out, or a tuple of them in order.  Ins: scalars by
value, T[N] as &[T; N], string as &str, bytes as &[u8], cap as
idl::CapArg (client) / l4::Any (server), mem as idl::Mem.  Outs: scalars,
[T; N], String, Vec<u8>, l4::Any (client) / idl::CapArg (server), idl::Mem.
A handler's default is Err(L4Error::NOSYS), C's NULL handler.  A request
string that is not UTF-8 (up to its first NUL) is refused as malformed.
Generated names start with `__`, which IDL names cannot.
"""

from .gen_common import label_macro  # noqa: F401  (same label numbering)

RS_SCALAR = {"int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
             "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64", "bool": "bool"}
RS_KEYWORDS = set("""as break const continue crate else enum extern false fn for if impl in let
loop match mod move mut pub ref return self static struct super trait true type unsafe use where
while async await dyn abstract become box do final macro override priv typeof unsized virtual
yield try union""".split())


def ident(n):
    return f"r#{n}" if n in RS_KEYWORDS else n


def in_type(t, server):
    return {"scalar": lambda: RS_SCALAR[t.name],
            "array": lambda: f"&[{RS_SCALAR[t.name]}; {t.bound}]",
            "string": lambda: "&str", "bytes": lambda: "&[u8]",
            "cap": lambda: "::l4::Any" if server else "idl::CapArg",
            "mem": lambda: "idl::Mem"}[t.kind]()


def out_type(t, server):
    return {"scalar": lambda: RS_SCALAR[t.name],
            "array": lambda: f"[{RS_SCALAR[t.name]}; {t.bound}]",
            "string": lambda: "idl::String", "bytes": lambda: "idl::Vec<u8>",
            "cap": lambda: "idl::CapArg" if server else "::l4::Any",
            "mem": lambda: "idl::Mem"}[t.kind]()


def outs_type(outs, server):
    ts = [out_type(p.type, server) for p in outs]
    return "()" if not ts else ts[0] if len(ts) == 1 else "(" + ", ".join(ts) + ")"


def put(p, val):
    """Append value expression `val` of parameter p to writer __w."""
    t = p.type
    return {"scalar": f"idl::put(&mut __w, {val})?;",
            "array": f"idl::put_array(&mut __w, {val})?;",
            "string": f"__w.string({val}, {t.bound})?;",
            "bytes": f"__w.bytes({val}, {t.bound})?;",
            "cap": f"idl::put_cap(&mut __w, {val})?;",
            "mem": f"idl::put_mem(&mut __w, {val})?;"}[t.kind]


def item_order(params):
    """Index of each cap/mem parameter among the message's items."""
    k, order = 0, {}
    for p in params:
        if p.type.kind in ("cap", "mem"):
            order[p.name] = k
            k += 1
    return order


def label_const(m):
    return f"{m.name.upper()}_LABEL"


def client_fn(m):
    ins, outs = m.ins(), m.outs()
    args = ", ".join(["__u: &mut Utcb", "__ep: Endpoint"] +
                     [f"{ident(p.name)}: {in_type(p.type, False)}" for p in ins])
    ret = outs_type(outs, False) if m.kind == "rpc" else "()"
    body = ["let mut __w = MsgWriter::new(__u);"]
    body += [put(p, ident(p.name)) for p in ins]
    body.append(f"let __tag = __w.finish({label_const(m)})?;")
    if m.kind == "message":
        body.append("__ep.send(__u, __tag)")
    else:
        body += ["let __tag = __ep.call(__u, __tag)?;",
                 f"let mut __r = idl::reply_reader(__u, __tag, {label_const(m)}, {sum(p.type.items() for p in outs)})?;"]
        items = item_order(outs)
        names = []
        for p in outs:
            t, n = p.type, f"__o_{p.name}"
            names.append(n)
            body.append({
                "scalar": f"let {n}: {RS_SCALAR.get(t.name, '')} = idl::get(&mut __r)?;",
                "array": f"let {n}: [{RS_SCALAR.get(t.name, '')}; {t.bound}] = idl::get_array(&mut __r)?;",
                "string": f"let {n} = idl::get_string(&mut __r, {t.bound})?;",
                "bytes": f"let {n} = idl::get_bytes(&mut __r, {t.bound})?;",
                "cap": f"let {n} = ::l4::Any::from_slot(__r.cap({items.get(p.name)})?);",
                "mem": f"let {n} = idl::get_mem(&__r, {items.get(p.name)})?;"}[t.kind])
        body.append("__r.finish()?;")
        body.append("Ok(" + ("()" if not names else names[0] if len(names) == 1
                             else "(" + ", ".join(names) + ")") + ")")
    return ([f"/// {m.kind} {m.name}", f"pub fn {ident(m.name)}({args}) -> Result<{ret}, L4Error> {{"]
            + ["    " + l for l in body] + ["}", ""])


def trait_fn(m):
    args = ", ".join(["&mut self", "__cx: &mut idl::Caller<'_>"] +
                     [f"{ident(p.name)}: {in_type(p.type, True)}" for p in m.ins()])
    ret = outs_type(m.outs(), True) if m.kind == "rpc" else "()"
    return [f"    fn {ident(m.name)}({args}) -> Result<{ret}, L4Error> {{",
            "        Err(L4Error::NOSYS)", "    }"]


def serve_fn(m):
    ins, outs = m.ins(), m.outs()
    rpc = "true" if m.kind == "rpc" else "false"
    L = label_const(m)
    items = item_order(ins)
    pre, got, args = [], [], []
    for p in ins:
        t, n = p.type, ident(p.name)
        if t.kind in ("string", "bytes"):
            pre.append(f"let mut __b_{p.name} = [0u8; {t.bound}];")
            got.append((f"__l_{p.name}", f"__r.bytes_into(&mut __b_{p.name}, {t.bound})?"))
        elif t.kind == "scalar":
            got.append((f"__v_{p.name}", f"idl::get::<{RS_SCALAR[t.name]}>(&mut __r)?"))
        elif t.kind == "array":
            got.append((f"__v_{p.name}", f"idl::get_array::<{RS_SCALAR[t.name]}, {t.bound}>(&mut __r)?"))
        elif t.kind == "cap":
            got.append((f"__v_{p.name}", f"::l4::Any::from_slot(__r.cap({items[p.name]})?)"))
        else:
            got.append((f"__v_{p.name}", f"idl::get_mem(&__r, {items[p.name]})?"))
    body = pre + ["let __req = (|| -> Result<_, L4Error> {",
                  f"    let mut __r = idl::request_reader(__u, __tag, {sum(p.type.items() for p in ins)})?;"]
    body += [f"    let {v} = {e};" for v, e in got]
    body += ["    __r.finish()?;", "    Ok((" + "".join(v + ", " for v, _ in got) + "))", "})();",
             "let (" + "".join(v + ", " for v, _ in got) + ") = match __req {",
             "    Ok(__v) => __v,", f"    Err(_) => return idl::Dispatched::malformed(__u, {L}, {rpc}),", "};"]
    for p in ins:
        t, n = p.type, ident(p.name)
        if t.kind == "string":
            body += [f"let {n} = match idl::as_str(&__b_{p.name}[..__l_{p.name}]) {{",
                     "    Ok(__s) => __s,",
                     f"    Err(_) => return idl::Dispatched::malformed(__u, {L}, {rpc}),", "};"]
            args.append(n)
        elif t.kind == "bytes":
            args.append(f"&__b_{p.name}[..__l_{p.name}]")
        elif t.kind == "array":
            args.append(f"&__v_{p.name}")
        else:
            args.append(f"__v_{p.name}")
    body += ["let mut __cx = idl::Caller { badge: __badge, utcb: &mut *__u };",
             f"let __res = __s.{ident(m.name)}(" + ", ".join(["&mut __cx"] + args) + ");"]
    if m.kind == "message":
        body += ["let _ = __res;", "idl::Dispatched::replied(Tag(0))"]
    else:
        body += ["let __out = match __res {", "    Ok(__o) => __o,",
                 f"    Err(__e) => return idl::Dispatched::refused(__u, {L}, __e),", "};",
                 "let __rep = (|| -> Result<Tag, L4Error> {",
                 "    let mut __w = MsgWriter::new(&mut *__u);", "    __w.word(0)?;"]
        for i, p in enumerate(outs):
            v = "__out" if len(outs) == 1 else f"__out.{i}"
            ref = "&" if p.type.kind in ("array", "string", "bytes") else ""
            body.append("    " + put(p, ref + v))
        body += [f"    __w.finish({L})", "})();",
                 "match __rep {", "    Ok(__t) => idl::Dispatched::replied(__t),",
                 f"    Err(_) => idl::Dispatched::malformed(__u, {L}, true),", "}"]
    return ([f"fn __serve_{m.name}<S: Server + ?Sized>(__s: &mut S, __u: &mut Utcb, __tag: Tag, "
             "__badge: u64) -> idl::Dispatched {"] + ["    " + l for l in body] + ["}", ""])


def dispatch_fn(iface):
    lines = ["/// Serve one received message (see l4::idl::Dispatched); reply with `.reply`.",
             "pub fn dispatch<S: Server + ?Sized>(__s: &mut S, __u: &mut Utcb, __tag: Tag, "
             "__badge: u64) -> idl::Dispatched {",
             "    if let Err(__e) = __tag.result() {", "        return idl::Dispatched::recv_error(__e);",
             "    }", "    match __tag.label() {"]
    for m in iface.methods:
        lines.append(f"        {label_const(m)} => __serve_{m.name}(__s, __u, __tag, __badge),")
    lines += ["        _ => {", "            let _ = (__s, __badge);",
              "            idl::Dispatched::nosys(__u, __tag)", "        }", "    }", "}"]
    return lines


def interface_mod(i):
    doc = i.doc.replace("\n", " ")
    lines = [f"/// interface {i.name}{': ' + doc if doc else ''}",
             f"pub mod {ident(i.name)} {{",
             "    #![allow(unused, unused_parens, clippy::all)]",
             "    use ::l4::idl;",
             "    use ::l4::{Endpoint, L4Error, MsgWriter, Tag, Utcb};",
             "",
             f"    pub const IFACE_ID: u16 = {i.id:#06x};"]
    for m in i.methods:
        lines.append(f"    pub const {label_const(m)}: u32 = {m.label:#010x};")
    for m in i.methods:
        for p in m.params:
            if p.type.kind in ("string", "bytes"):
                lines.append(f"    pub const {m.name.upper()}_{p.name.upper()}_MAX: usize = {p.type.bound};")
    lines.append("")
    body = []
    for m in i.methods:
        body += client_fn(m)
    body += ["/// The handlers; each defaults to Err(L4Error::NOSYS).", "pub trait Server {"]
    for m in i.methods:
        body += trait_fn(m)
    body += ["}", ""]
    for m in i.methods:
        body += serve_fn(m)
    body += dispatch_fn(i)
    lines += ["    " + l if l else l for l in body]
    return lines + ["}", ""]


def generate(interfaces, path):
    lines = [f"// Rust stubs generated by mk/tool/idl.py from {path}; do not edit.",
             "// Include with l4::gen! (doc/rust.md); needs the l4 crate and alloc.", ""]
    for i in interfaces:
        lines += interface_mod(i)
    return "\n".join(lines) + "\n"
