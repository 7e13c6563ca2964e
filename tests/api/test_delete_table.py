"""DeleteTable through boto3: its short answer, deletion protection, and the DELETING
status with --delay-transient-statuses (sources in openddb/errors.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of
from control_plane import (
    Delayed,
    definitions,
    delayed_server,
    gsi,
    hash_key,
    hash_range_key,
    lsi,
    table_arn,
    throughput,
)

IN_USE = "Attempt to change a resource which is still in use: "


@pytest.fixture(scope="module")
def delayed() -> Iterator[Delayed]:
    with delayed_server() as server:
        yield server


def fails(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


def create(client: Any, name: str, **extra: Any) -> None:
    extra.setdefault("KeySchema", hash_key())
    extra.setdefault("AttributeDefinitions", definitions("pk"))
    if "ProvisionedThroughput" not in extra:
        extra.setdefault("BillingMode", "PAY_PER_REQUEST")
    client.create_table(TableName=name, **extra)


def test_answer_is_a_short_description(dynamodb: Any, table_name: str) -> None:
    """No key schema, definitions, creation time or indexes (Alternator's tests, run against
    DynamoDB)."""
    create(dynamodb, table_name, KeySchema=hash_range_key(),
           AttributeDefinitions=definitions("pk", "sk", "x"),
           LocalSecondaryIndexes=[lsi("by-x", "pk", "x")],
           GlobalSecondaryIndexes=[gsi("hello", "x")])
    dynamodb.put_item(TableName=table_name, Item={"pk": {"S": "a"}, "sk": {"S": "b"}})
    answer = dynamodb.delete_table(TableName=table_name)["TableDescription"]
    assert set(answer) == {"TableName", "TableStatus", "TableId", "TableArn",
                           "BillingModeSummary", "ProvisionedThroughput", "TableSizeBytes",
                           "ItemCount"}
    assert answer["TableStatus"] == "DELETING"
    assert answer["TableArn"] == table_arn(table_name)
    assert answer["ItemCount"] == 1
    assert answer["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in answer["BillingModeSummary"]
    assert answer["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}


def test_provisioned_table_answer(dynamodb: Any, table_name: str) -> None:
    create(dynamodb, table_name, ProvisionedThroughput=throughput(3, 4))
    answer = dynamodb.delete_table(TableName=table_arn(table_name))["TableDescription"]
    assert "BillingModeSummary" not in answer
    assert answer["ProvisionedThroughput"]["ReadCapacityUnits"] == 3


def test_missing_table(dynamodb: Any, table_name: str) -> None:
    assert fails(dynamodb.delete_table, TableName=table_name) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {table_name} not found")


def test_deletion_protection(dynamodb: Any, make_table: Any) -> None:
    """A ValidationException (ACK lab DDB-TABLE-442, live in two Regions)."""
    name = make_table(DeletionProtectionEnabled=True)
    assert fails(dynamodb.delete_table, TableName=name) == (
        "ValidationException",
        "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first.")
    assert dynamodb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    dynamodb.update_table(TableName=name, DeletionProtectionEnabled=False)
    dynamodb.delete_table(TableName=name)


# --- transient statuses ----------------------------------------------------------------


def test_deleting_until_the_delay_passes(delayed: Delayed, table_name: str) -> None:
    client = delayed.client
    key = {"pk": {"S": "a"}}
    create(client, table_name)
    delayed.settle()
    client.put_item(TableName=table_name, Item=key)
    old_id = client.describe_table(TableName=table_name)["Table"]["TableId"]
    assert client.delete_table(TableName=table_name)["TableDescription"][
        "TableStatus"] == "DELETING"
    assert client.describe_table(TableName=table_name)["Table"]["TableStatus"] == "DELETING"
    assert table_name in client.list_tables()["TableNames"]
    assert client.get_item(TableName=table_name, Key=key)["Item"] == key
    in_use = ("ResourceInUseException", f"{IN_USE}Table is being deleted: {table_name}")
    # The API reference says a repeated DeleteTable returns no error; the live service
    # answers ResourceInUseException (ACK lab DDB-TABLE-008).
    assert fails(client.delete_table, TableName=table_name) == in_use
    assert fails(client.update_table, TableName=table_name,
                 DeletionProtectionEnabled=True) == in_use
    assert fails(create, client=client, name=table_name) == (
        "ResourceInUseException", f"Table already exists: {table_name}")
    delayed.settle()
    assert fails(client.describe_table, TableName=table_name) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {table_name} not found")
    assert table_name not in client.list_tables()["TableNames"]
    create(client, table_name)
    delayed.settle()
    assert client.describe_table(TableName=table_name)["Table"]["TableId"] != old_id
    assert "Item" not in client.get_item(TableName=table_name, Key=key)


def test_no_delete_while_creating(delayed: Delayed, table_name: str) -> None:
    client = delayed.client
    create(client, table_name)
    assert fails(client.delete_table, TableName=table_name) == (
        "ResourceInUseException", f"{IN_USE}Table is being created: {table_name}")
    assert fails(create, client=client, name=table_name) == (
        "ResourceInUseException", f"{IN_USE}Table is being created: {table_name}")
    delayed.settle()


@pytest.mark.parametrize(
    "change,message",
    [
        ({"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}},
         IN_USE + "Cannot delete table while stream is being enabled/disabled."),
        ({"AttributeDefinitions": definitions("x"),
          "GlobalSecondaryIndexUpdates": [{"Create": gsi("by-x", "x")}]},
         IN_USE + "Cannot delete table while indexes are being created, updated, or deleted."),
        ({"BillingMode": "PROVISIONED", "ProvisionedThroughput": throughput(1, 1)},
         IN_USE + "Table is being updated: {name}"),
    ],
    ids=["stream", "index", "billing mode"],
)
def test_no_delete_while_updating(
    delayed: Delayed, table_name: str, change: dict[str, Any], message: str
) -> None:
    client = delayed.client
    create(client, table_name)
    delayed.settle()
    client.update_table(TableName=table_name, **change)
    assert fails(client.delete_table, TableName=table_name) == (
        "ResourceInUseException", message.format(name=table_name))
    delayed.settle()
    client.delete_table(TableName=table_name)
