"""The SQLite side of secondary indexes: entry rows, item collection sizes, index jobs.

Mixed into :class:`~openddb.storage.sqlite.engine.SqliteWriteTransaction` (writes, on the
writer thread, inside the transaction of the item change that causes them) and
:class:`~openddb.storage.sqlite.engine.SqliteEngine` (reads). Entry rows are ordered by
``(table_id, index_number, hash_token, partition_key, sort_key, table_partition_key,
table_sort_key)`` (schema.sql), so a Query of an index is one range of that primary key
and a Scan walks it in order; row-value comparisons restart a read after a row.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from openddb.storage.engine import (
    IndexEntryKey,
    IndexJob,
    IndexQueryPosition,
    IndexRow,
    IndexScanPosition,
    ItemRow,
    SortKeyBound,
    TableUsage,
)

_PUT_ENTRY = (
    "INSERT OR REPLACE INTO index_items (table_id, index_number, hash_token, partition_key, "
    "sort_key, table_partition_key, table_sort_key, table_hash_token, item, item_bytes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_DELETE_ENTRY = (
    "DELETE FROM index_items WHERE table_id = ? AND index_number = ? AND hash_token = ? "
    "AND partition_key = ? AND sort_key = ? AND table_partition_key = ? AND table_sort_key = ?"
)
_ADD_COLLECTION_BYTES = (
    "INSERT INTO item_collections (table_id, partition_key, size_bytes) VALUES (?, ?, ?) "
    "ON CONFLICT (table_id, partition_key) DO UPDATE SET size_bytes = size_bytes + "
    "excluded.size_bytes RETURNING size_bytes"
)
_ITEMS = "SELECT hash_token, partition_key, sort_key, item, item_bytes FROM items"
_ITEMS_FROM = f"{_ITEMS} WHERE table_id = ? ORDER BY hash_token, partition_key, sort_key LIMIT ?"
_ITEMS_AFTER = (
    f"{_ITEMS} WHERE table_id = ? AND (hash_token, partition_key, sort_key) > (?, ?, ?) "
    "ORDER BY hash_token, partition_key, sort_key LIMIT ?"
)
# A chunk of a dropped index's entries: the key of the ``limit``-th entry, then every entry up
# to it (or all of them when there are fewer).
_ENTRY_KEY = "hash_token, partition_key, sort_key, table_partition_key, table_sort_key"
_NTH_ENTRY = (
    f"SELECT {_ENTRY_KEY} FROM index_items WHERE table_id = ? AND index_number = ? "
    f"ORDER BY {_ENTRY_KEY} LIMIT 1 OFFSET ?"
)
_DELETE_ENTRIES_UP_TO = (
    f"DELETE FROM index_items WHERE table_id = ? AND index_number = ? AND ({_ENTRY_KEY}) <= "
    "(?, ?, ?, ?, ?)"
)
_JOB_COLUMNS = (
    "table_id, index_number, action, hash_token, partition_key, sort_key, claimed_by, "
    "claimed_until"
)
# An entry of an ALL projection is its table item (schema.sql); coalesce() stops at the
# first non-NULL argument, so the item is looked up only for those entries.
_ENTRIES = (
    "SELECT e.hash_token, e.partition_key, e.sort_key, coalesce(e.item, (SELECT i.item FROM "
    "items i WHERE i.table_id = e.table_id AND i.hash_token = e.table_hash_token AND "
    "i.partition_key = e.table_partition_key AND i.sort_key = e.table_sort_key)), "
    "e.item_bytes, e.table_partition_key, e.table_sort_key FROM index_items e"
)
_SCAN_ORDER = (
    "ORDER BY hash_token, partition_key, sort_key, table_partition_key, table_sort_key LIMIT ?"
)
# The token range's end is passed as its last token (2**63 does not fit an INTEGER).
_SCAN_FROM = (
    f"{_ENTRIES} WHERE table_id = ? AND index_number = ? AND hash_token >= ? "
    f"AND hash_token <= ? {_SCAN_ORDER}"
)
_SCAN_AFTER = (
    f"{_ENTRIES} WHERE table_id = ? AND index_number = ? AND (hash_token, partition_key, "
    "sort_key, table_partition_key, table_sort_key) > (?, ?, ?, ?, ?) AND hash_token <= ? "
    f"{_SCAN_ORDER}"
)


def _job(row: tuple[Any, ...]) -> IndexJob:
    after = None if row[3] is None else (row[3], row[4], row[5])
    return IndexJob(row[0], row[1], row[2], after, row[6], row[7])


class SqliteIndexWrites:
    """Index writes of the writer thread's transaction."""

    _connection: sqlite3.Connection

    def put_index_entry(
        self, key: IndexEntryKey, table_hash_token: int, item: bytes | None, item_bytes: int
    ) -> None:
        self._connection.execute(_PUT_ENTRY, (*key, table_hash_token, item, item_bytes))

    def delete_index_entry(self, key: IndexEntryKey) -> None:
        self._connection.execute(_DELETE_ENTRY, key)

    def add_collection_bytes(self, table_id: int, partition_key: bytes, delta: int) -> int:
        row = self._connection.execute(
            _ADD_COLLECTION_BYTES, (table_id, partition_key, delta)
        ).fetchone()
        size: int = row[0]
        assert size >= 0, (table_id, partition_key, size)
        if size == 0:
            self._connection.execute(
                "DELETE FROM item_collections WHERE table_id = ? AND partition_key = ?",
                (table_id, partition_key),
            )
        return size

    def collection_bytes(self, table_id: int, partition_key: bytes) -> int:
        row = self._connection.execute(
            "SELECT size_bytes FROM item_collections WHERE table_id = ? AND partition_key = ?",
            (table_id, partition_key),
        ).fetchone()
        return 0 if row is None else int(row[0])

    def scan_items(
        self, table_id: int, after: tuple[int, bytes, bytes] | None, limit: int
    ) -> list[ItemRow]:
        if after is None:
            return self._connection.execute(_ITEMS_FROM, (table_id, limit)).fetchall()
        return self._connection.execute(_ITEMS_AFTER, (table_id, *after, limit)).fetchall()

    def delete_index_entries(self, table_id: int, index_number: int, limit: int) -> int:
        assert limit >= 1, limit
        last = self._connection.execute(
            _NTH_ENTRY, (table_id, index_number, limit - 1)
        ).fetchone()
        if last is None:
            cursor = self._connection.execute(
                "DELETE FROM index_items WHERE table_id = ? AND index_number = ?",
                (table_id, index_number),
            )
        else:
            cursor = self._connection.execute(
                _DELETE_ENTRIES_UP_TO, (table_id, index_number, *last)
            )
        return cursor.rowcount

    def get_index_job(self, table_id: int, index_number: int) -> IndexJob | None:
        row = self._connection.execute(
            f"SELECT {_JOB_COLUMNS} FROM index_jobs WHERE table_id = ? AND index_number = ?",
            (table_id, index_number),
        ).fetchone()
        return None if row is None else _job(row)

    def put_index_job(self, job: IndexJob) -> None:
        after = job.after or (None, None, None)
        self._connection.execute(
            f"INSERT OR REPLACE INTO index_jobs ({_JOB_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (job.table_id, job.index_number, job.action, *after, job.claimed_by,
             job.claimed_until),
        )

    def delete_index_job(self, table_id: int, index_number: int) -> None:
        self._connection.execute(
            "DELETE FROM index_jobs WHERE table_id = ? AND index_number = ?",
            (table_id, index_number),
        )

    def delete_table_indexes(self, table_id: int) -> None:
        """Everything index-related of a table being deleted (its entries, jobs and item
        collection sizes)."""
        for sql in (
            "DELETE FROM index_items WHERE table_id = ?",
            "DELETE FROM index_jobs WHERE table_id = ?",
            "DELETE FROM item_collections WHERE table_id = ?",
        ):
            self._connection.execute(sql, (table_id,))


class SqliteIndexReads:
    """Index reads of the engine (each thread's read connection)."""

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        raise NotImplementedError  # provided by SqliteEngine

    def query_index(
        self,
        table_id: int,
        index_number: int,
        hash_token: int,
        partition_key: bytes,
        lower: SortKeyBound | None,
        upper: SortKeyBound | None,
        forward: bool,
        after: IndexQueryPosition | None,
        limit: int,
    ) -> list[IndexRow]:
        sql = [
            _ENTRIES,
            "WHERE table_id = ? AND index_number = ? AND hash_token = ? AND partition_key = ?",
        ]
        parameters: list[Any] = [table_id, index_number, hash_token, partition_key]
        if lower is not None:
            sql.append("AND sort_key >= ?" if lower.inclusive else "AND sort_key > ?")
            parameters.append(lower.sort_key)
        if upper is not None:
            sql.append("AND sort_key <= ?" if upper.inclusive else "AND sort_key < ?")
            parameters.append(upper.sort_key)
        if after is not None:
            comparison = ">" if forward else "<"
            sql.append(
                f"AND (sort_key, table_partition_key, table_sort_key) {comparison} (?, ?, ?)"
            )
            parameters += after
        direction = "" if forward else " DESC"
        sql.append(
            f"ORDER BY sort_key{direction}, table_partition_key{direction}, "
            f"table_sort_key{direction} LIMIT ?"
        )
        parameters.append(limit)
        return self._read(" ".join(sql), tuple(parameters))

    def scan_index(
        self,
        table_id: int,
        index_number: int,
        token_low: int,
        token_high: int,
        after: IndexScanPosition | None,
        limit: int,
    ) -> list[IndexRow]:
        token_last = token_high - 1
        if after is None:
            return self._read(_SCAN_FROM, (table_id, index_number, token_low, token_last, limit))
        return self._read(_SCAN_AFTER, (table_id, index_number, *after, token_last, limit))

    def index_usage(self, table_id: int, index_number: int) -> TableUsage:
        rows = self._read(
            "SELECT count(*), coalesce(sum(item_bytes), 0) FROM index_items "
            "WHERE table_id = ? AND index_number = ?",
            (table_id, index_number),
        )
        return TableUsage(rows[0][0], rows[0][1])

    def index_jobs(self) -> list[IndexJob]:
        rows = self._read(
            f"SELECT {_JOB_COLUMNS} FROM index_jobs ORDER BY table_id, index_number", ()
        )
        return [_job(row) for row in rows]

    def collection_bytes(self, table_id: int, partition_key: bytes) -> int:
        rows = self._read(
            "SELECT size_bytes FROM item_collections WHERE table_id = ? AND partition_key = ?",
            (table_id, partition_key),
        )
        return rows[0][0] if rows else 0
