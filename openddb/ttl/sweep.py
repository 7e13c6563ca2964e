"""Sweeping a table's expired items: pages and small chunks, claimed through the database.

A sweep reads the table page by page in Scan order (a reader connection, not the writer),
picks the items that look expired, and deletes them in chunks of ``deletes_per_write``, one
small storage transaction per chunk, so requests' writes queue behind at most one chunk::

    ttl_sweeps row: after = k0, claimed by this node (or unclaimed, or the claim lapsed)
         │
         ├─ reader: scan SWEEP_SCAN_ROWS items after the cursor, keep the expired ones
         │
         └─ writer, per chunk: is the row still at k0, with no live claim of another node?
                               yes: re-read each item, delete it if still expired, move the
                                    row to the chunk's end k1 and renew the claim
                               no:  write nothing; another node is on it (sweep lost)

Pages without expired items are not written (the row moves with the next chunk, at the
table's end, or after IDLE_PAGES_MAX such pages, which also renews the claim). Each deletion
goes through ``api/changes.write_change`` with the service identity, so it updates every
index and appends a REMOVE stream record whose ``userIdentity`` is ``{"Type": "Service",
"PrincipalId": "dynamodb.amazonaws.com"}``; no capacity is charged. An item updated since
the scan (a new expiry time) is re-checked in the transaction and kept. Because the row
moves only from where this sweep left it, two nodes never delete the same chunk, and one
that dies leaves a claim that lapses after CLAIM_SECONDS (server clock).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from openddb.api.changes import write_change
from openddb.context import Server
from openddb.model.item import PrimaryKey
from openddb.model.keys import TOKEN_SPACE
from openddb.model.table import Table
from openddb.storage.engine import Engine, ItemRow, WriteTransaction
from openddb.ttl.expiry import SERVICE_PRINCIPAL, ExpiryTest
from openddb.ttl.specification import TimeToLive, expiry_attribute

# Items read per page: bounds the memory and the reader time of one page.
SWEEP_SCAN_ROWS = 512
# Pages without expired items read before the sweep's row is written again.
IDLE_PAGES_MAX = 16
# Items a paced sweep examines per second at most (real time): a pass over a large table
# with few expired items must not keep a core busy.
SCAN_ROWS_PER_SECOND = 50_000
# How long a claim holds without progress (server clock) before another node may take over.
CLAIM_SECONDS = 60.0

Position = tuple[int, bytes, bytes]
# Called after each page with the items it read and after each chunk with the items it
# deleted, ``pace(scanned, deleted)``; it may wait, and False stops the sweep.
Pace = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class Step:
    """What a sweep did: items deleted; ``finished``: it reached the table's end;
    ``lost``: another node holds the sweep, or the sweep was stopped."""

    deleted: int
    finished: bool
    lost: bool


@dataclass(slots=True)
class _Cursor:
    """Where one sweep stands: ``persisted`` is where it last left the ``ttl_sweeps`` row,
    ``position`` where its next page starts; ``idle_pages`` counts pages since the row was
    last written (pages without expired items are not written, up to IDLE_PAGES_MAX)."""

    persisted: Position | None
    position: Position | None
    idle_pages: int = 0


def position_of(row: ItemRow) -> Position:
    return (row[0], row[1], row[2])


def ttl_tables(server: Server, now: float) -> list[tuple[Table, str]]:
    """Every table whose TTL is ENABLED at ``now``, with its TTL attribute."""
    found = []
    for table in server.catalog.all():
        if table.gone(now):
            continue
        attribute = expiry_attribute(TimeToLive.from_stored(table.time_to_live), now)
        if attribute is not None:
            found.append((table, attribute))
    return found


def sweep_table(
    server: Server, engine: Engine, table: Table, attribute: str, owner: str,
    deletes_per_write: int, pace: Pace,
) -> Step:
    """Sweep the table up to the end of a pass that started at its beginning: a pass left
    half done (by this node or a lapsed one) is finished first, then a whole pass runs."""
    assert deletes_per_write >= 1, deletes_per_write
    sweep = engine.ttl_sweep(table.table_id)
    now = server.clock.now()
    if sweep is not None and sweep.claimed_by != owner and sweep.claimed_until >= now:
        return Step(0, finished=False, lost=True)
    start = None if sweep is None else sweep.after
    cursor = _Cursor(start, start)
    whole_pass = start is None
    deleted = 0
    while True:
        page = _sweep_page(server, engine, table, attribute, owner, deletes_per_write, pace,
                           cursor)
        deleted += page.deleted
        if page.lost:
            return Step(deleted, finished=False, lost=True)
        if page.finished:
            if whole_pass:
                return Step(deleted, finished=True, lost=False)
            whole_pass = True  # the next page starts the table again


def _sweep_page(
    server: Server, engine: Engine, table: Table, attribute: str, owner: str,
    deletes_per_write: int, pace: Pace, cursor: _Cursor,
) -> Step:
    """Scan one page from the cursor and delete its expired items, chunk by chunk."""
    rows = engine.scan(table.table_id, 0, TOKEN_SPACE, cursor.position, SWEEP_SCAN_ROWS)
    now = server.clock.now()
    test = ExpiryTest(attribute)
    expired = [row for row in rows if test.expired(row[3], now)]
    at_end = len(rows) < SWEEP_SCAN_ROWS
    page_end = None if at_end else position_of(rows[-1])
    cursor.position = page_end
    if not pace(len(rows), 0):
        return Step(0, finished=False, lost=True)
    if not expired and not at_end and cursor.idle_pages < IDLE_PAGES_MAX:
        cursor.idle_pages += 1
        return Step(0, finished=False, lost=False)
    cursor.idle_pages = 0
    deleted = 0
    for chunk, after in _chunks(expired, page_end, deletes_per_write):
        work = partial(_delete_chunk, server=server, table=table, owner=owner,
                       expected=cursor.persisted, after=after, rows=chunk)
        chunk_deleted = engine.write(work)
        if chunk_deleted is None:
            return Step(deleted, finished=False, lost=True)
        deleted += chunk_deleted
        cursor.persisted = after
        if not pace(0, chunk_deleted):
            return Step(deleted, finished=False, lost=True)
    return Step(deleted, finished=at_end, lost=False)


def _chunks(
    expired: list[ItemRow], end: Position | None, size: int
) -> list[tuple[list[ItemRow], Position | None]]:
    """Chunks of at most ``size`` rows, each with the position the sweep moves to once it is
    done: its last row, and ``end`` (the page's end; None: the table's end) for the last."""
    if not expired:
        return [([], end)]
    chunks = [expired[first:first + size] for first in range(0, len(expired), size)]
    return [
        (chunk, end if number == len(chunks) - 1 else position_of(chunk[-1]))
        for number, chunk in enumerate(chunks)
    ]


def _delete_chunk(
    transaction: WriteTransaction, server: Server, table: Table, owner: str,
    expected: Position | None, after: Position | None, rows: list[ItemRow],
) -> int | None:
    """Move the claimed sweep from ``expected`` to ``after`` and delete those of ``rows`` that
    are still expired; None (nothing written) when the sweep is not where it was read."""
    claimed_until = transaction.now() + CLAIM_SECONDS
    if not transaction.advance_ttl_sweep(table.table_id, owner, expected, after, claimed_until):
        return None
    keys = [PrimaryKey(row[0], row[1], row[2]) for row in rows]
    return delete_expired(transaction, server, table, keys)


def delete_expired(
    transaction: WriteTransaction, server: Server, table: Table, keys: list[PrimaryKey]
) -> int:
    """Delete those items at ``keys`` that are expired now, as DynamoDB's TTL process does;
    return how many. The table's current catalog entry decides (TTL may have been disabled
    since the items were picked; UpdateTimeToLive runs on this same writer thread)."""
    now = transaction.now()
    current = server.catalog.get(table.namespace, table.name)
    if current is None or current.table_id != table.table_id or current.gone(now):
        return 0
    attribute = expiry_attribute(TimeToLive.from_stored(current.time_to_live), now)
    if attribute is None:
        return 0
    test = ExpiryTest(attribute)
    deleted = 0
    for key in keys:
        stored = transaction.get_item(
            current.table_id, key.hash_token, key.partition_key, key.sort_key
        )
        if stored is None or not test.expired(stored[0], now):
            continue
        write_change(transaction, current, key, stored, None, user_identity=SERVICE_PRINCIPAL)
        deleted += 1
    return deleted
