"""The storage engine interface every backend implements (SQLite now, PostgreSQL later).

Handlers never see SQL. They read through :class:`Engine` and write by handing
:meth:`Engine.write` a function that runs inside one storage transaction with a
:class:`WriteTransaction`; everything DynamoDB performs atomically (a
conditional write, later a transaction of 100 actions with its index rows and
stream records) is one such function. The function must be pure apart from the
transaction it is given, because an engine may re-run it.

Items are stored as the canonical wire JSON bytes of the item, keyed by
``(table_id, hash_token, partition_key, sort_key)`` (see ``model/keys.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")

# A stored item: (canonical wire JSON bytes, DynamoDB item size in bytes).
StoredItem = tuple[bytes, int]


@dataclass(frozen=True, slots=True)
class StoredTable:
    """A table's catalog row: numeric id, namespace, name and its description JSON."""

    table_id: int
    namespace: str
    table_name: str
    description: bytes


@dataclass(frozen=True, slots=True)
class SortKeyBound:
    """One end of a sort-key range: encoded key bytes, and whether the end is included."""

    sort_key: bytes
    inclusive: bool


# A row of a range read: (hash token, partition key, sort key, item JSON, item size).
ItemRow = tuple[int, bytes, bytes, bytes, int]


@dataclass(frozen=True, slots=True)
class TableUsage:
    """Live item count and total item size in bytes of one table."""

    item_count: int
    size_bytes: int


class WriteTransaction(Protocol):
    """Operations available inside :meth:`Engine.write`."""

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None: ...

    def put_item(
        self,
        table_id: int,
        hash_token: int,
        partition_key: bytes,
        sort_key: bytes,
        item: bytes,
        item_bytes: int,
    ) -> None: ...

    def delete_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> None: ...

    def insert_table(self, namespace: str, table_name: str, description: bytes) -> int: ...

    def update_table(self, table_id: int, description: bytes) -> None: ...

    def delete_table(self, table_id: int) -> None: ...


class Engine(Protocol):
    """A storage backend. Reads see every write acknowledged before them."""

    def load_tables(self) -> list[StoredTable]: ...

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None: ...

    def table_usage(self, table_id: int) -> TableUsage: ...

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
        """At most ``limit`` items of one item collection whose sort key lies between
        ``lower`` and ``upper``, in sort-key order (descending when not ``forward``)."""
        ...

    def scan(
        self,
        table_id: int,
        token_low: int,
        token_high: int,
        after: tuple[int, bytes, bytes] | None,
        limit: int,
    ) -> list[ItemRow]:
        """At most ``limit`` items with ``token_low <= hash_token < token_high`` ordered by
        (hash token, partition key, sort key), starting after the key ``after``."""
        ...

    def write(self, work: Callable[[WriteTransaction], T]) -> T:
        """Run ``work`` in one transaction; return its result once durably committed.

        An exception raised by ``work`` rolls back everything it wrote and is
        re-raised to the caller.
        """
        ...

    def close(self) -> None: ...
