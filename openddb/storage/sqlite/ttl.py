"""The SQLite side of Time to Live: the ``ttl_sweeps`` row of each table.

Mixed into :class:`~openddb.storage.sqlite.engine.SqliteWriteTransaction` (the claim and the
sweep position move in the transaction of the deletions they cover) and
:class:`~openddb.storage.sqlite.engine.SqliteEngine` (reads). The row is a compare-and-set
register: a node moves the sweep only from where it read it, so two nodes sharing the
database never delete the same items twice (shared/DESIGN.md, scale-out).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from openddb.storage.engine import TtlSweep

_SELECT = (
    "SELECT table_id, hash_token, partition_key, sort_key, claimed_by, claimed_until "
    "FROM ttl_sweeps WHERE table_id = ?"
)
# Insert the first row of a table, or move an existing one if it still stands where the caller
# read it and nobody else holds a live claim on it. ``IS`` compares NULLs as equal.
_ADVANCE = (
    "INSERT INTO ttl_sweeps (table_id, hash_token, partition_key, sort_key, claimed_by, "
    "claimed_until) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (table_id) DO UPDATE SET "
    "hash_token = excluded.hash_token, partition_key = excluded.partition_key, "
    "sort_key = excluded.sort_key, claimed_by = excluded.claimed_by, "
    "claimed_until = excluded.claimed_until "
    "WHERE (ttl_sweeps.claimed_by = excluded.claimed_by OR ttl_sweeps.claimed_until < ?) "
    "AND ttl_sweeps.hash_token IS ? AND ttl_sweeps.partition_key IS ? "
    "AND ttl_sweeps.sort_key IS ?"
)

Position = tuple[int, bytes, bytes]


def _columns(position: Position | None) -> tuple[int | None, bytes | None, bytes | None]:
    if position is None:
        return (None, None, None)
    return position


class SqliteTtlWrites:
    """Sweep rows inside the writer's transaction."""

    _connection: sqlite3.Connection
    started_at: float

    def advance_ttl_sweep(
        self,
        table_id: int,
        claimed_by: str,
        expected_after: Position | None,
        after: Position | None,
        claimed_until: float,
    ) -> bool:
        cursor = self._connection.execute(
            _ADVANCE,
            (
                table_id,
                *_columns(after),
                claimed_by,
                claimed_until,
                self.started_at,
                *_columns(expected_after),
            ),
        )
        assert cursor.rowcount in (0, 1), cursor.rowcount
        return cursor.rowcount == 1


class SqliteTtlReads:
    """Sweep rows read by the engine (reader connections)."""

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        raise NotImplementedError  # provided by SqliteEngine

    def ttl_sweep(self, table_id: int) -> TtlSweep | None:
        rows = self._read(_SELECT, (table_id,))
        if not rows:
            return None
        table_id, hash_token, partition_key, sort_key, claimed_by, claimed_until = rows[0]
        after = None if hash_token is None else (hash_token, partition_key, sort_key)
        return TtlSweep(table_id, after, claimed_by, claimed_until)
