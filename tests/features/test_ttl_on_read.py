"""``--ttl-delete-on-read``: expired items vanish the moment a request touches them.

Reads never return them (paging counts live items only), writes see them as absent, and
the deletion is DynamoDB's: a service-identity REMOVE record, before the user's change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from stream_fixtures import read_stream
from ttl_fixtures import SERVICE_IDENTITY, TtlServer, item, keys_of, put_all, ttl_server, wait_until

KEY = {"pk": {"S": "a"}}


@pytest.fixture(scope="module")
def server() -> Iterator[TtlServer]:
    with ttl_server(ttl_delete_on_read=True) as running:
        yield running


def stream_of(server: TtlServer, table: str) -> list[Any]:
    arn = server.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    return read_stream(server.streams, arn)


def expired_table(server: TtlServer, prefix: str, count: int = 1, fresh: int = 0) -> str:
    """A table with ``count`` expired items e0.. and ``fresh`` live items f0.."""
    table = server.create_table(prefix)
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [
        *(item(f"e{n:03}", expiresAt=now + 10) for n in range(count)),
        *(item(f"f{n:03}", expiresAt=now + 9999) for n in range(fresh)),
    ])
    server.admin.advance(60)
    return table


def test_get_item_does_not_return_an_expired_item(server: TtlServer) -> None:
    table = expired_table(server, "get")
    answer = server.dynamodb.get_item(TableName=table, Key={"pk": {"S": "e000"}})
    assert "Item" not in answer
    # The sweeper, woken by the read, deletes it with the service identity.
    wait_until(lambda: any(r["eventName"] == "REMOVE" for r in stream_of(server, table)),
               "the deletion")
    (remove,) = [r for r in stream_of(server, table) if r["eventName"] == "REMOVE"]
    assert remove["userIdentity"] == SERVICE_IDENTITY


def test_scan_and_query_page_over_live_items_only(server: TtlServer) -> None:
    table = expired_table(server, "page", count=30, fresh=10)
    first = server.dynamodb.scan(TableName=table, Limit=4)
    assert first["Count"] == 4
    assert all(entry["pk"]["S"].startswith("f") for entry in first["Items"])
    assert keys_of(server.dynamodb, table) == {f"f{n:03}" for n in range(10)}
    answer = server.dynamodb.query(
        TableName=table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "e001"}},
    )
    assert answer["Items"] == []


def test_batch_and_transactional_reads_skip_expired_items(server: TtlServer) -> None:
    table = expired_table(server, "batch", count=1, fresh=1)
    keys = [{"pk": {"S": "e000"}}, {"pk": {"S": "f000"}}]
    answer = server.dynamodb.batch_get_item(RequestItems={table: {"Keys": keys}})
    assert [entry["pk"]["S"] for entry in answer["Responses"][table]] == ["f000"]
    answer = server.dynamodb.transact_get_items(
        TransactItems=[{"Get": {"TableName": table, "Key": key}} for key in keys]
    )
    assert [response.get("Item", {}).get("pk") for response in answer["Responses"]] == [
        None, {"S": "f000"}
    ]


def test_a_write_sees_an_expired_item_as_absent(server: TtlServer) -> None:
    table = expired_table(server, "write")
    server.dynamodb.put_item(
        TableName=table, Item=item("e000", note="new"),
        ConditionExpression="attribute_not_exists(pk)",
    )
    events = [(r["eventName"], r.get("userIdentity")) for r in stream_of(server, table)]
    assert events[-2:] == [("REMOVE", SERVICE_IDENTITY), ("INSERT", None)]
    got = server.dynamodb.get_item(TableName=table, Key={"pk": {"S": "e000"}})["Item"]
    assert got == item("e000", note="new")


def test_an_update_of_an_expired_item_starts_a_new_one(server: TtlServer) -> None:
    table = expired_table(server, "update")
    answer = server.dynamodb.update_item(
        TableName=table, Key={"pk": {"S": "e000"}}, UpdateExpression="SET hits = :one",
        ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="ALL_OLD",
    )
    assert "Attributes" not in answer
    got = server.dynamodb.get_item(TableName=table, Key={"pk": {"S": "e000"}})["Item"]
    assert got == {"pk": {"S": "e000"}, "hits": {"N": "1"}}


def test_without_the_option_expired_items_stay_visible() -> None:
    with ttl_server() as server:
        table = expired_table(server, "default")
        answer = server.dynamodb.get_item(TableName=table, Key={"pk": {"S": "e000"}})
        assert answer["Item"]["pk"] == {"S": "e000"}
