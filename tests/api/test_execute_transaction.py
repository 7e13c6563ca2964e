"""ExecuteTransaction through boto3: writes all or nothing (a failed condition rolls the
whole transaction back), EXISTS as a condition check, reads by key, ClientRequestToken,
and the "Validation failed in TransactStatements[i]" texts.

Texts: live ones from the paritysuite/dynamodb-conformance suite (RETURNING, index reads,
SELECT without the key, EXISTS without a condition, parse errors, parameters); the
cancellation message as TransactWriteItems answers it (behaviours.md section 4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons"
FAILED = "The conditional request failed"
IN_STATEMENT = "Validation failed in TransactStatements[{}]: "


@pytest.fixture
def table(dynamodb: Any, make_table: Callable[..., str]) -> str:
    name = make_table("pk", "S")
    for pk, n in (("a", 1), ("b", 2)):
        dynamodb.put_item(TableName=name, Item={"pk": {"S": pk}, "n": {"N": str(n)}})
    return name


def transaction(dynamodb: Any, *statements: str | dict[str, Any], **extra: Any) -> Any:
    members = [
        {"Statement": member} if isinstance(member, str) else member for member in statements
    ]
    response = dynamodb.execute_transaction(TransactStatements=members, **extra)
    response.pop("ResponseMetadata")
    return response


def cancelled(dynamodb: Any, *statements: str | dict[str, Any]) -> tuple[str, list[Any]]:
    with pytest.raises(ClientError) as excinfo:
        transaction(dynamodb, *statements)
    code, message = error_of(excinfo)
    assert code == "TransactionCanceledException"
    return message, excinfo.value.response["CancellationReasons"]


def refused(dynamodb: Any, *statements: str | dict[str, Any], **extra: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        transaction(dynamodb, *statements, **extra)
    return error_of(excinfo)


def item(dynamodb: Any, table: str, pk: str) -> Any:
    key = {"pk": {"S": pk}}
    return dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def test_writes_apply_together(dynamodb: Any, table: str) -> None:
    response = transaction(
        dynamodb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': 'c', 'n': 3}}",
        {
            "Statement": f'UPDATE "{table}" SET n = n + ? WHERE pk = ?',
            "Parameters": [{"N": "10"}, {"S": "a"}],
        },
        f"DELETE FROM \"{table}\" WHERE pk = 'b'",
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Responses"] == []
    assert [entry["TableName"] for entry in response["ConsumedCapacity"]] == [table]
    assert item(dynamodb, table, "c") == {"pk": {"S": "c"}, "n": {"N": "3"}}
    assert item(dynamodb, table, "a")["n"] == {"N": "11"}
    assert item(dynamodb, table, "b") is None


def test_a_failed_condition_rolls_everything_back(dynamodb: Any, table: str) -> None:
    message, reasons = cancelled(
        dynamodb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': 'new', 'n': 0}}",
        f"DELETE FROM \"{table}\" WHERE pk = 'b'",
        f"UPDATE \"{table}\" SET n = 100 WHERE pk = 'a' AND n > 5",
    )
    assert message == f"{CANCELLED} [None, None, ConditionalCheckFailed]"
    assert reasons == [
        {"Code": "None"},
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": FAILED},
    ]
    assert item(dynamodb, table, "new") is None
    assert item(dynamodb, table, "b") == {"pk": {"S": "b"}, "n": {"N": "2"}}
    assert item(dynamodb, table, "a")["n"] == {"N": "1"}


def test_insert_of_an_existing_key_cancels_as_duplicate(dynamodb: Any, table: str) -> None:
    message, reasons = cancelled(
        dynamodb,
        f"UPDATE \"{table}\" SET n = 7 WHERE pk = 'b'",
        f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}",
    )
    assert message == f"{CANCELLED} [None, DuplicateItem]"
    assert reasons[1] == {
        "Code": "DuplicateItem",
        "Message": "Duplicate primary key exists in table",
    }
    assert item(dynamodb, table, "b")["n"] == {"N": "2"}


def test_update_of_a_missing_item_and_old_item_on_failure(dynamodb: Any, table: str) -> None:
    _, reasons = cancelled(
        dynamodb,
        f"UPDATE \"{table}\" SET n = 1 WHERE pk = 'absent'",
        {
            "Statement": f"DELETE FROM \"{table}\" WHERE pk = 'b' AND n = 0",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    assert reasons == [
        {"Code": "ConditionalCheckFailed", "Message": FAILED},
        {
            "Code": "ConditionalCheckFailed",
            "Message": FAILED,
            "Item": {"pk": {"S": "b"}, "n": {"N": "2"}},
        },
    ]
    assert item(dynamodb, table, "absent") is None


def test_exists_acts_as_a_condition_check(dynamodb: Any, table: str) -> None:
    guard = f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND n = ?)"
    write = f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 'b'"
    _, reasons = cancelled(dynamodb, {"Statement": guard, "Parameters": [{"N": "9"}]}, write)
    assert reasons == [{"Code": "ConditionalCheckFailed", "Message": FAILED}, {"Code": "None"}]
    assert item(dynamodb, table, "b")["n"] == {"N": "2"}
    transaction(dynamodb, {"Statement": guard, "Parameters": [{"N": "1"}]}, write)
    assert item(dynamodb, table, "b")["n"] == {"N": "3"}
    absent = f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'zzz' AND n IS MISSING)"
    _, reasons = cancelled(dynamodb, absent, write)
    assert reasons[0]["Code"] == "ConditionalCheckFailed"


def test_reads_by_key(dynamodb: Any, table: str) -> None:
    response = transaction(
        dynamodb,
        f"SELECT n FROM \"{table}\" WHERE pk = 'a'",
        {"Statement": f'SELECT * FROM "{table}" WHERE pk = ?', "Parameters": [{"S": "b"}]},
        f"SELECT * FROM \"{table}\" WHERE pk = 'absent'",
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Responses"] == [
        {"Item": {"n": {"N": "1"}}},
        {"Item": {"pk": {"S": "b"}, "n": {"N": "2"}}},
        {},
    ]
    assert response["ConsumedCapacity"][0]["TableName"] == table


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (
            ["SELECT * FROM \"{t}\" WHERE pk = 'a' AND attribute_exists(n)"],
            IN_STATEMENT.format(0) + "Select statements within ExecuteTransaction must specify "
            "the primary key in the where clause.",
        ),
        (
            ["SELECT * FROM \"{t}\" WHERE pk = 'a'", 'SELECT * FROM "{t}"."idx" WHERE g = \'x\''],
            IN_STATEMENT.format(1) + "Reads on indices are not supported within transactions.",
        ),
        (
            ["UPDATE \"{t}\" SET n = 2 WHERE pk = 'a' RETURNING ALL NEW *"],
            IN_STATEMENT.format(0) + "RETURNING clause is not supported in ExecuteTransaction.",
        ),
        (
            ["EXISTS(SELECT * FROM \"{t}\" WHERE pk = 'a')", "DELETE FROM \"{t}\" WHERE pk = 'b'"],
            IN_STATEMENT.format(0)
            + "EXISTS() must contain a single item read with additional condition",
        ),
        (
            ["DELETE FROM \"{t}\" WHERE pk = 'b'", 'SELECT * FROM "{t}" WHERE'],
            IN_STATEMENT.format(1)
            + "Statement wasn't well formed, can't be processed: Unexpected term",
        ),
        (
            ['UPDATE "{t}" SET n = 1 WHERE n = 1'],
            IN_STATEMENT.format(0)
            + "Where clause does not contain a mandatory equality on all key attributes",
        ),
        (
            ["SELECT * FROM \"{t}\" WHERE pk = 'a'", "DELETE FROM \"{t}\" WHERE pk = 'b'"],
            "ExecuteTransaction API does not support both read and write operations in the "
            "same request.",
        ),
        (["x IS MISSING"], "Unsupported operation in transaction."),
        (
            ["UPDATE \"{t}\" SET n = 1 WHERE pk = 'a'", "DELETE FROM \"{t}\" WHERE pk = 'a'"],
            "Transaction request cannot include multiple operations on one item",
        ),
    ],
)
def test_refusals(dynamodb: Any, table: str, statements: list[str], message: str) -> None:
    code, text = refused(dynamodb, *[statement.format(t=table) for statement in statements])
    assert (code, text) == ("ValidationException", message)
    assert item(dynamodb, table, "b") == {"pk": {"S": "b"}, "n": {"N": "2"}}


def test_parameter_numbers_are_refused_bare(dynamodb: Any, table: str) -> None:
    """Live: the parameter text is not wrapped in "Validation failed in ..."."""
    statement = {
        "Statement": f"UPDATE \"{table}\" SET n = ? WHERE pk = 'a'",
        "Parameters": [{"N": "1e99999999999"}],
    }
    assert refused(dynamodb, statement) == (
        "ValidationException",
        "The parameter cannot be converted to a numeric value: 1e99999999999",
    )


def test_missing_table(dynamodb: Any) -> None:
    assert refused(dynamodb, "DELETE FROM \"no-such-table\" WHERE pk = 'a'") == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_client_request_token_makes_a_retry_harmless(dynamodb: Any, table: str) -> None:
    increment = f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 'a'"
    transaction(dynamodb, increment, ClientRequestToken="partiql-token-1")
    transaction(dynamodb, increment, ClientRequestToken="partiql-token-1")
    assert item(dynamodb, table, "a")["n"] == {"N": "2"}
    other = f"UPDATE \"{table}\" SET n = n + 2 WHERE pk = 'a'"
    code, _ = refused(dynamodb, other, ClientRequestToken="partiql-token-1")
    assert code == "IdempotentParameterMismatchException"


def test_at_most_100_statements(dynamodb: Any, table: str) -> None:
    statements = [f"SELECT * FROM \"{table}\" WHERE pk = 'k{n}'" for n in range(101)]
    code, message = refused(dynamodb, *statements)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 100" in message
