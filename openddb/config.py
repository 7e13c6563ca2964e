"""Every setting of the server, once: name, default and help.

The CLI (``openddb serve --help``) is generated from :data:`SETTINGS`, and the
same dataclass is what tests construct directly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from openddb import limits


@dataclass(frozen=True)
class Settings:
    """Server settings. Paths are relative to the working directory."""

    host: str = field(default="127.0.0.1", metadata={"help": "address to listen on"})
    port: int = field(default=8000, metadata={"help": "TCP port to listen on"})
    db_path: str = field(
        default="./openddb-data",
        metadata={"help": "directory holding the SQLite database (created if missing)"},
    )
    in_memory: bool = field(
        default=False, metadata={"help": "keep all data in memory; nothing is written to disk"}
    )
    workers: int = field(
        default=1,
        metadata={
            "help": "server processes sharing the port and the database file (on disk only; "
            "not with --clock virtual or --throttling, whose state lives in one process)"
        },
    )
    shared_db: bool = field(
        default=False,
        metadata={
            "help": "one namespace for every client; without it each (access key id, region) "
            "pair has its own tables, as DynamoDB Local does"
        },
    )
    delay_transient_statuses: bool = field(
        default=False,
        metadata={
            "help": "keep tables in CREATING/DELETING for a moment, as the real service does, "
            "instead of becoming ACTIVE immediately"
        },
    )
    transient_status_seconds: float = field(
        default=0.5,
        metadata={
            "help": "how long CREATING/UPDATING/DELETING last with --delay-transient-statuses"
        },
    )
    cors: str | None = field(
        default=None,
        metadata={"help": "comma-separated origins allowed by CORS ('*' for any); off if unset"},
    )
    log_level: str = field(
        default="info",
        metadata={
            "help": "how much the server logs",
            "choices": ("debug", "info", "warning", "error"),
        },
    )
    durability: str = field(
        default="fsync",
        metadata={
            "choices": ("fsync", "process"),
            "help": "'fsync' (default): a write is acknowledged only after it reached the disk; "
            "'process': acknowledged once handed to the OS (survives a crash of openddb, "
            "not of the machine)",
        },
    )
    clock: str = field(
        default="wall",
        metadata={
            "help": "'wall' (real time) or 'virtual' (moved by tests)",
            "choices": ("wall", "virtual"),
        },
    )
    ttl_interval: float = field(
        default=5.0,
        metadata={
            "help": "seconds (real time) between two sweeps deleting the expired items of "
            "tables with Time to Live enabled"
        },
    )
    ttl_deletes_per_second: float = field(
        default=2000.0,
        metadata={
            "help": "most expired items the Time to Live sweeper deletes per second (real "
            "time), so that a mass expiry never crowds out requests"
        },
    )
    ttl_deletes_per_write: int = field(
        default=20,
        metadata={
            "help": "expired items deleted per storage transaction: requests' writes are "
            "never queued behind more than this"
        },
    )
    ttl_delete_on_read: bool = field(
        default=False,
        metadata={
            "help": "expired items vanish the moment a request reads or writes them, instead "
            "of staying visible until the sweeper deletes them as on DynamoDB"
        },
    )
    throttling: bool = field(
        default=False,
        metadata={
            "help": "refuse requests beyond each table's and GSI's capacity, as DynamoDB does: "
            "ProvisionedThroughputExceededException at the provisioned rate (with burst "
            "credit), ThrottlingException past an on-demand maximum, RequestLimitExceeded "
            "past the account's per-table quota; batches return Unprocessed items"
        },
    )
    throttling_burst_seconds: float = field(
        default=float(limits.BURST_CREDIT_SECONDS_MAX),
        metadata={
            "help": "with --throttling: seconds of unused provisioned capacity a table keeps "
            "as burst credit (DynamoDB: 300)"
        },
    )
    throttling_control_plane_rate: float = field(
        default=float(limits.CONTROL_PLANE_REQUESTS_PER_SECOND_MAX),
        metadata={
            "help": "with --throttling: control-plane requests (CreateTable, DescribeTable, "
            "...) per second per account before ThrottlingException (DynamoDB: 2500)"
        },
    )
    stream_shards: int = field(
        default=4,
        metadata={
            "help": "shards of each new DynamoDB stream; each takes the records of a range of "
            "partitions"
        },
    )
    stream_shard_rollover_seconds: float = field(
        default=14400.0,
        metadata={
            "help": "how long a stream shard stays open before it closes and a child shard "
            "takes over its partitions (DynamoDB: about four hours)"
        },
    )
    stream_maintenance_seconds: float = field(
        default=60.0,
        metadata={
            "help": "how often (real seconds) records past the 24-hour retention are deleted "
            "and idle shards are rolled over"
        },
    )
    index_backfill_items: int = field(
        default=1000,
        metadata={
            "help": "table items a new global secondary index indexes per background step "
            "(one write transaction; requests run between steps)"
        },
    )
    item_collection_size_limit_bytes: int = field(
        default=limits.ITEM_COLLECTION_BYTES_MAX,
        metadata={
            "help": "most bytes an item collection (items of one partition key value and "
            "their local secondary index entries) may hold (DynamoDB: 10 GB); lower it to "
            "test ItemCollectionSizeLimitExceededException"
        },
    )
    triggers: str | None = field(
        default=None,
        metadata={
            "help": "JSON file of stream triggers (Lambda event source mapping parameters: "
            "TableName, FunctionName, BatchSize, ...; see README)"
        },
    )
    trigger: str | None = field(
        default=None,
        metadata={
            "help": "TABLE=FUNCTION[,TABLE=FUNCTION...]: call FUNCTION (module:function or an "
            "http:// URL) with batches of TABLE's stream records, from LATEST"
        },
    )


SETTINGS = tuple(dataclasses.fields(Settings))


def replace(settings: Settings, **changes: object) -> Settings:
    """A copy of ``settings`` with ``changes`` applied."""
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
