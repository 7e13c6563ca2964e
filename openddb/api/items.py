"""Single-item operations: PutItem GetItem UpdateItem DeleteItem.

Every handler reads as the same steps (STYLE rule 4):

1. request checks in DynamoDB's order, before the table is even looked up
   (dynalite's ``validations/*.js``, live-confirmed where noted in errors.py):
   expression vs. legacy parameters, attribute values, ReturnValues, legacy
   conditions, then the expressions themselves and their placeholders;
2. the table and the primary key;
3. one :func:`_conditional_write` of an :class:`ItemWrite` -- :func:`check_and_apply`
   (read the old item, evaluate the condition, run the pure ``apply``) then
   :func:`commit_write` -- inside ``ctx.engine.write``, so it is atomic. Only
   data-dependent errors (the condition, an update's operand types) can be
   raised in there, and raising rolls back this request alone. TransactWriteItems
   (api/transactions.py) runs the same two steps for each of its actions;
4. the response: ReturnValues, ConsumedCapacity (the table's units and, for tables with
   secondary indexes, each index's: GSIs and LSIs apart).

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
from openddb.model.index import (
    IndexWriteUnits,
    check_index_keys,
    has_secondary_indexes,
    index_write_units,
)
from openddb.model.item import PrimaryKey, primary_key_of_item, primary_key_of_key
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction

RETURN_VALUES_PUT_DELETE = frozenset({"NONE", "ALL_OLD"})

# Expression and legacy members per operation, in the order DynamoDB names them in
# the "Can not use both expression and non-expression parameters" text (dynalite).
PUT_DELETE_PARAMETERS = ((ast.CONDITION,), ("Expected",))
UPDATE_PARAMETERS = ((ast.UPDATE, ast.CONDITION), ("AttributeUpdates", "Expected"))
GET_PARAMETERS = ((ast.PROJECTION,), ("AttributesToGet",))


@dataclass(frozen=True, slots=True)
class WriteCondition:
    """A write's condition and whether a failure returns the old item."""

    condition: ast.Condition | None
    return_old_on_failure: bool


@dataclass(frozen=True, slots=True)
class Applied:
    """What a write leaves at its key: the new stored item (None: the item is deleted) and
    the new item itself when the write built it (Put: the request's item; Update: the
    updated item)."""

    stored: StoredItem | None
    item: dict[str, Any] | None


# A write's pure step (STYLE rule 4): (old stored item, old item decoded) -> what it leaves.
Apply = Callable[[StoredItem | None, dict[str, Any] | None], Applied]


@dataclass(frozen=True, slots=True)
class ItemWrite:
    """One validated write of one item: PutItem, UpdateItem, DeleteItem, or an action of
    TransactWriteItems. ``apply`` is None for a ConditionCheck, which writes nothing.
    ``needs_old_item``: ``apply`` or the capacity count reads the old item's attributes."""

    table: Table
    key: PrimaryKey
    condition: WriteCondition
    apply: Apply | None
    needs_old_item: bool


@dataclass(frozen=True, slots=True)
class Checked:
    """An :class:`ItemWrite` whose condition held: the old item and what ``apply`` left."""

    old: StoredItem | None
    old_item: dict[str, Any] | None
    applied: Applied | None


def check_and_apply(transaction: WriteTransaction, write: ItemWrite) -> Checked:
    """Read the old item, evaluate the condition and run ``apply``; nothing is written.

    Raises ConditionalCheckFailedException (carrying the old item when asked:
    ReturnValuesOnConditionCheckFailure=ALL_OLD) or the ValidationException of a
    data-dependent update error.
    """
    table, key, condition = write.table, write.key, write.condition
    old = transaction.get_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
    old_item = None
    if old is not None and (write.needs_old_item or condition.condition is not None):
        old_item = orjson.loads(old[0])
    if condition.condition is not None and not evaluate(condition.condition, old_item or {}):
        failed_item = None
        if condition.return_old_on_failure and old is not None:
            failed_item = orjson.Fragment(old[0])
        raise errors.conditional_check_failed(failed_item)
    applied = None if write.apply is None else write.apply(old, old_item)
    return Checked(old, old_item, applied)


def commit_write(transaction: WriteTransaction, write: ItemWrite, checked: Checked) -> None:
    """Write what :func:`check_and_apply` computed (through the single write path)."""
    if checked.applied is not None:
        write_change(transaction, write.table, write.key, checked.old, checked.applied.stored)


def index_units(write: ItemWrite, checked: Checked) -> IndexWriteUnits:
    """Write units each GSI and each LSI of the table consumed for this write (none for a
    check); see ``model/index.py`` for the rules."""
    if checked.applied is None or not has_secondary_indexes(write.table):
        return IndexWriteUnits()
    new_item = checked.applied.item
    if new_item is None and checked.applied.stored is not None:
        new_item = orjson.loads(checked.applied.stored[0])
    return index_write_units(write.table, checked.old_item, new_item)


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
    write = put_write(table, key, item, item_bytes, condition)
    checked = _conditional_write(ctx, write)
    response = _old_attributes(checked.old) if return_values == "ALL_OLD" else {}
    return _with_write_capacity(response, request, write, checked, item_bytes)


def put_write(
    table: Table, key: PrimaryKey, item: dict[str, Any], item_bytes: int, condition: WriteCondition
) -> ItemWrite:
    """The write of a Put: the (validated) request item replaces whatever was there."""
    # Index key values are request validation: they fail before any condition is read.
    check_index_keys(table, item)
    applied = Applied((orjson.dumps(item), item_bytes), item)

    def apply_put(_old: StoredItem | None, _old_item: dict[str, Any] | None) -> Applied:
        return applied

    return ItemWrite(table, key, condition, apply_put, has_secondary_indexes(table))


# --- DeleteItem ---------------------------------------------------------------------------


def delete_item(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteItem: remove one item if present (deleting a missing item is not an error)."""
    resolve.check_parameters(request, *PUT_DELETE_PARAMETERS)
    validate_item(request["Key"])
    return_values = _return_values_put_delete(request)
    condition = _write_condition(request)
    table = data_plane_table(ctx, request["TableName"])
    key = primary_key_of_key(request["Key"], table.partition_key, table.sort_key)

    write = delete_write(table, key, condition)
    checked = _conditional_write(ctx, write)
    response = _old_attributes(checked.old) if return_values == "ALL_OLD" else {}
    return _with_write_capacity(response, request, write, checked, 0)


DELETED = Applied(None, None)


def delete_write(table: Table, key: PrimaryKey, condition: WriteCondition) -> ItemWrite:
    """The write of a Delete (deleting an absent item writes nothing)."""

    def apply_delete(_old: StoredItem | None, _old_item: dict[str, Any] | None) -> Applied:
        return DELETED

    return ItemWrite(table, key, condition, apply_delete, has_secondary_indexes(table))


# --- UpdateItem ---------------------------------------------------------------------------


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
    update = update_expression(request, placeholders) or legacy_update or ast.Update(())
    condition = expression_condition(request, placeholders) or expected
    resolve.check_unused(placeholders)
    table = data_plane_table(ctx, request["TableName"])
    key = primary_key_of_key(key_item, table.partition_key, table.sort_key)
    refuse_key_updates(update, table)

    on_failure = request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    write = update_write(table, key, key_item, update, WriteCondition(condition, on_failure))
    checked = _conditional_write(ctx, write)
    assert checked.applied is not None and checked.applied.stored is not None
    response = _update_return_values(request.get("ReturnValues", "NONE"), update, checked)
    return _with_write_capacity(response, request, write, checked, checked.applied.stored[1])


def update_write(
    table: Table,
    key: PrimaryKey,
    key_item: dict[str, Any],
    update: ast.Update,
    condition: WriteCondition,
) -> ItemWrite:
    """The write of an Update: ``update`` applied to the old item (or to the key alone).

    ``apply`` raises the update's data-dependent ValidationExceptions, and "Item size to
    update has exceeded the maximum allowed size" past 400 KB.
    """

    def apply_update(old: StoredItem | None, old_item: dict[str, Any] | None) -> Applied:
        item = apply(update, old_item, key_item)
        check_index_keys(table, item, by_update=True)
        size = _size_after(update, old, old_item, item)
        if size > limits.ITEM_BYTES_MAX:
            raise errors.update_item_too_large()
        return Applied((orjson.dumps(item), size), item)

    return ItemWrite(table, key, condition, apply_update, needs_old_item=True)


def update_expression(request: dict[str, Any], placeholders: resolve.Placeholders) -> Any:
    text = request.get("UpdateExpression")
    return None if text is None else resolve.update(text, placeholders)


def refuse_key_updates(update: ast.Update, table: Table) -> None:
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
    return_values: str, update: ast.Update, checked: Checked
) -> dict[str, Any]:
    old, applied = checked.old, checked.applied
    assert applied is not None and applied.stored is not None and applied.item is not None
    if return_values == "ALL_OLD":
        return _old_attributes(old)
    if return_values == "ALL_NEW":
        return {"Attributes": orjson.Fragment(applied.stored[0])}
    if return_values == "UPDATED_OLD":
        if old is None:
            return {}
        attributes = project(orjson.loads(old[0]), updated_paths(update))
    elif return_values == "UPDATED_NEW":
        attributes = project(applied.item, updated_paths(update))
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


def expression_condition(
    request: dict[str, Any], placeholders: resolve.Placeholders
) -> ast.Condition | None:
    text = request.get("ConditionExpression")
    if text is None:
        return None
    return resolve.condition(ast.CONDITION, text, placeholders)


def _write_condition(request: dict[str, Any]) -> WriteCondition:
    """PutItem's and DeleteItem's condition: Expected, then the expressions."""
    expected = _expected(request)
    placeholders = resolve.placeholders(request)
    condition = expression_condition(request, placeholders) or expected
    resolve.check_unused(placeholders)
    on_failure = request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    return WriteCondition(condition, on_failure)


def _conditional_write(ctx: Context, write: ItemWrite) -> Checked:
    """:func:`check_and_apply` then :func:`commit_write`, atomically: one storage write.

    A failed condition raises ConditionalCheckFailedException, carrying the old item
    when asked (ReturnValuesOnConditionCheckFailure=ALL_OLD); nothing is written.
    """

    def work(transaction: WriteTransaction) -> Checked:
        checked = check_and_apply(transaction, write)
        commit_write(transaction, write, checked)
        return checked

    return ctx.engine.write(work)


def _old_attributes(old: StoredItem | None) -> dict[str, Any]:
    return {} if old is None else {"Attributes": orjson.Fragment(old[0])}


def _with_write_capacity(
    response: dict[str, Any],
    request: dict[str, Any],
    write: ItemWrite,
    checked: Checked,
    new_bytes: int,
) -> dict[str, Any]:
    return_consumed_capacity = request.get("ReturnConsumedCapacity")
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return response
    old_bytes = 0 if checked.old is None else checked.old[1]
    capacity = consumed_capacity(
        return_consumed_capacity,
        write.table.name,
        write_units(max(old_bytes, new_bytes)),
        "Write",
        index_units(write, checked),
    )
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response
