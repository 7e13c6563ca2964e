"""Global secondary indexes through boto3: sparse and overloaded indexes, projections,
non-unique keys and their paging, index key errors on every write path, read rules and
capacity, DescribeTable's index counters."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of
from index_fixtures import create_table, index, read_all

INVALID = "One or more parameter values were invalid: "


def fails(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int | str) -> dict[str, str]:
    return {"N": str(value)}


def keys_of(items: list[dict[str, Any]], *names: str) -> list[tuple[str, ...]]:
    return [tuple(next(iter(item[name].values())) for name in names) for item in items]


# --- sparse and overloaded indexes ----------------------------------------------------------


def test_sparse_index_holds_only_items_with_the_attribute(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "flagged": "S"},
                 GlobalSecondaryIndexes=[index("flagged", "flagged", projection_type="KEYS_ONLY")])
    for number in range(10):
        item = {"pk": s(f"p{number}"), "sk": s("x")}
        if number % 3 == 0:
            item["flagged"] = s("yes")
        dynamodb.put_item(TableName=table_name, Item=item)
    flagged = read_all(dynamodb.scan, TableName=table_name, IndexName="flagged")
    assert sorted(keys_of(flagged, "pk")) == [("p0",), ("p3",), ("p6",), ("p9",)]
    assert all(set(item) == {"pk", "sk", "flagged"} for item in flagged)
    # Removing the attribute takes the item out; setting it puts the item in; deleting the
    # item takes it out.
    key = {"pk": s("p3"), "sk": s("x")}
    dynamodb.update_item(TableName=table_name, Key=key, UpdateExpression="REMOVE flagged")
    dynamodb.update_item(TableName=table_name, Key={"pk": s("p4"), "sk": s("x")},
                         UpdateExpression="SET flagged = :y",
                         ExpressionAttributeValues={":y": s("yes")})
    dynamodb.delete_item(TableName=table_name, Key={"pk": s("p9"), "sk": s("x")})
    flagged = read_all(dynamodb.query, TableName=table_name, IndexName="flagged",
                       KeyConditionExpression="flagged = :y",
                       ExpressionAttributeValues={":y": s("yes")})
    assert sorted(keys_of(flagged, "pk")) == [("p0",), ("p4",), ("p6",)]
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    assert described["ItemCount"] == 9
    assert described["GlobalSecondaryIndexes"][0]["ItemCount"] == 3
    assert described["GlobalSecondaryIndexes"][0]["IndexSizeBytes"] == sum(
        len("pk") + 2 + len("sk") + 1 + len("flagged") + 3 for _ in range(3))
    dynamodb.delete_table(TableName=table_name)


def test_overloaded_single_table_index(dynamodb: Any, table_name: str) -> None:
    """The PK/SK/GSI1PK/GSI1SK pattern: customers, their orders and order lines in one
    table, answering three access patterns."""
    create_table(dynamodb, table_name, {"PK": "S", "SK": "S", "GSI1PK": "S", "GSI1SK": "S"},
                 hash_name="PK", range_name="SK",
                 GlobalSecondaryIndexes=[index("GSI1", "GSI1PK", "GSI1SK")])
    items = [
        {"PK": s("CUSTOMER#ann"), "SK": s("PROFILE"), "GSI1PK": s("EMAIL#ann@example.com"),
         "GSI1SK": s("CUSTOMER#ann"), "name": s("Ann")},
        {"PK": s("CUSTOMER#bob"), "SK": s("PROFILE"), "GSI1PK": s("EMAIL#bob@example.com"),
         "GSI1SK": s("CUSTOMER#bob"), "name": s("Bob")},
    ]
    for customer, order, status, day in [("ann", "o1", "SHIPPED", "2026-01-03"),
                                         ("ann", "o2", "PENDING", "2026-01-05"),
                                         ("bob", "o3", "PENDING", "2026-01-04")]:
        items.append({"PK": s(f"CUSTOMER#{customer}"), "SK": s(f"ORDER#{order}"),
                      "GSI1PK": s(f"ORDER#{order}"), "GSI1SK": s(f"ORDER#{order}"),
                      "status": s(status), "day": s(day)})
        items.append({"PK": s(f"STATUS#{status}"), "SK": s(f"{day}#{order}"),
                      "GSI1PK": s(f"STATUS#{status}"), "GSI1SK": s(f"{day}#{order}")})
        for line in range(2):
            items.append({"PK": s(f"ORDER#{order}"), "SK": s(f"LINE#{line}"),
                          "GSI1PK": s(f"ORDER#{order}"), "GSI1SK": s(f"LINE#{line}"),
                          "qty": n(line + 1)})
    for item in items:
        dynamodb.put_item(TableName=table_name, Item=item)

    def gsi1(partition: str, **extra: Any) -> list[dict[str, Any]]:
        return read_all(dynamodb.query, TableName=table_name, IndexName="GSI1",
                        KeyConditionExpression="GSI1PK = :p" + extra.pop("condition", ""),
                        ExpressionAttributeValues={":p": s(partition), **extra.pop("values", {})},
                        **extra)

    # 1. a customer by email
    assert keys_of(gsi1("EMAIL#bob@example.com"), "PK") == [("CUSTOMER#bob",)]
    # 2. an order with its lines (the order row sorts after its lines)
    assert keys_of(gsi1("ORDER#o1"), "PK", "SK") == [
        ("ORDER#o1", "LINE#0"), ("ORDER#o1", "LINE#1"), ("CUSTOMER#ann", "ORDER#o1")]
    lines = gsi1("ORDER#o1", condition=" AND begins_with(GSI1SK, :l)", values={":l": s("LINE#")})
    assert [item["qty"] for item in lines] == [n(1), n(2)]
    # 3. pending orders, newest first
    pending = gsi1("STATUS#PENDING", ScanIndexForward=False)
    assert keys_of(pending, "GSI1SK") == [("2026-01-05#o2",), ("2026-01-04#o3",)]
    dynamodb.delete_table(TableName=table_name)


# --- projections, ordering and paging -----------------------------------------------------------


def test_projections_keep_what_they_name(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S"}, GlobalSecondaryIndexes=[
        index("keys", "g", projection_type="KEYS_ONLY"),
        index("some", "g", "sk", projection_type="INCLUDE", non_key=["a", "missing"]),
        index("all", "g", projection_type="ALL"),
    ])
    item = {"pk": s("p"), "sk": s("s"), "g": s("G"), "a": n(1), "b": {"L": [s("x")]}}
    dynamodb.put_item(TableName=table_name, Item=item)
    request = {"TableName": table_name, "KeyConditionExpression": "g = :g",
               "ExpressionAttributeValues": {":g": s("G")}}
    assert dynamodb.query(IndexName="keys", **request)["Items"] == [
        {"pk": s("p"), "sk": s("s"), "g": s("G")}]
    assert dynamodb.query(IndexName="some", **request)["Items"] == [
        {"pk": s("p"), "sk": s("s"), "g": s("G"), "a": n(1)}]
    assert dynamodb.query(IndexName="all", **request)["Items"] == [item]
    assert dynamodb.query(IndexName="all", Select="ALL_ATTRIBUTES", **request)["Items"] == [item]
    assert dynamodb.query(IndexName="some", Select="ALL_PROJECTED_ATTRIBUTES",
                          **request)["Items"][0]["a"] == n(1)
    # A projection naming an attribute the index lacks simply does not find it.
    assert dynamodb.query(IndexName="keys", ProjectionExpression="pk, b", **request)["Items"] == [
        {"pk": s("p")}]
    assert fails(dynamodb.query, IndexName="keys", Select="ALL_ATTRIBUTES", **request) == (
        "ValidationException", INVALID + "Select type ALL_ATTRIBUTES is not supported for "
        "global secondary index keys because its projection type is not ALL")
    assert fails(dynamodb.scan, TableName=table_name, IndexName="some",
                 Select="ALL_ATTRIBUTES") == (
        "ValidationException", INVALID + "Select type ALL_ATTRIBUTES is not supported for "
        "global secondary index some because its projection type is not ALL")
    for call, extra in ((dynamodb.query, request), (dynamodb.scan, {"TableName": table_name})):
        assert fails(call, IndexName="all", ConsistentRead=True, **extra) == (
            "ValidationException", "Consistent reads are not supported on global secondary indexes")
    dynamodb.delete_table(TableName=table_name)


def test_equal_index_keys_order_by_table_key_and_page(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "N", "g": "S", "r": "N"},
                 GlobalSecondaryIndexes=[index("by-g", "g", "r", projection_type="KEYS_ONLY")])
    expected = []
    for partition in ("b", "a", "c"):
        for sort in (4, 3, 10, 1):
            rank = 7 if sort % 2 else -3
            dynamodb.put_item(TableName=table_name, Item={
                "pk": s(partition), "sk": n(sort), "g": s("G"), "r": n(rank)})
            expected.append((str(rank), partition, str(sort)))
    # Index sort key first (numerically), then the table key (partition, then sort key).
    expected.sort(key=lambda key: (int(key[0]), key[1], int(key[2])))
    request = {"TableName": table_name, "IndexName": "by-g", "KeyConditionExpression": "g = :g",
               "ExpressionAttributeValues": {":g": s("G")}}
    everything = dynamodb.query(**request)["Items"]
    assert keys_of(everything, "r", "pk", "sk") == expected
    # One item per page: LastEvaluatedKey holds the index key and the table key.
    first = dynamodb.query(Limit=1, **request)
    assert first["LastEvaluatedKey"] == {"g": s("G"), "r": n(-3), "pk": s("a"), "sk": n(4)}
    walked = read_all(dynamodb.query, Limit=1, **request)
    assert keys_of(walked, "r", "pk", "sk") == expected
    backwards = read_all(dynamodb.query, Limit=5, ScanIndexForward=False, **request)
    assert keys_of(backwards, "r", "pk", "sk") == expected[::-1]
    ranged = read_all(dynamodb.query, Limit=1, **{
        **request, "KeyConditionExpression": "g = :g AND r > :zero",
        "ExpressionAttributeValues": {":g": s("G"), ":zero": n(0)}})
    assert keys_of(ranged, "r", "pk", "sk") == [key for key in expected if key[0] == "7"]
    scanned = read_all(dynamodb.scan, TableName=table_name, IndexName="by-g", Limit=2)
    assert sorted(keys_of(scanned, "r", "pk", "sk")) == sorted(expected)
    segments = [read_all(dynamodb.scan, TableName=table_name, IndexName="by-g", Segment=segment,
                         TotalSegments=3, Limit=1) for segment in range(3)]
    assert sorted(keys_of([item for part in segments for item in part], "r", "pk", "sk")) == (
        sorted(expected))
    dynamodb.delete_table(TableName=table_name)


def test_index_start_key_must_name_index_and_table_keys(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S"},
                 GlobalSecondaryIndexes=[index("by-g", "g")])
    dynamodb.put_item(TableName=table_name, Item={"pk": s("p"), "sk": s("s"), "g": s("G")})
    query = {"TableName": table_name, "IndexName": "by-g", "KeyConditionExpression": "g = :g",
             "ExpressionAttributeValues": {":g": s("G")}}
    good = {"g": s("G"), "pk": s("p"), "sk": s("s")}
    assert dynamodb.query(ExclusiveStartKey=good, **query)["Items"] == []
    for start in ({"g": s("G")}, {"pk": s("p"), "sk": s("s")}, {**good, "x": s("x")}):
        assert fails(dynamodb.query, ExclusiveStartKey=start, **query) == (
            "ValidationException", "The provided starting key is invalid")
        assert fails(dynamodb.scan, TableName=table_name, IndexName="by-g",
                     ExclusiveStartKey=start) == (
            "ValidationException",
            "The provided starting key is invalid: The provided key element does not match the "
            "schema")
    assert fails(dynamodb.query, ExclusiveStartKey={**good, "g": s("H")}, **query) == (
        "ValidationException",
        "The provided starting key is outside query boundaries based on provided conditions")
    assert dynamodb.scan(TableName=table_name, IndexName="by-g", ExclusiveStartKey=good)[
        "Items"] == []
    dynamodb.delete_table(TableName=table_name)


# --- index key errors on writes --------------------------------------------------------------


def test_index_key_values_are_checked_on_every_write(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S", "r": "N", "b": "B"},
                 GlobalSecondaryIndexes=[index("zeta", "g", "r"), index("alpha", "g"),
                                         index("by-b", "b")])
    key = {"pk": s("p"), "sk": s("s")}
    mismatch = INVALID + "Type mismatch for Index Key g Expected: S Actual: N IndexName: alpha"
    cases = [
        ({**key, "g": n(1)}, mismatch),
        ({**key, "g": {"NULL": True}},
         INVALID + "Type mismatch for Index Key g Expected: S Actual: NULL IndexName: alpha"),
        ({**key, "r": s("1")},
         INVALID + "Type mismatch for Index Key r Expected: N Actual: S IndexName: zeta"),
        ({**key, "g": s("")},
         "One or more parameter values are not valid. A value specified for a secondary index "
         "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
         "string value. IndexName: alpha, IndexKey: g"),
        ({**key, "b": {"B": b""}},
         "One or more parameter values are not valid. A value specified for a secondary index "
         "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
         "binary value. IndexName: by-b, IndexKey: b"),
        ({**key, "g": s("x" * 2049)},
         INVALID + "Size limit exceeded for Index Key g Actual Size: 2049 bytes Max Size: 2048 "
         "bytes IndexName: alpha"),
        ({**key, "b": {"B": base64.b64decode(base64.b64encode(b"y" * 2050))}},
         INVALID + "Size limit exceeded for Index Key b Actual Size: 2050 bytes Max Size: 2048 "
         "bytes IndexName: by-b"),
    ]
    for item, message in cases:
        assert fails(dynamodb.put_item, TableName=table_name, Item=item) == (
            "ValidationException", message), item
        assert fails(dynamodb.batch_write_item, RequestItems={
            table_name: [{"PutRequest": {"Item": item}}]}) == ("ValidationException", message)
        assert fails(dynamodb.transact_write_items, TransactItems=[
            {"Put": {"TableName": table_name, "Item": item}}])[1] == message
    # A range key over 1024 bytes: the sort key limit applies to an index sort key.
    dynamodb.update_item(TableName=table_name, Key=key, UpdateExpression="SET g = :g",
                         ExpressionAttributeValues={":g": s("G")})
    assert fails(dynamodb.update_item, TableName=table_name, Key=key,
                 UpdateExpression="SET g = :g", ExpressionAttributeValues={":g": n(5)}) == (
        "ValidationException", mismatch)
    assert dynamodb.scan(TableName=table_name)["Items"] == [{**key, "g": s("G")}]
    assert len(read_all(dynamodb.scan, TableName=table_name, IndexName="alpha")) == 1
    assert read_all(dynamodb.scan, TableName=table_name, IndexName="by-b") == []
    dynamodb.delete_table(TableName=table_name)


def test_every_write_path_maintains_indexes(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S"},
                 GlobalSecondaryIndexes=[index("by-g", "g", projection_type="INCLUDE",
                                               non_key=["v"])])

    def entries() -> list[tuple[str, ...]]:
        found = read_all(dynamodb.scan, TableName=table_name, IndexName="by-g")
        return sorted((item["g"]["S"], item["pk"]["S"], item.get("v", {}).get("N", "-"))
                      for item in found)

    dynamodb.put_item(TableName=table_name, Item={"pk": s("a"), "sk": s("1"), "g": s("x"),
                                                  "v": n(1), "w": n(9)})
    dynamodb.batch_write_item(RequestItems={table_name: [
        {"PutRequest": {"Item": {"pk": s("b"), "sk": s("1"), "g": s("y"), "v": n(2)}}},
        {"PutRequest": {"Item": {"pk": s("c"), "sk": s("1")}}}]})
    assert entries() == [("x", "a", "1"), ("y", "b", "2")]
    dynamodb.transact_write_items(TransactItems=[
        {"Update": {"TableName": table_name, "Key": {"pk": s("a"), "sk": s("1")},
                    "UpdateExpression": "SET v = :v, g = :g",
                    "ExpressionAttributeValues": {":v": n(5), ":g": s("z")}}},
        {"Put": {"TableName": table_name, "Item": {"pk": s("c"), "sk": s("1"), "g": s("x")}}},
        {"Delete": {"TableName": table_name, "Key": {"pk": s("b"), "sk": s("1")}}},
    ])
    assert entries() == [("x", "c", "-"), ("z", "a", "5")]
    # Changing an attribute the index does not project leaves its entry as it was.
    dynamodb.update_item(TableName=table_name, Key={"pk": s("a"), "sk": s("1")},
                         UpdateExpression="SET w = :w", ExpressionAttributeValues={":w": n(0)})
    dynamodb.batch_write_item(RequestItems={table_name: [
        {"DeleteRequest": {"Key": {"pk": s("c"), "sk": s("1")}}}]})
    assert entries() == [("z", "a", "5")]
    dynamodb.delete_table(TableName=table_name)


# --- capacity --------------------------------------------------------------------------------


def test_index_read_capacity(dynamodb: Any, table_name: str) -> None:
    """Developer Guide "Global secondary indexes": 8 entries of about 2,000 bytes are about
    16,000 bytes, 4 units rounded once, halved: 2 read units."""
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S"},
                 GlobalSecondaryIndexes=[index("by-g", "g")])
    for number in range(8):
        item = {"pk": s(f"p{number}"), "sk": s("s"), "g": s("G"), "d": s("x" * 1985)}
        dynamodb.put_item(TableName=table_name, Item=item)
    answer = dynamodb.query(TableName=table_name, IndexName="by-g",
                            KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": s("G")},
                            ReturnConsumedCapacity="INDEXES")
    assert answer["Count"] == 8
    assert answer["ConsumedCapacity"] == {
        "TableName": table_name, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0,
        "Table": {"CapacityUnits": 0.0, "ReadCapacityUnits": 0.0},
        "GlobalSecondaryIndexes": {"by-g": {"CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}},
    }
    total = dynamodb.scan(TableName=table_name, IndexName="by-g", ReturnConsumedCapacity="TOTAL")
    assert total["ConsumedCapacity"] == {
        "TableName": table_name, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}
    dynamodb.delete_table(TableName=table_name)


def test_index_key_errors_come_before_the_condition(dynamodb: Any, table_name: str) -> None:
    # A bad index key value is a request error: it wins over a condition that would fail.
    create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S"},
                 GlobalSecondaryIndexes=[index("alpha", "g")])
    key = {"pk": s("p"), "sk": s("s")}
    dynamodb.put_item(TableName=table_name, Item=key)
    mismatch = INVALID + "Type mismatch for Index Key g Expected: S Actual: N IndexName: alpha"
    assert fails(dynamodb.put_item, TableName=table_name, Item={**key, "g": n(1)},
                 ConditionExpression="attribute_not_exists(pk)") == ("ValidationException", mismatch)
    assert fails(dynamodb.update_item, TableName=table_name, Key=key, UpdateExpression="SET g = :g",
                 ConditionExpression="attribute_not_exists(pk)",
                 ExpressionAttributeValues={":g": n(1)})[0] == "ConditionalCheckFailedException"
    dynamodb.delete_table(TableName=table_name)
