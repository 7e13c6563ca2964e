"""ProjectionExpression on GetItem: nested paths, list elements, and the error texts."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

ITEM = {
    "pk": {"S": "k"},
    "a": {
        "M": {
            "b": {"L": [{"N": "2"}, {"N": "4"}, {"M": {"x": {"S": "hi"}, "y": {"S": "yo"}}}]},
            "c": {"N": "5"},
        }
    },
    "b": {"S": "hello"},
    "a.b": {"S": "dotted"},
}


@pytest.fixture
def table(dynamodb: Any, make_table: Any) -> str:
    name: str = make_table()
    dynamodb.put_item(TableName=name, Item=ITEM)
    return name


def projected(dynamodb: Any, table: str, expression: str, **kwargs: Any) -> Any:
    answer = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": "k"}}, ProjectionExpression=expression, **kwargs
    )
    return answer.get("Item")


CASES = [
    ("a", {"a": ITEM["a"]}),
    ("b, pk", {"b": ITEM["b"], "pk": ITEM["pk"]}),
    ("a.b", {"a": {"M": {"b": ITEM["a"]["M"]["b"]}}}),
    ("a.b[0]", {"a": {"M": {"b": {"L": [{"N": "2"}]}}}}),
    ("a.b[2].y", {"a": {"M": {"b": {"L": [{"M": {"y": {"S": "yo"}}}]}}}}),
    ("a.b[1], a.b[0]", {"a": {"M": {"b": {"L": [{"N": "2"}, {"N": "4"}]}}}}),
    ("a.b[0], a.c, b", {"a": {"M": {"b": {"L": [{"N": "2"}]}, "c": {"N": "5"}}}, "b": ITEM["b"]}),
    ("a.x, a.b[0], x, a.b[3].x", {"a": {"M": {"b": {"L": [{"N": "2"}]}}}}),
    # paths that lead nowhere project an existing item to an empty Item
    ("x", {}),
    ("a.b[3]", {}),
    ("a.b.x", {}),
    ("a[0]", {}),
    ("a.b[0][0]", {}),
]


@pytest.mark.parametrize("expression,expected", CASES, ids=[case[0] for case in CASES])
def test_projection_shapes(
    dynamodb: Any, table: str, expression: str, expected: dict[str, Any]
) -> None:
    assert projected(dynamodb, table, expression) == expected


def test_placeholders_are_whole_path_elements(dynamodb: Any, table: str) -> None:
    assert projected(dynamodb, table, "#n", ExpressionAttributeNames={"#n": "a.b"}) == {
        "a.b": {"S": "dotted"}
    }
    assert projected(
        dynamodb, table, "#a.#b[0]", ExpressionAttributeNames={"#a": "a", "#b": "b"}
    ) == {"a": {"M": {"b": {"L": [{"N": "2"}]}}}}


def test_missing_item_has_no_item_member(dynamodb: Any, table: str) -> None:
    answer = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": "absent"}}, ProjectionExpression="a.x"
    )
    assert "Item" not in answer


ERRORS = [
    (
        "a, a",
        None,
        "Invalid ProjectionExpression: Two document paths overlap with each other; "
        "must remove or rewrite one of these paths; path one: [a], path two: [a]",
    ),
    (
        "a.b[0],a.b[0]",
        None,
        "Invalid ProjectionExpression: Two document paths overlap with each "
        "other; must remove or rewrite one of these paths; path one: [a, b, [0]], path two: "
        "[a, b, [0]]",
    ),
    (
        "a, a.b",
        None,
        "Invalid ProjectionExpression: Two document paths overlap with each other; "
        "must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
    ),
    (
        "a.b, a[1]",
        None,
        "Invalid ProjectionExpression: Two document paths conflict with each "
        "other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]",
    ),
    ("a,", None, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'),
    ("", None, "Invalid ProjectionExpression: The expression can not be empty;"),
    (
        "a" + ".b" * 32,
        None,
        "Invalid ProjectionExpression: The document path has too many "
        "nesting levels; nesting levels: 33",
    ),
    (
        "name",
        None,
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; "
        "reserved keyword: name",
    ),
    (
        "#n",
        {"#wrong": "a"},
        "Invalid ProjectionExpression: An expression attribute name used in "
        "the document path is not defined; attribute name: #n",
    ),
    (
        "#n",
        {"#n": "a", "#unused": "b"},
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
    ),
]


@pytest.mark.parametrize("expression,names,expected", ERRORS, ids=[c[0][:30] for c in ERRORS])
def test_projection_errors(
    dynamodb: Any, table: str, expression: str, names: dict[str, str] | None, expected: str
) -> None:
    extra = {} if names is None else {"ExpressionAttributeNames": names}
    with pytest.raises(ClientError) as excinfo:
        projected(dynamodb, table, expression, **extra)
    assert error_of(excinfo) == ("ValidationException", expected)


def test_sibling_paths_do_not_overlap(dynamodb: Any, table: str) -> None:
    for expression in ("a, b", "a.b, a.c", "a.b[1], a.b[2]", "a.b, a.c[2]"):
        projected(dynamodb, table, expression)


def test_projection_and_attributes_to_get_do_not_mix(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        projected(dynamodb, table, "a", AttributesToGet=["b"])
    assert error_of(excinfo) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}",
    )
