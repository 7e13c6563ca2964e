"""SQLite storage engine: WAL, one writer thread with group commit, per-thread readers.

Writes: every :meth:`SqliteEngine.write` call is queued to a single writer
thread. The thread takes up to ``WRITE_BATCH_MAX`` queued calls, runs each in
its own SAVEPOINT inside one transaction and commits once. A call whose work
raises is rolled back to its savepoint without disturbing the others.

Durability "fsync" (the default): the connection commits with
``synchronous=NORMAL`` (the WAL is written, not flushed), and the group is handed
to the sync thread, which flushes the WAL file (``fdatasync``) and only then wakes the
group's callers. Meanwhile the writer thread goes on with the next group, so the
flush of one group overlaps the work of the next (with ``synchronous=FULL`` the
writer would wait for every flush; the writer spent ~45 % of its time in COMMIT under
PutItem load, py-spy). One flush covers every group committed before it started, so
concurrent writers share it. A 200 is never sent before its write is on disk;
other readers may see a group between its commit and its flush (a window of one
flush; a power loss in it loses writes no client was told succeeded).
Durability "process": no flush at all; writes survive a crash of the server
process, not of the machine. SQLite still flushes the WAL before each checkpoint
and the database file after it, in both modes (its documented behaviour of
``synchronous=NORMAL`` in WAL mode).

Reads: in file mode each thread has its own read connection (WAL readers never
block the writer and always see the last commit). In memory mode there is one
connection; readers take the same lock the writer holds while it runs a group.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from importlib import resources
from typing import Any, TypeVar

from openddb.clock import Clock, WallClock
from openddb.storage.engine import ItemRow, SortKeyBound, StoredItem, StoredTable, TableUsage
from openddb.storage.sqlite.indexes import SqliteIndexReads, SqliteIndexWrites
from openddb.storage.sqlite.processes import ProcessCoordination
from openddb.storage.sqlite.streams import SqliteStreamReads, SqliteStreamWrites
from openddb.storage.sqlite.transactions import SqliteSnapshotReads, SqliteTokenWrites
from openddb.storage.sqlite.ttl import SqliteTtlReads, SqliteTtlWrites

T = TypeVar("T")

log = logging.getLogger("openddb.storage")

DATABASE_FILE_NAME = "openddb.sqlite3"
SCHEMA_VERSION = "1"
# Upper bound on requests committed together; bounds the writer's latency.
WRITE_BATCH_MAX = 256
# Page cache of each connection, KiB (SQLite's default is 2 MiB). With 10,000 items on
# disk, GetItem at c=16 cost less server CPU with 32 MiB than with the default in one A/B
# (median of 6 alternating runs: 117 against 136 us a request; the full side-by-side run
# after it did not show the difference clearly); the cache grows only with the pages a
# connection reads.
PAGE_CACHE_KIB = 32_768  # 32 MiB
# Bounded queue: writers block (backpressure) instead of growing memory.
WRITE_QUEUE_MAX = 4096

_GET_ITEM = (
    "SELECT item, item_bytes FROM items WHERE table_id = ? AND hash_token = ? "
    "AND partition_key = ? AND sort_key = ?"
)
_PUT_ITEM = (
    "INSERT OR REPLACE INTO items "
    "(table_id, hash_token, partition_key, sort_key, item, item_bytes) VALUES (?, ?, ?, ?, ?, ?)"
)
_DELETE_ITEM = (
    "DELETE FROM items WHERE table_id = ? AND hash_token = ? AND partition_key = ? AND sort_key = ?"
)

_ROWS = "SELECT hash_token, partition_key, sort_key, item, item_bytes FROM items"
_SCAN_ORDER = "ORDER BY hash_token, partition_key, sort_key LIMIT ?"
# The token range's end is passed as its last token (``high - 1``): the end of the whole
# space, 2**63, does not fit a SQLite INTEGER.
_SCAN_FROM = f"{_ROWS} WHERE table_id = ? AND hash_token >= ? AND hash_token <= ? {_SCAN_ORDER}"
_SCAN_AFTER = (
    f"{_ROWS} WHERE table_id = ? AND (hash_token, partition_key, sort_key) > (?, ?, ?) "
    f"AND hash_token <= ? {_SCAN_ORDER}"
)


class _Stop:
    """Queue sentinel telling the writer thread to finish."""


class _Syncer:
    """The sync thread of durability "fsync": flushes the WAL file of ``path``, then runs
    the callbacks of every group committed before the flush began."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._wal_fd: int | None = None
        self._waiting: list[Callable[[OSError | None], None]] = []
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="openddb-fsync", daemon=True)
        self._thread.start()

    def after_flush(self, release: Callable[[OSError | None], None]) -> None:
        """Call ``release(None)`` on the sync thread once everything committed so far is on
        disk, or ``release(error)`` when the flush failed."""
        with self._condition:
            self._waiting.append(release)
            self._condition.notify()

    def stop(self) -> None:
        """Flush what is waiting, then end the thread."""
        with self._condition:
            self._stopping = True
            self._condition.notify()
        self._thread.join()
        if self._wal_fd is not None:
            os.close(self._wal_fd)

    def _loop(self) -> None:
        while True:
            with self._condition:
                while not self._waiting and not self._stopping:
                    self._condition.wait()
                if not self._waiting:
                    return
                releases, self._waiting = self._waiting, []
            failure = self._flush()
            for release in releases:
                release(failure)

    def _flush(self) -> OSError | None:
        try:
            if self._wal_fd is None:
                # The WAL file lives as long as a connection is open. Its directory entry
                # is flushed once, so that the file itself survives a power loss.
                self._wal_fd = os.open(self._path + "-wal", os.O_RDONLY)
                directory = os.open(os.path.dirname(self._path) or ".", os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)
            os.fdatasync(self._wal_fd)
        except OSError as error:
            log.critical("flushing %s-wal failed; writes are not acknowledged", self._path)
            return error
        return None


class SqliteWriteTransaction(
    SqliteStreamWrites, SqliteTokenWrites, SqliteIndexWrites, SqliteTtlWrites
):
    """The :class:`~openddb.storage.engine.WriteTransaction` of the writer thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.started_at = 0.0
        # Set when a table's definition changed in the open commit group.
        self.catalog_changed = False

    def now(self) -> float:
        return self.started_at

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None:
        row: StoredItem | None = self._connection.execute(
            _GET_ITEM, (table_id, hash_token, partition_key, sort_key)
        ).fetchone()
        return row

    def put_item(
        self,
        table_id: int,
        hash_token: int,
        partition_key: bytes,
        sort_key: bytes,
        item: bytes,
        item_bytes: int,
    ) -> None:
        self._connection.execute(
            _PUT_ITEM, (table_id, hash_token, partition_key, sort_key, item, item_bytes)
        )

    def delete_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> None:
        self._connection.execute(_DELETE_ITEM, (table_id, hash_token, partition_key, sort_key))

    def insert_table(self, namespace: str, table_name: str, description: bytes) -> int:
        self.catalog_changed = True
        cursor = self._connection.execute(
            "INSERT INTO tables (namespace, table_name, description) VALUES (?, ?, ?)",
            (namespace, table_name, description),
        )
        table_id = cursor.lastrowid
        assert table_id is not None
        return table_id

    def update_table(self, table_id: int, description: bytes) -> None:
        self.catalog_changed = True
        cursor = self._connection.execute(
            "UPDATE tables SET description = ? WHERE table_id = ?", (description, table_id)
        )
        assert cursor.rowcount == 1, "updated table must exist"

    def delete_table(self, table_id: int) -> None:
        self.catalog_changed = True
        self._connection.execute("DELETE FROM items WHERE table_id = ?", (table_id,))
        self.delete_table_indexes(table_id)
        cursor = self._connection.execute("DELETE FROM tables WHERE table_id = ?", (table_id,))
        assert cursor.rowcount == 1, "deleted table must exist"


class SqliteEngine(SqliteStreamReads, SqliteSnapshotReads, SqliteIndexReads, SqliteTtlReads):
    """Storage on one SQLite database: a file under ``directory``, or memory.

    ``durability`` is "fsync" (acknowledged writes survive power loss: the WAL is
    flushed before callers are told, see the module docstring) or "process" (they
    survive a crash of the server process). ``clock`` stamps each unit of work
    (``transaction.now()``).
    """

    def __init__(
        self, directory: str | None, durability: str = "fsync", clock: Clock | None = None
    ) -> None:
        self._clock: Clock = WallClock() if clock is None else clock
        self._commit_listeners: list[Callable[[], None]] = []
        assert durability in ("fsync", "process")
        self._durability = durability
        self._in_memory = directory is None
        if directory is None:
            self._path = ":memory:"
        else:
            os.makedirs(directory, exist_ok=True)
            self._path = os.path.join(directory, DATABASE_FILE_NAME)
        self._processes = None if directory is None else ProcessCoordination(directory)
        self._writer_connection = self._connect()
        # Processes opening one new database at once (--workers) take turns: SQLite answers
        # a concurrent switch to WAL with "database is locked" instead of waiting.
        with contextlib.nullcontext() if self._processes is None else self._processes.writing():
            self._writer_connection.execute("PRAGMA journal_mode=WAL")
            self._install_schema()
        # In memory mode the writer connection is the only one; the lock guards it.
        self._lock = threading.RLock()  # re-entered by reads of handlers on the writer
        self._readers = threading.local()
        self._reader_connections: list[sqlite3.Connection] = []
        self._reader_connections_lock = threading.Lock()
        self._queue: queue.Queue[Any] = queue.Queue(WRITE_QUEUE_MAX)
        self._transaction = SqliteWriteTransaction(self._writer_connection)
        self._writer = threading.Thread(target=self._write_loop, name="openddb-writer", daemon=True)
        self._closed = False
        self._syncer = (
            None if self._in_memory or durability != "fsync" else _Syncer(self._path)
        )
        self._writer.start()
        log.info("SQLite database %s (durability: %s)", self._path, self._durability)

    # --- connections -----------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        connection.execute("PRAGMA synchronous=NORMAL")  # flushes: see the module docstring
        connection.execute("PRAGMA busy_timeout=10000")
        connection.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        return connection

    def _install_schema(self) -> None:
        script = resources.files(__package__).joinpath("schema.sql").read_text("utf-8")
        self._writer_connection.executescript(script)
        # Several processes may open a new database at once (--workers): the first insert
        # wins and every process reads what it wrote.
        self._writer_connection.execute(
            "INSERT OR IGNORE INTO openddb_meta (key, value) VALUES ('schema_version', ?)",
            (SCHEMA_VERSION,),
        )
        row = self._writer_connection.execute(
            "SELECT value FROM openddb_meta WHERE key = 'schema_version'"
        ).fetchone()
        if row[0] != SCHEMA_VERSION:
            raise RuntimeError(
                f"{self._path} has schema version {row[0]}; this openddb reads version "
                f"{SCHEMA_VERSION}. Use a matching openddb or a new --db-path."
            )

    def _reader(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._readers, "connection", None)
        if connection is None:
            connection = self._connect()
            connection.execute("PRAGMA query_only=1")
            self._readers.connection = connection
            with self._reader_connections_lock:
                self._reader_connections.append(connection)
        return connection

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        if self._in_memory:
            with self._lock:
                return self._writer_connection.execute(sql, parameters).fetchall()
        return self._reader().execute(sql, parameters).fetchall()

    # --- reads -----------------------------------------------------------------

    def load_tables(self) -> list[StoredTable]:
        rows = self._read(
            "SELECT table_id, namespace, table_name, description FROM tables ORDER BY table_id", ()
        )
        return [StoredTable(*row) for row in rows]

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None:
        rows = self._read(_GET_ITEM, (table_id, hash_token, partition_key, sort_key))
        return rows[0] if rows else None

    def table_usage(self, table_id: int) -> TableUsage:
        rows = self._read(
            "SELECT count(*), coalesce(sum(item_bytes), 0) FROM items WHERE table_id = ?",
            (table_id,),
        )
        return TableUsage(rows[0][0], rows[0][1])

    def query(
        self,
        table_id: int,
        hash_token: int,
        partition_key: bytes,
        lower: SortKeyBound | None,
        upper: SortKeyBound | None,
        forward: bool,
        limit: int,
    ) -> list[ItemRow]:
        sql = [_ROWS, "WHERE table_id = ? AND hash_token = ? AND partition_key = ?"]
        parameters: list[Any] = [table_id, hash_token, partition_key]
        if lower is not None:
            sql.append("AND sort_key >= ?" if lower.inclusive else "AND sort_key > ?")
            parameters.append(lower.sort_key)
        if upper is not None:
            sql.append("AND sort_key <= ?" if upper.inclusive else "AND sort_key < ?")
            parameters.append(upper.sort_key)
        sql.append("ORDER BY sort_key" if forward else "ORDER BY sort_key DESC")
        sql.append("LIMIT ?")
        parameters.append(limit)
        return self._read(" ".join(sql), tuple(parameters))

    def scan(
        self,
        table_id: int,
        token_low: int,
        token_high: int,
        after: tuple[int, bytes, bytes] | None,
        limit: int,
    ) -> list[ItemRow]:
        token_last = token_high - 1
        if after is None:
            return self._read(_SCAN_FROM, (table_id, token_low, token_last, limit))
        return self._read(_SCAN_AFTER, (table_id, *after, token_last, limit))

    def add_commit_listener(self, listener: Callable[[], None]) -> None:
        self._commit_listeners.append(listener)

    def catalog_generation(self) -> int:
        return 0 if self._processes is None else self._processes.catalog_generation()

    def leads(self) -> bool:
        return self._processes is None or self._processes.leads()

    # --- writes ----------------------------------------------------------------

    def write(self, work: Callable[[SqliteWriteTransaction], T]) -> T:
        """Run ``work`` in a transaction; return its result once durably committed.

        Called from work that already runs on the writer thread (a handler given to
        :meth:`submit`), ``work`` runs at once inside that job's transaction, under a
        savepoint of its own, and is committed with it.
        """
        if threading.current_thread() is self._writer:
            return self._run_nested(work)
        future: Future[T] = Future()

        def done(succeeded: bool, value: Any) -> None:
            if succeeded:
                future.set_result(value)
            else:
                future.set_exception(value)

        self.submit(work, done)
        return future.result()

    def submit(
        self,
        work: Callable[[SqliteWriteTransaction], T],
        done: Callable[[bool, Any], None],
    ) -> None:
        """Queue ``work`` for the writer thread without waiting.

        ``done(succeeded, value)`` is called on the writer thread after the group
        transaction holding ``work`` has committed (value: the result) or failed
        (value: the exception). Blocks only when the queue is full (backpressure).
        """
        assert not self._closed, "engine is closed"
        self._queue.put((work, done))

    def _run_nested(self, work: Callable[[SqliteWriteTransaction], T]) -> T:
        connection = self._writer_connection
        assert connection.in_transaction, "nested writes run inside a submitted job"
        connection.execute("SAVEPOINT nested")
        try:
            result = work(self._transaction)
        except BaseException:
            connection.execute("ROLLBACK TO nested")
            connection.execute("RELEASE nested")
            raise
        connection.execute("RELEASE nested")
        return result

    def _write_loop(self) -> None:
        connection = self._writer_connection
        transaction = self._transaction
        while True:
            first = self._queue.get()
            if isinstance(first, _Stop):
                return
            batch = [first]
            stop = False
            while len(batch) < WRITE_BATCH_MAX:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(job, _Stop):
                    stop = True
                    break
                batch.append(job)
            self._run_batch(connection, transaction, batch)
            if stop:
                return

    def _run_batch(
        self,
        connection: sqlite3.Connection,
        transaction: SqliteWriteTransaction,
        batch: list[tuple[Callable[[SqliteWriteTransaction], Any], Callable[[bool, Any], None]]],
    ) -> None:
        processes = self._processes
        writing = contextlib.nullcontext() if processes is None else processes.writing()
        with writing, self._lock:
            outcomes = self._run_group(connection, transaction, batch)
        if self._syncer is None or not any(succeeded for succeeded, _ in outcomes):
            self._release(batch, outcomes, None)
        else:
            self._syncer.after_flush(lambda failure: self._release(batch, outcomes, failure))

    def _run_group(
        self,
        connection: sqlite3.Connection,
        transaction: SqliteWriteTransaction,
        batch: list[tuple[Callable[[SqliteWriteTransaction], Any], Callable[[bool, Any], None]]],
    ) -> list[tuple[bool, Any]]:
        """BEGIN, each job under its savepoint, COMMIT: the jobs' outcomes (the caller holds
        the locks)."""
        outcomes: list[tuple[bool, Any]] = []
        transaction.catalog_changed = False
        try:
            connection.execute("BEGIN IMMEDIATE")
            for work, _ in batch:
                connection.execute("SAVEPOINT request")
                transaction.started_at = self._clock.now()
                try:
                    result = work(transaction)
                except BaseException as error:  # handed to the caller's done()
                    connection.execute("ROLLBACK TO request")
                    connection.execute("RELEASE request")
                    outcomes.append((False, error))
                else:
                    connection.execute("RELEASE request")
                    outcomes.append((True, result))
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            log.exception("commit of %d writes failed", len(batch))
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            outcomes = [(False, error)] * len(batch)
        if transaction.catalog_changed and self._processes is not None:
            self._processes.raise_catalog_generation()
        return outcomes

    def _release(
        self,
        batch: list[tuple[Callable[[SqliteWriteTransaction], Any], Callable[[bool, Any], None]]],
        outcomes: list[tuple[bool, Any]],
        flush_failure: OSError | None,
    ) -> None:
        """Tell a committed group's callers (and the commit listeners) how it went."""
        if flush_failure is not None:
            outcomes = [(False, flush_failure)] * len(batch)
        if any(succeeded for succeeded, _ in outcomes):
            for listener in self._commit_listeners:
                listener()
        for (_, done), (succeeded, value) in zip(batch, outcomes, strict=True):
            done(succeeded, value)

    def close(self) -> None:
        """Finish queued writes, stop the writer thread and close every connection."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_Stop())
        self._writer.join()
        if self._syncer is not None:
            self._syncer.stop()
        if self._processes is not None:
            self._processes.close()
        with self._reader_connections_lock:
            for connection in self._reader_connections:
                connection.close()
            self._reader_connections.clear()
        if not self._in_memory:
            self._writer_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._writer_connection.close()
        log.info("closed %s", self._path)
