"""The one throughput hook around every handler call (``server/dispatch.call``).

Per operation a plan says what the request draws on: the table's read or write bucket
(GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan -- a GSI's for Query/Scan with
``IndexName``), each item of a batch, each action of a transaction. The plan admits or
refuses the request (see the package docstring), then :func:`_measured` runs the handler
asking for ``ConsumedCapacity`` at INDEXES detail, charges what it reports, and shapes the
member the way the client asked. Operations without a plan run untouched, except that
control-plane operations draw on the account's control-plane bucket with ``--throttling``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from openddb import errors
from openddb.api.common import find_table
from openddb.context import Context
from openddb.model.capacity import read_units, write_units
from openddb.model.table import Table
from openddb.protocol.json_1_0 import DYNAMODB_SERVICE
from openddb.throughput.meter import READ, WRITE, Throttle, Throughput

Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]
Plan = Callable[[Context, Throughput, dict[str, Any], Handler], dict[str, Any]]

INDEXES = "INDEXES"
TOTAL = "TOTAL"
# Members of a ConsumedCapacity entry that TOTAL leaves out (API reference
# ReturnConsumedCapacity: TOTAL is the aggregate only).
DETAIL_MEMBERS = ("Table", "GlobalSecondaryIndexes", "LocalSecondaryIndexes")
# Operations that manage tables rather than items (Developer Guide "Control plane").
CONTROL_PLANE = frozenset(
    {
        "CreateTable",
        "DescribeTable",
        "UpdateTable",
        "DeleteTable",
        "ListTables",
        "DescribeLimits",
        "TagResource",
        "UntagResource",
        "ListTagsOfResource",
        "DescribeTimeToLive",
        "UpdateTimeToLive",
    }
)
# What a transaction action draws on, and how many times (prepare and commit).
TRANSACT_KINDS = {"Put": WRITE, "Update": WRITE, "Delete": WRITE, "ConditionCheck": READ}
TRANSACT_FACTOR = 2.0


def metered_call(
    ctx: Context, service: str, name: str, request: dict[str, Any], handler: Handler
) -> dict[str, Any]:
    """Run ``handler`` under the operation's plan (see the module docstring)."""
    throughput = ctx.server.throughput
    if throughput is None or service != DYNAMODB_SERVICE:
        return handler(ctx, request)
    plan = PLANS.get(name)
    if plan is not None:
        return plan(ctx, throughput, request, handler)
    if (
        throughput.throttling
        and name in CONTROL_PLANE
        and not throughput.admit_control_plane(ctx.namespace)
    ):
        raise errors.control_plane_throttled()
    return handler(ctx, request)


# --- single-table requests -------------------------------------------------------------------


def _single(kind: str) -> Plan:
    def plan(
        ctx: Context, throughput: Throughput, request: dict[str, Any], handler: Handler
    ) -> dict[str, Any]:
        table = None
        if throughput.throttling:
            table = find_table(ctx, request["TableName"])
            throttle = None
            if table is not None and kind == WRITE:
                throttle = throughput.admit_write(table)
            elif table is not None:
                throttle = throughput.admit(table, _global_index(table, request), READ)
            if throttle is not None:
                assert table is not None
                throughput.count_throttle(table, throttle)
                raise throttle.error()
        try:
            return _measured(ctx, throughput, request, handler, table)
        except errors.ConditionalCheckFailedException:
            # A failed conditional write still consumes write capacity (Developer Guide
            # "Provisioned capacity mode"): at least one unit.
            table = table or find_table(ctx, request["TableName"])
            if table is not None:
                throughput.charge(table, None, WRITE, write_units(0))
            raise

    return plan


def _global_index(table: Table, request: dict[str, Any]) -> str | None:
    """The GSI a Query or Scan reads (an LSI draws on its table's capacity)."""
    index_name = request.get("IndexName")
    return index_name if index_name in _global_index_names(table) else None


# --- batches: item by item ----------------------------------------------------------------


def _batch_write_item(
    ctx: Context, throughput: Throughput, request: dict[str, Any], handler: Handler
) -> dict[str, Any]:
    if not throughput.throttling:
        return _measured(ctx, throughput, request, handler)

    def admit(
        table: Table, write_request: dict[str, Any], pending: float
    ) -> tuple[Throttle | None, float]:
        put = write_request.get("PutRequest")
        estimate = write_units(len(orjson.dumps(put["Item"]))) if put else write_units(0)
        return throughput.admit_write(table, pending), estimate

    admitted, unprocessed, throttle = _split(ctx, request["RequestItems"], admit)
    if throttle is None:
        return _measured(ctx, throughput, request, handler)
    if not admitted:
        raise throttle.error()
    response = _measured(ctx, throughput, {**request, "RequestItems": admitted}, handler)
    left = response.setdefault("UnprocessedItems", {})
    for table_name, write_requests in unprocessed.items():
        left.setdefault(table_name, []).extend(write_requests)
    return response


def _batch_get_item(
    ctx: Context, throughput: Throughput, request: dict[str, Any], handler: Handler
) -> dict[str, Any]:
    if not throughput.throttling:
        return _measured(ctx, throughput, request, handler)
    entries = request["RequestItems"]
    keys = {table_name: entry["Keys"] for table_name, entry in entries.items()}
    consistent = {
        table.table_id: bool(entry.get("ConsistentRead"))
        for table, entry in ((find_table(ctx, name), entry) for name, entry in entries.items())
        if table is not None
    }

    def admit(table: Table, _key: Any, pending: float) -> tuple[Throttle | None, float]:
        estimate = read_units(0, consistent[table.table_id])
        return throughput.admit(table, None, READ, pending), estimate

    admitted, unprocessed, throttle = _split(ctx, keys, admit)
    if throttle is None:
        return _measured(ctx, throughput, request, handler)
    if not admitted:
        raise throttle.error()
    admitted_entries = {name: {**entries[name], "Keys": found} for name, found in admitted.items()}
    response = _measured(ctx, throughput, {**request, "RequestItems": admitted_entries}, handler)
    left = response.setdefault("UnprocessedKeys", {})
    for table_name, found in unprocessed.items():
        entry = left.setdefault(table_name, {**entries[table_name], "Keys": []})
        entry["Keys"] = [*entry["Keys"], *found]
    return response


Admit = Callable[[Table, Any, float], tuple[Throttle | None, float]]


def _split(
    ctx: Context, request_items: dict[str, list[Any]], admit: Admit
) -> tuple[dict[str, list[Any]], dict[str, list[Any]], Throttle | None]:
    """Split each table's list into what its buckets admit and what they do not; the first
    throttle met is returned and counted once. A table that does not exist keeps all its
    entries, for the handler to refuse."""
    admitted: dict[str, list[Any]] = {}
    unprocessed: dict[str, list[Any]] = {}
    first: Throttle | None = None
    throughput = ctx.server.throughput
    assert throughput is not None
    for table_name, entries in request_items.items():
        table = find_table(ctx, table_name)
        pending = 0.0
        for entry in entries:
            if table is None:
                admitted.setdefault(table_name, []).append(entry)
                continue
            throttle, estimate = admit(table, entry, pending)
            if throttle is None:
                admitted.setdefault(table_name, []).append(entry)
                pending += estimate
                continue
            unprocessed.setdefault(table_name, []).append(entry)
            if first is None:
                first = throttle
                throughput.count_throttle(table, throttle)
    return admitted, unprocessed, first


# --- transactions: every action, cancelled together ----------------------------------------


def _transact(get: bool) -> Plan:
    def plan(
        ctx: Context, throughput: Throughput, request: dict[str, Any], handler: Handler
    ) -> dict[str, Any]:
        if throughput.throttling:
            _admit_transaction(ctx, throughput, request["TransactItems"], get)
        return _measured(ctx, throughput, request, handler)

    return plan


def _admit_transaction(
    ctx: Context, throughput: Throughput, transact_items: list[dict[str, Any]], get: bool
) -> None:
    """Cancel the transaction when an action's bucket is empty: that action's reason is its
    throttling code (ProvisionedThroughputExceeded, ThrottlingError, RequestLimitExceeded),
    the others' ``None``."""
    reasons: list[dict[str, Any]] = []
    pending: dict[tuple[int, str], float] = {}
    throttled = False
    for element in transact_items:
        kind, member = (READ, element.get("Get")) if get else _transact_action(element)
        table = None if member is None else find_table(ctx, member.get("TableName", ""))
        throttle = None
        if table is not None:
            drawn = pending.get((table.table_id, kind), 0.0)
            if kind == WRITE:
                throttle = throughput.admit_write(table, drawn)
            else:
                throttle = throughput.admit(table, None, kind, drawn)
            pending[(table.table_id, kind)] = drawn + TRANSACT_FACTOR
        if throttle is None:
            reasons.append(errors.reason_none())
            continue
        assert table is not None
        throttled = True
        throughput.count_throttle(table, throttle)
        reasons.append(throttle.cancellation_reason())
    if throttled:
        raise errors.transaction_canceled(reasons)


def _transact_action(element: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    for action, kind in TRANSACT_KINDS.items():
        if element.get(action) is not None:
            return kind, element[action]
    return WRITE, None  # no action: the handler refuses the request


# --- measuring and charging ------------------------------------------------------------------


def _measured(
    ctx: Context,
    throughput: Throughput,
    request: dict[str, Any],
    handler: Handler,
    table: Table | None = None,
) -> dict[str, Any]:
    """Run the handler with ``ReturnConsumedCapacity=INDEXES``, charge what it reports and
    answer the member as the client asked (TOTAL: aggregate only; otherwise none).
    ``table``: the request's table when already looked up."""
    asked = request.get("ReturnConsumedCapacity")
    if asked != INDEXES:
        request = {**request, "ReturnConsumedCapacity": INDEXES}
    response = handler(ctx, request)
    consumed = response.get("ConsumedCapacity")
    if consumed is None:
        return response
    entries = consumed if isinstance(consumed, list) else [consumed]
    for entry in entries:
        _charge(ctx, throughput, entry, table)
    if asked == TOTAL:
        totals = [_total(entry) for entry in entries]
        response["ConsumedCapacity"] = totals if isinstance(consumed, list) else totals[0]
    elif asked != INDEXES:
        del response["ConsumedCapacity"]
    return response


def _total(entry: dict[str, Any]) -> dict[str, Any]:
    return {member: value for member, value in entry.items() if member not in DETAIL_MEMBERS}


def _charge(
    ctx: Context, throughput: Throughput, entry: dict[str, Any], known: Table | None
) -> None:
    table = known if known is not None and entry["TableName"] == known.name else None
    table = table or find_table(ctx, entry["TableName"])
    if table is None:
        return
    detail = entry.get("Table", entry)
    throughput.charge(table, None, READ, detail.get("ReadCapacityUnits", 0.0))
    throughput.charge(table, None, WRITE, detail.get("WriteCapacityUnits", 0.0))
    # Local secondary indexes share their table's throughput.
    for local in entry.get("LocalSecondaryIndexes", {}).values():
        throughput.charge(table, None, READ, local.get("ReadCapacityUnits", 0.0))
        throughput.charge(table, None, WRITE, local.get("WriteCapacityUnits", 0.0))
    for index_name, used in entry.get("GlobalSecondaryIndexes", {}).items():
        if index_name in _global_index_names(table):
            throughput.charge(table, index_name, READ, used.get("ReadCapacityUnits", 0.0))
            throughput.charge(table, index_name, WRITE, used.get("WriteCapacityUnits", 0.0))


def _global_index_names(table: Table) -> list[str]:
    return [index["IndexName"] for index in table.description.get("GlobalSecondaryIndexes", ())]


PLANS: dict[str, Plan] = {
    "GetItem": _single(READ),
    "Query": _single(READ),
    "Scan": _single(READ),
    "PutItem": _single(WRITE),
    "UpdateItem": _single(WRITE),
    "DeleteItem": _single(WRITE),
    "BatchWriteItem": _batch_write_item,
    "BatchGetItem": _batch_get_item,
    "TransactWriteItems": _transact(get=False),
    "TransactGetItems": _transact(get=True),
}
