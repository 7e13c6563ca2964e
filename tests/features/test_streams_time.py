"""DynamoDB Streams over time, on servers with a virtual clock: 24-hour retention and
TrimmedDataAccessException, 15-minute iterator expiry and ExpiredIteratorException,
shard rollover with lineage, and the expiry of disabled streams."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import error_of
from stream_fixtures import (
    VirtualServer,
    all_shards,
    create_stream_table,
    drain,
    put,
    read_stream,
    virtual_server,
)

from openddb.streams import maintenance

DAY = 24 * 3600.0
ROLLOVER = 3600.0


@pytest.fixture(scope="module")
def server() -> Iterator[VirtualServer]:
    with virtual_server(stream_shards=2, stream_shard_rollover_seconds=ROLLOVER) as running:
        yield running


@pytest.fixture(scope="module")
def long_shards() -> Iterator[VirtualServer]:
    """Shards that outlive the retention period, so one shard holds old and new records."""
    with virtual_server(stream_shards=1, stream_shard_rollover_seconds=3 * DAY) as running:
        yield running


def item(pk: str, **attributes: int) -> dict[str, Any]:
    values: dict[str, Any] = {"pk": {"S": pk}}
    values.update({name: {"N": str(value)} for name, value in attributes.items()})
    return values


def shard_of(server: VirtualServer, arn: str, sequence_number: str) -> str:
    for shard in all_shards(server.streams, arn):
        iterator = server.streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = drain(server.streams, iterator)[0]
        if any(r["dynamodb"]["SequenceNumber"] == sequence_number for r in records):
            shard_id: str = shard["ShardId"]
            return shard_id
    raise AssertionError("no shard holds the record")


def test_records_are_trimmed_after_24_hours(long_shards: VirtualServer) -> None:
    server = long_shards
    name = server.table_name("retention")
    arn = create_stream_table(server.dynamodb, name, "NEW_IMAGE", sort_key=False)["LatestStreamArn"]
    streams = server.streams
    put(server.dynamodb, name, item("k", v=1))
    first = read_stream(streams, arn)[0]["dynamodb"]["SequenceNumber"]
    shard_id = shard_of(server, arn, first)

    def iterator(kind: str, **extra: Any) -> str:
        text: str = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **extra
        )["ShardIterator"]
        return text

    server.clock.advance(DAY / 2)
    put(server.dynamodb, name, item("k", v=2))
    server.clock.advance(DAY / 2 - 60)  # the first record is 23h59m old
    at_first = iterator("AT_SEQUENCE_NUMBER", SequenceNumber=first)
    trim_horizon = iterator("TRIM_HORIZON")
    server.clock.advance(120)  # ... and now 24h01m: trimmed
    assert [r["dynamodb"]["NewImage"]["v"]["N"] for r in read_stream(streams, arn)] == ["2"]
    with pytest.raises(streams.exceptions.TrimmedDataAccessException) as excinfo:
        streams.get_records(ShardIterator=at_first)
    assert error_of(excinfo) == (
        "TrimmedDataAccessException",
        "The data you are trying to access has been trimmed",
    )
    # A TRIM_HORIZON iterator follows the horizon instead of failing.
    assert [r["dynamodb"]["NewImage"]["v"]["N"] for r in drain(streams, trim_horizon)[0]] == ["2"]
    with pytest.raises(streams.exceptions.TrimmedDataAccessException):
        iterator("AT_SEQUENCE_NUMBER", SequenceNumber=first)
    after_first = drain(streams, iterator("AFTER_SEQUENCE_NUMBER", SequenceNumber=first))[0]
    assert [r["dynamodb"]["NewImage"]["v"]["N"] for r in after_first] == ["2"]
    # The maintenance pass deletes what reads already hide; nothing visible changes.
    assert maintenance.run_once(server.running.server)[1] >= 1
    assert [r["dynamodb"]["NewImage"]["v"]["N"] for r in read_stream(streams, arn)] == ["2"]
    with pytest.raises(streams.exceptions.TrimmedDataAccessException):
        iterator("AT_SEQUENCE_NUMBER", SequenceNumber=first)


def test_at_timestamp_starts_at_the_first_record_since(server: VirtualServer) -> None:
    name = server.table_name("timestamp")
    arn = create_stream_table(server.dynamodb, name, "NEW_IMAGE", sort_key=False)["LatestStreamArn"]
    put(server.dynamodb, name, item("k", v=1))
    shard_id = shard_of(
        server, arn, read_stream(server.streams, arn)[0]["dynamodb"]["SequenceNumber"]
    )
    server.clock.advance(10)
    middle = server.clock.now()
    server.clock.advance(10)
    put(server.dynamodb, name, item("k", v=2))
    iterator = server.streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType="AT_TIMESTAMP", Timestamp=middle
    )["ShardIterator"]
    assert [r["dynamodb"]["NewImage"]["v"]["N"] for r in drain(server.streams, iterator)[0]] == [
        "2"
    ]
    with pytest.raises(server.streams.exceptions.ClientError) as excinfo:
        server.streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=shard_id,
            ShardIteratorType="AT_TIMESTAMP",
            Timestamp=server.clock.now() + 60,
        )
    assert error_of(excinfo)[0] == "ValidationException"


def test_iterators_expire_after_15_minutes(server: VirtualServer) -> None:
    name = server.table_name("expiry")
    arn = create_stream_table(server.dynamodb, name, "KEYS_ONLY", sort_key=False)["LatestStreamArn"]
    shard_id = all_shards(server.streams, arn)[0]["ShardId"]

    def latest() -> str:
        text: str = server.streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard_id, ShardIteratorType="LATEST"
        )["ShardIterator"]
        return text

    fresh = latest()
    server.clock.advance(15 * 60 - 1)
    following = server.streams.get_records(ShardIterator=fresh)["NextShardIterator"]
    stale = latest()
    server.clock.advance(15 * 60 + 1)
    with pytest.raises(server.streams.exceptions.ExpiredIteratorException) as excinfo:
        server.streams.get_records(ShardIterator=stale)
    assert error_of(excinfo) == (
        "ExpiredIteratorException",
        "The provided iterator exceeds the maximum age allowed.",
    )
    with pytest.raises(server.streams.exceptions.ExpiredIteratorException):
        server.streams.get_records(ShardIterator=following)
    assert server.streams.get_records(ShardIterator=latest())["Records"] == []


class LineageConsumer:
    """A consumer in the Kinesis-adapter style: it reads a shard only once its parent is
    finished, keeps the last sequence number it processed per shard (iterators expire, so
    it asks for AFTER_SEQUENCE_NUMBER each time) and finishes a shard when GetRecords
    stops returning NextShardIterator."""

    def __init__(self, streams: Any, arn: str) -> None:
        self.streams = streams
        self.arn = arn
        self.finished: set[str] = set()
        self.checkpoints: dict[str, str] = {}
        self.seen: list[dict[str, Any]] = []

    def poll(self) -> None:
        shards = all_shards(self.streams, self.arn)
        listed = {shard["ShardId"] for shard in shards}
        for shard in shards:
            shard_id, parent = shard["ShardId"], shard.get("ParentShardId")
            if shard_id in self.finished:
                continue
            if parent is not None and parent in listed and parent not in self.finished:
                continue  # the parent's records come first
            self._read(shard_id)

    def _read(self, shard_id: str) -> None:
        position: dict[str, Any] = {"ShardIteratorType": "TRIM_HORIZON"}
        if shard_id in self.checkpoints:
            position = {
                "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                "SequenceNumber": self.checkpoints[shard_id],
            }
        iterator: str | None = self.streams.get_shard_iterator(
            StreamArn=self.arn, ShardId=shard_id, **position
        )["ShardIterator"]
        while iterator is not None:
            answer = self.streams.get_records(ShardIterator=iterator, Limit=7)
            for record in answer["Records"]:
                self.seen.append(record)
                self.checkpoints[shard_id] = record["dynamodb"]["SequenceNumber"]
            iterator = answer.get("NextShardIterator")
            if iterator is None:
                self.finished.add(shard_id)
            elif not answer["Records"]:
                return


def test_a_consumer_following_lineage_sees_every_change_once_in_order(
    server: VirtualServer,
) -> None:
    name = server.table_name("lineage")
    arn = create_stream_table(server.dynamodb, name, "NEW_IMAGE", sort_key=False)["LatestStreamArn"]
    consumer = LineageConsumer(server.streams, arn)
    keys = [f"k{index}" for index in range(12)]
    rounds = 6
    for version in range(rounds):
        # Two writes per key per round; between rounds every shard comes due: the first
        # write to a shard rolls it over, the maintenance pass rolls over idle ones.
        put(server.dynamodb, name, *[item(key, v=2 * version) for key in keys[: 6 + version]])
        consumer.poll()
        put(server.dynamodb, name, *[item(key, v=2 * version + 1) for key in keys[: 6 + version]])
        server.clock.advance(ROLLOVER + 1)
        if version % 2:
            maintenance.run_once(server.running.server)
    consumer.poll()
    consumer.poll()
    versions: dict[str, list[int]] = {}
    for record in consumer.seen:
        key = record["dynamodb"]["Keys"]["pk"]["S"]
        versions.setdefault(key, []).append(int(record["dynamodb"]["NewImage"]["v"]["N"]))
    expected = {
        key: [v for v in range(2 * rounds) if 6 + v // 2 > index]
        for index, key in enumerate(keys[: 5 + rounds])
    }
    assert versions == expected
    assert len({r["eventID"] for r in consumer.seen}) == len(consumer.seen)
    shards = all_shards(server.streams, arn)
    assert len(shards) > 2 * rounds  # two shards, rolled over most rounds
    by_id = {shard["ShardId"]: shard for shard in shards}
    for shard in shards:
        parent = by_id.get(shard.get("ParentShardId", ""))
        if parent is None:
            continue
        ending = int(parent["SequenceNumberRange"]["EndingSequenceNumber"])
        assert int(shard["SequenceNumberRange"]["StartingSequenceNumber"]) > ending
        children = server.streams.describe_stream(
            StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": parent["ShardId"]}
        )["StreamDescription"]["Shards"]
        assert [child["ShardId"] for child in children] == [shard["ShardId"]]


def test_disabled_streams_expire_after_24_hours(server: VirtualServer) -> None:
    name = server.table_name("expire")
    arn = create_stream_table(server.dynamodb, name, "KEYS_ONLY", sort_key=False)["LatestStreamArn"]
    put(server.dynamodb, name, item("k"))
    server.dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    server.clock.advance(DAY - 1)
    assert len(read_stream(server.streams, arn)) == 1
    assert [s["StreamArn"] for s in server.streams.list_streams(TableName=name)["Streams"]] == [arn]
    server.clock.advance(2)
    with pytest.raises(server.streams.exceptions.ResourceNotFoundException) as excinfo:
        server.streams.describe_stream(StreamArn=arn)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Stream: {arn} not found",
    )
    assert server.streams.list_streams(TableName=name)["Streams"] == []
    maintenance.run_once(server.running.server)
    assert server.running.server.engine.streams_of_table(name) == []


def test_stream_statuses_follow_the_transient_delay() -> None:
    with virtual_server(delay_transient_statuses=True, transient_status_seconds=30) as server:
        name = server.table_name("statuses")
        arn = create_stream_table(server.dynamodb, name, "KEYS_ONLY")["LatestStreamArn"]

        def status() -> str:
            described = server.streams.describe_stream(StreamArn=arn)["StreamDescription"]
            text: str = described["StreamStatus"]
            return text

        assert status() == "ENABLING"
        server.clock.advance(31)
        assert status() == "ENABLED"
        server.dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
        assert status() == "DISABLING"
        server.clock.advance(31)
        assert status() == "DISABLED"
