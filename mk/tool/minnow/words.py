"""Word splitting and quoting for modules.list, grub.cfg and command lines."""

import re


def split_words(line):
    """Split a modules.list line into words.

    Words are separated by whitespace.  Double quotes group text containing
    spaces (``"a b"``); inside them ``\\"`` and ``\\\\`` stand for a quote and
    a backslash.  A ``#`` at the start of a word (outside quotes) begins a
    comment.  Raises ValueError for an unterminated quote.
    """
    words, cur, in_word, i = [], [], False, 0
    while i < len(line):
        c = line[i]
        if c.isspace():
            if in_word:
                words.append("".join(cur))
                cur, in_word = [], False
        elif c == "#" and not in_word:
            break
        elif c == '"':
            in_word = True
            i += 1
            while i < len(line) and line[i] != '"':
                if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in '"\\':
                    i += 1
                cur.append(line[i])
                i += 1
            if i == len(line):
                raise ValueError("unterminated double quote")
        else:
            in_word = True
            cur.append(c)
        i += 1
    if in_word:
        words.append("".join(cur))
    return words


_GRUB_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def grub_quote(word):
    """Quote a word for GRUB's shell-like script language."""
    if _GRUB_SAFE.fullmatch(word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def multiboot_cmdline(args):
    """Join arguments into one command-line string the way GRUB does.

    GRUB's multiboot2/module2 commands re-join their arguments: backslashes
    and quotes get a backslash, and arguments containing spaces are wrapped
    in double quotes.  Doing the same for QEMU's -kernel path makes the guest
    see identical command lines in both boot modes.
    """
    out = []
    for arg in args:
        escaped = re.sub(r"""([\\'"])""", r"\\\1", arg)
        out.append(f'"{escaped}"' if " " in arg else escaped)
    return " ".join(out)
