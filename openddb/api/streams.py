"""DynamoDB Streams: ListStreams DescribeStream GetShardIterator GetRecords.

Target prefix ``DynamoDBStreams_20120810``; shapes from the botocore ``dynamodbstreams``
model. Behaviour: API reference of each operation, Developer Guide "Change data capture
for DynamoDB Streams", shared/reference/behaviours.md section 5; which mistakes answer
ValidationException (malformed ARNs, iterators, sequence numbers, Limit above its
documented maximum) follows Alternator's test_streams.py, a suite run against the service.

Streams live in storage (``streams``/``stream_shards``/``stream_records``), written by
``streams/capture.py`` and ``streams/lifecycle.py``. Retention is enforced at read time
from ``ctx.clock`` (records older than 24 hours are invisible and count as trimmed) and
physically by ``streams/maintenance.py``, so both are testable on the virtual clock.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from openddb import errors, limits
from openddb.context import Context
from openddb.storage.engine import StoredShard, StoredStream, StoredStreamRecord
from openddb.streams import iterators, records, shards
from openddb.streams.iterators import ShardIterator

Json = dict[str, Any]

STREAM_ARN = re.compile(r"arn:[^:]+:dynamodb:[^:]*:[^:]*:table/[^/]+/stream/[^/|]+")
STREAM_ARN_LABEL_MARKER = "/stream/"
STATUS_ENABLING = "ENABLING"
STATUS_ENABLED = "ENABLED"
STATUS_DISABLING = "DISABLING"
STATUS_DISABLED = "DISABLED"
TRIM_HORIZON = "TRIM_HORIZON"
LATEST = "LATEST"
AT_SEQUENCE_NUMBER = "AT_SEQUENCE_NUMBER"
AFTER_SEQUENCE_NUMBER = "AFTER_SEQUENCE_NUMBER"
AT_TIMESTAMP = "AT_TIMESTAMP"
_WITH_SEQUENCE_NUMBER = frozenset({AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER})


def list_streams(ctx: Context, request: Json) -> Json:
    """ListStreams: the caller's streams (of one table with ``TableName``) in ARN order,
    enabled ones and those disabled less than 24 hours ago; paging with
    ``ExclusiveStartStreamArn`` / ``LastEvaluatedStreamArn`` (present only when more
    remain, which the API reference allows)."""
    limit = _limit(request, limits.LIST_STREAMS_LIMIT_MAX)
    start = request.get("ExclusiveStartStreamArn")
    if start is not None:
        _check_stream_arn(start)
    horizon = ctx.clock.now() - limits.STREAM_RECORD_RETENTION_SECONDS
    found = ctx.engine.list_streams(
        ctx.namespace, request.get("TableName"), start, horizon, limit + 1
    )
    page = found[:limit]
    response: Json = {
        "Streams": [
            {"StreamArn": stream.stream_arn, "TableName": stream.table_name,
             "StreamLabel": _label(stream)}
            for stream in page
        ]
    }
    if len(found) > limit:
        response["LastEvaluatedStreamArn"] = page[-1].stream_arn
    return response


def describe_stream(ctx: Context, request: Json) -> Json:
    """DescribeStream: status, view type, key schema and shards in ShardId order (parents
    before children), at most ``Limit`` (1..100) after ``ExclusiveStartShardId`` (which
    need not exist: the service answers no shards after an unknown id, not an error);
    ``ShardFilter`` CHILD_SHARDS lists the children of ``ShardFilter.ShardId``."""
    limit = _limit(request, limits.DESCRIBE_STREAM_LIMIT_MAX)
    now = ctx.clock.now()
    stream = _stream(ctx, request["StreamArn"], now)
    listed = [shard for shard in ctx.engine.stream_shards(stream.stream_id)
              if shards.visible(shard, now)]
    parent = request.get("ShardFilter", {}).get("ShardId")
    if parent is not None:
        listed = [shard for shard in listed if shard.parent_shard_id == parent]
    start = request.get("ExclusiveStartShardId")
    if start is not None:
        listed = [shard for shard in listed if shard.shard_id > start]
    page = listed[:limit]
    description: Json = {
        "StreamArn": stream.stream_arn,
        "StreamLabel": _label(stream),
        "StreamStatus": _status(ctx, stream, now),
        "StreamViewType": stream.stream_view_type,
        "CreationRequestDateTime": stream.created_at,
        "TableName": stream.table_name,
        "KeySchema": orjson.Fragment(stream.key_schema),
        "Shards": [shards.described(shard) for shard in page],
    }
    if len(listed) > limit:
        description["LastEvaluatedShardId"] = page[-1].shard_id
    return {"StreamDescription": description}


def get_shard_iterator(ctx: Context, request: Json) -> Json:
    """GetShardIterator: TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP.

    Raises ValidationException for a SequenceNumber (or Timestamp) that does not go with
    the iterator type, a malformed ARN or a number outside the shard;
    ResourceNotFoundException for an unknown stream or shard;
    TrimmedDataAccessException for a number at or before the trim horizon.
    """
    iterator_type = request["ShardIteratorType"]
    _check_position_members(iterator_type, request)
    now = ctx.clock.now()
    stream = _stream(ctx, request["StreamArn"], now)
    shard = _shard(ctx, stream, request["ShardId"], now)
    if iterator_type == TRIM_HORIZON:
        after, trim_horizon = shard.starting_sequence_number - 1, True
    elif iterator_type == LATEST:
        after, trim_horizon = shard.last_sequence_number, False
    elif iterator_type == AT_TIMESTAMP:
        after, trim_horizon = _after_timestamp(ctx, shard, request["Timestamp"], now)
    else:
        after, trim_horizon = _after_sequence_number(ctx, shard, iterator_type, request, now)
    iterator = ShardIterator(stream.stream_arn, shard.shard_id, after, _ms(now), trim_horizon)
    return {"ShardIterator": iterators.encode(iterator)}


def get_records(ctx: Context, request: Json) -> Json:
    """GetRecords: up to ``Limit`` (1..1000, default 1000) records and 1 MB from the
    iterator's position; ``NextShardIterator`` is absent once a closed shard is exhausted.

    Raises ValidationException for an iterator openddb did not issue,
    ExpiredIteratorException 15 minutes after it was issued, TrimmedDataAccessException
    when records it has not read were trimmed, ResourceNotFoundException when its stream
    or shard has expired.
    """
    limit = _limit(request, limits.GET_RECORDS_LIMIT_MAX)
    iterator = iterators.decode(request["ShardIterator"])
    if iterator is None or STREAM_ARN.fullmatch(iterator.stream_arn) is None:
        raise errors.invalid_shard_iterator()
    now = ctx.clock.now()
    if _ms(now) - iterator.issued_ms > limits.SHARD_ITERATOR_LIFETIME_SECONDS * 1000:
        raise errors.iterator_expired()
    stream = _stream(ctx, iterator.stream_arn, now)
    shard = _shard(ctx, stream, iterator.shard_id, now)
    trimmed = _trim_point(ctx, shard, now)
    if iterator.trim_horizon:
        after = max(iterator.after, trimmed)
    elif iterator.after < trimmed:
        raise errors.data_trimmed()
    else:
        after = iterator.after
    read = _read_records(ctx, shard, after, limit)
    response: Json = {
        "Records": [records.wire_record(record, stream, shard.shard_id) for record in read]
    }
    position = read[-1].sequence_number if read else after
    if shard.closed_at is None or position < shard.last_sequence_number:
        following = ShardIterator(stream.stream_arn, shard.shard_id, position, _ms(now),
                                  iterator.trim_horizon and not read)
        response["NextShardIterator"] = iterators.encode(following)
    return response


# --- helpers ------------------------------------------------------------------------------


def _ms(now: float) -> int:
    return int(now * 1000)


def _limit(request: Json, maximum: int) -> int:
    """``Limit`` (shapes already refused values below 1), at most ``maximum``."""
    limit: int = request.get("Limit", maximum)
    if limit > maximum:
        raise errors.limit_above(limit, maximum)
    return limit


def _check_stream_arn(stream_arn: str) -> None:
    if STREAM_ARN.fullmatch(stream_arn) is None:
        raise errors.invalid_stream_arn()


def _label(stream: StoredStream) -> str:
    return stream.stream_arn.rsplit(STREAM_ARN_LABEL_MARKER, 1)[1]


def _stream(ctx: Context, stream_arn: str, now: float) -> StoredStream:
    """The caller's stream; ResourceNotFoundException once it expired (24 hours after it was
    disabled) or when there is none."""
    _check_stream_arn(stream_arn)
    stream = ctx.engine.get_stream(ctx.namespace, stream_arn)
    horizon = now - limits.STREAM_RECORD_RETENTION_SECONDS
    if stream is None or (stream.disabled_at is not None and stream.disabled_at < horizon):
        raise errors.stream_not_found(stream_arn)
    return stream


def _shard(ctx: Context, stream: StoredStream, shard_id: str, now: float) -> StoredShard:
    shard = ctx.engine.get_shard(stream.stream_id, shard_id)
    if shard is None or not shards.visible(shard, now):
        raise errors.shard_not_found()
    return shard


def _status(ctx: Context, stream: StoredStream, now: float) -> str:
    """ENABLING/DISABLING last as long as the table's own transient statuses."""
    settings = ctx.settings
    delay = settings.transient_status_seconds if settings.delay_transient_statuses else 0.0
    if stream.disabled_at is None:
        return STATUS_ENABLING if now < stream.created_at + delay else STATUS_ENABLED
    return STATUS_DISABLING if now < stream.disabled_at + delay else STATUS_DISABLED


def _trim_point(ctx: Context, shard: StoredShard, now: float) -> int:
    """The highest sequence number of the shard that is trimmed (older than 24 hours):
    records are in time order, so they are all the numbers before the first kept one."""
    horizon = now - limits.STREAM_RECORD_RETENTION_SECONDS
    kept = ctx.engine.first_kept_sequence_number(shard.shard_key, horizon)
    return shard.last_sequence_number if kept is None else kept - 1


def _check_position_members(iterator_type: str, request: Json) -> None:
    has_sequence_number = "SequenceNumber" in request
    if (iterator_type in _WITH_SEQUENCE_NUMBER) != has_sequence_number:
        raise errors.iterator_type_mismatch(iterator_type, has_sequence_number)
    if (iterator_type == AT_TIMESTAMP) != ("Timestamp" in request):
        raise errors.timestamp_mismatch(iterator_type)


def _after_sequence_number(
    ctx: Context, shard: StoredShard, iterator_type: str, request: Json, now: float
) -> tuple[int, bool]:
    text = request["SequenceNumber"]
    number = shards.parse_sequence_number(text)
    last = max(shard.last_sequence_number, shard.starting_sequence_number)
    if number is None or not shard.starting_sequence_number <= number <= last:
        raise errors.invalid_sequence_number(text, shard.shard_id)
    trimmed = _trim_point(ctx, shard, now)
    if iterator_type == AT_SEQUENCE_NUMBER:
        if number <= trimmed:
            raise errors.data_trimmed()
        return number - 1, False
    if number < trimmed:
        raise errors.data_trimmed()
    return number, False


def _after_timestamp(
    ctx: Context, shard: StoredShard, timestamp: float, now: float
) -> tuple[int, bool]:
    """The first record created at or after ``timestamp``; before the trim horizon that is
    TRIM_HORIZON, in the future a ValidationException (API reference, Timestamp)."""
    if timestamp > now:
        raise errors.timestamp_in_future()
    if timestamp < now - limits.STREAM_RECORD_RETENTION_SECONDS:
        return shard.starting_sequence_number - 1, True
    first = ctx.engine.first_kept_sequence_number(shard.shard_key, timestamp)
    return (shard.last_sequence_number if first is None else first - 1), False


def _read_records(
    ctx: Context, shard: StoredShard, after: int, limit: int
) -> list[StoredStreamRecord]:
    """At most ``limit`` records after ``after`` within GetRecords' 1 MB (at least one)."""
    read = ctx.engine.stream_records(shard.shard_key, after, limit)
    size = 0
    for index, record in enumerate(read):
        size += records.wire_size(record)
        if size > limits.GET_RECORDS_RESPONSE_BYTES_MAX and index > 0:
            return read[:index]
    return read
