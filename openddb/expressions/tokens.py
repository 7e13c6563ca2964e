"""The expression lexer: text -> tokens, and the ``near:`` text of a syntax error.

DynamoDB's expression lexer (observed through its error messages, which name the
offending token) knows these tokens::

    NAME       alnum          a, Year, list_append   letter first, then letters, digits, _
    NAME_REF   #alnum         #n, #1, #_             any of letters, digits, _ after '#'
    VALUE_REF  :alnum         :v, :1                 likewise after ':'
    NUMBER     digits         3                      only meaningful as a list index a[3]
    PUNCT      = <> < <= > >= ( ) [ ] , . + -
    INVALID    any other character, alone: _ ! $ " or a '#'/':' with nothing after it
    EOF        end of input, shown as <EOF>

Whitespace (space, tab, CR, LF) separates tokens. A syntax error names one token
and quotes the original text from the start of the token before it to the end of
the token after it, spacing kept (live captures in behaviours.md 1.1)::

    "ADD hits : incr"  ->  Syntax error; token: ":", near: "hits : incr"
    "SET _123 = :v"    ->  Syntax error; token: "_", near: "SET _123"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "NAME"
NAME_REF = "NAME_REF"
VALUE_REF = "VALUE_REF"
NUMBER = "NUMBER"
PUNCT = "PUNCT"
INVALID = "INVALID"
EOF = "EOF"

EOF_TEXT = "<EOF>"

_TOKEN = re.compile(
    r"""
     (?P<space>[ \t\r\n]+)
    |(?P<NAME>[A-Za-z][A-Za-z0-9_]*)
    |(?P<NAME_REF>\#[A-Za-z0-9_]+)
    |(?P<VALUE_REF>:[A-Za-z0-9_]+)
    |(?P<NUMBER>[0-9]+)
    |(?P<PUNCT><>|<=|>=|[=<>()\[\],.+\-])
    |(?P<INVALID>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (module constants above), text and span in the expression."""

    kind: str
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, whitespace dropped, ending with one EOF token.

    Never raises: characters the language does not know become INVALID tokens,
    which the parser reports as syntax errors where it meets them.
    """
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append(Token(kind, match.group(), match.start(), match.end()))
    tokens.append(Token(EOF, EOF_TEXT, len(text), len(text)))
    return tokens


def near(text: str, tokens: list[Token], index: int) -> str:
    """The ``near:`` fragment for a syntax error at ``tokens[index]``.

    From the start of the previous token (or of the offending one when it is
    the first) to the end of the next one (or of the offending one at the end).
    """
    assert 0 <= index < len(tokens)
    start = tokens[index - 1].start if index > 0 else tokens[index].start
    following = index + 1 if index + 1 < len(tokens) else index
    if tokens[following].kind == EOF:
        following = index
    return text[start : tokens[following].end]
