"""UpdateItem through boto3 (and the AWS CLI): actions, ReturnValues, errors, atomicity."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

import boto3
import pytest
from aws_cli import aws, needs_aws_cli
from botocore.exceptions import ClientError
from conftest import REGION, client_for, error_of


def update(dynamodb: Any, table: str, expression: str | None = None, **kwargs: Any) -> Any:
    if expression is not None:
        kwargs["UpdateExpression"] = expression
    return dynamodb.update_item(
        TableName=table, Key=kwargs.pop("Key", {"pk": {"S": "k"}}), **kwargs
    )


def item_of(dynamodb: Any, table: str, key: str = "k") -> Any:
    return dynamodb.get_item(TableName=table, Key={"pk": {"S": key}}).get("Item")


def failure(
    dynamodb: Any, table: str, expression: str | None = None, **kwargs: Any
) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        update(dynamodb, table, expression, **kwargs)
    return error_of(excinfo)


# --- actions ----------------------------------------------------------------------------


def test_set_creates_the_item_and_merges(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    update(dynamodb, table, "SET a = :v, b = :v", ExpressionAttributeValues={":v": {"N": "4"}})
    assert item_of(dynamodb, table) == {"pk": {"S": "k"}, "a": {"N": "4"}, "b": {"N": "4"}}
    update(dynamodb, table, "SET c = a REMOVE b")
    assert item_of(dynamodb, table) == {"pk": {"S": "k"}, "a": {"N": "4"}, "c": {"N": "4"}}


def test_update_without_actions_creates_an_item_of_just_the_key(
    dynamodb: Any, make_table: Any
) -> None:
    table = make_table("pk", "S", "sk", "N")
    dynamodb.update_item(TableName=table, Key={"pk": {"S": "k"}, "sk": {"N": "7.0"}})
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}, "sk": {"N": "7"}})
    assert got["Item"] == {"pk": {"S": "k"}, "sk": {"N": "7"}}


def test_counters_lists_and_sets(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    values = {
        ":zero": {"N": "0"},
        ":one": {"N": "1"},
        ":tags": {"SS": ["red", "blue"]},
        ":more": {"L": [{"S": "x"}]},
        ":empty": {"L": []},
    }
    expression = (
        "SET hits = if_not_exists(hits, :zero) + :one, "
        "events = list_append(if_not_exists(events, :empty), :more) ADD tags :tags"
    )
    update(dynamodb, table, expression, ExpressionAttributeValues=values)
    update(dynamodb, table, expression, ExpressionAttributeValues=values)
    item = item_of(dynamodb, table)
    assert item["hits"] == {"N": "2"}
    assert item["events"] == {"L": [{"S": "x"}, {"S": "x"}]}
    assert sorted(item["tags"]["SS"]) == ["blue", "red"]
    update(
        dynamodb,
        table,
        "DELETE tags :t SET hits = hits - :one",
        ExpressionAttributeValues={":t": {"SS": ["red", "green"]}, ":one": {"N": "1"}},
    )
    item = item_of(dynamodb, table)
    assert item["tags"] == {"SS": ["blue"]}
    assert item["hits"] == {"N": "1"}
    update(dynamodb, table, "DELETE tags :t", ExpressionAttributeValues={":t": {"SS": ["blue"]}})
    assert "tags" not in item_of(dynamodb, table)


def test_nested_paths_and_list_elements(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(
        TableName=table,
        Item={
            "pk": {"S": "k"},
            "a": {
                "M": {
                    "b": {"N": "3"},
                    "c": {
                        "L": [
                            {"S": "hi"},
                            {"M": {"x": {"L": [{"N": "3"}, {"N": "5"}, {"N": "7"}]}}},
                        ]
                    },
                }
            },
            "l": {"L": [{"N": "2"}, {"N": "3"}, {"N": "4"}, {"N": "5"}]},
        },
    )
    update(
        dynamodb,
        table,
        "SET a.c[1].#x[1] = :v, l[9] = :w REMOVE a.b, l[0]",
        ExpressionAttributeNames={"#x": "x"},
        ExpressionAttributeValues={":v": {"N": "9"}, ":w": {"S": "end"}},
    )
    item = item_of(dynamodb, table)
    assert item["a"] == {
        "M": {"c": {"L": [{"S": "hi"}, {"M": {"x": {"L": [{"N": "3"}, {"N": "9"}, {"N": "7"}]}}}]}}
    }
    assert item["l"] == {"L": [{"N": "3"}, {"N": "4"}, {"N": "5"}, {"S": "end"}]}


def test_dot_inside_a_placeholder_name_is_a_plain_name(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    update(
        dynamodb,
        table,
        "SET #a = :v",
        ExpressionAttributeNames={"#a": "a.b"},
        ExpressionAttributeValues={":v": {"N": "3"}},
    )
    assert item_of(dynamodb, table) == {"pk": {"S": "k"}, "a.b": {"N": "3"}}


# --- ReturnValues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "return_values,expected",
    [
        ("NONE", None),
        (
            "ALL_OLD",
            {
                "pk": {"S": "k"},
                "a": {"N": "1"},
                "b": {"S": "x"},
                "m": {"M": {"p": {"N": "1"}, "q": {"N": "2"}}},
            },
        ),
        ("UPDATED_OLD", {"a": {"N": "1"}, "b": {"S": "x"}, "m": {"M": {"p": {"N": "1"}}}}),
        (
            "ALL_NEW",
            {
                "pk": {"S": "k"},
                "a": {"N": "2"},
                "c": {"S": "new"},
                "m": {"M": {"p": {"N": "5"}, "q": {"N": "2"}}},
            },
        ),
        ("UPDATED_NEW", {"a": {"N": "2"}, "c": {"S": "new"}, "m": {"M": {"p": {"N": "5"}}}}),
    ],
)
def test_return_values(
    dynamodb: Any, make_table: Any, return_values: str, expected: dict[str, Any] | None
) -> None:
    table = make_table()
    dynamodb.put_item(
        TableName=table,
        Item={
            "pk": {"S": "k"},
            "a": {"N": "1"},
            "b": {"S": "x"},
            "m": {"M": {"p": {"N": "1"}, "q": {"N": "2"}}},
        },
    )
    answer = update(
        dynamodb,
        table,
        "SET a = a + :one, c = :new, m.p = :five REMOVE b",
        ExpressionAttributeValues={":one": {"N": "1"}, ":new": {"S": "new"}, ":five": {"N": "5"}},
        ReturnValues=return_values,
    )
    assert answer.get("Attributes") == expected


def test_empty_updated_attributes_are_left_out(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    answer = update(
        dynamodb,
        table,
        "SET a = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
        ReturnValues="UPDATED_OLD",
    )
    assert "Attributes" not in answer
    answer = update(dynamodb, table, "REMOVE a", ReturnValues="UPDATED_NEW")
    assert "Attributes" not in answer


def test_consumed_capacity_counts_the_larger_item(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    answer = update(
        dynamodb,
        table,
        "SET v = :v",
        ExpressionAttributeValues={":v": {"S": "x" * 3000}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert answer["ConsumedCapacity"]["TableName"] == table
    assert answer["ConsumedCapacity"]["CapacityUnits"] == 3.0


# --- errors -------------------------------------------------------------------------------

V = {":v": {"N": "1"}}

ERRORS = [
    (
        "SET pk = :v",
        {"ExpressionAttributeValues": {":v": {"S": "x"}}},
        "One or more parameter values were invalid: Cannot update attribute pk. This attribute is "
        "part of the key",
    ),
    (
        "REMOVE pk",
        {},
        "One or more parameter values were invalid: Cannot update attribute pk. "
        "This attribute is part of the key",
    ),
    (
        "INVALID SYNTAX HERE",
        {"ExpressionAttributeValues": V},
        'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"',
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": V, "ExpressionAttributeNames": {"#u": "x"}},
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}",
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": {":v": {"N": "1"}, ":u": {"N": "2"}, ":w": {"N": "3"}}},
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u, :w}",
    ),
    (
        "SET a = :v",
        {},
        "Invalid UpdateExpression: An expression attribute value used in "
        "expression is not defined; attribute value: :v",
    ),
    (
        "SET #a = :v",
        {"ExpressionAttributeValues": V},
        "Invalid UpdateExpression: An expression "
        "attribute name used in the document path is not defined; attribute name: #a",
    ),
    (
        "SET b = :w",
        {"ConditionExpression": "a = :v", "ExpressionAttributeValues": {":w": {"S": "x"}}},
        "Invalid ConditionExpression: An expression attribute value used "
        "in expression is not defined; attribute value: :v",
    ),
    ("", {}, "Invalid UpdateExpression: The expression can not be empty;"),
    (
        "SET a = :v, a.b = :v",
        {"ExpressionAttributeValues": V},
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
        "rewrite one of these paths; path one: [a], path two: [a, b]",
    ),
    (
        "SET #a1 = :v, #a2 = :v",
        {"ExpressionAttributeValues": V, "ExpressionAttributeNames": {"#a1": "f", "#a2": "f"}},
        "Invalid UpdateExpression: Two document paths overlap with "
        "each other; must remove or rewrite one of these paths; path one: [f], path two: [f]",
    ),
    (
        "SET a.b = :v REMOVE a[1]",
        {"ExpressionAttributeValues": V},
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
        "rewrite one of these paths; path one: [a, b], path two: [a, [1]]",
    ),
    (
        "SET a = :v SET b = :v",
        {"ExpressionAttributeValues": V},
        'Invalid UpdateExpression: The "SET" section can only be used once in an update '
        "expression;",
    ),
    (
        "ADD a :v",
        {"ExpressionAttributeValues": {":v": {"S": "x"}}},
        "Invalid UpdateExpression: "
        "Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
    ),
    (
        "ADD a :v",
        {"ExpressionAttributeValues": {":v": {"L": []}}},
        "Invalid UpdateExpression: "
        "Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
    ),
    (
        "DELETE a :v",
        {"ExpressionAttributeValues": {":v": {"M": {}}}},
        "Invalid UpdateExpression: "
        "Incorrect operand type for operator or function; operator: DELETE, operand type: MAP",
    ),
    (
        "SET a = list_append(:l, :m)",
        {"ExpressionAttributeValues": {":l": {"L": []}, ":m": {"M": {}}}},
        "Invalid UpdateExpression: Incorrect operand type for operator or function; "
        "operator or function: list_append, operand type: M",
    ),
    (
        "SET a = :s + :v",
        {"ExpressionAttributeValues": {":s": {"S": "dog"}, ":v": {"N": "1"}}},
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
        "function: +, operand type: S",
    ),
    (
        "SET a = list_append(:v)",
        {"ExpressionAttributeValues": {":v": {"L": []}}},
        "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
        "operator or function: list_append, number of operands: 1",
    ),
    (
        "SET a = if_not_exists(:v, :v)",
        {"ExpressionAttributeValues": V},
        "Invalid UpdateExpression: Operator or function requires a document path; operator or "
        "function: if_not_exists",
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": {}},
        "ExpressionAttributeValues must not be empty",
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": V, "ExpressionAttributeNames": {}},
        "ExpressionAttributeNames must not be empty",
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": {"v": {"N": "1"}}},
        'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"',
    ),
    (
        "SET #a-b = :v",
        {"ExpressionAttributeValues": V, "ExpressionAttributeNames": {"#a-b": "x"}},
        'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
    ),
    (
        "SET #a = :v",
        {"ExpressionAttributeValues": V, "ExpressionAttributeNames": {"#a": ""}},
        "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": {":v": {"SS": []}}},
        "ExpressionAttributeValues contains invalid value: One or more parameter values were "
        "invalid: An string set  may not be empty for key :v",
    ),
    (
        "SET a = :v",
        {"ExpressionAttributeValues": {":v": {"N": "dog"}}},
        "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
        "numeric value: dog for key :v",
    ),
    (
        "SET a = :" + "v" * 255,
        {"ExpressionAttributeValues": {":" + "v" * 255: {"N": "1"}}},
        "ExpressionAttributeValues contains invalid key: The expression attribute map contains a "
        "key that is too long;",
    ),
    (
        "SET #" + "n" * 255 + " = :v",
        {"ExpressionAttributeValues": V, "ExpressionAttributeNames": {"#" + "n" * 255: "x"}},
        "ExpressionAttributeNames contains invalid key: The expression "
        "attribute map contains a key that is too long; size of key: 256",
    ),
    (
        "SET a = :v",
        {"AttributeUpdates": {"a": {"Value": {"N": "1"}}}, "ExpressionAttributeValues": V},
        "Can not use both expression and non-expression parameters in the same "
        "request: Non-expression parameters: {AttributeUpdates} Expression parameters: "
        "{UpdateExpression}",
    ),
    (
        None,
        {"ExpressionAttributeValues": V},
        "ExpressionAttributeValues can only be specified "
        "when using expressions: UpdateExpression and ConditionExpression are null",
    ),
    (
        None,
        {"ExpressionAttributeNames": {"#a": "a"}},
        "ExpressionAttributeNames can only be specified when using expressions",
    ),
]


@pytest.mark.parametrize(
    "expression,extra,expected",
    ERRORS,
    ids=[f"{i}-{case[0]}"[:50] for i, case in enumerate(ERRORS)],
)
def test_validation_errors(
    dynamodb: Any, make_table: Any, expression: str | None, extra: dict[str, Any], expected: str
) -> None:
    table = make_table()
    assert failure(dynamodb, table, expression, **extra) == ("ValidationException", expected)


def test_range_key_cannot_be_updated(dynamodb: Any, make_table: Any) -> None:
    table = make_table("pk", "S", "sk", "S")
    key = {"pk": {"S": "k"}, "sk": {"S": "s"}}
    assert failure(
        dynamodb, table, "SET sk = :v", Key=key, ExpressionAttributeValues={":v": {"S": "x"}}
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute sk. This attribute "
        "is part of the key",
    )


def test_expression_errors_come_before_a_missing_table(dynamodb: Any) -> None:
    assert failure(dynamodb, "no-such-table", "SET a = :v") == (
        "ValidationException",
        "Invalid UpdateExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :v",
    )


DATA_ERRORS = [
    (
        "SET a = absent",
        {},
        "The provided expression refers to an attribute that does not exist in the item",
    ),
    ("SET a = t + :v", V, "An operand in the update expression has an incorrect data type"),
    ("ADD t :v", V, "An operand in the update expression has an incorrect data type"),
    (
        "SET a = list_append(t, :l)",
        {":l": {"L": []}},
        "An operand in the update expression has an incorrect data type",
    ),
    (
        "SET t.x = :v",
        V,
        "The document path provided in the update expression is invalid for update",
    ),
    (
        "REMOVE nothing.x",
        {},
        "The document path provided in the update expression is invalid for update",
    ),
    (
        "SET big = :big + :big",
        {":big": {"N": "9E+125"}},
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
    ),
]


@pytest.mark.parametrize("expression,values,expected", DATA_ERRORS, ids=[c[0] for c in DATA_ERRORS])
def test_data_dependent_errors_change_nothing(
    dynamodb: Any, make_table: Any, expression: str, values: dict[str, Any], expected: str
) -> None:
    table = make_table()
    item = {"pk": {"S": "k"}, "t": {"S": "text"}}
    dynamodb.put_item(TableName=table, Item=item)
    extra = {"ExpressionAttributeValues": values} if values else {}
    assert failure(dynamodb, table, expression, **extra) == ("ValidationException", expected)
    assert item_of(dynamodb, table) == item


def test_item_size_after_update(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    half = {":v": {"S": "x" * (200 * 1024)}}
    update(dynamodb, table, "SET a = :v", ExpressionAttributeValues=half)
    assert failure(dynamodb, table, "SET b = :v", ExpressionAttributeValues=half) == (
        "ValidationException",
        "Item size to update has exceeded the maximum allowed size",
    )
    assert set(item_of(dynamodb, table)) == {"pk", "a"}


# --- atomicity ----------------------------------------------------------------------------


def test_atomic_counter_loses_no_increment(endpoint: str, make_table: Any) -> None:
    table = make_table()
    threads_count, per_thread = 8, 500
    failures: list[BaseException] = []

    def worker() -> None:
        client = client_for(endpoint)
        try:
            for _ in range(per_thread):
                client.update_item(
                    TableName=table,
                    Key={"pk": {"S": "counter"}},
                    UpdateExpression="ADD hits :one",
                    ExpressionAttributeValues={":one": {"N": "1"}},
                )
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    got = client_for(endpoint).get_item(TableName=table, Key={"pk": {"S": "counter"}})
    assert got["Item"]["hits"] == {"N": str(threads_count * per_thread)}


def test_optimistic_locking_loses_no_update(endpoint: str, make_table: Any) -> None:
    """Each writer reads the version, then writes version+1 only if it is unchanged."""
    table = make_table()
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    resource.Table(table).put_item(Item={"pk": "doc", "version": 0, "log": []})
    writers, updates_each = 4, 25
    conflicts: list[int] = []

    def writer(number: int) -> None:
        client = client_for(endpoint)
        done = 0
        while done < updates_each:
            current = client.get_item(TableName=table, Key={"pk": {"S": "doc"}})["Item"]
            version = current["version"]["N"]
            try:
                client.update_item(
                    TableName=table,
                    Key={"pk": {"S": "doc"}},
                    UpdateExpression="SET version = :next, #log = list_append(#log, :entry)",
                    ConditionExpression="version = :seen",
                    ExpressionAttributeNames={"#log": "log"},
                    ExpressionAttributeValues={
                        ":seen": {"N": version},
                        ":next": {"N": str(int(version) + 1)},
                        ":entry": {"L": [{"S": f"{number}-{done}"}]},
                    },
                )
                done += 1
            except client.exceptions.ConditionalCheckFailedException:
                conflicts.append(number)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = resource.Table(table).get_item(Key={"pk": "doc"})["Item"]
    assert final["version"] == Decimal(writers * updates_each)
    assert sorted(final["log"]) == sorted(
        f"{n}-{i}" for n in range(writers) for i in range(updates_each)
    )


# --- the AWS CLI --------------------------------------------------------------------------

@needs_aws_cli
def test_aws_cli_update_item(endpoint: str, table_name: str) -> None:
    client = client_for(endpoint, access_key_id="cli")
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    key = json.dumps({"pk": {"S": "cli"}})
    answer = aws(
        endpoint,
        "update-item",
        "--table-name",
        table_name,
        "--key",
        key,
        "--update-expression",
        "SET #c = if_not_exists(#c, :zero) + :one",
        "--expression-attribute-names",
        json.dumps({"#c": "c"}),
        "--expression-attribute-values",
        json.dumps({":zero": {"N": "0"}, ":one": {"N": "1"}}),
        "--return-values",
        "ALL_NEW",
    )
    assert answer == {"Attributes": {"pk": {"S": "cli"}, "c": {"N": "1"}}}
    answer = aws(
        endpoint,
        "update-item",
        "--table-name",
        table_name,
        "--key",
        key,
        "--update-expression",
        "SET year = :v",
        "--expression-attribute-values",
        json.dumps({":v": {"N": "1"}}),
    )
    assert "ValidationException" in answer["error"]
    assert (
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: year"
    ) in answer["error"]
    client.delete_table(TableName=table_name)
