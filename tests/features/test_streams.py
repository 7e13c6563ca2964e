"""DynamoDB Streams through boto3's ``dynamodbstreams`` client: records, the four
operations, shards, iterators, disabling and re-enabling. Time-based behaviour
(retention, iterator expiry, rollover) is in test_streams_time.py.

Sources: behaviours.md section 5 and its addendum, the botocore dynamodbstreams model,
Alternator's test_streams.py (run against the service) for which mistakes answer
ValidationException. Writes go through BatchWriteItem, the write path every change
takes (api/changes.write_change).
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import REGION, error_of
from stream_fixtures import (
    all_shards,
    create_stream_table,
    delete,
    drain,
    put,
    read_stream,
    streams_client_for,
)

ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def streams(endpoint: str) -> Any:
    return streams_client_for(endpoint)


@pytest.fixture
def new_table(dynamodb: Any, table_name: str) -> Iterator[Callable[..., dict[str, Any]]]:
    """``new_table(view_type, sort_key=True)`` -> TableDescription; deleted afterwards."""
    created: list[str] = []

    def make(view_type: str | None = "NEW_AND_OLD_IMAGES", sort_key: bool = True) -> Any:
        name = f"{table_name}-{len(created)}"
        created.append(name)
        return create_stream_table(dynamodb, name, view_type, sort_key)

    yield make
    for name in created:
        with contextlib.suppress(dynamodb.exceptions.ResourceNotFoundException):
            dynamodb.delete_table(TableName=name)


def item(pk: str, sk: str = "a", **attributes: Any) -> dict[str, Any]:
    values = {"pk": {"S": pk}, "sk": {"S": sk}}
    for name, value in attributes.items():
        values[name] = {"N": str(value)} if isinstance(value, int) else {"S": value}
    return values


def key(pk: str, sk: str = "a") -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


# --- records -----------------------------------------------------------------------------


def test_records_have_dynamodbs_format(dynamodb: Any, streams: Any, new_table: Any) -> None:
    table = new_table("NEW_AND_OLD_IMAGES")
    name, arn = table["TableName"], table["LatestStreamArn"]
    put(dynamodb, name, item("p1", color="red"))
    put(dynamodb, name, item("p1", color="blue"))
    delete(dynamodb, name, key("p1"))
    found = read_stream(streams, arn)
    assert [record["eventName"] for record in found] == ["INSERT", "MODIFY", "REMOVE"]
    insert, modify, remove = found
    assert set(insert) == {
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
    }
    assert re.fullmatch(r"[0-9a-f]{32}", insert["eventID"])
    assert len({record["eventID"] for record in found}) == 3
    assert insert["eventVersion"] == "1.1"
    assert insert["eventSource"] == "aws:dynamodb"
    assert insert["awsRegion"] == REGION
    assert set(insert["dynamodb"]) == {
        "ApproximateCreationDateTime",
        "Keys",
        "NewImage",
        "SequenceNumber",
        "SizeBytes",
        "StreamViewType",
    }
    assert isinstance(insert["dynamodb"]["ApproximateCreationDateTime"], datetime.datetime)
    assert insert["dynamodb"]["Keys"] == key("p1")
    assert insert["dynamodb"]["NewImage"] == item("p1", color="red")
    assert insert["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert modify["dynamodb"]["OldImage"] == item("p1", color="red")
    assert modify["dynamodb"]["NewImage"] == item("p1", color="blue")
    assert remove["dynamodb"]["OldImage"] == item("p1", color="blue")
    assert "NewImage" not in remove["dynamodb"]
    numbers = [record["dynamodb"]["SequenceNumber"] for record in found]
    assert all(number.isdecimal() and 21 <= len(number) <= 40 for number in numbers)
    assert [int(number) for number in numbers] == sorted(int(number) for number in numbers)
    assert len(set(numbers)) == 3


@pytest.mark.parametrize(
    ("view_type", "images"),
    [
        ("KEYS_ONLY", [set(), set(), set()]),
        ("NEW_IMAGE", [{"NewImage"}, {"NewImage"}, set()]),
        ("OLD_IMAGE", [set(), {"OldImage"}, {"OldImage"}]),
        ("NEW_AND_OLD_IMAGES", [{"NewImage"}, {"NewImage", "OldImage"}, {"OldImage"}]),
    ],
)
def test_view_type_decides_the_images(
    dynamodb: Any, streams: Any, new_table: Any, view_type: str, images: list[set[str]]
) -> None:
    table = new_table(view_type)
    name = table["TableName"]
    put(dynamodb, name, item("p", n=1))
    put(dynamodb, name, item("p", n=2))
    delete(dynamodb, name, key("p"))
    found = read_stream(streams, table["LatestStreamArn"])
    assert [record["eventName"] for record in found] == ["INSERT", "MODIFY", "REMOVE"]
    for record, expected in zip(found, images, strict=True):
        assert {"NewImage", "OldImage"} & set(record["dynamodb"]) == expected
        assert record["dynamodb"]["Keys"] == key("p")
        assert record["dynamodb"]["StreamViewType"] == view_type


def test_size_bytes_match_the_developer_guide_example(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    """DG Streams.Lambda.Tutorial: Keys {Id: 101} with Message "New item!" -> 26 bytes,
    changed to "This item has changed" -> 59, deleted -> 38 (NEW_AND_OLD_IMAGES)."""
    table = new_table("NEW_AND_OLD_IMAGES", sort_key=False)
    name = table["TableName"]
    # The tutorial's key is Id (N); ours is pk (S) "101": the same 5 bytes as Id + N 101.
    put(dynamodb, name, {"pk": {"S": "101"}, "Message": {"S": "New item!"}})
    put(dynamodb, name, {"pk": {"S": "101"}, "Message": {"S": "This item has changed"}})
    delete(dynamodb, name, {"pk": {"S": "101"}})
    found = read_stream(streams, table["LatestStreamArn"])
    assert [record["dynamodb"]["SizeBytes"] for record in found] == [26, 59, 38]


def test_a_write_that_changes_nothing_emits_no_record(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("KEYS_ONLY")
    name = table["TableName"]
    first = {"pk": {"S": "p"}, "sk": {"S": "a"}, "tags": {"SS": ["x", "y"]}, "n": {"N": "1.50"}}
    put(dynamodb, name, first)
    # Same item: attributes in another order, set members reordered, the number spelled
    # differently but equal.
    put(
        dynamodb,
        name,
        {"n": {"N": "1.5"}, "tags": {"SS": ["y", "x"]}, "sk": {"S": "a"}, "pk": {"S": "p"}},
    )
    delete(dynamodb, name, key("absent"))
    put(dynamodb, name, dict(first, n={"N": "2"}))
    found = read_stream(streams, table["LatestStreamArn"])
    assert [record["eventName"] for record in found] == ["INSERT", "MODIFY"]


def test_changes_before_the_stream_is_enabled_are_not_recorded(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table(None)
    name = table["TableName"]
    put(dynamodb, name, item("before"))
    answer = dynamodb.update_table(
        TableName=name,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )["TableDescription"]
    put(dynamodb, name, item("after"))
    found = read_stream(streams, answer["LatestStreamArn"])
    assert [record["dynamodb"]["Keys"]["pk"]["S"] for record in found] == ["after"]


def test_every_change_of_a_batch_is_recorded_once_in_key_order(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("NEW_IMAGE")
    name = table["TableName"]
    for version in range(5):
        put(dynamodb, name, *[item(f"p{index}", v=version) for index in range(20)])
    found = read_stream(streams, table["LatestStreamArn"])
    assert len(found) == 100
    versions: dict[str, list[int]] = {}
    for record in found:
        pk = record["dynamodb"]["Keys"]["pk"]["S"]
        versions.setdefault(pk, []).append(int(record["dynamodb"]["NewImage"]["v"]["N"]))
    assert versions == {f"p{index}": [0, 1, 2, 3, 4] for index in range(20)}


def test_every_item_operation_records_its_change(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    """Alternator's do_updates_1 sequence (run against the service): a repeated identical
    PutItem, a DeleteItem of a missing item and an UpdateItem that changes nothing leave no
    record; UpdateItem creating an item is an INSERT."""
    table = new_table("NEW_AND_OLD_IMAGES")
    name = table["TableName"]
    dynamodb.put_item(TableName=name, Item=item("p", x=2))
    dynamodb.put_item(TableName=name, Item=item("p", x=2))
    dynamodb.put_item(TableName=name, Item=item("p", y=3))
    dynamodb.delete_item(TableName=name, Key=key("p"))
    dynamodb.delete_item(TableName=name, Key=key("p"))
    dynamodb.update_item(
        TableName=name,
        Key=key("p"),
        UpdateExpression="SET b = :v",
        ExpressionAttributeValues={":v": {"N": "4"}},
    )
    dynamodb.update_item(
        TableName=name,
        Key=key("p"),
        UpdateExpression="SET x = :v",
        ExpressionAttributeValues={":v": {"N": "5"}},
    )
    dynamodb.update_item(
        TableName=name,
        Key=key("p"),
        UpdateExpression="SET x = :v",
        ExpressionAttributeValues={":v": {"N": "5"}},
    )
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(
            TableName=name, Item=item("p", z=1), ConditionExpression="attribute_not_exists(pk)"
        )
    put(dynamodb, name, item("p", x=5))
    found = read_stream(streams, table["LatestStreamArn"])
    assert [
        (r["eventName"], r["dynamodb"].get("OldImage"), r["dynamodb"].get("NewImage"))
        for r in found
    ] == [
        ("INSERT", None, item("p", x=2)),
        ("MODIFY", item("p", x=2), item("p", y=3)),
        ("REMOVE", item("p", y=3), None),
        ("INSERT", None, item("p", b=4)),
        ("MODIFY", item("p", b=4), item("p", b=4, x=5)),
        ("MODIFY", item("p", b=4, x=5), item("p", x=5)),
    ]


# --- ListStreams and DescribeStream ------------------------------------------------------


def test_list_streams_names_the_tables_latest_stream(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("KEYS_ONLY")
    name, arn = table["TableName"], table["LatestStreamArn"]
    label = table["LatestStreamLabel"]
    assert arn == f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}/stream/{label}"
    assert dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"] == arn
    answer = streams.list_streams(TableName=name)
    assert answer["Streams"] == [{"StreamArn": arn, "TableName": name, "StreamLabel": label}]
    assert "LastEvaluatedStreamArn" not in answer
    assert streams.list_streams(TableName=f"{name}-none")["Streams"] == []


def test_list_streams_pages(endpoint: str, dynamodb: Any, new_table: Any) -> None:
    own = streams_client_for(endpoint)
    arns = sorted(new_table("KEYS_ONLY")["LatestStreamArn"] for _ in range(3))
    seen: list[str] = []
    answer = own.list_streams(Limit=1)
    while True:
        assert len(answer["Streams"]) <= 1
        seen += [stream["StreamArn"] for stream in answer["Streams"]]
        if "LastEvaluatedStreamArn" not in answer:
            break
        answer = own.list_streams(Limit=1, ExclusiveStartStreamArn=answer["LastEvaluatedStreamArn"])
    assert [arn for arn in seen if arn in arns] == arns
    assert seen == sorted(seen)


def test_describe_stream_lists_the_shards(dynamodb: Any, streams: Any, new_table: Any) -> None:
    table = new_table("OLD_IMAGE")
    arn = table["LatestStreamArn"]
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamArn"] == arn
    assert description["StreamLabel"] == table["LatestStreamLabel"]
    assert description["StreamStatus"] == "ENABLED"
    assert description["StreamViewType"] == "OLD_IMAGE"
    assert description["TableName"] == table["TableName"]
    assert description["KeySchema"] == table["KeySchema"]
    assert isinstance(description["CreationRequestDateTime"], datetime.datetime)
    shards = description["Shards"]
    assert len(shards) == 4  # --stream-shards default
    assert [shard["ShardId"] for shard in shards] == sorted(shard["ShardId"] for shard in shards)
    for shard in shards:
        assert re.fullmatch(r"shardId-\d{20}-[0-9a-f]{8}", shard["ShardId"])
        assert "ParentShardId" not in shard
        assert shard["SequenceNumberRange"]["StartingSequenceNumber"].isdecimal()
        assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]  # open


def test_describe_stream_pages_by_shard(streams: Any, new_table: Any) -> None:
    arn = new_table("KEYS_ONLY")["LatestStreamArn"]
    every = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    assert all_shards(streams, arn, page=1) == every
    first = streams.describe_stream(StreamArn=arn, Limit=3)["StreamDescription"]
    assert first["LastEvaluatedShardId"] == first["Shards"][-1]["ShardId"]
    last = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=every[-1]["ShardId"])
    assert last["StreamDescription"]["Shards"] == []
    # An id of no shard is not an error (the service answers the shards after it).
    unknown = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId="shardId-" + "z" * 30)
    assert unknown["StreamDescription"]["Shards"] == []


def test_records_of_a_partition_go_to_one_shard(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("KEYS_ONLY")
    name, arn = table["TableName"], table["LatestStreamArn"]
    put(dynamodb, name, *[item(f"p{index}", sk) for index in range(8) for sk in "abc"])
    shards_of: dict[str, set[str]] = {}
    for shard in all_shards(streams, arn):
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for record in drain(streams, iterator)[0]:
            pk = record["dynamodb"]["Keys"]["pk"]["S"]
            shards_of.setdefault(pk, set()).add(shard["ShardId"])
    assert len(shards_of) == 8
    assert all(len(found) == 1 for found in shards_of.values())
    assert len(set().union(*shards_of.values())) > 1  # 8 partitions spread over 4 shards


# --- GetShardIterator and GetRecords -----------------------------------------------------


def _shard_of(streams: Any, arn: str, dynamodb: Any, name: str, pk: str) -> str:
    """The shard that holds partition ``pk`` (write once, find where it went)."""
    put(dynamodb, name, item(pk, "probe"))
    for shard in all_shards(streams, arn):
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        if drain(streams, iterator)[0]:
            shard_id: str = shard["ShardId"]
            return shard_id
    raise AssertionError("the probe record is in no shard")


def test_iterator_types(dynamodb: Any, streams: Any, new_table: Any) -> None:
    table = new_table("NEW_IMAGE")
    name, arn = table["TableName"], table["LatestStreamArn"]
    shard_id = _shard_of(streams, arn, dynamodb, name, "p")

    def iterator(kind: str, **extra: Any) -> str:
        answer = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **extra
        )
        text: str = answer["ShardIterator"]
        assert text.startswith(arn + "|")
        return text

    latest = iterator("LATEST")
    put(dynamodb, name, item("p", "b"), item("p", "c"))
    after_latest = drain(streams, latest)[0]
    assert [record["dynamodb"]["Keys"]["sk"]["S"] for record in after_latest] == ["b", "c"]
    everything = drain(streams, iterator("TRIM_HORIZON"))[0]
    assert [record["dynamodb"]["Keys"]["sk"]["S"] for record in everything] == ["probe", "b", "c"]
    second = everything[1]["dynamodb"]["SequenceNumber"]
    at = drain(streams, iterator("AT_SEQUENCE_NUMBER", SequenceNumber=second))[0]
    assert [record["dynamodb"]["SequenceNumber"] for record in at] == [
        record["dynamodb"]["SequenceNumber"] for record in everything[1:]
    ]
    after = drain(streams, iterator("AFTER_SEQUENCE_NUMBER", SequenceNumber=second))[0]
    assert [record["dynamodb"]["Keys"]["sk"]["S"] for record in after] == ["c"]
    starting = all_shards(streams, arn)
    start = next(shard for shard in starting if shard["ShardId"] == shard_id)
    from_start = iterator(
        "AT_SEQUENCE_NUMBER", SequenceNumber=start["SequenceNumberRange"]["StartingSequenceNumber"]
    )
    assert len(drain(streams, from_start)[0]) == 3


def test_get_records_pages_with_limit_and_next_iterator(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("KEYS_ONLY")
    name, arn = table["TableName"], table["LatestStreamArn"]
    shard_id = _shard_of(streams, arn, dynamodb, name, "p")
    put(dynamodb, name, *[item("p", f"s{index:02d}") for index in range(10)])
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    pages = []
    while True:
        answer = streams.get_records(ShardIterator=iterator, Limit=4)
        assert "NextShardIterator" in answer  # an open shard always has one
        iterator = answer["NextShardIterator"]
        if not answer["Records"]:
            break
        pages.append([record["dynamodb"]["Keys"]["sk"]["S"] for record in answer["Records"]])
    assert [len(page) for page in pages] == [4, 4, 3]
    assert [sk for page in pages for sk in page] == ["probe"] + [f"s{i:02d}" for i in range(10)]
    # The last iterator sees what comes next, once.
    put(dynamodb, name, item("p", "z"))
    assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in drain(streams, iterator)[0]] == ["z"]


# --- errors ------------------------------------------------------------------------------


def _error(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(Exception) as excinfo:
        call()
    return error_of(excinfo)


def test_limit_above_the_maximum_is_a_validation_error(streams: Any, new_table: Any) -> None:
    arn = new_table("KEYS_ONLY")["LatestStreamArn"]
    shard_id = all_shards(streams, arn)[0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType="LATEST"
    )["ShardIterator"]
    assert streams.get_records(ShardIterator=iterator, Limit=1000)["Records"] == []
    prefix = "1 validation error detected: Value '{}' at 'limit' failed to satisfy constraint: "
    assert _error(lambda: streams.get_records(ShardIterator=iterator, Limit=1001)) == (
        "ValidationException",
        prefix.format(1001) + "Member must have value less than or equal to 1000",
    )
    assert _error(lambda: streams.describe_stream(StreamArn=arn, Limit=101)) == (
        "ValidationException",
        prefix.format(101) + "Member must have value less than or equal to 100",
    )
    assert _error(lambda: streams.list_streams(Limit=101)) == (
        "ValidationException",
        prefix.format(101) + "Member must have value less than or equal to 100",
    )


def test_unknown_streams_and_shards(streams: Any, new_table: Any) -> None:
    arn = new_table("KEYS_ONLY")["LatestStreamArn"]
    shard_id = all_shards(streams, arn)[0]["ShardId"]
    missing = arn.rsplit("/", 1)[0] + "/2000-01-01T00:00:00.000"
    assert _error(lambda: streams.describe_stream(StreamArn=missing)) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Stream: {missing} not found",
    )
    assert (
        _error(
            lambda: streams.get_shard_iterator(
                StreamArn=missing, ShardId=shard_id, ShardIteratorType="LATEST"
            )
        )[0]
        == "ResourceNotFoundException"
    )
    assert _error(
        lambda: streams.get_shard_iterator(
            StreamArn=arn,
            ShardId="shardId-00000000000000000000-00000000",
            ShardIteratorType="LATEST",
        )
    ) == ("ResourceNotFoundException", "Requested resource not found: Shard does not exist")
    malformed = "arn:aws:dynamodb:us-east-1:000000000000:table/nostream-here"
    for call in (
        lambda: streams.describe_stream(StreamArn=malformed),
        lambda: streams.get_shard_iterator(
            StreamArn=malformed, ShardId=shard_id, ShardIteratorType="LATEST"
        ),
        lambda: streams.list_streams(ExclusiveStartStreamArn=malformed),
    ):
        assert _error(call) == ("ValidationException", "Invalid StreamArn")


def test_iterator_mistakes_are_validation_errors(streams: Any, new_table: Any) -> None:
    arn = new_table("KEYS_ONLY")["LatestStreamArn"]
    shard = all_shards(streams, arn)[0]
    shard_id = shard["ShardId"]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]

    def get(kind: str, **extra: Any) -> Any:
        return streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **extra
        )

    code, message = _error(lambda: get("AT_SEQUENCE_NUMBER"))
    assert code == "ValidationException"
    assert message.endswith("Request specified AT_SEQUENCE_NUMBER and no SequenceNumber.")
    code, message = _error(lambda: get("LATEST", SequenceNumber=start))
    assert code == "ValidationException"
    assert message.endswith("Request specified LATEST and a SequenceNumber.")
    for bad in ("1" * 39, "x" * 25, str(int(start) + 10**12)):
        code, message = _error(lambda bad=bad: get("AFTER_SEQUENCE_NUMBER", SequenceNumber=bad))
        assert (code, message) == (
            "ValidationException",
            f"Invalid SequenceNumber {bad} for shard {shard_id}",
        )
    for iterator in ("x" * 60, f"{arn}|1|bm90IGFuIGl0ZXJhdG9y", f"{arn}|7|abc"):
        assert _error(lambda iterator=iterator: streams.get_records(ShardIterator=iterator)) == (
            "ValidationException",
            "Invalid ShardIterator",
        )


# --- disabling, re-enabling, deleting ------------------------------------------------------


def test_disabled_stream_stays_readable_and_reenabling_makes_a_new_one(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("NEW_IMAGE")
    name, old_arn = table["TableName"], table["LatestStreamArn"]
    put(dynamodb, name, item("p", "1"))
    iterators = {
        shard["ShardId"]: streams.get_shard_iterator(
            StreamArn=old_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for shard in all_shards(streams, old_arn)
    }
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    put(dynamodb, name, item("p", "2"))  # no stream: not recorded anywhere
    old = streams.describe_stream(StreamArn=old_arn)["StreamDescription"]
    assert old["StreamStatus"] == "DISABLED"
    assert all("EndingSequenceNumber" in shard["SequenceNumberRange"] for shard in old["Shards"])
    # Iterators taken before disabling read to the end, then NextShardIterator is absent.
    found = []
    for iterator in iterators.values():
        records, following = drain(streams, iterator)
        assert following is None
        found += records
    assert [record["dynamodb"]["Keys"]["sk"]["S"] for record in found] == ["1"]
    answer = dynamodb.update_table(
        TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )["TableDescription"]
    new_arn = answer["LatestStreamArn"]
    assert new_arn != old_arn
    put(dynamodb, name, item("p", "3"))
    listed = streams.list_streams(TableName=name)["Streams"]
    assert sorted(stream["StreamArn"] for stream in listed) == sorted([old_arn, new_arn])
    assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in read_stream(streams, new_arn)] == ["3"]
    assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in read_stream(streams, old_arn)] == ["1"]
    assert streams.describe_stream(StreamArn=new_arn)["StreamDescription"]["StreamStatus"] == (
        "ENABLED"
    )


def test_changing_the_view_type_of_an_enabled_stream_is_refused(
    dynamodb: Any, new_table: Any
) -> None:
    name = new_table("KEYS_ONLY")["TableName"]
    assert _error(
        lambda: dynamodb.update_table(
            TableName=name,
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
    ) == ("ValidationException", f"Table already has an enabled stream: TableName: {name}")


def test_deleting_the_table_disables_its_stream(
    dynamodb: Any, streams: Any, new_table: Any
) -> None:
    table = new_table("NEW_IMAGE")
    name, arn = table["TableName"], table["LatestStreamArn"]
    put(dynamodb, name, item("p"))
    dynamodb.delete_table(TableName=name)
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "DISABLED"
    assert description["TableName"] == name
    assert [r["eventName"] for r in read_stream(streams, arn)] == ["INSERT"]
    assert [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]] == [arn]
