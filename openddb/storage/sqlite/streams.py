"""The SQLite side of DynamoDB Streams: stream, shard, record and checkpoint rows.

Mixed into :class:`~openddb.storage.sqlite.engine.SqliteWriteTransaction` (writes, on the
writer thread, inside its transaction) and :class:`~openddb.storage.sqlite.engine.
SqliteEngine` (reads). Sequence numbers come from the shard row's counter
(``last_sequence_number``), updated in the same transaction as the record and the change
that caused it, never from process memory (shared/DESIGN.md, scale-out).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

from openddb.storage.engine import (
    NewShard,
    NewStream,
    NewStreamRecord,
    StoredShard,
    StoredStream,
    StoredStreamRecord,
)

_STREAM_COLUMNS = (
    "stream_id, namespace, table_id, table_name, stream_arn, stream_view_type, key_schema, "
    "created_at, disabled_at, shard_count, rollover_seconds"
)
_SHARD_COLUMNS = (
    "shard_key, stream_id, shard_id, parent_shard_id, token_low, token_last, created_at, "
    "starting_sequence_number, last_sequence_number, closed_at"
)
_STREAM_FIELDS = len(dataclasses.fields(StoredStream))
_JOINED = (
    ", ".join(f"s.{name.strip()}" for name in _STREAM_COLUMNS.split(","))
    + ", "
    + ", ".join(f"h.{name.strip()}" for name in _SHARD_COLUMNS.split(","))
)
_OPEN_SHARD = (
    f"SELECT {_JOINED} FROM streams s JOIN stream_shards h ON h.stream_id = s.stream_id "
    "WHERE s.table_id = ? AND s.disabled_at IS NULL AND h.closed_at IS NULL "
    "AND h.token_low <= ? AND h.token_last >= ?"
)
_SHARDS_DUE = (
    f"SELECT {_JOINED} FROM streams s JOIN stream_shards h ON h.stream_id = s.stream_id "
    "WHERE s.disabled_at IS NULL AND h.closed_at IS NULL "
    "AND h.created_at + s.rollover_seconds <= ?"
)
_INSERT_SHARD = (
    "INSERT INTO stream_shards (stream_id, shard_id, parent_shard_id, token_low, token_last, "
    "created_at, starting_sequence_number, last_sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# The fast path of a write: count the record in the open shard of the table's enabled
# stream that covers the partition, unless that shard is due to roll over or the stream's
# view type is not the one the record was built for (then the caller takes the slow path).
_COUNT_IN_OPEN_SHARD = (
    "UPDATE stream_shards SET last_sequence_number = last_sequence_number + 1 "
    "WHERE shard_key = (SELECT h.shard_key FROM streams s JOIN stream_shards h "
    "ON h.stream_id = s.stream_id WHERE s.table_id = ? AND s.disabled_at IS NULL "
    "AND s.stream_view_type = ? AND h.closed_at IS NULL AND h.token_low <= ? "
    "AND h.token_last >= ? AND h.created_at + s.rollover_seconds > ?) "
    "RETURNING shard_key, last_sequence_number"
)
_INSERT_RECORD = (
    "INSERT INTO stream_records (shard_key, sequence_number, created_at, event_name, keys, "
    "new_image, old_image, size_bytes, user_identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_RECORDS = (
    "SELECT sequence_number, created_at, event_name, keys, new_image, old_image, size_bytes, "
    "user_identity FROM stream_records WHERE shard_key = ? AND sequence_number > ? "
    "ORDER BY sequence_number LIMIT ?"
)


def _joined(row: tuple[Any, ...]) -> tuple[StoredStream, StoredShard]:
    return StoredStream(*row[:_STREAM_FIELDS]), StoredShard(*row[_STREAM_FIELDS:])


class SqliteStreamWrites:
    """Stream writes of the writer thread's transaction."""

    _connection: sqlite3.Connection

    def insert_stream(self, stream: NewStream, shards: list[NewShard]) -> int:
        cursor = self._connection.execute(
            "INSERT INTO streams (namespace, table_id, table_name, stream_arn, stream_view_type, "
            "key_schema, created_at, shard_count, rollover_seconds) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (stream.namespace, stream.table_id, stream.table_name, stream.stream_arn,
             stream.stream_view_type, stream.key_schema, stream.created_at, stream.shard_count,
             stream.rollover_seconds),
        )
        stream_id = cursor.lastrowid
        assert stream_id is not None
        for shard in shards:
            self._insert_shard(stream_id, shard)
        return stream_id

    def _insert_shard(self, stream_id: int, shard: NewShard) -> StoredShard:
        cursor = self._connection.execute(
            _INSERT_SHARD,
            (stream_id, shard.shard_id, shard.parent_shard_id, shard.token_low, shard.token_last,
             shard.created_at, shard.starting_sequence_number,
             shard.starting_sequence_number - 1),
        )
        shard_key = cursor.lastrowid
        assert shard_key is not None
        return StoredShard(
            shard_key, stream_id, shard.shard_id, shard.parent_shard_id, shard.token_low,
            shard.token_last, shard.created_at, shard.starting_sequence_number,
            shard.starting_sequence_number - 1, None,
        )

    def enabled_stream(self, table_id: int) -> StoredStream | None:
        row = self._connection.execute(
            f"SELECT {_STREAM_COLUMNS} FROM streams WHERE table_id = ? AND disabled_at IS NULL",
            (table_id,),
        ).fetchone()
        return None if row is None else StoredStream(*row)

    def disable_stream(self, stream_id: int, now: float) -> None:
        cursor = self._connection.execute(
            "UPDATE streams SET disabled_at = ? WHERE stream_id = ? AND disabled_at IS NULL",
            (now, stream_id),
        )
        assert cursor.rowcount == 1, "the stream to disable is enabled"
        self._connection.execute(
            "UPDATE stream_shards SET closed_at = ? WHERE stream_id = ? AND closed_at IS NULL",
            (now, stream_id),
        )

    def open_shard(self, table_id: int, hash_token: int) -> tuple[StoredStream, StoredShard] | None:
        row = self._connection.execute(_OPEN_SHARD, (table_id, hash_token, hash_token)).fetchone()
        return None if row is None else _joined(row)

    def roll_over_shard(self, parent: StoredShard, child: NewShard) -> StoredShard:
        assert child.parent_shard_id == parent.shard_id
        assert child.starting_sequence_number > parent.last_sequence_number
        cursor = self._connection.execute(
            "UPDATE stream_shards SET closed_at = ? WHERE shard_key = ? AND closed_at IS NULL",
            (child.created_at, parent.shard_key),
        )
        assert cursor.rowcount == 1, "only an open shard rolls over"
        return self._insert_shard(parent.stream_id, child)

    def append_stream_record(self, shard: StoredShard, record: NewStreamRecord) -> int:
        row = self._connection.execute(
            "UPDATE stream_shards SET last_sequence_number = last_sequence_number + 1 "
            "WHERE shard_key = ? AND closed_at IS NULL RETURNING last_sequence_number",
            (shard.shard_key,),
        ).fetchone()
        assert row is not None, "records go to open shards only"
        self._insert_record(shard.shard_key, row[0], record)
        sequence_number: int = row[0]
        return sequence_number

    def append_to_open_shard(
        self, table_id: int, hash_token: int, view_type: str, record: NewStreamRecord
    ) -> int | None:
        row = self._connection.execute(
            _COUNT_IN_OPEN_SHARD,
            (table_id, view_type, hash_token, hash_token, record.created_at),
        ).fetchone()
        if row is None:
            return None
        self._insert_record(row[0], row[1], record)
        sequence_number: int = row[1]
        return sequence_number

    def _insert_record(self, shard_key: int, sequence_number: int, record: NewStreamRecord) -> None:
        self._connection.execute(
            _INSERT_RECORD,
            (shard_key, sequence_number, record.created_at, record.event_name, record.keys,
             record.new_image, record.old_image, record.size_bytes, record.user_identity),
        )

    def shards_due(self, opened_before: float) -> list[tuple[StoredStream, StoredShard]]:
        rows = self._connection.execute(_SHARDS_DUE, (opened_before,)).fetchall()
        return [_joined(row) for row in rows]

    def trim_stream_records(self, created_before: float, limit: int) -> int:
        deleted = 0
        shard_keys = self._connection.execute(
            "SELECT shard_key FROM stream_shards WHERE created_at < ?", (created_before,)
        ).fetchall()
        for (shard_key,) in shard_keys:
            if deleted >= limit:
                return deleted
            deleted += self._trim_shard(shard_key, created_before, limit - deleted)
        self._forget_expired(created_before)
        return deleted

    def _trim_shard(self, shard_key: int, created_before: float, limit: int) -> int:
        """Records of a shard are in creation order, so the expired ones are a prefix: find
        the first kept record (reading only the prefix) and delete below it."""
        kept = self._connection.execute(
            "SELECT sequence_number FROM stream_records WHERE shard_key = ? AND created_at >= ? "
            "ORDER BY sequence_number LIMIT 1",
            (shard_key, created_before),
        ).fetchone()
        first = self._connection.execute(
            "SELECT min(sequence_number) FROM stream_records WHERE shard_key = ?", (shard_key,)
        ).fetchone()[0]
        if first is None:
            return 0
        below = first + limit if kept is None else min(kept[0], first + limit)
        cursor = self._connection.execute(
            "DELETE FROM stream_records WHERE shard_key = ? AND sequence_number < ?",
            (shard_key, below),
        )
        return cursor.rowcount

    def _forget_expired(self, created_before: float) -> None:
        """Shards closed, and streams disabled, before the retention horizon hold no record
        any more: drop them with their checkpoints."""
        expired = "SELECT shard_key FROM stream_shards WHERE closed_at < ?"
        self._connection.execute(
            f"DELETE FROM stream_records WHERE shard_key IN ({expired})", (created_before,)
        )
        self._connection.execute(
            f"DELETE FROM stream_checkpoints WHERE shard_key IN ({expired})", (created_before,)
        )
        self._connection.execute(
            "DELETE FROM stream_shards WHERE closed_at < ?", (created_before,)
        )
        self._connection.execute(
            "DELETE FROM streams WHERE disabled_at < ? AND stream_id NOT IN "
            "(SELECT stream_id FROM stream_shards)",
            (created_before,),
        )

    def insert_consumer(self, consumer: str, now: float) -> bool:
        cursor = self._connection.execute(
            "INSERT OR IGNORE INTO stream_consumers (consumer, created_at) VALUES (?, ?)",
            (consumer, now),
        )
        return cursor.rowcount == 1

    def save_checkpoint(self, consumer: str, shard_key: int, sequence_number: int) -> None:
        self._connection.execute(
            "INSERT INTO stream_checkpoints (consumer, shard_key, sequence_number) "
            "VALUES (?, ?, ?) ON CONFLICT (consumer, shard_key) "
            "DO UPDATE SET sequence_number = excluded.sequence_number",
            (consumer, shard_key, sequence_number),
        )


class SqliteStreamReads:
    """Stream reads of the engine (reader connections)."""

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        raise NotImplementedError  # provided by SqliteEngine

    def list_streams(
        self, namespace: str, table_name: str | None, after_arn: str | None, disabled_since: float,
        limit: int,
    ) -> list[StoredStream]:
        sql = [
            f"SELECT {_STREAM_COLUMNS} FROM streams WHERE namespace = ?",
            "AND (disabled_at IS NULL OR disabled_at >= ?)",
        ]
        parameters: list[Any] = [namespace, disabled_since]
        if table_name is not None:
            sql.append("AND table_name = ?")
            parameters.append(table_name)
        if after_arn is not None:
            sql.append("AND stream_arn > ?")
            parameters.append(after_arn)
        sql.append("ORDER BY stream_arn, stream_id LIMIT ?")
        parameters.append(limit)
        return [StoredStream(*row) for row in self._read(" ".join(sql), tuple(parameters))]

    def get_stream(self, namespace: str, stream_arn: str) -> StoredStream | None:
        rows = self._read(
            f"SELECT {_STREAM_COLUMNS} FROM streams WHERE namespace = ? AND stream_arn = ? "
            "ORDER BY stream_id DESC LIMIT 1",
            (namespace, stream_arn),
        )
        return StoredStream(*rows[0]) if rows else None

    def streams_of_table(self, table_name: str) -> list[StoredStream]:
        rows = self._read(
            f"SELECT {_STREAM_COLUMNS} FROM streams WHERE table_name = ? ORDER BY stream_id",
            (table_name,),
        )
        return [StoredStream(*row) for row in rows]

    def stream_shards(self, stream_id: int) -> list[StoredShard]:
        rows = self._read(
            f"SELECT {_SHARD_COLUMNS} FROM stream_shards WHERE stream_id = ? ORDER BY shard_id",
            (stream_id,),
        )
        return [StoredShard(*row) for row in rows]

    def get_shard(self, stream_id: int, shard_id: str) -> StoredShard | None:
        rows = self._read(
            f"SELECT {_SHARD_COLUMNS} FROM stream_shards WHERE stream_id = ? AND shard_id = ?",
            (stream_id, shard_id),
        )
        return StoredShard(*rows[0]) if rows else None

    def first_kept_sequence_number(self, shard_key: int, created_since: float) -> int | None:
        rows = self._read(
            "SELECT sequence_number FROM stream_records WHERE shard_key = ? AND created_at >= ? "
            "ORDER BY sequence_number LIMIT 1",
            (shard_key, created_since),
        )
        return rows[0][0] if rows else None

    def stream_records(self, shard_key: int, after: int, limit: int) -> list[StoredStreamRecord]:
        return [StoredStreamRecord(*row) for row in self._read(_RECORDS, (shard_key, after, limit))]

    def checkpoints(self, consumer: str) -> dict[int, int]:
        rows = self._read(
            "SELECT shard_key, sequence_number FROM stream_checkpoints WHERE consumer = ?",
            (consumer,),
        )
        return {shard_key: sequence_number for shard_key, sequence_number in rows}
