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
