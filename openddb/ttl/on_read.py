"""``--ttl-delete-on-read``: an expired item is gone the moment anything touches it.

DynamoDB keeps returning expired items until its background process deletes them, and
applications filter them out (README, "Time to Live"). Users who would rather not may start
openddb with ``--ttl-delete-on-read``; the storage engine is then wrapped so that:

- reads (GetItem, BatchGetItem, TransactGetItems, Query, Scan) never return an item that
  the sweeper would delete. Query and Scan read on past such items, so ``Limit`` and the
  1 MB page count live items only. The keys are handed to the sweeper, which deletes them
  at once (service identity, REMOVE stream record), without waiting for its next pass;
- writes see such an item as absent: the write's own transaction deletes it first, through
  ``write_change`` with the service identity, then applies the request. A PutItem with
  ``attribute_not_exists`` succeeds, as it would have after the deletion, and the stream
  shows the service REMOVE before the user's INSERT.

Secondary index reads are not filtered (the index rows go when the sweeper deletes the
item, a moment later).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar, cast

from openddb.api.changes import write_change
from openddb.clock import Clock
from openddb.model.item import PrimaryKey
from openddb.model.table import Catalog, Table
from openddb.storage.engine import (
    Engine,
    ItemKey,
    ItemRow,
    SortKeyBound,
    StoredItem,
    WriteTransaction,
)
from openddb.ttl.expiry import SERVICE_PRINCIPAL, ExpiryTest
from openddb.ttl.specification import TimeToLive, expiry_attribute

T = TypeVar("T")

# Keys of expired items seen by reads and waiting for the sweeper; past this the oldest are
# dropped (the sweeper's regular pass deletes them anyway).
SEEN_KEYS_MAX = 10_000

# (table id, key) of an expired item a read skipped.
SeenKey = tuple[int, PrimaryKey]


class ExpiringEngine:
    """An :class:`~openddb.storage.engine.Engine` hiding expired items (module docstring).

    Every member it does not define is the wrapped engine's (``inner``)."""

    def __init__(self, inner: Engine, catalog: Catalog, clock: Clock) -> None:
        self.inner = inner
        self._catalog = catalog
        self._clock = clock
        self._tables: dict[int, Table] = {}
        self._seen: deque[SeenKey] = deque(maxlen=SEEN_KEYS_MAX)
        self._seen_lock = threading.Lock()
        # Set by the sweeper: called (quickly) when a read skipped an expired item.
        self.on_seen: Callable[[], None] = _nothing

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    # --- which tables expire what ------------------------------------------------------

    def expiry_test(self, table_id: int) -> tuple[Table, ExpiryTest] | None:
        """The table and its expiry test while its TTL is ENABLED; None otherwise."""
        table = self._table(table_id)
        if table is None or table.time_to_live is None:
            return None
        attribute = expiry_attribute(TimeToLive.from_stored(table.time_to_live),
                                     self._clock.now())
        return None if attribute is None else (table, ExpiryTest(attribute))

    def _table(self, table_id: int) -> Table | None:
        table = self._tables.get(table_id)
        if table is None or self._catalog.get(table.namespace, table.name) is not table:
            self._tables = {table.table_id: table for table in self._catalog.all()}
            table = self._tables.get(table_id)
        return table

    def take_seen(self) -> list[SeenKey]:
        """The keys reads skipped since the last call (the sweeper deletes them)."""
        with self._seen_lock:
            seen = list(self._seen)
            self._seen.clear()
        return seen

    def _saw(self, table_id: int, row: tuple[int, bytes, bytes]) -> None:
        with self._seen_lock:
            self._seen.append((table_id, PrimaryKey(*row)))
        self.on_seen()

    # --- reads -------------------------------------------------------------------------

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None:
        stored = self.inner.get_item(table_id, hash_token, partition_key, sort_key)
        if stored is None:
            return None
        return self._live(table_id, (hash_token, partition_key, sort_key), stored)

    def get_items(self, keys: list[ItemKey]) -> list[StoredItem | None]:
        found = self.inner.get_items(keys)
        return [
            None if stored is None else self._live(key[0], key[1:], stored)
            for key, stored in zip(keys, found, strict=True)
        ]

    def _live(
        self, table_id: int, key: tuple[int, bytes, bytes], stored: StoredItem
    ) -> StoredItem | None:
        found = self.expiry_test(table_id)
        if found is None or not found[1].expired(stored[0], self._clock.now()):
            return stored
        self._saw(table_id, key)
        return None

    def query(
        self, table_id: int, hash_token: int, partition_key: bytes,
        lower: SortKeyBound | None, upper: SortKeyBound | None, forward: bool, limit: int,
    ) -> list[ItemRow]:
        """``limit`` live items (fewer only at the range's end): reads on past expired ones."""
        rows: list[ItemRow] = []
        while True:
            wanted = limit - len(rows)
            chunk = self.inner.query(
                table_id, hash_token, partition_key, lower, upper, forward, wanted
            )
            rows += self._live_rows(table_id, chunk)
            if len(chunk) < wanted or len(rows) == limit:
                return rows
            last = SortKeyBound(chunk[-1][2], inclusive=False)
            lower, upper = (last, upper) if forward else (lower, last)

    def scan(
        self, table_id: int, token_low: int, token_high: int,
        after: tuple[int, bytes, bytes] | None, limit: int,
    ) -> list[ItemRow]:
        """``limit`` live items (fewer only at the range's end): reads on past expired ones."""
        rows: list[ItemRow] = []
        while True:
            wanted = limit - len(rows)
            chunk = self.inner.scan(table_id, token_low, token_high, after, wanted)
            rows += self._live_rows(table_id, chunk)
            if len(chunk) < wanted or len(rows) == limit:
                return rows
            after = (chunk[-1][0], chunk[-1][1], chunk[-1][2])

    def _live_rows(self, table_id: int, rows: list[ItemRow]) -> list[ItemRow]:
        found = self.expiry_test(table_id)
        if found is None:
            return rows
        test, now = found[1], self._clock.now()
        live = []
        for row in rows:
            if test.expired(row[3], now):
                self._saw(table_id, (row[0], row[1], row[2]))
            else:
                live.append(row)
        return live

    # --- writes ------------------------------------------------------------------------

    def write(self, work: Callable[[WriteTransaction], T]) -> T:
        return self.inner.write(lambda transaction: work(ExpiringTransaction(transaction, self)))

    def submit(
        self, work: Callable[[WriteTransaction], T], done: Callable[[bool, Any], None]
    ) -> None:
        self.inner.submit(
            lambda transaction: work(ExpiringTransaction(transaction, self)), done
        )


class ExpiringTransaction:
    """A write transaction in which an expired item reads as absent, because reading it
    deletes it (service identity) in this same transaction."""

    def __init__(self, inner: WriteTransaction, engine: ExpiringEngine) -> None:
        self.inner = inner
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None:
        stored = self.inner.get_item(table_id, hash_token, partition_key, sort_key)
        if stored is None:
            return None
        found = self._engine.expiry_test(table_id)
        if found is None or not found[1].expired(stored[0], self.inner.now()):
            return stored
        key = PrimaryKey(hash_token, partition_key, sort_key)
        write_change(self.inner, found[0], key, stored, None, user_identity=SERVICE_PRINCIPAL)
        return None


def storage_of(engine: Engine) -> Engine:
    """The engine under the wrapper, if any (the sweeper deletes through it)."""
    return engine.inner if isinstance(engine, ExpiringEngine) else engine


def expire_on_read(engine: Engine, catalog: Catalog, clock: Clock) -> Engine:
    """``engine`` wrapped for ``--ttl-delete-on-read``."""
    return cast(Engine, ExpiringEngine(engine, catalog, clock))


def _nothing() -> None:
    return None
