"""Capacity: consumed-unit counters for every table, and opt-in throttling (``--throttling``).

DynamoDB Local ignores throughput, so retry and back-off code is never exercised before
production. openddb measures what every data-plane request consumes and, with
``--throttling``, refuses requests the way DynamoDB does.

**One hook.** :func:`openddb.throughput.hook.metered_call` wraps every handler call in
``server/dispatch.call``. Handlers stay unaware of throttling; they already report what
they consumed in ``ConsumedCapacity`` (api/items.py, query_scan.py, batch.py,
transactions.py), so the hook always asks them for it (``ReturnConsumedCapacity=INDEXES``
on a copy of the request), charges the units to the table's and each GSI's counters and
token buckets, and gives the client only what it asked for (TOTAL drops the per-table and
per-index detail; NONE drops the member). Before the handler runs, the hook checks the
buckets the request will draw on (the table's, a GSI's for Query/Scan with ``IndexName``,
every GSI's for a write) and answers the throttling error instead; batches are admitted
item by item, and the items that do not fit come back in ``UnprocessedItems`` /
``UnprocessedKeys``; a transaction with a throttled action is cancelled with that action's
throttling reason.

**Token buckets** (:mod:`~openddb.throughput.buckets`), per table and per GSI, one for
reads and one for writes, refilled from ``ctx.clock`` (so a VirtualClock test can show
burst credit accumulating and being spent without sleeping):

============================  ================================  ===========================
mode                          rate and capacity                 when empty
============================  ================================  ===========================
PROVISIONED                   provisioned RCU/WCU per second;   ProvisionedThroughput-
                              up to 300 s of unused capacity    ExceededException
                              kept as burst credit              (``...ProvisionedThroughput
                              (``--throttling-burst-seconds``)  Exceeded``)
PAY_PER_REQUEST with          MaxRead/WriteRequestUnits per     ThrottlingException
OnDemandThroughput            second, no burst                  (``...MaxOnDemandThroughput
                                                                Exceeded``)
PAY_PER_REQUEST               the per-table account quota,      RequestLimitExceeded
                              40,000 units per second           (``...AccountLimitExceeded``)
control plane (per account)   2,500 requests per second         ThrottlingException
                              (``--throttling-control-plane-    "Rate exceeded"
                              rate``)
============================  ================================  ===========================

A request is admitted while its bucket holds more than zero units (plus, within one batch
or transaction, the estimated cost of the items already admitted) and then charged what it
actually consumed, so a bucket may go below zero -- DynamoDB likewise charges a Query for
what it read after the fact. A new bucket starts with one second of capacity, so a client
going faster than its provisioned rate is throttled at once, and accumulates burst credit
only while it stays below that rate. The ``ThrottlingReasons`` member names the reason
(``<Table|Index><Read|Write><limit>``) and the table or index ARN.

**Scope.** Buckets and counters live in the memory of one server process: throttling is a
test and learning aid, never part of data correctness (shared/DESIGN.md). With several API
nodes each enforces the full rate on its own. Partition-level limits
(``KeyRangeThroughputExceeded``), adaptive capacity and on-demand's "double the previous
peak" warm-up are not modelled. A write is admitted only if every GSI of its table has
write capacity, whether or not the item projects into it.

**Metrics.** ``GET /metrics`` (server/app.py) answers the counters in the Prometheus text
format: consumed read and write units per table and index, throttled requests per table and
reason, and (with ``--throttling``) the units left in each bucket.
"""
