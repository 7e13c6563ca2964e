"""ConditionExpression on PutItem, UpdateItem and DeleteItem through boto3 and the AWS CLI.

Evaluation semantics are covered case by case in tests/expressions/test_evaluate.py;
this file checks them end to end, with the resource API's Attr builders (which
write their own ``#n0`` / ``:v0`` placeholders), and every error text.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_cli import aws, needs_aws_cli
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError
from conftest import REGION, client_for, error_of

FAILED = ("ConditionalCheckFailedException", "The conditional request failed")


@pytest.fixture
def table(dynamodb: Any, make_table: Any) -> str:
    name: str = make_table()
    dynamodb.put_item(
        TableName=name,
        Item={
            "pk": {"S": "k"},
            "n": {"N": "10"},
            "s": {"S": "hello"},
            "tags": {"SS": ["a", "b"]},
            "m": {"M": {"x": {"L": [{"N": "1"}, {"N": "2"}]}}},
        },
    )
    return name


def resource_table(endpoint: str, name: str) -> Any:
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return resource.Table(name)


def test_put_if_absent(dynamodb: Any, table: str) -> None:
    condition = {"ConditionExpression": "attribute_not_exists(pk)"}
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "new"}}, **condition)
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "new"}, "v": {"N": "1"}}, **condition)
    assert error_of(excinfo) == FAILED
    assert "Item" not in excinfo.value.response
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "new"}})
    assert got["Item"] == {"pk": {"S": "new"}}


def test_failed_condition_returns_the_old_item_when_asked(dynamodb: Any, table: str) -> None:
    for operation, arguments in [
        ("put_item", {"Item": {"pk": {"S": "k"}}}),
        ("delete_item", {"Key": {"pk": {"S": "k"}}}),
        ("update_item", {"Key": {"pk": {"S": "k"}}, "UpdateExpression": "REMOVE s"}),
    ]:
        with pytest.raises(ClientError) as excinfo:
            getattr(dynamodb, operation)(
                TableName=table,
                ConditionExpression="n > :limit",
                ExpressionAttributeValues={":limit": {"N": "10"}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **arguments,
            )
        assert error_of(excinfo) == FAILED
        assert excinfo.value.response["Item"]["n"] == {"N": "10"}
        assert excinfo.value.response["Item"]["s"] == {"S": "hello"}


def test_failed_condition_on_a_missing_item_has_no_item(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.delete_item(
            TableName=table,
            Key={"pk": {"S": "absent"}},
            ConditionExpression="attribute_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert error_of(excinfo) == FAILED
    assert "Item" not in excinfo.value.response


def test_conditional_delete(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.delete_item(
            TableName=table,
            Key={"pk": {"S": "k"}},
            ConditionExpression="contains(tags, :c)",
            ExpressionAttributeValues={":c": {"S": "zzz"}},
        )
    assert error_of(excinfo) == FAILED
    dynamodb.delete_item(
        TableName=table,
        Key={"pk": {"S": "k"}},
        ConditionExpression="contains(tags, :c) AND m.x[1] = :two",
        ExpressionAttributeValues={":c": {"S": "a"}, ":two": {"N": "2"}},
    )
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}})


def test_condition_on_update_with_key_idioms(dynamodb: Any, table: str) -> None:
    key = {"pk": {"S": "fresh"}}
    dynamodb.update_item(
        TableName=table,
        Key=key,
        ConditionExpression="pk <> :p",
        ExpressionAttributeValues={":p": {"S": "fresh"}},
    )
    with pytest.raises(ClientError) as excinfo:
        dynamodb.update_item(
            TableName=table,
            Key=key,
            ConditionExpression="pk <> :p",
            ExpressionAttributeValues={":p": {"S": "fresh"}},
        )
    assert error_of(excinfo) == FAILED


def test_short_circuit_does_not_hide_used_placeholders(dynamodb: Any, table: str) -> None:
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": "k"}},
        ConditionExpression="#a = :v1 OR #b = :v2",
        UpdateExpression="SET #a = :v3",
        ExpressionAttributeNames={"#a": "n", "#b": "zz"},
        ExpressionAttributeValues={":v1": {"N": "10"}, ":v2": {"N": "2"}, ":v3": {"N": "3"}},
    )


def test_resource_attr_builders(endpoint: str, table: str) -> None:
    items = resource_table(endpoint, table)
    items.update_item(
        Key={"pk": "k"},
        UpdateExpression="SET n = n - :d",
        ConditionExpression=(
            Attr("n").between(5, 20)
            & Attr("s").begins_with("he")
            & Attr("tags").contains("a")
            & Attr("m.x").size().eq(2)
            & Attr("s").is_in(["hello", "bye"])
            & Attr("gone").not_exists()
            & Attr("tags").attribute_type("SS")
            & ~Attr("n").lt(0)
        ),
        ExpressionAttributeValues={":d": 3},
    )
    assert items.get_item(Key={"pk": "k"})["Item"]["n"] == 7
    with pytest.raises(ClientError) as excinfo:
        items.put_item(
            Item={"pk": "k"}, ConditionExpression=Attr("n").gt(7) | Attr("s").ne("hello")
        )
    assert error_of(excinfo) == FAILED


ERRORS = [
    (
        "#PA = :v",
        {":v": {"N": "1"}},
        None,
        "Invalid ConditionExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #PA",
    ),
    (
        "key = :v",
        {":v": {"N": "1"}},
        None,
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: key",
    ),
    (
        "contains(#a, #a)",
        None,
        {"#a": "data"},
        "Invalid ConditionExpression: The first operand must be distinct from the remaining "
        "operands for this operator or function; operator: contains, first operand: [data]",
    ),
    (
        "((attribute_not_exists(pk)))",
        None,
        None,
        "Invalid ConditionExpression: The expression has redundant parentheses;",
    ),
    (
        "size(a)",
        None,
        None,
        "Invalid ConditionExpression: The function is not allowed to be used this way in an "
        "expression; function: size",
    ),
    (
        "a BETWEEN :hi AND :lo",
        {":hi": {"N": "5"}, ":lo": {"N": "4"}},
        None,
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than "
        "or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound "
        "operand: AttributeValue: {N:4}",
    ),
    (
        "a BETWEEN :lo AND :s",
        {":lo": {"N": "2"}, ":s": {"S": "dog"}},
        None,
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and "
        "upper bounds; lower bound operand: AttributeValue: {N:2}, upper bound operand: "
        "AttributeValue: {S:dog}",
    ),
    (
        "a < :l",
        {":l": {"L": [{"N": "1"}]}},
        None,
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator "
        "or function: <, operand type: L",
    ),
    (
        "begins_with(a, :n)",
        {":n": {"N": "2"}},
        None,
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator "
        "or function: begins_with, operand type: N",
    ),
    (
        "attribute_type(a, :t)",
        {":t": {"S": "DOG"}},
        None,
        "Invalid ConditionExpression: Invalid attribute type name found; type: DOG, valid types: "
        "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
    ),
    (
        "attribute_exists(:v)",
        {":v": {"N": "1"}},
        None,
        "Invalid ConditionExpression: Operator or function requires a document path; operator or "
        "function: attribute_exists",
    ),
    (
        "size(a, a) = :v",
        {":v": {"N": "1"}},
        None,
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
        "operator or function: size, number of operands: 2",
    ),
    (
        "",
        None,
        None,
        "Invalid ConditionExpression: The expression can not be empty;",
    ),
    (
        "a = :v",
        {":v": {"N": "1"}, ":unused": {"N": "2"}},
        None,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    ),
    (
        "a IN (" + ", ".join(f":v{i}" for i in range(100)) + ")",
        {f":v{i}": {"N": str(i)} for i in range(100)},
        None,
        "Invalid ConditionExpression: The IN operator is provided with too many operands; "
        "number of operands: 101",
    ),
    (
        " OR ".join(["a = :v"] * 151),
        {":v": {"N": "1"}},
        None,
        "Invalid ConditionExpression: The expression contains too many operators; "
        "operator count: 301",
    ),
    (
        "attribute_exists(" + "a" * 4096 + ")",
        None,
        None,
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
        "expression size: 4114",
    ),
]


@pytest.mark.parametrize(
    "condition,values,names,expected", ERRORS, ids=[f"{i}" for i in range(len(ERRORS))]
)
def test_condition_errors(
    dynamodb: Any,
    table: str,
    condition: str,
    values: dict[str, Any] | None,
    names: dict[str, str] | None,
    expected: str,
) -> None:
    extra: dict[str, Any] = {}
    if values is not None:
        extra["ExpressionAttributeValues"] = values
    if names is not None:
        extra["ExpressionAttributeNames"] = names
    for operation, arguments in [
        ("put_item", {"Item": {"pk": {"S": "k"}}}),
        ("delete_item", {"Key": {"pk": {"S": "k"}}}),
    ]:
        with pytest.raises(ClientError) as excinfo:
            getattr(dynamodb, operation)(
                TableName=table, ConditionExpression=condition, **arguments, **extra
            )
        assert error_of(excinfo) == ("ValidationException", expected)


def test_values_and_names_need_an_expression(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(
            TableName=table, Item={"pk": {"S": "k"}}, ExpressionAttributeValues={":v": {"S": "x"}}
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "ExpressionAttributeValues can only be specified when using expressions: "
        "ConditionExpression is null",
    )
    with pytest.raises(ClientError) as excinfo:
        dynamodb.delete_item(
            TableName=table, Key={"pk": {"S": "k"}}, ExpressionAttributeNames={"#a": "a"}
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "ExpressionAttributeNames can only be specified when using expressions",
    )


def test_condition_errors_come_before_a_missing_table(dynamodb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(
            TableName="no-such-table", Item={"pk": {"S": "k"}}, ConditionExpression="a = :v"
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Invalid ConditionExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :v",
    )


# --- the AWS CLI --------------------------------------------------------------------------

@needs_aws_cli
def test_aws_cli_conditional_put(endpoint: str, table_name: str) -> None:
    client = client_for(endpoint, access_key_id="cli")
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    item = json.dumps({"pk": {"S": "cli"}, "v": {"N": "1"}})
    arguments = ["put-item", "--table-name", table_name, "--item", item]
    condition = ["--condition-expression", "attribute_not_exists(pk)"]
    assert aws(endpoint, *arguments, *condition) == {}
    answer = aws(endpoint, *arguments, *condition)
    assert "ConditionalCheckFailedException" in answer["error"]
    assert "The conditional request failed" in answer["error"]
    client.delete_table(TableName=table_name)
