"""BatchWriteItem and BatchGetItem through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of


def put(item: dict[str, Any]) -> dict[str, Any]:
    return {"PutRequest": {"Item": item}}


def test_batch_write_then_batch_get_across_tables(dynamodb: Any, make_table: Any) -> None:
    first = make_table()
    second = make_table("id", "N")
    answer = dynamodb.batch_write_item(
        RequestItems={
            first: [put({"pk": {"S": f"k{index}"}, "v": {"N": str(index)}}) for index in range(20)],
            second: [put({"id": {"N": "1"}}), put({"id": {"N": "2"}})],
        }
    )
    assert answer["UnprocessedItems"] == {}
    got = dynamodb.batch_get_item(
        RequestItems={
            first: {"Keys": [{"pk": {"S": "k3"}}, {"pk": {"S": "k7"}}, {"pk": {"S": "absent"}}]},
            second: {"Keys": [{"id": {"N": "2.0"}}], "ConsistentRead": True},
        }
    )
    assert sorted(item["pk"]["S"] for item in got["Responses"][first]) == ["k3", "k7"]
    assert got["Responses"][second] == [{"id": {"N": "2"}}]
    assert got["UnprocessedKeys"] == {}


def test_batch_write_deletes(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "gone"}})
    dynamodb.batch_write_item(
        RequestItems={
            table: [
                {"DeleteRequest": {"Key": {"pk": {"S": "gone"}}}},
                {"DeleteRequest": {"Key": {"pk": {"S": "never-there"}}}},
            ]
        }
    )
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "gone"}})


def test_batch_get_attributes_to_get(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "x": {"N": "1"}, "y": {"N": "2"}})
    got = dynamodb.batch_get_item(
        RequestItems={table: {"Keys": [{"pk": {"S": "a"}}], "AttributesToGet": ["y"]}}
    )
    assert got["Responses"][table] == [{"y": {"N": "2"}}]


def test_batch_capacity_rounds_each_item(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    # 1.5 KB and 6.5 KB items: reads round to 4 + 8 KB = 3 units (Developer Guide example);
    # writes round to 2 + 7 KB = 9 units.
    small = {"pk": {"S": "s"}, "v": {"S": "x" * (1536 - 3)}}
    large = {"pk": {"S": "l"}, "v": {"S": "x" * (6656 - 3)}}
    wrote = dynamodb.batch_write_item(
        RequestItems={table: [put(small), put(large)]}, ReturnConsumedCapacity="TOTAL"
    )
    assert wrote["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 9.0, "WriteCapacityUnits": 9.0}
    ]
    read = dynamodb.batch_get_item(
        RequestItems={
            table: {"Keys": [{"pk": {"S": "s"}}, {"pk": {"S": "l"}}], "ConsistentRead": True}
        },
        ReturnConsumedCapacity="INDEXES",
    )
    assert read["ConsumedCapacity"][0]["CapacityUnits"] == 3.0
    assert read["ConsumedCapacity"][0]["Table"]["CapacityUnits"] == 3.0


def test_batch_write_duplicate_keys(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_write_item(
            RequestItems={
                table: [
                    put({"pk": {"S": "same"}}),
                    {"DeleteRequest": {"Key": {"pk": {"S": "same"}}}},
                ]
            }
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )


def test_batch_get_duplicate_keys(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_get_item(
            RequestItems={table: {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}}
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )


def test_batch_get_more_than_100_keys(dynamodb: Any, make_table: Any) -> None:
    first, second = make_table(), make_table()
    keys = [{"pk": {"S": f"k{index}"}} for index in range(60)]
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_get_item(RequestItems={first: {"Keys": keys}, second: {"Keys": keys}})
    assert error_of(excinfo) == (
        "ValidationException",
        "Too many items requested for the BatchGetItem call",
    )


def test_batch_write_bad_key_rejects_whole_batch(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_write_item(
            RequestItems={
                table: [
                    put({"pk": {"S": "fine"}}),
                    put({"pk": {"N": "1"}}),
                ]
            }
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "fine"}})


def test_batch_write_missing_table(dynamodb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_write_item(RequestItems={"no-such-table": [put({"pk": {"S": "a"}})]})
    assert error_of(excinfo) == ("ResourceNotFoundException", "Requested resource not found")


def test_batch_write_more_than_25_for_one_table(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_write_item(
            RequestItems={table: [put({"pk": {"S": f"k{index}"}}) for index in range(26)]}
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: Value '{")
    assert message.endswith(
        "at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
        "[Member must have length less than or equal to 25, Member must have length greater "
        "than or equal to 1]"
    )


def test_batch_write_item_size_limit(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_write_item(
            RequestItems={table: [put({"pk": {"S": "k"}, "v": {"S": "x" * (400 * 1024)}})]}
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
    )


def test_batch_get_beyond_16_mb_returns_unprocessed_keys(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    big = "x" * (390 * 1024)
    for start in range(0, 50, 25):
        dynamodb.batch_write_item(
            RequestItems={
                table: [
                    put({"pk": {"S": f"k{index}"}, "v": {"S": big}})
                    for index in range(start, start + 25)
                ]
            }
        )
    keys = [{"pk": {"S": f"k{index}"}} for index in range(50)]
    got = dynamodb.batch_get_item(RequestItems={table: {"Keys": keys, "ConsistentRead": True}})
    returned = {item["pk"]["S"] for item in got["Responses"][table]}
    unprocessed = got["UnprocessedKeys"][table]
    assert 0 < len(unprocessed["Keys"]) < 50
    assert unprocessed["ConsistentRead"] is True
    left = {key["pk"]["S"] for key in unprocessed["Keys"]}
    assert returned.isdisjoint(left)
    assert returned | left == {f"k{index}" for index in range(50)}


def test_batch_get_projection_expression_per_table(dynamodb: Any, make_table: Any) -> None:
    first, second = make_table(), make_table("id", "N")
    dynamodb.put_item(
        TableName=first,
        Item={"pk": {"S": "a"}, "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}, "z": {"S": "z"}},
    )
    dynamodb.put_item(TableName=second, Item={"id": {"N": "1"}, "name": {"S": "one"}})
    got = dynamodb.batch_get_item(
        RequestItems={
            first: {
                "Keys": [{"pk": {"S": "a"}}],
                "ProjectionExpression": "#m.y, z",
                "ExpressionAttributeNames": {"#m": "m"},
            },
            second: {"Keys": [{"id": {"N": "1"}}], "ProjectionExpression": "id"},
        }
    )
    assert got["Responses"][first] == [{"m": {"M": {"y": {"N": "2"}}}, "z": {"S": "z"}}]
    assert got["Responses"][second] == [{"id": {"N": "1"}}]


def test_batch_get_projection_errors(dynamodb: Any, make_table: Any) -> None:
    first, second = make_table(), make_table()

    def refused(request_items: dict[str, Any]) -> tuple[str, str]:
        with pytest.raises(ClientError) as excinfo:
            dynamodb.batch_get_item(RequestItems=request_items)
        return error_of(excinfo)

    key = {"Keys": [{"pk": {"S": "a"}}]}
    # Live (paritysuite batchGetItem): one bad entry refuses the whole batch.
    assert refused(
        {
            first: {**key, "ProjectionExpression": "a, a.b"},
            second: {**key, "ProjectionExpression": "a"},
        }
    ) == (
        "ValidationException",
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
        "or rewrite one of these paths; path one: [a], path two: [a, b]",
    )
    mixed = (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}",
    )
    assert refused({first: {**key, "ProjectionExpression": "a", "AttributesToGet": ["a"]}}) == mixed
    assert (
        refused(
            {first: {**key, "ProjectionExpression": "a"}, second: {**key, "AttributesToGet": ["a"]}}
        )
        == mixed
    )
    assert refused(
        {first: {**key, "ProjectionExpression": "a", "ExpressionAttributeNames": {"#n": "n"}}}
    ) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}",
    )
    assert refused({first: {**key, "ExpressionAttributeNames": {"#n": "n"}}}) == (
        "ValidationException",
        "ExpressionAttributeNames can only be specified when using expressions",
    )


def test_batch_get_missing_items_cost_the_minimum_read(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "here"}})
    got = dynamodb.batch_get_item(
        RequestItems={table: {"Keys": [{"pk": {"S": "here"}}, {"pk": {"S": "gone"}}]}},
        ReturnConsumedCapacity="TOTAL",
    )
    # Each key is a read of its own, rounded up to 4 KB: 2 x 0.5 eventually consistent.
    assert got["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 1.0, "ReadCapacityUnits": 1.0}
    ]


def test_batch_write_item_collection_metrics(
    dynamodb: Any, make_table: Any, table_name: str
) -> None:
    with_index = f"{table_name}-lsi"
    dynamodb.create_table(
        TableName=with_index,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-l",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    plain = make_table()
    answer = dynamodb.batch_write_item(
        RequestItems={
            with_index: [
                put({"pk": {"S": "a"}, "sk": {"S": "1"}, "l": {"S": "x"}}),
                put({"pk": {"S": "a"}, "sk": {"S": "2"}}),
                put({"pk": {"S": "b"}, "sk": {"S": "1"}}),
            ],
            plain: [put({"pk": {"S": "a"}})],
        },
        ReturnItemCollectionMetrics="SIZE",
    )
    # Item collections exist only in tables with local secondary indexes; a small one is
    # reported as the range 0 to 1 GB (paritysuite itemCollectionMetrics, live).
    assert answer["ItemCollectionMetrics"] == {
        with_index: [
            {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
            {"ItemCollectionKey": {"pk": {"S": "b"}}, "SizeEstimateRangeGB": [0.0, 1.0]},
        ]
    }
    answer = dynamodb.batch_write_item(RequestItems={plain: [put({"pk": {"S": "b"}})]})
    assert "ItemCollectionMetrics" not in answer
    dynamodb.delete_table(TableName=with_index)
