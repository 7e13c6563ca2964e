"""Table management: CreateTable DescribeTable UpdateTable DeleteTable ListTables
DescribeLimits DescribeEndpoints.

Behaviour follows the API reference pages of each operation, the Developer Guide
"Working with tables", and the live service where they differ; validation rules
are in ``model/table_schema.py`` (CreateTable) and ``model/table_update.py``
(UpdateTable), texts in ``errors.py``.

Transient statuses: by default a table is ACTIVE at once, as in DynamoDB Local.
With ``--delay-transient-statuses`` CreateTable, UpdateTable and DeleteTable keep
it CREATING, UPDATING or DELETING for ``transient_status_seconds``, computed from
``ctx.clock`` whenever the table is looked at. A table whose deletion finished is
invisible, and purged from storage by the next control-plane write.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from openddb import errors, limits
from openddb.api.common import find_table, table_name_of
from openddb.api.tags import validate_create_tags
from openddb.context import Context
from openddb.indexes import lifecycle
from openddb.model import table_schema, table_update
from openddb.model.index import secondary_indexes
from openddb.model.table import (
    STATUS_ACTIVE,
    STATUS_CREATING,
    STATUS_DELETING,
    STATUS_UPDATING,
    UPDATING_INDEXES,
    UPDATING_STREAM,
    UPDATING_THROUGHPUT,
    Table,
)
from openddb.storage.engine import IndexJob, WriteTransaction
from openddb.streams.lifecycle import sync_stream

Json = dict[str, Any]

# CreateTable parameters of features openddb does not have yet: refused, never ignored.
CREATE_NOT_SUPPORTED_YET = (
    "VectorIndexes",
    "GlobalTableSourceArn",
    "GlobalTableSettingsReplicationMode",
    "ResourcePolicy",
)


def create_table(ctx: Context, request: Json) -> Json:
    """CreateTable: validate the definition, store it, return its TableDescription.

    Raises ValidationException for inconsistent definitions, ResourceInUseException
    "Table already exists: <name>" (or "Table is being created" while CREATING),
    LimitExceededException past the tables-per-Region quota or the capacity quotas.
    """
    for parameter in CREATE_NOT_SUPPORTED_YET:
        if parameter in request:
            raise errors.not_supported_yet(parameter)
    table_schema.validate_create_table(request)
    tags = validate_create_tags(request.get("Tags", []))
    now = ctx.clock.now()
    name = request["TableName"]
    _check_name_free(ctx, name, now)
    if len(_live_tables(ctx, now)) >= limits.TABLES_PER_REGION_MAX:
        raise errors.too_many_tables(limits.TABLES_PER_REGION_MAX)
    description = lifecycle.numbered(
        table_schema.new_description(request, ctx.table_arn(name), _uuid(ctx), now)
    )
    _check_capacity_quotas(ctx, name, description, now)
    draft = Table.build(0, ctx.namespace, name, description, now + _transient_seconds(ctx), tags)
    gone = _gone_tables(ctx, now)

    def insert(transaction: WriteTransaction) -> int:
        _purge(transaction, gone)
        table_id = transaction.insert_table(ctx.namespace, name, draft.to_stored())
        sync_stream(transaction, ctx.settings, ctx.namespace, table_id, name, description, now)
        return table_id

    table = dataclasses.replace(draft, table_id=ctx.engine.write(insert))
    _forget(ctx, gone)
    ctx.catalog.put(table)
    answer = _answer(ctx, table, now, with_usage=False)
    return {"TableDescription": table_schema.create_answer(answer, request)}


def describe_table(ctx: Context, request: Json) -> Json:
    """DescribeTable: the full TableDescription, with live ItemCount and TableSizeBytes."""
    now = ctx.clock.now()
    table = _existing_table(ctx, request["TableName"], now)
    return {"Table": _answer(ctx, table, now, with_usage=True)}


def update_table(ctx: Context, request: Json) -> Json:
    """UpdateTable: one change per call (billing mode and throughput, one GSI create or delete
    and GSI updates, stream, encryption, table class, deletion protection, on-demand or warm
    throughput). Request-only rules answer before the table is looked up, as on the service.
    """
    request = table_update.normalized(request)
    table_update.validate_update_request(request)
    now = ctx.clock.now()
    table = _existing_table(ctx, request["TableName"], now)
    _check_update_admitted(table, request, now)
    table_update.validate_update_against(table.description, table.name, request, now)
    description = table_update.updated_description(table.description, request, now)
    description, jobs = lifecycle.with_index_changes(table.description, description, request)
    if _changes_capacity(request):
        _check_capacity_quotas(ctx, table.name, description, now)
    updated = _with_update_status(ctx, dataclasses.replace(table, description=description),
                                  request, now)
    _store(ctx, updated, now, jobs)
    updated = _first_index_steps(ctx, updated, jobs)
    answer = _answer(ctx, updated, now, with_usage=True)
    shown = {index["IndexName"] for index in answer.get("GlobalSecondaryIndexes", [])}
    deleting = [lifecycle.public(index) for index in
                table_update.deleted_indexes(table.description, request)
                if index["IndexName"] not in shown]
    if deleting:
        answer["GlobalSecondaryIndexes"] = answer.get("GlobalSecondaryIndexes", []) + deleting
    return {"TableDescription": answer}


def _first_index_steps(ctx: Context, table: Table, jobs: list[IndexJob]) -> Table:
    """UpdateTable runs the first step of each index job itself (lifecycle.py): a small
    table's new index is ACTIVE, a small deleted index gone, when UpdateTable answers.
    With --delay-transient-statuses every step is left to the background worker."""
    if not jobs or ctx.settings.delay_transient_statuses:
        return table
    for job in jobs:

        def first_step(transaction: WriteTransaction, number: int = job.index_number) -> str:
            return lifecycle.step(ctx.server, transaction, table.table_id, number, None)

        ctx.engine.write(first_step)
    return ctx.catalog.get(table.namespace, table.name) or table


def delete_table(ctx: Context, request: Json) -> Json:
    """DeleteTable: the answer says DELETING; the table goes at once, or after the transient
    delay (meanwhile DescribeTable shows it DELETING and its items stay readable).

    Raises ResourceInUseException while CREATING, UPDATING or DELETING, ValidationException
    when deletion protection is on (live, ACK lab DDB-TABLE-442).
    """
    now = ctx.clock.now()
    table = _existing_table(ctx, request["TableName"], now)
    _check_delete_admitted(table, now)
    if table.description.get("DeletionProtectionEnabled"):
        raise errors.deletion_protected()
    answer = dict(_answer(ctx, table, now, with_usage=True), TableStatus=STATUS_DELETING)
    delay = _transient_seconds(ctx)
    if delay:
        _store(ctx, dataclasses.replace(table, deleting_until=now + delay), now)
    else:
        _remove(ctx, table, now)
    return {"TableDescription": table_schema.delete_answer(answer)}


def list_tables(ctx: Context, request: Json) -> Json:
    """ListTables: names in ascending order after ``ExclusiveStartTableName`` (which need
    not exist), at most ``Limit`` (1..100, default 100); ``LastEvaluatedTableName`` only
    when more remain."""
    limit = request.get("Limit", limits.LIST_TABLES_LIMIT_MAX)
    start = request.get("ExclusiveStartTableName")
    names = [table.name for table in _live_tables(ctx, ctx.clock.now())]
    if start is not None:
        names = [name for name in names if name > start]
    page = names[:limit]
    response: Json = {"TableNames": page}
    if len(names) > limit:
        response["LastEvaluatedTableName"] = page[-1]
    return response


def describe_limits(ctx: Context, request: Json) -> Json:
    """DescribeLimits: the default provisioned-throughput quotas of a Region."""
    return {
        "AccountMaxReadCapacityUnits": limits.ACCOUNT_READ_CAPACITY_UNITS_MAX,
        "AccountMaxWriteCapacityUnits": limits.ACCOUNT_WRITE_CAPACITY_UNITS_MAX,
        "TableMaxReadCapacityUnits": limits.TABLE_READ_CAPACITY_UNITS_MAX,
        "TableMaxWriteCapacityUnits": limits.TABLE_WRITE_CAPACITY_UNITS_MAX,
    }


# DescribeEndpoints tells SDKs how long to cache the answer (minutes).
ENDPOINT_CACHE_PERIOD_MINUTES = 1440


def describe_endpoints(ctx: Context, request: Json) -> Json:
    """DescribeEndpoints: this server's own address (used only by endpoint discovery)."""
    settings = ctx.settings
    return {
        "Endpoints": [
            {
                "Address": f"{settings.host}:{settings.port}",
                "CachePeriodInMinutes": ENDPOINT_CACHE_PERIOD_MINUTES,
            }
        ]
    }


# --- lookups and admission ---------------------------------------------------------------


def _existing_table(ctx: Context, table_name_or_arn: str, now: float) -> Table:
    """The table for a control-plane call; ResourceNotFoundException names it."""
    table = find_table(ctx, table_name_or_arn)
    if table is None or table.gone(now):
        raise errors.table_not_found(table_name_of(table_name_or_arn))
    return table


def _live_tables(ctx: Context, now: float) -> list[Table]:
    return [table for table in ctx.catalog.tables(ctx.namespace) if not table.gone(now)]


def _check_name_free(ctx: Context, name: str, now: float) -> None:
    """A duplicate CreateTable is refused in every state; only CREATING words it differently
    (ACK lab DDB-TABLE-005)."""
    existing = ctx.catalog.get(ctx.namespace, name)
    if existing is None or existing.gone(now):
        return
    if existing.status(now) == STATUS_CREATING:
        raise errors.table_in_use(name, STATUS_CREATING)
    raise errors.table_already_exists(name)


def _check_update_admitted(table: Table, request: Json, now: float) -> None:
    """Deletion protection may change while UPDATING (ACK lab DDB-TABLE-002); a second
    throughput change meets "Table IOPS are currently being updated"."""
    status = table.status(now)
    if status == STATUS_ACTIVE:
        return
    if status == STATUS_UPDATING and table_update.changes(request) == ["DeletionProtectionEnabled"]:
        return
    iops = "ProvisionedThroughput" in request or "BillingMode" in request
    if status == STATUS_UPDATING and table.updating_reason == UPDATING_THROUGHPUT and iops:
        raise errors.table_iops_in_use(table.name)
    raise errors.table_in_use(table.name, status)


def _check_delete_admitted(table: Table, now: float) -> None:
    """A second DeleteTable on a DELETING table is refused too: the live service answers
    ResourceInUseException (ACK lab DDB-TABLE-008, 11 of 11 calls) although the API
    reference says it returns no error."""
    status = table.status(now)
    if status in (STATUS_CREATING, STATUS_DELETING):
        raise errors.table_in_use(table.name, status)
    if lifecycle.index_in_progress(table.description):
        # "While the index is backfilling, you cannot delete its parent table" (Developer
        # Guide GSI.OnlineOps); an index being deleted counts too.
        raise errors.delete_while_indexes_change()
    if status == STATUS_UPDATING and table.updating_reason == UPDATING_STREAM:
        raise errors.delete_while_stream_changes()
    if status == STATUS_UPDATING and table.updating_reason == UPDATING_INDEXES:
        raise errors.delete_while_indexes_change()
    if status == STATUS_UPDATING:
        raise errors.table_in_use(table.name, status)


def _with_update_status(ctx: Context, table: Table, request: Json, now: float) -> Table:
    reason = table_update.updating_reason(request)
    delay = _transient_seconds(ctx)
    if reason is None or not delay:
        return table
    return dataclasses.replace(table, updating_until=now + delay, updating_reason=reason)


def _changes_capacity(request: Json) -> bool:
    return bool(
        "ProvisionedThroughput" in request
        or "BillingMode" in request
        or table_update.index_actions(request, "Create")
        or any("ProvisionedThroughput" in action
               for action in table_update.index_actions(request, "Update"))
    )


def _check_capacity_quotas(ctx: Context, table_name: str, description: Json, now: float) -> None:
    """Per-table, per-index and per-account capacity quotas (DescribeLimits); a table and
    its indexes are capped separately (ACK lab DDB-TABLE-170)."""
    capacities = table_update.provisioned_capacities(description)
    for index_name, capacity in capacities:
        for member, table_max, _ in CAPACITY_QUOTAS:
            if capacity[member] <= table_max:
                continue
            if index_name is None:
                raise errors.capacity_above_table_maximum(
                    member, capacity[member], ctx.region, table_max)
            raise errors.capacity_above_index_maximum(
                member, index_name, capacity[member], ctx.region, table_max)
    others = [
        capacity
        for table in _live_tables(ctx, now)
        if table.name != table_name
        for _, capacity in table_update.provisioned_capacities(table.description)
    ]
    for member, _, account_max in CAPACITY_QUOTAS:
        requested = sum(capacity[member] for _, capacity in capacities)
        reserved = sum(capacity[member] for capacity in others)
        if requested and reserved + requested > account_max:
            raise errors.capacity_above_account_maximum(
                member, ctx.region, reserved, account_max, requested)


# (member, per-table maximum, per-account maximum), from DescribeLimits.
CAPACITY_QUOTAS = (
    ("ReadCapacityUnits", limits.TABLE_READ_CAPACITY_UNITS_MAX,
     limits.ACCOUNT_READ_CAPACITY_UNITS_MAX),
    ("WriteCapacityUnits", limits.TABLE_WRITE_CAPACITY_UNITS_MAX,
     limits.ACCOUNT_WRITE_CAPACITY_UNITS_MAX),
)


# --- storage ------------------------------------------------------------------------------


def _transient_seconds(ctx: Context) -> float:
    settings = ctx.settings
    return settings.transient_status_seconds if settings.delay_transient_statuses else 0.0


def _gone_tables(ctx: Context, now: float) -> list[Table]:
    return [table for table in ctx.catalog.tables(ctx.namespace) if table.gone(now)]


def _purge(transaction: WriteTransaction, gone: list[Table]) -> None:
    """Delete tables whose delayed deletion has finished (with their items)."""
    for table in gone:
        transaction.delete_table(table.table_id)


def _forget(ctx: Context, gone: list[Table]) -> None:
    for table in gone:
        ctx.catalog.remove(table)


def _store(ctx: Context, table: Table, now: float, jobs: list[IndexJob] | None = None) -> None:
    """Write ``table``'s catalog row (purging finished deletions) and publish it; ``jobs``:
    index jobs an UpdateTable starts, recorded in the same transaction."""
    gone = [other for other in _gone_tables(ctx, now) if other.table_id != table.table_id]

    def store(transaction: WriteTransaction) -> None:
        _purge(transaction, gone)
        transaction.update_table(table.table_id, table.to_stored())
        lifecycle.start_jobs(transaction, table.table_id, jobs or [])
        # A deleting table's stream is disabled at once (API reference DeleteTable).
        description = None if table.deleting_until is not None else table.description
        sync_stream(transaction, ctx.settings, ctx.namespace, table.table_id, table.name,
                    description, now)

    ctx.engine.write(store)
    _forget(ctx, gone)
    ctx.catalog.put(table)


def _remove(ctx: Context, table: Table, now: float) -> None:
    gone = [other for other in _gone_tables(ctx, now) if other.table_id != table.table_id]

    def delete(transaction: WriteTransaction) -> None:
        sync_stream(transaction, ctx.settings, ctx.namespace, table.table_id, table.name,
                    None, now)
        _purge(transaction, [*gone, table])

    ctx.engine.write(delete)
    _forget(ctx, [*gone, table])


# --- answers ------------------------------------------------------------------------------


def _uuid(ctx: Context) -> str:
    """A random (version 4, RFC 4122 variant) UUID, as TableId is."""
    text = f"{ctx.random.getrandbits(128):032x}"
    variant = "89ab"[int(text[16], 16) & 0x3]
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{variant}{text[17:20]}-{text[20:32]}"


def _answer(ctx: Context, table: Table, now: float, with_usage: bool) -> Json:
    """The TableDescription at ``now``: computed status, and the item count and size (live
    for DescribeTable; 0 in CreateTable's answer)."""
    described = table_schema.described(table.description, table.status(now), now)
    description = lifecycle.public(described)
    if with_usage:
        usage = ctx.engine.table_usage(table.table_id)
        description["ItemCount"] = usage.item_count
        description["TableSizeBytes"] = usage.size_bytes
        _index_usage(ctx, table, description)
    else:
        description["ItemCount"] = 0
        description["TableSizeBytes"] = 0
    return description


def _index_usage(ctx: Context, table: Table, description: Json) -> None:
    """IndexSizeBytes and ItemCount of each index: its entries now (DynamoDB refreshes them
    about every six hours; openddb counts them when described)."""
    numbers = {index.name: index.number for index in secondary_indexes(table)}
    for member in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        indexes = description.get(member)
        if not indexes:
            continue
        described = []
        for index in indexes:
            number = numbers.get(index["IndexName"])
            if number is not None and index.get("IndexStatus") != "DELETING":
                usage = ctx.engine.index_usage(table.table_id, number)
                index = dict(index, IndexSizeBytes=usage.size_bytes, ItemCount=usage.item_count)
            described.append(index)
        description[member] = described
