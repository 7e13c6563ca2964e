"""DynamoDB Streams: change capture, shards, sequence numbers, iterators, retention, triggers.

How a change becomes a record (every step inside the storage transaction of the change,
so a change and its record commit together or not at all)::

    api/changes.write_change ──> streams/capture.py: was the item changed? (no: no record)
                                   │  open shard of the table's enabled stream for the
                                   │  partition's hash token (rolled over when due)
                                   └> records.py builds Keys / NewImage / OldImage per
                                      StreamViewType; the shard's counter gives the
                                      SequenceNumber

Reading: ``api/streams.py`` (ListStreams, DescribeStream, GetShardIterator, GetRecords)
uses ``shards.py`` (identifiers, lineage, visibility), ``iterators.py`` (the opaque
ShardIterator) and ``records.py`` (the wire record). ``maintenance.py`` trims records past
the 24-hour retention and rolls idle shards over; ``triggers/`` delivers records to
Lambda-style handlers. Sources: Developer Guide "Change data capture for DynamoDB
Streams", the botocore ``dynamodbstreams`` model, shared/reference/behaviours.md section 5.
"""
