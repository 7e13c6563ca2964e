"""Query: key conditions, order, Limit, filters, projections, Select, capacity, errors.

Texts are DynamoDB's; each test names its source when it is not in errors.py.
Paging through large partitions is in test_paging.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

from openddb.model.attribute_value import validate_item


def put_all(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        dynamodb.batch_write_item(
            RequestItems={
                table: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            }
        )


def query(dynamodb: Any, table: str, **request: Any) -> dict[str, Any]:
    return dynamodb.query(TableName=table, **request)  # type: ignore[no-any-return]


def sorts(answer: dict[str, Any], kind: str = "N") -> list[str]:
    return [item["sk"][kind] for item in answer["Items"]]


def failure(dynamodb: Any, table: str, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.query(TableName=table, **request)
    return error_of(excinfo)


@pytest.fixture
def numbers(dynamodb: Any, make_table: Any) -> str:
    """Partition "p" with sort keys -3 .. 9 (N), v = sk % 3; partition "q" with one item."""
    table = make_table("pk", "S", "sk", "N")
    items = [
        {"pk": {"S": "p"}, "sk": {"N": str(sort)}, "v": {"N": str(sort % 3)}}
        for sort in range(-3, 10)
    ]
    put_all(dynamodb, table, [*items, {"pk": {"S": "q"}, "sk": {"N": "1"}}])
    return table


P = {":p": {"S": "p"}}


@pytest.mark.parametrize(
    "condition,values,expected",
    [
        ("pk = :p", {}, [str(n) for n in range(-3, 10)]),
        ("pk = :p AND sk = :a", {":a": {"N": "4"}}, ["4"]),
        ("pk = :p AND sk < :a", {":a": {"N": "0"}}, ["-3", "-2", "-1"]),
        ("pk = :p AND sk <= :a", {":a": {"N": "0"}}, ["-3", "-2", "-1", "0"]),
        ("pk = :p AND sk > :a", {":a": {"N": "7"}}, ["8", "9"]),
        ("pk = :p AND sk >= :a", {":a": {"N": "7.0"}}, ["7", "8", "9"]),
        ("pk = :p AND :a > sk", {":a": {"N": "-2"}}, ["-3"]),
        (
            "pk = :p AND sk BETWEEN :a AND :b",
            {":a": {"N": "-1"}, ":b": {"N": "2"}},
            ["-1", "0", "1", "2"],
        ),
        ("pk = :p AND sk BETWEEN :a AND :b", {":a": {"N": "2.5"}, ":b": {"N": "2.6"}}, []),
    ],
)
def test_sort_key_conditions(
    dynamodb: Any, numbers: str, condition: str, values: dict[str, Any], expected: list[str]
) -> None:
    answer = query(
        dynamodb,
        numbers,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={**P, **values},
    )
    assert sorts(answer) == expected
    assert answer["Count"] == answer["ScannedCount"] == len(expected)
    assert "LastEvaluatedKey" not in answer
    backwards = query(
        dynamodb,
        numbers,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={**P, **values},
        ScanIndexForward=False,
    )
    assert sorts(backwards) == expected[::-1]


def test_begins_with_on_strings_and_binary(dynamodb: Any, make_table: Any) -> None:
    strings = make_table("pk", "S", "sk", "S")
    keys = ["a", "ab", "abc", "abd", "ac", "b", "ÿ", "ÿÿ", "ÿa"]
    put_all(dynamodb, strings, [{"pk": {"S": "p"}, "sk": {"S": key}} for key in keys])
    answer = query(
        dynamodb,
        strings,
        KeyConditionExpression="pk = :p AND begins_with(sk, :s)",
        ExpressionAttributeValues={**P, ":s": {"S": "ab"}},
    )
    assert sorts(answer, "S") == ["ab", "abc", "abd"]
    answer = query(
        dynamodb,
        strings,
        KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
            "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ÿ"}]},
        },
    )
    assert sorts(answer, "S") == ["ÿ", "ÿa", "ÿÿ"]
    binary = make_table("pk", "S", "sk", "B")
    blobs = [b"\x00", b"\x01", b"\xff", b"\xff\x00", b"\xff\xff", b"\xff\xff\x01"]
    put_all(dynamodb, binary, [{"pk": {"S": "p"}, "sk": {"B": blob}} for blob in blobs])
    answer = query(
        dynamodb,
        binary,
        KeyConditionExpression="pk = :p AND begins_with(sk, :b)",
        ExpressionAttributeValues={**P, ":b": {"B": b"\xff\xff"}},
    )
    assert sorts(answer, "B") == [b"\xff\xff", b"\xff\xff\x01"]
    everything = query(
        dynamodb, binary, KeyConditionExpression="pk = :p", ExpressionAttributeValues=P
    )
    assert sorts(everything, "B") == sorted(blobs)  # unsigned byte order


def test_number_sort_keys_order_numerically(dynamodb: Any, make_table: Any) -> None:
    table = make_table("pk", "S", "sk", "N")
    ordered = [
        "-2E+10",
        "-710",
        "-4.1",
        "-0.1",
        "-0.00001",
        "0",
        "0.00002",
        "0.15",
        "1",
        "1.00000000000000000000000001",
        "3.14159",
        "31.4",
        "14000000000",
    ]
    put_all(dynamodb, table, [{"pk": {"S": "p"}, "sk": {"N": n}} for n in reversed(ordered)])
    answer = query(dynamodb, table, KeyConditionExpression="pk = :p", ExpressionAttributeValues=P)
    assert [float(n) for n in sorts(answer)] == [float(n) for n in ordered]


def test_limit_counts_items_read_before_the_filter(dynamodb: Any, numbers: str) -> None:
    """Developer Guide "Limiting the number of items in the result set": with Limit 6
    and a filter, DynamoDB reads six items and returns those that match."""
    answer = query(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p",
        FilterExpression="v = :zero",
        ExpressionAttributeValues={**P, ":zero": {"N": "0"}},
        Limit=6,
    )
    assert sorts(answer) == ["-3", "0"]
    assert (answer["Count"], answer["ScannedCount"]) == (2, 6)
    assert answer["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "2"}}
    unfiltered = query(
        dynamodb, numbers, KeyConditionExpression="pk = :p", ExpressionAttributeValues=P, Limit=6
    )
    assert sorts(unfiltered) == ["-3", "-2", "-1", "0", "1", "2"]


def test_a_page_stopped_by_limit_has_a_last_evaluated_key_even_at_the_end(
    dynamodb: Any, numbers: str
) -> None:
    # The service answers LastEvaluatedKey whenever Limit was reached (dynalite's
    # size-limit tests against DynamoDB: "Limit of 25 includes LastEvaluatedKey").
    answer = query(
        dynamodb, numbers, KeyConditionExpression="pk = :p", ExpressionAttributeValues=P, Limit=13
    )
    assert answer["Count"] == 13
    assert answer["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "9"}}
    after = query(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues=P,
        Limit=13,
        ExclusiveStartKey=answer["LastEvaluatedKey"],
    )
    assert (after["Items"], after["Count"], after["ScannedCount"]) == ([], 0, 0)
    assert "LastEvaluatedKey" not in after
    whole = query(
        dynamodb, numbers, KeyConditionExpression="pk = :p", ExpressionAttributeValues=P, Limit=14
    )
    assert "LastEvaluatedKey" not in whole


def test_exclusive_start_key_resumes_in_both_directions(dynamodb: Any, numbers: str) -> None:
    start = {"pk": {"S": "p"}, "sk": {"N": "4"}}
    forward = query(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
        ExpressionAttributeValues={**P, ":a": {"N": "0"}, ":b": {"N": "7"}},
        ExclusiveStartKey=start,
    )
    assert sorts(forward) == ["5", "6", "7"]
    backward = query(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
        ExpressionAttributeValues={**P, ":a": {"N": "0"}, ":b": {"N": "7"}},
        ExclusiveStartKey=start,
        ScanIndexForward=False,
    )
    assert sorts(backward) == ["3", "2", "1", "0"]
    # The start key need not be an item: 4.5 lies between two.
    between = query(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues=P,
        ExclusiveStartKey={"pk": {"S": "p"}, "sk": {"N": "4.5"}},
        Limit=2,
    )
    assert sorts(between) == ["5", "6"]


def test_hash_only_table(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "x": {"N": "1"}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "b"}})
    answer = query(
        dynamodb,
        table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        Limit=1,
    )
    assert answer["Items"] == [{"pk": {"S": "a"}, "x": {"N": "1"}}]
    assert answer["LastEvaluatedKey"] == {"pk": {"S": "a"}}
    after = query(
        dynamodb,
        table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ExclusiveStartKey=answer["LastEvaluatedKey"],
    )
    assert after["Items"] == []
    empty = query(
        dynamodb,
        table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "zz"}},
    )
    assert (empty["Items"], empty["Count"], empty["ScannedCount"]) == ([], 0, 0)


def test_projections_and_select(dynamodb: Any, make_table: Any) -> None:
    table = make_table("pk", "S", "sk", "N")
    put_all(
        dynamodb,
        table,
        [
            {"pk": {"S": "p"}, "sk": {"N": "1"}, "a": {"M": {"b": {"N": "1"}, "c": {"N": "2"}}}},
            {"pk": {"S": "p"}, "sk": {"N": "2"}, "z": {"S": "no a"}},
        ],
    )
    base = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": P}
    projected = query(
        dynamodb,
        table,
        **base,
        ProjectionExpression="#s, a.c",
        ExpressionAttributeNames={"#s": "sk"},
    )
    assert projected["Items"] == [
        {"sk": {"N": "1"}, "a": {"M": {"c": {"N": "2"}}}},
        {"sk": {"N": "2"}},
    ]
    specific = query(
        dynamodb, table, **base, Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="z"
    )
    assert specific["Items"] == [{}, {"z": {"S": "no a"}}]
    legacy = query(
        dynamodb,
        table,
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}},
        AttributesToGet=["z", "pk"],
    )
    assert legacy["Items"] == [{"pk": {"S": "p"}}, {"pk": {"S": "p"}, "z": {"S": "no a"}}]
    counted = query(dynamodb, table, **base, Select="COUNT")
    assert (counted["Count"], counted["ScannedCount"]) == (2, 2)
    assert "Items" not in counted
    everything = query(dynamodb, table, **base, Select="ALL_ATTRIBUTES")
    assert len(everything["Items"][0]) == 3


def test_legacy_key_conditions_and_query_filter(dynamodb: Any, numbers: str) -> None:
    answer = query(
        dynamodb,
        numbers,
        KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
            "sk": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "0"}]},
        },
        QueryFilter={
            "v": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "2"}]}
        },
    )
    assert sorts(answer) == ["1", "2", "4", "5", "7", "8"]
    assert (answer["Count"], answer["ScannedCount"]) == (6, 9)
    # KeyConditions may go with a FilterExpression (only KeyConditionExpression may not).
    mixed = query(
        dynamodb,
        numbers,
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}},
        FilterExpression="v = :two",
        ExpressionAttributeValues={":two": {"N": "2"}},
    )
    assert sorts(mixed) == ["-1", "2", "5", "8"]


# --- capacity: Developer Guide "Read/write capacity mode" worked examples ---------------------


def filler_item(partition: str, sort: str, size: int) -> dict[str, Any]:
    """An item of exactly ``size`` bytes as DynamoDB counts them."""
    item = {"pk": {"S": partition}, "sk": {"S": sort}, "f": {"S": ""}}
    item["f"]["S"] = "x" * (size - validate_item(dict(item)))
    assert validate_item(item) == size
    return item


def test_capacity_of_1500_items_of_64_bytes_is_24_units(dynamodb: Any, make_table: Any) -> None:
    """ "If a query returns 1500 items of 64 bytes each, the cumulative size is 96 KB"
    (96,000 bytes: 23.4 read units, rounded up once to 24)."""
    table = make_table("pk", "S", "sk", "S")
    put_all(dynamodb, table, [filler_item("p64", f"{n:04}", 64) for n in range(1500)])
    request = {
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": "p64"}},
        "ReturnConsumedCapacity": "TOTAL",
    }
    strong = query(dynamodb, table, **request, ConsistentRead=True)
    assert (strong["Count"], strong["ScannedCount"]) == (1500, 1500)
    assert strong["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": 24.0,
        "ReadCapacityUnits": 24.0,
    }
    eventual = query(dynamodb, table, **request, Select="COUNT")
    assert eventual["ConsumedCapacity"]["CapacityUnits"] == 12.0
    # Capacity counts the items read, whatever the filter keeps or the projection returns.
    filtered = query(
        dynamodb,
        table,
        KeyConditionExpression="pk = :p",
        FilterExpression="f = :none",
        ProjectionExpression="pk",
        ExpressionAttributeValues={":p": {"S": "p64"}, ":none": {"S": "none"}},
        ReturnConsumedCapacity="INDEXES",
        ConsistentRead=True,
    )
    assert (filtered["Count"], filtered["ScannedCount"]) == (0, 1500)
    assert filtered["ConsumedCapacity"]["CapacityUnits"] == 24.0
    assert filtered["ConsumedCapacity"]["Table"] == {
        "CapacityUnits": 24.0,
        "ReadCapacityUnits": 24.0,
    }


def test_capacity_of_10_items_totalling_40_8_kb_is_11_units(dynamodb: Any, make_table: Any) -> None:
    """ "Suppose your query returns 10 items whose combined size is 40.8 KB. DynamoDB
    rounds the item size for the operation to 44 KB": 11 units, 5.5 eventually consistent."""
    table = make_table("pk", "S", "sk", "S")
    sizes = [4178] * 9 + [4177]  # 41,779 bytes = 40.8 KB
    put_all(dynamodb, table, [filler_item("p", f"{n}", size) for n, size in enumerate(sizes)])
    request = {
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": P,
        "ReturnConsumedCapacity": "TOTAL",
    }
    assert (
        query(dynamodb, table, **request, ConsistentRead=True)["ConsumedCapacity"]["CapacityUnits"]
        == 11.0
    )
    assert query(dynamodb, table, **request)["ConsumedCapacity"]["CapacityUnits"] == 5.5
    # Reading each item on its own would cost 2 units apiece: Query rounds once.
    nothing = query(
        dynamodb,
        table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "absent"}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert nothing["ConsumedCapacity"]["CapacityUnits"] == 0.5  # the minimum read


# --- errors --------------------------------------------------------------------------------


def test_key_condition_errors(dynamodb: Any, numbers: str) -> None:
    cases = [
        ("sk = :a", {":a": {"N": "1"}}, "Query condition missed key schema element: pk"),
        ("v = :a", {":a": {"N": "1"}}, "Query condition missed key schema element: pk"),
        (
            "pk = :p OR sk = :a",
            {**P, ":a": {"N": "1"}},
            "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR",
        ),
        (
            "pk = :p AND sk > :a AND sk < :b",
            {**P, ":a": {"N": "1"}, ":b": {"N": "2"}},
            "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one "
            "condition per key",
        ),
        (
            "pk = :p AND begins_with(sk, :a)",
            {**P, ":a": {"N": "1"}},
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N",
        ),
        (
            "pk = :p AND v = :a",
            {**P, ":a": {"N": "1"}},
            "Query condition missed key schema element: sk",
        ),
        (
            "pk = :p AND sk = :a",
            {**P, ":a": {"S": "1"}},
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type",
        ),
    ]
    for condition, values, expected in cases:
        assert failure(
            dynamodb, numbers, KeyConditionExpression=condition, ExpressionAttributeValues=values
        ) == ("ValidationException", expected), condition


def test_key_conditions_are_required(dynamodb: Any, numbers: str) -> None:
    assert failure(dynamodb, numbers) == (
        "ValidationException",
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.",
    )
    assert failure(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p",
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}},
        ExpressionAttributeValues=P,
    ) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {KeyConditions} Expression parameters: "
        "{KeyConditionExpression}",
    )


def test_filters_may_not_read_key_attributes(dynamodb: Any, numbers: str) -> None:
    assert failure(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p",
        FilterExpression="v = :a AND #s > :a",
        ExpressionAttributeNames={"#s": "sk"},
        ExpressionAttributeValues={**P, ":a": {"N": "1"}},
    ) == (
        "ValidationException",
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
    )
    assert failure(
        dynamodb,
        numbers,
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}},
        QueryFilter={"pk": {"ComparisonOperator": "NOT_NULL"}},
    ) == (
        "ValidationException",
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk",
    )
    assert failure(
        dynamodb,
        numbers,
        KeyConditionExpression="pk = :p",
        ProjectionExpression="sk.x",
        ExpressionAttributeValues=P,
    ) == (
        "ValidationException",
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
        "allowed: Key: sk",
    )


SELECT_CASES = [
    (
        {"Select": "ALL_ATTRIBUTES", "ProjectionExpression": "v"},
        "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
    ),
    (
        {"Select": "COUNT", "ProjectionExpression": "v"},
        "Cannot specify the ProjectionExpression when choosing to get only the Count",
    ),
    (
        {"Select": "ALL_PROJECTED_ATTRIBUTES", "ProjectionExpression": "v"},
        "Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES",
    ),
    (
        {"Select": "COUNT", "AttributesToGet": ["v"]},
        "Cannot specify the AttributesToGet when choosing to get only the Count",
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
]


@pytest.mark.parametrize("members,expected", SELECT_CASES)
def test_select_errors(dynamodb: Any, numbers: str, members: dict[str, Any], expected: str) -> None:
    # Query sends these inside the validation framework's envelope (moto's aws_verified tests).
    key = (
        {"KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}}}
        if "AttributesToGet" in members
        else {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": P}
    )
    assert failure(dynamodb, numbers, **key, **members) == (
        "ValidationException",
        f"1 validation error detected: {expected}",
    )


def test_exclusive_start_key_errors(dynamodb: Any, numbers: str) -> None:
    base = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": P}
    ranged = {
        "KeyConditionExpression": "pk = :p AND sk > :a",
        "ExpressionAttributeValues": {**P, ":a": {"N": "5"}},
    }
    cases = [
        (base, {"pk": {"S": "p"}}, "The provided starting key is invalid"),
        (base, {"pk": {"S": "p"}, "other": {"N": "1"}}, "The provided starting key is invalid"),
        (
            base,
            {"pk": {"S": "p"}, "sk": {}},
            "The provided starting key is invalid: Supplied AttributeValue is empty, must "
            "contain exactly one of the supported datatypes",
        ),
        (
            base,
            {"pk": {"S": "p"}, "sk": {"S": "1"}},
            "The provided key element does not match the schema",
        ),
        (
            base,
            {"pk": {"S": "q"}, "sk": {"N": "1"}},
            "The provided starting key is outside query boundaries based on provided conditions",
        ),
        (
            ranged,
            {"pk": {"S": "p"}, "sk": {"N": "5"}},
            "The provided starting key does not match the range key predicate",
        ),
        (
            ranged,
            {"pk": {"S": "q"}, "sk": {"N": "6"}},
            "The query can return at most one row and cannot be restarted",
        ),
    ]
    for request, start, expected in cases:
        assert failure(dynamodb, numbers, **request, ExclusiveStartKey=start) == (
            "ValidationException",
            expected,
        ), start


def test_missing_table_and_indexes(dynamodb: Any, make_table: Any) -> None:
    base = {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": P}
    assert failure(dynamodb, "no-such-table", **base) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )
    table = make_table(
        "pk",
        "S",
        "sk",
        "S",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-sk",
                "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    assert failure(dynamodb, table, **base, IndexName="nope") == (
        "ValidationException",
        "The table does not have the specified index: nope",
    )
    assert failure(dynamodb, table, **base, IndexName="by-sk", ConsistentRead=True) == (
        "ValidationException",
        "Consistent reads are not supported on global secondary indexes",
    )
