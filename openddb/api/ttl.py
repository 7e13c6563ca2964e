"""Time to Live: UpdateTimeToLive DescribeTimeToLive.

The settings live in the table's catalog row (``Table.time_to_live``), their rules and
statuses in ``ttl/specification.py``, the deletion of expired items in ``ttl/sweep.py``.
Sources: API reference UpdateTimeToLive / DescribeTimeToLive, the Developer Guide TTL pages,
and live answers recorded by the ACK lab (DDB-TABLE-143..147): UpdateTimeToLive echoes the
specification it was given; a missing table is "Requested resource not found: Table: <name>
not found" for both operations (localstack/localstack#9038, checked against AWS).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from openddb.api.common import control_plane_table
from openddb.context import Context
from openddb.storage.engine import WriteTransaction
from openddb.ttl import specification

Json = dict[str, Any]


def update_time_to_live(ctx: Context, request: Json) -> Json:
    """UpdateTimeToLive: enable TTL on one attribute, or disable it.

    Raises ResourceNotFoundException for a missing table and ValidationException when TTL
    is already enabled or disabled, is active on another attribute, or changed too recently.
    """
    requested = request["TimeToLiveSpecification"]
    enabled: bool = requested["Enabled"]
    attribute_name: str = requested["AttributeName"]
    now = ctx.clock.now()
    table = control_plane_table(ctx, request["TableName"])
    current = specification.TimeToLive.from_stored(table.time_to_live)
    specification.check_update(current, enabled, attribute_name, now)
    settings = ctx.settings
    settle_seconds = settings.transient_status_seconds if settings.delay_transient_statuses else 0
    changed = specification.updated(enabled, attribute_name, now, settle_seconds)
    updated = dataclasses.replace(table, time_to_live=changed.to_stored())

    def store(transaction: WriteTransaction) -> None:
        transaction.update_table(updated.table_id, updated.to_stored())

    ctx.engine.write(store)
    ctx.catalog.put(updated)
    return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute_name}}


def describe_time_to_live(ctx: Context, request: Json) -> Json:
    """DescribeTimeToLive: the status, and the attribute unless DISABLED."""
    table = control_plane_table(ctx, request["TableName"])
    current = specification.TimeToLive.from_stored(table.time_to_live)
    return {"TimeToLiveDescription": specification.description(current, ctx.clock.now())}
