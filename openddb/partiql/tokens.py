"""The PartiQL lexer: statement text -> tokens with their line:column positions.

DynamoDB parses statements with the PartiQL reference parser. The tokens it knows, as
far as DynamoDB's subset uses them (Developer Guide "PartiQL data types", "PartiQL
operators")::

    KEYWORD     SELECT, where, Between      a reserved word, any case (value upper-cased)
    IDENTIFIER  Artist, sk_2, _x            letter or _ first; case kept
    QUOTED      "Music", "it""s"            double quotes, "" inside is one quote
    STRING      'x', 'it''s'                single quotes, '' inside is one quote
    NUMBER      1, 1.5, .5, 7.31e6          an optional exponent (32-bit, as Ion's decimal)
    PARAMETER   ?                           the next member of ``Parameters``
    PUNCT       = <> != < <= > >= + - * / % || . , ( ) [ ] { } : ; << >>
    EOF         end of the statement

Whitespace, ``-- line`` comments and ``/* block */`` comments separate tokens. A
character the lexer cannot read (``#``, ``$``, a backtick Ion literal), an unterminated
string, quoted name or block comment, and a number whose exponent or scale leaves the
32-bit range are refused with the bare "wasn't well formed" envelope: DynamoDB answers
all of those with nothing after the colon (live, paritysuite partiqlGrammar).

Every token carries ``line``, ``column`` (both from 1, counted in characters) and its
``length``: DynamoDB points at tokens as ``at <line>:<column>:<length>`` in some texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openddb import errors

KEYWORD = "KEYWORD"
IDENTIFIER = "IDENTIFIER"
QUOTED = "QUOTED"
STRING = "STRING"
NUMBER = "NUMBER"
PARAMETER = "PARAMETER"
PUNCT = "PUNCT"
EOF = "EOF"

# The reserved words of the PartiQL reference parser (SQL-92's and PartiQL's own). A bare
# name that is one of these is a keyword, never an attribute name: ``"value"`` must be
# quoted, and ``m.inner`` is refused (live: "Invalid path dot component").
_RESERVED_WORDS_TEXT = """
    ABSOLUTE ACTION ADD ALL ALLOCATE ALTER AND ANY ARE AS ASC ASSERTION AT AUTHORIZATION AVG
    BAG BEGIN BETWEEN BIT BIT_LENGTH BLOB BOOL BOOLEAN BOTH BY CAN_CAST CAN_LOSSLESS_CAST
    CASCADE CASCADED CASE CAST CATALOG CHAR CHARACTER CHARACTER_LENGTH CHAR_LENGTH CHECK CLOB
    CLOSE COALESCE COLLATE COLLATION COLUMN COMMIT CONFLICT CONNECT CONNECTION CONSTRAINT
    CONSTRAINTS CONTINUE CONVERT CORRESPONDING COUNT CREATE CROSS CURRENT CURRENT_DATE
    CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATE DATE_ADD DATE_DIFF DAY DEALLOCATE
    DEC DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED DELETE DESC DESCRIBE DESCRIPTOR
    DIAGNOSTICS DISCONNECT DISTINCT DO DOMAIN DOUBLE DROP ELSE END END-EXEC ESCAPE EXCEPT
    EXCEPTION EXCLUDED EXEC EXECUTE EXISTS EXTERNAL EXTRACT FALSE FETCH FIRST FLOAT FOR
    FOREIGN FOUND FROM FULL GET GLOBAL GO GOTO GRANT GROUP HAVING HOUR IDENTITY IMMEDIATE IN
    INDEX INDICATOR INITIALLY INNER INPUT INSENSITIVE INSERT INT INTEGER INTERSECT INTERVAL
    INTO IS ISOLATION JOIN KEY LANGUAGE LAST LEADING LEFT LET LEVEL LIKE LIMIT LIST LOCAL
    LOWER MATCH MAX MIN MINUTE MISSING MODIFIED MODULE MONTH NAMES NATIONAL NATURAL NCHAR NEW
    NEXT NO NOT NOTHING NULL NULLIF NUMERIC OCTET_LENGTH OF OFFSET OLD ON ONLY OPEN OPTION OR
    ORDER OUTER OUTPUT OVERLAPS PAD PARTIAL PIVOT POSITION PRECISION PREPARE PRESERVE PRIMARY
    PRIOR PRIVILEGES PROCEDURE PUBLIC READ REAL REFERENCES RELATIVE REMOVE RESTRICT RETURNING
    REVOKE RIGHT ROLLBACK ROWS SCHEMA SCROLL SECOND SECTION SELECT SESSION SESSION_USER SET
    SEXP SIZE SMALLINT SOME SPACE SQL SQLCODE SQLERROR SQLSTATE STRING STRUCT SUBSTRING SUM
    SYMBOL SYSTEM_USER TABLE TEMPORARY THEN TIME TIMESTAMP TIMEZONE_HOUR TIMEZONE_MINUTE TO
    TRAILING TRANSACTION TRANSLATE TRANSLATION TRIM TRUE TUPLE UNION UNIQUE UNKNOWN UNPIVOT
    UPDATE UPPER USAGE USER USING VALUE VALUES VARCHAR VARYING VIEW WHEN WHENEVER WHERE WITH
    WORK WRITE YEAR ZONE
"""
RESERVED_WORDS = frozenset(_RESERVED_WORDS_TEXT.split())

# Ion decimals keep exponent and scale in 32-bit integers; a literal outside that range
# cannot be read at all (live: 1e2147483648, 1.5e-2147483647 answer the bare envelope).
_INT32_MAX = 2**31 - 1

_TOKEN = re.compile(
    r"""
     (?P<space>[ \t\r\n\f]+)
    |(?P<line_comment>--[^\n]*)
    |(?P<block_comment>/\*.*?\*/)
    |(?P<open_comment>/\*)
    |(?P<NUMBER>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    |(?P<QUOTED>"(?:[^"]|"")*")
    |(?P<STRING>'(?:[^']|'')*')
    |(?P<PARAMETER>\?)
    |(?P<PUNCT><<|>>|<>|!=|<=|>=|\|\||[=<>+\-*/%.,()\[\]{}:;])
    |(?P<invalid>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token. ``value``: the keyword upper-cased, a name or string unquoted, else the
    text as written."""

    kind: str
    value: str
    line: int
    column: int
    length: int

    @property
    def at(self) -> str:
        """The position DynamoDB prints after ``at``: ``line:column:length``."""
        return f"{self.line}:{self.column}:{self.length}"

    def is_keyword(self, *words: str) -> bool:
        return self.kind == KEYWORD and self.value in words

    def is_punct(self, *texts: str) -> bool:
        return self.kind == PUNCT and self.value in texts


def tokenize(text: str) -> list[Token]:
    """The statement's tokens, ending with one EOF token.

    Raises ValidationException "Statement wasn't well formed, can't be processed: " for
    text the lexer cannot read.
    """
    tokens: list[Token] = []
    line, line_start = 1, 0
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None and match.end() > position, position
        kind = match.lastgroup
        assert kind is not None
        raw = match.group()
        if kind in ("invalid", "open_comment"):
            raise errors.statement_not_well_formed("")
        if kind not in ("space", "line_comment", "block_comment"):
            column = position - line_start + 1
            tokens.append(_token(kind, raw, line, column))
        newlines = raw.count("\n")
        if newlines:
            line += newlines
            line_start = position + raw.rindex("\n") + 1
        position = match.end()
    tokens.append(Token(EOF, "", line, len(text) - line_start + 1, 0))
    return tokens


def _token(kind: str, raw: str, line: int, column: int) -> Token:
    length = len(raw)
    if kind == "word":
        upper = raw.upper()
        if upper in RESERVED_WORDS:
            return Token(KEYWORD, upper, line, column, length)
        return Token(IDENTIFIER, raw, line, column, length)
    if kind == QUOTED:
        return Token(QUOTED, raw[1:-1].replace('""', '"'), line, column, length)
    if kind == STRING:
        return Token(STRING, raw[1:-1].replace("''", "'"), line, column, length)
    if kind == NUMBER:
        _check_number_range(raw)
    return Token(kind, raw, line, column, length)


def _check_number_range(raw: str) -> None:
    """An exponent, or the scale it leaves, outside 32 bits cannot be read (see above)."""
    mantissa, _, exponent_text = raw.lower().partition("e")
    if not exponent_text:
        return
    digits = exponent_text.lstrip("+-")
    if len(digits) > len(str(_INT32_MAX)):
        raise errors.statement_not_well_formed("")
    exponent = int(exponent_text)
    fraction_digits = len(mantissa.partition(".")[2])
    if not -_INT32_MAX - 1 <= exponent <= _INT32_MAX:
        raise errors.statement_not_well_formed("")
    if not -_INT32_MAX - 1 <= fraction_digits - exponent <= _INT32_MAX:
        raise errors.statement_not_well_formed("")
