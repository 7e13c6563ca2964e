"""Stream lifecycle: keep the stream rows in step with the table's description.

``api/tables.py`` calls :func:`sync_stream` inside every transaction that writes a
table's catalog row. The description says which stream should be enabled
(``StreamSpecification.StreamEnabled`` and ``LatestStreamArn``); the database says which
one is. Enabling opens a new stream with its first shards; disabling (UpdateTable, or
DeleteTable: ``description`` None) closes the stream's open shards and marks it disabled,
after which it stays readable for 24 hours (DG Streams: "the data in the stream will
continue to be readable for 24 hours"). Re-enabling therefore leaves the old stream
DISABLED beside the new one, with its own ARN.
"""

from __future__ import annotations

from typing import Any

import orjson

from openddb.config import Settings
from openddb.storage.engine import NewStream, WriteTransaction
from openddb.streams import shards

# Bounds of the stream settings (ours, not DynamoDB's).
STREAM_SHARDS_MAX = 64
SHARD_ROLLOVER_SECONDS_MIN = 1.0


def check_settings(settings: Settings) -> None:
    """Refuse stream settings openddb cannot run with (at startup)."""
    if not 1 <= settings.stream_shards <= STREAM_SHARDS_MAX:
        raise ValueError(f"--stream-shards must be between 1 and {STREAM_SHARDS_MAX}")
    if settings.stream_shard_rollover_seconds < SHARD_ROLLOVER_SECONDS_MIN:
        raise ValueError(
            f"--stream-shard-rollover-seconds must be at least {SHARD_ROLLOVER_SECONDS_MIN}"
        )
    if settings.stream_maintenance_seconds <= 0:
        raise ValueError("--stream-maintenance-seconds must be positive")


def wanted_stream_arn(description: dict[str, Any] | None) -> str | None:
    """The ARN of the stream ``description`` has enabled, or None."""
    if description is None:
        return None
    specification = description.get("StreamSpecification")
    if not specification or not specification.get("StreamEnabled"):
        return None
    arn: str = description["LatestStreamArn"]
    return arn


def sync_stream(
    transaction: WriteTransaction,
    settings: Settings,
    namespace: str,
    table_id: int,
    table_name: str,
    description: dict[str, Any] | None,
    now: float,
) -> None:
    """Open, or disable, the table's stream so that the database matches ``description``
    (None: the table is being deleted)."""
    wanted = wanted_stream_arn(description)
    enabled = transaction.enabled_stream(table_id)
    if enabled is not None and enabled.stream_arn == wanted:
        return
    if enabled is not None:
        transaction.disable_stream(enabled.stream_id, now)
    if wanted is None:
        return
    assert description is not None
    stream = NewStream(
        namespace=namespace,
        table_id=table_id,
        table_name=table_name,
        stream_arn=wanted,
        stream_view_type=description["StreamSpecification"]["StreamViewType"],
        key_schema=orjson.dumps(description["KeySchema"]),
        created_at=now,
        shard_count=settings.stream_shards,
        rollover_seconds=settings.stream_shard_rollover_seconds,
    )
    transaction.insert_stream(stream, shards.initial_shards(wanted, settings.stream_shards, now))
