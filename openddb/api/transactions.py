"""Transactions: TransactWriteItems TransactGetItems.

TransactWriteItems reads as the single-item writes do (api/items.py), once per action:

1. every action checked in request order, before storage: one action per element, the
   expression members and placeholders, the item or key values, the table and the primary
   key; then no two actions on one item and at most 4 MB of items. Any problem rejects
   the whole request with a ValidationException (or ResourceNotFoundException), never a
   cancellation reason (behaviours.md section 4.1);
2. one ``ctx.engine.write``: the ClientRequestToken row is looked up, then
   :func:`~openddb.api.items.check_and_apply` runs for *every* action, collecting one
   cancellation reason each (``None``, ``ConditionalCheckFailed`` with the old item when
   asked, ``ValidationError`` for an update that cannot apply). If any action failed,
   TransactionCanceledException lists all the reasons and nothing is written; otherwise
   :func:`~openddb.api.items.commit_write` writes every change through the single write
   path -- items, stream records (and index rows as they land) -- and the token row, all
   in the same SQL transaction;
3. the response: ``ConsumedCapacity`` per table, every item counted twice (prepare and
   commit, Developer Guide "Capacity management for transactions").

**Idempotency.** A ClientRequestToken (botocore sends a fresh one with every call and
keeps it across its own retries) is stored in the database with the SHA-256 of the
request (TransactItems and ReturnItemCollectionMetrics; the token and
ReturnConsumedCapacity, which only shapes the answer, left out) in the transaction that
commits the writes, so a token exists only for a transaction that happened. Within 10
minutes of that commit the same token with the same request succeeds again without
writing anything (its ConsumedCapacity reports the reads of the items, as the API
reference says), and with another request answers IdempotentParameterMismatchException.
A cancelled transaction leaves no token, so retrying it runs it again.

**Concurrency: serialized, never conflicting.** Every write request of the server runs
on the storage writer thread, one after another (storage/sqlite/engine.py), and a
transaction is one SQL transaction, so two transactions -- or a transaction and a
PutItem/UpdateItem/DeleteItem -- on the same item never overlap: the later one sees the
earlier one's result, exactly as if DynamoDB had run them one after the other. Clients
therefore never observe TransactionConflictException, a ``TransactionConflict``
cancellation reason or TransactionInProgressException (the retry of a token waits for
the first use to commit and then finds its token); all are legal DynamoDB outcomes only
under contention, which clients must already treat as "retry". TransactGetItems reads
all its items inside one SQL read transaction (``Engine.get_items``): a snapshot of
committed data, so it never sees part of a TransactWriteItems. A plain GetItem sees
committed data too. (On a scale-out engine the same statements run at the database's
serializable isolation; a serialization failure there would become the
``TransactionConflict`` reason.)

Sources: API reference TransactWriteItems / TransactGetItems; behaviours.md section 4 and
its addendum for texts and reason shapes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from openddb import errors, limits
from openddb.api import items
from openddb.api.common import data_plane_table
from openddb.context import Context
from openddb.expressions import ast, resolve
from openddb.expressions.evaluate import project
from openddb.model.attribute_value import validate_item
from openddb.model.capacity import read_units, write_units
from openddb.model.index import IndexWriteUnits
from openddb.model.item import primary_key_of_item, primary_key_of_key
from openddb.model.table import Table
from openddb.storage.engine import ItemKey, StoredItem, WriteTransaction

PUT, UPDATE, DELETE, CONDITION_CHECK = "Put", "Update", "Delete", "ConditionCheck"
WRITE_ACTIONS = (CONDITION_CHECK, PUT, DELETE, UPDATE)
# The expression members each action takes (no legacy parameters in transactions).
ACTION_EXPRESSIONS = {
    PUT: (ast.CONDITION,),
    DELETE: (ast.CONDITION,),
    CONDITION_CHECK: (ast.CONDITION,),
    UPDATE: (ast.UPDATE, ast.CONDITION),
}
NO_LEGACY: tuple[str, ...] = ()
GET_EXPRESSIONS = (ast.PROJECTION,)
# Request members that make two uses of one ClientRequestToken "the same request".
IDEMPOTENT_MEMBERS = ("TransactItems", "ReturnItemCollectionMetrics")


@dataclass(frozen=True, slots=True)
class _Action:
    """One validated action of TransactWriteItems."""

    kind: str
    write: items.ItemWrite
    item_bytes: int  # a Put's item size; 0 for the other actions


@dataclass(frozen=True, slots=True)
class _Done:
    """What the storage step did: the checked actions, or (a token's repeat) only the sizes
    of the items as they are now."""

    checked: list[items.Checked] | None
    current_bytes: list[int]


# --- TransactWriteItems ---------------------------------------------------------------------


def transact_write_items(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """TransactWriteItems: up to 100 Put/Update/Delete/ConditionCheck actions on distinct
    items, all applied or none (see the module docstring for the steps and concurrency).

    Raises ValidationException, ResourceNotFoundException, TransactionCanceledException
    (CancellationReasons in request order), IdempotentParameterMismatchException.
    """
    actions = [_action(ctx, element) for element in request["TransactItems"]]
    _check_distinct([action.write for action in actions])
    _check_size(sum(action.item_bytes for action in actions))
    token = request.get("ClientRequestToken")
    digest = _request_digest(request) if token is not None else b""

    def work(transaction: WriteTransaction) -> _Done:
        if token is not None:
            repeat = _repeat(ctx, transaction, token, digest, actions)
            if repeat is not None:
                return repeat
        checked = _check_all(transaction, actions)
        _commit_all(transaction, actions, checked)
        if token is not None:
            _remember(ctx, transaction, token, digest)
        return _Done(checked, [])

    done = ctx.engine.write(work)
    response: dict[str, Any] = {}
    capacity = _write_capacity(request.get("ReturnConsumedCapacity"), actions, done)
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response


def _action(ctx: Context, element: dict[str, Any]) -> _Action:
    """Validate one TransactItems element (its shape was checked by protocol/shapes.py)."""
    kinds = [kind for kind in WRITE_ACTIONS if element.get(kind) is not None]
    if not kinds:
        raise errors.transaction_action_missing()
    if len(kinds) > 1:
        raise errors.transaction_action_count()
    kind = kinds[0]
    member = element[kind]
    resolve.check_parameters(member, ACTION_EXPRESSIONS[kind], NO_LEGACY)
    if kind == PUT:
        return _put_action(ctx, member)
    validate_item(member["Key"])
    placeholders = resolve.placeholders(member)
    update = items.update_expression(member, placeholders) if kind == UPDATE else None
    condition = items.expression_condition(member, placeholders)
    resolve.check_unused(placeholders)
    table = data_plane_table(ctx, member["TableName"])
    key = primary_key_of_key(member["Key"], table.partition_key, table.sort_key)
    write_condition = _write_condition(member, condition)
    if kind == DELETE:
        return _Action(kind, items.delete_write(table, key, write_condition), 0)
    if kind == CONDITION_CHECK:
        write = items.ItemWrite(table, key, write_condition, None, needs_old_item=False)
        return _Action(kind, write, 0)
    assert update is not None
    items.refuse_key_updates(update, table)
    write = items.update_write(table, key, member["Key"], update, write_condition)
    return _Action(kind, write, 0)


def _put_action(ctx: Context, member: dict[str, Any]) -> _Action:
    item = member["Item"]
    item_bytes = validate_item(item)
    if item_bytes > limits.ITEM_BYTES_MAX:
        raise errors.item_too_large()
    placeholders = resolve.placeholders(member)
    condition = items.expression_condition(member, placeholders)
    resolve.check_unused(placeholders)
    table = data_plane_table(ctx, member["TableName"])
    key = primary_key_of_item(item, table.partition_key, table.sort_key)
    write = items.put_write(table, key, item, item_bytes, _write_condition(member, condition))
    return _Action(PUT, write, item_bytes)


def _write_condition(
    member: dict[str, Any], condition: ast.Condition | None
) -> items.WriteCondition:
    on_failure = member.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    return items.WriteCondition(condition, on_failure)


def _check_distinct(writes: list[items.ItemWrite]) -> None:
    seen: set[tuple[int, bytes, bytes]] = set()
    for write in writes:
        identity = (write.table.table_id, write.key.partition_key, write.key.sort_key)
        if identity in seen:
            raise errors.transaction_multiple_operations_on_item()
        seen.add(identity)


def _check_size(total_bytes: int) -> None:
    if total_bytes > limits.TRANSACT_ITEMS_BYTES_MAX:
        raise errors.transaction_too_large(limits.TRANSACT_ITEMS_BYTES_MAX // limits.MEGABYTE_BYTES)


def _request_digest(request: dict[str, Any]) -> bytes:
    """SHA-256 of the members that define the request (after validation, so numbers are
    in canonical form: ``1.0`` and ``1`` are the same request)."""
    defining = {member: request.get(member) for member in IDEMPOTENT_MEMBERS}
    return hashlib.sha256(orjson.dumps(defining, option=orjson.OPT_SORT_KEYS)).digest()


def _check_all(transaction: WriteTransaction, actions: list[_Action]) -> list[items.Checked]:
    """Check and apply every action without writing; one cancellation reason each.

    Raises TransactionCanceledException when any action failed (the caller's storage
    write then rolls back, though nothing was written yet).
    """
    checked: list[items.Checked] = []
    reasons: list[dict[str, Any]] = []
    for action in actions:
        try:
            checked.append(items.check_and_apply(transaction, action.write))
            reasons.append(errors.reason_none())
        except errors.ConditionalCheckFailedException as failure:
            reasons.append(errors.reason_of(errors.REASON_CONDITIONAL_CHECK_FAILED, failure))
        except errors.ValidationException as failure:
            reasons.append(errors.reason_of(errors.REASON_VALIDATION_ERROR, failure))
    if len(checked) < len(actions):
        raise errors.transaction_canceled(reasons)
    return checked


def _commit_all(
    transaction: WriteTransaction, actions: list[_Action], checked: list[items.Checked]
) -> None:
    """Write every checked action. An action growing an item collection of a table with
    LSIs past its limit cancels the transaction with reason ItemCollectionSizeLimitExceeded
    (TransactionCanceledException model documentation); the caller's storage write then
    rolls back what the earlier actions wrote."""
    for position, (action, one) in enumerate(zip(actions, checked, strict=True)):
        try:
            items.commit_write(transaction, action.write, one)
        except errors.ItemCollectionSizeLimitExceededException:
            reasons = [errors.reason_none() for _ in actions]
            reasons[position] = errors.reason_item_collection_too_large()
            raise errors.transaction_canceled(reasons) from None


def _repeat(
    ctx: Context,
    transaction: WriteTransaction,
    token: str,
    digest: bytes,
    actions: list[_Action],
) -> _Done | None:
    """A repeat of a token used within the last 10 minutes: the item sizes as they are now
    (nothing is written), or IdempotentParameterMismatchException for another request.
    None when the token is new or expired."""
    stored = transaction.get_transaction_token(ctx.namespace, token)
    if stored is None:
        return None
    if stored.completed_at + limits.TRANSACT_TOKEN_LIFETIME_SECONDS <= ctx.clock.now():
        return None
    if stored.request_hash != digest:
        raise errors.idempotent_parameter_mismatch()
    sizes = []
    for action in actions:
        key = action.write.key
        current = transaction.get_item(
            action.write.table.table_id, key.hash_token, key.partition_key, key.sort_key
        )
        sizes.append(0 if current is None else current[1])
    return _Done(None, sizes)


def _remember(ctx: Context, transaction: WriteTransaction, token: str, digest: bytes) -> None:
    now = ctx.clock.now()
    transaction.put_transaction_token(ctx.namespace, token, digest, now)
    transaction.purge_transaction_tokens(
        now - limits.TRANSACT_TOKEN_LIFETIME_SECONDS, limits.TRANSACT_TOKENS_PURGED_PER_WRITE_MAX
    )


# --- ConsumedCapacity --------------------------------------------------------------------


@dataclass(slots=True)
class _TableUnits:
    """Capacity units one table consumed in a transaction."""

    read: float = 0.0
    write: float = 0.0
    indexes: IndexWriteUnits = field(default_factory=IndexWriteUnits)


def _write_capacity(
    return_consumed_capacity: str | None, actions: list[_Action], done: _Done
) -> list[dict[str, Any]] | None:
    """One ConsumedCapacity per table, in order of first use. A write costs twice the larger
    of the old and new item in 1 KB units (each GSI and LSI entry it changes likewise), a
    ConditionCheck twice a strongly consistent read of the item (inferred: the Developer
    Guide doubles every transactional read and write). A token's repeat reports one
    strongly consistent read of each item (API reference TransactWriteItems)."""
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    tables: dict[str, _TableUnits] = {}
    factor = limits.TRANSACT_CAPACITY_FACTOR
    for position, action in enumerate(actions):
        units = tables.setdefault(action.write.table.name, _TableUnits())
        if done.checked is None:
            units.read += read_units(done.current_bytes[position], consistent_read=True)
            continue
        checked = done.checked[position]
        old_bytes = 0 if checked.old is None else checked.old[1]
        if checked.applied is None:
            units.read += factor * read_units(old_bytes, consistent_read=True)
            continue
        new_bytes = 0 if checked.applied.stored is None else checked.applied.stored[1]
        units.write += factor * write_units(max(old_bytes, new_bytes))
        units.indexes.add(items.index_units(action.write, checked), factor)
    return [
        _consumed(return_consumed_capacity, table_name, units)
        for table_name, units in tables.items()
    ]


def _consumed(return_consumed_capacity: str, table_name: str, units: _TableUnits) -> dict[str, Any]:
    index_total = units.indexes.total()
    consumed: dict[str, Any] = {
        "TableName": table_name,
        "CapacityUnits": units.read + units.write + index_total,
    }
    if units.read:
        consumed["ReadCapacityUnits"] = units.read
    if units.write or index_total:
        consumed["WriteCapacityUnits"] = units.write + index_total
    if return_consumed_capacity == "INDEXES":
        consumed["Table"] = _capacity(units.read, units.write)
        for member, per_index in units.indexes.members():
            consumed[member] = {
                name: _capacity(0.0, index_units) for name, index_units in per_index.items()
            }
    return consumed


def _capacity(read: float, write: float) -> dict[str, Any]:
    capacity: dict[str, Any] = {"CapacityUnits": read + write}
    if read:
        capacity["ReadCapacityUnits"] = read
    if write:
        capacity["WriteCapacityUnits"] = write
    return capacity


# --- TransactGetItems -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Get:
    """One validated Get of TransactGetItems."""

    table: Table
    key: ItemKey
    projection: ast.Projection | None


def transact_get_items(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """TransactGetItems: up to 100 items read as one snapshot of committed data.

    ``Responses`` holds one entry per Get in request order: ``{"Item": ...}`` (projected
    when asked; ``{}`` when nothing projects) or ``{}`` for a missing item. Raises
    ValidationException, ResourceNotFoundException.
    """
    gets = [_get(ctx, element["Get"]) for element in request["TransactItems"]]
    seen: set[ItemKey] = set()
    for get in gets:
        if get.key in seen:
            raise errors.transaction_multiple_operations_on_item()
        seen.add(get.key)
    stored = ctx.engine.get_items([get.key for get in gets])
    _check_size(sum(item[1] for item in stored if item is not None))
    response: dict[str, Any] = {
        "Responses": [_item_response(one, get) for one, get in zip(stored, gets, strict=True)]
    }
    capacity = _read_capacity(request.get("ReturnConsumedCapacity"), gets, stored)
    if capacity is not None:
        response["ConsumedCapacity"] = capacity
    return response


def _get(ctx: Context, member: dict[str, Any]) -> _Get:
    resolve.check_parameters(member, GET_EXPRESSIONS, NO_LEGACY)
    validate_item(member["Key"])
    placeholders = resolve.placeholders(member)
    text = member.get("ProjectionExpression")
    projection = None if text is None else resolve.projection(text, placeholders)
    resolve.check_unused(placeholders)
    table = data_plane_table(ctx, member["TableName"])
    key = primary_key_of_key(member["Key"], table.partition_key, table.sort_key)
    return _Get(
        table, (table.table_id, key.hash_token, key.partition_key, key.sort_key), projection
    )


def _item_response(stored: StoredItem | None, get: _Get) -> dict[str, Any]:
    if stored is None:
        return {}
    if get.projection is None:
        return {"Item": orjson.Fragment(stored[0])}
    return {"Item": project(orjson.loads(stored[0]), get.projection)}


def _read_capacity(
    return_consumed_capacity: str | None, gets: list[_Get], stored: list[StoredItem | None]
) -> list[dict[str, Any]] | None:
    """Per table: twice a strongly consistent read of each item (a missing item costs the
    minimum read), Developer Guide "Capacity management for transactions"."""
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    tables: dict[str, _TableUnits] = {}
    for get, one in zip(gets, stored, strict=True):
        units = tables.setdefault(get.table.name, _TableUnits())
        item_bytes = 0 if one is None else one[1]
        units.read += limits.TRANSACT_CAPACITY_FACTOR * read_units(item_bytes, True)
    return [
        _consumed(return_consumed_capacity, table_name, units)
        for table_name, units in tables.items()
    ]
