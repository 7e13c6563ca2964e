"""CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables, DescribeLimits,
DescribeEndpoints and tags, through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import client_for, error_of

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
    assert created["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{table_name}"
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


def test_create_existing_table_is_resource_in_use(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.create_table(
            TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    assert error_of(excinfo) == ("ResourceInUseException", f"Table already exists: {name}")


def test_provisioned_table_reports_throughput(dynamodb: Any, table_name: str) -> None:
    created = dynamodb.create_table(
        TableName=table_name, KeySchema=KEY_SCHEMA, AttributeDefinitions=DEFINITIONS,
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7},
    )["TableDescription"]
    assert created["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert created["ProvisionedThroughput"]["WriteCapacityUnits"] == 7
    updated = dynamodb.update_table(
        TableName=table_name, ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 7}
    )["TableDescription"]
    assert updated["ProvisionedThroughput"]["ReadCapacityUnits"] == 10
    dynamodb.delete_table(TableName=table_name)


def test_deletion_protection_blocks_delete(dynamodb: Any, make_table: Any) -> None:
    name = make_table(DeletionProtectionEnabled=True)
    with pytest.raises(ClientError) as excinfo:
        dynamodb.delete_table(TableName=name)
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    dynamodb.update_table(TableName=name, DeletionProtectionEnabled=False)
    dynamodb.delete_table(TableName=name)


def test_list_tables_pages_in_name_order(endpoint: str) -> None:
    client = client_for(endpoint, access_key_id="listing-namespace")
    names = [f"list-{index:02d}" for index in range(7)]
    for name in reversed(names):
        client.create_table(
            TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    first = client.list_tables(Limit=3)
    assert first["TableNames"] == names[:3]
    assert first["LastEvaluatedTableName"] == names[2]
    rest = client.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"])
    assert rest["TableNames"] == names[3:]
    assert "LastEvaluatedTableName" not in rest
    paged = [n for page in client.get_paginator("list_tables").paginate(PaginationConfig={
        "PageSize": 2}) for n in page["TableNames"]]
    assert paged == names


def test_namespaces_are_per_access_key_and_region(endpoint: str) -> None:
    alice = client_for(endpoint, access_key_id="alice")
    bob = client_for(endpoint, access_key_id="bob")
    alice_west = client_for(endpoint, access_key_id="alice", region="us-west-2")
    alice.create_table(
        TableName="only-alice", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert "only-alice" in alice.list_tables()["TableNames"]
    assert "only-alice" not in bob.list_tables()["TableNames"]
    assert "only-alice" not in alice_west.list_tables()["TableNames"]


def test_describe_limits(dynamodb: Any) -> None:
    limits = dynamodb.describe_limits()
    assert limits["AccountMaxReadCapacityUnits"] == 80000
    assert limits["TableMaxWriteCapacityUnits"] == 40000


def test_describe_endpoints(dynamodb: Any) -> None:
    endpoints = dynamodb.describe_endpoints()["Endpoints"]
    assert endpoints[0]["CachePeriodInMinutes"] == 1440


def test_tags_round_trip(dynamodb: Any, make_table: Any) -> None:
    name = make_table(Tags=[{"Key": "team", "Value": "core"}])
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "test"}])
    tags = dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "test"}]
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [
        {"Key": "env", "Value": "test"}]


def test_tags_of_missing_resource(dynamodb: Any) -> None:
    arn = "arn:aws:dynamodb:us-east-1:000000000000:table/none-such"
    with pytest.raises(ClientError) as excinfo:
        dynamodb.list_tags_of_resource(ResourceArn=arn)
    assert error_of(excinfo) == (
        "ResourceNotFoundException", f"Requested resource not found: ResourceArn: {arn} not found")


@pytest.mark.parametrize(
    "schema,definitions,message",
    [
        (
            [{"AttributeName": "a", "KeyType": "RANGE"}],
            [{"AttributeName": "a", "AttributeType": "S"}],
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ),
        (
            [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "RANGE"}],
            [{"AttributeName": "a", "AttributeType": "S"}],
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ),
        (
            [{"AttributeName": "a", "KeyType": "HASH"}],
            [{"AttributeName": "b", "AttributeType": "S"}],
            "One or more parameter values were invalid: Some index key attributes are not defined "
            "in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]",
        ),
        (
            [{"AttributeName": "a", "KeyType": "HASH"}],
            [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b",
                                                             "AttributeType": "S"}],
            "One or more parameter values were invalid: Number of attributes in KeySchema does "
            "not exactly match number of attributes defined in AttributeDefinitions",
        ),
    ],
    ids=["range first", "same names", "undefined key", "unused definition"],
)
def test_create_table_validation(
    dynamodb: Any, table_name: str, schema: Any, definitions: Any, message: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.create_table(TableName=table_name, KeySchema=schema,
                              AttributeDefinitions=definitions, BillingMode="PAY_PER_REQUEST")
    assert error_of(excinfo) == ("ValidationException", message)
