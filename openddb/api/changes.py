"""The one place an item-level change is written: every write path ends here.

PutItem, UpdateItem, DeleteItem, BatchWriteItem (and later transactions, TTL
deletions and PartiQL) call :func:`write_change` inside their storage
transaction, so everything DynamoDB keeps consistent with an item — the base
row and the stream record now; index rows as that feature lands — is written
in the same transaction as the item itself.
"""

from __future__ import annotations

from openddb.indexes.maintenance import maintain_indexes
from openddb.model.item import PrimaryKey
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction
from openddb.streams.capture import capture


def write_change(
    transaction: WriteTransaction,
    table: Table,
    key: PrimaryKey,
    old: StoredItem | None,
    new: StoredItem | None,
    *,
    user_identity: str | None = None,
) -> None:
    """Replace ``old`` (None: absent) with ``new`` (None: delete) at ``key``.

    ``old`` must be what ``transaction.get_item`` returned for ``key`` in this same
    transaction. Deleting an absent item writes nothing. When the table has an
    enabled stream, the change's record is appended (none if the item did not
    change); ``user_identity`` names the service principal of a deletion made by
    DynamoDB itself (TTL: "dynamodb.amazonaws.com"), None for a user's change.
    """
    maintain_indexes(transaction, table, key, old, new)
    if new is not None:
        transaction.put_item(
            table.table_id, key.hash_token, key.partition_key, key.sort_key, new[0], new[1]
        )
    elif old is not None:
        transaction.delete_item(table.table_id, key.hash_token, key.partition_key, key.sort_key)
    capture(transaction, table, key, old, new, user_identity)
