-- openddb SQLite schema, version 1. Never reorder or repurpose columns:
-- add a migration instead.
CREATE TABLE IF NOT EXISTS openddb_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per DynamoDB table; description = the stored TableDescription JSON.
CREATE TABLE IF NOT EXISTS tables (
    table_id    INTEGER PRIMARY KEY,
    namespace   TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    description BLOB NOT NULL,
    UNIQUE (namespace, table_name)
);

-- One row per item. partition_key / sort_key are order-preserving key bytes
-- (model/keys.py); sort_key is empty for tables without a sort key.
-- item = canonical wire JSON of the item; item_bytes = DynamoDB item size.
CREATE TABLE IF NOT EXISTS items (
    table_id      INTEGER NOT NULL,
    hash_token    INTEGER NOT NULL,
    partition_key BLOB NOT NULL,
    sort_key      BLOB NOT NULL,
    item          BLOB NOT NULL,
    item_bytes    INTEGER NOT NULL,
    PRIMARY KEY (table_id, hash_token, partition_key, sort_key)
) WITHOUT ROWID;

-- DynamoDB Streams (openddb/streams/). One row per stream ever enabled on a table;
-- disabled_at is NULL while the stream is enabled. The row outlives its table: a
-- disabled stream stays readable for 24 hours. shard_count and rollover_seconds are the
-- settings the stream was created with.
CREATE TABLE IF NOT EXISTS streams (
    stream_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace        TEXT NOT NULL,
    table_id         INTEGER NOT NULL,
    table_name       TEXT NOT NULL,
    stream_arn       TEXT NOT NULL,
    stream_view_type TEXT NOT NULL,
    key_schema       BLOB NOT NULL,
    created_at       REAL NOT NULL,
    disabled_at      REAL,
    shard_count      INTEGER NOT NULL,
    rollover_seconds REAL NOT NULL
);
-- Not unique: a table deleted and re-created within the same millisecond may repeat an
-- ARN; lookups take the newest stream of an ARN.
CREATE INDEX IF NOT EXISTS streams_by_arn ON streams (namespace, stream_arn);
-- At most one enabled stream per table.
CREATE UNIQUE INDEX IF NOT EXISTS streams_enabled ON streams (table_id)
    WHERE disabled_at IS NULL;

-- Shards: each covers the partitions whose hash token lies in [token_low, token_last].
-- Sequence numbers of a shard are starting_sequence_number, +1, ... last_sequence_number
-- (the shard's counter; starting - 1 while empty). closed_at is NULL while open.
CREATE TABLE IF NOT EXISTS stream_shards (
    shard_key                INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id                INTEGER NOT NULL,
    shard_id                 TEXT NOT NULL,
    parent_shard_id          TEXT,
    token_low                INTEGER NOT NULL,
    token_last               INTEGER NOT NULL,
    created_at               REAL NOT NULL,
    starting_sequence_number INTEGER NOT NULL,
    last_sequence_number     INTEGER NOT NULL,
    closed_at                REAL,
    UNIQUE (stream_id, shard_id)
);
CREATE INDEX IF NOT EXISTS stream_shards_open ON stream_shards (stream_id)
    WHERE closed_at IS NULL;

-- Stream records. keys/new_image/old_image are wire JSON; user_identity is the
-- PrincipalId of a service deletion (TTL), NULL for a user's change.
CREATE TABLE IF NOT EXISTS stream_records (
    shard_key       INTEGER NOT NULL,
    sequence_number INTEGER NOT NULL,
    created_at      REAL NOT NULL,
    event_name      TEXT NOT NULL,
    keys            BLOB NOT NULL,
    new_image       BLOB,
    old_image       BLOB,
    size_bytes      INTEGER NOT NULL,
    user_identity   TEXT,
    PRIMARY KEY (shard_key, sequence_number)
) WITHOUT ROWID;

-- Trigger checkpoints: the last sequence number a trigger (consumer) acknowledged in a
-- shard. A consumer row records when the trigger was first started.
CREATE TABLE IF NOT EXISTS stream_consumers (
    consumer   TEXT PRIMARY KEY,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS stream_checkpoints (
    consumer        TEXT NOT NULL,
    shard_key       INTEGER NOT NULL,
    sequence_number INTEGER NOT NULL,
    PRIMARY KEY (consumer, shard_key)
) WITHOUT ROWID;

-- TransactWriteItems idempotency (api/transactions.py): a ClientRequestToken of a namespace,
-- the SHA-256 of the request that used it (token and ReturnConsumedCapacity left out) and
-- when its transaction committed. Written in that same transaction; rows past the 10-minute
-- window are purged a few at a time by later transactions.
CREATE TABLE IF NOT EXISTS transaction_tokens (
    namespace    TEXT NOT NULL,
    token        TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    completed_at REAL NOT NULL,
    PRIMARY KEY (namespace, token)
);
CREATE INDEX IF NOT EXISTS transaction_tokens_by_time ON transaction_tokens (completed_at);

-- Time to Live sweeps (openddb/ttl/), claimable by any node (shared/DESIGN.md, scale-out):
-- one row per table ever swept. hash_token / partition_key / sort_key: the last item key the
-- current pass has swept (NULL: the pass starts from the beginning). claimed_by /
-- claimed_until: the node sweeping the table and until when its claim holds (server clock).
CREATE TABLE IF NOT EXISTS ttl_sweeps (
    table_id      INTEGER PRIMARY KEY,
    hash_token    INTEGER,
    partition_key BLOB,
    sort_key      BLOB,
    claimed_by    TEXT NOT NULL,
    claimed_until REAL NOT NULL
);

-- Secondary indexes (openddb/indexes/, model/index.py). One row per index entry: the
-- entry's index key (hash token of the index partition key, index partition key, index
-- sort key -- empty without one), then the table key of its item, which also orders
-- entries with equal index keys (GSI keys need not be unique). item = the projected
-- entry's wire JSON, or NULL for a projection of ALL: the entry is then the table's item,
-- found by (table_id, table_hash_token, table_partition_key, table_sort_key) in items,
-- which the same transaction keeps. item_bytes = the entry's DynamoDB size.
-- index_number: see model/index.py.
CREATE TABLE IF NOT EXISTS index_items (
    table_id            INTEGER NOT NULL,
    index_number        INTEGER NOT NULL,
    hash_token          INTEGER NOT NULL,
    partition_key       BLOB NOT NULL,
    sort_key            BLOB NOT NULL,
    table_partition_key BLOB NOT NULL,
    table_sort_key      BLOB NOT NULL,
    table_hash_token    INTEGER NOT NULL,
    item                BLOB,
    item_bytes          INTEGER NOT NULL,
    PRIMARY KEY (table_id, index_number, hash_token, partition_key, sort_key,
                 table_partition_key, table_sort_key)
) WITHOUT ROWID;

-- Background index work, claimable by any node (shared/DESIGN.md, scale-out): building a
-- new GSI from the table's items (action 'backfill', resumed after the last table key
-- done) or deleting a dropped index's entries (action 'delete'). claimed_by / claimed_until:
-- the node working on it and until when its claim holds. Never rename the actions.
CREATE TABLE IF NOT EXISTS index_jobs (
    table_id      INTEGER NOT NULL,
    index_number  INTEGER NOT NULL,
    action        TEXT NOT NULL,
    hash_token    INTEGER,
    partition_key BLOB,
    sort_key      BLOB,
    claimed_by    TEXT,
    claimed_until REAL,
    PRIMARY KEY (table_id, index_number)
);

-- Item collections of tables with LSIs: the size of each partition key value's items and
-- their LSI entries, kept in the write's transaction (ItemCollectionMetrics and the 10 GB
-- limit). Rows of empty collections are deleted.
CREATE TABLE IF NOT EXISTS item_collections (
    table_id      INTEGER NOT NULL,
    partition_key BLOB NOT NULL,
    size_bytes    INTEGER NOT NULL,
    PRIMARY KEY (table_id, partition_key)
) WITHOUT ROWID;
