"""Parsed expression trees, cached by (kind, text) in a bounded LRU.

Applications send the same few expression texts over and over (placeholders
keep the values out of the text), so each distinct text is parsed once per
process. Trees are immutable, so one cached tree serves concurrent requests.
Only successful parses are cached: a text that fails to parse raises every
time, which keeps junk from evicting useful entries. The bound is
``limits.EXPRESSION_CACHE_ENTRIES_MAX`` (STYLE rule 7); ``functools.lru_cache`` is
thread-safe and its hit path runs in C, which matters on the hot UpdateItem path.

resolve.py keeps a second LRU of the same bound for *resolved* trees, keyed by
(kind, text, the request's placeholder maps) when those maps are small.
"""

from __future__ import annotations

import functools

from openddb import limits
from openddb.expressions import ast
from openddb.expressions.parser import parse


@functools.lru_cache(maxsize=limits.EXPRESSION_CACHE_ENTRIES_MAX)
def parsed(kind: str, text: str) -> ast.Tree:
    """The tree of ``text`` as an expression of ``kind``; raises as :func:`parser.parse`."""
    return parse(kind, text)


def clear() -> None:
    """Forget every cached parse (tests)."""
    parsed.cache_clear()
