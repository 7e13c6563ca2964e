"""KeyConditionExpression and KeyConditions -> KeyCondition, with DynamoDB's texts.

Live texts: paritysuite queryKeyConditionOperands (2026): operand types, "one
condition per key", "The number of query conditions ..." and the schema type text.
The rest are dynalite's (its suite runs against the service).
"""

from __future__ import annotations

from typing import Any

import pytest

from openddb import errors
from openddb.expressions import ast, legacy, resolve
from openddb.expressions.key_condition import KeyCondition, SortKeyCondition, key_condition
from openddb.model.item import KeyAttribute

PK = KeyAttribute("pk", "S")
SK = KeyAttribute("sk", "N")
VALUES: dict[str, Any] = {
    ":p": {"S": "q"},
    ":n": {"N": "1"},
    ":m": {"N": "5"},
    ":s": {"S": "a"},
    ":t": {"BOOL": True},
}


def analyse(text: str, sort: KeyAttribute | None = SK) -> KeyCondition:
    placeholders = resolve.Placeholders({"#k": "pk"}, dict(VALUES))
    condition = resolve.condition(ast.KEY_CONDITION, text, placeholders)
    return key_condition(condition, PK, sort)


def message(text: str, sort: KeyAttribute | None = SK) -> str:
    with pytest.raises(errors.ValidationException) as excinfo:
        analyse(text, sort)
    return str(excinfo.value.message)


def test_partition_and_sort_conditions() -> None:
    assert analyse("pk = :p") == KeyCondition({"S": "q"}, None)
    assert analyse("#k = :p AND sk BETWEEN :n AND :m") == KeyCondition(
        {"S": "q"}, SortKeyCondition("BETWEEN", ({"N": "1"}, {"N": "5"}))
    )
    assert analyse(":n < sk AND :p = pk").sort == SortKeyCondition("GT", ({"N": "1"},))
    assert analyse("((sk >= :n) AND (pk = :p))").sort == SortKeyCondition("GE", ({"N": "1"},))
    assert analyse("pk = :p", sort=None) == KeyCondition({"S": "q"}, None)


def test_begins_with_on_string_sort_key() -> None:
    condition = analyse("pk = :p AND begins_with(sk, :s)", sort=KeyAttribute("sk", "S"))
    assert condition.sort == SortKeyCondition("BEGINS_WITH", ({"S": "a"},))


ERRORS = [
    (
        "pk = :p OR sk = :n",
        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR",
    ),
    (
        "NOT pk = :p",
        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: NOT",
    ),
    (
        "pk = :p AND sk <> :n",
        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <>",
    ),
    (
        "pk = :p AND sk IN (:n)",
        "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: IN",
    ),
    (
        "pk = :p AND attribute_exists(sk)",
        "Invalid KeyConditionExpression: Invalid operator "
        "used in KeyConditionExpression: attribute_exists",
    ),
    (
        "pk = :p AND size(sk) = :n",
        "Invalid KeyConditionExpression: KeyConditionExpressions cannot contain nested operations",
    ),
    (
        "pk = :p AND sk.x = :n",
        "Invalid KeyConditionExpression: KeyConditionExpressions cannot "
        "have conditions on nested attributes",
    ),
    (
        "pk = sk",
        "Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: "
        "Multiple attribute names used in one condition",
    ),
    (
        ":p = :s",
        "Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: "
        "No key attribute specified",
    ),
    (
        "pk = :p AND :n BETWEEN sk AND :m",
        "Invalid KeyConditionExpression: Invalid condition in "
        "KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
    ),
    # live
    (
        "pk = :p AND sk > :n AND sk < :m",
        "Invalid KeyConditionExpression: "
        "KeyConditionExpressions must only contain one condition per key",
    ),
    (
        "pk = :p AND sk > :n AND extra = :m",
        "The number of query conditions (3) exceeds the "
        "number of key attributes defined in the schema (2)",
    ),
    (
        "pk = :p AND sk < :t",
        "Invalid KeyConditionExpression: Incorrect operand type for operator "
        "or function; operator or function: <, operand type: BOOL",
    ),
    (
        "pk = :p AND :t >= sk",
        "Invalid KeyConditionExpression: Incorrect operand type for "
        "operator or function; operator or function: >=, operand type: BOOL",
    ),
    (
        "pk = :p AND begins_with(sk, :n)",
        "Invalid KeyConditionExpression: Incorrect operand type "
        "for operator or function; operator or function: begins_with, operand type: N",
    ),
    (
        "pk = :p AND begins_with(sk, :s)",
        "One or more parameter values were invalid: Condition "
        "parameter type does not match schema type",
    ),
    (
        "pk = :p AND sk = :t",
        "One or more parameter values were invalid: Condition parameter type "
        "does not match schema type",
    ),
    # dynalite
    ("sk = :n", "Query condition missed key schema element: pk"),
    ("pk = :p AND extra = :n", "Query condition missed key schema element: sk"),
    ("pk < :p", "Query key condition not supported"),
    (
        "pk = :n",
        "One or more parameter values were invalid: Condition parameter type does not "
        "match schema type",
    ),
]


@pytest.mark.parametrize("text,expected", ERRORS, ids=[case[0] for case in ERRORS])
def test_key_condition_errors(text: str, expected: str) -> None:
    assert message(text) == expected


def test_hash_only_table_refuses_a_second_condition() -> None:
    assert message("pk = :p AND sk = :n", sort=None) == (
        "The number of query conditions (2) exceeds the number of key attributes defined in the "
        "schema (1)"
    )


def test_legacy_key_conditions() -> None:
    conditions = {
        "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "q"}]},
        "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "2"}]},
    }
    assert legacy.key_conditions(conditions, PK, SK) == KeyCondition(
        {"S": "q"}, SortKeyCondition("BETWEEN", ({"N": "1"}, {"N": "2"}))
    )
    with pytest.raises(errors.ValidationException) as excinfo:
        legacy.key_conditions(
            {"pk": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "q"}]}}, PK, SK
        )
    assert excinfo.value.message == "Attempted conditional constraint is not an indexable operation"
    with pytest.raises(errors.ValidationException) as excinfo:
        legacy.key_conditions(
            {"sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, PK, SK
        )
    assert excinfo.value.message == "Query condition missed key schema element: pk"
