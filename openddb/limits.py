"""Every DynamoDB limit openddb enforces, once, with its unit and source.

Names put the most significant word first and the unit last. Unless noted the
source is the Developer Guide page "Service, account, and table quotas in
Amazon DynamoDB" (ServiceQuotas / Constraints). Sizes are binary: 1 KB = 1024
bytes.
"""

KILOBYTE_BYTES = 1024
MEGABYTE_BYTES = 1024 * KILOBYTE_BYTES

# Items (ServiceQuotas "Items"; CapacityUnitCalculations for the size formula).
ITEM_BYTES_MAX = 400 * KILOBYTE_BYTES
PARTITION_KEY_BYTES_MAX = 2048
SORT_KEY_BYTES_MAX = 1024
ATTRIBUTE_NESTING_DEPTH_MAX = 32
NUMBER_PRECISION_DIGITS_MAX = 38
# Magnitudes: 1E-130 .. 9.9999999999999999999999999999999999999E+125 (Naming rules / data types).
NUMBER_EXPONENT_MIN = -130
NUMBER_EXPONENT_MAX = 125

# Tables (ServiceQuotas "Tables", API reference CreateTable).
TABLE_NAME_LENGTH_MIN = 3
TABLE_NAME_LENGTH_MAX = 255
TABLES_PER_REGION_MAX = 2500
KEY_ATTRIBUTE_NAME_BYTES_MAX = 255
LIST_TABLES_LIMIT_MAX = 100
GLOBAL_SECONDARY_INDEXES_MAX = 20
LOCAL_SECONDARY_INDEXES_MAX = 5
PROJECTED_ATTRIBUTES_MAX = 100
# Key schema elements of a table or LSI; a GSI key may hold up to four partition-key and four
# sort-key attributes (API reference CreateGlobalSecondaryIndexAction, "multi-attribute keys").
KEY_SCHEMA_ELEMENTS_MAX = 2
GLOBAL_SECONDARY_INDEX_HASH_KEYS_MAX = 4
GLOBAL_SECONDARY_INDEX_RANGE_KEYS_MAX = 4
# One GSI create or delete per UpdateTable and per table at a time (API reference UpdateTable).
ONLINE_INDEX_CHANGES_MAX = 1
# Provisioned throughput decreases: four per UTC day, then one per hour after the last
# (ServiceQuotas "Provisioned throughput decreases").
THROUGHPUT_DECREASES_PER_DAY_FREE = 4
THROUGHPUT_DECREASE_INTERVAL_SECONDS = 3600
# dynalite: capacity values above this are "out of bounds" (ValidationException) rather than
# above the account's quota (LimitExceededException).
CAPACITY_UNITS_BOUND = 1_000_000_000_000
# Warm throughput every on-demand table and GSI reports (Developer Guide "Warm throughput").
ON_DEMAND_WARM_READ_UNITS_PER_SECOND = 12000
ON_DEMAND_WARM_WRITE_UNITS_PER_SECOND = 4000

# Provisioned throughput (DescribeLimits defaults for a Region).
ACCOUNT_READ_CAPACITY_UNITS_MAX = 80000
ACCOUNT_WRITE_CAPACITY_UNITS_MAX = 80000
TABLE_READ_CAPACITY_UNITS_MAX = 40000
TABLE_WRITE_CAPACITY_UNITS_MAX = 40000

# Capacity unit sizes (ProvisionedThroughput / CapacityUnitCalculations).
READ_UNIT_BYTES = 4 * KILOBYTE_BYTES
WRITE_UNIT_BYTES = 1 * KILOBYTE_BYTES

# Tags (TagResource API reference).
TAGS_PER_RESOURCE_MAX = 50
TAG_KEY_LENGTH_MAX = 128
TAG_VALUE_LENGTH_MAX = 256

# Requests: DynamoDB refuses HTTP bodies above 16 MB (the BatchWriteItem maximum).
REQUEST_BODY_BYTES_MAX = 16 * MEGABYTE_BYTES
# A gzip request body is inflated at most to this size before it is refused.
REQUEST_BODY_INFLATED_BYTES_MAX = REQUEST_BODY_BYTES_MAX

# Shape validation lists at most this many constraint violations per message.
SHAPE_ERRORS_REPORTED_MAX = 10

# Expressions (ServiceQuotas "Expression parameters"). Each expression string is measured in
# raw UTF-8 bytes before placeholder substitution (live captures, paritysuite conformance).
EXPRESSION_BYTES_MAX = 4 * KILOBYTE_BYTES
# Operators and functions per expression (documented for UpdateExpression, observed for all).
EXPRESSION_OPERATORS_MAX = 300
# IN operands, the left operand included (Alternator test_update_condition_in, against AWS).
EXPRESSION_IN_OPERANDS_MAX = 100
# Elements of one document path: the same 32 levels as attribute nesting.
EXPRESSION_PATH_ELEMENTS_MAX = ATTRIBUTE_NESTING_DEPTH_MAX
# Parentheses and function calls the parser nests before refusing: its recursion bound.
# Every non-redundant level needs its own operator, so valid expressions stay far below.
EXPRESSION_NESTING_DEPTH_MAX = 100
# Each #name / :value placeholder key, prefix included.
EXPRESSION_PLACEHOLDER_BYTES_MAX = 255
# Parsed expression trees kept by the (kind, text) LRU cache, and resolved trees kept by
# (kind, text, placeholder maps): a bound on memory. Maps larger than the byte bound are
# resolved every time instead of being kept.
EXPRESSION_CACHE_ENTRIES_MAX = 1024
EXPRESSION_RESOLVED_PLACEHOLDERS_BYTES_MAX = 1024

assert EXPRESSION_NESTING_DEPTH_MAX < EXPRESSION_OPERATORS_MAX
assert EXPRESSION_PLACEHOLDER_BYTES_MAX < EXPRESSION_BYTES_MAX

assert PARTITION_KEY_BYTES_MAX > SORT_KEY_BYTES_MAX
assert ITEM_BYTES_MAX > PARTITION_KEY_BYTES_MAX + SORT_KEY_BYTES_MAX
assert TABLE_READ_CAPACITY_UNITS_MAX <= ACCOUNT_READ_CAPACITY_UNITS_MAX
assert TABLE_WRITE_CAPACITY_UNITS_MAX <= ACCOUNT_WRITE_CAPACITY_UNITS_MAX
assert NUMBER_EXPONENT_MIN < 0 < NUMBER_EXPONENT_MAX
assert GLOBAL_SECONDARY_INDEX_HASH_KEYS_MAX >= KEY_SCHEMA_ELEMENTS_MAX // 2
assert TABLE_READ_CAPACITY_UNITS_MAX < CAPACITY_UNITS_BOUND

# Batch operations (API reference BatchWriteItem / BatchGetItem).
BATCH_WRITE_REQUESTS_MAX = 25
BATCH_GET_KEYS_MAX = 100
BATCH_GET_RESPONSE_BYTES_MAX = 16 * MEGABYTE_BYTES

# Transactions (API reference TransactWriteItems / TransactGetItems; Developer Guide
# "Amazon DynamoDB Transactions: How it works"): up to 100 actions on distinct items, 4 MB of
# items in all; a ClientRequestToken is remembered for 10 minutes after its request completed.
TRANSACT_ITEMS_MAX = 100
TRANSACT_ITEMS_BYTES_MAX = 4 * MEGABYTE_BYTES
TRANSACT_TOKEN_LIFETIME_SECONDS = 10 * 60
# Expired tokens deleted by each committed TransactWriteItems (bounded cleanup work).
TRANSACT_TOKENS_PURGED_PER_WRITE_MAX = 16
# Every item of a transaction is read or written twice (prepare and commit).
TRANSACT_CAPACITY_FACTOR = 2
assert TRANSACT_ITEMS_MAX * ITEM_BYTES_MAX > TRANSACT_ITEMS_BYTES_MAX

# Throughput (Developer Guide "Provisioned capacity mode" burst capacity; ServiceQuotas
# "Throughput default quotas"; "Best practices for managing the control plane"): unused
# provisioned capacity is kept for up to 300 seconds; an on-demand table or GSI may use up to
# 40,000 read and 40,000 write request units per second unless its OnDemandThroughput sets a
# lower maximum; control-plane requests are throttled past 2,500 per second per account.
BURST_CREDIT_SECONDS_MAX = 300
ON_DEMAND_TABLE_READ_REQUEST_UNITS_MAX = TABLE_READ_CAPACITY_UNITS_MAX
ON_DEMAND_TABLE_WRITE_REQUEST_UNITS_MAX = TABLE_WRITE_CAPACITY_UNITS_MAX
CONTROL_PLANE_REQUESTS_PER_SECOND_MAX = 2500

# DynamoDB Streams (Developer Guide "Change data capture for DynamoDB Streams"; botocore
# dynamodbstreams model: GetRecords/DescribeStream/ListStreams ``Limit`` documentation).
STREAM_RECORD_RETENTION_SECONDS = 24 * 3600
SHARD_ITERATOR_LIFETIME_SECONDS = 15 * 60
GET_RECORDS_LIMIT_MAX = 1000
GET_RECORDS_RESPONSE_BYTES_MAX = MEGABYTE_BYTES
DESCRIBE_STREAM_LIMIT_MAX = 100
LIST_STREAMS_LIMIT_MAX = 100
assert SHARD_ITERATOR_LIFETIME_SECONDS < STREAM_RECORD_RETENTION_SECONDS

# Time to Live (API reference UpdateTimeToLive; Developer Guide "How it works: Time to Live"):
# after a successful UpdateTimeToLive, further changes of the table's TTL are refused for a
# while. The API reference says up to one hour; the live service was measured refusing 1,811 s
# and accepting 1,872 s after a change (ACK lab DDB-TABLE-143), so openddb uses 31 minutes.
# Expiry times more than five years in the past are never acted on (Developer Guide; five
# 365-day years: the exact boundary is not documented).
TTL_UPDATE_COOLDOWN_SECONDS = 31 * 60
TTL_EXPIRY_AGE_IGNORED_SECONDS = 5 * 365 * 24 * 3600
assert TTL_UPDATE_COOLDOWN_SECONDS <= 3600
assert TTL_EXPIRY_AGE_IGNORED_SECONDS > STREAM_RECORD_RETENTION_SECONDS

# Query and Scan (API reference Query / Scan; Developer Guide "Paginating table query results"):
# a page ends once 1 MB of item data has been read (before any filter), or at ``Limit`` items.
QUERY_PAGE_BYTES_MAX = MEGABYTE_BYTES
SCAN_PAGE_BYTES_MAX = MEGABYTE_BYTES
# Parallel scan: Segment 0 .. TotalSegments - 1, TotalSegments 1 .. 1,000,000 (API reference Scan).
SCAN_TOTAL_SEGMENTS_MAX = 1_000_000
assert QUERY_PAGE_BYTES_MAX == SCAN_PAGE_BYTES_MAX
assert QUERY_PAGE_BYTES_MAX > ITEM_BYTES_MAX

# PartiQL (API reference ExecuteStatement / BatchExecuteStatement / ExecuteTransaction; the
# statement and NextToken lengths are also shape constraints of the service model): a SELECT
# page ends at 1 MB read or ``Limit`` items, as Query and Scan do. A NextToken lives one hour
# (DynamoDB Local's ContinuationTokenSerializer; inferred for the service). The parser nests
# parentheses, lists and calls at most this deep (its recursion bound).
PARTIQL_STATEMENT_CHARS_MAX = 8192
PARTIQL_BATCH_STATEMENTS_MAX = 25
PARTIQL_TRANSACTION_STATEMENTS_MAX = 100
PARTIQL_SELECT_PAGE_BYTES_MAX = MEGABYTE_BYTES
PARTIQL_NEXT_TOKEN_CHARS_MAX = 32768
PARTIQL_NEXT_TOKEN_LIFETIME_SECONDS = 3600
PARTIQL_NESTING_DEPTH_MAX = 100
# Parsed statements kept by the statement-text LRU cache (a bound on memory).
PARTIQL_STATEMENT_CACHE_ENTRIES_MAX = 256
assert PARTIQL_BATCH_STATEMENTS_MAX == BATCH_WRITE_REQUESTS_MAX
assert PARTIQL_TRANSACTION_STATEMENTS_MAX == TRANSACT_ITEMS_MAX
assert PARTIQL_SELECT_PAGE_BYTES_MAX == QUERY_PAGE_BYTES_MAX

# Secondary indexes (ServiceQuotas "Secondary indexes"; Developer Guide "Item collection size
# limit"): an item collection of a table with LSIs (the items of one partition key value and
# their LSI entries) holds at most 10 GB. A GSI key value obeys the table key value limits.
GIGABYTE_BYTES = 1024 * MEGABYTE_BYTES
ITEM_COLLECTION_BYTES_MAX = 10 * GIGABYTE_BYTES
INDEX_PARTITION_KEY_BYTES_MAX = PARTITION_KEY_BYTES_MAX
INDEX_SORT_KEY_BYTES_MAX = SORT_KEY_BYTES_MAX
assert ITEM_COLLECTION_BYTES_MAX > ITEM_BYTES_MAX
