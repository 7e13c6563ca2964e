"""Request shapes: ``shapes.validate`` answers as DynamoDB's request framework does.

Each case names where its text comes from:
  live      quoted from the service (behaviours.md, a 2026 conformance suite run against
            DynamoDB, issue threads with request ids);
  dynalite  dynalite's test suite, which runs against DynamoDB with REMOTE=1;
  inferred  not confirmed; follows the model and the confirmed cases.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openddb import errors
from openddb.protocol import shapes
from openddb.protocol.json_1_0 import DYNAMODB_SERVICE, STREAMS_SERVICE

SERIALIZATION = "com.amazon.coral.service#SerializationException"
VALIDATION = "com.amazon.coral.validate#ValidationException"
TABLE_NAME_PATTERN = "[a-zA-Z0-9_.-]+"
KEY = {"pk": {"S": "a"}}
CAST = (
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to "
    "class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl "
    "and java.lang.Class are in module java.base of loader 'bootstrap')"
)
RETURN_VALUES = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
SELECT = "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
AV_MAP = "java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"


def one(entry: str) -> str:
    return f"1 validation error detected: {entry}"


def violation(value: str | None, path: str, constraint: str) -> str:
    shown = "null" if value is None else f"'{value}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def not_null(path: str) -> str:
    return violation(None, path, "Member must not be null")


def rejection(operation: str, body: dict[str, Any], service: str = DYNAMODB_SERVICE) -> Any:
    with pytest.raises(errors.DynamoDBError) as excinfo:
        shapes.validate(service, operation, body)
    return excinfo.value.to_body()


# --- SerializationException: the wrong JSON type ----------------------------------------

SERIALIZATION_CASES = [
    # Strings (dynalite assertType 'String'; NUMBER_VALUE also live in localstack#9412).
    ("GetItem", {"TableName": 5, "Key": KEY}, "NUMBER_VALUE cannot be converted to String"),
    ("GetItem", {"TableName": 5.5, "Key": KEY}, "DECIMAL_VALUE cannot be converted to String"),
    ("GetItem", {"TableName": True, "Key": KEY}, "TRUE_VALUE cannot be converted to String"),
    ("GetItem", {"TableName": False, "Key": KEY}, "FALSE_VALUE cannot be converted to String"),
    # live: pynamodb/PynamoDB#945 (a list where a string belongs)
    (
        "GetItem",
        {"TableName": [], "Key": KEY},
        "Unrecognized collection type class java.lang.String",
    ),
    ("GetItem", {"TableName": {}}, "Start of structure or map found where not expected"),
    (
        "GetItem",
        {"TableName": "t", "AttributesToGet": [1]},
        "NUMBER_VALUE cannot be converted to String",
    ),
    # Integers and longs (dynalite assertType 'Integer' / 'Long').
    ("ListTables", {"Limit": "5"}, "STRING_VALUE cannot be converted to Integer"),
    ("ListTables", {"Limit": True}, "TRUE_VALUE cannot be converted to Integer"),
    ("ListTables", {"Limit": False}, "FALSE_VALUE cannot be converted to Integer"),
    ("ListTables", {"Limit": []}, "Unrecognized collection type class java.lang.Integer"),
    ("ListTables", {"Limit": {}}, "Start of structure or map found where not expected"),
    (
        "UpdateTable",
        {"TableName": "tbl", "ProvisionedThroughput": {"ReadCapacityUnits": "5"}},
        "STRING_VALUE cannot be converted to Long",
    ),
    # Booleans (dynalite assertType 'Boolean').
    ("GetItem", {"ConsistentRead": "23"}, "Unexpected token received from parser"),
    ("GetItem", {"ConsistentRead": 23}, "NUMBER_VALUE cannot be converted to Boolean"),
    ("GetItem", {"ConsistentRead": 34.56}, "DECIMAL_VALUE cannot be converted to Boolean"),
    ("GetItem", {"ConsistentRead": []}, "Unrecognized collection type class java.lang.Boolean"),
    ("GetItem", {"ConsistentRead": {}}, "Start of structure or map found where not expected"),
    # Lists, maps and structures as members (dynalite 'List', 'Map<...>', 'FieldStruct<...>').
    ("GetItem", {"AttributesToGet": "a"}, "Unexpected field type"),
    ("GetItem", {"AttributesToGet": 23}, "Unexpected field type"),
    ("GetItem", {"AttributesToGet": {}}, "Start of structure or map found where not expected"),
    ("GetItem", {"Key": "a"}, "Unexpected field type"),
    ("GetItem", {"Key": []}, f"Unrecognized collection type {AV_MAP}"),
    (
        "GetItem",
        {"ExpressionAttributeNames": []},
        "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>",
    ),
    ("CreateTable", {"ProvisionedThroughput": "a"}, "Unexpected field type"),
    (
        "CreateTable",
        {"ProvisionedThroughput": []},
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput",
    ),
    # Structures as list elements or map values (dynalite 'ValueStruct<...>').
    ("CreateTable", {"KeySchema": ["a"]}, "Unexpected value type in payload"),
    (
        "CreateTable",
        {"KeySchema": [[]]},
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement",
    ),
    # live in production (a comment in code search): plain JS values sent as an item.
    ("PutItem", {"TableName": "t", "Item": {"a": 5}}, "Unexpected value type in payload"),
    # Lists and maps nested in lists or maps (dynalite 'ParameterizedList' / 'ParameterizedMap').
    (
        "BatchWriteItem",
        {"RequestItems": []},
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>",
    ),
    ("BatchWriteItem", {"RequestItems": 5}, "Unexpected field type"),
    ("BatchWriteItem", {"RequestItems": {"t": 5}}, CAST),
    (
        "BatchWriteItem",
        {"RequestItems": {"t": {}}},
        "Start of structure or map found where not expected",
    ),
    ("BatchWriteItem", {"RequestItems": {"t": [5]}}, "Unexpected value type in payload"),
    ("BatchGetItem", {"RequestItems": {"t": {"Keys": [5]}}}, CAST),
    (
        "BatchGetItem",
        {"RequestItems": {"t": {"Keys": [[]]}}},
        f"Unrecognized collection type {AV_MAP}",
    ),
    # AttributeValue members. live/moto: {"S": 123} and {"S": {...}} (getmoto/moto tests).
    ("PutItem", {"Item": {"a": {"S": 123}}}, "NUMBER_VALUE cannot be converted to String"),
    (
        "PutItem",
        {"Item": {"a": {"S": {"S": "x"}}}},
        "Start of structure or map found where not expected",
    ),
    ("PutItem", {"Item": {"a": {"N": 1}}}, "NUMBER_VALUE cannot be converted to String"),
    ("PutItem", {"Item": {"a": {"BOOL": "x"}}}, "Unexpected token received from parser"),
    ("PutItem", {"Item": {"a": {"NULL": 1}}}, "NUMBER_VALUE cannot be converted to Boolean"),
    ("PutItem", {"Item": {"a": {"L": {}}}}, "Start of structure or map found where not expected"),
    ("PutItem", {"Item": {"a": {"L": "x"}}}, "Unexpected field type"),
    ("PutItem", {"Item": {"a": {"L": ["x"]}}}, "Unexpected value type in payload"),
    ("PutItem", {"Item": {"a": {"M": []}}}, f"Unrecognized collection type {AV_MAP}"),
    (
        "PutItem",
        {"Item": {"a": {"M": {"b": {"SS": [1]}}}}},
        "NUMBER_VALUE cannot be converted to String",
    ),
    ("PutItem", {"Item": {"a": {"SS": "x"}}}, "Unexpected field type"),
    # Binary (dynalite assertType 'Blob').
    ("PutItem", {"Item": {"a": {"B": 5}}}, "only base-64-encoded strings are convertible to bytes"),
    (
        "PutItem",
        {"Item": {"a": {"B": True}}},
        "only base-64-encoded strings are convertible to bytes",
    ),
    (
        "PutItem",
        {"Item": {"a": {"B": []}}},
        "Unrecognized collection type class java.nio.ByteBuffer",
    ),
    ("PutItem", {"Item": {"a": {"B": {}}}}, "Start of structure or map found where not expected"),
    (
        "PutItem",
        {"Item": {"a": {"B": "23456"}}},
        "Base64 encoded length is expected a multiple of 4 bytes but found: 5",
    ),
    ("PutItem", {"Item": {"a": {"B": "=+/="}}}, "Invalid last non-pad Base64 character dectected"),
    (
        "PutItem",
        {"Item": {"a": {"BS": ["+/+="]}}},
        "Invalid last non-pad Base64 character dectected",
    ),
    (
        "PutItem",
        {"Item": {"a": {"BS": [True]}}},
        "only base-64-encoded strings are convertible to bytes",
    ),
    # inferred: the first bad member in document order wins, whatever the model order.
    (
        "Scan",
        {"TableName": "t", "Limit": "5", "IndexName": 5},
        "STRING_VALUE cannot be converted to Integer",
    ),
    (
        "Scan",
        {"TableName": "t", "IndexName": 5, "Limit": "5"},
        "NUMBER_VALUE cannot be converted to String",
    ),
    # Types are checked before any constraint (deserialisation precedes validation).
    (
        "ListTables",
        {"Limit": 0, "ExclusiveStartTableName": 5},
        "NUMBER_VALUE cannot be converted to String",
    ),
]


@pytest.mark.parametrize(("operation", "body", "message"), SERIALIZATION_CASES)
def test_wrong_json_type_is_serialization_exception(
    operation: str, body: dict[str, Any], message: str
) -> None:
    # The SerializationException body carries "Message", capitalised (dynalite asserts the
    # whole body {"__type": ..., "Message": ...} against the service).
    assert rejection(operation, body) == {"__type": SERIALIZATION, "Message": message}


# --- ValidationException: the model's constraints ---------------------------------------

THREE_KEY_ELEMENTS = [
    {"AttributeName": "pk", "KeyType": "HASH"},
    {"AttributeName": "sk", "KeyType": "RANGE"},
    {"AttributeName": "extra", "KeyType": "RANGE"},
]
CREATE_TABLE = {
    "TableName": "tbl",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
}

VALIDATION_CASES = [
    # CreateTable. live (2026 suite): missing TableName is a bespoke text.
    (
        "CreateTable",
        {key: value for key, value in CREATE_TABLE.items() if key != "TableName"},
        "The parameter 'TableName' is required but was not present in the request",
    ),
    # live (2026 suite)
    (
        "CreateTable",
        {**CREATE_TABLE, "TableName": "ab"},
        one(violation("ab", "tableName", "Member must have length greater than or equal to 3")),
    ),
    # inferred for CreateTable (live for PutItem, below)
    (
        "CreateTable",
        {**CREATE_TABLE, "TableName": "bad table!"},
        one(
            violation(
                "bad table!",
                "tableName",
                f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}",
            )
        ),
    ),
    # dynalite "null attributes" (the model no longer requires the two lists; see shapes.py)
    (
        "CreateTable",
        {"TableName": "abc;"},
        "3 validation errors detected: "
        + not_null("attributeDefinitions")
        + "; "
        + violation(
            "abc;",
            "tableName",
            f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}",
        )
        + "; "
        + not_null("keySchema"),
    ),
    # live (2026 suite): both enums and their printed order
    (
        "CreateTable",
        {**CREATE_TABLE, "KeySchema": [{"AttributeName": "pk", "KeyType": "INVALID"}]},
        one(
            violation(
                "INVALID",
                "keySchema.1.member.keyType",
                "Member must satisfy enum value set: [HASH, RANGE]",
            )
        ),
    ),
    (
        "CreateTable",
        {
            **CREATE_TABLE,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "INVALID"}],
        },
        one(
            violation(
                "INVALID",
                "attributeDefinitions.1.member.attributeType",
                "Member must satisfy enum value set: [B, N, S]",
            )
        ),
    ),
    # inferred: model order is [PROVISIONED, PAY_PER_REQUEST]; emulators print the same
    (
        "CreateTable",
        {**CREATE_TABLE, "BillingMode": "ON_DEMAND"},
        one(
            violation(
                "ON_DEMAND",
                "billingMode",
                "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
            )
        ),
    ),
    # live (2026 capture for UpdateTable's GSI throughput): writeCapacityUnits first
    (
        "CreateTable",
        {**CREATE_TABLE, "ProvisionedThroughput": {}},
        "2 validation errors detected: "
        + not_null("provisionedThroughput.writeCapacityUnits")
        + "; "
        + not_null("provisionedThroughput.readCapacityUnits"),
    ),
    # dynalite
    (
        "CreateTable",
        {
            **CREATE_TABLE,
            "ProvisionedThroughput": {"ReadCapacityUnits": -1, "WriteCapacityUnits": 0},
        },
        "2 validation errors detected: "
        + violation(
            "0",
            "provisionedThroughput.writeCapacityUnits",
            "Member must have value greater than or equal to 1",
        )
        + "; "
        + violation(
            "-1",
            "provisionedThroughput.readCapacityUnits",
            "Member must have value greater than or equal to 1",
        ),
    ),
    (
        "CreateTable",
        {**CREATE_TABLE, "KeySchema": []},
        one(violation("[]", "keySchema", "Member must have length greater than or equal to 1")),
    ),
    # GetItem. dynalite (exact strings)
    (
        "GetItem",
        {},
        "2 validation errors detected: " + not_null("tableName") + "; " + not_null("key"),
    ),
    (
        "GetItem",
        {"TableName": "abc;", "ReturnConsumedCapacity": "hi", "AttributesToGet": []},
        "4 validation errors detected: "
        + violation(
            "hi",
            "returnConsumedCapacity",
            "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
        )
        + "; "
        + violation("[]", "attributesToGet", "Member must have length greater than or equal to 1")
        + "; "
        + violation(
            "abc;",
            "tableName",
            f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}",
        )
        + "; "
        + not_null("key"),
    ),
    # live (2026 suite, UpdateItem and PutItem): an empty name fails the ARN-or-name minimum only
    (
        "GetItem",
        {"TableName": "", "Key": KEY},
        one(violation("", "tableName", "Member must have length greater than or equal to 1")),
    ),
    # dynalite order (pattern, then length); inferred that both are still reported
    (
        "GetItem",
        {"TableName": "a;", "Key": KEY},
        "2 validation errors detected: "
        + violation(
            "a;",
            "tableName",
            f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}",
        )
        + "; "
        + violation("a;", "tableName", "Member must have length greater than or equal to 3"),
    ),
    # inferred: an ARN is held to the model's 1..1024 only
    (
        "GetItem",
        {"TableName": "arn:" + "a" * 1021, "Key": KEY},
        one(
            violation(
                "arn:" + "a" * 1021,
                "tableName",
                "Member must have length less than or equal to 1024",
            )
        ),
    ),
    # PutItem. live (2026 suite)
    ("PutItem", {"Item": KEY}, one(not_null("tableName"))),
    (
        "PutItem",
        {"TableName": "a" * 256, "Item": KEY},
        one(violation("a" * 256, "tableName", "Member must have length less than or equal to 255")),
    ),
    (
        "PutItem",
        {"TableName": "bad table!@#", "Item": KEY},
        one(
            violation(
                "bad table!@#",
                "tableName",
                f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}",
            )
        ),
    ),
    ("PutItem", {"TableName": "tbl"}, one(not_null("item"))),
    (
        "PutItem",
        {"TableName": "tbl", "Item": KEY, "ConditionalOperator": "XOR"},
        one(
            violation("XOR", "conditionalOperator", "Member must satisfy enum value set: [OR, AND]")
        ),
    ),
    # UpdateItem. live (2026 suite, two regions): member order and enum orders
    (
        "UpdateItem",
        {
            "TableName": "",
            "UpdateExpression": "SET a = :a",
            "ReturnConsumedCapacity": "INVALID",
            "ReturnValues": "INVALID",
        },
        "4 validation errors detected: "
        + violation(
            "INVALID",
            "returnConsumedCapacity",
            "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
        )
        + "; "
        + violation("", "tableName", "Member must have length greater than or equal to 1")
        + "; "
        + violation(
            "INVALID",
            "returnValues",
            "Member must satisfy enum value set: " + RETURN_VALUES,
        )
        + "; "
        + not_null("key"),
    ),
    # ListTables. live (brief; Limit 200 capture for the maximum)
    (
        "ListTables",
        {"Limit": 0},
        one(violation("0", "limit", "Member must have value greater than or equal to 1")),
    ),
    (
        "ListTables",
        {"Limit": 101},
        one(violation("101", "limit", "Member must have value less than or equal to 100")),
    ),
    # inferred: the ListTables name keeps the TableName shape (3..255, pattern)
    (
        "ListTables",
        {"ExclusiveStartTableName": "ab"},
        one(
            violation(
                "ab",
                "exclusiveStartTableName",
                "Member must have length greater than or equal to 3",
            )
        ),
    ),
    # Scan. dynalite member order (limit, ..., segment, select, ..., totalSegments)
    (
        "Scan",
        {"TableName": "tbl", "Segment": -1, "TotalSegments": 0, "Select": "X", "Limit": 0},
        "4 validation errors detected: "
        + violation("0", "limit", "Member must have value greater than or equal to 1")
        + "; "
        + violation("-1", "segment", "Member must have value greater than or equal to 0")
        + "; "
        + violation(
            "X",
            "select",
            "Member must satisfy enum value set: " + SELECT,
        )
        + "; "
        + violation("0", "totalSegments", "Member must have value greater than or equal to 1"),
    ),
    # BatchWriteItem. dynalite
    ("BatchWriteItem", {}, one(not_null("requestItems"))),
    # live (2026 suite, regions on the established validator)
    (
        "BatchWriteItem",
        {"RequestItems": {}},
        "The requestItems parameter is required for BatchWriteItem",
    ),
    (
        "BatchWriteItem",
        {"RequestItems": {"a": []}},
        "2 validation errors detected: "
        + violation(
            "{a=[]}",
            "requestItems",
            "Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
            "Member must have length greater than or equal to 3, "
            f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}]",
        )
        + "; "
        + violation(
            "{a=[]}",
            "requestItems",
            "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
            "Member must have length greater than or equal to 1]",
        ),
    ),
    # DynamoDB Streams: the model's constraints (inferred texts)
    ("DescribeStream", {}, one(not_null("streamArn"))),
    (
        "GetRecords",
        {"ShardIterator": "", "Limit": 0},
        "2 validation errors detected: "
        + violation("", "shardIterator", "Member must have length greater than or equal to 1")
        + "; "
        + violation("0", "limit", "Member must have value greater than or equal to 1"),
    ),
]


@pytest.mark.parametrize(("operation", "body", "message"), VALIDATION_CASES)
def test_constraint_violation_is_validation_exception(
    operation: str, body: dict[str, Any], message: str
) -> None:
    service = STREAMS_SERVICE if operation in shapes.STREAMS_OPERATION_NAMES else DYNAMODB_SERVICE
    answer = rejection(operation, body, service)
    assert answer["__type"] == VALIDATION
    assert set(answer) == {"__type", "message"}
    assert answer["message"] == message


def test_batch_write_over_25_requests_prints_the_map_java_style() -> None:
    # live: behaviours.md section 3 (boto/boto3#483 and others); the object hashes vary.
    requests = [{"PutRequest": {"Item": {"a": {"S": str(i)}}}} for i in range(26)]
    answer = rejection("BatchWriteItem", {"RequestItems": {"my-dynamodb-table": requests}})
    write_request = r"com\.amazonaws\.dynamodb\.v20120810\.WriteRequest@[0-9a-f]{1,8}"
    expected = (
        r"1 validation error detected: Value '\{my-dynamodb-table=\["
        + ", ".join([write_request] * 26)
        + r"\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy "
        r"constraint: \[Member must have length less than or equal to 25, "
        r"Member must have length greater than or equal to 1\]"
    )
    assert answer["__type"] == VALIDATION
    assert re.fullmatch(expected, answer["message"])


def test_batch_write_paths_go_through_map_values_and_list_members() -> None:
    # dynalite "incorrect attributes": 'requestItems.<table>.member.<n>.member...',
    # deleteRequest before putRequest.
    body = {
        "RequestItems": {"aa;": [{"PutRequest": {}, "DeleteRequest": {}}]},
        "ReturnConsumedCapacity": "hi",
        "ReturnItemCollectionMetrics": "hi",
    }
    message = rejection("BatchWriteItem", body)["message"]
    entries = message.removeprefix("5 validation errors detected: ").split("; ")
    assert entries[0] == violation(
        "hi", "returnConsumedCapacity", "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
    )
    assert entries[1] == violation(
        "hi", "returnItemCollectionMetrics", "Member must satisfy enum value set: [SIZE, NONE]"
    )
    assert re.fullmatch(
        r"Value '\{aa;=\[com\.amazonaws\.dynamodb\.v20120810\.WriteRequest@[0-9a-f]+\]\}' at "
        r"'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: .*",
        entries[2],
    )
    assert entries[3] == not_null("requestItems.aa;.member.1.member.deleteRequest.key")
    assert entries[4] == not_null("requestItems.aa;.member.1.member.putRequest.item")


def test_long_attribute_name_in_a_key_fails_the_map_key_constraint() -> None:
    # inferred: Key map keys are AttributeName (max 65535), reported at the map.
    name = "k" * 65536
    answer = rejection("GetItem", {"TableName": "tbl", "Key": {name: {"S": "a"}}})
    assert re.fullmatch(
        rf"1 validation error detected: Value '\{{{name}=com\.amazonaws\.dynamodb\.v20120810\."
        r"AttributeValue@[0-9a-f]+\}' at 'key' failed to satisfy constraint: Map keys must "
        r"satisfy constraint: \[Member must have length less than or equal to 65535\]",
        answer["message"],
    )


def test_create_table_with_three_key_elements_prints_the_list() -> None:
    # live (2026 suite): "Value '[<3 elements>]' at 'keySchema' ... less than or equal to 2";
    # the service prints each element as KeySchemaElement(...) or <class>@<hash>.
    answer = rejection("CreateTable", {**CREATE_TABLE, "KeySchema": THREE_KEY_ELEMENTS})
    element = r"com\.amazonaws\.dynamodb\.v20120810\.KeySchemaElement@[0-9a-f]+"
    assert re.fullmatch(
        rf"1 validation error detected: Value '\[{element}(, {element}){{2}}\]' at 'keySchema' "
        r"failed to satisfy constraint: Member must have length less than or equal to 2",
        answer["message"],
    )


def test_at_most_ten_errors_are_listed_and_counted() -> None:
    # dynalite stops collecting at ten; the prefix counts the listed errors (inferred).
    body = {
        "TableName": "a;",
        "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "X"}],
        "KeySchema": [
            {"KeyType": "HASH"},
            {"AttributeName": "a"},
            {"KeyType": "Woop", "AttributeName": "a"},
        ],
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "BillingMode": "FOO",
        "TableClass": "BAR",
    }
    message = rejection("CreateTable", body)["message"]
    assert message.startswith("10 validation errors detected: ")
    entries = message.removeprefix("10 validation errors detected: ").split("; ")
    paths = [re.search(r" at '([^']*)' ", entry).group(1) for entry in entries]  # type: ignore[union-attr]
    # dynalite's CreateTable member order; TableClass (the 11th) is left out.
    assert paths == [
        "attributeDefinitions.1.member.attributeType",
        "tableName",
        "tableName",
        "provisionedThroughput.writeCapacityUnits",
        "provisionedThroughput.readCapacityUnits",
        "keySchema",
        "keySchema.1.member.attributeName",
        "keySchema.2.member.keyType",
        "keySchema.3.member.keyType",
        "billingMode",
    ]


# --- what passes ---------------------------------------------------------------------


def test_valid_requests_pass() -> None:
    shapes.validate(DYNAMODB_SERVICE, "CreateTable", dict(CREATE_TABLE))
    shapes.validate(DYNAMODB_SERVICE, "GetItem", {"TableName": "tbl", "Key": KEY})
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/tbl"
    shapes.validate(DYNAMODB_SERVICE, "GetItem", {"TableName": arn, "Key": KEY})
    item = {"a": {"L": [{"M": {"b": {"BS": ["YQ==", ""]}}}, {"NULL": True}]}, "b": {"N": "1"}}
    shapes.validate(DYNAMODB_SERVICE, "PutItem", {"TableName": "tbl", "Item": item})
    shapes.validate(STREAMS_SERVICE, "ListStreams", {"Limit": 5})


def test_unknown_members_and_nulls_are_ignored() -> None:
    # Coral skips members its model lacks; a JSON null is an absent member (floci, dynalite).
    body = {"TableName": "tbl", "Key": KEY, "Bogus": 5, "Limit": "x", "IndexName": None}
    shapes.validate(DYNAMODB_SERVICE, "GetItem", body)
    shapes.validate(DYNAMODB_SERVICE, "Scan", {"TableName": "tbl", "AttributesToGet": [None]})


def test_parser_coercions_reach_the_handler_as_modelled_types() -> None:
    # inferred: the service truncates decimals for integers and reads "true"/"false" booleans.
    body: dict[str, Any] = {"TableName": "tbl", "Limit": 5.9, "ConsistentRead": "TRUE"}
    shapes.validate(DYNAMODB_SERVICE, "Scan", body)
    assert body == {"TableName": "tbl", "Limit": 5, "ConsistentRead": True}
    assert type(body["Limit"]) is int
    item: dict[str, Any] = {"a": {"BOOL": "false"}}
    shapes.validate(DYNAMODB_SERVICE, "PutItem", {"TableName": "tbl", "Item": item})
    assert item == {"a": {"BOOL": False}}


def test_unknown_operation() -> None:
    assert rejection("NoSuchOperation", {}) == {
        "__type": "com.amazon.coral.service#UnknownOperationException"
    }
    assert rejection("GetItem", {}, service=STREAMS_SERVICE)["__type"].endswith(
        "#UnknownOperationException"
    )


def test_operation_names_come_from_the_models() -> None:
    assert {"GetItem", "PutItem", "CreateTable", "TransactWriteItems"} <= shapes.OPERATION_NAMES
    assert len(shapes.OPERATION_NAMES) >= 57
    streams = {"DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"}
    assert streams == shapes.STREAMS_OPERATION_NAMES


@pytest.mark.parametrize(
    ("service", "operation"),
    [(DYNAMODB_SERVICE, name) for name in sorted(shapes.OPERATION_NAMES)]
    + [(STREAMS_SERVICE, name) for name in sorted(shapes.STREAMS_OPERATION_NAMES)],
)
def test_every_operation_answers_an_empty_body(service: str, operation: str) -> None:
    try:
        shapes.validate(service, operation, {})
    except errors.DynamoDBError as error:
        assert error.code in ("ValidationException", "SerializationException"), error.code


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["S", "N", "B", "L", "M", "SS", "a", "Keys"]), children, max_size=3
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    operation=st.sampled_from(
        ["GetItem", "PutItem", "CreateTable", "BatchWriteItem", "Query", "UpdateTable"]
    ),
    values=st.lists(JSON, min_size=1, max_size=4),
)
def test_any_json_gets_a_dynamodb_answer(operation: str, values: list[Any]) -> None:
    # Property: whatever JSON sits in the modelled members, validate answers with a
    # DynamoDB error or accepts; it never fails with a Python exception.
    members = [
        "TableName",
        "Key",
        "Item",
        "KeySchema",
        "RequestItems",
        "ProvisionedThroughput",
        "Limit",
    ]
    body = dict(zip(members, values, strict=False))
    try:
        shapes.validate(DYNAMODB_SERVICE, operation, body)
    except errors.DynamoDBError as error:
        assert error.code in ("ValidationException", "SerializationException")
