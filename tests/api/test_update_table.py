"""UpdateTable through boto3: every kind of change, the one-change-per-call rules, the
validation texts (sources in openddb/errors.py) and the UPDATING status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
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
    throughput,
    unvalidated_client,
)

INVALID = "One or more parameter values were invalid: "
REQUIRED = (
    "ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
    "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, "
    "{mrc}DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass"
)
NEW_IMAGE = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}


@pytest.fixture(scope="module")
def raw(endpoint: str) -> Any:
    return unvalidated_client(endpoint)


@pytest.fixture(scope="module")
def delayed() -> Iterator[Delayed]:
    with delayed_server() as server:
        yield server


def create_provisioned(
    dynamodb: Any, name: str, read: int = 5, write: int = 5, **extra: Any
) -> str:
    """A PROVISIONED table keyed on pk (make_table creates on-demand ones)."""
    extra.setdefault("KeySchema", hash_key())
    extra.setdefault("AttributeDefinitions", definitions("pk"))
    dynamodb.create_table(TableName=name, ProvisionedThroughput=throughput(read, write), **extra)
    return name


def describe(dynamodb: Any, name: str) -> dict[str, Any]:
    table: dict[str, Any] = dynamodb.describe_table(TableName=name)["Table"]
    return table


def fails(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


# --- request-only rules ----------------------------------------------------------------

REQUEST_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("no change", {}, f"At least one of {REQUIRED.format(mrc='MultiRegionConsistency, ')} is "
                      "required"),
    ("attribute definitions only", {"AttributeDefinitions": definitions("x")},
     f"At least one of {REQUIRED.format(mrc='MultiRegionConsistency, ')} is required"),
    ("consistency mode only", {"MultiRegionConsistency": "STRONG"},
     f"At least one of {REQUIRED.format(mrc='')} is required"),
    ("empty index update list only", {"GlobalSecondaryIndexUpdates": []},
     f"At least one of {REQUIRED.format(mrc='MultiRegionConsistency, ')} is required"),
    ("empty warm throughput only", {"WarmThroughput": {}},
     f"At least one of {REQUIRED.format(mrc='MultiRegionConsistency, ')} is required"),
    ("empty index update list", {"GlobalSecondaryIndexUpdates": [],
                                 "DeletionProtectionEnabled": True},
     INVALID + "List of GlobalSecondaryIndexUpdates is empty"),
    ("encryption and protection", {"SSESpecification": {"Enabled": True},
                                   "DeletionProtectionEnabled": True},
     INVALID + "Server-Side Encryption modification must be the only operation in the request"),
    ("table class and protection", {"TableClass": "STANDARD", "DeletionProtectionEnabled": True},
     INVALID + "TableClass modification must be the only operation in the request"),
    ("protection and stream", {"DeletionProtectionEnabled": True,
                               "StreamSpecification": NEW_IMAGE},
     INVALID + "DeletionProtection modification must be the only operation in the request"),
    ("on-demand maximum and stream", {"OnDemandThroughput": {"MaxReadRequestUnits": 5},
                                      "StreamSpecification": NEW_IMAGE},
     INVALID + "OnDemandThroughput can only be combined with BillingMode in an UpdateTable "
     "request"),
    ("warm and on-demand maximum", {"WarmThroughput": {"ReadUnitsPerSecond": 13000},
                                    "OnDemandThroughput": {"MaxReadRequestUnits": 5}},
     INVALID + "OnDemandThroughput can only be combined with BillingMode in an UpdateTable "
     "request"),
    ("warm and index creation", {"WarmThroughput": {"ReadUnitsPerSecond": 13000},
                                 "AttributeDefinitions": definitions("x"),
                                 "GlobalSecondaryIndexUpdates": [{"Create": gsi("by-x", "x")}]},
     INVALID + "Create global secondary index cannot be specified when updating WarmThroughput"),
    ("warm and billing mode", {"WarmThroughput": {"ReadUnitsPerSecond": 13000},
                               "BillingMode": "PAY_PER_REQUEST"},
     INVALID + "WarmThroughput must be the only operation in the request"),
    ("stream and throughput", {"StreamSpecification": NEW_IMAGE,
                               "ProvisionedThroughput": throughput(1, 1)},
     INVALID + "You cannot modify stream status while updating table IOPS"),
    ("index creation and throughput", {
        "ProvisionedThroughput": throughput(1, 1), "AttributeDefinitions": definitions("x"),
        "GlobalSecondaryIndexUpdates": [{"Create": gsi("by-x", "x")}]},
     INVALID + "You cannot create or delete index while updating table IOPS"),
    ("index deletion and stream", {
        "StreamSpecification": NEW_IMAGE,
        "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "by-x"}}]},
     INVALID + "You cannot create or delete index while changing stream status"),
    ("stream without view type", {"StreamSpecification": {"StreamEnabled": True}},
     INVALID + "If stream is being enabled then UpdateViewType is required"),
    ("stream disabled with view type", {"StreamSpecification": {
        "StreamEnabled": False, "StreamViewType": "KEYS_ONLY"}},
     INVALID + "If stream is being disabled, then UpdateViewType must not be specified"),
    ("index update without action", {"GlobalSecondaryIndexUpdates": [{}]},
     INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
     "GlobalSecondaryIndexUpdate.Delete must not be null"),
    ("index update with two actions", {"GlobalSecondaryIndexUpdates": [
        {"Update": {"IndexName": "abc", "OnDemandThroughput": {"MaxReadRequestUnits": 5}},
         "Delete": {"IndexName": "abc"}}]},
     INVALID + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate "
     "object"),
    ("one index twice", {"GlobalSecondaryIndexUpdates": [
        {"Delete": {"IndexName": "abc"}},
        {"Update": {"IndexName": "abc", "OnDemandThroughput": {"MaxReadRequestUnits": 5}}}]},
     INVALID + "Only one global secondary index update per index is allowed simultaneously. "
     "Index: abc"),
    ("empty index warm throughput", {"GlobalSecondaryIndexUpdates": [
        {"Update": {"IndexName": "ghost", "WarmThroughput": {}}}]},
     INVALID + "WarmThroughput must have at least one of ReadUnitsPerSecond or "
     "WriteUnitsPerSecond specified for index: ghost"),
    ("index creation without definitions", {"GlobalSecondaryIndexUpdates": [
        {"Create": gsi("gsi3", "x")}]},
     INVALID + "AttributeDefinitions is not specified for index: gsi3"),
    ("replicas", {"ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]},
     "openddb does not support ReplicaUpdates yet"),
]


@pytest.mark.parametrize("overrides,message", [case[1:] for case in REQUEST_CASES],
                         ids=[case[0] for case in REQUEST_CASES])
def test_request_rules_answer_even_for_a_missing_table(
    raw: Any, table_name: str, overrides: dict[str, Any], message: str
) -> None:
    """The service checks these before the table's existence (ACK lab DDB-TABLE-015, 456)."""
    assert fails(raw.update_table, TableName=table_name, **overrides) == (
        "ValidationException", message)


def test_missing_table(dynamodb: Any, table_name: str) -> None:
    assert fails(dynamodb.update_table, TableName=table_name, DeletionProtectionEnabled=True) == (
        "ResourceNotFoundException", f"Requested resource not found: Table: {table_name} not found")


# --- billing mode and provisioned throughput -------------------------------------------


def test_throughput_on_an_on_demand_table(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    assert fails(dynamodb.update_table, TableName=name,
                 ProvisionedThroughput=throughput(1, 1)) == (
        "ValidationException",
        INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
        "BillingMode is PAY_PER_REQUEST")


def test_provisioned_billing_mode_needs_throughput(dynamodb: Any, make_table: Any,
                                                   table_name: str) -> None:
    message = INVALID + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
    on_demand = make_table()
    assert fails(dynamodb.update_table, TableName=on_demand, BillingMode="PROVISIONED") == (
        "ValidationException", message)
    provisioned = create_provisioned(dynamodb, table_name)
    assert fails(dynamodb.update_table, TableName=provisioned, BillingMode="PROVISIONED") == (
        "ValidationException", message)
    dynamodb.delete_table(TableName=provisioned)


@pytest.mark.parametrize("with_billing_mode", [False, True])
def test_unchanged_throughput(dynamodb: Any, table_name: str, with_billing_mode: bool) -> None:
    create_provisioned(dynamodb, table_name, 1, 2)
    extra = {"BillingMode": "PROVISIONED"} if with_billing_mode else {}
    assert fails(dynamodb.update_table, TableName=table_name,
                 ProvisionedThroughput=throughput(1, 2), **extra) == (
        "ValidationException",
        "The provisioned throughput for the table will not change. The requested value equals "
        "the current value. Current ReadCapacityUnits provisioned for the table: 1. Requested "
        "ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the table: 2. "
        "Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer Guide for "
        "current limits and how to request higher limits.")
    dynamodb.delete_table(TableName=table_name)


def test_throughput_changes_are_counted(dynamodb: Any, table_name: str) -> None:
    create_provisioned(dynamodb, table_name, 5, 5)
    raised = dynamodb.update_table(TableName=table_name, ProvisionedThroughput=throughput(6, 5))
    assert raised["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 6
    dynamodb.update_table(TableName=table_name, ProvisionedThroughput=throughput(4, 7))
    capacity = describe(dynamodb, table_name)["ProvisionedThroughput"]
    assert capacity["ReadCapacityUnits"] == 4
    assert capacity["WriteCapacityUnits"] == 7
    assert capacity["NumberOfDecreasesToday"] == 1
    assert capacity["LastIncreaseDateTime"] >= capacity["LastDecreaseDateTime"]
    assert describe(dynamodb, table_name)["WarmThroughput"] == {
        "ReadUnitsPerSecond": 6, "WriteUnitsPerSecond": 7, "Status": "ACTIVE"}
    dynamodb.delete_table(TableName=table_name)


def _java_full_date(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return (f"{moment:%A}, {moment:%B} {moment.day}, {moment.year} at {hour}:{moment:%M:%S} "
            f"{half} Coordinated Universal Time")


def test_fifth_decrease_of_the_day_waits_an_hour(dynamodb: Any, table_name: str) -> None:
    create_provisioned(dynamodb, table_name, 10, 10)
    for read in (9, 8, 7, 6):
        dynamodb.update_table(TableName=table_name, ProvisionedThroughput=throughput(read, 10))
    last = describe(dynamodb, table_name)["ProvisionedThroughput"]["LastDecreaseDateTime"]
    last = last.replace(microsecond=0)
    assert fails(dynamodb.update_table, TableName=table_name,
                 ProvisionedThroughput=throughput(5, 10)) == (
        "LimitExceededException",
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given "
        "UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can "
        "be performed at most once every 3600 seconds. Number of decreases today: 4. Last "
        f"decrease at {_java_full_date(last)}. Next decrease can be made at "
        f"{_java_full_date(last + timedelta(hours=1))}")
    dynamodb.update_table(TableName=table_name, ProvisionedThroughput=throughput(6, 11))
    dynamodb.delete_table(TableName=table_name)


def test_billing_mode_round_trip(dynamodb: Any, make_table: Any) -> None:
    name = make_table(OnDemandThroughput={"MaxReadRequestUnits": 50})
    dynamodb.update_table(TableName=name, AttributeDefinitions=definitions("g"),
                          GlobalSecondaryIndexUpdates=[{"Create": gsi("by-g", "g")}])
    assert fails(dynamodb.update_table, TableName=name, BillingMode="PROVISIONED",
                 ProvisionedThroughput=throughput(3, 4)) == (
        "ValidationException", INVALID + "ProvisionedThroughput must be specified for index: by-g")
    switched = dynamodb.update_table(
        TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput=throughput(3, 4),
        GlobalSecondaryIndexUpdates=[{"Update": {"IndexName": "by-g",
                                                 "ProvisionedThroughput": throughput(1, 2)}}],
    )["TableDescription"]
    assert switched["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert "LastUpdateToPayPerRequestDateTime" in switched["BillingModeSummary"]
    assert switched["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert switched["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"] == 2
    assert "OnDemandThroughput" not in switched
    back = dynamodb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")[
        "TableDescription"]
    assert back["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert back["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert back["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert back["WarmThroughput"]["ReadUnitsPerSecond"] == 12000


def test_on_demand_maximum(dynamodb: Any, make_table: Any, table_name: str) -> None:
    name = make_table()
    dynamodb.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": 10})
    dynamodb.update_table(TableName=name, OnDemandThroughput={"MaxWriteRequestUnits": 20})
    assert describe(dynamodb, name)["OnDemandThroughput"] == {
        "MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 20}
    dynamodb.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": -1,
                                                              "MaxWriteRequestUnits": -1})
    assert "OnDemandThroughput" not in describe(dynamodb, name)
    provisioned = create_provisioned(dynamodb, table_name)
    assert fails(dynamodb.update_table, TableName=provisioned,
                 OnDemandThroughput={"MaxWriteRequestUnits": 5}) == (
        "ValidationException",
        INVALID + "MaxWriteRequestUnits for OnDemandThroughput cannot be specified when the "
        "table BillingMode is PROVISIONED")
    dynamodb.delete_table(TableName=provisioned)


def test_warm_throughput_only_grows(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    dynamodb.update_table(TableName=name, WarmThroughput={"ReadUnitsPerSecond": 12001})
    assert describe(dynamodb, name)["WarmThroughput"] == {
        "ReadUnitsPerSecond": 12001, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
    dynamodb.update_table(TableName=name, WarmThroughput={"ReadUnitsPerSecond": 12001})
    assert fails(dynamodb.update_table, TableName=name,
                 WarmThroughput={"WriteUnitsPerSecond": 100}) == (
        "ValidationException",
        INVALID + "Requested WriteUnitsPerSecond for WarmThroughput for table is lower than "
        "current WarmThroughput, decreasing WarmThroughput is not supported")


# --- streams, encryption, table class, deletion protection -------------------------------


def test_stream_enable_and_disable(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    assert fails(dynamodb.update_table, TableName=name,
                 StreamSpecification={"StreamEnabled": False}) == (
        "ValidationException", f"Table has no stream to disable: TableName: {name}")
    enabled = dynamodb.update_table(TableName=name, StreamSpecification=NEW_IMAGE)[
        "TableDescription"]
    assert enabled["StreamSpecification"] == NEW_IMAGE
    stream_arn = enabled["LatestStreamArn"]
    assert stream_arn == f"{enabled['TableArn']}/stream/{enabled['LatestStreamLabel']}"
    for specification in (NEW_IMAGE, {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}):
        assert fails(dynamodb.update_table, TableName=name,
                     StreamSpecification=specification) == (
            "ValidationException", f"Table already has an enabled stream: TableName: {name}")
    disabled = dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert "StreamSpecification" not in disabled["TableDescription"]
    assert disabled["TableDescription"]["LatestStreamArn"] == stream_arn


def test_new_stream_on_every_enable(delayed: Delayed, table_name: str) -> None:
    client = delayed.client
    client.create_table(TableName=table_name, KeySchema=hash_key(),
                        AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST",
                        StreamSpecification=NEW_IMAGE)
    first = describe(client, table_name)["LatestStreamArn"]
    delayed.settle()
    client.update_table(TableName=table_name, StreamSpecification={"StreamEnabled": False})
    delayed.settle()
    client.update_table(TableName=table_name, StreamSpecification=NEW_IMAGE)
    assert describe(client, table_name)["LatestStreamArn"] != first


def test_encryption_changes(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    for specification in ({"Enabled": False}, {}):
        assert fails(dynamodb.update_table, TableName=name,
                     SSESpecification=specification) == (
            "ValidationException", INVALID + "Table is already encrypted by default")
    key = "arn:aws:kms:us-east-1:000000000000:key/k1"
    enabled = dynamodb.update_table(TableName=name, SSESpecification={
        "Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key})["TableDescription"]
    assert enabled["SSEDescription"] == {"Status": "ENABLED", "SSEType": "KMS",
                                         "KMSMasterKeyArn": key}
    assert fails(dynamodb.update_table, TableName=name, SSESpecification={
        "Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}) == (
        "ValidationException",
        INVALID + "Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId "
        "parameter if you want to change Master Key")
    disabled = dynamodb.update_table(TableName=name, SSESpecification={"Enabled": False})
    assert "SSEDescription" not in disabled["TableDescription"]


def test_table_class_and_deletion_protection(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    standard = dynamodb.update_table(TableName=name, TableClass="STANDARD")["TableDescription"]
    assert "TableClassSummary" not in standard
    infrequent = dynamodb.update_table(TableName=name, TableClass="STANDARD_INFREQUENT_ACCESS")
    summary = infrequent["TableDescription"]["TableClassSummary"]
    assert summary["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert "LastUpdateDateTime" in summary
    protected = dynamodb.update_table(TableName=name, DeletionProtectionEnabled=True)
    assert protected["TableDescription"]["DeletionProtectionEnabled"] is True
    dynamodb.update_table(TableName=name, DeletionProtectionEnabled=True)
    dynamodb.update_table(TableName=name, DeletionProtectionEnabled=False)


# --- global secondary indexes ------------------------------------------------------------


def test_create_update_and_delete_an_index(dynamodb: Any, table_name: str) -> None:
    create_provisioned(dynamodb, table_name)
    created = dynamodb.update_table(
        TableName=table_name, AttributeDefinitions=definitions("g", "pk"),
        GlobalSecondaryIndexUpdates=[{"Create": gsi("by-g", "g",
                                                    ProvisionedThroughput=throughput(2, 2))}],
    )["TableDescription"]
    index = created["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "ACTIVE"
    assert index["IndexArn"] == f"{created['TableArn']}/index/by-g"
    assert [d["AttributeName"] for d in created["AttributeDefinitions"]] == ["g", "pk"]
    assert fails(dynamodb.update_table, TableName=table_name, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "by-g", "ProvisionedThroughput": throughput(2, 2)}}]) == (
        "ValidationException",
        "The provisioned throughput for the index by-g will not change. The requested value "
        "equals the current value. Current ReadCapacityUnits provisioned for index by-g: 2. "
        "Requested ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for index "
        "by-g: 2. Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer "
        "Guide for current limits and how to request higher limits.")
    dynamodb.update_table(TableName=table_name, GlobalSecondaryIndexUpdates=[
        {"Update": {"IndexName": "by-g", "ProvisionedThroughput": throughput(1, 3)}}])
    capacity = describe(dynamodb, table_name)["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]
    assert (capacity["ReadCapacityUnits"], capacity["WriteCapacityUnits"]) == (1, 3)
    assert capacity["NumberOfDecreasesToday"] == 1
    deleted = dynamodb.update_table(TableName=table_name, GlobalSecondaryIndexUpdates=[
        {"Delete": {"IndexName": "by-g"}}])["TableDescription"]
    assert [(i["IndexName"], i["IndexStatus"]) for i in deleted["GlobalSecondaryIndexes"]] == [
        ("by-g", "DELETING")]
    after = describe(dynamodb, table_name)
    assert "GlobalSecondaryIndexes" not in after
    assert after["AttributeDefinitions"] == definitions("pk")
    dynamodb.delete_table(TableName=table_name)


def test_index_rules_against_the_table(dynamodb: Any, table_name: str) -> None:
    dynamodb.create_table(
        TableName=table_name, KeySchema=hash_range_key(),
        AttributeDefinitions=definitions("pk", "sk", "g"), BillingMode="PAY_PER_REQUEST",
        LocalSecondaryIndexes=[lsi("local", "pk", "g")],
        GlobalSecondaryIndexes=[gsi("global", "g")])
    create_x = {"Create": gsi("by-x", "x")}
    cases = [
        ([{"Create": gsi("global", "x")}],
         ("ValidationException", "Attempting to create an index which already exists")),
        ([{"Create": gsi("local", "x")}],
         ("ValidationException", "Attempting to create an index which already exists")),
        ([{"Update": {"IndexName": "ghost", "OnDemandThroughput": {"MaxReadRequestUnits": 5}}}],
         ("ResourceNotFoundException",
          f"Requested resource not found: Index ghost for table {table_name}")),
        ([{"Delete": {"IndexName": "ghost"}}],
         ("ResourceNotFoundException",
          f"Requested resource not found: Index ghost for table {table_name}")),
        ([{"Update": {"IndexName": "local", "OnDemandThroughput": {"MaxReadRequestUnits": 5}}}],
         ("ValidationException",
          "Cannot update an index that is not a GlobalSecondaryIndex: local")),
        ([{"Delete": {"IndexName": "local"}}],
         ("ValidationException",
          "Cannot delete an index that is not a GlobalSecondaryIndex: local")),
        ([{"Create": gsi("by-x", "x", ProvisionedThroughput=throughput(1, 1))}],
         ("ValidationException",
          INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
          "index: by-x when BillingMode is PAY_PER_REQUEST")),
        ([{"Update": {"IndexName": "global", "ProvisionedThroughput": throughput(1, 1)}}],
         ("ValidationException",
          INVALID + "The only Updates for index: global when TableThroughputMode is "
          "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput")),
        ([create_x, {"Create": gsi("by-y", "x")}],
         ("LimitExceededException",
          "Subscriber limit exceeded: Only 1 online index can be created or deleted "
          "simultaneously per table")),
        ([create_x, {"Delete": {"IndexName": "global"}}],
         ("LimitExceededException",
          "Subscriber limit exceeded: Only 1 online index can be created or deleted "
          "simultaneously per table")),
    ]
    for updates, expected in cases:
        assert fails(dynamodb.update_table, TableName=table_name,
                     AttributeDefinitions=definitions("x"),
                     GlobalSecondaryIndexUpdates=updates) == expected, updates
    dynamodb.delete_table(TableName=table_name)


def test_index_creation_on_a_provisioned_table_needs_throughput(
    dynamodb: Any, table_name: str
) -> None:
    create_provisioned(dynamodb, table_name)
    assert fails(dynamodb.update_table, TableName=table_name,
                 AttributeDefinitions=definitions("x"),
                 GlobalSecondaryIndexUpdates=[{"Create": gsi("gsi-nopt", "x")}]) == (
        "ValidationException",
        INVALID + "Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: "
        "gsi-nopt")
    dynamodb.delete_table(TableName=table_name)


def test_twenty_first_index(dynamodb: Any, table_name: str) -> None:
    dynamodb.create_table(TableName=table_name, KeySchema=hash_key(),
                          AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST",
                          GlobalSecondaryIndexes=[gsi(f"index{i:02d}", "pk") for i in range(20)])
    assert fails(dynamodb.update_table, TableName=table_name,
                 AttributeDefinitions=definitions("pk"),
                 GlobalSecondaryIndexUpdates=[{"Create": gsi("index20", "pk")}]) == (
        "LimitExceededException",
        "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit "
        "of 20")
    dynamodb.delete_table(TableName=table_name)


# --- transient statuses (--delay-transient-statuses on a virtual clock) --------------------


def test_updating_until_the_delay_passes(delayed: Delayed, table_name: str) -> None:
    client = delayed.client
    create_provisioned(client, table_name)
    delayed.settle()
    answer = client.update_table(TableName=table_name, ProvisionedThroughput=throughput(6, 6))
    assert answer["TableDescription"]["TableStatus"] == "UPDATING"
    assert describe(client, table_name)["TableStatus"] == "UPDATING"
    assert fails(client.update_table, TableName=table_name,
                 ProvisionedThroughput=throughput(7, 7)) == (
        "ResourceInUseException",
        "Attempt to change a resource which is still in use: Table IOPS are currently being "
        f"updated. Table: {table_name}")
    assert fails(client.update_table, TableName=table_name, StreamSpecification=NEW_IMAGE) == (
        "ResourceInUseException",
        f"Attempt to change a resource which is still in use: Table is being updated: {table_name}")
    protected = client.update_table(TableName=table_name, DeletionProtectionEnabled=True)
    assert protected["TableDescription"]["TableStatus"] == "UPDATING"
    delayed.settle()
    assert describe(client, table_name)["TableStatus"] == "ACTIVE"
    client.update_table(TableName=table_name, DeletionProtectionEnabled=False)


def test_changes_that_keep_the_table_active(delayed: Delayed, table_name: str) -> None:
    """Deletion protection, encryption, on-demand and warm throughput (ACK lab)."""
    client = delayed.client
    client.create_table(TableName=table_name, KeySchema=hash_key(),
                        AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST")
    delayed.settle()
    for change in ({"SSESpecification": {"Enabled": True}},
                   {"OnDemandThroughput": {"MaxReadRequestUnits": 5}},
                   {"WarmThroughput": {"ReadUnitsPerSecond": 12001}}):
        answer = client.update_table(TableName=table_name, **change)["TableDescription"]
        assert answer["TableStatus"] == "ACTIVE", change


def test_no_update_while_creating(delayed: Delayed, table_name: str) -> None:
    client = delayed.client
    client.create_table(TableName=table_name, KeySchema=hash_key(),
                        AttributeDefinitions=definitions("pk"), BillingMode="PAY_PER_REQUEST")
    assert fails(client.update_table, TableName=table_name, DeletionProtectionEnabled=True) == (
        "ResourceInUseException",
        f"Attempt to change a resource which is still in use: Table is being created: {table_name}")
    delayed.settle()
