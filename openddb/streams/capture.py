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


def stream_view_type(table: Table) -> str | None:
    """The catalog's view of the table's stream (None: no enabled stream), so that only
    tables with a stream pay for capture. The database has the last word."""
    specification = table.description.get("StreamSpecification")
    if not specification or not specification.get("StreamEnabled"):
        return None
    view_type: str = specification["StreamViewType"]
    return view_type


def capture(
    transaction: WriteTransaction,
    table: Table,
    key: PrimaryKey,
    old: StoredItem | None,
    new: StoredItem | None,
    user_identity: str | None = None,
) -> None:
    """Append the record of replacing ``old`` by ``new`` at ``key`` to the table's stream.

    One statement pair in the common case; the slow path (the shard is due to roll over,
    or the catalog's view of the stream is stale) reads the stream and shard first.
    """
    view_type = stream_view_type(table)
    if view_type is None or not records.changed(old, new):
        return
    now = transaction.now()
    keys = records.keys_of(table, key)
    record = records.change_record(view_type, keys, old, new, now, user_identity)
    appended = transaction.append_to_open_shard(table.table_id, key.hash_token, view_type, record)
    if appended is not None:
        return
    found = transaction.open_shard(table.table_id, key.hash_token)
    if found is None:
        return  # the stream was disabled after this request looked the table up
    stream, shard = found
    if shards.rollover_due(shard, stream.rollover_seconds, now):
        shard = transaction.roll_over_shard(
            shard, shards.child_shard(shard, stream.stream_arn, now)
        )
    if stream.stream_view_type != view_type:
        record = records.change_record(
            stream.stream_view_type, keys, old, new, now, user_identity
        )
    transaction.append_stream_record(shard, record)
