"""Single-item operations: PutItem GetItem UpdateItem DeleteItem.

Every handler reads as the same steps (STYLE rule 4):

1. request checks in DynamoDB's order, before the table is even looked up
   (dynalite's ``validations/*.js``, live-confirmed where noted in errors.py):
   expression vs. legacy parameters, attribute values, ReturnValues, legacy
   conditions, then the expressions themselves and their placeholders;
2. the table and the primary key;
3. one :func:`_conditional_write` -- read the old item, evaluate the condition,
   apply the change, write -- inside ``ctx.engine.write``, so it is atomic. Only
   data-dependent errors (the condition, an update's operand types) can be
   raised in there, and raising rolls back this request alone;
4. the response: ReturnValues, ConsumedCapacity.

Behaviour: API reference PutItem, GetItem, UpdateItem, DeleteItem; sizes and
capacity: Developer Guide "Item sizes and formats".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from openddb import errors, limits
from openddb.api.changes import write_change
from openddb.api.common import data_plane_table
from openddb.context import Context
from openddb.expressions import ast, legacy, resolve
from openddb.expressions.evaluate import evaluate, project
from openddb.expressions.update import apply, updated_paths
from openddb.model.attribute_value import validate_item, validate_value
from openddb.model.capacity import consumed_capacity, read_units, write_units
from openddb.model.item import PrimaryKey, primary_key_of_item, primary_key_of_key
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction

RETURN_VALUES_PUT_DELETE = frozenset({"NONE", "ALL_OLD"})

# Expression and legacy members per operation, in the order DynamoDB names them in
# the "Can not use both expression and non-expression parameters" text (dynalite).
PUT_DELETE_PARAMETERS = ((ast.CONDITION,), ("Expected",))
UPDATE_PARAMETERS = ((ast.UPDATE, ast.CONDITION), ("AttributeUpdates", "Expected"))
GET_PARAMETERS = ((ast.PROJECTION,), ("AttributesToGet",))

# What a change does inside the write: (transaction, old stored item, old item) -> result.
Change = Callable[[WriteTransaction, StoredItem | None, dict[str, Any] | None], Any]


@dataclass(frozen=True, slots=True)
class _Condition:
    """A write's condition and whether a failure returns the old item."""

    condition: ast.Condition | None
    return_old_on_failure: bool


# --- PutItem ------------------------------------------------------------------------------


def put_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """PutItem: create or replace one item; ``Attributes`` with ReturnValues=ALL_OLD.

    Raises ResourceNotFoundException, ValidationException (item values, keys, the
    400 KB limit, expressions), ConditionalCheckFailedException.
    """
    resolve.check_parameters(request, *PUT_DELETE_PARAMETERS)
    item = request["Item"]
    item_bytes = validate_item(item)
    return_values = _return_values_put_delete(request)
    if item_bytes > limits.ITEM_BYTES_MAX:
        raise errors.item_too_large()
    condition = _write_condition(request)
    table = data_plane_table(ctx, request["TableName"])
    key = primary_key_of_item(item, table.partition_key, table.sort_key)
    encoded = orjson.dumps(item)

    def put(transaction: WriteTransaction, old: StoredItem | None, _: Any) -> None:
        write_change(transaction, table, key, old, (encoded, item_bytes))

    old, _ = _conditional_write(ctx, table, key, condition, put)
    response = _old_attributes(old) if return_values == "ALL_OLD" else {}
    return _with_write_capacity(response, request, table, old, item_bytes)


# --- DeleteItem ---------------------------------------------------------------------------


def delete_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteItem: remove one item if present (deleting a missing item is not an error)."""
    resolve.check_parameters(request, *PUT_DELETE_PARAMETERS)
    validate_item(request["Key"])
    return_values = _return_values_put_delete(request)
    condition = _write_condition(request)
    table = data_plane_table(ctx, request["TableName"])
    key = primary_key_of_key(request["Key"], table.partition_key, table.sort_key)

    def delete(transaction: WriteTransaction, old: StoredItem | None, _: Any) -> None:
        write_change(transaction, table, key, old, None)

    old, _ = _conditional_write(ctx, table, key, condition, delete)
    response = _old_attributes(old) if return_values == "ALL_OLD" else {}
    return _with_write_capacity(response, request, table, old, 0)


# --- UpdateItem ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Updated:
    item: dict[str, Any]
    encoded: bytes
    size: int


def update_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateItem: change, create (when missing) or keep one item; ReturnValues any of
    NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW.

    Raises ValidationException (expressions, key attributes updated, operand types,
    the 400 KB limit after the update), ConditionalCheckFailedException.
    """
    resolve.check_parameters(request, *UPDATE_PARAMETERS)
    key_item = request["Key"]
    validate_item(key_item)
    attribute_updates = request.get("AttributeUpdates")
    legacy_update = None
    if attribute_updates is not None:
        legacy_update = legacy.attribute_updates(attribute_updates)
    expected = _expected(request)
    placeholders = resolve.placeholders(request)
    update = _update_expression(request, placeholders) or legacy_update or ast.Update(())
    condition = _expression_condition(request, placeholders) or expected
    resolve.check_unused(placeholders)
    table = data_plane_table(ctx, request["TableName"])
    key = primary_key_of_key(key_item, table.partition_key, table.sort_key)
    _refuse_key_updates(update, table)

    def change(transaction: WriteTransaction, old: StoredItem | None, old_item: Any) -> _Updated:
        item = apply(update, old_item, key_item)
        size = _size_after(update, old, old_item, item)
        if size > limits.ITEM_BYTES_MAX:
            raise errors.update_item_too_large()
        encoded = orjson.dumps(item)
        write_change(transaction, table, key, old, (encoded, size))
        return _Updated(item, encoded, size)

    on_failure = request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    old, updated = _conditional_write(
        ctx, table, key, _Condition(condition, on_failure), change, needs_old_item=True
    )
    response = _update_return_values(request.get("ReturnValues", "NONE"), update, old, updated)
    return _with_write_capacity(response, request, table, old, updated.size)


def _update_expression(request: dict[str, Any], placeholders: resolve.Placeholders) -> Any:
    text = request.get("UpdateExpression")
    return None if text is None else resolve.update(text, placeholders)


def _refuse_key_updates(update: ast.Update, table: Table) -> None:
    """Key attributes cannot be changed by any action (live, paritysuite updateItem)."""
    key_names = {table.partition_key.name}
    if table.sort_key is not None:
        key_names.add(table.sort_key.name)
    for action in update.actions:
        head = action.path.elements[0]
        if head in key_names:
            raise errors.update_key_attribute(str(head))


def _size_after(
    update: ast.Update, old: StoredItem | None, old_item: Any, item: dict[str, Any]
) -> int:
    """The updated item's size (and nesting check): the old size with only the top-level
    attributes the update touched re-measured, so a counter on a large item stays cheap.

    validate_value rewrites numbers to canonical text in place; every number here already
    is canonical (stored items and request values were validated), so nothing changes.
    """
    if old is None:
        return validate_item(item)
    size = old[1]
    for name in {action.path.elements[0] for action in update.actions}:
        assert type(name) is str, name
        name_bytes = len(name.encode("utf-8"))
        if name in old_item:
            size -= name_bytes + validate_value(old_item[name])
        if name in item:
            size += name_bytes + validate_value(item[name])
    return size


def _update_return_values(
    return_values: str, update: ast.Update, old: StoredItem | None, updated: _Updated
) -> dict[str, Any]:
    if return_values == "ALL_OLD":
        return _old_attributes(old)
    if return_values == "ALL_NEW":
        return {"Attributes": orjson.Fragment(updated.encoded)}
    if return_values == "UPDATED_OLD":
        if old is None:
            return {}
        attributes = project(orjson.loads(old[0]), updated_paths(update))
    elif return_values == "UPDATED_NEW":
        attributes = project(updated.item, updated_paths(update))
    else:
        assert return_values == "NONE", return_values
        return {}
    return {"Attributes": attributes} if attributes else {}


# --- GetItem ------------------------------------------------------------------------------


def get_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """GetItem: the item with the given primary key, or no ``Item`` member if absent.

    ``ProjectionExpression`` (or the legacy ``AttributesToGet``) selects attributes,
    nested paths included; an existing item may project to ``Item: {}``.
    ``ConsistentRead`` changes only the capacity charged (every read here is
    strongly consistent).
    """
    resolve.check_parameters(request, *GET_PARAMETERS)
    validate_item(request["Key"])
    attributes_to_get = request.get("AttributesToGet")
    projection = None if attributes_to_get is None else legacy.attributes_to_get(attributes_to_get)
    placeholders = resolve.placeholders(request)
    text = request.get("ProjectionExpression")
    if text is not None:
        projection = resolve.projection(text, placeholders)
    resolve.check_unused(placeholders)
    table = data_plane_table(ctx, request["TableName"])
    key = primary_key_of_key(request["Key"], table.partition_key, table.sort_key)
    stored = ctx.engine.get_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
    response: dict[str, Any] = {}
    if stored is not None:
        if projection is None:
            response["Item"] = orjson.Fragment(stored[0])
        else:
            response["Item"] = project(orjson.loads(stored[0]), projection)
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


# --- shared steps ---------------------------------------------------------------------------


def _return_values_put_delete(request: dict[str, Any]) -> str:
    return_values: str = request.get("ReturnValues", "NONE")
    if return_values not in RETURN_VALUES_PUT_DELETE:
        raise errors.return_values_put_delete()
    return return_values


def _expected(request: dict[str, Any]) -> ast.Condition | None:
    """The legacy ``Expected`` condition; ``ConditionalOperator`` needs two of them."""
    expected = request.get("Expected")
    conditional_operator = request.get("ConditionalOperator")
    if expected is None:
        if conditional_operator is not None:
            raise errors.legacy_conditional_operator_alone()
        return None
    return legacy.expected(expected, conditional_operator)


def _expression_condition(
    request: dict[str, Any], placeholders: resolve.Placeholders
) -> ast.Condition | None:
    text = request.get("ConditionExpression")
    if text is None:
        return None
    return resolve.condition(ast.CONDITION, text, placeholders)


def _write_condition(request: dict[str, Any]) -> _Condition:
    """PutItem's and DeleteItem's condition: Expected, then the expressions."""
    expected = _expected(request)
    placeholders = resolve.placeholders(request)
    condition = _expression_condition(request, placeholders) or expected
    resolve.check_unused(placeholders)
    on_failure = request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    return _Condition(condition, on_failure)


def _conditional_write(
    ctx: Context,
    table: Table,
    key: PrimaryKey,
    condition: _Condition,
    change: Change,
    needs_old_item: bool = False,
) -> tuple[StoredItem | None, Any]:
    """Read the old item, check the condition, apply ``change``: one atomic write.

    Returns the old stored item and what ``change`` returned. A failed condition
    raises ConditionalCheckFailedException, carrying the old item when asked
    (ReturnValuesOnConditionCheckFailure=ALL_OLD).
    """

    def work(transaction: WriteTransaction) -> tuple[StoredItem | None, Any]:
        old = transaction.get_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
        old_item = None
        if old is not None and (needs_old_item or condition.condition is not None):
            old_item = orjson.loads(old[0])
        if condition.condition is not None and not evaluate(condition.condition, old_item or {}):
            failed_item = None
            if condition.return_old_on_failure and old is not None:
                failed_item = orjson.Fragment(old[0])
            raise errors.conditional_check_failed(failed_item)
        return old, change(transaction, old, old_item)

    return ctx.engine.write(work)


def _old_attributes(old: StoredItem | None) -> dict[str, Any]:
    return {} if old is None else {"Attributes": orjson.Fragment(old[0])}


def _with_write_capacity(
    response: dict[str, Any],
    request: dict[str, Any],
    table: Table,
    old: StoredItem | None,
    new_bytes: int,
) -> dict[str, Any]:
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
