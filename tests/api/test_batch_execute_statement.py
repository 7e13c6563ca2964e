"""BatchExecuteStatement through boto3: reads by key, writes one by one, per-statement
``Error`` entries, and what refuses the whole batch.

Texts: live ones from the paritysuite/dynamodb-conformance suite (batch SELECT without the
full key, parse errors as ValidationError); the rest follow DynamoDB Local (errors.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SELECT_KEY = (
    "Select statements within BatchExecuteStatement must specify the primary key in the "
    "where clause."
)


@pytest.fixture
def table(dynamodb: Any, make_table: Callable[..., str]) -> str:
    name = make_table("pk", "S", "sk", "N")
    for pk, sk, n in (("a", 1, 10), ("a", 2, 20), ("b", 1, 30)):
        item = {"pk": {"S": pk}, "sk": {"N": str(sk)}, "n": {"N": str(n)}, "x": {"S": "y"}}
        dynamodb.put_item(TableName=name, Item=item)
    return name


def batch(dynamodb: Any, *statements: str | dict[str, Any], **extra: Any) -> Any:
    members = [
        {"Statement": member} if isinstance(member, str) else member for member in statements
    ]
    return dynamodb.batch_execute_statement(Statements=members, **extra)


def test_reads_by_key(dynamodb: Any, table: str) -> None:
    response = batch(
        dynamodb,
        f"SELECT * FROM \"{table}\" WHERE pk = 'a' AND sk = 1",
        {
            "Statement": f'SELECT n FROM "{table}" WHERE pk = ? AND sk = ?',
            "Parameters": [{"S": "b"}, {"N": "1"}],
            "ConsistentRead": True,
        },
        f"SELECT * FROM \"{table}\" WHERE pk = 'zzz' AND sk = 1",
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Responses"] == [
        {
            "TableName": table,
            "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "n": {"N": "10"}, "x": {"S": "y"}},
        },
        {"TableName": table, "Item": {"n": {"N": "30"}}},
        {"TableName": table},
    ]
    assert [entry["TableName"] for entry in response["ConsumedCapacity"]] == [table]


@pytest.mark.parametrize(
    "where",
    [
        "pk = 'a'",  # live: not the full key
        "pk = 'a' AND sk = 1 AND attribute_exists(x)",  # live: more than the key
        "n = 10",
    ],
)
def test_a_read_must_name_one_item(dynamodb: Any, table: str, where: str) -> None:
    response = batch(
        dynamodb,
        f'SELECT * FROM "{table}" WHERE {where}',
        f"SELECT n FROM \"{table}\" WHERE pk = 'a' AND sk = 2",
    )
    assert response["Responses"] == [
        {"TableName": table, "Error": {"Code": "ValidationError", "Message": SELECT_KEY}},
        {"TableName": table, "Item": {"n": {"N": "20"}}},
    ]


def test_writes_answer_one_by_one(dynamodb: Any, table: str) -> None:
    response = batch(
        dynamodb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': 'c', 'sk': 1}}",
        f"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'sk': 1}}",
        f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 'a' AND sk = 2 RETURNING MODIFIED NEW *",
        {
            "Statement": f"DELETE FROM \"{table}\" WHERE pk = 'b' AND sk = 1 AND n = 0",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
        f"UPDATE \"{table}\" SET n = 1 WHERE pk = 'zzz' AND sk = 1",
        "DELETE FROM \"no-such-table\" WHERE pk = 'a' AND sk = 1",
        f"DELETE FROM \"{table}\" WHERE pk = 'a'",
        "SELECT * FROM",
    )
    assert response["Responses"] == [
        {"TableName": table},
        {
            "TableName": table,
            "Error": {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"},
        },
        {"TableName": table, "Item": {"n": {"N": "21"}}},
        {
            "TableName": table,
            "Error": {
                "Code": "ConditionalCheckFailed",
                "Message": "The conditional request failed",
                "Item": {"pk": {"S": "b"}, "sk": {"N": "1"}, "n": {"N": "30"}, "x": {"S": "y"}},
            },
        },
        {
            "TableName": table,
            "Error": {
                "Code": "ConditionalCheckFailed",
                "Message": "The conditional request failed",
            },
        },
        {
            "TableName": "no-such-table",
            "Error": {"Code": "ResourceNotFound", "Message": "Requested resource not found"},
        },
        {
            "TableName": table,
            "Error": {
                "Code": "ValidationError",
                "Message": "Where clause does not contain a mandatory equality on all key "
                "attributes",
            },
        },
        {
            "Error": {
                "Code": "ValidationError",
                "Message": "Statement wasn't well formed, can't be processed: Unexpected term",
            }
        },
    ]
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "c"}, "sk": {"N": "1"}})
    assert "Item" in got


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            "EXISTS(SELECT * FROM \"{t}\" WHERE pk = 'a' AND sk = 1 AND n = 1)",
            "EXISTS can only be used in ExecuteTransaction write requests.",
        ),
        (
            "x IS MISSING",
            "Invalid operation. Only select, insert, update and delete operations are valid",
        ),
        (
            'SELECT * FROM "{t}" WHERE pk = ?',
            "Number of parameters in request and statement don't match.",
        ),
    ],
)
def test_statement_level_refusals(dynamodb: Any, table: str, statement: str, message: str) -> None:
    response = batch(dynamodb, statement.format(t=table))
    assert response["Responses"] == [{"Error": {"Code": "ValidationError", "Message": message}}]


def test_reads_and_writes_do_not_mix(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        batch(
            dynamodb,
            f"SELECT * FROM \"{table}\" WHERE pk = 'a' AND sk = 1",
            f"DELETE FROM \"{table}\" WHERE pk = 'a' AND sk = 1",
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Read and write requests together in the same batch is not supported.",
    )


def test_two_writes_of_one_item_refuse_the_batch(dynamodb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        batch(
            dynamodb,
            f"UPDATE \"{table}\" SET n = 1 WHERE pk = 'a' AND sk = 1",
            f"DELETE FROM \"{table}\" WHERE sk = 1 AND pk = 'a'",
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert got["Item"]["n"] == {"N": "10"}


def test_at_most_25_statements(dynamodb: Any, table: str) -> None:
    statement = f"SELECT * FROM \"{table}\" WHERE pk = 'a' AND sk = 1"
    assert len(batch(dynamodb, *[statement] * 25)["Responses"]) == 25
    with pytest.raises(ClientError) as excinfo:
        batch(dynamodb, *[statement] * 26)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 25" in message


FRAGMENTS = [
    *"SELCTFROMWHEIN *,.()[]{}<>=!?'\"-+;:019e_\n",
    *["SELECT * FROM ", ' "{t}" ', " WHERE ", " AND ", " pk = 'a'", " sk = 1", "<<1>>"],
    *["INSERT INTO ", "UPDATE ", "DELETE FROM ", " SET n = ", " VALUE {'pk': 'q', 'sk': 1}"],
]


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    statements=st.lists(
        st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map("".join),
        min_size=1,
        max_size=4,
    )
)
def test_junk_batches_never_answer_500(dynamodb: Any, statements: list[str]) -> None:
    members = [{"Statement": text.replace("{t}", "partiql-junk-batch")} for text in statements]
    try:
        dynamodb.batch_execute_statement(Statements=members)
    except ClientError as error:
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400, error.response
