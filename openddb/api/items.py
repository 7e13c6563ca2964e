"""Single-item operations: PutItem GetItem DeleteItem.

Each handler validates everything first (shape checks already ran), then does
its read-modify-write inside one ``ctx.engine.write`` call, so the change is
atomic and acknowledged only once durable. Behaviour: API reference PutItem,
GetItem, DeleteItem; sizes and capacity: Developer Guide "Item sizes and
formats".
"""

from __future__ import annotations

from typing import Any

import orjson

from openddb import errors, limits
from openddb.api.common import data_plane_table
from openddb.context import Context
from openddb.model.attribute_value import validate_item
from openddb.model.capacity import consumed_capacity, read_units, write_units
from openddb.model.item import (
    PrimaryKey,
    primary_key_of_item,
    primary_key_of_key,
    project_attributes,
)
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction

RETURN_VALUES_PUT_DELETE = frozenset({"NONE", "ALL_OLD"})
# Expression parameters arrive with the expression-language issue; until then
# they are refused, never silently ignored.
_NOT_YET = ("ConditionExpression", "Expected", "ProjectionExpression", "ConditionalOperator")


def _refuse_not_yet(request: dict[str, Any]) -> None:
    for parameter in _NOT_YET:
        if parameter in request:
            raise errors.not_supported_yet(parameter)


def _key_of(request: dict[str, Any], table: Table) -> PrimaryKey:
    key = request["Key"]
    validate_item(key)
    return primary_key_of_key(key, table.partition_key, table.sort_key)


def _return_values(request: dict[str, Any]) -> str:
    return_values: str = request.get("ReturnValues", "NONE")
    if return_values not in RETURN_VALUES_PUT_DELETE:
        raise errors.return_values_put_delete()
    return return_values


def put_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """PutItem: create or replace one item; ``Attributes`` with ReturnValues=ALL_OLD.

    Raises ResourceNotFoundException, ValidationException (item values, keys,
    the 400 KB limit).
    """
    _refuse_not_yet(request)
    table = data_plane_table(ctx, request["TableName"])
    item = request["Item"]
    item_bytes = validate_item(item)
    if item_bytes > limits.ITEM_BYTES_MAX:
        raise errors.item_too_large()
    key = primary_key_of_item(item, table.partition_key, table.sort_key)
    return_values = _return_values(request)
    encoded = orjson.dumps(item)

    def put(transaction: WriteTransaction) -> StoredItem | None:
        old = transaction.get_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
        transaction.put_item(
            table.table_id, key.hash_token, key.partition_key, key.sort_key, encoded, item_bytes
        )
        return old

    old = ctx.engine.write(put)
    return _write_response(request, table, old, item_bytes, return_values)


def delete_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteItem: remove one item if present (deleting a missing item is not an error)."""
    _refuse_not_yet(request)
    table = data_plane_table(ctx, request["TableName"])
    key = _key_of(request, table)
    return_values = _return_values(request)

    def delete(transaction: WriteTransaction) -> StoredItem | None:
        old = transaction.get_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
        if old is not None:
            transaction.delete_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
        return old

    old = ctx.engine.write(delete)
    return _write_response(request, table, old, 0, return_values)


def _write_response(
    request: dict[str, Any],
    table: Table,
    old: StoredItem | None,
    new_bytes: int,
    return_values: str,
) -> dict[str, Any]:
    response: dict[str, Any] = {}
    if return_values == "ALL_OLD" and old is not None:
        response["Attributes"] = orjson.Fragment(old[0])
    old_bytes = 0 if old is None else old[1]
    capacity = consumed_capacity(
        request.get("ReturnConsumedCapacity"),
        table.name,
        write_units(max(old_bytes, new_bytes)),
        "Write",
    )
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response


def get_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """GetItem: the item with the given primary key, or no ``Item`` member if absent.

    ``AttributesToGet`` selects top-level attributes; ``ConsistentRead`` changes
    only the capacity charged (every read here is strongly consistent).
    """
    _refuse_not_yet(request)
    table = data_plane_table(ctx, request["TableName"])
    key = _key_of(request, table)
    stored = ctx.engine.get_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
    response: dict[str, Any] = {}
    if stored is not None:
        attributes_to_get = request.get("AttributesToGet")
        if attributes_to_get is None:
            response["Item"] = orjson.Fragment(stored[0])
        else:
            response["Item"] = project_attributes(orjson.loads(stored[0]), attributes_to_get)
    item_bytes = 0 if stored is None else stored[1]
    capacity = consumed_capacity(
        request.get("ReturnConsumedCapacity"),
        table.name,
        read_units(item_bytes, bool(request.get("ConsistentRead"))),
        "Read",
    )
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response
