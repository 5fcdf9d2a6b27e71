"""IDL tokens: identifiers, numbers, quoted strings, punctuation.

Comments (// to end of line, /* ... */) and white space are skipped.  Every
token carries its 1-based line and column for `file:line:col: message`.
"""

from dataclasses import dataclass

from .errors import IdlError

PUNCT = "{}()[]<>;,"


@dataclass
class Token:
    kind: str       # "ident", "number", "string", one of PUNCT, or "eof"
    text: str
    line: int
    col: int


def tokenize(text, path):
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
                raise IdlError(path, sl, sc, "unterminated comment")
            advance(end + 2 - i)
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            toks.append(Token("ident", text[i:j], line, col))
            advance(j - i)
        elif c.isdigit():
            j = i
            while j < n and text[j].isalnum():
                j += 1
            word = text[i:j]
            if not word.isdigit():
                raise IdlError(path, line, col, f"malformed number '{word}'")
            toks.append(Token("number", word, line, col))
            advance(j - i)
        elif c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 1
            if j >= n or text[j] != '"':
                raise IdlError(path, line, col, "unterminated string")
            toks.append(Token("string", text[i + 1:j], line, col))
            advance(j + 1 - i)
        elif c in PUNCT:
            toks.append(Token(c, c, line, col))
            advance(1)
        else:
            raise IdlError(path, line, col, f"unexpected character '{c}'")
    toks.append(Token("eof", "", line, col))
    return toks
