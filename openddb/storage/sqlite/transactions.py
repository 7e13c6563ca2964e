"""The SQLite side of transactions: ClientRequestToken rows and snapshot reads.

Mixed into :class:`~openddb.storage.sqlite.engine.SqliteWriteTransaction` (token rows, on
the writer thread, inside the transaction of the TransactWriteItems that uses the token)
and :class:`~openddb.storage.sqlite.engine.SqliteEngine` (several items read in one read
transaction). Idempotency lives in the database, never in process memory, so API nodes
sharing one database agree on it (shared/DESIGN.md, scale-out).
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from openddb.storage.engine import ItemKey, StoredItem, StoredToken

_GET_ITEM = (
    "SELECT item, item_bytes FROM items WHERE table_id = ? AND hash_token = ? "
    "AND partition_key = ? AND sort_key = ?"
)


class SqliteTokenWrites:
    """Token rows of TransactWriteItems (writer connection, inside its transaction)."""

    _connection: sqlite3.Connection

    def get_transaction_token(self, namespace: str, token: str) -> StoredToken | None:
        row = self._connection.execute(
            "SELECT request_hash, completed_at FROM transaction_tokens "
            "WHERE namespace = ? AND token = ?",
            (namespace, token),
        ).fetchone()
        return None if row is None else StoredToken(row[0], row[1])

    def put_transaction_token(
        self, namespace: str, token: str, request_hash: bytes, completed_at: float
    ) -> None:
        self._connection.execute(
            "INSERT INTO transaction_tokens (namespace, token, request_hash, completed_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (namespace, token) DO UPDATE SET "
            "request_hash = excluded.request_hash, completed_at = excluded.completed_at",
            (namespace, token, request_hash, completed_at),
        )

    def purge_transaction_tokens(self, completed_by: float, limit: int) -> int:
        cursor = self._connection.execute(
            "DELETE FROM transaction_tokens WHERE rowid IN (SELECT rowid FROM transaction_tokens "
            "WHERE completed_at <= ? ORDER BY completed_at LIMIT ?)",
            (completed_by, limit),
        )
        return cursor.rowcount


class SqliteSnapshotReads:
    """Reads of several items that see one committed state (TransactGetItems)."""

    _in_memory: bool
    _lock: threading.RLock
    _writer_connection: sqlite3.Connection

    def _reader(self) -> sqlite3.Connection:
        raise NotImplementedError  # provided by SqliteEngine

    def get_items(self, keys: list[ItemKey]) -> list[StoredItem | None]:
        if self._in_memory:
            # The writer holds this lock for a whole group commit, so between two groups
            # the connection shows exactly the committed state.
            with self._lock:
                return _select_items(self._writer_connection, keys)
        connection = self._reader()
        connection.execute("BEGIN")  # one WAL snapshot for every SELECT until COMMIT
        try:
            return _select_items(connection, keys)
        finally:
            connection.execute("COMMIT")


def _select_items(connection: sqlite3.Connection, keys: list[ItemKey]) -> list[Any]:
    return [connection.execute(_GET_ITEM, key).fetchone() for key in keys]
