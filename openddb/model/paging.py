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

Reads of a secondary index page the same way over index rows (storage/engine.py
``IndexRow``), whose first five members mean what a table row's do. Index keys need not
be unique, so an index read's start and end carry the index key *and* the table key
(behaviours.md section 2.2; PynamoDB#50), and it restarts strictly after that pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from openddb import errors
from openddb.expressions import key_condition
from openddb.expressions.key_condition import SortKeyCondition
from openddb.model.attribute_value import validate_value
from openddb.model.index import (
    KEY_PART_END,
    SecondaryIndex,
    encode_key_parts,
    key_attribute_names,
)
from openddb.model.item import KeyAttribute, PrimaryKey, primary_key_of_key
from openddb.model.keys import decode_key_value, encode_key_value, hash_token
from openddb.model.table import Table
from openddb.storage.engine import SortKeyBound

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

# A row of a table (ItemRow) or of an index (IndexRow): row[3] is the item JSON and
# row[4] its size in both.
Row = tuple[Any, ...]

# Reads up to ``count`` rows following ``after`` (None: from the start of the range).
Fetch = Callable[[Row | None, int], list[Row]]


@dataclass(frozen=True, slots=True)
class Page:
    """The rows a page evaluated, their total size, and whether it stopped early
    (Limit or 1 MB reached: the page then has a LastEvaluatedKey)."""

    rows: list[Row]
    read_bytes: int
    stopped: bool


def read_page(fetch: Fetch, limit: int | None, page_bytes_max: int) -> Page:
    """Read one page through ``fetch``; see the module docstring for the rules."""
    rows: list[Row] = []
    read_bytes = 0
    after: Row | None = None
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
    row: Row, partition: KeyAttribute, sort: KeyAttribute | None
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


def position_of(row: Row) -> tuple[int, bytes, bytes]:
    """A row's place in Scan order: (hash token, partition key, sort key)."""
    return (row[0], row[1], row[2])


def index_last_evaluated_key(row: Row, table: Table, index: SecondaryIndex) -> dict[str, Any]:
    """LastEvaluatedKey of an index read: the index key and the table key of the entry
    ``row`` (every entry projects both), as stored (canonical values)."""
    entry = orjson.loads(row[3])
    return {name: entry[name] for name in key_attribute_names(table, index)}


@dataclass(frozen=True, slots=True)
class IndexStart:
    """An index read's ExclusiveStartKey: the entry key it names."""

    hash_token: int
    partition_key: bytes
    sort_key: bytes
    table_partition_key: bytes
    table_sort_key: bytes

    @property
    def query_position(self) -> tuple[bytes, bytes, bytes]:
        return (self.sort_key, self.table_partition_key, self.table_sort_key)

    @property
    def scan_position(self) -> tuple[int, bytes, bytes, bytes, bytes]:
        return (self.hash_token, self.partition_key, self.sort_key, self.table_partition_key,
                self.table_sort_key)


def index_start_key(
    exclusive_start_key: dict[str, Any], table: Table, index: SecondaryIndex, scan: bool
) -> IndexStart:
    """An index read's start key: exactly the index key and table key attributes (else
    "The provided starting key is invalid", live: dynogels#184), each value checked as a
    ``Key`` value is. Scan words every problem "The provided starting key is invalid:
    <why>", Query reports a wrong value as for a ``Key`` (as for tables)."""
    names = key_attribute_names(table, index)
    if len(exclusive_start_key) != len(names) or any(
        name not in exclusive_start_key for name in names
    ):
        if scan:
            raise errors.starting_key_invalid(str(errors.key_schema_mismatch().message))
        raise errors.starting_key_invalid()
    try:
        return _index_start(exclusive_start_key, table, index)
    except errors.ValidationException as error:
        if scan:
            raise errors.starting_key_invalid(str(error.message)) from None
        raise


def _index_start(
    exclusive_start_key: dict[str, Any], table: Table, index: SecondaryIndex
) -> IndexStart:
    if index.multi_attribute:
        index_key = _multi_attribute_key(exclusive_start_key, index)
    else:
        partition, sort = index.single_partition, index.single_sort
        index_names = [partition.name] if sort is None else [partition.name, sort.name]
        index_key = primary_key_of_key(
            {name: exclusive_start_key[name] for name in index_names}, partition, sort
        )
    table_names = [table.partition_key.name]
    if table.sort_key is not None:
        table_names.append(table.sort_key.name)
    table_key = primary_key_of_key(
        {name: exclusive_start_key[name] for name in table_names},
        table.partition_key,
        table.sort_key,
    )
    return IndexStart(index_key.hash_token, index_key.partition_key, index_key.sort_key,
                      table_key.partition_key, table_key.sort_key)


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


def _multi_attribute_key(key: dict[str, Any], index: SecondaryIndex) -> PrimaryKey:
    """The stored key of a multi-attribute index key given as attribute values (each part
    checked as a ``Key`` value is: type, emptiness)."""
    partition = encode_key_parts(_key_part(key, attribute) for attribute in index.partition)
    sort = encode_key_parts(_key_part(key, attribute) for attribute in index.sort)
    return PrimaryKey(hash_token(partition), partition, sort)


def _key_part(key: dict[str, Any], attribute: KeyAttribute) -> bytes:
    one = primary_key_of_key({attribute.name: key[attribute.name]}, attribute, None)
    return one.partition_key


def multi_attribute_key_range(
    parts: list[key_condition.Part], index: SecondaryIndex
) -> tuple[bytes, SortKeyRange]:
    """The index partition and sort key range a KeyConditionExpression selects on an index
    with a multi-attribute key (API reference CreateGlobalSecondaryIndexAction): every
    partition key attribute with ``=``, then sort key attributes from the first, with ``=``
    on all but the last one named, which may have any key condition; none skipped. Texts
    are the single-attribute ones (the multi-attribute wording is not captured).

    Stored keys are tuple encodings (model/index.py), so "these leading parts, then this
    condition on the next part" is one byte range: an ``=`` prefix, narrowed by the last
    condition on its part.
    """
    keys = len(index.partition) + len(index.sort)
    if len(parts) > keys:
        raise errors.key_condition_too_many(len(parts), keys)
    by_name = {name: (operator, values) for name, operator, values in parts}
    known = {attribute.name for attribute in index.key_attributes}
    if any(name not in known for name in by_name):
        raise errors.key_condition_not_supported()
    partition = encode_key_parts(
        _condition_part(by_name, attribute) for attribute in index.partition
    )
    named = [attribute for attribute in index.sort if attribute.name in by_name]
    if named != list(index.sort[: len(named)]):
        skipped = next(a for a in index.sort if a.name not in by_name)
        raise errors.key_condition_missed(skipped.name)
    prefix = b"".join(
        encode_key_parts([_condition_part(by_name, attribute)])
        for attribute in named[:-1]
    )
    if not named:
        return partition, _prefix_range(prefix)
    last = named[-1]
    operator, values = by_name[last.name]
    encoded = [_escaped(encode_key_value(last.attribute_type, value[last.attribute_type]))
               for value in values]
    return partition, _last_part_range(prefix, operator, encoded)


def _condition_part(
    by_name: dict[str, tuple[str, tuple[dict[str, Any], ...]]],
    attribute: KeyAttribute,
) -> bytes:
    """A leading part of a multi-attribute key condition: present, of its type, with =."""
    found = by_name.get(attribute.name)
    if found is None:
        raise errors.key_condition_missed(attribute.name)
    operator, values = found
    if any(attribute.attribute_type not in value for value in values):
        raise errors.key_condition_type_mismatch()
    if operator != "EQ":
        raise errors.key_condition_not_supported()
    return encode_key_value(attribute.attribute_type, values[0][attribute.attribute_type])


def _escaped(part: bytes) -> bytes:
    """A part as the tuple encoding writes it, without its end marker."""
    return encode_key_parts([part])[: -len(KEY_PART_END)]


def _prefix_range(prefix: bytes) -> SortKeyRange:
    if not prefix:
        return SortKeyRange(None, None)
    successor = _prefix_successor(prefix)
    return SortKeyRange(
        SortKeyBound(prefix, True), None if successor is None else SortKeyBound(successor, False)
    )


def _last_part_range(prefix: bytes, operator: str, encoded: list[bytes]) -> SortKeyRange:
    """Bounds for ``operator`` on the part after ``prefix`` (``encoded``: the escaped
    values). ``prefix + value + END`` starts the keys whose part equals the value; every
    key with that part lies below the successor of that start."""
    whole = _prefix_range(prefix)
    equal = prefix + encoded[0] + KEY_PART_END
    after_equal = _prefix_successor(equal)
    after = None if after_equal is None else SortKeyBound(after_equal, False)
    if operator == "EQ":
        return SortKeyRange(SortKeyBound(equal, True), after)
    if operator == "LT":
        return SortKeyRange(whole.lower, SortKeyBound(equal, False))
    if operator == "LE":
        return SortKeyRange(whole.lower, after)
    if operator == "GT":
        lower = None if after_equal is None else SortKeyBound(after_equal, True)
        return SortKeyRange(lower, whole.upper)
    if operator == "GE":
        return SortKeyRange(SortKeyBound(equal, True), whole.upper)
    if operator == "BETWEEN":
        top = _prefix_successor(prefix + encoded[1] + KEY_PART_END)
        return SortKeyRange(SortKeyBound(equal, True),
                            None if top is None else SortKeyBound(top, False))
    assert operator == "BEGINS_WITH", operator
    return _prefix_range(prefix + encoded[0])


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
