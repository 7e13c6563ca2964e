"""Index maintenance: every item change updates every index in the change's transaction.

:func:`maintain_indexes` is called by ``api/changes.write_change`` -- the single write
path of PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems, TTL
deletions and PartiQL -- before the item itself is written, so an index is never seen
out of step with its table (shared/DESIGN.md: "each secondary index ... kept in the same
transaction, sparse when the item lacks the index key"). Per index:

- the new item is checked first (index key types, empty values, key sizes: a refused
  write raises before anything of it is written, and its transaction rolls back);
- the old entry is deleted when the index key changed or the item left the index;
- the new entry is written when the item is in the index and its entry changed
  (an update of attributes the index does not project writes nothing there).

Indexes being built (a GSI created by UpdateTable, ``Backfilling``) are maintained too,
so writes made during a backfill end up in the index whichever side of the backfill's
position they fall on. Tables with LSIs also keep each item collection's size (items
plus LSI entries) and refuse a write that grows one past the limit.
"""

from __future__ import annotations

from typing import Any, Protocol

import orjson

from openddb import errors, limits
from openddb.model.index import (
    IndexKey,
    SecondaryIndex,
    checked_index_key,
    collection_bytes_of,
    entry_of,
    has_local_indexes,
    index_key,
    projected_item,
    secondary_indexes,
    size_estimate_range_gb,
)
from openddb.model.item import PrimaryKey
from openddb.model.keys import decode_key_value
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction

Item = dict[str, object]

# The item collection limit. Process-wide: set by the server from its settings when it
# starts (``--item-collection-size-limit-bytes``, lowered by tests), DynamoDB's 10 GB
# otherwise.
_collection_bytes_max = limits.ITEM_COLLECTION_BYTES_MAX


def set_item_collection_bytes_max(size_bytes: int) -> int:
    """Set the limit; return the one it replaces."""
    global _collection_bytes_max
    assert size_bytes >= 1, size_bytes
    previous = _collection_bytes_max
    _collection_bytes_max = size_bytes
    return previous


def maintain_indexes(
    transaction: WriteTransaction,
    table: Table,
    key: PrimaryKey,
    old: StoredItem | None,
    new: StoredItem | None,
) -> None:
    """Bring every index of ``table`` from ``old`` to ``new`` at ``key`` (None: absent).

    Raises ValidationException for an index key value a write may not have, and
    ItemCollectionSizeLimitExceededException; either rolls the change back.
    """
    indexes = secondary_indexes(table)
    if not indexes or (old is None and new is None):
        return
    old_item = None if old is None else orjson.loads(old[0])
    new_item = None if new is None else orjson.loads(new[0])
    # Every index's new key first: a refused item raises before any entry is written.
    new_keys = [None if new_item is None else checked_index_key(index, new_item)
                for index in indexes]
    for index, new_key in zip(indexes, new_keys, strict=True):
        old_key = None
        if old_item is not None:
            old_key = new_key if _same_key(index, old_item, new_item) else index_key(
                index, old_item)
        _maintain(transaction, table, index, key, old, old_item, old_key, new, new_item,
                  new_key)
    if has_local_indexes(table):
        _count_collection(transaction, table, key, old, old_item, new, new_item)


def _same_key(index: SecondaryIndex, old_item: Item, new_item: Item | None) -> bool:
    """The index key attributes are equal in both items (then so are their keys)."""
    if new_item is None:
        return False
    return all(
        old_item.get(attribute.name) == new_item.get(attribute.name)
        for attribute in index.key_attributes
    )


def _maintain(
    transaction: WriteTransaction,
    table: Table,
    index: SecondaryIndex,
    key: PrimaryKey,
    old: StoredItem | None,
    old_item: Item | None,
    old_key: IndexKey | None,
    new: StoredItem | None,
    new_item: Item | None,
    new_key: IndexKey | None,
) -> None:
    table_id, number = table.table_id, index.number
    if old_key is not None and old_key != new_key:
        transaction.delete_index_entry((
            table_id, number, old_key.hash_token, old_key.partition_key, old_key.sort_key,
            key.partition_key, key.sort_key,
        ))
    if new_key is None:
        return
    assert new is not None and new_item is not None
    if old_key == new_key and _same_row(index, old, old_item, new, new_item):
        return
    entry, entry_bytes = entry_of(index, new_item, new)
    transaction.put_index_entry(
        (table_id, number, new_key.hash_token, new_key.partition_key, new_key.sort_key,
         key.partition_key, key.sort_key),
        key.hash_token,
        entry,
        entry_bytes,
    )


def _same_row(
    index: SecondaryIndex,
    old: StoredItem | None,
    old_item: Item | None,
    new: StoredItem,
    new_item: Item,
) -> bool:
    """The entry row (at an unchanged key) needs no write: a keys-only entry, an ALL entry
    whose size is the same (its content is the table item, read in its place), another
    whose projected attributes are all equal."""
    assert old is not None and old_item is not None
    if index.keys_only:
        return True
    if index.projected is None:
        return old[1] == new[1]
    return projected_item(index, old_item) == projected_item(index, new_item)


def _count_collection(
    transaction: WriteTransaction,
    table: Table,
    key: PrimaryKey,
    old: StoredItem | None,
    old_item: Item | None,
    new: StoredItem | None,
    new_item: Item | None,
) -> None:
    """Keep the item collection's size; refuse growth past the limit (shrinking is always
    allowed, so a collection already too large can be cut down)."""
    before = 0 if old is None else collection_bytes_of(table, old_item, old[1])
    after = 0 if new is None else collection_bytes_of(table, new_item, new[1])
    delta = after - before
    if delta == 0:
        return
    size = transaction.add_collection_bytes(table.table_id, key.partition_key, delta)
    if delta > 0 and size > _collection_bytes_max:
        raise errors.item_collection_too_large()


class CollectionSizes(Protocol):
    """Where item collection sizes are read: a WriteTransaction (inside the write, so the
    size includes it) or the Engine."""

    def collection_bytes(self, table_id: int, partition_key: bytes) -> int: ...


def item_collection_metrics(
    sizes: CollectionSizes, table: Table, key: PrimaryKey
) -> dict[str, Any] | None:
    """The ``ItemCollectionMetrics`` of a write at ``key`` (ReturnItemCollectionMetrics
    SIZE): the item collection's partition key and its size as a range of gigabytes
    (API reference PutItem); None for tables without LSIs, which have no item
    collections. Call it inside the write's transaction, after the write."""
    if not has_local_indexes(table):
        return None
    size = sizes.collection_bytes(table.table_id, key.partition_key)
    partition = table.partition_key
    value = decode_key_value(partition.attribute_type, key.partition_key)
    return {
        "ItemCollectionKey": {partition.name: {partition.attribute_type: value}},
        "SizeEstimateRangeGB": size_estimate_range_gb(size),
    }
