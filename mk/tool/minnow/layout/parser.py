"""Layout descriptions: tokens to model objects (syntax only; checker.py
judges meaning).  The grammar, with [] optional and * repeated:

    file     := (layout | device)*
    layout   := "layout" NAME [STRING] "width" NUM ["words" NUM] "{" (field | const)* "}" [";"]
    device   := "device" NAME [STRING] "{" (space | dwidth | register)* "}" [";"]
    space    := "space" ("io" | "mem" | "config" | "msr") NUM ";"
    dwidth   := "width" NUM ";"
    register := "register" NAME ["[" NUM "]"] "@" NUM rattr* [STRING]
                ("{" (field | const)* "}" [";"] | ";")
    rattr    := "width" NUM | "stride" NUM | "reset" NUM | ACCESS
    field    := NAME bits ("|" bits)* ["high"] [ACCESS] [STRING]
                ("{" (NAME "=" NUM ";")* "}" [";"] | ";")
    bits     := NUM [":" NUM]                 (HI:LO)
    const    := "const" NAME [STRING] "{" (NAME "=" (NUM | NAME) ";")* "}" [";"]
    ACCESS   := "ro" | "rw" | "wo" | "rc" | "w1c"
"""

from ..lexer import tokenize
from .errors import LayoutError
from .model import ACCESSES, SPACES, Const, Device, Field, Layout, Part, Register, Value

PUNCT = "{}[];:@|="
MAX_NUMBER = (1 << 64) - 1


class Parser:
    def __init__(self, text, path):
        self.path = path
        self.toks = tokenize(text, path, PUNCT, LayoutError, hex_ok=True)
        self.i = 0

    # --- token helpers ---------------------------------------------------------
    def peek(self, k=0):
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def error(self, tok, message):
        return LayoutError(self.path, tok.line, tok.col, message)

    @staticmethod
    def shown(tok):
        return "end of file" if tok.kind == "eof" else f"'{tok.text}'"

    def expect(self, kind, what=None):
        t = self.peek()
        if t.kind != kind:
            raise self.error(t, f"expected {what or repr(kind)}, found {self.shown(t)}")
        return self.next()

    def accept(self, kind, text=None):
        t = self.peek()
        if t.kind == kind and (text is None or t.text == text):
            return self.next()
        return None

    def keyword(self, word):
        t = self.peek()
        if t.kind != "ident" or t.text != word:
            raise self.error(t, f"expected '{word}', found {self.shown(t)}")
        return self.next()

    def number(self, what="a number"):
        t = self.expect("number", what)
        v = int(t.text)
        if v > MAX_NUMBER:
            raise self.error(t, f"number {t.text} does not fit in 64 bits")
        return v, t

    def name(self, what):
        return self.expect("ident", what)

    def doc(self):
        t = self.accept("string")
        return t.text if t else ""

    def end_block(self):
        """After a closing brace a semicolon is optional."""
        self.accept(";")

    # --- grammar -----------------------------------------------------------------
    def parse(self):
        items = []
        while self.peek().kind != "eof":
            t = self.peek()
            if t.kind == "ident" and t.text == "layout":
                items.append(self.layout())
            elif t.kind == "ident" and t.text == "device":
                items.append(self.device())
            else:
                raise self.error(t, f"expected 'layout' or 'device', found {self.shown(t)}")
        return items

    def layout(self):
        kw = self.keyword("layout")
        name = self.name("the layout's name")
        lay = Layout(name.text, 0, 1, kw.line, kw.col, self.doc())
        lay.name_tok = name
        self.keyword("width")
        lay.width, lay.width_tok = self.number("the word width in bits")
        if self.accept("ident", "words"):
            lay.words, lay.words_tok = self.number("the number of words")
        self.expect("{")
        self.body(lay, registers=False)
        self.end_block()
        return lay

    def body(self, owner, registers):
        """Fields and constants up to the closing brace."""
        while not self.accept("}"):
            t = self.peek()
            if t.kind == "eof":
                raise self.error(t, f"expected '}}' to close '{owner.name}', found end of file")
            if t.kind == "ident" and t.text == "const":
                owner.consts.append(self.const())
            else:
                owner.fields.append(self.field(registers))

    def field(self, registers):
        name = self.name("a field name or 'const'")
        f = Field(name.text, [], name.line, name.col)
        while True:
            hi, hi_tok = self.number("a bit number or HI:LO range")
            lo = hi
            if self.accept(":"):
                lo, _ = self.number("the low bit of the range")
            if hi < lo:
                raise self.error(hi_tok, f"bit range {hi}:{lo} of field '{f.name}' is backwards (write HI:LO)")
            f.parts.append(Part(hi, lo))
            if not self.accept("|"):
                break
        if self.accept("ident", "high"):
            f.high = True
            f.high_tok = self.toks[self.i - 1]
        t = self.peek()
        if t.kind == "ident":
            if t.text not in ACCESSES:
                raise self.error(t, f"unknown access '{t.text}' for field '{f.name}' "
                                 f"(expected ro, rw, wo, rc or w1c)")
            if not registers:
                raise self.error(t, f"access '{t.text}' applies to register fields, "
                                 f"not to the fields of a layout")
            f.access = self.next().text
            f.access_tok = t
        f.doc = self.doc()
        if self.accept("{"):
            while not self.accept("}"):
                vn = self.name("a value name or '}'")
                self.expect("=", "'='")
                v, _ = self.number("the value")
                self.expect(";", "';'")
                f.values.append(Value(vn.text, v, vn.line, vn.col))
            self.end_block()
        else:
            self.expect(";", "';' after the field")
        return f

    def const(self):
        kw = self.keyword("const")
        name = self.name("the constant's name")
        c = Const(name.text, [], name.line, name.col, self.doc())
        self.expect("{")
        while not self.accept("}"):
            fn = self.name("a field name or '}'")
            self.expect("=", "'='")
            t = self.peek()
            if t.kind == "number":
                v, _ = self.number()
            else:
                v = self.name("a number or a value name").text
            self.expect(";", "';'")
            c.sets.append((fn.text, v, fn.line, fn.col))
        self.end_block()
        return c

    def device(self):
        kw = self.keyword("device")
        name = self.name("the device's name")
        dev = Device(name.text, kw.line, kw.col, self.doc())
        self.expect("{")
        while not self.accept("}"):
            t = self.peek()
            if t.kind == "ident" and t.text == "space":
                self.next()
                if dev.space is not None:
                    raise self.error(t, f"device '{dev.name}' declares its space twice")
                kind = self.name("io, mem, config or msr")
                if kind.text not in SPACES:
                    raise self.error(kind, f"unknown space '{kind.text}' (expected io, mem, config or msr)")
                dev.space = kind.text
                dev.size, size_tok = self.number("the space's size in bytes")
                if dev.size == 0:
                    raise self.error(size_tok, f"device '{dev.name}' has an empty space")
                self.expect(";", "';'")
            elif t.kind == "ident" and t.text == "width":
                self.next()
                dev.width, dev.width_tok = self.number("the default register width")
                self.expect(";", "';'")
            elif t.kind == "ident" and t.text == "register":
                dev.registers.append(self.register())
            elif t.kind == "eof":
                raise self.error(t, f"expected '}}' to close '{dev.name}', found end of file")
            else:
                raise self.error(t, f"expected 'space', 'width', 'register' or '}}', found {self.shown(t)}")
        self.end_block()
        return dev

    def register(self):
        self.keyword("register")
        name = self.name("the register's name")
        r = Register(name.text, 0, name.line, name.col)
        if self.accept("["):
            r.count, ct = self.number("the number of registers in the array")
            if r.count == 0:
                raise self.error(ct, f"register array '{r.name}' has no elements")
            r.is_array = True
            self.expect("]", "']'")
        self.expect("@", "'@' and the register's offset")
        r.offset, r.offset_tok = self.number("the register's offset")
        while self.peek().kind == "ident":
            t = self.next()
            if t.text == "width":
                r.width, r.width_tok = self.number("the register's width in bits")
            elif t.text == "stride":
                r.stride, r.stride_tok = self.number("the array's stride in bytes")
            elif t.text == "reset":
                r.reset, rt = self.number("the reset value")
                r.reset_at = (rt.line, rt.col)
            elif t.text in ACCESSES:
                r.access = t.text
            else:
                raise self.error(t, f"unknown access '{t.text}' for register '{r.name}' "
                                 f"(expected ro, rw, wo, rc or w1c)")
        r.doc = self.doc()
        if self.accept("{"):
            self.body(r, registers=True)
            self.end_block()
        else:
            self.expect(";", "';' or '{' after the register")
        return r


def parse(text, path):
    return Parser(text, path).parse()
