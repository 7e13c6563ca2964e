"""Throttling (``--throttling``) through boto3: token buckets per table and GSI at the
provisioned rate with 300 s of burst credit, on-demand maximums and the account quota,
the right exception for each, partial batches, throttled transactions, control-plane
rates, the metrics endpoint, and boto3's standard and adaptive retry modes completing
every write of a client running at five times its provisioned rate.

Every test but the retry ones runs on a virtual clock: burst credit accumulates only when
the test moves time. Texts: behaviours.md section 9 and its addendum; the rules are in
the openddb/throughput package docstring.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import REGION, client_for, error_of
from throttling_fixtures import (
    ACCOUNT_LIMIT,
    CANCELLED,
    INDEX_EXCEEDED,
    ON_DEMAND_THROTTLED,
    TABLE_EXCEEDED,
    Throttled,
    item,
    no_retry_client,
    puts_until_throttled,
    throttled,
    units,
)

from openddb.clock import VirtualClock
from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

__all__ = ["throttled"]  # the module-scoped fixture, used by name


# --- provisioned tables: burst credit on the virtual clock -----------------------------------


def test_burst_credit_accumulates_and_is_spent(throttled: Throttled) -> None:
    """1 WCU: a new table holds one second of capacity; 60 idle seconds buy 60 writes; the
    credit never exceeds 300 seconds of capacity, however long the table stays idle."""
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=1, write=1)
    assert puts_until_throttled(dynamodb, table) == 1
    clock.advance(60.0)
    assert puts_until_throttled(dynamodb, table) == 60
    clock.advance(3600.0)  # an hour idle still leaves only 300 units of credit
    assert puts_until_throttled(dynamodb, table, kilobytes=10) == 30  # 10 WCU each
    # A request is admitted while the bucket holds anything, then charged in full: a 10 KB
    # write on half a unit of credit leaves the table 9.5 units in debt.
    clock.advance(0.5)
    assert puts_until_throttled(dynamodb, table, kilobytes=10) == 1
    clock.advance(9.0)
    assert puts_until_throttled(dynamodb, table) == 0
    clock.advance(1.0)
    assert puts_until_throttled(dynamodb, table) == 1


def test_the_exception_names_reason_and_resource(throttled: Throttled) -> None:
    dynamodb = throttled.dynamodb
    table = throttled.table(read=1, write=1)
    dynamodb.put_item(TableName=table, Item=item("a"))
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item=item("b"))
    assert error_of(excinfo) == ("ProvisionedThroughputExceededException", TABLE_EXCEEDED)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert excinfo.value.response["ThrottlingReasons"] == [
        {"reason": "TableWriteProvisionedThroughputExceeded", "resource": throttled.arn(table)}
    ]
    assert dynamodb.get_item(TableName=table, Key={"pk": {"S": "b"}}).get("Item") is None


def test_reads_draw_on_the_read_capacity(throttled: Throttled) -> None:
    """1 RCU: one strongly consistent read or two eventually consistent ones per second;
    Query and Scan draw on the same bucket."""
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=1, write=5)
    dynamodb.put_item(TableName=table, Item=item("a"))
    dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}}, ConsistentRead=True)
    with pytest.raises(ClientError) as excinfo:
        dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}})
    assert excinfo.value.response["ThrottlingReasons"][0]["reason"] == (
        "TableReadProvisionedThroughputExceeded"
    )
    clock.advance(1.0)
    dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}})
    dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}})
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        dynamodb.scan(TableName=table)
    clock.advance(1.0)
    dynamodb.query(
        TableName=table,
        KeyConditionExpression="pk = :a",
        ExpressionAttributeValues={":a": {"S": "a"}},
        ConsistentRead=True,
    )
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        dynamodb.scan(TableName=table)


def test_more_capacity_applies_at_once(throttled: Throttled) -> None:
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=1, write=1)
    assert puts_until_throttled(dynamodb, table) == 1
    dynamodb.update_table(TableName=table, ProvisionedThroughput=units(1, 20))
    clock.advance(1.0)
    assert puts_until_throttled(dynamodb, table) == 20


def test_a_failed_condition_still_consumes_a_write(throttled: Throttled) -> None:
    dynamodb = throttled.dynamodb
    table = throttled.table(read=1, write=2)
    dynamodb.put_item(TableName=table, Item=item("a"))
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(
            TableName=table, Item=item("a"), ConditionExpression="attribute_not_exists(pk)"
        )
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        dynamodb.put_item(TableName=table, Item=item("b"))


# --- global secondary indexes ----------------------------------------------------------------


def test_a_global_index_has_its_own_write_capacity(throttled: Throttled) -> None:
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(
        read=100,
        write=100,
        AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "ProvisionedThroughput": units(1, 2),
            }
        ],
    )
    response = dynamodb.put_item(
        TableName=table, Item=item("a", g={"S": "x"}), ReturnConsumedCapacity="INDEXES"
    )
    assert response["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": 2.0,
        "WriteCapacityUnits": 2.0,
        "Table": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"by-g": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}},
    }
    # Changing the index key: the old entry is deleted and a new one put, two writes.
    response = dynamodb.put_item(
        TableName=table, Item=item("a", g={"S": "y"}), ReturnConsumedCapacity="TOTAL"
    )
    assert response["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": 3.0,
        "WriteCapacityUnits": 3.0,
    }
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item=item("b"))
    assert error_of(excinfo) == ("ProvisionedThroughputExceededException", INDEX_EXCEEDED)
    assert excinfo.value.response["ThrottlingReasons"] == [
        {
            "reason": "IndexWriteProvisionedThroughputExceeded",
            "resource": f"{throttled.arn(table)}/index/by-g",
        }
    ]
    clock.advance(2.0)
    dynamodb.put_item(TableName=table, Item=item("b"))  # not in the index: no index write
    dynamodb.put_item(TableName=table, Item=item("c"))


def test_local_index_writes_draw_on_the_table(throttled: Throttled) -> None:
    """LSI entries are written with the table's write capacity (Developer Guide "Local
    secondary indexes", "Write Capacity Units"): at 2 WCU, one put that enters the LSI
    spends the second's capacity that two puts outside it share."""
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = "throttled-lsi"
    dynamodb.create_table(
        TableName=table,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "l")
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
        ProvisionedThroughput=units(1, 2),
    )

    def put(sk: str, **extra: Any) -> dict[str, Any]:
        answer: dict[str, Any] = dynamodb.put_item(
            TableName=table, Item={"pk": {"S": "a"}, "sk": {"S": sk}, **extra}
        )
        return answer

    put("1", l={"S": "x"})
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        put("2")
    clock.advance(1.0)
    put("2")
    put("3")
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        put("4")


# --- on demand ---------------------------------------------------------------------------


def test_an_on_demand_maximum_answers_throttling_exception(throttled: Throttled) -> None:
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=None, write=None, OnDemandThroughput={"MaxWriteRequestUnits": 2})
    for pk in ("a", "b"):
        dynamodb.put_item(TableName=table, Item=item(pk))
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item=item("c"))
    assert error_of(excinfo) == ("ThrottlingException", ON_DEMAND_THROTTLED)
    assert excinfo.value.response["throttlingReasons"] == [  # lowercase t (model)
        {"reason": "TableWriteMaxOnDemandThroughputExceeded", "resource": throttled.arn(table)}
    ]
    clock.advance(3600.0)  # no burst credit on demand: one second of the maximum
    for pk in ("c", "d"):
        dynamodb.put_item(TableName=table, Item=item(pk))
    with pytest.raises(dynamodb.exceptions.ThrottlingException):
        dynamodb.put_item(TableName=table, Item=item("e"))
    dynamodb.update_table(TableName=table, OnDemandThroughput={"MaxWriteRequestUnits": -1})
    clock.advance(1.0)
    for pk in "efghijklmn":
        dynamodb.put_item(TableName=table, Item=item(pk))


def test_the_account_quota_answers_request_limit_exceeded(throttled: Throttled) -> None:
    """On demand without a maximum: 40,000 write units per second per table. A 400 KB item
    costs 400 units per update, so the hundredth write in one (virtual) second is refused."""
    dynamodb = throttled.dynamodb
    table = throttled.table(read=None, write=None)
    big = item("big", kilobytes=400)  # 400 write units
    dynamodb.put_item(TableName=table, Item=big)
    for count in range(99):
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": "big"}},
            UpdateExpression="SET n = :n",
            ExpressionAttributeValues={":n": {"N": str(count)}},
        )
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item=item("small"))
    assert error_of(excinfo) == ("RequestLimitExceeded", ACCOUNT_LIMIT)
    assert excinfo.value.response["ThrottlingReasons"] == [
        {"reason": "TableWriteAccountLimitExceeded", "resource": throttled.arn(table)}
    ]
    # In a transaction the same limit is the action's RequestLimitExceeded reason.
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[{"Put": {"TableName": table, "Item": item("small")}}]
        )
    assert excinfo.value.response["CancellationReasons"] == [
        {"Code": "RequestLimitExceeded", "Message": ACCOUNT_LIMIT}
    ]


# --- batches: partly processed ------------------------------------------------------------


def test_batch_write_returns_unprocessed_items(throttled: Throttled) -> None:
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=1, write=5)
    requests = [{"PutRequest": {"Item": item(f"i{n}")}} for n in range(8)]
    response = dynamodb.batch_write_item(RequestItems={table: requests})
    assert response["UnprocessedItems"] == {table: requests[5:]}
    with pytest.raises(ClientError) as excinfo:
        dynamodb.batch_write_item(RequestItems=response["UnprocessedItems"])
    assert error_of(excinfo) == ("ProvisionedThroughputExceededException", TABLE_EXCEEDED)
    clock.advance(1.0)
    again = dynamodb.batch_write_item(RequestItems=response["UnprocessedItems"])
    assert again["UnprocessedItems"] == {}
    assert dynamodb.scan(TableName=table, ConsistentRead=True)["Count"] == 8


def test_batch_get_returns_unprocessed_keys(throttled: Throttled) -> None:
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=2, write=10)
    keys = [{"pk": {"S": f"k{n}"}} for n in range(5)]
    for key in keys:
        dynamodb.put_item(TableName=table, Item=key)
    request = {table: {"Keys": keys, "ConsistentRead": True}}
    response = dynamodb.batch_get_item(RequestItems=request)
    assert len(response["Responses"][table]) == 2
    assert response["UnprocessedKeys"] == {table: {"Keys": keys[2:], "ConsistentRead": True}}
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        dynamodb.batch_get_item(RequestItems=response["UnprocessedKeys"])
    clock.advance(2.0)  # 4 units: 3 strongly consistent reads fit
    again = dynamodb.batch_get_item(RequestItems=response["UnprocessedKeys"])
    assert len(again["Responses"][table]) == 3
    assert again["UnprocessedKeys"] == {}


# --- transactions: a throttled action cancels the transaction --------------------------------


def test_throttled_transaction_reasons(throttled: Throttled) -> None:
    dynamodb = throttled.dynamodb
    provisioned = throttled.table(read=1, write=1)
    capped = throttled.table(read=None, write=None, OnDemandThroughput={"MaxWriteRequestUnits": 1})
    roomy = throttled.table(read=None, write=None)
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": roomy, "Item": item("a")}},
                {"Put": {"TableName": provisioned, "Item": item("a")}},
                {"Put": {"TableName": provisioned, "Item": item("b")}},
                {"Put": {"TableName": capped, "Item": item("a")}},
                {"Put": {"TableName": capped, "Item": item("b")}},
            ]
        )
    response = excinfo.value.response
    assert error_of(excinfo) == (
        "TransactionCanceledException",
        f"{CANCELLED} [None, None, ProvisionedThroughputExceeded, None, ThrottlingError]",
    )
    assert response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "None"},
        {"Code": "ProvisionedThroughputExceeded", "Message": TABLE_EXCEEDED},
        {"Code": "None"},
        {"Code": "ThrottlingError", "Message": ON_DEMAND_THROTTLED},
    ]
    assert dynamodb.get_item(TableName=roomy, Key={"pk": {"S": "a"}}).get("Item") is None


def test_throttled_transaction_get(throttled: Throttled) -> None:
    dynamodb, clock = throttled.dynamodb, throttled.clock
    table = throttled.table(read=1, write=5)
    dynamodb.put_item(TableName=table, Item=item("a"))
    clock.advance(1.0)  # the read bucket starts at its first use, with one unit
    gets = [{"Get": {"TableName": table, "Key": {"pk": {"S": "a"}}}}]
    assert dynamodb.transact_get_items(TransactItems=gets)["Responses"] == [{"Item": item("a")}]
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_get_items(TransactItems=gets)
    assert excinfo.value.response["CancellationReasons"] == [
        {"Code": "ProvisionedThroughputExceeded", "Message": TABLE_EXCEEDED}
    ]


# --- control plane ---------------------------------------------------------------------------


def test_control_plane_rate() -> None:
    running = start_in_thread(
        Settings(
            port=0,
            in_memory=True,
            log_level="warning",
            clock="virtual",
            throttling=True,
            throttling_control_plane_rate=2.0,
        )
    )
    try:
        dynamodb = no_retry_client(running.endpoint)
        dynamodb.list_tables()
        dynamodb.describe_limits()
        with pytest.raises(ClientError) as excinfo:
            dynamodb.list_tables()
        assert error_of(excinfo) == ("ThrottlingException", "Rate exceeded")
        clock = running.server.clock
        assert isinstance(clock, VirtualClock)
        clock.advance(1.0)
        dynamodb.list_tables()
    finally:
        running.stop()


# --- metrics ---------------------------------------------------------------------------------


def metrics(endpoint: str) -> str:
    with urllib.request.urlopen(f"{endpoint}/metrics") as answer:
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text: str = answer.read().decode()
        return text


def test_metrics_count_consumed_units_without_throttling(
    dynamodb: Any, endpoint: str, make_table: Any
) -> None:
    """Counting needs no --throttling (the session server runs without it)."""
    table = make_table()
    dynamodb.put_item(TableName=table, Item=item("a", kilobytes=3))
    dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}})  # eventually consistent: 0.5
    dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": item("b")}}])
    text = metrics(endpoint)
    labels = f'namespace="testing:{REGION}",table="{table}",index=""'
    assert f"openddb_consumed_write_capacity_units_total{{{labels}}} 5\n" in text
    assert f"openddb_consumed_read_capacity_units_total{{{labels}}} 0.5\n" in text


def test_metrics_count_throttles_and_show_buckets(throttled: Throttled) -> None:
    dynamodb = throttled.dynamodb
    table = throttled.table(read=3, write=1)
    dynamodb.put_item(TableName=table, Item=item("a"))
    with pytest.raises(dynamodb.exceptions.ProvisionedThroughputExceededException):
        dynamodb.put_item(TableName=table, Item=item("b"))
    text = metrics(throttled.running.endpoint)
    namespace = f'namespace="testing:{REGION}",table="{table}"'
    assert (
        f"openddb_throttled_requests_total{{{namespace},"
        f'reason="TableWriteProvisionedThroughputExceeded"}} 1\n'
    ) in text
    assert f'openddb_capacity_units_available{{{namespace},index="",kind="read"}} 3\n' in text
    assert f'openddb_capacity_units_available{{{namespace},index="",kind="write"}} 0\n' in text


# --- boto3 retry modes against a real (wall) clock -----------------------------------------

RETRY_WRITE_UNITS = 10
RETRY_WRITES = 20
RETRY_RATE_FACTOR = 5


@pytest.fixture(scope="module")
def wall_clock_throttled() -> Iterator[RunningServer]:
    running = start_in_thread(
        Settings(port=0, in_memory=True, log_level="warning", throttling=True)
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("mode", ["standard", "adaptive"])
def test_retries_complete_every_write_at_five_times_the_rate(
    wall_clock_throttled: RunningServer, mode: str
) -> None:
    """A client sending 20 writes at 50 per second to a 10 WCU table: throttled writes are
    retried with back-off by boto3 until every one succeeds; the retries show in
    ResponseMetadata.RetryAttempts, and the whole run takes at least the second the table
    needs to earn the units its first second did not hold."""
    endpoint = wall_clock_throttled.endpoint
    setup = client_for(endpoint)
    table = f"retries-{mode}"
    setup.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput=units(RETRY_WRITE_UNITS, RETRY_WRITE_UNITS),
    )
    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": mode, "max_attempts": 20}),
    )
    retries: list[int] = []
    lock = threading.Lock()
    interval = 1.0 / (RETRY_WRITE_UNITS * RETRY_RATE_FACTOR)
    started = time.monotonic()

    def write(number: int) -> None:
        time.sleep(max(0.0, started + number * interval - time.monotonic()))
        response = client.put_item(TableName=table, Item=item(f"w{number}"))
        with lock:
            retries.append(response["ResponseMetadata"]["RetryAttempts"])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(RETRY_WRITES)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    elapsed = time.monotonic() - started
    assert len(retries) == RETRY_WRITES
    assert sum(retries) > 0
    assert max(retries) >= 1
    count = setup.scan(TableName=table, Select="COUNT")["Count"]
    assert count == RETRY_WRITES
    assert elapsed >= (RETRY_WRITES - RETRY_WRITE_UNITS) / RETRY_WRITE_UNITS * 0.9
