"""Tokens for Minnow's little languages (IDL, layout descriptions):
identifiers, numbers, quoted strings and one-character punctuation.

Comments (// to end of line, /* ... */) and white space are skipped.  Every
token carries its 1-based line and column for `file:line:col: message`.
"""

from dataclasses import dataclass


@dataclass
class Token:
    kind: str       # "ident", "number", "string", a punctuation character, or "eof"
    text: str
    line: int
    col: int


def _number(word, hex_ok):
    """The value of a number token, or None when it is malformed."""
    if word.isdigit():
        return int(word)
    if hex_ok and word[:2] in ("0x", "0X") and len(word) > 2:
        try:
            return int(word[2:], 16)
        except ValueError:
            return None
    return None


def tokenize(text, path, punct, error, hex_ok=False):
    """The token list of ``text``; ``error(path, line, col, message)`` builds
    the exception raised for a lexical error.  Numbers are decimal, and also
    0x-hexadecimal when ``hex_ok``; a number token's text is its decimal value."""
    toks = []
    i, line, col = 0, 1, 1
    n = len(text)

    def advance(k):
        nonlocal i, line, col
        for _ in range(k):
            if text[i] == "\n":
                line, col = line + 1, 1
            else:
                col += 1
            i += 1

    while i < n:
        c = text[i]
        if c in " \t\r\n":
            advance(1)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                advance(1)
        elif text.startswith("/*", i):
            sl, sc = line, col
            end = text.find("*/", i + 2)
            if end < 0:
                raise error(path, sl, sc, "unterminated comment")
            advance(end + 2 - i)
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            toks.append(Token("ident", text[i:j], line, col))
            advance(j - i)
        elif c.isdigit():
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            value = _number(word, hex_ok)
            if value is None:
                raise error(path, line, col, f"malformed number '{word}'")
            toks.append(Token("number", str(value), line, col))
            advance(j - i)
        elif c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 1
            if j >= n or text[j] != '"':
                raise error(path, line, col, "unterminated string")
            toks.append(Token("string", text[i + 1:j], line, col))
            advance(j + 1 - i)
        elif c in punct:
            toks.append(Token(c, c, line, col))
            advance(1)
        else:
            raise error(path, line, col, f"unexpected character '{c}'")
    toks.append(Token("eof", "", line, col))
    return toks
