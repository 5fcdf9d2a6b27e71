"""IDL tokens: the shared lexer (minnow/lexer.py) with IDL's punctuation,
decimal numbers only."""

from ..lexer import Token, tokenize as _tokenize
from .errors import IdlError

PUNCT = "{}()[]<>;,"


def tokenize(text, path):
    return _tokenize(text, path, PUNCT, IdlError)


__all__ = ["Token", "tokenize"]
