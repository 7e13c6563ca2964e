"""The one routing table: operation name -> handler.

Every DynamoDB operation openddb answers is listed here and nowhere else.
Input shapes come from ``protocol/shapes.py`` under the same operation name.
``writes`` marks handlers that wait on a storage commit; the HTTP adapter runs
them on worker threads so that commits of concurrent requests are grouped.
Operations in the service model but not in this table answer
UnknownOperationException until they are built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openddb import errors
from openddb.api import batch, items, partiql, query_scan, streams, tables, tags, transactions, ttl
from openddb.context import Context
from openddb.protocol import shapes
from openddb.protocol.json_1_0 import DYNAMODB_SERVICE, STREAMS_SERVICE
from openddb.throughput.hook import metered_call

log = logging.getLogger("openddb.api")

Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Operation:
    """A handler; ``writes``: it waits on a storage commit; ``logged``: it changes the
    control plane, so the server log says so at INFO level."""

    handler: Handler
    writes: bool
    logged: bool = False


OPERATIONS: dict[str, Operation] = {
    # tables
    "CreateTable": Operation(tables.create_table, writes=True, logged=True),
    "DescribeTable": Operation(tables.describe_table, writes=False),
    "UpdateTable": Operation(tables.update_table, writes=True, logged=True),
    "DeleteTable": Operation(tables.delete_table, writes=True, logged=True),
    "ListTables": Operation(tables.list_tables, writes=False),
    "DescribeLimits": Operation(tables.describe_limits, writes=False),
    "DescribeEndpoints": Operation(tables.describe_endpoints, writes=False),
    # tags
    "TagResource": Operation(tags.tag_resource, writes=True, logged=True),
    "UntagResource": Operation(tags.untag_resource, writes=True, logged=True),
    "ListTagsOfResource": Operation(tags.list_tags_of_resource, writes=False),
    # time to live
    "UpdateTimeToLive": Operation(ttl.update_time_to_live, writes=True, logged=True),
    "DescribeTimeToLive": Operation(ttl.describe_time_to_live, writes=False),
    # items
    "PutItem": Operation(items.put_item, writes=True),
    "GetItem": Operation(items.get_item, writes=False),
    "UpdateItem": Operation(items.update_item, writes=True),
    "DeleteItem": Operation(items.delete_item, writes=True),
    # reads of many items
    "Query": Operation(query_scan.query, writes=False),
    "Scan": Operation(query_scan.scan, writes=False),
    # batches
    "BatchWriteItem": Operation(batch.batch_write_item, writes=True),
    "BatchGetItem": Operation(batch.batch_get_item, writes=False),
    # transactions
    "TransactWriteItems": Operation(transactions.transact_write_items, writes=True),
    "TransactGetItems": Operation(transactions.transact_get_items, writes=False),
    # PartiQL: writes=True because a statement may write (a SELECT runs there too)
    "ExecuteStatement": Operation(partiql.execute_statement, writes=True),
    "BatchExecuteStatement": Operation(partiql.batch_execute_statement, writes=True),
    "ExecuteTransaction": Operation(partiql.execute_transaction, writes=True),
}

STREAMS_OPERATIONS: dict[str, Operation] = {
    "ListStreams": Operation(streams.list_streams, writes=False),
    "DescribeStream": Operation(streams.describe_stream, writes=False),
    "GetShardIterator": Operation(streams.get_shard_iterator, writes=False),
    "GetRecords": Operation(streams.get_records, writes=False),
}

_TABLES = {DYNAMODB_SERVICE: OPERATIONS, STREAMS_SERVICE: STREAMS_OPERATIONS}


def find_operation(service: str, name: str) -> Operation:
    """The operation for a target; UnknownOperationException if openddb lacks it."""
    operation = _TABLES[service].get(name)
    if operation is None:
        raise errors.unknown_operation()
    return operation


def call(ctx: Context, service: str, name: str, request: dict[str, Any]) -> dict[str, Any]:
    """Validate ``request`` against the operation's input shape and run its handler.

    This is the entry point for HTTP, and later DAX, PartiQL and tests. The handler runs
    inside the throughput hook (capacity counters; throttling with --throttling).
    """
    operation = find_operation(service, name)
    shapes.validate(service, name, request)
    response = metered_call(ctx, service, name, request, operation.handler)
    if operation.logged:
        subject = request.get("TableName") or request.get("ResourceArn")
        log.info("%s %s (account %s, %s)", name, subject, ctx.account_id, ctx.region)
    return response
