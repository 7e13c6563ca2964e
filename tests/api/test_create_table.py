"""CreateTable through boto3: the TableDescription it stores, and every validation with
the service's exact text (sources in openddb/errors.py)."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of
from control_plane import (
    definitions,
    gsi,
    hash_key,
    hash_range_key,
    lsi,
    own_namespace,
    table_arn,
    throughput,
    unvalidated_client,
)

PAY_PER_REQUEST = {"BillingMode": "PAY_PER_REQUEST"}
INVALID = "One or more parameter values were invalid: "


@pytest.fixture(scope="module")
def raw(endpoint: str) -> Any:
    return unvalidated_client(endpoint)


def create(client: Any, name: str, **request: Any) -> dict[str, Any]:
    """CreateTable with a (pk HASH, sk RANGE) on-demand default for what is not given."""
    request.setdefault("KeySchema", hash_range_key())
    request.setdefault("AttributeDefinitions", definitions("pk", "sk"))
    if "ProvisionedThroughput" not in request:
        request.setdefault("BillingMode", "PAY_PER_REQUEST")
    description: dict[str, Any] = client.create_table(TableName=name, **request)[
        "TableDescription"]
    return description


# --- the stored description ---------------------------------------------------------------


def test_indexes_are_described(dynamodb: Any, table_name: str) -> None:
    create(
        dynamodb, table_name,
        AttributeDefinitions=definitions("z", "sk", "pk", "x"),
        LocalSecondaryIndexes=[lsi("by-z", "pk", "z")],
        GlobalSecondaryIndexes=[gsi("by-x", "x", "z", projection="INCLUDE")
                                | {"Projection": {"ProjectionType": "INCLUDE",
                                                  "NonKeyAttributes": ["mm", "aa"]}}],
    )
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    arn = table_arn(table_name)
    assert [d["AttributeName"] for d in described["AttributeDefinitions"]] == ["pk", "sk", "x", "z"]
    assert described["LocalSecondaryIndexes"] == [{
        "IndexName": "by-z", "KeySchema": hash_range_key("pk", "z"),
        "Projection": {"ProjectionType": "ALL"}, "IndexSizeBytes": 0, "ItemCount": 0,
        "IndexArn": f"{arn}/index/by-z",
    }]
    assert described["GlobalSecondaryIndexes"] == [{
        "IndexName": "by-x", "KeySchema": hash_range_key("x", "z"),
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["aa", "mm"]},
        "IndexStatus": "ACTIVE",
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                  "WriteCapacityUnits": 0},
        "IndexSizeBytes": 0, "ItemCount": 0, "IndexArn": f"{arn}/index/by-x",
        "WarmThroughput": {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000,
                           "Status": "ACTIVE"},
    }]
    dynamodb.delete_table(TableName=table_name)


def test_on_demand_table_summary_and_warm_throughput(dynamodb: Any, table_name: str) -> None:
    created = create(dynamodb, table_name, GlobalSecondaryIndexes=[gsi("by-sk", "sk")])
    # CreateTable's answer lacks what DynamoDB fills in later.
    assert created["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    assert "WarmThroughput" not in created
    assert "WarmThroughput" not in created["GlobalSecondaryIndexes"][0]
    assert created["DeletionProtectionEnabled"] is False
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    assert set(described["BillingModeSummary"]) == {
        "BillingMode", "LastUpdateToPayPerRequestDateTime"}
    assert described["WarmThroughput"] == {
        "ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
    assert described["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    dynamodb.delete_table(TableName=table_name)


def test_provisioned_table_has_no_billing_summary(dynamodb: Any, table_name: str) -> None:
    create(dynamodb, table_name, ProvisionedThroughput=throughput(5, 7),
           AttributeDefinitions=definitions("pk", "sk", "g"),
           GlobalSecondaryIndexes=[gsi("by-g", "g", ProvisionedThroughput=throughput(2, 3))])
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    assert "BillingModeSummary" not in described
    assert described["WarmThroughput"] == {
        "ReadUnitsPerSecond": 5, "WriteUnitsPerSecond": 7, "Status": "ACTIVE"}
    index = described["GlobalSecondaryIndexes"][0]
    assert index["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    assert index["WarmThroughput"] == {
        "ReadUnitsPerSecond": 2, "WriteUnitsPerSecond": 3, "Status": "ACTIVE"}
    dynamodb.delete_table(TableName=table_name)


def test_stream_is_described(dynamodb: Any, table_name: str) -> None:
    created = create(dynamodb, table_name,
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert created["StreamSpecification"] == {"StreamEnabled": True,
                                              "StreamViewType": "KEYS_ONLY"}
    label = created["LatestStreamLabel"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", label)
    assert created["LatestStreamArn"] == f"{table_arn(table_name)}/stream/{label}"
    dynamodb.delete_table(TableName=table_name)


def test_disabled_stream_is_not_described(dynamodb: Any, table_name: str) -> None:
    created = create(dynamodb, table_name, StreamSpecification={"StreamEnabled": False})
    assert "StreamSpecification" not in created
    assert "LatestStreamArn" not in created
    dynamodb.delete_table(TableName=table_name)


@pytest.mark.parametrize(
    "specification,key",
    [
        ({"Enabled": True}, None),
        ({"SSEType": "KMS"}, None),
        ({"Enabled": True, "SSEType": "KMS",
          "KMSMasterKeyId": "arn:aws:kms:us-east-1:000000000000:key/my-key"},
         "arn:aws:kms:us-east-1:000000000000:key/my-key"),
        ({"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "1234abcd"},
         "arn:aws:kms:us-east-1:000000000000:key/1234abcd"),
    ],
    ids=["aws managed", "type only", "key arn", "key id"],
)
def test_kms_encryption_is_described(
    dynamodb: Any, table_name: str, specification: dict[str, Any], key: str | None
) -> None:
    sse = create(dynamodb, table_name, SSESpecification=specification)["SSEDescription"]
    assert sse["Status"] == "ENABLED"
    assert sse["SSEType"] == "KMS"
    if key is None:
        assert sse["KMSMasterKeyArn"].startswith("arn:aws:kms:us-east-1:000000000000:key/")
    else:
        assert sse["KMSMasterKeyArn"] == key
    dynamodb.delete_table(TableName=table_name)


def test_default_encryption_is_not_described(dynamodb: Any, table_name: str) -> None:
    created = create(dynamodb, table_name, SSESpecification={"Enabled": False})
    assert "SSEDescription" not in created
    dynamodb.delete_table(TableName=table_name)


def test_table_class_deletion_protection_and_on_demand_throughput(
    dynamodb: Any, table_name: str
) -> None:
    created = create(dynamodb, table_name, TableClass="STANDARD_INFREQUENT_ACCESS",
                     DeletionProtectionEnabled=True,
                     OnDemandThroughput={"MaxReadRequestUnits": 10})
    assert created["TableClassSummary"] == {"TableClass": "STANDARD_INFREQUENT_ACCESS"}
    assert created["DeletionProtectionEnabled"] is True
    assert created["OnDemandThroughput"] == {"MaxReadRequestUnits": 10}
    dynamodb.update_table(TableName=table_name, DeletionProtectionEnabled=False)
    dynamodb.delete_table(TableName=table_name)


def test_requested_warm_throughput_is_answered(dynamodb: Any, table_name: str) -> None:
    created = create(dynamodb, table_name,
                     WarmThroughput={"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 5000})
    assert created["WarmThroughput"] == {
        "ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 5000, "Status": "ACTIVE"}
    dynamodb.delete_table(TableName=table_name)


def test_multi_attribute_gsi_key(dynamodb: Any, table_name: str) -> None:
    """Up to four partition-key and four sort-key attributes (ACK lab DDB-TABLE-123)."""
    names = [f"h{i}" for i in range(4)] + [f"r{i}" for i in range(4)]
    key_schema = [{"AttributeName": n, "KeyType": "HASH" if n[0] == "h" else "RANGE"}
                  for n in names]
    create(dynamodb, table_name, KeySchema=hash_key(),
           AttributeDefinitions=definitions("pk", *names),
           GlobalSecondaryIndexes=[{"IndexName": "wide", "KeySchema": key_schema,
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}])
    described = dynamodb.describe_table(TableName=table_name)["Table"]
    assert described["GlobalSecondaryIndexes"][0]["KeySchema"] == key_schema
    dynamodb.delete_table(TableName=table_name)


def test_gsi_like_the_table_key_and_named_like_the_table(dynamodb: Any, table_name: str) -> None:
    """Both accepted (ACK lab DDB-TABLE-129)."""
    create(dynamodb, table_name,
           GlobalSecondaryIndexes=[gsi(table_name[:255], "pk", "sk")])
    dynamodb.delete_table(TableName=table_name)


def test_tags_given_at_creation(dynamodb: Any, table_name: str) -> None:
    tags = [{"Key": f"k{i:02d}", "Value": f"v{i}"} for i in range(50)]
    create(dynamodb, table_name, Tags=tags)
    assert dynamodb.list_tags_of_resource(ResourceArn=table_arn(table_name))["Tags"] == tags
    dynamodb.delete_table(TableName=table_name)


def test_existing_table_is_resource_in_use(dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    with pytest.raises(ClientError) as excinfo:
        create(dynamodb, name, KeySchema=hash_key(), AttributeDefinitions=definitions("pk"))
    assert error_of(excinfo) == ("ResourceInUseException", f"Table already exists: {name}")


def test_validation_comes_before_existence(dynamodb: Any, make_table: Any) -> None:
    """An invalid definition for a taken name is a ValidationException (ACK DDB-TABLE-005)."""
    name = make_table()
    with pytest.raises(ClientError) as excinfo:
        create(dynamodb, name, KeySchema=hash_key(), AttributeDefinitions=definitions("other"))
    assert error_of(excinfo) == (
        "ValidationException",
        INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
        "Keys: [pk], AttributeDefinitions: [other]")


# --- validation ------------------------------------------------------------------------


def _keys(*elements: tuple[str, str]) -> list[dict[str, str]]:
    return [{"AttributeName": name, "KeyType": key_type} for name, key_type in elements]


def _bad_gsi(*elements: tuple[str, str]) -> list[dict[str, Any]]:
    return [{**gsi("bad", "pk"), "KeySchema": _keys(*elements)}]


def _rendered(key_schema: list[dict[str, str]]) -> str:
    """KeySchemaElements as the service prints them: Java Object.toString()."""
    return "[" + ", ".join(
        f"com.amazonaws.dynamodb.v20120810.KeySchemaElement@{zlib.crc32(repr(e).encode()):x}"
        for e in key_schema) + "]"


THREE_KEYS = _keys(("pk", "HASH"), ("sk", "RANGE"), ("x", "RANGE"))
TWENTY_ONE_GSIS = [gsi(f"index{i:02d}", "pk") for i in range(21)]
SIX_LSIS = [lsi(f"index{i}", "pk", "sk") for i in range(6)]
WIDE_PROJECTIONS = [
    {"IndexName": f"index{i}", "KeySchema": hash_key(),
     "Projection": {"ProjectionType": "INCLUDE",
                    "NonKeyAttributes": [f"a{i}-{j}" for j in range(17)]}}
    for i in range(6)
]

VALIDATION_CASES: list[tuple[str, dict[str, Any], str]] = [
    # key schema and attribute definitions
    ("range first", {"KeySchema": _keys(("sk", "RANGE"), ("pk", "HASH"))},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("two hash", {"KeySchema": _keys(("pk", "HASH"), ("sk", "HASH"))},
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    ("same names, one definition", {"KeySchema": hash_range_key("a", "a"),
                                    "AttributeDefinitions": definitions("a")},
     "Invalid KeySchema: Some index key attribute have no definition"),
    ("same names", {"KeySchema": hash_range_key("a", "a"),
                    "AttributeDefinitions": definitions("a", "b")},
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ("no definitions", {"KeySchema": hash_key(), "AttributeDefinitions": []},
     "Invalid KeySchema: Some index key attribute have no definition"),
    ("undefined key", {"KeySchema": hash_key("a"), "AttributeDefinitions": definitions("b")},
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
     "Keys: [a], AttributeDefinitions: [b]"),
    ("unused definition", {"KeySchema": hash_key("a"),
                           "AttributeDefinitions": definitions("a", "b")},
     INVALID + "Number of attributes in KeySchema does not exactly match number of attributes "
     "defined in AttributeDefinitions"),
    ("duplicate definition", {"KeySchema": hash_key(), "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "pk", "AttributeType": "N"}]},
     "Attribute Name is duplicated: pk"),
    ("unused definition with index", {
        "KeySchema": hash_key(), "AttributeDefinitions": definitions("pk", "x", "y"),
        "GlobalSecondaryIndexes": [gsi("by-x", "x")]},
     INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, x, y], "
     "keys used: [x, pk]"),
    # billing mode and throughput
    ("on-demand with throughput", {"ProvisionedThroughput": throughput(1, 1)},
     INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
     "BillingMode is PAY_PER_REQUEST"),
    ("provisioned without throughput", {"BillingMode": "PROVISIONED"},
     INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
     "BillingMode is PROVISIONED"),
    ("default billing without throughput", {"BillingMode": None},
     INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
     "BillingMode is PROVISIONED"),
    ("capacity out of bounds", {"BillingMode": None, "ProvisionedThroughput": throughput(
        1000000000001, 1000000000001)},
     "Given value 1000000000001 for ReadCapacityUnits is out of bounds"),
    # local secondary indexes
    ("empty LSI list", {"LocalSecondaryIndexes": []},
     INVALID + "List of LocalSecondaryIndexes is empty"),
    ("LSI on a table without sort key", {
        "KeySchema": hash_key(), "AttributeDefinitions": definitions("pk", "x"),
        "LocalSecondaryIndexes": [lsi("by-x", "pk", "x")]},
     INVALID + "Table KeySchema does not have a range key, which is required when specifying "
     "a LocalSecondaryIndex"),
    ("LSI key too long", {"AttributeDefinitions": definitions("pk", "sk", "x"),
                          "LocalSecondaryIndexes": [{**lsi("wide", "pk", "sk"),
                                                     "KeySchema": THREE_KEYS}]},
     f"1 validation error detected: Value '{_rendered(THREE_KEYS)}' at "
     "'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: "
     "Member must have length less than or equal to 2"),
    ("LSI key undefined", {"LocalSecondaryIndexes": [lsi("by-c", "pk", "c")]},
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
     "Keys: [pk, c], AttributeDefinitions: [pk, sk]"),
    ("LSI range first", {"LocalSecondaryIndexes": [{
        **lsi("bad", "pk", "sk"), "KeySchema": _keys(("sk", "RANGE"), ("pk", "HASH"))}]},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("LSI without sort key", {"LocalSecondaryIndexes": [{**lsi("bad", "pk", "sk"),
                                                         "KeySchema": hash_key("pk")}]},
     INVALID + "Index KeySchema does not have a range key for index: bad"),
    ("LSI on another partition key", {"LocalSecondaryIndexes": [lsi("bad", "sk", "pk")]},
     INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema "
     "for index: bad. index hash key: sk, table hash key: pk"),
    ("no projection type", {"LocalSecondaryIndexes": [{**lsi("bad", "pk", "sk"),
                                                       "Projection": {}}]},
     INVALID + "Unknown ProjectionType: null"),
    ("INCLUDE without attributes", {"LocalSecondaryIndexes": [
        lsi("bad", "pk", "sk", projection="INCLUDE")]},
     INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
    ("ALL with attributes", {"LocalSecondaryIndexes": [{**lsi("bad", "pk", "sk"), "Projection": {
        "ProjectionType": "ALL", "NonKeyAttributes": ["a"]}}]},
     INVALID + "ProjectionType is ALL, but NonKeyAttributes is specified"),
    ("KEYS_ONLY with attributes", {"LocalSecondaryIndexes": [{
        **lsi("bad", "pk", "sk"),
        "Projection": {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]}}]},
     INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"),
    ("attribute projected twice", {"LocalSecondaryIndexes": [{
        **lsi("bad", "pk", "sk"),
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b", "a"]}}]},
     INVALID + "Duplicate element in NonKeyAttributes: a"),
    ("duplicate LSI names", {"LocalSecondaryIndexes": [lsi("same", "pk", "sk")] * 2},
     INVALID + "Duplicate index name: same"),
    ("six LSIs", {"LocalSecondaryIndexes": SIX_LSIS},
     INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"),
    # global secondary indexes
    ("empty GSI list", {"GlobalSecondaryIndexes": []},
     INVALID + "List of GlobalSecondaryIndexes is empty"),
    ("GSI key undefined", {"GlobalSecondaryIndexes": [gsi("by-c", "c")]},
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
     "Keys: [c], AttributeDefinitions: [pk, sk]"),
    ("GSI range first", {"GlobalSecondaryIndexes": _bad_gsi(("pk", "RANGE"))},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("GSI same names", {"GlobalSecondaryIndexes": [gsi("bad", "pk", "pk")]},
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ("GSI hash after range", {
        "GlobalSecondaryIndexes": _bad_gsi(("pk", "HASH"), ("sk", "RANGE"), ("pk2", "HASH")),
        "AttributeDefinitions": definitions("pk", "sk", "pk2")},
     INVALID + "All HASH key attributes must precede RANGE key attributes in the KeySchema"),
    ("GSI five hash keys", {
        "GlobalSecondaryIndexes": _bad_gsi(*[(f"h{i}", "HASH") for i in range(5)]),
        "AttributeDefinitions": definitions("pk", "sk", *[f"h{i}" for i in range(5)])},
     INVALID + "The KeySchema exceeds the maximum allowed number of HASH key attributes"),
    ("GSI five range keys", {
        "GlobalSecondaryIndexes": _bad_gsi(("pk", "HASH"), *[(f"r{i}", "RANGE") for i in range(5)]),
        "AttributeDefinitions": definitions("pk", "sk", *[f"r{i}" for i in range(5)])},
     INVALID + "The KeySchema exceeds the maximum allowed number of RANGE key attributes"),
    ("GSI repeated attribute", {
        "GlobalSecondaryIndexes": _bad_gsi(("pk", "HASH"), ("sk", "HASH"), ("pk", "RANGE"))},
     "The KeySchema contains multiple key attributes with the same name"),
    ("GSI throughput on demand", {"GlobalSecondaryIndexes": [
        gsi("by-sk", "sk", ProvisionedThroughput=throughput(1, 1))]},
     INVALID + "ProvisionedThroughput should not be specified for index: by-sk when "
     "BillingMode is PAY_PER_REQUEST"),
    ("GSI without throughput", {"BillingMode": None, "ProvisionedThroughput": throughput(1, 1),
                                "GlobalSecondaryIndexes": [gsi("by-sk", "sk")]},
     INVALID + "ProvisionedThroughput is not specified for index: by-sk"),
    ("LSI and GSI with one name", {"LocalSecondaryIndexes": [lsi("same", "pk", "sk")],
                                   "GlobalSecondaryIndexes": [gsi("same", "sk")]},
     INVALID + "Duplicate index name: same"),
    ("21 GSIs", {"KeySchema": hash_key(), "AttributeDefinitions": definitions("pk"),
                 "GlobalSecondaryIndexes": TWENTY_ONE_GSIS},
     INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20"),
    ("102 projected attributes", {"KeySchema": hash_key(), "AttributeDefinitions":
                                  definitions("pk"), "GlobalSecondaryIndexes": WIDE_PROJECTIONS},
     INVALID + "Number of projected attributes in all indexes exceeds limit of 100"),
    # streams, encryption, on-demand and warm throughput
    ("stream without view type", {"StreamSpecification": {"StreamEnabled": True}},
     INVALID + "Table is being created with a stream enabled, UpdateViewType is required"),
    ("disabled stream with view type", {"StreamSpecification": {
        "StreamEnabled": False, "StreamViewType": "NEW_IMAGE"}},
     INVALID + "Table is being created with a stream disabled, UpdateViewType should not be "
     "specified"),
    ("SSE type while disabled", {"SSESpecification": {"Enabled": False, "SSEType": "KMS"}},
     INVALID + "SSEType can not be specified if Enabled is false"),
    ("SSE key while disabled", {"SSESpecification": {"Enabled": False, "KMSMasterKeyId": "k"}},
     INVALID + "KMSMasterKeyId can not be specified if Enabled is false"),
    ("SSE key without KMS type", {"SSESpecification": {"Enabled": True, "KMSMasterKeyId": "k"}},
     INVALID + "SSEType KMS is required if KMSMasterKeyId is specified"),
    ("SSE AES256", {"SSESpecification": {"Enabled": True, "SSEType": "AES256"}},
     INVALID + "SSEType AES256 is not supported"),
    ("on-demand maximum on provisioned", {
        "BillingMode": "PROVISIONED", "ProvisionedThroughput": throughput(1, 1),
        "OnDemandThroughput": {"MaxReadRequestUnits": 5}},
     INVALID + "MaxReadRequestUnits for OnDemandThroughput cannot be specified when table "
     "BillingMode is PROVISIONED."),
    ("on-demand maximum zero", {"OnDemandThroughput": {"MaxWriteRequestUnits": 0}},
     INVALID + "Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside "
     "of valid range"),
    ("GSI on-demand maximum on provisioned", {
        "BillingMode": "PROVISIONED", "ProvisionedThroughput": throughput(1, 1),
        "GlobalSecondaryIndexes": [gsi("g-a", "sk", ProvisionedThroughput=throughput(1, 1),
                                       OnDemandThroughput={"MaxReadRequestUnits": 5})]},
     INVALID + "MaxReadRequestUnits for OnDemandThroughput for index: g-a cannot be specified "
     "when table BillingMode is PROVISIONED."),
    ("GSI on-demand maximum -1", {"GlobalSecondaryIndexes": [
        gsi("g-a", "sk", OnDemandThroughput={"MaxReadRequestUnits": -1})]},
     INVALID + "Requested MaxReadRequestUnits for OnDemandThroughput for index : g-a is "
     "outside of valid range"),
    ("warm below capacity", {
        "BillingMode": "PROVISIONED", "ProvisionedThroughput": throughput(10, 10),
        "WarmThroughput": {"ReadUnitsPerSecond": 5}},
     INVALID + "Requested ReadUnitsPerSecond for WarmThroughput for table is lower than "
     "ReadCapacityUnits of ProvisionedThroughput"),
    # tags
    ("reserved tag key", {"Tags": [{"Key": "aws:owner", "Value": "x"}]},
     "Tag Key cannot be prefixed with aws:, Key: aws:owner"),
    ("tag key with #", {"Tags": [{"Key": "bad#char", "Value": "x"}]},
     "The Tag Key provided is invalid, Key: bad#char"),
    ("duplicate tag keys", {"Tags": [{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}]},
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"),
    ("51 tags", {"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]},
     "Number of Tags exceed the current limit for the provided ResourceArn"),
    # not built yet
    ("resource policy", {"ResourcePolicy": "{}"}, "openddb does not support ResourcePolicy yet"),
]


@pytest.mark.parametrize(
    "overrides,message",
    [case[1:] for case in VALIDATION_CASES],
    ids=[case[0] for case in VALIDATION_CASES],
)
def test_create_table_validation(
    raw: Any, table_name: str, overrides: dict[str, Any], message: str
) -> None:
    request: dict[str, Any] = {"KeySchema": hash_range_key(),
                               "AttributeDefinitions": definitions("pk", "sk"),
                               **PAY_PER_REQUEST, **overrides}
    request = {member: value for member, value in request.items() if value is not None}
    with pytest.raises(ClientError) as excinfo:
        raw.create_table(TableName=table_name, **request)
    assert error_of(excinfo) == ("ValidationException", message)
    with pytest.raises(ClientError) as missing:
        raw.describe_table(TableName=table_name)
    assert error_of(missing)[0] == "ResourceNotFoundException"


# --- capacity quotas (LimitExceededException, ACK lab DDB-TABLE-170) ---------------------


def test_table_capacity_above_table_maximum(dynamodb: Any, table_name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        create(dynamodb, table_name, ProvisionedThroughput=throughput(40001, 1))
    assert error_of(excinfo) == (
        "LimitExceededException",
        "The requested ReadCapacityUnits, 40001, is above the per table maximum for the account "
        "in us-east-1. Per table maximum: 40000. Refer to the Amazon DynamoDB Developer Guide "
        "for current limits and how to request higher limits.")


def test_index_capacity_above_index_maximum(dynamodb: Any, table_name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        create(dynamodb, table_name, ProvisionedThroughput=throughput(1, 1),
               GlobalSecondaryIndexes=[gsi("gsi1", "sk",
                                           ProvisionedThroughput=throughput(1, 40001))])
    assert error_of(excinfo) == (
        "LimitExceededException",
        "The requested WriteCapacityUnits for index gsi1, 40001, is above the per index maximum "
        "for the account in us-east-1. Per table maximum: 40000. Refer to the Amazon DynamoDB "
        "Developer Guide for current limits and how to request higher limits.")


def test_table_and_index_are_capped_separately(dynamodb: Any, table_name: str) -> None:
    create(dynamodb, table_name, ProvisionedThroughput=throughput(39900, 1),
           GlobalSecondaryIndexes=[gsi("gsi1", "sk", ProvisionedThroughput=throughput(200, 1))])
    dynamodb.delete_table(TableName=table_name)


def test_account_capacity(endpoint: str) -> None:
    client = own_namespace(endpoint, "capacity")
    for name in ("first-table", "second-table"):
        create(client, name, ProvisionedThroughput=throughput(40000, 1))
    with pytest.raises(ClientError) as excinfo:
        create(client, "third-table", ProvisionedThroughput=throughput(1, 1))
    assert error_of(excinfo) == (
        "LimitExceededException",
        "This request would have caused the ReadCapacityUnits limit to be exceeded for the "
        "account in us-east-1. Current ReadCapacityUnits reserved by the account: 80000. "
        "Limit: 80000. Requested: 1")
    create(client, "third-table", BillingMode="PAY_PER_REQUEST")
