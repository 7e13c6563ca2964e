"""The table lifecycle, DescribeTable, ListTables, DescribeLimits and DescribeEndpoints
through boto3 (CreateTable, UpdateTable, DeleteTable and the tag operations have files of
their own)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for, error_of
from control_plane import definitions, hash_key, own_namespace, table_arn

KEY_SCHEMA = [
    {"AttributeName": "Artist", "KeyType": "HASH"},
    {"AttributeName": "SongTitle", "KeyType": "RANGE"},
]
DEFINITIONS = [
    {"AttributeName": "Artist", "AttributeType": "S"},
    {"AttributeName": "SongTitle", "AttributeType": "S"},
]


def test_create_describe_delete_lifecycle(dynamodb: Any, table_name: str) -> None:
    created = dynamodb.create_table(
        TableName=table_name, KeySchema=KEY_SCHEMA, AttributeDefinitions=DEFINITIONS,
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]
    assert created["TableName"] == table_name
    assert created["KeySchema"] == KEY_SCHEMA
    assert created["TableArn"] == table_arn(table_name)
    assert created["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert created["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    dynamodb.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    dynamodb.put_item(TableName=table_name, Item={"Artist": {"S": "a"}, "SongTitle": {"S": "b"}})
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert described["ItemCount"] == 1
    assert described["TableSizeBytes"] == len("Artist") + 1 + len("SongTitle") + 1
    assert described["TableId"] == created["TableId"]
    deleted = dynamodb.delete_table(TableName=table_name)["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    with pytest.raises(ClientError) as excinfo:
        dynamodb.describe_table(TableName=table_name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {table_name} not found",
    )


def test_describe_by_arn(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    assert dynamodb.describe_table(TableName=table_arn(name))["Table"]["TableName"] == name
    with pytest.raises(ClientError) as excinfo:
        dynamodb.describe_table(TableName=table_arn("no-such-table"))
    assert error_of(excinfo) == (
        "ResourceNotFoundException", "Requested resource not found: Table: no-such-table not found")


def test_list_tables_pages_in_name_order(endpoint: str) -> None:
    client = own_namespace(endpoint, "listing")
    names = [f"list-{index:02d}" for index in range(7)]
    for name in reversed(names):
        client.create_table(TableName=name, KeySchema=hash_key(),
                            AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST")
    first = client.list_tables(Limit=3)
    assert first["TableNames"] == names[:3]
    assert first["LastEvaluatedTableName"] == names[2]
    rest = client.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"])
    assert rest["TableNames"] == names[3:]
    assert "LastEvaluatedTableName" not in rest
    paged = [n for page in client.get_paginator("list_tables").paginate(PaginationConfig={
        "PageSize": 2}) for n in page["TableNames"]]
    assert paged == names


def test_list_tables_start_is_exclusive_and_need_not_exist(endpoint: str) -> None:
    """No LastEvaluatedTableName when a page ends exactly at the last table (ACK lab
    DDB-TABLE-012)."""
    client = own_namespace(endpoint, "listing")
    names = [f"list-{index:02d}" for index in range(4)]
    for name in names:
        client.create_table(TableName=name, KeySchema=hash_key(),
                            AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST")
    assert client.list_tables(ExclusiveStartTableName="list-01.5")["TableNames"] == names[2:]
    exact = client.list_tables(ExclusiveStartTableName="a-before-all", Limit=4)
    assert exact["TableNames"] == names
    assert "LastEvaluatedTableName" not in exact
    assert client.list_tables(ExclusiveStartTableName=names[-1])["TableNames"] == []
    client.delete_table(TableName=names[1])
    after_deleted = client.list_tables(ExclusiveStartTableName=names[1], Limit=1)
    assert after_deleted["TableNames"] == [names[2]]
    assert after_deleted["LastEvaluatedTableName"] == names[2]


def test_namespaces_are_per_access_key_and_region(endpoint: str) -> None:
    alice = client_for(endpoint, access_key_id="alice")
    bob = client_for(endpoint, access_key_id="bob")
    alice_west = client_for(endpoint, access_key_id="alice", region="us-west-2")
    alice.create_table(TableName="only-alice", KeySchema=hash_key(),
                       AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST")
    assert "only-alice" in alice.list_tables()["TableNames"]
    assert "only-alice" not in bob.list_tables()["TableNames"]
    assert "only-alice" not in alice_west.list_tables()["TableNames"]


def test_describe_limits(dynamodb: Any) -> None:
    answer = dynamodb.describe_limits()
    answer.pop("ResponseMetadata")
    assert answer == {
        "AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000,
    }


def test_describe_endpoints(dynamodb: Any) -> None:
    endpoints = dynamodb.describe_endpoints()["Endpoints"]
    assert endpoints[0]["CachePeriodInMinutes"] == 1440
