"""Stream maintenance: delete records past the 24-hour retention, roll idle shards over.

Reads already hide records older than 24 hours (``api/streams.py`` computes the trim
horizon from the clock), so this pass only reclaims space, and closes shards whose
rollover time came while no write arrived to roll them over (``capture.py`` rolls a
shard over when a write finds it due). Each pass is one storage write: on a shared
database any node may run it and the work is never done twice.
"""

from __future__ import annotations

from openddb import limits
from openddb.context import Server
from openddb.storage.engine import WriteTransaction
from openddb.streams import shards

# Records deleted per pass at most: bounds the time the pass holds the writer.
TRIM_RECORDS_PER_PASS_MAX = 10_000


def roll_over_due_shards(transaction: WriteTransaction) -> int:
    """Roll over every open shard whose time has come; return how many."""
    now = transaction.now()
    due = transaction.shards_due(now)
    for stream, shard in due:
        transaction.roll_over_shard(shard, shards.child_shard(shard, stream.stream_arn, now))
    return len(due)


def trim_expired(transaction: WriteTransaction) -> int:
    """Delete (a bounded number of) records, shards and streams past retention."""
    horizon = transaction.now() - limits.STREAM_RECORD_RETENTION_SECONDS
    return transaction.trim_stream_records(horizon, TRIM_RECORDS_PER_PASS_MAX)


def run_once(server: Server) -> tuple[int, int]:
    """One maintenance pass: (shards rolled over, records deleted)."""

    def work(transaction: WriteTransaction) -> tuple[int, int]:
        return roll_over_due_shards(transaction), trim_expired(transaction)

    return server.engine.write(work)
