"""Random expressions against the running server: a 400 (or success), never a 500.

Junk is glued from pieces of the language; near-valid input comes from random valid
trees written back as text, sent with random placeholder maps (some entries
missing, unused or invalid) against an item of every type.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from expression_text import JUNK_PIECES, conditions, projections, unparse, updates
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ANSWERS = {"ValidationException", "ConditionalCheckFailedException"}

NAMES = {"#a": "a", "#b": "b.c", "#k": "pk", "#e": "", "#1": "l", "#_": "m"}
VALUES = {
    ":v": {"N": "1"},
    ":s": {"S": "x"},
    ":e": {"S": ""},
    ":l": {"L": [{"N": "1"}]},
    ":m": {"M": {"x": {"N": "2"}}},
    ":ss": {"SS": ["a"]},
    ":ns": {"NS": ["1", "2"]},
    ":b": {"B": "AA=="},
    ":t": {"BOOL": True},
    ":z": {"NULL": True},
    ":big": {"N": "9E+125"},
    ":1": {"N": "-3.5"},
    ":_": {"SS": []},
}
ITEM = {
    "pk": {"S": "fuzz"},
    "a": {"N": "5"},
    "l": {"L": [{"N": "1"}, {"S": "x"}]},
    "m": {"M": {"x": {"N": "2"}}},
    "b.c": {"SS": ["a"]},
}

# The shared pieces plus this request's placeholders and key name.
PIECES = [*JUNK_PIECES, ":v", "#a", ":ss", "#k", "pk"]
junk = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
texts = st.one_of(
    junk,
    conditions.map(unparse),
    updates().map(unparse),
    projections.map(unparse),
)
maps = st.fixed_dictionaries(
    {},
    optional={
        "ExpressionAttributeNames": st.dictionaries(
            st.sampled_from(sorted(NAMES)), st.sampled_from(sorted(NAMES.values())), max_size=4
        ),
        "ExpressionAttributeValues": st.dictionaries(
            st.sampled_from(sorted(VALUES)), st.sampled_from(list(VALUES.values())), max_size=5
        ),
    },
)


def request_for(operation: str, table: str, first: str, second: str) -> dict[str, Any]:
    key = {"pk": {"S": "fuzz"}}
    if operation == "put_item":
        return {"TableName": table, "Item": dict(ITEM), "ConditionExpression": first}
    if operation == "delete_item":
        return {"TableName": table, "Key": key, "ConditionExpression": first}
    if operation == "get_item":
        return {"TableName": table, "Key": key, "ProjectionExpression": first}
    return {
        "TableName": table,
        "Key": key,
        "UpdateExpression": first,
        "ConditionExpression": second,
        "ReturnValues": "UPDATED_NEW",
    }


@pytest.fixture(scope="module")
def fuzz_table(dynamodb: Any) -> Iterator[str]:
    name = f"fuzz-expressions-{os.getpid()}"
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    yield name
    dynamodb.delete_table(TableName=name)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    operation=st.sampled_from(["put_item", "delete_item", "get_item", "update_item"]),
    first=texts,
    second=texts,
    extra=maps,
)
def test_random_expressions_never_answer_500(
    dynamodb: Any, fuzz_table: str, operation: str, first: str, second: str, extra: Any
) -> None:
    dynamodb.put_item(TableName=fuzz_table, Item=ITEM)
    request = request_for(operation, fuzz_table, first, second)
    if operation == "get_item":
        extra = {k: v for k, v in extra.items() if k != "ExpressionAttributeValues"}
    try:
        getattr(dynamodb, operation)(**request, **extra)
    except ClientError as error:
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400, error.response
        assert error.response["Error"]["Code"] in ANSWERS, error.response
