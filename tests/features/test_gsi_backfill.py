"""Online index changes through boto3: UpdateTable GSI Create (CREATING, Backfilling, built
in steps while reads and writes go on, ACTIVE once every item is indexed), Delete
(DELETING, then gone), one create or delete at a time, and a backfill that survives a
restart. Most tests drive the background worker by hand (``index_fixtures.driven_server``)
so each state is seen for certain."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for, error_of
from index_fixtures import (
    DrivenServer,
    create_table,
    definitions,
    driven_server,
    index,
    index_status,
    put_many,
    read_all,
    wait_active,
)

from openddb.config import Settings
from openddb.server.runtime import start_in_thread

IN_USE = "Attempt to change a resource which is still in use: "
ONLY_ONE = (
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
    "per table"
)


def fails(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


def s(value: str) -> dict[str, str]:
    return {"S": value}


def items(count: int) -> list[dict[str, Any]]:
    """Items p0..; every third lacks ``g`` (sparse), item 7 has a ``g`` of the wrong type."""
    made = []
    for number in range(count):
        item = {"pk": s(f"p{number}"), "sk": s("s"), "v": {"N": str(number)}}
        if number == 7:
            item["g"] = {"N": "7"}
        elif number % 3:
            item["g"] = s(f"g{number % 4}")
        made.append(item)
    return made


def create_gsi(dynamodb: Any, table: str, name: str = "by-g", attribute: str = "g") -> Any:
    return dynamodb.update_table(
        TableName=table, AttributeDefinitions=definitions(**{attribute: "S"}),
        GlobalSecondaryIndexUpdates=[{"Create": index(name, attribute, projection_type="INCLUDE",
                                                      non_key=["v"])}],
    )["TableDescription"]


def index_keys(dynamodb: Any, table: str, name: str = "by-g") -> list[tuple[str, str, str]]:
    found = read_all(dynamodb.scan, TableName=table, IndexName=name)
    assert all(set(item) <= {"pk", "sk", "g", "v"} for item in found)
    return sorted((item["g"]["S"], item["pk"]["S"], item.get("v", {}).get("N", "-"))
                  for item in found)


def expected_keys(dynamodb: Any, table: str) -> list[tuple[str, str, str]]:
    return sorted((item["g"]["S"], item["pk"]["S"], item.get("v", {}).get("N", "-"))
                  for item in read_all(dynamodb.scan, TableName=table)
                  if "S" in item.get("g", {}))


def test_create_builds_the_index_in_steps(table_name: str) -> None:
    with driven_server(index_backfill_items=10) as server:
        dynamodb = server.dynamodb
        create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "h": "S"},
                     GlobalSecondaryIndexes=[index("by-h", "h")])
        put_many(dynamodb, table_name, items(35))
        answer = create_gsi(dynamodb, table_name)
        created = next(i for i in answer["GlobalSecondaryIndexes"] if i["IndexName"] == "by-g")
        assert (created["IndexStatus"], created["Backfilling"]) == ("CREATING", True)
        described = index_status(dynamodb, table_name, "by-g")
        assert (described["IndexStatus"], described["Backfilling"]) == ("CREATING", True)
        query = {"TableName": table_name, "IndexName": "by-g",
                 "KeyConditionExpression": "g = :g", "ExpressionAttributeValues": {":g": s("g1")}}
        assert fails(dynamodb.query, **query) == (
            "ValidationException", "Cannot read from backfilling global secondary index: by-g")
        _refused_while_building(server, table_name)
        # Reads and writes of the table go on; writes on both sides of the backfill's
        # position end up in the index, and the new index's key types are enforced.
        assert len(read_all(dynamodb.scan, TableName=table_name)) == 35
        dynamodb.put_item(TableName=table_name, Item={"pk": s("p1"), "sk": s("s"), "g": s("new"),
                                                      "v": {"N": "100"}})
        dynamodb.put_item(TableName=table_name, Item={"pk": s("p34"), "sk": s("s"),
                                                      "v": {"N": "34"}})
        dynamodb.delete_item(TableName=table_name, Key={"pk": s("p2"), "sk": s("s")})
        dynamodb.put_item(TableName=table_name, Item={"pk": s("p99"), "sk": s("s"), "g": s("g9"),
                                                      "v": {"N": "99"}})
        assert fails(dynamodb.put_item, TableName=table_name,
                     Item={"pk": s("p98"), "sk": s("s"), "g": {"N": "1"}})[1].startswith(
            "One or more parameter values were invalid: Type mismatch for Index Key g")
        assert server.finish_jobs() >= 3
        described = index_status(dynamodb, table_name, "by-g")
        assert (described["IndexStatus"], described["Backfilling"]) == ("ACTIVE", False)
        assert index_keys(dynamodb, table_name) == expected_keys(dynamodb, table_name)
        assert ("g3", "p7", "7") not in index_keys(dynamodb, table_name)  # wrong type: left out
        assert described["ItemCount"] == len(expected_keys(dynamodb, table_name))
        assert read_all(dynamodb.query, **query) != []
        dynamodb.delete_table(TableName=table_name)


def _refused_while_building(server: DrivenServer, table_name: str) -> None:
    dynamodb = server.dynamodb
    assert fails(dynamodb.update_table, TableName=table_name,
                 AttributeDefinitions=definitions(x="S"),
                 GlobalSecondaryIndexUpdates=[{"Create": index("by-x", "x")}]) == (
        "LimitExceededException", ONLY_ONE)
    assert fails(dynamodb.update_table, TableName=table_name,
                 GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-h"}}]) == (
        "LimitExceededException", ONLY_ONE)
    assert fails(dynamodb.update_table, TableName=table_name, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "by-g", "OnDemandThroughput": {"MaxReadRequestUnits": 5}}}]) == (
        "ResourceInUseException",
        f"{IN_USE}Index is being updated.  Table: {table_name} Index: by-g")
    assert fails(dynamodb.delete_table, TableName=table_name) == (
        "ResourceInUseException",
        f"{IN_USE}Cannot delete table while indexes are being created, updated, or deleted.")
    # Other changes of the table are accepted meanwhile (API reference UpdateTable).
    dynamodb.update_table(TableName=table_name, DeletionProtectionEnabled=False)


def test_delete_removes_the_index_in_steps(table_name: str) -> None:
    with driven_server(index_backfill_items=10) as server:
        dynamodb = server.dynamodb
        create_table(dynamodb, table_name, {"pk": "S", "sk": "S", "g": "S"},
                     GlobalSecondaryIndexes=[index("by-g", "g")])
        put_many(dynamodb, table_name, [item for item in items(35) if item["pk"] != s("p7")])
        deleted = dynamodb.update_table(TableName=table_name, GlobalSecondaryIndexUpdates=[
            {"Delete": {"IndexName": "by-g"}}])["TableDescription"]
        assert [(i["IndexName"], i["IndexStatus"]) for i in deleted["GlobalSecondaryIndexes"]] == [
            ("by-g", "DELETING")]
        assert index_status(dynamodb, table_name, "by-g")["IndexStatus"] == "DELETING"
        assert fails(dynamodb.scan, TableName=table_name, IndexName="by-g") == (
            "ValidationException", "The table does not have the specified index: by-g")
        assert fails(dynamodb.update_table, TableName=table_name,
                     AttributeDefinitions=definitions(g="S"),
                     GlobalSecondaryIndexUpdates=[{"Create": index("by-g", "g")}]) == (
            "LimitExceededException", ONLY_ONE)
        dynamodb.put_item(TableName=table_name, Item={"pk": s("new"), "sk": s("s"), "g": s("x")})
        server.finish_jobs()
        described = dynamodb.describe_table(TableName=table_name)["Table"]
        assert "GlobalSecondaryIndexes" not in described
        table = server.running.server.catalog.get(
            next(iter({t.namespace for t in server.running.server.catalog.all()})), table_name)
        assert table is not None
        assert server.running.server.engine.index_usage(table.table_id, 1).item_count == 0
        # The same name can be used again, for a new index built from scratch.
        create_gsi(dynamodb, table_name)
        server.finish_jobs()
        assert index_keys(dynamodb, table_name) == expected_keys(dynamodb, table_name)
        dynamodb.delete_table(TableName=table_name)


def test_delete_an_index_while_it_is_built(table_name: str) -> None:
    with driven_server(index_backfill_items=10) as server:
        dynamodb = server.dynamodb
        create_table(dynamodb, table_name, {"pk": "S", "sk": "S"})
        put_many(dynamodb, table_name, items(35))
        create_gsi(dynamodb, table_name)
        server.run_pass()
        dynamodb.update_table(TableName=table_name, GlobalSecondaryIndexUpdates=[
            {"Delete": {"IndexName": "by-g"}}])
        server.finish_jobs()
        assert "GlobalSecondaryIndexes" not in dynamodb.describe_table(
            TableName=table_name)["Table"]
        assert server.running.server.engine.index_jobs() == []
        dynamodb.delete_table(TableName=table_name)


def test_backfill_resumes_after_a_restart(table_name: str, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    with driven_server(index_backfill_items=10, in_memory=False, db_path=data,
                       durability="process") as server:
        dynamodb = server.dynamodb
        create_table(dynamodb, table_name, {"pk": "S", "sk": "S"})
        put_many(dynamodb, table_name, items(35))
        create_gsi(dynamodb, table_name)
        server.run_pass()
        assert index_status(dynamodb, table_name, "by-g")["Backfilling"] is True
    running = start_in_thread(Settings(port=0, db_path=data, durability="process",
                                       log_level="warning", index_backfill_items=10))
    try:
        dynamodb = client_for(running.endpoint)
        assert wait_active(dynamodb, table_name, "by-g")["Backfilling"] is False
        assert index_keys(dynamodb, table_name) == expected_keys(dynamodb, table_name)
    finally:
        running.stop()


def test_backfill_of_20000_items_while_another_thread_writes(table_name: str) -> None:
    """The issue's acceptance test: a GSI built over 20,000 items while another thread keeps
    putting, updating and deleting items (some entering, leaving or moving in the index);
    afterwards a full Scan of the index equals the projection of the table exactly."""
    running = start_in_thread(Settings(port=0, in_memory=True, log_level="warning",
                                       index_backfill_items=250))
    try:
        dynamodb = client_for(running.endpoint)
        create_table(dynamodb, table_name, {"pk": "S", "sk": "S"})
        put_many(dynamodb, table_name, items(20000))
        stop = threading.Event()
        writes = [0]
        during_backfill = [0]
        writer = threading.Thread(
            target=_keep_writing, args=(running.endpoint, table_name, stop, writes,
                                        during_backfill))
        writer.start()
        try:
            while writes[0] < 20:
                stop.wait(0.01)
            create_gsi(dynamodb, table_name)
            during_backfill[0] = 1
            wait_active(dynamodb, table_name, "by-g")
            during_backfill[0] = 0
            stop.wait(0.2)
        finally:
            stop.set()
            writer.join()
        assert during_backfill[0] == 0
        assert writes[0] > 40
        assert index_keys(dynamodb, table_name) == expected_keys(dynamodb, table_name)
    finally:
        running.stop()


def _keep_writing(endpoint: str, table: str, stop: threading.Event, writes: list[int],
                  during_backfill: list[int]) -> None:
    dynamodb = client_for(endpoint)
    rng = random.Random(6)
    while not stop.is_set():
        key = {"pk": s(f"p{rng.randrange(20500)}"), "sk": s("s")}
        choice = rng.randrange(4)
        if choice == 0:
            dynamodb.put_item(TableName=table, Item={**key, "g": s(f"w{rng.randrange(5)}"),
                                                     "v": {"N": str(rng.randrange(1000))}})
        elif choice == 1:
            dynamodb.update_item(TableName=table, Key=key, UpdateExpression="REMOVE g")
        elif choice == 2:
            dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET g = :g, v = :v",
                                 ExpressionAttributeValues={":g": s("moved"),
                                                            ":v": {"N": "1"}})
        else:
            dynamodb.delete_item(TableName=table, Key=key)
        writes[0] += 1
