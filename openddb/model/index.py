"""Secondary indexes as values: their key schemas, index keys, projected entries, costs.

A table's local secondary indexes (LSIs, fixed at CreateTable) and global secondary
indexes (GSIs) are described in its stored TableDescription (``model/table_schema.py``).
This module turns those descriptions into :class:`SecondaryIndex` values and answers,
without I/O, what an item means for an index (Developer Guide "Improving data access
with secondary indexes", "Global secondary indexes", "Local secondary indexes"):

- **Sparse**: an item is in an index only when it has every index key attribute; an
  item lacking one is simply not there.
- **Checked**: an index key attribute the item does have must be of the declared type
  (S, N or B), not an empty S/B, and within the key size limits; otherwise the write is
  refused with DynamoDB's texts (``errors.index_key_*``). When an attribute keys several
  indexes, the alphabetically first index is named (observed, behaviours.md section 7).
- **Projected**: the index entry holds the table's key, the index's key and, per
  ``Projection``, nothing else (KEYS_ONLY), the ``NonKeyAttributes`` (INCLUDE) or the
  whole item (ALL).

**Storage key of an entry.** ``(index hash token, index partition key, index sort key,
table partition key, table sort key)``, each key in the order-preserving bytes of
``model/keys.py``. GSI keys are not unique, so the table key finishes the order: entries
with equal index keys sort by table key, which is also why ``LastEvaluatedKey`` of an
index read holds both keys. The index keys of a GSI with a multi-attribute key (up to
four partition and four sort attributes) are stored -- both of them, even a side of one
attribute -- as a tuple encoding of their parts, order-preserving and self-delimiting::

    part bytes with 00 -> 00 FF, then 00 01      ("ab", "c") -> 61 62 00 01 63 00 01

Other indexes store each key as its plain encoding, so a one-attribute index key orders
exactly as a table key does. These bytes are written to disk: never change the layout.

**Numbers.** Every index of a table has a number, unique within the table while the
index or any of its entries exists, kept in the stored description under
:data:`INDEX_NUMBER_MEMBER` (private: never answered). Entries are stored under
``(table id, index number)``, so a deleted index's entries never mix with a new index
of the same name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from openddb import errors, limits
from openddb.model.attribute_value import (
    CONTAINER_ELEMENT_BYTES,
    CONTAINER_OVERHEAD_BYTES,
    FLAG_BYTES,
    validate_item,
    validate_value,
)
from openddb.model.capacity import EVENTUAL_READ_FACTOR, write_units
from openddb.model.item import NO_SORT_KEY, KeyAttribute
from openddb.model.keys import encode_key_value, hash_token
from openddb.model.number import number_size
from openddb.model.table import Table

# Private members of the stored description (stripped from every answer): the index's
# number, and the indexes whose entries are being deleted (UpdateTable Delete). Stored on
# disk: never rename.
INDEX_NUMBER_MEMBER = "openddb:IndexNumber"
DELETING_INDEXES_MEMBER = "openddb:DeletingIndexes"
PRIVATE_MEMBERS = (INDEX_NUMBER_MEMBER, DELETING_INDEXES_MEMBER)

LOCAL_INDEXES = "LocalSecondaryIndexes"
GLOBAL_INDEXES = "GlobalSecondaryIndexes"
PROJECTION_ALL = "ALL"
PROJECTION_KEYS_ONLY = "KEYS_ONLY"
PROJECTION_INCLUDE = "INCLUDE"
INDEX_ACTIVE = "ACTIVE"
INDEX_CREATING = "CREATING"
INDEX_UPDATING = "UPDATING"
INDEX_DELETING = "DELETING"

# Tuple encoding of multi-attribute keys (module docstring); on disk, never change.
_PART_ESCAPE = b"\x00\xff"
KEY_PART_END = b"\x00\x01"

# SizeEstimateRangeGB: DynamoDB reports an item collection's size as a range of whole
# gigabytes around it (API reference ItemCollectionMetrics).
_GIGABYTE = float(limits.GIGABYTE_BYTES)

Item = dict[str, Any]


@dataclass(frozen=True, slots=True)
class IndexKey:
    """Where an entry lives in its index: hash token and encoded index keys."""

    hash_token: int
    partition_key: bytes
    sort_key: bytes


@dataclass(frozen=True, slots=True)
class SecondaryIndex:
    """One LSI or GSI of a table, as maintained and read.

    ``partition`` / ``sort`` hold one attribute each, or several for a multi-attribute
    GSI key; ``projected`` is None for ALL, otherwise every attribute an entry keeps
    (table key, index key, NonKeyAttributes). ``backfilling``: a GSI being created whose
    existing items are still being indexed (it is maintained on writes, not readable).
    """

    name: str
    number: int
    is_global: bool
    partition: tuple[KeyAttribute, ...]
    sort: tuple[KeyAttribute, ...]
    projection_type: str
    projected: frozenset[str] | None
    status: str
    backfilling: bool
    keys_only: bool  # entries hold key attributes only: an unchanged key, an unchanged entry

    @property
    def key_attributes(self) -> tuple[KeyAttribute, ...]:
        return self.partition + self.sort

    @property
    def multi_attribute(self) -> bool:
        """A GSI key of several partition or sort key attributes (tuple-encoded)."""
        return len(self.partition) > 1 or len(self.sort) > 1

    @property
    def single_partition(self) -> KeyAttribute:
        """The partition key attribute of a one-attribute key (Query and Scan)."""
        assert len(self.partition) == 1, self.name
        return self.partition[0]

    @property
    def single_sort(self) -> KeyAttribute | None:
        assert len(self.sort) <= 1, self.name
        return self.sort[0] if self.sort else None

    @property
    def readable(self) -> bool:
        return not self.backfilling


# --- the indexes of a table -------------------------------------------------------------

_CACHE_ENTRIES_MAX = 256
_cache: dict[int, tuple[dict[str, Any], tuple[SecondaryIndex, ...]]] = {}


def secondary_indexes(table: Table) -> tuple[SecondaryIndex, ...]:
    """The table's maintained indexes (LSIs, then GSIs; not those being deleted), in
    index-name order. Cached per description object (descriptions are never mutated)."""
    description = table.description
    cached = _cache.get(id(description))
    if cached is not None and cached[0] is description:
        return cached[1]
    indexes = _parse(table)
    if len(_cache) >= _CACHE_ENTRIES_MAX:
        _cache.clear()
    _cache[id(description)] = (description, indexes)
    return indexes


def find_index(table: Table, index_name: str) -> SecondaryIndex | None:
    for index in secondary_indexes(table):
        if index.name == index_name:
            return index
    return None


def has_local_indexes(table: Table) -> bool:
    return bool(table.description.get(LOCAL_INDEXES))


def has_secondary_indexes(table: Table) -> bool:
    """True when writes to ``table`` maintain index entries."""
    return bool(secondary_indexes(table))


# --- what a write costs each index ------------------------------------------------------
# Writing an item costs each secondary index whose entry it adds, changes or removes --
# one write of the new entry when the item enters the index or a projected attribute
# changes, one of the old entry when it leaves, both when an index key value changes
# (from A to B: a delete and a put); nothing when the item is in the index neither before
# nor after. An entry is the table's key, the index key and the projected attributes,
# rounded up to 1 KB like any write. Same rules for both kinds of index: Developer Guide
# "Global secondary indexes" > "Provisioned throughput considerations for global secondary
# indexes" > "Write capacity units" and "Local secondary indexes" > "Provisioned
# throughput considerations for Local Secondary Indexes" > "Write Capacity Units". A GSI's
# units draw on the GSI's own capacity; an LSI's on its table's ("updating the local
# secondary indexes will consume provisioned write capacity units for the table"; the
# throughput hook charges them so). Inferred, as the guide's cases do not name them: a
# changed projected non-key attribute rewrites the entry (one write), and an entry that
# does not change at all costs nothing (a KEYS_ONLY index is not written when an attribute
# it does not project is).


@dataclass(slots=True)
class IndexWriteUnits:
    """Write units per index name, GSIs and LSIs apart (each a ConsumedCapacity map);
    indexes a write does not touch are left out."""

    global_indexes: dict[str, float] = field(default_factory=dict)
    local_indexes: dict[str, float] = field(default_factory=dict)

    def total(self) -> float:
        return sum(self.global_indexes.values()) + sum(self.local_indexes.values())

    def members(self) -> list[tuple[str, dict[str, float]]]:
        """(ConsumedCapacity member, units per index) of the kinds with units."""
        return [
            (member, per_index)
            for member, per_index in (
                (GLOBAL_INDEXES, self.global_indexes),
                (LOCAL_INDEXES, self.local_indexes),
            )
            if per_index
        ]

    def add(self, more: IndexWriteUnits, factor: float = 1.0) -> None:
        """Add ``factor`` times ``more`` (a transaction counts each write twice)."""
        for mine, theirs in (
            (self.global_indexes, more.global_indexes),
            (self.local_indexes, more.local_indexes),
        ):
            for name, units in theirs.items():
                mine[name] = mine.get(name, 0.0) + factor * units


def index_write_units(
    table: Table, old_item: Item | None, new_item: Item | None
) -> IndexWriteUnits:
    """Write units per GSI and per LSI for replacing ``old_item`` (None: absent) by
    ``new_item`` (None: deleted) in ``table`` (rules above)."""
    units = IndexWriteUnits()
    for index in secondary_indexes(table):
        key_names = [attribute.name for attribute in index.key_attributes]
        old_entry = _index_entry(index, key_names, old_item)
        new_entry = _index_entry(index, key_names, new_item)
        cost = _entry_write_units(key_names, old_entry, new_entry)
        if cost:
            per_index = units.global_indexes if index.is_global else units.local_indexes
            per_index[index.name] = cost
    return units


def _index_entry(index: SecondaryIndex, key_names: list[str], item: Item | None) -> Item | None:
    """The item's entry in the index, or None when the item lacks an index key attribute."""
    if item is None or any(name not in item for name in key_names):
        return None
    if index.projected is None:
        return item
    return {name: item[name] for name in index.projected if name in item}


def _entry_write_units(key_names: list[str], old: Item | None, new: Item | None) -> float:
    if old is None and new is None:
        return 0.0
    if old is None:
        assert new is not None
        return write_units(validate_item(new))
    if new is None:
        return write_units(validate_item(old))
    if any(old[name] != new[name] for name in key_names):
        return write_units(validate_item(old)) + write_units(validate_item(new))
    return 0.0 if old == new else write_units(validate_item(new))


def _parse(table: Table) -> tuple[SecondaryIndex, ...]:
    description = table.description
    types = {d["AttributeName"]: d["AttributeType"] for d in description["AttributeDefinitions"]}
    table_keys = [table.partition_key.name]
    if table.sort_key is not None:
        table_keys.append(table.sort_key.name)
    indexes = []
    for member, is_global in ((LOCAL_INDEXES, False), (GLOBAL_INDEXES, True)):
        for index in description.get(member, ()):
            if INDEX_NUMBER_MEMBER not in index:
                continue  # described before openddb kept index entries: not maintained
            indexes.append(_secondary_index(index, is_global, types, table_keys))
    return tuple(sorted(indexes, key=lambda index: index.name))


def _secondary_index(
    index: dict[str, Any], is_global: bool, types: dict[str, str], table_keys: list[str]
) -> SecondaryIndex:
    key_schema = index["KeySchema"]
    partition = tuple(
        KeyAttribute(e["AttributeName"], types[e["AttributeName"]])
        for e in key_schema if e["KeyType"] == "HASH"
    )
    sort = tuple(
        KeyAttribute(e["AttributeName"], types[e["AttributeName"]])
        for e in key_schema if e["KeyType"] == "RANGE"
    )
    projection = index["Projection"]
    projection_type = projection.get("ProjectionType", PROJECTION_ALL)
    projected = None
    keys = frozenset([*table_keys, *(attribute.name for attribute in partition + sort)])
    if projection_type != PROJECTION_ALL:
        projected = keys | frozenset(projection.get("NonKeyAttributes", []))
    return SecondaryIndex(
        name=index["IndexName"],
        number=index[INDEX_NUMBER_MEMBER],
        is_global=is_global,
        partition=partition,
        sort=sort,
        projection_type=projection_type,
        projected=projected,
        status=index.get("IndexStatus", INDEX_ACTIVE),
        backfilling=bool(index.get("Backfilling")),
        keys_only=projected is not None and projected <= keys,
    )


# --- index keys ---------------------------------------------------------------------------


def check_index_keys(table: Table, item: Item, by_update: bool = False) -> None:
    """Refuse ``item`` when an index key attribute it has is of the wrong type, an empty
    S/B or too large (indexes in name order, so an attribute keying several indexes
    names the first). ``by_update``: the item is the result of an UpdateItem, whose
    empty-value text differs."""
    for index in secondary_indexes(table):
        checked_index_key(index, item, by_update)


def checked_index_key(
    index: SecondaryIndex, item: Item, by_update: bool = False
) -> IndexKey | None:
    """:func:`index_key` of an item being written: every index key attribute it has is
    checked (raising as :func:`check_index_keys` does), partition key attributes first."""
    partition = _checked_encoded(
        index, index.partition, item, limits.INDEX_PARTITION_KEY_BYTES_MAX, by_update
    )
    sort: bytes | None = NO_SORT_KEY
    if index.sort:
        sort = _checked_encoded(
            index, index.sort, item, limits.INDEX_SORT_KEY_BYTES_MAX, by_update
        )
    if partition is None or sort is None:
        return None
    return IndexKey(hash_token(partition), partition, sort)


def _checked_encoded(
    index: SecondaryIndex,
    attributes: tuple[KeyAttribute, ...],
    item: Item,
    size_max: int,
    by_update: bool,
) -> bytes | None:
    """The encoded key of ``attributes`` in ``item`` (None when one is missing), after
    checking each present value's type, emptiness and size."""
    parts = []
    missing = False
    for attribute in attributes:
        value = item.get(attribute.name)
        if value is None:
            missing = True
            continue
        expected = attribute.attribute_type
        text = value.get(expected)
        if text is None or len(value) != 1:
            actual = next(iter(value), "")
            raise errors.index_key_type_mismatch(attribute.name, expected, actual, index.name)
        if text == "":
            if by_update:
                raise errors.index_key_empty_by_update(binary=expected == "B")
            raise errors.index_key_empty(attribute.name, index.name, binary=expected == "B")
        encoded = encode_key_value(expected, text)
        # S and B encode to their raw bytes: the value's size (numbers are bounded anyway).
        if len(encoded) > size_max and expected != "N":
            raise errors.index_key_too_large(attribute.name, len(encoded), size_max, index.name)
        parts.append(encoded)
    if missing:
        return None
    return encode_key_parts(parts) if index.multi_attribute else parts[0]


def index_key(index: SecondaryIndex, item: Item) -> IndexKey | None:
    """The entry key of ``item`` in ``index``; None when the item is not in the index
    (an index key attribute is missing, or -- for items written before the index
    existed -- has a value a write would have refused: such items are left out of the
    index, as DynamoDB's backfill leaves out "index key violations")."""
    tupled = index.multi_attribute
    partition = _encoded(index.partition, item, limits.INDEX_PARTITION_KEY_BYTES_MAX, tupled)
    if partition is None:
        return None
    sort: bytes | None = NO_SORT_KEY
    if index.sort:
        sort = _encoded(index.sort, item, limits.INDEX_SORT_KEY_BYTES_MAX, tupled)
        if sort is None:
            return None
    assert sort is not None
    return IndexKey(hash_token(partition), partition, sort)


def _encoded(
    attributes: tuple[KeyAttribute, ...], item: Item, size_max: int, tupled: bool
) -> bytes | None:
    parts = []
    for attribute in attributes:
        value = item.get(attribute.name)
        if value is None:
            return None
        text = value.get(attribute.attribute_type)
        if text is None or text == "" or len(value) != 1:
            return None
        encoded = encode_key_value(attribute.attribute_type, text)
        # S and B encode to their raw bytes, so this is the value's size (N is bounded).
        if len(encoded) > size_max:
            return None
        parts.append(encoded)
    return encode_key_parts(parts) if tupled else parts[0]


def encode_key_parts(parts: Iterable[bytes]) -> bytes:
    """The tuple encoding of a multi-attribute key (module docstring)."""
    return b"".join(part.replace(b"\x00", _PART_ESCAPE) + KEY_PART_END for part in parts)


# --- entries -----------------------------------------------------------------------------


def projected_item(index: SecondaryIndex, item: Item) -> Item:
    """The attributes of ``item`` an entry of ``index`` keeps, in the item's order."""
    projected = index.projected
    if projected is None:
        return item
    return {name: value for name, value in item.items() if name in projected}


def entry_of(
    index: SecondaryIndex, item: Item, stored: tuple[bytes, int]
) -> tuple[bytes | None, int]:
    """The entry JSON to store and its size (DynamoDB's item-size formula) for ``item``,
    whose stored form is ``stored``. None for a projection of ALL: the entry is the table's
    item itself, which storage reads in its place (storage/sqlite/schema.sql)."""
    if index.projected is None:
        return None, stored[1]
    entry = projected_item(index, item)
    return orjson.dumps(entry), item_size(entry)


def item_size(item: Item) -> int:
    """DynamoDB's size of an already validated (stored) item: the item-size formula of
    ``model/attribute_value.py`` without re-validating anything."""
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def value_size(value: Item) -> int:
    """Size of one stored (valid, canonical) AttributeValue, as ``validate_value`` counts
    it. Recursion is bounded by the 32 nesting levels a stored item may have."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        return number_size(inner)
    if kind in ("BOOL", "NULL"):
        return FLAG_BYTES
    if kind == "SS":
        return sum(len(member.encode("utf-8")) for member in inner)
    if kind == "NS":
        return sum(number_size(member) for member in inner)
    if kind == "M":
        return CONTAINER_OVERHEAD_BYTES + sum(
            len(name.encode("utf-8")) + value_size(member) + CONTAINER_ELEMENT_BYTES
            for name, member in inner.items()
        )
    if kind == "L":
        return CONTAINER_OVERHEAD_BYTES + sum(
            value_size(member) + CONTAINER_ELEMENT_BYTES for member in inner
        )
    # B and BS: base64 text; validate_value measures the decoded bytes.
    return validate_value(value)


def key_attribute_names(table: Table, index: SecondaryIndex) -> list[str]:
    """The attributes of an index read's LastEvaluatedKey: the index key, then the table
    key (each name once)."""
    names = [attribute.name for attribute in index.key_attributes]
    for attribute in (table.partition_key, table.sort_key):
        if attribute is not None and attribute.name not in names:
            names.append(attribute.name)
    return names


# --- capacity and item collections ----------------------------------------------------------


def index_read_units(entry_bytes: int, fetched_item_bytes: list[int], consistent: bool) -> float:
    """Read units of a Query or Scan of an index: the entries read, summed and rounded up to
    4 KB once (Developer Guide "Global secondary indexes", 16,000 B of entries -> 2 units
    eventually consistent), plus -- for an LSI read that fetches attributes the index does
    not project -- each fetched table item rounded up on its own (Developer Guide "Local
    secondary indexes": "extra read capacity"). Half for eventually consistent reads; at
    least one unit (half) when nothing was read."""
    unit = limits.READ_UNIT_BYTES
    units = max(1, -(-entry_bytes // unit)) + sum(-(-size // unit) for size in fetched_item_bytes)
    return float(units) if consistent else units * EVENTUAL_READ_FACTOR


def size_estimate_range_gb(collection_bytes: int) -> list[float]:
    """SizeEstimateRangeGB of an item collection: the whole gigabytes around its size
    (a small collection reports [0.0, 1.0], as the service does for one)."""
    lower = float(int(collection_bytes // _GIGABYTE))
    return [lower, lower + 1.0]


def collection_bytes_of(table: Table, item: Item | None, item_bytes: int) -> int:
    """What one item adds to its item collection: the item and its LSI entries (Developer
    Guide "Item collections in Local Secondary Indexes")."""
    if item is None:
        return 0
    total = item_bytes
    for index in secondary_indexes(table):
        if index.is_global or index_key(index, item) is None:
            continue
        total += item_bytes if index.projected is None else item_size(projected_item(index, item))
    return total
