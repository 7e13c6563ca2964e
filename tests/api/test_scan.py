"""Scan: order, filters, projections, Select, parallel segments, capacity, errors.

Paging through a 20,000-item table and the 7-segment scan are in test_paging.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

from openddb.model.keys import encode_key_value, hash_token, segment_of


def put_all(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        batch = items[start : start + 25]
        dynamodb.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": item}} for item in batch]}
        )


def failure(dynamodb: Any, table: str, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.scan(TableName=table, **request)
    return error_of(excinfo)


@pytest.fixture
def table(dynamodb: Any, make_table: Any) -> str:
    """40 partitions "k0".."k39", each with sort keys 0 and 1; v = partition number."""
    name = make_table("pk", "S", "sk", "N")
    put_all(
        dynamodb,
        name,
        [
            {"pk": {"S": f"k{n}"}, "sk": {"N": str(sort)}, "v": {"N": str(n)}, "m": {"M": {}}}
            for n in range(40)
            for sort in (0, 1)
        ],
    )
    return name


def token_of(item: dict[str, Any]) -> int:
    return hash_token(encode_key_value("S", item["pk"]["S"]))


def test_scan_returns_items_in_hash_token_then_sort_key_order(dynamodb: Any, table: str) -> None:
    answer = dynamodb.scan(TableName=table)
    assert answer["Count"] == answer["ScannedCount"] == 80
    assert "LastEvaluatedKey" not in answer
    order = [(token_of(item), int(item["sk"]["N"])) for item in answer["Items"]]
    assert order == sorted(order)
    # Stable: the same order every time.
    assert dynamodb.scan(TableName=table)["Items"] == answer["Items"]


def test_filter_projection_and_count(dynamodb: Any, table: str) -> None:
    answer = dynamodb.scan(
        TableName=table,
        FilterExpression="v < :ten AND sk = :one",
        ProjectionExpression="pk, #v",
        ExpressionAttributeNames={"#v": "v"},
        ExpressionAttributeValues={":ten": {"N": "10"}, ":one": {"N": "1"}},
    )
    assert (answer["Count"], answer["ScannedCount"]) == (10, 80)
    assert sorted(int(item["v"]["N"]) for item in answer["Items"]) == list(range(10))
    assert all(set(item) == {"pk", "v"} for item in answer["Items"])
    legacy = dynamodb.scan(
        TableName=table,
        ScanFilter={
            "v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "6"}]},
            "sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "0"}]},
        },
        ConditionalOperator="AND",
        AttributesToGet=["v"],
        Select="SPECIFIC_ATTRIBUTES",
    )
    assert sorted(item["v"]["N"] for item in legacy["Items"]) == ["5", "6"]
    counted = dynamodb.scan(TableName=table, Select="COUNT", Limit=7)
    assert (counted["Count"], counted["ScannedCount"]) == (7, 7)
    assert "Items" not in counted
    assert "LastEvaluatedKey" in counted


def test_segments_split_the_token_space(dynamodb: Any, table: str) -> None:
    everything = dynamodb.scan(TableName=table)["Items"]
    for total in (1, 2, 5):
        union = []
        for segment in range(total):
            items = dynamodb.scan(TableName=table, Segment=segment, TotalSegments=total)["Items"]
            assert all(segment_of(token_of(item), total) == segment for item in items)
            union += items
        assert union == everything  # segments in order are the whole scan, in order


def test_segment_start_key_must_belong_to_the_segment(dynamodb: Any, table: str) -> None:
    first = dynamodb.scan(TableName=table, Segment=0, TotalSegments=2, Limit=1)
    resumed = dynamodb.scan(
        TableName=table, Segment=0, TotalSegments=2, ExclusiveStartKey=first["LastEvaluatedKey"]
    )
    assert resumed["Count"] > 0
    assert failure(
        dynamodb, table, Segment=1, TotalSegments=2, ExclusiveStartKey=first["LastEvaluatedKey"]
    ) == (
        "ValidationException",
        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
        "ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 1",
    )


def test_capacity_sums_the_items_read_then_rounds_once(dynamodb: Any, table: str) -> None:
    answer = dynamodb.scan(
        TableName=table, ReturnConsumedCapacity="TOTAL", FilterExpression="attribute_exists(x)"
    )
    # 80 items of under 20 bytes: one read unit for all of them; eventually consistent: 0.5.
    assert answer["Count"] == 0
    assert answer["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": 0.5,
        "ReadCapacityUnits": 0.5,
    }


def test_segment_errors(dynamodb: Any, table: str) -> None:
    # Live texts (paritysuite/dynamodb-conformance, Scan exact error messages).
    assert failure(dynamodb, table, Segment=0) == (
        "ValidationException",
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present",
    )
    assert failure(dynamodb, table, TotalSegments=4) == (
        "ValidationException",
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present",
    )
    assert failure(dynamodb, table, Segment=5, TotalSegments=5) == (
        "ValidationException",
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: 5 is not less than TotalSegments: 5",
    )


def test_exclusive_start_key_errors(dynamodb: Any, table: str) -> None:
    mismatch = (
        "ValidationException",
        "The provided starting key is invalid: The provided key element does not match the schema",
    )
    assert failure(dynamodb, table, ExclusiveStartKey={"pk": {"S": "k1"}}) == mismatch
    assert failure(dynamodb, table, ExclusiveStartKey={"pk": {"N": "1"}, "sk": {"N": "1"}}) == (
        mismatch
    )
    assert failure(dynamodb, table, ExclusiveStartKey={"pk": {"S": ""}, "sk": {"N": "1"}}) == (
        "ValidationException",
        "The provided starting key is invalid: One or more parameter values are not valid. The "
        "AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
    )


@pytest.mark.parametrize(
    "members,expected",
    [
        (
            {"Select": "COUNT", "ProjectionExpression": "v"},
            "Cannot specify the ProjectionExpression when choosing to get only the Count",
        ),
        (
            {"Select": "ALL_ATTRIBUTES", "AttributesToGet": ["v"]},
            "Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES",
        ),
        (
            {"Select": "ALL_PROJECTED_ATTRIBUTES"},
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        ),
        (
            {"Select": "SPECIFIC_ATTRIBUTES"},
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
            "SPECIFIC_ATTRIBUTES",
        ),
    ],
)
def test_select_errors_are_sent_bare(
    dynamodb: Any, table: str, members: dict[str, Any], expected: str
) -> None:
    # Scan, unlike Query, sends these without the "1 validation error detected" envelope
    # (moto's aws_verified tests).
    assert failure(dynamodb, table, **members) == ("ValidationException", expected)


def test_key_attributes_are_scalars_in_filters(dynamodb: Any, table: str) -> None:
    assert failure(dynamodb, table, FilterExpression="attribute_exists(pk.x)") == (
        "ValidationException",
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
        "allowed: Key: pk",
    )
    # A Scan filter may read key attributes themselves.
    answer = dynamodb.scan(
        TableName=table, FilterExpression="pk = :k", ExpressionAttributeValues={":k": {"S": "k3"}}
    )
    assert answer["Count"] == 2


def test_missing_table(dynamodb: Any) -> None:
    assert failure(dynamodb, "no-such-table") == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )
