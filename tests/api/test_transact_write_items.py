"""TransactWriteItems through boto3: validation, all-or-nothing, every cancellation-reason
shape, ClientRequestToken idempotency, capacity, and the bank-transfer invariant under
8 concurrent clients.

Texts: behaviours.md section 4 and its addendum (live cancellation bodies: boto3#2657,
aws-sdk-net#1292; per-code reason messages from the model documentation). The throttling
reason shapes (ProvisionedThroughputExceeded, ThrottlingError) are in
tests/features/test_throttling.py, where a server runs with --throttling.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import REGION, client_for, error_of

from openddb.clock import VirtualClock
from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons"
FAILED = "The conditional request failed"


def key(pk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}}


def put(table: str, pk: str, **extra: Any) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": {**key(pk), **extra}}}


def update(table: str, pk: str, expression: str, **extra: Any) -> dict[str, Any]:
    return {"Update": {"TableName": table, "Key": key(pk), "UpdateExpression": expression, **extra}}


def check(table: str, pk: str, condition: str, **extra: Any) -> dict[str, Any]:
    return {
        "ConditionCheck": {
            "TableName": table,
            "Key": key(pk),
            "ConditionExpression": condition,
            **extra,
        }
    }


def get(dynamodb: Any, table: str, pk: str) -> Any:
    return dynamodb.get_item(TableName=table, Key=key(pk)).get("Item")


def cancellation(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, list[dict[str, Any]]]:
    response = excinfo.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    return response["Message"], response["CancellationReasons"]


# --- validation: the whole request is refused, nothing is written ---------------------------


def test_empty_transact_items_is_a_shape_error(endpoint: str) -> None:
    unchecked = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False),
    )
    with pytest.raises(ClientError) as excinfo:
        unchecked.transact_write_items(TransactItems=[])
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1",
    )


def test_more_than_100_actions_is_a_shape_error(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(TransactItems=[put(table, str(n)) for n in range(101)])
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 100" in message


def test_an_element_needs_exactly_one_action(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    both = {**put(table, "a"), "Delete": {"TableName": table, "Key": key("a")}}
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(TransactItems=[both])
    assert error_of(excinfo) == (
        "ValidationException",
        "TransactItems can only contain one of ConditionCheck, Put, Update or Delete",
    )


def test_two_actions_on_one_item(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    for second in (
        {"Delete": {"TableName": table, "Key": key("a")}},
        check(table, "a", "attribute_exists(pk)"),
        update(table, "a", "SET v = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
    ):
        with pytest.raises(ClientError) as excinfo:
            dynamodb.transact_write_items(TransactItems=[put(table, "a"), second])
        assert error_of(excinfo) == (
            "ValidationException",
            "Transaction request cannot include multiple operations on one item",
        )
    assert get(dynamodb, table, "a") is None


def test_same_key_in_two_tables_is_two_items(dynamodb: Any, make_table: Any) -> None:
    one, two = make_table(), make_table()
    dynamodb.transact_write_items(TransactItems=[put(one, "a"), put(two, "a")])
    assert get(dynamodb, one, "a") == key("a")
    assert get(dynamodb, two, "a") == key("a")


def test_missing_table(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(TransactItems=[put(table, "a"), put("no-such-table", "a")])
    assert error_of(excinfo) == ("ResourceNotFoundException", "Requested resource not found")
    assert get(dynamodb, table, "a") is None


def test_expression_errors_refuse_the_request_not_a_reason(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[put(table, "a"), check(table, "b", "attribute_exists(#missing)")]
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Invalid ConditionExpression: An expression attribute name used in the document path "
        "is not defined; attribute name: #missing",
    )
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[
                update(
                    table,
                    "a",
                    "SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "1"}, ":unused": {"N": "2"}},
                )
            ]
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    )
    assert get(dynamodb, table, "a") is None


def test_key_attributes_cannot_be_updated(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[
                update(table, "a", "SET pk = :v", ExpressionAttributeValues={":v": {"S": "b"}})
            ]
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute pk. "
        "This attribute is part of the key",
    )


def test_put_key_must_match_the_schema(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[{"Put": {"TableName": table, "Item": {"other": {"S": "x"}}}}]
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "One or more parameter values were invalid: Missing the key pk in the item",
    )


def test_items_above_4_mb_in_all(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    blob = "x" * (390 * 1024)
    actions = [put(table, str(n), blob={"S": blob}) for n in range(11)]
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(TransactItems=actions)
    assert error_of(excinfo) == (
        "ValidationException",
        "Transaction request cannot be larger than 4 MB",
    )
    dynamodb.transact_write_items(TransactItems=actions[:10])
    assert get(dynamodb, table, "9") is not None


# --- behaviour ---------------------------------------------------------------------------


def test_all_four_actions_apply_together(dynamodb: Any, make_table: Any) -> None:
    accounts, audit = make_table(), make_table()
    dynamodb.put_item(TableName=accounts, Item={**key("alice"), "balance": {"N": "100"}})
    dynamodb.put_item(TableName=accounts, Item={**key("old"), "balance": {"N": "0"}})
    dynamodb.put_item(TableName=audit, Item={**key("open"), "open": {"BOOL": True}})
    response = dynamodb.transact_write_items(
        TransactItems=[
            check(
                audit,
                "open",
                "#o = :t",
                ExpressionAttributeNames={"#o": "open"},
                ExpressionAttributeValues={":t": {"BOOL": True}},
            ),
            update(
                accounts,
                "alice",
                "SET balance = balance - :a",
                ConditionExpression="balance >= :a",
                ExpressionAttributeValues={":a": {"N": "30"}},
            ),
            put(accounts, "bob", balance={"N": "30"}),
            {
                "Delete": {
                    "TableName": accounts,
                    "Key": key("old"),
                    "ConditionExpression": "balance = :z",
                    "ExpressionAttributeValues": {":z": {"N": "0"}},
                }
            },
        ]
    )
    assert set(response) == {"ResponseMetadata"}
    assert get(dynamodb, accounts, "alice")["balance"] == {"N": "70"}
    assert get(dynamodb, accounts, "bob")["balance"] == {"N": "30"}
    assert get(dynamodb, accounts, "old") is None


def test_one_failed_condition_writes_nothing(dynamodb: Any, make_table: Any) -> None:
    one, two = make_table(), make_table()
    dynamodb.put_item(TableName=one, Item={**key("a"), "v": {"N": "1"}})
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[
                put(two, "new"),
                update(one, "a", "SET v = :two", ExpressionAttributeValues={":two": {"N": "2"}}),
                check(one, "missing", "attribute_exists(pk)"),
            ]
        )
    assert get(dynamodb, two, "new") is None
    assert get(dynamodb, one, "a")["v"] == {"N": "1"}


def test_stream_records_commit_with_the_transaction(
    dynamodb: Any, endpoint: str, table_name: str
) -> None:
    name = f"{table_name}-s"
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    try:
        dynamodb.transact_write_items(TransactItems=[put(name, "a"), put(name, "b")])
        with pytest.raises(ClientError):
            dynamodb.transact_write_items(
                TransactItems=[put(name, "c"), check(name, "nobody", "attribute_exists(pk)")]
            )
        records = _stream_records(endpoint, name)
        assert sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in records) == ["a", "b"]
        assert {r["eventName"] for r in records} == {"INSERT"}
    finally:
        dynamodb.delete_table(TableName=name)


def _stream_records(endpoint: str, table: str) -> list[Any]:
    streams = boto3.client(
        "dynamodbstreams",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stream_arn = streams.list_streams(TableName=table)["Streams"][0]["StreamArn"]
    records: list[Any] = []
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records += streams.get_records(ShardIterator=iterator)["Records"]
    return records


def test_transactional_writes_cost_twice(dynamodb: Any, make_table: Any) -> None:
    """Developer Guide: three 500-byte items written in a transaction -> 6 WCU."""
    table = make_table()
    items = [put(table, str(n), payload={"S": "x" * 480}) for n in range(3)]
    response = dynamodb.transact_write_items(TransactItems=items, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 6.0, "WriteCapacityUnits": 6.0}
    ]
    response = dynamodb.transact_write_items(
        TransactItems=[
            update(
                table, "0", "SET payload = :d", ExpressionAttributeValues={":d": {"S": "y" * 2000}}
            ),
            check(table, "1", "attribute_exists(pk)"),
        ],
        ReturnConsumedCapacity="INDEXES",
    )
    assert response["ConsumedCapacity"] == [
        {
            "TableName": table,
            "CapacityUnits": 6.0,
            "ReadCapacityUnits": 2.0,
            "WriteCapacityUnits": 4.0,  # 2,010 bytes -> 2 KB, twice
            "Table": {"CapacityUnits": 6.0, "ReadCapacityUnits": 2.0, "WriteCapacityUnits": 4.0},
        }
    ]


# --- every cancellation-reason shape -------------------------------------------------------


def test_reasons_none_and_conditional_check_failed(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item={**key("a"), "v": {"N": "1"}})
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[
                put(table, "b"),
                check(table, "a", "v = :two", ExpressionAttributeValues={":two": {"N": "2"}}),
            ]
        )
    message, reasons = cancellation(excinfo)
    assert message == f"{CANCELLED} [None, ConditionalCheckFailed]"
    assert error_of(excinfo) == ("TransactionCanceledException", message)
    assert reasons == [{"Code": "None"}, {"Code": "ConditionalCheckFailed", "Message": FAILED}]


def test_reason_carries_the_old_item_with_all_old(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    old = {**key("a"), "v": {"N": "1"}, "tags": {"SS": ["x"]}}
    dynamodb.put_item(TableName=table, Item=old)
    all_old = {"ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[
                update(
                    table,
                    "a",
                    "SET v = :two",
                    ConditionExpression="v = :two",
                    ExpressionAttributeValues={":two": {"N": "2"}},
                    **all_old,
                ),
                {
                    "Put": {
                        "TableName": table,
                        "Item": key("missing"),
                        "ConditionExpression": "attribute_exists(pk)",
                        **all_old,
                    }
                },
                {
                    "Delete": {
                        "TableName": table,
                        "Key": key("a2"),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    message, reasons = cancellation(excinfo)
    assert message == (
        f"{CANCELLED} [ConditionalCheckFailed, ConditionalCheckFailed, ConditionalCheckFailed]"
    )
    assert reasons == [
        {"Code": "ConditionalCheckFailed", "Message": FAILED, "Item": old},
        {"Code": "ConditionalCheckFailed", "Message": FAILED},  # ALL_OLD, but no old item
        {"Code": "ConditionalCheckFailed", "Message": FAILED},  # ALL_OLD not asked
    ]


def test_reason_validation_error(dynamodb: Any, make_table: Any) -> None:
    """Live (aws-sdk-net#1292): an update that cannot apply is a ValidationError reason."""
    table = make_table()
    dynamodb.put_item(TableName=table, Item={**key("big"), "s": {"S": "x" * (300 * 1024)}})
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[
                update(
                    table,
                    "a",
                    "SET v = absent + :one",
                    ExpressionAttributeValues={":one": {"N": "1"}},
                ),
                update(
                    table,
                    "big",
                    "SET t = :t",
                    ExpressionAttributeValues={":t": {"S": "y" * (200 * 1024)}},
                ),
                put(table, "fine"),
            ]
        )
    message, reasons = cancellation(excinfo)
    assert message == f"{CANCELLED} [ValidationError, ValidationError, None]"
    assert reasons == [
        {
            "Code": "ValidationError",
            "Message": "The provided expression refers to an attribute that does not exist "
            "in the item",
        },
        {
            "Code": "ValidationError",
            "Message": "Item size to update has exceeded the maximum allowed size",
        },
        {"Code": "None"},
    ]
    assert get(dynamodb, table, "fine") is None


def test_cancelled_body_spells_message_with_a_capital_m(endpoint: str, make_table: Any) -> None:
    """The raw body: ``Message`` (not ``message``) for this error (botocore model)."""
    import json
    import urllib.request

    table = make_table()
    body = json.dumps({"TransactItems": [check(table, "nobody", "attribute_exists(pk)")]}).encode()
    request = urllib.request.Request(
        endpoint,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.TransactWriteItems",
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/dynamodb/"
            "aws4_request, SignedHeaders=host, Signature=x",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request)
    answer = json.loads(excinfo.value.read())
    assert answer == {
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": f"{CANCELLED} [ConditionalCheckFailed]",
        "CancellationReasons": [{"Code": "ConditionalCheckFailed", "Message": FAILED}],
    }


# --- ClientRequestToken -------------------------------------------------------------------


def increment(table: str, pk: str = "counter") -> dict[str, Any]:
    return update(table, pk, "ADD n :one", ExpressionAttributeValues={":one": {"N": "1"}})


def test_same_token_same_request_writes_once(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    request = {"TransactItems": [increment(table)], "ClientRequestToken": "token-1"}
    first = dynamodb.transact_write_items(**request, ReturnConsumedCapacity="TOTAL")
    second = dynamodb.transact_write_items(**request, ReturnConsumedCapacity="TOTAL")
    assert get(dynamodb, table, "counter")["n"] == {"N": "1"}
    assert first["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}
    ]
    # API reference: a repeat reports the read capacity used to read the item.
    assert second["ConsumedCapacity"] == [
        {"TableName": table, "CapacityUnits": 1.0, "ReadCapacityUnits": 1.0}
    ]
    dynamodb.transact_write_items(**request)
    assert get(dynamodb, table, "counter")["n"] == {"N": "1"}


def test_same_token_other_request_is_a_mismatch(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.transact_write_items(TransactItems=[increment(table)], ClientRequestToken="token-2")
    with pytest.raises(ClientError) as excinfo:
        dynamodb.transact_write_items(
            TransactItems=[increment(table, "other")], ClientRequestToken="token-2"
        )
    code, message = error_of(excinfo)
    assert code == "IdempotentParameterMismatchException"
    assert message.startswith("The request uses the same client token as a previous")
    assert excinfo.value.response["Message"] == message  # capital M in the body
    assert get(dynamodb, table, "other") is None


def test_tokens_belong_to_one_namespace(endpoint: str, make_table: Any) -> None:
    """Each (access key id, Region) has its own tables and so its own tokens."""
    table = make_table()
    other = client_for(endpoint, access_key_id="someone-else")
    other.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        mine = client_for(endpoint)
        mine.transact_write_items(TransactItems=[increment(table)], ClientRequestToken="shared")
        other.transact_write_items(TransactItems=[increment(table)], ClientRequestToken="shared")
        assert get(other, table, "counter")["n"] == {"N": "1"}
    finally:
        other.delete_table(TableName=table)


def test_a_cancelled_transaction_leaves_no_token(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    guarded = update(
        table,
        "counter",
        "ADD n :one",
        ConditionExpression="attribute_exists(ok)",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(TransactItems=[guarded], ClientRequestToken="token-3")
    dynamodb.put_item(TableName=table, Item={**key("counter"), "ok": {"BOOL": True}})
    dynamodb.transact_write_items(TransactItems=[guarded], ClientRequestToken="token-3")
    assert get(dynamodb, table, "counter")["n"] == {"N": "1"}


@contextlib.contextmanager
def virtual_clock_server() -> Iterator[tuple[Any, VirtualClock, RunningServer]]:
    running = start_in_thread(
        Settings(port=0, in_memory=True, log_level="warning", clock="virtual")
    )
    clock = running.server.clock
    assert isinstance(clock, VirtualClock)
    try:
        yield client_for(running.endpoint), clock, running
    finally:
        running.stop()


def test_a_token_is_remembered_for_ten_minutes() -> None:
    with virtual_clock_server() as (dynamodb, clock, running):
        dynamodb.create_table(
            TableName="tokens",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        request = {"TransactItems": [increment("tokens")], "ClientRequestToken": "t"}
        dynamodb.transact_write_items(**request)
        clock.advance(599.0)
        dynamodb.transact_write_items(**request)
        assert get(dynamodb, "tokens", "counter")["n"] == {"N": "1"}
        clock.advance(1.0)  # 10 minutes after the first use completed: a new request
        dynamodb.transact_write_items(**request)
        assert get(dynamodb, "tokens", "counter")["n"] == {"N": "2"}
        with pytest.raises(ClientError) as excinfo:
            dynamodb.transact_write_items(
                TransactItems=[increment("tokens", "x")], ClientRequestToken="t"
            )
        assert error_of(excinfo)[0] == "IdempotentParameterMismatchException"
        # Tokens past their 10 minutes are deleted by later transactions, a few at a time.
        clock.advance(600.0)
        dynamodb.transact_write_items(TransactItems=[increment("tokens")], ClientRequestToken="u")
        engine = running.server.engine
        namespace = f"testing:{REGION}"
        assert engine.write(lambda t: t.get_transaction_token(namespace, "t")) is None
        assert engine.write(lambda t: t.get_transaction_token(namespace, "u")) is not None


# --- concurrency: the bank-transfer invariant ------------------------------------------------

ACCOUNTS = 10
OPENING_BALANCE = 1000
THREADS = 8
TRANSFERS = 2000


def test_bank_transfers_keep_the_total(endpoint: str, make_table: Any) -> None:
    """8 threads make 2,000 transfers (debit one account, credit another, on condition that
    the balance covers the amount) while a reader takes TransactGetItems snapshots of every
    account: each snapshot and the final state sum to the opening total, and no balance
    ever goes negative."""
    table = make_table()
    setup = client_for(endpoint)
    for number in range(ACCOUNTS):
        setup.put_item(
            TableName=table, Item={**key(f"acct-{number}"), "balance": {"N": str(OPENING_BALANCE)}}
        )
    outcomes = {"committed": 0, "cancelled": 0}
    lock = threading.Lock()
    done = threading.Event()

    def transfer_many(seed: int, count: int) -> None:
        client = client_for(endpoint)
        rng = random.Random(seed)
        for _ in range(count):
            source, target = rng.sample(range(ACCOUNTS), 2)
            try:
                client.transact_write_items(
                    TransactItems=_transfer(table, source, target, rng.randint(1, 400))
                )
                outcome = "committed"
            except client.exceptions.TransactionCanceledException as cancelled:
                reasons = cancelled.response["CancellationReasons"]
                assert {reason["Code"] for reason in reasons} <= {"None", "ConditionalCheckFailed"}
                outcome = "cancelled"
            with lock:
                outcomes[outcome] += 1

    snapshots: list[list[int]] = []

    def read_snapshots() -> None:
        client = client_for(endpoint)
        gets = [{"Get": {"TableName": table, "Key": key(f"acct-{n}")}} for n in range(ACCOUNTS)]
        while not done.is_set():
            responses = client.transact_get_items(TransactItems=gets)["Responses"]
            snapshots.append([int(r["Item"]["balance"]["N"]) for r in responses])

    reader = threading.Thread(target=read_snapshots)
    reader.start()
    workers = [
        threading.Thread(target=transfer_many, args=(seed, TRANSFERS // THREADS))
        for seed in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    reader.join()

    assert outcomes["committed"] + outcomes["cancelled"] == TRANSFERS
    assert outcomes["committed"] > TRANSFERS // 2
    final = [int(get(setup, table, f"acct-{n}")["balance"]["N"]) for n in range(ACCOUNTS)]
    assert sum(final) == ACCOUNTS * OPENING_BALANCE
    assert min(final) >= 0
    assert snapshots
    for snapshot in snapshots:
        assert sum(snapshot) == ACCOUNTS * OPENING_BALANCE
        assert min(snapshot) >= 0


def _transfer(table: str, source: int, target: int, amount: int) -> list[dict[str, Any]]:
    value = {":amount": {"N": str(amount)}}
    return [
        update(
            table,
            f"acct-{source}",
            "SET balance = balance - :amount",
            ConditionExpression="balance >= :amount",
            ExpressionAttributeValues=value,
        ),
        update(
            table,
            f"acct-{target}",
            "SET balance = balance + :amount",
            ConditionExpression="attribute_exists(balance)",
            ExpressionAttributeValues=value,
        ),
    ]
