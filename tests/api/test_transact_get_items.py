"""TransactGetItems through boto3: results in request order, projections, missing items,
validation, capacity, and a snapshot that never shows half a TransactWriteItems."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for, error_of


def key(pk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}}


def get(table: str, pk: str, **extra: Any) -> dict[str, Any]:
    return {"Get": {"TableName": table, "Key": key(pk), **extra}}


def test_items_come_back_in_request_order(dynamodb: Any, make_table: Any) -> None:
    one, two = make_table(), make_table()
    dynamodb.put_item(TableName=one, Item={**key("a"), "v": {"N": "1"}, "w": {"S": "x"}})
    dynamodb.put_item(TableName=two, Item={**key("b"), "v": {"N": "2"}})
    response = dynamodb.transact_get_items(
        TransactItems=[
            get(two, "b"),
            get(one, "missing"),
            get(one, "a", ProjectionExpression="#w", ExpressionAttributeNames={"#w": "w"}),
            get(one, "b"),
            get(two, "b2", ProjectionExpression="v"),
            get(two, "a"),
        ]
    )
    assert response["Responses"] == [
        {"Item": {**key("b"), "v": {"N": "2"}}},
        {},
        {"Item": {"w": {"S": "x"}}},
        {},
        {},
        {},
    ]


def test_an_item_with_nothing_projected_is_an_empty_item(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item=key("a"))
    response = dynamodb.transact_get_items(
        TransactItems=[get(table, "a", ProjectionExpression="v")]
    )
    assert response["Responses"] == [{"Item": {}}]


def test_two_gets_of_one_item(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_get_items(TransactItems=[get(table, "a"), get(table, "a")])
    assert error_of(excinfo) == (
        "ValidationException",
        "Transaction request cannot include multiple operations on one item",
    )


def test_missing_table_and_bad_key(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_get_items(TransactItems=[get(table, "a"), get("no-such-table", "a")])
    assert error_of(excinfo) == ("ResourceNotFoundException", "Requested resource not found")
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_get_items(
            TransactItems=[{"Get": {"TableName": table, "Key": {"other": {"S": "a"}}}}]
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_projection_placeholders_are_checked(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_get_items(
            TransactItems=[
                get(table, "a", ProjectionExpression="v", ExpressionAttributeNames={"#u": "u"})
            ]
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}",
    )


def test_more_than_100_gets_is_a_shape_error(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_get_items(TransactItems=[get(table, str(n)) for n in range(101)])
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 100" in message


def test_transactional_reads_cost_twice(dynamodb: Any, make_table: Any) -> None:
    """Developer Guide: three 500-byte items read in a transaction -> 6 RCU; a missing item
    costs the minimum read, twice."""
    one, two = make_table(), make_table()
    for n in range(3):
        dynamodb.put_item(TableName=one, Item={**key(str(n)), "payload": {"S": "x" * 480}})
    response = dynamodb.transact_get_items(
        TransactItems=[get(one, str(n)) for n in range(3)] + [get(two, "missing")],
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [
        {"TableName": one, "CapacityUnits": 6.0, "ReadCapacityUnits": 6.0},
        {"TableName": two, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0},
    ]


def test_a_snapshot_never_shows_half_a_transaction(endpoint: str, make_table: Any) -> None:
    """A writer moves units between two items in transactions; concurrent TransactGetItems
    always sees both halves of each move or neither."""
    table = make_table()
    writer_client, reader_client = client_for(endpoint), client_for(endpoint)
    for pk in ("left", "right"):
        writer_client.put_item(TableName=table, Item={**key(pk), "units": {"N": "500"}})
    done = threading.Event()

    def move() -> None:
        for step in range(300):
            source, target = ("left", "right") if step % 2 else ("right", "left")
            value = {":n": {"N": str(step % 7 + 1)}}
            writer_client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": table,
                            "Key": key(source),
                            "UpdateExpression": "SET units = units - :n",
                            "ExpressionAttributeValues": value,
                        }
                    },
                    {
                        "Update": {
                            "TableName": table,
                            "Key": key(target),
                            "UpdateExpression": "SET units = units + :n",
                            "ExpressionAttributeValues": value,
                        }
                    },
                ]
            )
        done.set()

    writer = threading.Thread(target=move)
    writer.start()
    totals = set()
    reads = 0
    while not done.is_set() or reads == 0:
        responses = reader_client.transact_get_items(
            TransactItems=[get(table, "left"), get(table, "right")]
        )["Responses"]
        totals.add(sum(int(r["Item"]["units"]["N"]) for r in responses))
        reads += 1
    writer.join()
    assert totals == {1000}
