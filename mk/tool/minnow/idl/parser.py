"""Recursive-descent parser for the IDL:

    file      = { interface } EOF
    interface = "interface" IDENT [ STRING ] "{" { method } "}" ";"
    method    = ( "rpc" | "message" ) IDENT "(" [ param { "," param } ] ")" ";"
    param     = ( "in" | "out" ) type IDENT [ "[" NUMBER "]" ]
    type      = SCALAR | "string" [ "<" NUMBER ">" ] | "bytes" "<" NUMBER ">" | "cap" | "mem"

Type names are checked here (an unknown one is an error at its position);
names, sizes and directions are left to checker.py.
"""

from .errors import IdlError
from .lexer import tokenize
from .model import ALIASES, SCALARS, STRING_DEFAULT_BOUND, Interface, Method, Param, Type

TYPE_WORDS = set(SCALARS) | set(ALIASES) | {"string", "bytes", "cap", "mem"}


class Parser:
    def __init__(self, text, path):
        self.path = path
        self.toks = tokenize(text, path)
        self.pos = 0

    def peek(self):
        return self.toks[self.pos]

    def next(self):
        t = self.toks[self.pos]
        if t.kind != "eof":
            self.pos += 1
        return t

    def error(self, tok, message):
        return IdlError(self.path, tok.line, tok.col, message)

    def expect(self, kind, what=None):
        t = self.peek()
        if t.kind != kind:
            found = "end of file" if t.kind == "eof" else f"'{t.text}'"
            raise self.error(t, f"expected {what or repr(kind)}, found {found}")
        return self.next()

    def expect_word(self, word):
        t = self.peek()
        if t.kind != "ident" or t.text != word:
            found = "end of file" if t.kind == "eof" else f"'{t.text}'"
            raise self.error(t, f"expected '{word}', found {found}")
        return self.next()

    def number(self):
        t = self.expect("number", "a number")
        return int(t.text), t

    def parse_file(self):
        out = []
        while self.peek().kind != "eof":
            out.append(self.interface())
        return out

    def interface(self):
        kw = self.expect_word("interface")
        name = self.expect("ident", "an interface name")
        doc = self.next().text if self.peek().kind == "string" else ""
        self.expect("{")
        iface = Interface(name.text, doc, line=kw.line, col=kw.col)
        while self.peek().kind != "}":
            iface.methods.append(self.method())
        self.expect("}")
        self.expect(";", "';' after the interface")
        return iface

    def method(self):
        kw = self.peek()
        if kw.kind != "ident" or kw.text not in ("rpc", "message"):
            found = "end of file" if kw.kind == "eof" else f"'{kw.text}'"
            raise self.error(kw, f"expected 'rpc', 'message' or '}}', found {found}")
        self.next()
        name = self.expect("ident", "a method name")
        self.expect("(")
        params = []
        if self.peek().kind != ")":
            params.append(self.param())
            while self.peek().kind == ",":
                self.next()
                params.append(self.param())
        self.expect(")", "',' or ')'")
        self.expect(";", f"';' after {kw.text} '{name.text}'")
        return Method(kw.text, name.text, params, name.line, name.col)

    def param(self):
        d = self.peek()
        if d.kind != "ident" or d.text not in ("in", "out"):
            found = "end of file" if d.kind == "eof" else f"'{d.text}'"
            raise self.error(d, f"expected 'in' or 'out', found {found}")
        self.next()
        ty = self.type()
        name = self.expect("ident", "a parameter name")
        if self.peek().kind == "[":
            br = self.next()
            n, _ = self.number()
            self.expect("]")
            if ty.kind != "scalar":
                raise self.error(br, f"arrays of {ty.describe()} are not supported "
                                     "(only of integers and bool)")
            if n == 0:
                raise self.error(br, f"array '{name.text}' has length 0")
            ty = Type("array", ty.name, n)
        return Param(d.text, ty, name.text, name.line, name.col, d.col)

    def type(self):
        t = self.peek()
        if t.kind != "ident":
            found = "end of file" if t.kind == "eof" else f"'{t.text}'"
            raise self.error(t, f"expected a type, found {found}")
        if t.text not in TYPE_WORDS:
            raise self.error(t, f"unknown type '{t.text}'")
        self.next()
        if t.text in ("string", "bytes"):
            if self.peek().kind != "<":
                if t.text == "bytes":
                    raise self.error(self.peek(), "bytes needs a bound: bytes<N>")
                return Type("string", bound=STRING_DEFAULT_BOUND)
            self.next()
            n, nt = self.number()
            self.expect(">")
            if n == 0:
                raise self.error(nt, f"{t.text} bound must be at least 1")
            return Type(t.text, bound=n)
        if t.text in ("cap", "mem"):
            return Type(t.text)
        return Type("scalar", ALIASES.get(t.text, t.text))


def parse(text, path):
    return Parser(text, path).parse_file()
