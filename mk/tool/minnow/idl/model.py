"""The parsed interface: interfaces, methods, parameters and their types,
with the wire size of each type in 64-bit message words."""

from dataclasses import dataclass, field

# name -> (C type, bytes, signed)
SCALARS = {
    "int8": ("int8_t", 1, True), "int16": ("int16_t", 2, True),
    "int32": ("int32_t", 4, True), "int64": ("int64_t", 8, True),
    "uint8": ("uint8_t", 1, False), "uint16": ("uint16_t", 2, False),
    "uint32": ("uint32_t", 4, False), "uint64": ("uint64_t", 8, False),
    "bool": ("bool", 1, False),
}
ALIASES = {"int": "int32", "uint": "uint32"}
STRING_DEFAULT_BOUND = 256
# The words a request or reply may use (typed items two each): the IDL's own
# bound, half the kernel's 128 message registers (abi.h L4_MR_COUNT), so that
# the stubs' buffers stay small; raising it needs no kernel change.
MR_WORDS = 64


def words(nbytes):
    return (nbytes + 7) // 8


@dataclass
class Type:
    kind: str            # "scalar", "array", "string", "bytes", "cap", "mem"
    name: str = ""       # scalar name (for arrays: the element's)
    bound: int = 0       # array length, string or bytes bound

    @property
    def ctype(self):
        return SCALARS[self.name][0]

    @property
    def elem_size(self):
        return SCALARS[self.name][1]

    def max_words(self):
        """Untyped words this type takes at most."""
        if self.kind == "scalar":
            return 1
        if self.kind == "array":
            return words(self.bound * self.elem_size)
        if self.kind in ("string", "bytes"):
            return 1 + words(self.bound)
        return 0

    def items(self):
        return 1 if self.kind in ("cap", "mem") else 0

    def describe(self):
        if self.kind == "array":
            return f"{self.name}[{self.bound}]"
        if self.kind in ("string", "bytes"):
            return f"{self.kind}<{self.bound}>"
        return self.name or self.kind


@dataclass
class Param:
    direction: str       # "in" or "out"
    type: Type
    name: str
    line: int
    col: int
    dir_col: int = 0


@dataclass
class Method:
    kind: str            # "rpc" or "message"
    name: str
    params: list
    line: int
    col: int
    index: int = 0       # position in the interface, from 1
    label: int = 0

    def ins(self):
        return [p for p in self.params if p.direction == "in"]

    def outs(self):
        return [p for p in self.params if p.direction == "out"]


@dataclass
class Interface:
    name: str
    doc: str
    methods: list = field(default_factory=list)
    line: int = 0
    col: int = 0
    id: int = 0          # 16-bit interface number (label bits 16..31)
