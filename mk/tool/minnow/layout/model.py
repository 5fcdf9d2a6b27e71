"""What a layout description means, after parsing and checking.

Bits are numbered from 0 across the whole layout: in a layout of two
64-bit words, bit 64 is bit 0 of word 1.  A field has one or more parts
(bit ranges); its value is the parts concatenated, the first part holding
the value's lowest bits.
"""

from dataclasses import dataclass, field as dcfield

ACCESSES = ("ro", "rw", "wo", "rc", "w1c")
READABLE = ("ro", "rw", "rc", "w1c")
WRITABLE = ("rw", "wo", "w1c")
WIDTHS = (8, 16, 32, 64)
SPACES = ("io", "mem", "config", "msr")   # msr: numbered, one index each


@dataclass
class Part:
    hi: int
    lo: int

    @property
    def width(self):
        return self.hi - self.lo + 1


@dataclass
class Value:
    name: str
    value: int
    line: int
    col: int


@dataclass
class Field:
    name: str
    parts: list
    line: int
    col: int
    high: bool = False          # the value is kept in place (an address), not shifted
    access: str = None          # registers only; None: the register's
    doc: str = ""
    values: list = dcfield(default_factory=list)

    @property
    def width(self):
        return sum(p.width for p in self.parts)

    def high_mask(self, width):
        """The bits a 'high' field's value may have: its place in its word."""
        p = self.parts[0]
        return ((1 << p.width) - 1) << (p.lo % width)

    def mask(self):
        m = 0
        for p in self.parts:
            m |= ((1 << p.width) - 1) << p.lo
        return m


@dataclass
class Const:
    name: str
    sets: list                  # (field name, number or value name, line, col)
    line: int
    col: int
    doc: str = ""
    words: list = dcfield(default_factory=list)   # filled by the checker


@dataclass
class Layout:
    """A memory layout: one word, or a descriptor of several words."""
    name: str
    width: int
    words: int
    line: int
    col: int
    doc: str = ""
    fields: list = dcfield(default_factory=list)
    consts: list = dcfield(default_factory=list)
    kind = "layout"


@dataclass
class Register:
    name: str
    offset: int
    line: int
    col: int
    access: str = None
    width: int = None
    count: int = 1              # > 1: an array of registers
    stride: int = None
    reset: int = None
    reset_at: tuple = None
    doc: str = ""
    fields: list = dcfield(default_factory=list)
    consts: list = dcfield(default_factory=list)
    is_array: bool = False

    @property
    def words(self):
        return 1


@dataclass
class Device:
    name: str
    line: int
    col: int
    doc: str = ""
    space: str = None
    size: int = None
    width: int = None           # default register width
    registers: list = dcfield(default_factory=list)
    kind = "device"
