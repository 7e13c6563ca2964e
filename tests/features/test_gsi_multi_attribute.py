"""GSIs with multi-attribute keys (up to four partition and four sort key attributes):
maintained, sparse, read in the order of their sort key attributes, queried with equality
on every partition attribute and left-to-right conditions on the sort attributes."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of
from index_fixtures import create_table, projection, read_all

KEY_SCHEMA = [
    {"AttributeName": "tenant", "KeyType": "HASH"},
    {"AttributeName": "region", "KeyType": "HASH"},
    {"AttributeName": "year", "KeyType": "RANGE"},
    {"AttributeName": "month", "KeyType": "RANGE"},
    {"AttributeName": "tag", "KeyType": "RANGE"},
]


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def fails(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


def test_multi_attribute_keys(dynamodb: Any, table_name: str) -> None:
    create_table(dynamodb, table_name, {"pk": "S", "tenant": "S", "region": "S", "year": "N",
                                        "month": "N", "tag": "S"}, range_name=None,
                 GlobalSecondaryIndexes=[{"IndexName": "wide", "KeySchema": KEY_SCHEMA,
                                          "Projection": projection("KEYS_ONLY")}])
    expected = []
    for number, (year, month, tag) in enumerate(
        itertools.product((2024, -5, 2023), (10, 2, 11), ("b", "a\x00", "a"))
    ):
        item = {"pk": s(f"p{number}"), "tenant": s("t"), "region": s("eu"), "year": n(year),
                "month": n(month), "tag": s(tag)}
        dynamodb.put_item(TableName=table_name, Item=item)
        expected.append(((year, month, tag.encode(), f"p{number}"), item))
    dynamodb.put_item(TableName=table_name, Item={"pk": s("sparse"), "tenant": s("t"),
                                                  "year": n(1), "month": n(1), "tag": s("x")})
    dynamodb.put_item(TableName=table_name, Item={"pk": s("other"), "tenant": s("t"),
                                                  "region": s("us"), "year": n(1),
                                                  "month": n(1), "tag": s("x")})
    ordered = [item for _, item in sorted(expected, key=lambda pair: pair[0])]
    query = {"TableName": table_name, "IndexName": "wide",
             "KeyConditionExpression": "tenant = :t AND #r = :r",
             "ExpressionAttributeNames": {"#r": "region"},
             "ExpressionAttributeValues": {":t": s("t"), ":r": s("eu")}}
    assert dynamodb.query(**query)["Items"] == ordered
    assert read_all(dynamodb.query, Limit=4, **query) == ordered
    assert read_all(dynamodb.query, Limit=5, ScanIndexForward=False, **query) == ordered[::-1]
    first = dynamodb.query(Limit=1, **query)["LastEvaluatedKey"]
    assert first == {key: ordered[0][key] for key in ("tenant", "region", "year", "month", "tag",
                                                       "pk")}

    def where(condition: str, **values: Any) -> list[dict[str, Any]]:
        names = {name: attribute for name, attribute in
                 (("#r", "region"), ("#y", "year"), ("#m", "month"))
                 if name in "#r " + condition}
        request = {**query, "KeyConditionExpression": query["KeyConditionExpression"] + condition,
                   "ExpressionAttributeNames": names,
                   "ExpressionAttributeValues": {**query["ExpressionAttributeValues"], **values}}
        return read_all(dynamodb.query, Limit=3, **request)

    def matching(test: Any) -> list[dict[str, Any]]:
        return [item for item in ordered
                if test(int(item["year"]["N"]), int(item["month"]["N"]), item["tag"]["S"])]

    assert where(" AND #y = :y", **{":y": n(2024)}) == matching(lambda y, m, t: y == 2024)
    assert where(" AND #y < :y", **{":y": n(2023)}) == matching(lambda y, m, t: y < 2023)
    assert where(" AND #y = :y AND #m > :m", **{":y": n(2024), ":m": n(2)}) == matching(
        lambda y, m, t: y == 2024 and m > 2)
    assert where(" AND #y = :y AND #m BETWEEN :a AND :b",
                 **{":y": n(2023), ":a": n(2), ":b": n(10)}) == matching(
        lambda y, m, t: y == 2023 and 2 <= m <= 10)
    assert where(" AND #y = :y AND #m <= :m", **{":y": n(-5), ":m": n(10)}) == matching(
        lambda y, m, t: y == -5 and m <= 10)
    assert where(" AND #y = :y AND #m = :m AND begins_with(tag, :t2)",
                 **{":y": n(2024), ":m": n(11), ":t2": s("a")}) == matching(
        lambda y, m, t: y == 2024 and m == 11 and t.startswith("a"))
    assert where(" AND #y = :y AND #m = :m AND tag >= :t2",
                 **{":y": n(2024), ":m": n(11), ":t2": s("a\x00")}) == matching(
        lambda y, m, t: y == 2024 and m == 11 and t >= "a\x00")
    assert fails(dynamodb.query, TableName=table_name, IndexName="wide",
                 KeyConditionExpression="tenant = :t",
                 ExpressionAttributeValues={":t": s("t")}) == (
        "ValidationException", "Query condition missed key schema element: region")
    assert fails(dynamodb.query, **{**query, "KeyConditionExpression":
                                    query["KeyConditionExpression"] + " AND #m = :m",
                                    "ExpressionAttributeNames": {"#r": "region", "#m": "month"},
                                    "ExpressionAttributeValues": {
                                        **query["ExpressionAttributeValues"], ":m": n(1)}}) == (
        "ValidationException", "Query condition missed key schema element: year")
    scanned = read_all(dynamodb.scan, TableName=table_name, IndexName="wide", Limit=7)
    assert len(scanned) == len(ordered) + 1
    assert fails(dynamodb.put_item, TableName=table_name, Item={
        "pk": s("bad"), "tenant": s("t"), "region": s("eu"), "month": s("1")}) == (
        "ValidationException", "One or more parameter values were invalid: Type mismatch for "
        "Index Key month Expected: N Actual: S IndexName: wide")
    dynamodb.delete_table(TableName=table_name)
