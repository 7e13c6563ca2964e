"""Batch operations: BatchWriteItem BatchGetItem.

BatchWriteItem validates every request of every table first (a bad request
rejects the whole call, nothing written), then applies all puts and deletes in
one storage transaction. Each put/delete is atomic on its own, as the API
reference promises; committing them together is stronger and cheaper.
BatchGetItem reads every key and returns the items, in no particular order;
keys beyond the 16 MB response limit come back in ``UnprocessedKeys``. Each
table's entry may project (``ProjectionExpression`` with its own
``ExpressionAttributeNames``, or ``AttributesToGet``), checked for every table
before any table is looked up (dynalite validations/batchGetItem.js).
Sources: API reference BatchWriteItem and BatchGetItem; the Developer Guide
"Item sizes and formats" for capacity (each item rounded up separately), and for the
units each secondary index entry a write changes, as PutItem and DeleteItem count them,
"Global secondary indexes" and "Local secondary indexes" (``model/index.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from openddb import errors, limits
from openddb.api.changes import write_change
from openddb.api.common import data_plane_table
from openddb.context import Context
from openddb.expressions import ast, legacy, resolve
from openddb.expressions.evaluate import project
from openddb.indexes.maintenance import item_collection_metrics
from openddb.model.attribute_value import validate_item
from openddb.model.capacity import consumed_capacity, read_units, write_units
from openddb.model.index import IndexWriteUnits, has_secondary_indexes, index_write_units
from openddb.model.item import PrimaryKey, primary_key_of_item, primary_key_of_key
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction


@dataclass(frozen=True, slots=True)
class _Write:
    """One validated put (``item`` set: its JSON, ``put_item`` the request's item) or
    delete (``item`` None)."""

    table: Table
    key: PrimaryKey
    item: bytes | None
    item_bytes: int
    put_item: dict[str, Any] | None = None


def _key_identity(table: Table, key: PrimaryKey) -> tuple[int, bytes, bytes]:
    return (table.table_id, key.partition_key, key.sort_key)


def _put_write(table: Table, request: dict[str, Any]) -> _Write:
    item = request["Item"]
    item_bytes = validate_item(item)
    if item_bytes > limits.ITEM_BYTES_MAX:
        raise errors.item_too_large()
    key = primary_key_of_item(item, table.partition_key, table.sort_key, as_schema_mismatch=True)
    return _Write(table, key, orjson.dumps(item), item_bytes, item)


def _delete_write(table: Table, request: dict[str, Any]) -> _Write:
    key_attributes = request["Key"]
    validate_item(key_attributes)
    key = primary_key_of_key(key_attributes, table.partition_key, table.sort_key)
    return _Write(table, key, None, 0)


def _validated_writes(ctx: Context, request_items: dict[str, Any]) -> list[_Write]:
    writes: list[_Write] = []
    seen: set[tuple[int, bytes, bytes]] = set()
    for table_name, requests in request_items.items():
        table = data_plane_table(ctx, table_name)
        for write_request in requests:
            put, delete = write_request.get("PutRequest"), write_request.get("DeleteRequest")
            # Exactly one of the two; members the model does not know are ignored (dynalite).
            if (put is None) == (delete is None):
                raise errors.attribute_value_multiple_types()
            write = _put_write(table, put) if put is not None else _delete_write(table, delete)
            identity = _key_identity(table, write.key)
            if identity in seen:
                raise errors.duplicate_keys()
            seen.add(identity)
            writes.append(write)
    if len(writes) > limits.BATCH_WRITE_REQUESTS_MAX:
        raise errors.too_many_batch_writes()
    return writes


def batch_write_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """BatchWriteItem: up to 25 puts and deletes across tables.

    Answers ``UnprocessedItems: {}`` (openddb applies every request) and, when
    asked, ``ConsumedCapacity`` per table (each item rounded to 1 KB separately, plus the
    secondary index entries each write changed).
    """
    writes = _validated_writes(ctx, request["RequestItems"])
    with_metrics = request.get("ReturnItemCollectionMetrics") == "SIZE"

    def apply(transaction: WriteTransaction) -> tuple[list[StoredItem | None], dict[str, Any]]:
        old_stored = []
        for write in writes:
            table_id, key = write.table.table_id, write.key
            old = transaction.get_item(table_id, key.hash_token, key.partition_key, key.sort_key)
            old_stored.append(old)
            new = None if write.item is None else (write.item, write.item_bytes)
            write_change(transaction, write.table, key, old, new)
        metrics = _item_collection_metrics(transaction, writes) if with_metrics else {}
        return old_stored, metrics

    old_stored, metrics = ctx.engine.write(apply)
    response: dict[str, Any] = {"UnprocessedItems": {}}
    capacity = _write_capacity(request.get("ReturnConsumedCapacity"), writes, old_stored)
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    if metrics:
        response["ItemCollectionMetrics"] = metrics
    return response


def _write_capacity(
    return_consumed_capacity: str | None, writes: list[_Write], old_stored: list[StoredItem | None]
) -> list[dict[str, Any]] | None:
    """One ConsumedCapacity per table: each write the larger of its old and new item in 1 KB
    units, plus what it cost each GSI and LSI whose entry it changed (``model/index.py``)."""
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    units: dict[str, float] = {}
    indexes: dict[str, IndexWriteUnits] = {}
    for write, old in zip(writes, old_stored, strict=True):
        name = write.table.name
        old_bytes = 0 if old is None else old[1]
        units[name] = units.get(name, 0.0) + write_units(max(old_bytes, write.item_bytes))
        if has_secondary_indexes(write.table):
            old_item = None if old is None else orjson.loads(old[0])
            index_units = index_write_units(write.table, old_item, write.put_item)
            indexes.setdefault(name, IndexWriteUnits()).add(index_units)
    return _capacity_list(return_consumed_capacity, units, "Write", indexes)


def _item_collection_metrics(
    transaction: WriteTransaction, writes: list[_Write]
) -> dict[str, list[dict[str, Any]]]:
    """Item collections exist only in tables with local secondary indexes (Developer Guide
    "Item collections in Local Secondary Indexes"): one entry per collection written,
    measured in the batch's transaction after its writes (openddb/indexes/)."""
    metrics: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[int, bytes]] = set()
    for write in writes:
        table = write.table
        if (table.table_id, write.key.partition_key) in seen:
            continue
        seen.add((table.table_id, write.key.partition_key))
        collection = item_collection_metrics(transaction, table, write.key)
        if collection is not None:
            metrics.setdefault(table.name, []).append(collection)
    return metrics


def _capacity_list(
    return_consumed_capacity: str | None,
    units: dict[str, float],
    kind: str,
    indexes: dict[str, IndexWriteUnits] | None = None,
) -> list[dict[str, Any]] | None:
    """ConsumedCapacity per table of ``units`` (and, for writes, each table's ``indexes``)."""
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    answer = []
    for table_name, table_units in units.items():
        consumed = consumed_capacity(
            return_consumed_capacity, table_name, table_units, kind,
            (indexes or {}).get(table_name),
        )
        assert consumed is not None
        answer.append(consumed)
    return answer


@dataclass(frozen=True, slots=True)
class _TableGets:
    """The validated keys of one table in a BatchGetItem request."""

    request_name: str
    table: Table
    keys: list[tuple[dict[str, Any], PrimaryKey]]
    projection: ast.Projection | None
    consistent_read: bool


GET_PARAMETERS = ((ast.PROJECTION,), ("AttributesToGet",))


def _projections(request_items: dict[str, Any]) -> dict[str, ast.Projection | None]:
    """Every table entry's projection, checked as GetItem checks its own; an entry with
    a ProjectionExpression beside one with AttributesToGet refuses the whole request
    (paritysuite; the text, GetItem's, is inferred)."""
    projections: dict[str, ast.Projection | None] = {}
    for request_name, keys_and_attributes in request_items.items():
        resolve.check_parameters(keys_and_attributes, *GET_PARAMETERS)
        names = keys_and_attributes.get("AttributesToGet")
        projection = None if names is None else legacy.attributes_to_get(names)
        placeholders = resolve.placeholders(keys_and_attributes)
        text = keys_and_attributes.get("ProjectionExpression")
        if text is not None:
            projection = resolve.projection(text, placeholders)
        resolve.check_unused(placeholders)
        projections[request_name] = projection
    entries = request_items.values()
    if any(entry.get("ProjectionExpression") is not None for entry in entries) and any(
        entry.get("AttributesToGet") is not None for entry in entries
    ):
        raise errors.expression_and_legacy_mixed(["AttributesToGet"], ["ProjectionExpression"])
    return projections


def _validated_gets(ctx: Context, request_items: dict[str, Any]) -> list[_TableGets]:
    projections = _projections(request_items)
    gets: list[_TableGets] = []
    total = 0
    for request_name, keys_and_attributes in request_items.items():
        table = data_plane_table(ctx, request_name)
        seen: set[tuple[bytes, bytes]] = set()
        keys = []
        for key_attributes in keys_and_attributes["Keys"]:
            validate_item(key_attributes)
            key = primary_key_of_key(key_attributes, table.partition_key, table.sort_key)
            if (key.partition_key, key.sort_key) in seen:
                raise errors.duplicate_keys()
            seen.add((key.partition_key, key.sort_key))
            keys.append((key_attributes, key))
            total += 1
            if total > limits.BATCH_GET_KEYS_MAX:
                raise errors.too_many_batch_gets()
        gets.append(
            _TableGets(
                request_name,
                table,
                keys,
                projections[request_name],
                bool(keys_and_attributes.get("ConsistentRead")),
            )
        )
    return gets


def batch_get_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """BatchGetItem: up to 100 keys across tables; missing items are simply absent.

    Items are returned under the table name as given in the request. Keys whose
    items would push the response past 16 MB are returned in ``UnprocessedKeys``.
    """
    gets = _validated_gets(ctx, request["RequestItems"])
    responses: dict[str, list[Any]] = {}
    unprocessed: dict[str, Any] = {}
    units: dict[str, float] = {}
    response_bytes = 0
    full = False
    for table_gets in gets:
        table = table_gets.table
        found = responses.setdefault(table_gets.request_name, [])
        for key_attributes, key in table_gets.keys:
            if full:
                _add_unprocessed(unprocessed, table_gets, request, key_attributes)
                continue
            stored = ctx.engine.get_item(
                table.table_id, key.hash_token, key.partition_key, key.sort_key
            )
            item_bytes = 0 if stored is None else stored[1]
            if response_bytes + item_bytes > limits.BATCH_GET_RESPONSE_BYTES_MAX:
                # This key and every one after it are left for the client's next call.
                full = True
                _add_unprocessed(unprocessed, table_gets, request, key_attributes)
                continue
            units[table.name] = units.get(table.name, 0.0) + read_units(
                item_bytes, table_gets.consistent_read
            )
            if stored is not None:
                response_bytes += item_bytes
                found.append(_projected(stored[0], table_gets.projection))
    response: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
    capacity = _capacity_list(request.get("ReturnConsumedCapacity"), units, "Read")
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response


def _projected(item: bytes, projection: ast.Projection | None) -> Any:
    if projection is None:
        return orjson.Fragment(item)
    return project(orjson.loads(item), projection)


def _add_unprocessed(
    unprocessed: dict[str, Any],
    table_gets: _TableGets,
    request: dict[str, Any],
    key_attributes: dict[str, Any],
) -> None:
    entry = unprocessed.get(table_gets.request_name)
    if entry is None:
        original = request["RequestItems"][table_gets.request_name]
        entry = {name: value for name, value in original.items() if name != "Keys"}
        entry["Keys"] = []
        unprocessed[table_gets.request_name] = entry
    entry["Keys"].append(key_attributes)
