"""Helpers shared by handlers: finding a table by name or ARN."""

from __future__ import annotations

from openddb import errors
from openddb.context import Context
from openddb.model.table import STATUS_CREATING, Table

TABLE_ARN_MARKER = ":table/"


def table_name_of(table_name_or_arn: str) -> str:
    """The table name in a ``TableName`` member, which may also be a table ARN."""
    if table_name_or_arn.startswith("arn:") and TABLE_ARN_MARKER in table_name_or_arn:
        return table_name_or_arn.split(TABLE_ARN_MARKER, 1)[1].split("/", 1)[0]
    return table_name_or_arn


def find_table(ctx: Context, table_name_or_arn: str) -> Table | None:
    """The table named (or ARN'd) in the caller's namespace; None when absent or when a
    delayed deletion has finished."""
    table = ctx.catalog.get(ctx.namespace, table_name_of(table_name_or_arn))
    if table is None or table.gone(ctx.clock.now()):
        return None
    return table


def data_plane_table(ctx: Context, table_name_or_arn: str) -> Table:
    """The table for a data-plane call (GetItem, PutItem...).

    Raises ResourceNotFoundException "Requested resource not found" when the
    table does not exist or is still CREATING (data-plane calls fail on a
    creating table, as on DynamoDB).
    """
    table = find_table(ctx, table_name_or_arn)
    if table is None or table.status(ctx.clock.now()) == STATUS_CREATING:
        raise errors.resource_not_found()
    return table


def control_plane_table(ctx: Context, table_name_or_arn: str) -> Table:
    """The table for a control-plane call; ResourceNotFoundException names it."""
    table = find_table(ctx, table_name_or_arn)
    if table is None:
        raise errors.table_not_found(table_name_of(table_name_or_arn))
    return table
