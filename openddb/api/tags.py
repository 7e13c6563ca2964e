"""Tags: TagResource UntagResource ListTagsOfResource (API reference pages of each).

Tags are stored with the table's catalog row. DynamoDB applies tag changes
asynchronously (ListTagsOfResource shows the previous set for ~2 s and a second
change within that window is refused with LimitExceededException, ACK lab
DDB-TABLE-102/103); openddb applies them at once. Rules: the Developer Guide
"Tagging restrictions" page, with texts and order as the service answers them
(``errors.py``, tags section).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any

from openddb import errors, limits
from openddb.api.common import find_table
from openddb.context import Context
from openddb.model.table import STATUS_CREATING, STATUS_DELETING, Table
from openddb.storage.engine import WriteTransaction

Json = dict[str, Any]

RESERVED_TAG_PREFIX = "aws:"
# Tag keys and values: Unicode letters, numbers and white space, plus these (the tag regex
# "^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"; ACK lab DDB-TABLE-372 checked it character class by
# character class).
TAG_PUNCTUATION = frozenset("_.:/=+-@")
TAG_CHARACTER_CATEGORIES = frozenset("LZN")
TABLE_RESOURCE = "table/"
TABLE_NAME_LENGTH_MIN = 3


# --- tag rules (shared with CreateTable) ----------------------------------------------------


def validate_tags(tags: list[Json]) -> dict[str, str]:
    """The tags of a request as a dict; every key and value valid, no key twice."""
    validated: dict[str, str] = {}
    for tag in tags:
        key, value = tag.get("Key"), tag.get("Value")
        if key is None or not _tag_text_valid(key, 1, limits.TAG_KEY_LENGTH_MAX):
            raise errors.tag_key_invalid(key)
        if value is None or not _tag_text_valid(value, 0, limits.TAG_VALUE_LENGTH_MAX):
            raise errors.tag_value_invalid(value)
        _refuse_reserved_key(key)
        if key in validated:
            raise errors.tag_keys_duplicated(key)
        validated[key] = value
    return validated


def validate_create_tags(tags: list[Json]) -> dict[str, str]:
    """CreateTable's Tags: the same rules, an empty list allowed (ACK lab DDB-TABLE-110)."""
    validated = validate_tags(tags)
    if len(validated) > limits.TAGS_PER_RESOURCE_MAX:
        raise errors.too_many_tags()
    return validated


def _tag_text_valid(text: str, length_min: int, length_max: int) -> bool:
    """Lengths count UTF-16 code units, as Java does."""
    length = len(text.encode("utf-16-le")) // 2
    if not length_min <= length <= length_max:
        return False
    return all(
        character in TAG_PUNCTUATION
        or unicodedata.category(character)[0] in TAG_CHARACTER_CATEGORIES
        for character in text
    )


def _refuse_reserved_key(key: str) -> None:
    """``aws:`` in any letter case is reserved, even for UntagResource (ACK lab DDB-TABLE-105)."""
    if key.lower().startswith(RESERVED_TAG_PREFIX):
        raise errors.reserved_tag_key(key)


# --- resource ARNs ---------------------------------------------------------------------------


def _table_name_of_arn(ctx: Context, resource_arn: str) -> str:
    """The table name in a tag operation's ResourceArn, or the service's refusal.

    ``arn:<partition>:dynamodb:<region>:<account>:table/<name>`` names a table; index
    and backup ARNs and other services' ARNs are refused (ACK lab DDB-TABLE-442,
    DDB-BACKUP-013). For strings that are not ARNs at all older captures show IAM's
    AccessDeniedException; the current service answers the validation text used here.
    """
    if not resource_arn.startswith("arn:"):
        raise errors.arn_without_prefix(resource_arn)
    parts = resource_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "dynamodb" or not parts[5].startswith(TABLE_RESOURCE):
        raise errors.arn_not_dynamodb(resource_arn)
    name, _, below = parts[5][len(TABLE_RESOURCE) :].partition("/")
    if below.startswith("index/"):
        raise errors.arn_not_table_or_stream(resource_arn)
    if below.startswith("backup/"):
        raise errors.arn_not_dynamodb(resource_arn)
    if parts[3] != ctx.region or len(name) < TABLE_NAME_LENGTH_MIN:
        raise errors.invalid_table_arn(resource_arn)
    if below or parts[4] != ctx.account_id:
        # Streams carry no tags, and another account's table is not visible here.
        raise errors.resource_arn_not_found(resource_arn)
    return name


def _tagged_table(ctx: Context, resource_arn: str, name: str) -> Table:
    """The table behind a valid ARN; a missing, deleted or still CREATING table is not found
    (ACK lab DDB-TABLE-446)."""
    now = ctx.clock.now()
    table = find_table(ctx, name)
    if table is None or table.gone(now) or table.status(now) == STATUS_CREATING:
        raise errors.resource_arn_not_found(resource_arn)
    return table


def _changeable(ctx: Context, table: Table) -> Table:
    """Tag changes on a DELETING table are refused (ACK lab DDB-TABLE-104, first second)."""
    status = table.status(ctx.clock.now())
    if status == STATUS_DELETING:
        raise errors.table_in_use(table.name, status)
    return table


def _store_tags(ctx: Context, table: Table, tags: dict[str, str]) -> None:
    updated = dataclasses.replace(table, tags=tags)

    def store(transaction: WriteTransaction) -> None:
        transaction.update_table(table.table_id, updated.to_stored())

    ctx.engine.write(store)
    ctx.catalog.put(updated)


# --- operations ------------------------------------------------------------------------------


def tag_resource(ctx: Context, request: Json) -> Json:
    """TagResource: add or overwrite tags, all or nothing; at most 50 per resource."""
    resource_arn = request["ResourceArn"]
    name = _table_name_of_arn(ctx, resource_arn)
    if not request["Tags"]:
        raise errors.tags_required()
    added = validate_create_tags(request["Tags"])
    table = _changeable(ctx, _tagged_table(ctx, resource_arn, name))
    tags = {**table.tags, **added}
    if len(tags) > limits.TAGS_PER_RESOURCE_MAX:
        raise errors.too_many_tags()
    _store_tags(ctx, table, tags)
    return {}


def untag_resource(ctx: Context, request: Json) -> Json:
    """UntagResource: remove the given tag keys (absent keys are ignored)."""
    resource_arn = request["ResourceArn"]
    name = _table_name_of_arn(ctx, resource_arn)
    tag_keys = request["TagKeys"]
    if not tag_keys:
        raise errors.tag_keys_required()
    for key in tag_keys:
        if not _tag_text_valid(key, 1, limits.TAG_KEY_LENGTH_MAX):
            raise errors.tag_key_invalid(key)
        _refuse_reserved_key(key)
    if len(tag_keys) > limits.TAGS_PER_RESOURCE_MAX:
        raise errors.too_many_tags()
    table = _changeable(ctx, _tagged_table(ctx, resource_arn, name))
    removed = set(tag_keys)
    _store_tags(ctx, table, {key: value for key, value in table.tags.items() if key not in removed})
    return {}


def list_tags_of_resource(ctx: Context, request: Json) -> Json:
    """ListTagsOfResource: every tag of the table, in the order they were added.

    A resource holds at most 50 tags, which the service returns in one page (no
    NextToken at 50, ACK lab DDB-TABLE-108); a NextToken given is ignored and the
    first page returned (DDB-TABLE-073).
    """
    resource_arn = request["ResourceArn"]
    table = _tagged_table(ctx, resource_arn, _table_name_of_arn(ctx, resource_arn))
    return {"Tags": [{"Key": key, "Value": value} for key, value in table.tags.items()]}
