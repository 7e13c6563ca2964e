"""Change capture: the stream record of one item-level change, in the change's transaction.

Called by ``api/changes.write_change`` for every change, so each change of an item emits
exactly one record (or none when the item did not change), committed atomically with the
change, in per-key order (the shard's counter orders them; one writer commits them).
Whether the table streams is read from the database inside the transaction, so a change
that commits after the stream was disabled writes no record.
"""

from __future__ import annotations

from openddb.model.item import PrimaryKey
from openddb.model.table import Table
from openddb.storage.engine import StoredItem, WriteTransaction
from openddb.streams import records, shards


def streams_changes(table: Table) -> bool:
    """Cheap test from the catalog: only tables with an enabled stream pay for capture."""
    specification = table.description.get("StreamSpecification")
    return bool(specification and specification.get("StreamEnabled"))


def capture(
    transaction: WriteTransaction,
    table: Table,
    key: PrimaryKey,
    old: StoredItem | None,
    new: StoredItem | None,
    user_identity: str | None = None,
) -> None:
    """Append the record of replacing ``old`` by ``new`` at ``key`` to the table's stream."""
    if not streams_changes(table) or not records.changed(old, new):
        return
    found = transaction.open_shard(table.table_id, key.hash_token)
    if found is None:
        return  # the stream was disabled after this request looked the table up
    stream, shard = found
    now = transaction.now()
    if shards.rollover_due(shard, stream.rollover_seconds, now):
        shard = transaction.roll_over_shard(
            shard, shards.child_shard(shard, stream.stream_arn, now)
        )
    record = records.change_record(
        stream.stream_view_type, records.keys_of(table, key), old, new, now, user_identity
    )
    transaction.append_stream_record(shard, record)
