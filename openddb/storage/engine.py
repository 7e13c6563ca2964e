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
from typing import Any, Protocol, TypeVar

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

# Where an item lives: (table id, hash token, partition key, sort key).
ItemKey = tuple[int, int, bytes, bytes]


@dataclass(frozen=True, slots=True)
class StoredToken:
    """A TransactWriteItems ClientRequestToken: the digest of the request that used it and
    when that request's transaction committed."""

    request_hash: bytes
    completed_at: float


@dataclass(frozen=True, slots=True)
class TableUsage:
    """Live item count and total item size in bytes of one table."""

    item_count: int
    size_bytes: int


# --- DynamoDB Streams (openddb/streams/) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewStream:
    """A stream being enabled on a table; ``key_schema`` is the table's KeySchema JSON."""

    namespace: str
    table_id: int
    table_name: str
    stream_arn: str
    stream_view_type: str
    key_schema: bytes
    created_at: float
    shard_count: int
    rollover_seconds: float


@dataclass(frozen=True, slots=True)
class StoredStream:
    """A stream's row: ``disabled_at`` is None while enabled."""

    stream_id: int
    namespace: str
    table_id: int
    table_name: str
    stream_arn: str
    stream_view_type: str
    key_schema: bytes
    created_at: float
    disabled_at: float | None
    shard_count: int
    rollover_seconds: float


@dataclass(frozen=True, slots=True)
class NewShard:
    """A shard being opened; it takes the partitions with ``token_low <= hash token <=
    token_last``, and its first record gets ``starting_sequence_number``."""

    shard_id: str
    parent_shard_id: str | None
    token_low: int
    token_last: int
    created_at: float
    starting_sequence_number: int


@dataclass(frozen=True, slots=True)
class StoredShard:
    """A shard's row. Its records are numbered ``starting_sequence_number`` up to
    ``last_sequence_number`` (which is ``starting - 1`` while empty); ``closed_at`` is None
    while the shard is open."""

    shard_key: int
    stream_id: int
    shard_id: str
    parent_shard_id: str | None
    token_low: int
    token_last: int
    created_at: float
    starting_sequence_number: int
    last_sequence_number: int
    closed_at: float | None


@dataclass(frozen=True, slots=True)
class NewStreamRecord:
    """One change as the stream keeps it: wire JSON of the key and the images the view type
    asks for, DynamoDB's SizeBytes, and the principal of a service deletion (TTL)."""

    created_at: float
    event_name: str
    keys: bytes
    new_image: bytes | None
    old_image: bytes | None
    size_bytes: int
    user_identity: str | None


@dataclass(frozen=True, slots=True)
class StoredStreamRecord:
    """A stream record with the sequence number its shard gave it."""

    sequence_number: int
    created_at: float
    event_name: str
    keys: bytes
    new_image: bytes | None
    old_image: bytes | None
    size_bytes: int
    user_identity: str | None


# --- secondary indexes (openddb/indexes/, model/index.py) --------------------------------

# A row of an index read: (hash token, index partition key, index sort key, entry JSON,
# entry size, table partition key, table sort key). Its first five members mean what an
# ItemRow's do, so paging treats both alike.
IndexRow = tuple[int, bytes, bytes, bytes, int, bytes, bytes]

# Where an index entry lives: (table id, index number, hash token, index partition key,
# index sort key, table partition key, table sort key).
IndexEntryKey = tuple[int, int, int, bytes, bytes, bytes, bytes]

# Position of a Query of an index after a row: (index sort key, table partition key, table
# sort key); of a Scan of an index: (hash token, index partition key, index sort key, table
# partition key, table sort key).
IndexQueryPosition = tuple[bytes, bytes, bytes]
IndexScanPosition = tuple[int, bytes, bytes, bytes, bytes]

INDEX_JOB_BACKFILL = "backfill"
INDEX_JOB_DELETE = "delete"


@dataclass(frozen=True, slots=True)
class IndexJob:
    """Background work on one index: ``action`` is INDEX_JOB_BACKFILL (``after``: the last
    table key indexed, None before the first) or INDEX_JOB_DELETE; a node holding it names
    itself in ``claimed_by`` until ``claimed_until``."""

    table_id: int
    index_number: int
    action: str
    after: tuple[int, bytes, bytes] | None
    claimed_by: str | None
    claimed_until: float | None


# --- Time to Live (openddb/ttl/) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TtlSweep:
    """Where the TTL sweep of one table stands: ``after`` is the last item key its current
    pass swept (None: the pass starts at the beginning); the node sweeping names itself in
    ``claimed_by`` until ``claimed_until`` (server clock)."""

    table_id: int
    after: tuple[int, bytes, bytes] | None
    claimed_by: str
    claimed_until: float


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

    def now(self) -> float:
        """The server clock's time when this unit of work started (stream record times)."""
        ...

    # --- streams ---

    def insert_stream(self, stream: NewStream, shards: list[NewShard]) -> int: ...

    def enabled_stream(self, table_id: int) -> StoredStream | None: ...

    def disable_stream(self, stream_id: int, now: float) -> None:
        """Mark the stream disabled at ``now`` and close its open shards."""
        ...

    def open_shard(self, table_id: int, hash_token: int) -> tuple[StoredStream, StoredShard] | None:
        """The enabled stream of the table and its open shard covering ``hash_token``."""
        ...

    def roll_over_shard(self, parent: StoredShard, child: NewShard) -> StoredShard:
        """Close ``parent`` at ``child.created_at`` and open ``child``; return the child."""
        ...

    def append_stream_record(self, shard: StoredShard, record: NewStreamRecord) -> int:
        """Give ``record`` the shard's next sequence number, store it, return the number."""
        ...

    def append_to_open_shard(
        self, table_id: int, hash_token: int, view_type: str, record: NewStreamRecord
    ) -> int | None:
        """The common case of a write in one step: append ``record`` to the open shard of
        the table's enabled stream covering ``hash_token`` and return its sequence number;
        None, writing nothing, when there is no such stream, its view type is not
        ``view_type``, or the shard is due to roll over at ``record.created_at``."""
        ...

    def shards_due(self, opened_before: float) -> list[tuple[StoredStream, StoredShard]]:
        """Open shards of enabled streams whose rollover time has come by ``opened_before``
        (``created_at + rollover_seconds <= opened_before``)."""
        ...

    def trim_stream_records(self, created_before: float, limit: int) -> int:
        """Delete at most about ``limit`` records older than ``created_before``, then shards
        closed and streams disabled before it; return the records deleted."""
        ...

    def insert_consumer(self, consumer: str, now: float) -> bool:
        """Register a trigger; False when it was already registered."""
        ...

    def save_checkpoint(self, consumer: str, shard_key: int, sequence_number: int) -> None: ...

    # --- transactions (api/transactions.py) ---

    def get_transaction_token(self, namespace: str, token: str) -> StoredToken | None: ...

    def put_transaction_token(
        self, namespace: str, token: str, request_hash: bytes, completed_at: float
    ) -> None:
        """Remember ``token`` (insert, or replace an expired use of it)."""
        ...

    def purge_transaction_tokens(self, completed_by: float, limit: int) -> int:
        """Delete at most ``limit`` tokens completed at or before ``completed_by``."""
        ...

    # --- Time to Live (openddb/ttl/) ---

    def advance_ttl_sweep(
        self,
        table_id: int,
        claimed_by: str,
        expected_after: tuple[int, bytes, bytes] | None,
        after: tuple[int, bytes, bytes] | None,
        claimed_until: float,
    ) -> bool:
        """Move the table's sweep from ``expected_after`` to ``after`` and claim it for
        ``claimed_by`` until ``claimed_until``, provided the sweep still stands at
        ``expected_after`` and is unclaimed, claimed by ``claimed_by``, or claimed only until
        before :meth:`now`. Return whether it moved; nothing is written when it did not."""
        ...

    # --- secondary indexes (openddb/indexes/) ---

    def put_index_entry(
        self, key: IndexEntryKey, table_hash_token: int, item: bytes | None, item_bytes: int
    ) -> None:
        """Insert or replace an entry; ``item`` None: the entry is the table's item (a
        projection of ALL), read from the table (the hash token locates it)."""
        ...

    def delete_index_entry(self, key: IndexEntryKey) -> None: ...

    def add_collection_bytes(self, table_id: int, partition_key: bytes, delta: int) -> int:
        """Add ``delta`` to the item collection's size; return the new size."""
        ...

    def collection_bytes(self, table_id: int, partition_key: bytes) -> int:
        """The item collection's size as this transaction sees it (0 when empty)."""
        ...

    def scan_items(
        self, table_id: int, after: tuple[int, bytes, bytes] | None, limit: int
    ) -> list[ItemRow]:
        """At most ``limit`` items of the table in Scan order after the key ``after``, as
        this transaction sees them (index backfill)."""
        ...

    def delete_index_entries(self, table_id: int, index_number: int, limit: int) -> int:
        """Delete at most ``limit`` entries of the index; return how many went."""
        ...

    def get_index_job(self, table_id: int, index_number: int) -> IndexJob | None: ...

    def put_index_job(self, job: IndexJob) -> None:
        """Insert or replace the job of ``(job.table_id, job.index_number)``."""
        ...

    def delete_index_job(self, table_id: int, index_number: int) -> None: ...


class Engine(Protocol):
    """A storage backend. Reads see every write acknowledged before them."""

    def load_tables(self) -> list[StoredTable]: ...

    def get_item(
        self, table_id: int, hash_token: int, partition_key: bytes, sort_key: bytes
    ) -> StoredItem | None: ...

    def table_usage(self, table_id: int) -> TableUsage: ...

    def get_items(self, keys: list[ItemKey]) -> list[StoredItem | None]:
        """The items at ``keys``, all read from one committed state (a snapshot): no write
        is ever seen half applied (TransactGetItems)."""
        ...

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

    # --- secondary indexes (openddb/indexes/) ---

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
        """At most ``limit`` entries of one index partition whose index sort key lies between
        ``lower`` and ``upper``, ordered by (index sort key, table key) -- descending when not
        ``forward`` -- strictly beyond ``after`` in that order."""
        ...

    def scan_index(
        self,
        table_id: int,
        index_number: int,
        token_low: int,
        token_high: int,
        after: IndexScanPosition | None,
        limit: int,
    ) -> list[IndexRow]:
        """At most ``limit`` entries with ``token_low <= hash_token < token_high`` in entry
        key order, starting after ``after``."""
        ...

    def index_usage(self, table_id: int, index_number: int) -> TableUsage:
        """Entry count and total entry size of one index."""
        ...

    def index_jobs(self) -> list[IndexJob]:
        """Every pending background index job, of every table."""
        ...

    def collection_bytes(self, table_id: int, partition_key: bytes) -> int:
        """The size of one item collection of a table with LSIs (0 when empty)."""
        ...

    # --- Time to Live (openddb/ttl/) ---

    def ttl_sweep(self, table_id: int) -> TtlSweep | None:
        """The table's sweep row; None before its first sweep."""
        ...

    # --- streams ---

    def list_streams(
        self,
        namespace: str,
        table_name: str | None,
        after_arn: str | None,
        disabled_since: float,
        limit: int,
    ) -> list[StoredStream]:
        """Streams of ``namespace`` (of one table when ``table_name`` is set) that are enabled
        or were disabled at or after ``disabled_since``, by ARN, after ``after_arn``."""
        ...

    def get_stream(self, namespace: str, stream_arn: str) -> StoredStream | None: ...

    def streams_of_table(self, table_name: str) -> list[StoredStream]:
        """Every stream of every table named ``table_name`` (all namespaces), oldest first."""
        ...

    def stream_shards(self, stream_id: int) -> list[StoredShard]:
        """The stream's shards in ShardId order."""
        ...

    def get_shard(self, stream_id: int, shard_id: str) -> StoredShard | None: ...

    def first_kept_sequence_number(self, shard_key: int, created_since: float) -> int | None:
        """The lowest sequence number of the shard's records created at or after
        ``created_since``; None when there is none."""
        ...

    def stream_records(self, shard_key: int, after: int, limit: int) -> list[StoredStreamRecord]:
        """At most ``limit`` records of the shard numbered above ``after``, in order."""
        ...

    def checkpoints(self, consumer: str) -> dict[int, int]:
        """A trigger's checkpoints: shard key -> last acknowledged sequence number."""
        ...

    def add_commit_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (quickly; on the writer thread) after every commit."""
        ...

    def catalog_generation(self) -> int:
        """A number that changes after every commit, by any process on this database, that
        changed a table's definition; the catalog reloads when it differs."""
        ...

    def leads(self) -> bool:
        """True when this process runs the stream background work (one process at a time
        among those sharing the database)."""
        ...

    def write(self, work: Callable[[WriteTransaction], T]) -> T:
        """Run ``work`` in one transaction; return its result once durably committed.

        An exception raised by ``work`` rolls back everything it wrote and is
        re-raised to the caller.
        """
        ...

    def submit(
        self, work: Callable[[WriteTransaction], T], done: Callable[[bool, Any], None]
    ) -> None:
        """Queue ``work`` without waiting; ``done(succeeded, value)`` is called once the
        transaction holding it has committed (value: the result) or failed (the exception).
        :meth:`write` called from inside ``work`` joins its transaction."""
        ...

    def close(self) -> None: ...
