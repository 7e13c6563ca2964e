"""Table management: CreateTable DescribeTable UpdateTable DeleteTable ListTables
DescribeLimits DescribeEndpoints.

Behaviour follows the API reference pages of each operation and the Developer
Guide "Working with tables"; validation texts are DynamoDB's (``errors.py``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from openddb import errors, limits
from openddb.api.common import control_plane_table
from openddb.context import Context
from openddb.model import table_schema
from openddb.model.table import (
    STATUS_ACTIVE,
    STATUS_CREATING,
    STATUS_DELETING,
    Table,
)
from openddb.storage.engine import WriteTransaction


def create_table(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """CreateTable: validate the definition, store it, return its TableDescription.

    Raises ValidationException for inconsistent definitions,
    ResourceInUseException "Table already exists: <name>",
    LimitExceededException past the tables-per-Region quota.
    """
    name = request["TableName"]
    table_schema.validate_create_table(request)
    if ctx.catalog.get(ctx.namespace, name) is not None:
        raise errors.table_already_exists(name)
    if ctx.catalog.count(ctx.namespace) >= limits.TABLES_PER_REGION_MAX:
        raise errors.too_many_tables(limits.TABLES_PER_REGION_MAX)
    now = ctx.clock.now()
    table_id_text = _uuid(ctx)
    description = table_schema.new_description(
        request, ctx.table_arn(name), table_id_text, now
    )
    tags = {tag["Key"]: tag["Value"] for tag in request.get("Tags", [])}
    delay = ctx.settings.transient_status_seconds if ctx.settings.delay_transient_statuses else 0
    draft = Table.build(0, ctx.namespace, name, description, now + delay, tags)

    def insert(transaction: WriteTransaction) -> int:
        return transaction.insert_table(ctx.namespace, name, draft.to_stored())

    table_id = ctx.engine.write(insert)
    table = dataclasses.replace(draft, table_id=table_id)
    ctx.catalog.put(table)
    return {"TableDescription": _describe(ctx, table, with_usage=False)}


def describe_table(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeTable: the full TableDescription, with live ItemCount and TableSizeBytes."""
    table = control_plane_table(ctx, request["TableName"])
    return {"Table": _describe(ctx, table, with_usage=True)}


def update_table(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateTable: billing mode, provisioned throughput, deletion protection, table class,
    stream and SSE settings. Raises ResourceInUseException while the table is not ACTIVE.
    """
    table = control_plane_table(ctx, request["TableName"])
    now = ctx.clock.now()
    status = table.status(now)
    if status != STATUS_ACTIVE:
        raise errors.table_in_use(table.name, status)
    description = table_schema.updated_description(table.description, request, now)
    updated = dataclasses.replace(table, description=description)

    def store(transaction: WriteTransaction) -> None:
        transaction.update_table(table.table_id, updated.to_stored())

    ctx.engine.write(store)
    ctx.catalog.put(updated)
    return {"TableDescription": _describe(ctx, updated, with_usage=True)}


def delete_table(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteTable: remove the table and its items; the answer says DELETING.

    Raises ResourceInUseException while CREATING or UPDATING, ValidationException
    when deletion protection is on.
    """
    table = control_plane_table(ctx, request["TableName"])
    status = table.status(ctx.clock.now())
    if status == STATUS_CREATING:
        raise errors.table_in_use(table.name, status)
    if table.description.get("DeletionProtectionEnabled"):
        raise errors.deletion_protected()
    answer = _describe(ctx, table, with_usage=True)
    answer["TableStatus"] = STATUS_DELETING

    def delete(transaction: WriteTransaction) -> None:
        transaction.delete_table(table.table_id)

    ctx.engine.write(delete)
    ctx.catalog.remove(table)
    return {"TableDescription": answer}


def list_tables(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """ListTables: names in ascending order after ``ExclusiveStartTableName``, at most
    ``Limit`` (1..100, default 100); ``LastEvaluatedTableName`` when more remain."""
    limit = request.get("Limit", limits.LIST_TABLES_LIMIT_MAX)
    start = request.get("ExclusiveStartTableName")
    names = ctx.catalog.names(ctx.namespace)
    if start is not None:
        names = [name for name in names if name > start]
    page = names[:limit]
    response: dict[str, Any] = {"TableNames": page}
    if len(names) > limit:
        response["LastEvaluatedTableName"] = page[-1]
    return response


def describe_limits(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeLimits: the default provisioned-throughput quotas of a Region."""
    return {
        "AccountMaxReadCapacityUnits": limits.ACCOUNT_READ_CAPACITY_UNITS_MAX,
        "AccountMaxWriteCapacityUnits": limits.ACCOUNT_WRITE_CAPACITY_UNITS_MAX,
        "TableMaxReadCapacityUnits": limits.TABLE_READ_CAPACITY_UNITS_MAX,
        "TableMaxWriteCapacityUnits": limits.TABLE_WRITE_CAPACITY_UNITS_MAX,
    }


# DescribeEndpoints tells SDKs how long to cache the answer (minutes).
ENDPOINT_CACHE_PERIOD_MINUTES = 1440


def describe_endpoints(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
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


# --- helpers -------------------------------------------------------------------


def _uuid(ctx: Context) -> str:
    bits = ctx.random.getrandbits(128)
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{text[16:20]}-{text[20:32]}"


def _describe(ctx: Context, table: Table, with_usage: bool) -> dict[str, Any]:
    description = dict(table.description)
    description["TableStatus"] = table.status(ctx.clock.now())
    if with_usage:
        usage = ctx.engine.table_usage(table.table_id)
        description["ItemCount"] = usage.item_count
        description["TableSizeBytes"] = usage.size_bytes
    else:
        description["ItemCount"] = 0
        description["TableSizeBytes"] = 0
    return description
