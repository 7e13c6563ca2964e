"""Where a Query or Scan page starts, what it reads, and where it stops.

A page (API reference Query / Scan; Developer Guide "Paginating table query
results") reads items in key order until ``Limit`` items have been *evaluated*
or 1 MB of item data has been *read*, whichever comes first, and only then is a
filter applied. The item that reaches 1 MB is part of the page. A page that
stopped for either reason carries ``LastEvaluatedKey`` (the key of its last
item read) even when nothing follows, as the service does: dynalite's size-limit
tests, run against DynamoDB, return it for a partition of exactly ``Limit``
items and for one whose 25 items end just past 1 MB. Item data is measured as
DynamoDB measures an item's size (``item_bytes`` of every stored row).

Storage is read in chunks, never a whole partition or table at once. A chunk
asks for the rows still needed to reach 1 MB at the average item size seen so
far, but at most twice the previous chunk and at most 256 rows, so that a run
of small items followed by 400 KB ones over-reads at most one chunk::

    fetch(None, 32)   -> rows 1..32       average 300 B, 9.4 KB read
    fetch(row 32, 64) -> rows 33..96      (1 MB - 9.4 KB) / 300 B + 1 = 3,464 wanted
    fetch(row 96, 128), 256, 256, ...     stop at Limit or once 1 MB is read

This module also checks ``ExclusiveStartKey`` (Query and Scan word their errors
differently), turns a sort key condition into storage bounds, and builds
``LastEvaluatedKey``. No I/O: the caller passes the storage read as ``fetch``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openddb import errors
from openddb.expressions.key_condition import SortKeyCondition
from openddb.model.attribute_value import validate_value
from openddb.model.item import KeyAttribute, PrimaryKey, primary_key_of_key
from openddb.model.keys import decode_key_value, encode_key_value
from openddb.storage.engine import ItemRow, SortKeyBound

# The first chunk of a page without a smaller Limit, and the most rows of any chunk: a
# page reads at most 1 MB + one chunk (256 x 400 KB in the worst mix of sizes).
READ_CHUNK_ROWS_FIRST = 32
READ_CHUNK_ROWS_MAX = 256
READ_CHUNK_GROWTH = 2

# dynalite (validations/query.js, scan.js): an invalid ExclusiveStartKey value is reported
# as "The provided starting key is invalid: <text>" except for these texts, sent bare.
_BARE_VALUE_TEXTS = re.compile(
    r"contains duplicates|number set|numeric value|significant digits|number with magnitude"
)

# Reads up to ``count`` rows following ``after`` (None: from the start of the range).
Fetch = Callable[[ItemRow | None, int], list[ItemRow]]


@dataclass(frozen=True, slots=True)
class Page:
    """The rows a page evaluated, their total size, and whether it stopped early
    (Limit or 1 MB reached: the page then has a LastEvaluatedKey)."""

    rows: list[ItemRow]
    read_bytes: int
    stopped: bool


def read_page(fetch: Fetch, limit: int | None, page_bytes_max: int) -> Page:
    """Read one page through ``fetch``; see the module docstring for the rules."""
    rows: list[ItemRow] = []
    read_bytes = 0
    after: ItemRow | None = None
    wanted = READ_CHUNK_ROWS_FIRST
    while True:
        if limit is not None:
            wanted = min(wanted, limit - len(rows))
        assert wanted >= 1, wanted
        chunk = fetch(after, wanted)
        assert len(chunk) <= wanted, (len(chunk), wanted)
        for row in chunk:
            rows.append(row)
            read_bytes += row[4]  # item_bytes
            if len(rows) == limit or read_bytes >= page_bytes_max:
                return Page(rows, read_bytes, stopped=True)
        if len(chunk) < wanted:
            return Page(rows, read_bytes, stopped=False)
        after = chunk[-1]
        average = max(1, read_bytes // len(rows))
        needed = (page_bytes_max - read_bytes) // average + 1
        wanted = min(READ_CHUNK_ROWS_MAX, wanted * READ_CHUNK_GROWTH, needed)


def last_evaluated_key(
    row: ItemRow, partition: KeyAttribute, sort: KeyAttribute | None
) -> dict[str, Any]:
    """The primary key of ``row`` as a LastEvaluatedKey (canonical wire values)."""
    key = {
        partition.name: {
            partition.attribute_type: decode_key_value(partition.attribute_type, row[1])
        }
    }
    if sort is not None:
        key[sort.name] = {sort.attribute_type: decode_key_value(sort.attribute_type, row[2])}
    return key


def position_of(row: ItemRow) -> tuple[int, bytes, bytes]:
    """A row's place in Scan order: (hash token, partition key, sort key)."""
    return (row[0], row[1], row[2])


# --- ExclusiveStartKey ------------------------------------------------------------------


def check_start_key_values(exclusive_start_key: dict[str, Any]) -> None:
    """The start key's AttributeValues, checked before the table is looked up (dynalite
    order); numbers are canonicalised in place."""
    for value in exclusive_start_key.values():
        try:
            validate_value(value)
        except errors.ValidationException as error:
            message = str(error.message)
            if _BARE_VALUE_TEXTS.search(message):
                raise
            raise errors.starting_key_invalid(message) from None


def query_start_key(
    exclusive_start_key: dict[str, Any], partition: KeyAttribute, sort: KeyAttribute | None
) -> PrimaryKey:
    """A Query's start key against the key schema read (dynalite actions/query.js): wrong
    attribute names or count are "The provided starting key is invalid"; a wrong value is
    reported as for a ``Key`` (type mismatch, empty value, key size)."""
    names = [partition.name] if sort is None else [partition.name, sort.name]
    if len(exclusive_start_key) != len(names) or any(
        name not in exclusive_start_key for name in names
    ):
        raise errors.starting_key_invalid()
    return primary_key_of_key(exclusive_start_key, partition, sort)


def scan_start_key(
    exclusive_start_key: dict[str, Any], partition: KeyAttribute, sort: KeyAttribute | None
) -> PrimaryKey:
    """A Scan's start key: every problem is "The provided starting key is invalid: <why>"
    (live: laravel-dynamodb#200)."""
    try:
        return primary_key_of_key(exclusive_start_key, partition, sort)
    except errors.ValidationException as error:
        raise errors.starting_key_invalid(str(error.message)) from None


# --- sort key conditions as storage bounds ----------------------------------------------


@dataclass(frozen=True, slots=True)
class SortKeyRange:
    """The sort keys a Query reads: between ``lower`` and ``upper`` (None: unbounded)."""

    lower: SortKeyBound | None
    upper: SortKeyBound | None

    def contains(self, sort_key: bytes) -> bool:
        lower, upper = self.lower, self.upper
        if lower is not None and (
            sort_key < lower.sort_key or (sort_key == lower.sort_key and not lower.inclusive)
        ):
            return False
        return upper is None or not (
            sort_key > upper.sort_key or (sort_key == upper.sort_key and not upper.inclusive)
        )

    def after(self, sort_key: bytes, forward: bool) -> SortKeyRange:
        """The part of the range beyond ``sort_key`` in reading order (exclusive)."""
        if forward:
            return SortKeyRange(SortKeyBound(sort_key, False), self.upper)
        return SortKeyRange(self.lower, SortKeyBound(sort_key, False))


def sort_key_range(condition: SortKeyCondition | None, sort: KeyAttribute | None) -> SortKeyRange:
    """The storage range of a sort key condition (whole item collection when None).

    Encoded keys order as DynamoDB orders the values (model/keys.py), so every
    comparison is a bound; ``begins_with(prefix)`` is ``prefix <= key < successor``,
    where the successor is the prefix with its last byte below 0xFF incremented
    (UTF-8 prefixes of strings are byte prefixes of their encodings).
    """
    if condition is None:
        return SortKeyRange(None, None)
    assert sort is not None
    encoded = [
        encode_key_value(sort.attribute_type, value[sort.attribute_type])
        for value in condition.values
    ]
    operator = condition.operator
    if operator == "EQ":
        return SortKeyRange(SortKeyBound(encoded[0], True), SortKeyBound(encoded[0], True))
    if operator == "LT":
        return SortKeyRange(None, SortKeyBound(encoded[0], False))
    if operator == "LE":
        return SortKeyRange(None, SortKeyBound(encoded[0], True))
    if operator == "GT":
        return SortKeyRange(SortKeyBound(encoded[0], False), None)
    if operator == "GE":
        return SortKeyRange(SortKeyBound(encoded[0], True), None)
    if operator == "BETWEEN":
        return SortKeyRange(SortKeyBound(encoded[0], True), SortKeyBound(encoded[1], True))
    assert operator == "BEGINS_WITH", operator
    successor = _prefix_successor(encoded[0])
    upper = None if successor is None else SortKeyBound(successor, False)
    return SortKeyRange(SortKeyBound(encoded[0], True), upper)


def _prefix_successor(prefix: bytes) -> bytes | None:
    """The least byte string above every string starting with ``prefix``; None if none."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes((stripped[-1] + 1,))
