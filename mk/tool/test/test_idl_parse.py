"""IDL compiler: parsing every construct, labels, and refusing malformed
interfaces with exact file:line:col messages."""

import pytest

from minnow.idl import IdlError, compile_text
from minnow.idl.checker import fnv1a32, interface_id

CONSOLE = """\
interface console "Text console" {
    rpc write(in string text, out int written);
    rpc read(in uint32 max, out string text);
    message input_ready();
};
"""


def compile_ok(text):
    return compile_text(text, "t.idl")


def refused(text):
    with pytest.raises(IdlError) as e:
        compile_text(text, "t.idl")
    return e.value.messages[0]


def one_param(decl):
    return compile_ok(f"interface i {{ rpc m({decl}); }};")[0].methods[0].params[0]


def test_console_example():
    (i,) = compile_ok(CONSOLE)
    assert i.name == "console" and i.doc == "Text console"
    assert [(m.kind, m.name) for m in i.methods] == [
        ("rpc", "write"), ("rpc", "read"), ("message", "input_ready")]
    w = i.methods[0]
    assert [(p.direction, p.type.kind, p.type.bound, p.name) for p in w.params] == [
        ("in", "string", 256, "text"), ("out", "scalar", 0, "written")]
    assert w.params[1].type.name == "int32"


@pytest.mark.parametrize("name,ctype", [
    ("int8", "int8_t"), ("int16", "int16_t"), ("int32", "int32_t"), ("int64", "int64_t"),
    ("uint8", "uint8_t"), ("uint16", "uint16_t"), ("uint32", "uint32_t"),
    ("uint64", "uint64_t"), ("int", "int32_t"), ("uint", "uint32_t"), ("bool", "bool")])
def test_scalars(name, ctype):
    p = one_param(f"in {name} x")
    assert p.type.kind == "scalar" and p.type.ctype == ctype and p.type.max_words() == 1


def test_array_packs_elements():
    p = one_param("in uint16 v[9]")
    assert (p.type.kind, p.type.name, p.type.bound, p.type.max_words()) == ("array", "uint16", 9, 3)


def test_bounded_string_and_bytes():
    s, b = one_param("in string<10> s"), one_param("out bytes<17> b")
    assert (s.type.kind, s.type.bound, s.type.max_words()) == ("string", 10, 3)
    assert (b.direction, b.type.kind, b.type.bound, b.type.max_words()) == ("out", "bytes", 17, 4)


def test_cap_is_an_item():
    p = one_param("in cap c")
    assert p.type.kind == "cap" and p.type.max_words() == 0 and p.type.items() == 1


def test_mem_is_an_item():
    p = one_param("out mem m")
    assert p.type.kind == "mem" and p.type.max_words() == 0 and p.type.items() == 1


def test_comments_and_no_doc():
    (i,) = compile_ok("// line\n/* block\n */ interface a { /* x */ message m(); // y\n };")
    assert i.doc == "" and i.methods[0].name == "m"


def test_several_interfaces_and_empty_one():
    a, b = compile_ok("interface a {}; interface b { rpc x(); };")
    assert (a.methods, b.methods[0].name) == ([], "x")


def test_labels_are_stable():
    (i,) = compile_ok(CONSOLE)
    assert i.id == (fnv1a32("console") >> 16) ^ (fnv1a32("console") & 0xffff) == interface_id("console")
    assert [m.label for m in i.methods] == [i.id << 16 | k for k in (1, 2, 3)]
    # appending a method keeps the earlier labels
    (j,) = compile_ok(CONSOLE.replace("message input_ready();", "message input_ready(); rpc z();"))
    assert [m.label for m in j.methods][:3] == [m.label for m in i.methods]


def test_fnv1a_reference_values():
    assert fnv1a32("") == 0x811c9dc5 and fnv1a32("a") == 0xe40c292c


def test_message_size_at_the_limit_is_accepted():
    # request: 1 length word + 63 words of bytes = 64
    compile_ok("interface i { rpc m(in bytes<504> b); };")
    # reply: status + 1 + 62 = 64
    compile_ok("interface i { rpc m(out bytes<496> b); };")


@pytest.mark.parametrize("text,message", [
    ("interface i { rpc m(in float x); };", "t.idl:1:24: unknown type 'float'"),
    ("interface i {\n  rpc m(in int x)\n};", "t.idl:3:1: expected ';' after rpc 'm', found '}'"),
    ("interface i { rpc m(); }", "t.idl:1:25: expected ';' after the interface, found end of file"),
    ("interface i { rpc m(); rpc m(); };",
     "t.idl:1:28: duplicate method 'm' in interface 'i' (first at line 1)"),
    ("interface i { rpc m(in int a,\n out int a); };",
     "t.idl:2:10: duplicate parameter 'a' in rpc 'm' (first at line 1)"),
    ("interface i { rpc m(in bytes<4> b, in int b_len); };",
     "t.idl:1:43: duplicate parameter 'b_len' in rpc 'm' (first at line 1)"),
    ("interface i {};\ninterface i {};", "t.idl:2:1: duplicate interface 'i' (first at line 1)"),
    ("interface i { message m(in int a, out int b); };",
     "t.idl:1:35: message 'm' cannot have out parameter 'b' (a message is one-way)"),
    ("interface i { rpc m(in string<0> s); };", "t.idl:1:31: string bound must be at least 1"),
    ("interface i { rpc m(in bytes<0> s); };", "t.idl:1:30: bytes bound must be at least 1"),
    ("interface i { rpc m(in bytes b); };", "t.idl:1:30: bytes needs a bound: bytes<N>"),
    ("interface i { rpc m(in int v[0]); };", "t.idl:1:29: array 'v' has length 0"),
    ("interface i { rpc m(in string s[2]); };",
     "t.idl:1:32: arrays of string<256> are not supported (only of integers and bool)"),
    ("interface i { rpc m(in bytes<505> b); };",
     "t.idl:1:35: bytes<505> 'b' makes the request of 'm' up to 65 words, more than the 64 an IDL message may carry"),
    ("interface i { rpc m(out bytes<497> b); };",
     "t.idl:1:36: bytes<497> 'b' makes the reply of 'm' up to 65 words, more than the 64 an IDL message may carry"),
    ("interface i { rpc m(in string s, in string t); };",
     "t.idl:1:44: string<256> 't' makes the request of 'm' up to 66 words, more than the 64 an IDL message may carry"),
    ("interface i { rpc m(in uint64 v[63], in mem r); };",
     "t.idl:1:45: mem 'r' makes the request of 'm' up to 65 words, more than the 64 an IDL message may carry"),
    ("interface i { rpc m(in mem r[2]); };",
     "t.idl:1:29: arrays of mem are not supported (only of integers and bool)"),
    ("interface i { rpc m(in uint64 v[64], in cap c); };",
     "t.idl:1:45: cap 'c' makes the request of 'm' up to 66 words, more than the 64 an IDL message may carry"),
    ("interface i { rpc m(int x); };", "t.idl:1:21: expected 'in' or 'out', found 'int'"),
    ("interface i { rpc m(in int x y); };", "t.idl:1:30: expected ',' or ')', found 'y'"),
    ("interface i { void m(); };", "t.idl:1:15: expected 'rpc', 'message' or '}', found 'void'"),
    ("interface i { rpc m(in int if); };", "t.idl:1:28: parameter name 'if' is reserved"),
    ("interface i { rpc m(in int ctx); };", "t.idl:1:28: parameter name 'ctx' is reserved"),
    ("interface i { rpc _m(); };", "t.idl:1:19: method name '_m' must not start with '_'"),
    ("interface i { rpc m(in string<12x> s); };", "t.idl:1:31: malformed number '12x'"),
    ("interface i \"doc {};", "t.idl:1:13: unterminated string"),
    ("interface i {}; /* open", "t.idl:1:17: unterminated comment"),
    ("interface i { rpc m(in int x); } @", "t.idl:1:34: unexpected character '@'"),
    ("rpc m();", "t.idl:1:1: expected 'interface', found 'rpc'"),
    # Names that would collide in the generated C (issue 9).
    ("interface a { rpc dispatch(); };",
     "t.idl:1:19: the client stub of rpc 'dispatch' of interface 'a' would be C's "
     "'a_dispatch', as interface 'a''s dispatch function (line 1) is: rename one"),
    ("interface a { rpc b_c(); };\ninterface a_b { rpc c(); };",
     "t.idl:2:21: the client stub of rpc 'c' of interface 'a_b' would be C's 'a_b_c', "
     "as the client stub of rpc 'b_c' of interface 'a' (line 1) is: rename one"),
    ("interface a { rpc x(); rpc serve_x(); };",
     "t.idl:1:28: the client stub of rpc 'serve_x' of interface 'a' would be C's "
     "'a_serve_x', as the server stub of rpc 'x' of interface 'a' (line 1) is: rename one"),
    ("interface a {};\ninterface A {};",
     "t.idl:2:1: interface 'A''s id macro would be C's 'A_IFACE_ID', as interface 'a''s id "
     "macro (line 1) is: rename one"),
])
def test_refused(text, message):
    assert refused(text) == message
