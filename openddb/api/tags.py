"""Tags: TagResource UntagResource ListTagsOfResource (API reference pages of each).

Tags are stored with the table's catalog row; DynamoDB applies them
asynchronously, openddb at once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from openddb import errors, limits
from openddb.api.common import find_table
from openddb.context import Context
from openddb.model.table import Table
from openddb.storage.engine import WriteTransaction

RESERVED_TAG_PREFIX = "aws:"


def _table_of_arn(ctx: Context, resource_arn: str) -> Table:
    table = find_table(ctx, resource_arn) if resource_arn.startswith("arn:") else None
    if table is None or table.arn != resource_arn:
        raise errors.resource_arn_not_found(resource_arn)
    return table


def _store_tags(ctx: Context, table: Table, tags: dict[str, str]) -> None:
    updated = dataclasses.replace(table, tags=tags)

    def store(transaction: WriteTransaction) -> None:
        transaction.update_table(table.table_id, updated.to_stored())

    ctx.engine.write(store)
    ctx.catalog.put(updated)


def tag_resource(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """TagResource: add or overwrite tags (at most 50 per resource; ``aws:`` reserved)."""
    table = _table_of_arn(ctx, request["ResourceArn"])
    tags = dict(table.tags)
    for tag in request["Tags"]:
        if tag["Key"].startswith(RESERVED_TAG_PREFIX):
            raise errors.reserved_tag_key()
        tags[tag["Key"]] = tag["Value"]
    if len(tags) > limits.TAGS_PER_RESOURCE_MAX:
        raise errors.too_many_tags()
    _store_tags(ctx, table, tags)
    return {}


def untag_resource(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """UntagResource: remove the given tag keys (absent keys are ignored)."""
    table = _table_of_arn(ctx, request["ResourceArn"])
    removed = set(request["TagKeys"])
    _store_tags(ctx, table, {key: value for key, value in table.tags.items() if key not in removed})
    return {}


def list_tags_of_resource(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """ListTagsOfResource: every tag of the table, in the order they were added."""
    table = _table_of_arn(ctx, request["ResourceArn"])
    return {"Tags": [{"Key": key, "Value": value} for key, value in table.tags.items()]}


