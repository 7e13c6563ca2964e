"""Local secondary indexes through boto3: reads in index order, fetching unprojected
attributes from the table (and paying for it), item collection metrics and the item
collection size limit (lowered by a setting, not 10 GB of data)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for, error_of
from index_fixtures import create_table, index, read_all

from openddb.config import Settings
from openddb.server.runtime import start_in_thread


def s(value: str) -> dict[str, str]:
    return {"S": value}


def n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def lsi_table(dynamodb: Any, name: str) -> None:
    create_table(dynamodb, name, {"pk": "S", "sk": "S", "points": "N"}, LocalSecondaryIndexes=[
        index("by-rank", "pk", "points", projection_type="INCLUDE", non_key=["note"]),
        index("by-rank-all", "pk", "points"),
    ])


def test_local_index_reads_and_fetches(dynamodb: Any, table_name: str) -> None:
    lsi_table(dynamodb, table_name)
    for number, rank in enumerate((30, 10, 20)):
        dynamodb.put_item(TableName=table_name, Item={
            "pk": s("p"), "sk": s(f"s{number}"), "points": n(rank), "note": s(f"n{number}"),
            "body": s("b" * 5000)})
    dynamodb.put_item(TableName=table_name, Item={"pk": s("p"), "sk": s("unranked")})
    request = {"TableName": table_name, "IndexName": "by-rank",
               "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": s("p")}}
    projected = dynamodb.query(ConsistentRead=True, ReturnConsumedCapacity="INDEXES", **request)
    assert [item["points"] for item in projected["Items"]] == [n(10), n(20), n(30)]
    assert all(set(item) == {"pk", "sk", "points", "note"} for item in projected["Items"])
    assert projected["ConsumedCapacity"] == {
        "TableName": table_name, "CapacityUnits": 1.0, "ReadCapacityUnits": 1.0,
        "Table": {"CapacityUnits": 0.0, "ReadCapacityUnits": 0.0},
        "LocalSecondaryIndexes": {"by-rank": {"CapacityUnits": 1.0, "ReadCapacityUnits": 1.0}},
    }
    # ALL_ATTRIBUTES on an LSI reads each item from the table: 1 unit for the entries
    # plus 2 per item of about 5 KB (strongly consistent).
    fetched = dynamodb.query(ConsistentRead=True, Select="ALL_ATTRIBUTES",
                             ReturnConsumedCapacity="INDEXES", **request)
    assert [item["body"] for item in fetched["Items"]] == [s("b" * 5000)] * 3
    assert fetched["ConsumedCapacity"]["Table"] == {"CapacityUnits": 6.0,
                                                    "ReadCapacityUnits": 6.0}
    assert fetched["ConsumedCapacity"]["CapacityUnits"] == 7.0
    # So does a projection or a filter naming an attribute the LSI does not project.
    bodies = dynamodb.query(ProjectionExpression="sk, body", FilterExpression="note <> :r",
                            **{**request, "ExpressionAttributeValues": {":p": s("p"),
                                                                        ":r": s("n1")}})
    assert bodies["Items"] == [{"sk": s("s2"), "body": s("b" * 5000)},
                               {"sk": s("s0"), "body": s("b" * 5000)}]
    assert bodies["ScannedCount"] == 3
    filtered = dynamodb.query(FilterExpression="body = :b", **{
        **request, "ExpressionAttributeValues": {":p": s("p"), ":b": s("b" * 5000)}})
    assert filtered["Count"] == 3
    # An ALL projection never needs the table.
    whole = dynamodb.query(**{**request, "IndexName": "by-rank-all"}, Select="ALL_ATTRIBUTES",
                           ReturnConsumedCapacity="INDEXES")
    assert whole["ConsumedCapacity"]["Table"]["CapacityUnits"] == 0.0
    assert [item["sk"] for item in whole["Items"]] == [s("s1"), s("s2"), s("s0")]
    page = dynamodb.query(Limit=1, ScanIndexForward=False, **request)
    assert page["LastEvaluatedKey"] == {"pk": s("p"), "points": n(30), "sk": s("s0")}
    dynamodb.delete_table(TableName=table_name)


def test_item_collection_metrics(dynamodb: Any, table_name: str) -> None:
    lsi_table(dynamodb, table_name)
    answer = dynamodb.batch_write_item(RequestItems={table_name: [
        {"PutRequest": {"Item": {"pk": s("a"), "sk": s("1"), "points": n(1)}}},
        {"PutRequest": {"Item": {"pk": s("b"), "sk": s("1")}}}]},
        ReturnItemCollectionMetrics="SIZE")
    assert answer["ItemCollectionMetrics"] == {table_name: [
        {"ItemCollectionKey": {"pk": s("a")}, "SizeEstimateRangeGB": [0.0, 1.0]},
        {"ItemCollectionKey": {"pk": s("b")}, "SizeEstimateRangeGB": [0.0, 1.0]},
    ]}
    dynamodb.delete_table(TableName=table_name)


def test_item_collection_size_limit(table_name: str) -> None:
    """ItemCollectionSizeLimitExceededException once a collection (items plus their LSI
    entries) would pass the limit, here lowered to 3,000 bytes; other collections and
    shrinking writes go on."""
    running = start_in_thread(Settings(port=0, in_memory=True, log_level="warning",
                                       item_collection_size_limit_bytes=3000))
    try:
        dynamodb = client_for(running.endpoint)
        lsi_table(dynamodb, table_name)

        def item(sk: str, size: int) -> dict[str, Any]:
            return {"pk": s("p"), "sk": s(sk), "points": n(1), "body": s("x" * size)}

        # Each ~700-byte item counts twice: the table item and its ALL-projected entry.
        dynamodb.put_item(TableName=table_name, Item=item("1", 700))
        dynamodb.put_item(TableName=table_name, Item=item("2", 700))
        with pytest.raises(ClientError) as excinfo:
            dynamodb.put_item(TableName=table_name, Item=item("3", 700))
        assert error_of(excinfo) == (
            "ItemCollectionSizeLimitExceededException",
            "The total size of an item collection has exceeded the maximum limit of 10 "
            "gigabytes.")
        assert dynamodb.get_item(TableName=table_name,
                                 Key={"pk": s("p"), "sk": s("3")}).get("Item") is None
        with pytest.raises(ClientError):
            dynamodb.update_item(TableName=table_name, Key={"pk": s("p"), "sk": s("1")},
                                 UpdateExpression="SET more = :m",
                                 ExpressionAttributeValues={":m": s("y" * 700)})
        # In a transaction the same write cancels it with a reason, and nothing is written.
        with pytest.raises(ClientError) as excinfo:
            dynamodb.transact_write_items(TransactItems=[
                {"Put": {"TableName": table_name, "Item": {**item("9", 10), "pk": s("r")}}},
                {"Put": {"TableName": table_name, "Item": item("3", 700)}}])
        assert excinfo.value.response["Error"]["Code"] == "TransactionCanceledException"
        assert excinfo.value.response["CancellationReasons"] == [
            {"Code": "None"},
            {"Code": "ItemCollectionSizeLimitExceeded", "Message": "Collection size exceeded."}]
        assert dynamodb.get_item(TableName=table_name,
                                 Key={"pk": s("r"), "sk": s("9")}).get("Item") is None
        # Another partition key value is another collection; shrinking is always allowed.
        dynamodb.put_item(TableName=table_name, Item={**item("3", 700), "pk": s("q")})
        dynamodb.put_item(TableName=table_name, Item=item("1", 10))
        dynamodb.put_item(TableName=table_name, Item=item("3", 700))
        assert len(read_all(dynamodb.query, TableName=table_name, IndexName="by-rank-all",
                            KeyConditionExpression="pk = :p",
                            ExpressionAttributeValues={":p": s("p")})) == 3
    finally:
        running.stop()


# --- write capacity of local secondary indexes ------------------------------------------------
# Developer Guide "Local secondary indexes" > "Provisioned throughput considerations for Local
# Secondary Indexes" > "Write Capacity Units": one write when an item enters or leaves an LSI
# (or a projected attribute changes), two when its index sort key changes, none when it is in
# the index neither before nor after; entries round up to 1 KB. The units count in the totals.


def write_units(units: float) -> dict[str, float]:
    return {"CapacityUnits": units, "WriteCapacityUnits": units}


def indexed_table(dynamodb: Any, name: str) -> None:
    """Two LSIs on ``rank`` (KEYS_ONLY and ALL) and a KEYS_ONLY GSI on ``g``."""
    create_table(
        dynamodb, name, {"pk": "S", "sk": "S", "rank": "N", "g": "S"},
        LocalSecondaryIndexes=[index("by-rank", "pk", "rank", projection_type="KEYS_ONLY"),
                               index("by-rank-all", "pk", "rank")],
        GlobalSecondaryIndexes=[index("by-g", "g", projection_type="KEYS_ONLY")])


def consumed(table_name: str, total: float, table: float, **indexes: Any) -> dict[str, Any]:
    """A write's ConsumedCapacity at INDEXES detail (``indexes``: the maps by member)."""
    return {"TableName": table_name, **write_units(total), "Table": write_units(table),
            **indexes}


def test_local_index_write_units(dynamodb: Any, table_name: str) -> None:
    indexed_table(dynamodb, table_name)
    key = {"pk": s("p"), "sk": s("1")}
    request = {"TableName": table_name, "ReturnConsumedCapacity": "INDEXES"}
    # About 1.5 KB: 2 units for the table and the ALL entry, 1 for each KEYS_ONLY entry.
    entered = dynamodb.put_item(**request, Item={**key, "rank": n(1), "g": s("x"),
                                                 "body": s("b" * 1500)})
    assert entered["ConsumedCapacity"] == consumed(
        table_name, 6.0, 2.0,
        LocalSecondaryIndexes={"by-rank": write_units(1.0), "by-rank-all": write_units(2.0)},
        GlobalSecondaryIndexes={"by-g": write_units(1.0)})
    # A new LSI sort key value: the old entry deleted and the new one put, in each LSI; the
    # GSI's KEYS_ONLY entry does not change.
    moved = dynamodb.update_item(**request, Key=key, UpdateExpression="SET #r = :r",
                                 ExpressionAttributeNames={"#r": "rank"},
                                 ExpressionAttributeValues={":r": n(2)})
    assert moved["ConsumedCapacity"] == consumed(
        table_name, 8.0, 2.0,
        LocalSecondaryIndexes={"by-rank": write_units(2.0), "by-rank-all": write_units(4.0)})
    # An attribute KEYS_ONLY does not project: only the ALL entry is written.
    unprojected = dynamodb.update_item(**request, Key=key, UpdateExpression="SET body = :b",
                                       ExpressionAttributeValues={":b": s("c" * 1500)})
    assert unprojected["ConsumedCapacity"] == consumed(
        table_name, 4.0, 2.0, LocalSecondaryIndexes={"by-rank-all": write_units(2.0)})
    # Removing the LSI sort key takes the item out of both LSIs: one delete each.
    left = dynamodb.update_item(**request, Key=key, UpdateExpression="REMOVE #r",
                                ExpressionAttributeNames={"#r": "rank"})
    assert left["ConsumedCapacity"] == consumed(
        table_name, 5.0, 2.0,
        LocalSecondaryIndexes={"by-rank": write_units(1.0), "by-rank-all": write_units(2.0)})
    # Not in the LSIs before or after: no LocalSecondaryIndexes member at all.
    outside = dynamodb.put_item(**request, Item={**key, "g": s("y")})
    assert outside["ConsumedCapacity"] == consumed(
        table_name, 4.0, 2.0, GlobalSecondaryIndexes={"by-g": write_units(2.0)})
    dynamodb.put_item(TableName=table_name, Item={**key, "rank": n(3), "g": s("y")})
    deleted = dynamodb.delete_item(**request, Key=key)
    assert deleted["ConsumedCapacity"] == consumed(
        table_name, 4.0, 1.0,
        LocalSecondaryIndexes={"by-rank": write_units(1.0), "by-rank-all": write_units(1.0)},
        GlobalSecondaryIndexes={"by-g": write_units(1.0)})
    # TOTAL: the aggregate alone, LSI units included.
    total = dynamodb.put_item(TableName=table_name, ReturnConsumedCapacity="TOTAL",
                              Item={**key, "rank": n(1)})
    assert total["ConsumedCapacity"] == {"TableName": table_name, **write_units(3.0)}
    dynamodb.delete_table(TableName=table_name)


def test_local_index_write_units_in_batches(dynamodb: Any, table_name: str) -> None:
    indexed_table(dynamodb, table_name)
    ranked = {"pk": s("p"), "sk": s("1"), "rank": n(1), "g": s("x")}
    unranked = {"pk": s("p"), "sk": s("2")}
    answer = dynamodb.batch_write_item(ReturnConsumedCapacity="INDEXES", RequestItems={
        table_name: [{"PutRequest": {"Item": ranked}}, {"PutRequest": {"Item": unranked}}]})
    assert answer["ConsumedCapacity"] == [consumed(
        table_name, 5.0, 2.0,
        LocalSecondaryIndexes={"by-rank": write_units(1.0), "by-rank-all": write_units(1.0)},
        GlobalSecondaryIndexes={"by-g": write_units(1.0)})]
    moved = {**ranked, "rank": n(2)}
    answer = dynamodb.batch_write_item(ReturnConsumedCapacity="INDEXES", RequestItems={
        table_name: [{"PutRequest": {"Item": moved}}, {"PutRequest": {"Item": unranked}}]})
    assert answer["ConsumedCapacity"] == [consumed(
        table_name, 6.0, 2.0,
        LocalSecondaryIndexes={"by-rank": write_units(2.0), "by-rank-all": write_units(2.0)})]
    keys = [{"pk": s("p"), "sk": s(sk)} for sk in ("1", "2")]
    answer = dynamodb.batch_write_item(ReturnConsumedCapacity="TOTAL", RequestItems={
        table_name: [{"DeleteRequest": {"Key": key}} for key in keys]})
    assert answer["ConsumedCapacity"] == [{"TableName": table_name, **write_units(5.0)}]
    dynamodb.delete_table(TableName=table_name)


def test_local_index_write_units_in_transactions(dynamodb: Any, table_name: str) -> None:
    """Every write of a transaction counts twice (Developer Guide "Capacity management for
    transactions"), its index entries too."""
    indexed_table(dynamodb, table_name)
    ranked = {"pk": s("p"), "sk": s("1"), "rank": n(1), "g": s("x")}
    unranked = {"pk": s("p"), "sk": s("2")}
    answer = dynamodb.transact_write_items(ReturnConsumedCapacity="INDEXES", TransactItems=[
        {"Put": {"TableName": table_name, "Item": ranked}},
        {"Put": {"TableName": table_name, "Item": unranked}}])
    assert answer["ConsumedCapacity"] == [consumed(
        table_name, 10.0, 4.0,
        LocalSecondaryIndexes={"by-rank": write_units(2.0), "by-rank-all": write_units(2.0)},
        GlobalSecondaryIndexes={"by-g": write_units(2.0)})]
    answer = dynamodb.transact_write_items(ReturnConsumedCapacity="INDEXES", TransactItems=[
        {"Update": {"TableName": table_name, "Key": {"pk": s("p"), "sk": s("1")},
                    "UpdateExpression": "SET #r = :r", "ExpressionAttributeNames": {"#r": "rank"},
                    "ExpressionAttributeValues": {":r": n(2)}}},
        {"Update": {"TableName": table_name, "Key": {"pk": s("p"), "sk": s("2")},
                    "UpdateExpression": "SET note = :n",
                    "ExpressionAttributeValues": {":n": s("n")}}}])
    assert answer["ConsumedCapacity"] == [consumed(
        table_name, 12.0, 4.0,
        LocalSecondaryIndexes={"by-rank": write_units(4.0), "by-rank-all": write_units(4.0)})]
    answer = dynamodb.transact_write_items(ReturnConsumedCapacity="TOTAL", TransactItems=[
        {"Delete": {"TableName": table_name, "Key": {"pk": s("p"), "sk": s("1")}}}])
    assert answer["ConsumedCapacity"] == [{"TableName": table_name, **write_units(8.0)}]
    dynamodb.delete_table(TableName=table_name)


def test_local_index_write_units_in_partiql(dynamodb: Any, table_name: str) -> None:
    indexed_table(dynamodb, table_name)
    dynamodb.put_item(TableName=table_name, Item={"pk": s("p"), "sk": s("1"), "rank": n(1)})
    answer = dynamodb.execute_statement(
        Statement=f'UPDATE "{table_name}" SET "rank" = 2 WHERE pk = \'p\' AND sk = \'1\'',
        ReturnConsumedCapacity="INDEXES")
    assert answer["ConsumedCapacity"] == consumed(
        table_name, 5.0, 1.0,
        LocalSecondaryIndexes={"by-rank": write_units(2.0), "by-rank-all": write_units(2.0)})
    dynamodb.delete_table(TableName=table_name)
