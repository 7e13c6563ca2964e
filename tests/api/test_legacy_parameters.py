"""The legacy parameters: Expected (+ConditionalOperator), AttributeUpdates, AttributesToGet.

Texts of the Expected validations are live (paritysuite deleteItem/putItem, 2026);
the rest come from dynalite, whose suite runs against the service.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

FAILED = ("ConditionalCheckFailedException", "The conditional request failed")


@pytest.fixture
def table(dynamodb: Any, make_table: Any) -> str:
    name: str = make_table()
    dynamodb.put_item(
        TableName=name,
        Item={
            "pk": {"S": "k"},
            "n": {"N": "3"},
            "s": {"S": "hello"},
            "b": {"B": b"hi there"},
            "ns": {"NS": ["2", "4", "7"]},
            "l": {"L": [{"N": "2"}, {"N": "4"}]},
        },
    )
    return name


def check(dynamodb: Any, table: str, expected: dict[str, Any], **kwargs: Any) -> bool:
    """Whether an UpdateItem guarded by ``expected`` succeeds."""
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": "k"}},
            AttributeUpdates={"z": {"Value": {"N": "1"}, "Action": "PUT"}},
            Expected=expected,
            **kwargs,
        )
    except ClientError as error:
        assert (error.response["Error"]["Code"], error.response["Error"]["Message"]) == FAILED
        return False
    return True


def condition(operator: str, *values: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"ComparisonOperator": operator}
    if values:
        entry["AttributeValueList"] = list(values)
    return entry


N = lambda text: {"N": text}  # noqa: E731
S = lambda text: {"S": text}  # noqa: E731

OPERATORS = [
    ("n", condition("EQ", N("3")), True),
    ("n", condition("EQ", S("3")), False),
    ("n", condition("NE", N("4")), True),
    ("n", condition("NE", S("3")), True),
    ("q", condition("NE", N("1")), True),
    ("n", condition("LE", N("3")), True),
    ("n", condition("LT", N("3")), False),
    ("s", condition("GE", S("hello")), True),
    ("s", condition("GT", S("aardvark")), True),
    ("n", condition("GT", S("1")), False),
    ("n", condition("IN", N("1"), N("3")), True),
    ("ns", condition("IN", N("2")), False),
    ("n", condition("BETWEEN", N("1"), N("3")), True),
    ("q", condition("BETWEEN", N("0"), N("100")), False),
    ("n", condition("NOT_NULL"), True),
    ("q", condition("NULL"), True),
    ("n", condition("NULL"), False),
    ("s", condition("CONTAINS", S("ell")), True),
    ("ns", condition("CONTAINS", N("4")), True),
    ("l", condition("CONTAINS", N("4")), True),
    ("b", condition("CONTAINS", {"B": b"here"}), True),
    ("s", condition("NOT_CONTAINS", S("dog")), True),
    ("ns", condition("NOT_CONTAINS", N("4")), False),
    ("q", condition("NOT_CONTAINS", N("1")), False),
    ("s", condition("BEGINS_WITH", S("hell")), True),
    ("n", condition("BEGINS_WITH", S("3")), False),
    ("b", condition("BEGINS_WITH", {"B": b"hi"}), True),
    ("n", {"Value": N("3")}, True),
    ("n", {"Value": N("3"), "Exists": True}, True),
    ("n", {"Exists": False}, False),
    ("q", {"Exists": False}, True),
    ("n", {"ComparisonOperator": "EQ", "Value": N("3")}, True),
]


@pytest.mark.parametrize(
    "name,entry,holds", OPERATORS, ids=[f"{i}-{c[0]}" for i, c in enumerate(OPERATORS)]
)
def test_expected_operators(
    dynamodb: Any, table: str, name: str, entry: dict[str, Any], holds: bool
) -> None:
    assert check(dynamodb, table, {name: entry}) is holds


def test_conditional_operator(dynamodb: Any, table: str) -> None:
    expected = {"n": condition("EQ", N("3")), "s": condition("EQ", S("nope"))}
    assert check(dynamodb, table, expected) is False
    assert check(dynamodb, table, expected, ConditionalOperator="AND") is False
    assert check(dynamodb, table, expected, ConditionalOperator="OR") is True


def test_expected_on_put_and_delete(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(
            TableName=table, Item={"pk": {"S": "k"}}, Expected={"pk": {"Exists": False}}
        )
    assert error_of(excinfo) == FAILED
    dynamodb.delete_item(TableName=table, Key={"pk": {"S": "k"}}, Expected={"n": {"Value": N("3")}})
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}})


INVALID = "One or more parameter values were invalid: "
EXPECTED_ERRORS = [
    (
        {"a": {"Exists": True}},
        INVALID + "Value must be provided when Exists is true for Attribute: a",
    ),
    ({"a": {}}, INVALID + "Value must be provided when Exists is null for Attribute: a"),
    (
        {"a": {"Exists": False, "Value": S("x")}},
        INVALID + "Value cannot be used when Exists is false for Attribute: a",
    ),
    (
        {"a": {"Value": S("x"), "ComparisonOperator": "EQ", "AttributeValueList": [S("x")]}},
        INVALID + "Value and AttributeValueList cannot be used together for Attribute: a",
    ),
    (
        {"a": {"ComparisonOperator": "EQ"}},
        INVALID + "Value or AttributeValueList must be used "
        "with ComparisonOperator: EQ for Attribute: a",
    ),
    (
        {"a": condition("BETWEEN", S("x"))},
        INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator",
    ),
    (
        {"a": condition("EQ", S("x"), S("y"))},
        INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator",
    ),
    (
        {"a": condition("NULL", S("x"))},
        INVALID + "Invalid number of argument(s) for the NULL ComparisonOperator",
    ),
    (
        {"a": {"ComparisonOperator": "IN", "AttributeValueList": []}},
        INVALID + "Invalid number of argument(s) for the IN ComparisonOperator",
    ),
    (
        {"a": {"Exists": True, "ComparisonOperator": "EQ", "AttributeValueList": [S("x")]}},
        INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: a",
    ),
    (
        {"a": {"AttributeValueList": [S("x")]}},
        INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
    ),
    (
        {"a": condition("IN", N("3"), S("dog"))},
        INVALID + "AttributeValues inside AttributeValueList must be of same type",
    ),
    (
        {"a": condition("BETWEEN", N("4"), N("3"))},
        "The BETWEEN condition was provided a range "
        "where the lower bound is greater than the upper bound",
    ),
    (
        {"a": condition("LT", {"SS": ["x"]})},
        INVALID + "ComparisonOperator LT is not valid for SS AttributeValue type",
    ),
    (
        {"a": condition("NOT_CONTAINS", {"L": [N("1")]})},
        INVALID + "ComparisonOperator NOT_CONTAINS is not valid for L AttributeValue type",
    ),
    (
        {"a": condition("BEGINS_WITH", N("3"))},
        INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
    ),
    ({"a": {"Value": {"SS": []}}}, INVALID + "An string set  may not be empty"),
]


@pytest.mark.parametrize(
    "expected,message", EXPECTED_ERRORS, ids=[str(i) for i in range(len(EXPECTED_ERRORS))]
)
def test_expected_validation(dynamodb: Any, table: str, expected: Any, message: str) -> None:
    for operation, arguments in [
        ("put_item", {"Item": {"pk": {"S": "k"}}}),
        ("delete_item", {"Key": {"pk": {"S": "k"}}}),
        ("update_item", {"Key": {"pk": {"S": "k"}}}),
    ]:
        with pytest.raises(ClientError) as excinfo:
            getattr(dynamodb, operation)(TableName=table, Expected=expected, **arguments)
        assert error_of(excinfo) == ("ValidationException", message)


def test_conditional_operator_needs_two_conditions(dynamodb: Any, table: str) -> None:
    message = (
        "ConditionalOperator can only be used when Filter or Expected has two or more elements"
    )
    for expected in ({"n": {"Value": N("3")}}, None):
        extra = {} if expected is None else {"Expected": expected}
        with pytest.raises(ClientError) as excinfo:
            dynamodb.delete_item(
                TableName=table, Key={"pk": {"S": "k"}}, ConditionalOperator="OR", **extra
            )
        assert error_of(excinfo) == ("ValidationException", message)


MIXED = [
    (
        "put_item",
        {
            "Item": {"pk": {"S": "k"}},
            "Expected": {"pk": {"Exists": False}},
            "ConditionExpression": "attribute_not_exists(pk)",
        },
        "{Expected} Expression parameters: {ConditionExpression}",
    ),
    (
        "delete_item",
        {
            "Key": {"pk": {"S": "k"}},
            "Expected": {"pk": {"Exists": False}},
            "ConditionExpression": "attribute_not_exists(pk)",
        },
        "{Expected} Expression parameters: {ConditionExpression}",
    ),
    (
        "update_item",
        {
            "Key": {"pk": {"S": "k"}},
            "Expected": {"pk": {"Exists": False}},
            "UpdateExpression": "REMOVE a",
        },
        "{Expected} Expression parameters: {UpdateExpression}",
    ),
    (
        "update_item",
        {
            "Key": {"pk": {"S": "k"}},
            "AttributeUpdates": {"a": {"Action": "DELETE"}},
            "ConditionExpression": "attribute_exists(pk)",
        },
        "{AttributeUpdates} Expression parameters: {ConditionExpression}",
    ),
    (
        "get_item",
        {"Key": {"pk": {"S": "k"}}, "AttributesToGet": ["a"], "ProjectionExpression": "a"},
        "{AttributesToGet} Expression parameters: {ProjectionExpression}",
    ),
]


@pytest.mark.parametrize("operation,arguments,tail", MIXED, ids=[c[0] for c in MIXED])
def test_legacy_and_expression_parameters_do_not_mix(
    dynamodb: Any, table: str, operation: str, arguments: dict[str, Any], tail: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        getattr(dynamodb, operation)(TableName=table, **arguments)
    assert error_of(excinfo) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: " + tail,
    )


# --- AttributeUpdates ---------------------------------------------------------------------


def test_attribute_updates_actions(dynamodb: Any, table: str) -> None:
    answer = dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": "k"}},
        AttributeUpdates={
            "s": {"Value": S("bye")},
            "n": {"Action": "ADD", "Value": N("4")},
            "ns": {"Action": "DELETE", "Value": {"NS": ["4"]}},
            "l": {"Action": "ADD", "Value": {"L": [S("x")]}},
            "b": {"Action": "DELETE"},
            "fresh": {"Action": "ADD", "Value": {"SS": ["a"]}},
        },
        ReturnValues="UPDATED_NEW",
    )
    assert answer["Attributes"] == {
        "s": S("bye"),
        "n": N("7"),
        "ns": {"NS": ["2", "7"]},
        "l": {"L": [N("2"), N("4"), S("x")]},
        "fresh": {"SS": ["a"]},
    }


def test_empty_attribute_updates_create_the_item(dynamodb: Any, table: str) -> None:
    dynamodb.update_item(TableName=table, Key={"pk": {"S": "new"}}, AttributeUpdates={})
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "new"}})
    assert got["Item"] == {"pk": {"S": "new"}}


ATTRIBUTE_UPDATE_ERRORS = [
    (
        {"a": {"Action": "PUT"}},
        INVALID + "Only DELETE action is allowed when no attribute value is specified",
    ),
    (
        {"a": {"Action": "DELETE", "Value": S("x")}},
        INVALID + "DELETE action with value is not supported for the type S",
    ),
    (
        {"a": {"Action": "ADD", "Value": S("x")}},
        INVALID + "ADD action is not supported for the type S",
    ),
    (
        {"pk": {"Action": "PUT", "Value": S("x")}},
        INVALID + "Cannot update attribute pk. This attribute is part of the key",
    ),
    ({"s": {"Action": "ADD", "Value": N("1")}}, "Type mismatch for attribute to update"),
    ({"ns": {"Action": "DELETE", "Value": {"SS": ["x"]}}}, "Type mismatch for attribute to update"),
]


@pytest.mark.parametrize(
    "updates,message",
    ATTRIBUTE_UPDATE_ERRORS,
    ids=[str(i) for i in range(len(ATTRIBUTE_UPDATE_ERRORS))],
)
def test_attribute_updates_errors(dynamodb: Any, table: str, updates: Any, message: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        dynamodb.update_item(TableName=table, Key={"pk": {"S": "k"}}, AttributeUpdates=updates)
    assert error_of(excinfo) == ("ValidationException", message)


# --- AttributesToGet ----------------------------------------------------------------------


def test_attributes_to_get(dynamodb: Any, table: str) -> None:
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}}, AttributesToGet=["n", "zz"])
    assert got["Item"] == {"n": N("3")}
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}}, AttributesToGet=["zz"])
    assert got["Item"] == {}
    with pytest.raises(ClientError) as excinfo:
        dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}}, AttributesToGet=["n", "n"])
    assert error_of(excinfo) == (
        "ValidationException",
        INVALID + "Duplicate value in attribute name: n",
    )
