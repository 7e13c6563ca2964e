"""The Time to Live sweeper: which items expire, how they are deleted, what a stream sees.

The tests share a server on a virtual clock, moved and swept through the admin endpoints
(``openddb.admin.Admin``); a sweep deletes the expired items of every table, so a test
counts what happened to its own table, never what a sweep answers. Sources: Developer Guide
"How it works: Time to Live" and "DynamoDB Streams and Time to Live"; behaviours.md 6.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import trigger_handlers
from stream_fixtures import read_stream
from ttl_fixtures import (
    SERVICE_IDENTITY,
    TtlServer,
    item,
    keys_of,
    put_all,
    ttl_server,
    wait_until,
)

from openddb import limits

DAY = 24 * 3600


@pytest.fixture(scope="module")
def server() -> Iterator[TtlServer]:
    with ttl_server() as running:
        yield running


def stream_of(server: TtlServer, table: str) -> list[Any]:
    arn = server.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    return read_stream(server.streams, arn)


def removals(server: TtlServer, table: str) -> list[Any]:
    return [record for record in stream_of(server, table) if record["eventName"] == "REMOVE"]


def test_expired_items_are_deleted_and_fresh_ones_stay(server: TtlServer) -> None:
    table = server.create_table("basic")
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [
        item("soon", expiresAt=now + 60),
        item("later", expiresAt=now + 3600),
        item("past", expiresAt=now - 60),
    ])
    server.admin.advance(120)
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"later"}


def test_expired_items_stay_readable_until_swept(server: TtlServer) -> None:
    """As on DynamoDB: reads filter them (README shows how), the sweep deletes them."""
    table = server.create_table("visible")
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [item("old", expiresAt=now - 1),
                                     item("new", expiresAt=now + 600)])
    assert keys_of(server.dynamodb, table) == {"old", "new"}
    got = server.dynamodb.get_item(TableName=table, Key={"pk": {"S": "old"}})
    assert got["Item"]["expiresAt"] == {"N": str(now - 1)}
    live = server.dynamodb.scan(
        TableName=table,
        FilterExpression="attribute_not_exists(expiresAt) OR expiresAt > :now",
        ExpressionAttributeValues={":now": {"N": str(int(server.admin.now()))}},
    )
    assert [entry["pk"]["S"] for entry in live["Items"]] == ["new"]
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"new"}


def test_each_deletion_is_one_service_remove_record(server: TtlServer) -> None:
    table = server.create_table("stream")
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [item(f"s{n}", expiresAt=now + 10 + n % 2 * 1000, note="x")
                                     for n in range(40)])
    server.dynamodb.delete_item(TableName=table, Key={"pk": {"S": "s0"}})  # a user's delete
    server.admin.advance(100)
    server.admin.sweep()
    found = removals(server, table)
    assert len(found) == 20
    # Records of different items may sit in different shards: no order across them.
    (user,) = [record for record in found if record["dynamodb"]["Keys"]["pk"]["S"] == "s0"]
    service = [record for record in found if record is not user]
    assert "userIdentity" not in user
    assert {record["dynamodb"]["Keys"]["pk"]["S"] for record in service} == {
        f"s{n}" for n in range(2, 40, 2)
    }
    for record in service:
        assert record["userIdentity"] == SERVICE_IDENTITY
        assert record["dynamodb"]["OldImage"]["note"] == {"S": "x"}
        assert "NewImage" not in record["dynamodb"]
    server.admin.sweep()
    assert len(removals(server, table)) == 20, "a second sweep deletes nothing more"


def test_only_numbers_within_five_years_expire(server: TtlServer) -> None:
    table = server.create_table("eligible")
    now = int(server.admin.now())
    five_years = limits.TTL_EXPIRY_AGE_IGNORED_SECONDS
    put_all(server.dynamodb, table, [
        item("number", expiresAt=now - 10),
        item("decimal", expiresAt={"N": f"{now - 10}.5"}),
        item("almost-five-years", expiresAt=now - five_years + DAY),
        item("over-five-years", expiresAt=now - five_years - DAY),
        item("zero", expiresAt=0),
        item("negative", expiresAt=-5),
        item("milliseconds", expiresAt=now * 1000),
        item("string", expiresAt=str(now - 10)),
        item("number-set", expiresAt={"NS": [str(now - 10)]}),
        item("list", expiresAt={"L": [{"N": str(now - 10)}]}),
        item("nested", inner={"M": {"expiresAt": {"N": str(now - 10)}}}),
        item("missing"),
        item("other-name", expires_at=now - 10),
    ])
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {
        "over-five-years", "zero", "negative", "milliseconds", "string", "number-set", "list",
        "nested", "missing", "other-name",
    }


def test_expiry_is_strictly_before_now(server: TtlServer) -> None:
    table = server.create_table("boundary")
    now = server.admin.now()
    expiry = int(now) + 100
    put_all(server.dynamodb, table, [item("edge", expiresAt=expiry)])
    server.admin.set(expiry)
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"edge"}
    server.admin.advance(0.001)
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == set()


def test_nothing_expires_while_ttl_is_disabled(server: TtlServer) -> None:
    table = server.create_table("disabled", attribute=None)
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [item("a", expiresAt=now - 10)])
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"a"}
    server.dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
    )
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == set()


def test_disabling_stops_the_deletions(server: TtlServer) -> None:
    table = server.create_table("stopped")
    server.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS)
    server.dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expiresAt"}
    )
    put_all(server.dynamodb, table, [item("a", expiresAt=int(server.admin.now()) - 10)])
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"a"}


def test_an_item_given_a_new_expiry_is_kept(server: TtlServer) -> None:
    table = server.create_table("extended")
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [item("a", expiresAt=now + 10)])
    server.dynamodb.update_item(
        TableName=table, Key={"pk": {"S": "a"}}, UpdateExpression="SET expiresAt = :later",
        ExpressionAttributeValues={":later": {"N": str(now + 3600)}},
    )
    server.admin.advance(60)
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"a"}


def test_many_items_are_swept_in_small_transactions() -> None:
    with ttl_server(ttl_deletes_per_write=7) as server:
        table = server.create_table("many")
        now = int(server.admin.now())
        put_all(server.dynamodb, table, [item(f"i{n:04}", expiresAt=now + (10 if n % 3 else 9999))
                                         for n in range(1200)])
        server.admin.advance(60)
        assert server.admin.sweep() == 800
        remaining = keys_of(server.dynamodb, table)
        assert remaining == {f"i{n:04}" for n in range(0, 1200, 3)}
        assert len(removals(server, table)) == 800


def test_the_background_sweeper_deletes_without_being_asked() -> None:
    with ttl_server(ttl_interval=0.05) as server:
        table = server.create_table("background")
        now = int(server.admin.now())
        put_all(server.dynamodb, table, [item(f"b{n}", expiresAt=now + 30) for n in range(50)])
        put_all(server.dynamodb, table, [item("fresh", expiresAt=now + 3600)])
        server.admin.advance(60)
        wait_until(lambda: keys_of(server.dynamodb, table) == {"fresh"}, "the sweep")
        assert len(removals(server, table)) == 50


def test_a_table_without_a_stream_is_swept_too(server: TtlServer) -> None:
    table = server.create_table("no-stream", stream=False)
    put_all(server.dynamodb, table, [item("a", expiresAt=int(server.admin.now()) - 1)])
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == set()


def test_deletions_consume_no_capacity(server: TtlServer) -> None:
    """TTL deletions are free (Developer Guide); the table's write counter does not move."""
    table = server.create_table("capacity")
    put_all(server.dynamodb, table, [item(f"c{n}", expiresAt=int(server.admin.now()) - 1)
                                     for n in range(10)])
    before = write_units(server, table)
    assert before > 0
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == set()
    assert write_units(server, table) == before


def write_units(server: TtlServer, table: str) -> float:
    throughput = server.running.server.throughput
    assert throughput is not None
    text = throughput.metrics_text(server.running.server.catalog.all())
    (line,) = [line for line in text.splitlines()
               if line.startswith("openddb_consumed_write") and f'table="{table}"' in line]
    return float(line.rsplit(" ", 1)[1])


def test_a_trigger_tells_expiries_from_users_deletes(tmp_path: Path) -> None:
    """Lambda events spell the identity ``type`` / ``principalId`` (streams issue)."""
    trigger_handlers.reset()
    path = tmp_path / "triggers.json"
    definition = {"TableName": "Expiring", "FunctionName": "trigger_handlers:collect",
                  "StartingPosition": "TRIM_HORIZON"}
    path.write_bytes(orjson.dumps({"Triggers": [definition]}))
    with ttl_server(triggers=str(path)) as server:
        server.dynamodb.create_table(
            TableName="Expiring", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
        )
        server.dynamodb.update_time_to_live(
            TableName="Expiring",
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"},
        )
        now = int(server.admin.now())
        put_all(server.dynamodb, "Expiring", [item("expires", expiresAt=now + 10),
                                              item("deleted", expiresAt=now + 9999)])
        server.dynamodb.delete_item(TableName="Expiring", Key={"pk": {"S": "deleted"}})
        server.admin.advance(60)
        server.admin.sweep()

        def delivered() -> list[Any]:
            return [record for batch in trigger_handlers.batches("collect") for record in batch
                    if record["eventName"] == "REMOVE"]

        trigger_handlers.wait_for(lambda: len(delivered()) == 2)
    by_key = {record["dynamodb"]["Keys"]["pk"]["S"]: record for record in delivered()}
    assert by_key["expires"]["userIdentity"] == {
        "type": "Service", "principalId": "dynamodb.amazonaws.com"
    }
    assert "userIdentity" not in by_key["deleted"]
