"""Binding values, writing WHERE / SET clauses as expressions, and planning reads."""

from __future__ import annotations

from typing import Any

import pytest

from openddb import errors
from openddb.model.table import Table
from openddb.partiql import ast, translate
from openddb.partiql.conditions import ConditionWriter, Placeholders
from openddb.partiql.parser import parse
from openddb.partiql.values import Binder

OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)


def table(sort: bool = True, indexes: dict[str, Any] | None = None) -> Table:
    key_schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    if sort:
        key_schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
        definitions.append({"AttributeName": "sk", "AttributeType": "N"})
    definitions.append({"AttributeName": "g", "AttributeType": "S"})
    description = {"KeySchema": key_schema, "AttributeDefinitions": definitions, **(indexes or {})}
    return Table.build(1, "ns", "T", description, 0.0, {})


def statement(text: str) -> ast.Statement:
    return parse(text).statement


def message(call: Any) -> str:
    with pytest.raises(errors.ValidationException) as caught:
        call()
    return str(caught.value.message)


# --- values ------------------------------------------------------------------------------


def test_literals_become_attribute_values() -> None:
    insert = statement(
        "INSERT INTO T VALUE {'pk': 'a', 'sk': 1.50, 'b': TRUE, 'n': NULL, "
        "'l': [1, 'x'], 'm': {'k': <<'s', 't'>>}, 'ns': <<3, 1>>, 'p': ?}"
    )
    assert isinstance(insert, ast.Insert)
    item = Binder([{"B": "AQ=="}]).item(insert.item)
    assert item == {
        "pk": {"S": "a"},
        "sk": {"N": "1.5"},
        "b": {"BOOL": True},
        "n": {"NULL": True},
        "l": {"L": [{"N": "1"}, {"S": "x"}]},
        "m": {"M": {"k": {"SS": ["s", "t"]}}},
        "ns": {"NS": ["3", "1"]},
        "p": {"B": "AQ=="},
    }


@pytest.mark.parametrize(
    ("value", "where"),
    [("1e126", "root"), ("{'x': 1e126}", "root.x"), ("[1, 1e126]", "root[1]")],
)
def test_a_bad_number_names_where_it_is(value: str, where: str) -> None:
    """Live (paritysuite partiqlGrammar): ``under root``, ``root.x``, ``root[1]``."""
    insert = statement(f"INSERT INTO T VALUE {{'pk': 'a', 'v': {value}}}")
    assert isinstance(insert, ast.Insert)
    assert message(lambda: Binder([]).item(insert.item)) == f"{OVERFLOW} under {where}"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("<<>>", "Empty bags are not supported"),
        (
            "<<1, 'a'>>",
            "Unsupported data type in Bag. DynamoDB only supports either numbers or "
            "strings in bags",
        ),
        (
            "<<'x', 'x'>>",
            "One or more parameter values were invalid: Input collection [x, x] "
            "contains duplicates.",
        ),
        ("set_add(<<'a'>>, <<'b'>>)", "Unsupported data type: set_add under key root at 1:38:7"),
    ],
)
def test_values_refused(value: str, text: str) -> None:
    insert = statement(f"INSERT INTO T VALUE {{'pk': 'a', 'v': {value}}}")
    assert isinstance(insert, ast.Insert)
    assert message(lambda: Binder([]).item(insert.item)) == text


# --- WHERE -> expression text ------------------------------------------------------------


def where_text(condition: str, parameters: list[Any] | None = None) -> tuple[str, Placeholders]:
    select = statement(f"SELECT * FROM T WHERE {condition}")
    assert isinstance(select, ast.Select) and select.where is not None
    placeholders = Placeholders()
    writer = ConditionWriter(Binder(parameters or []), placeholders, "FilterExpression")
    return writer.condition(select.where), placeholders


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        ("a IS MISSING", "attribute_not_exists(#n0)"),
        ("a IS NOT MISSING", "attribute_exists(#n0)"),
        ("a IS NULL", "attribute_type(#n0, :v0)"),
        ("a IS NOT BOOLEAN", "(NOT attribute_type(#n0, :v0))"),
        ("a != 1", "#n0 <> :v0"),
        ("a NOT IN [1, 2]", "(NOT (#n0 IN (:v0, :v1)))"),
        ("a NOT BETWEEN 1 AND 2", "(NOT (#n0 BETWEEN :v0 AND :v1))"),
        ("attribute_exists(a) = true", "attribute_exists(#n0)"),
        ("attribute_exists(a) = false", "(NOT attribute_exists(#n0))"),
        (
            "a.b[2] = a.c OR NOT begins_with(a.b, 'x')",
            "(#n0.#n1[2] = #n0.#n2 OR (NOT begins_with(#n0.#n1, :v0)))",
        ),
        ("SIZE(x) > 3", "size(#n0) > :v0"),
    ],
)
def test_conditions_as_expressions(condition: str, text: str) -> None:
    assert where_text(condition)[0] == text


def test_in_with_a_list_parameter() -> None:
    text, placeholders = where_text("a IN ?", [{"L": [{"N": "1"}, {"S": "x"}]}])
    assert text == "#n0 IN (:v0, :v1)"
    assert placeholders.values == {":v0": {"N": "1"}, ":v1": {"S": "x"}}


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        ("EXISTS(ss)", "Unrecognized function: exists at 1:23:6"),  # live
        ("set_add(ss, <<'x'>>) = ss", "Unrecognized function: set_add at 1:23:7"),  # live
        ("a = MISSING", "MISSING must be compared using IS operator"),
        ("a", "WHERE clause must contain an expression that resolves to a boolean"),
        ("a + 1 = 2", "Unsupported operator in Condition Expression. Operator: +"),
        ("a LIKE 'x%'", "Unsupported operator in Condition Expression. Operator: LIKE"),
        (
            "a IS INT",
            "Unsupported data type for IS operator: INT. Supported data types are "
            "[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]",
        ),
        (
            "attribute_exists()",
            "Incorrect number of operands for operator or function; "
            "operator or function: attribute_exists, number of operands: 0",
        ),  # live
    ],
)
def test_conditions_refused(condition: str, text: str) -> None:
    assert message(lambda: where_text(condition)) == text


# --- writes ------------------------------------------------------------------------------


def test_update_translates_to_update_item() -> None:
    update = statement(
        "UPDATE T SET a = a + 1 SET s = set_add(s, <<'x'>>) REMOVE r SET l = list_append(l, ?) "
        "WHERE pk = 'p' AND sk = 2 AND a < 10 RETURNING MODIFIED OLD *"
    )
    assert isinstance(update, ast.Update)
    action = translate.update(update, table(), Binder([{"L": [{"N": "1"}]}]))
    assert action.kind == "Update" and action.return_values == "UPDATED_OLD"
    assert action.key == {"pk": {"S": "p"}, "sk": {"N": "2"}}
    assert action.member["UpdateExpression"] == (
        "SET #n0 = #n0 + :v0, #n3 = list_append(#n3, :v2) REMOVE #n2 ADD #n1 :v1"
    )
    assert action.member["ConditionExpression"] == "attribute_exists(#n4) AND #n0 < :v3"


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (
            "UPDATE T SET t = set_add(ss, <<'x'>>) WHERE pk = 'p' AND sk = 1",
            "The first argument to SET_ADD must equal the assignment value at 1:18:7",
        ),
        (
            "UPDATE T SET ss = set_add(ss, 'x') WHERE pk = 'p' AND sk = 1",
            "The second argument to SET_ADD must be a value with type SET at 1:27:2",
        ),
        (
            "UPDATE T SET ss = set_delete(ss) WHERE pk = 'p' AND sk = 1",
            "SET_DELETE must have exactly two arguments at 1:19:10",
        ),
        (
            "UPDATE T SET a = 1 WHERE pk = 'p'",
            "Where clause does not contain a mandatory equality on all key attributes",
        ),
        (
            "UPDATE T SET a = 1",
            "Where clause does not contain a mandatory equality on all key attributes",
        ),
        (
            "UPDATE T SET a = 1 WHERE pk = 'p' AND sk = 1 AND sk = 2",
            "Multiple conditions on same key sk. "
            "Only single item Update/Insert/Delete are supported",
        ),
        (
            "UPDATE T SET a = 1 WHERE pk = 1 AND sk = 1",
            "Key attribute's data type should match its data type in table's schema: Key pk",
        ),
        (
            "UPDATE T SET a = 1 WHERE pk.x = 'p' AND sk = 1",
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: Key pk",
        ),
        (
            "UPDATE T SET a = b * 2 WHERE pk = 'p' AND sk = 1",
            "Unsupported operator in Update Expression. Operator: *",
        ),
    ],
)
def test_updates_refused(text: str, refusal: str) -> None:
    update = statement(text)
    assert isinstance(update, ast.Update)
    assert message(lambda: translate.update(update, table(), Binder([]))) == refusal


def test_insert_needs_the_key() -> None:
    insert = statement("INSERT INTO T VALUE {'pk': 'a'}")
    assert isinstance(insert, ast.Insert)
    refusal = message(lambda: translate.insert(insert, table(), Binder([])))
    assert refusal == "Key attribute should be present in the item: Key sk"


def test_delete_keeps_only_the_extra_terms_as_condition() -> None:
    delete = statement("DELETE FROM T WHERE sk = 3 AND 'p' = pk")
    assert isinstance(delete, ast.Delete)
    action = translate.delete(delete, table(), Binder([]))
    assert action.key == {"sk": {"N": "3"}, "pk": {"S": "p"}}
    assert "ConditionExpression" not in action.member


# --- SELECT plans ------------------------------------------------------------------------


def plan(text: str, parameters: list[Any] | None = None, **kwargs: Any) -> translate.SelectPlan:
    select = statement(text)
    assert isinstance(select, ast.Select)
    return translate.select_plan(select, table(**kwargs), Binder(parameters or []), False)


def test_partition_equality_is_a_query_with_the_sort_condition() -> None:
    queries = plan("SELECT * FROM T WHERE pk = 'a' AND 3 < sk AND x = 1").queries
    assert queries == (
        {
            "KeyConditionExpression": "#kn0 = :kv0 AND #kn1 > :kv1",
            "ScanIndexForward": True,
            "ExpressionAttributeNames": {"#kn0": "pk", "#kn1": "sk"},
            "ExpressionAttributeValues": {":kv0": {"S": "a"}, ":kv1": {"N": "3"}},
        },
    )


def test_in_and_or_branches_are_one_query_per_value() -> None:
    in_list = plan("SELECT * FROM T WHERE pk IN ['b', 'a', 'b', 1]").queries
    assert in_list is not None
    assert [q["ExpressionAttributeValues"][":kv0"] for q in in_list] == [{"S": "b"}, {"S": "a"}]
    branches = plan("SELECT * FROM T WHERE pk = 'x' AND a = 1 OR pk = 'y'").queries
    assert branches is not None and len(branches) == 2
    grouped = plan("SELECT * FROM T WHERE (pk = 'x' OR pk IN ['y']) AND sk >= 2").queries
    assert grouped is not None
    assert [q["KeyConditionExpression"] for q in grouped] == ["#kn0 = :kv0 AND #kn1 >= :kv1"] * 2
    ordered = plan("SELECT * FROM T WHERE pk IN ['b', 'a'] ORDER BY pk DESC, sk").queries
    assert ordered is not None
    assert [q["ExpressionAttributeValues"][":kv0"]["S"] for q in ordered] == ["b", "a"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM T",
        "SELECT * FROM T WHERE pk > 'a'",
        "SELECT * FROM T WHERE pk = 'a' OR x = 1",
        "SELECT * FROM T WHERE NOT pk = 'a'",
    ],
)
def test_anything_else_scans(text: str) -> None:
    assert plan(text).queries is None


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (
            "SELECT * FROM T ORDER BY sk",
            "Must have WHERE clause in the statement when using ORDER BY clause.",
        ),
        (
            "SELECT * FROM T WHERE x = 1 ORDER BY sk",
            "Must have at least one non-optional hash key condition in WHERE clause when using "
            "ORDER BY clause.",
        ),
        (
            "SELECT * FROM T WHERE pk = 'a' ORDER BY x",
            "Variable reference x in ORDER BY clause must be part of the primary key",
        ),
        (
            "SELECT * FROM T WHERE pk IN ['a', 'b'] ORDER BY sk",
            "Must have hash key in ORDER BY clause when more than one hash key condition "
            "specified in WHERE clause.",
        ),
        ("SELECT * FROM T.\"nope\" WHERE pk = 'a'", "The table does not have the specified index"),
    ],
)
def test_plans_refused(text: str, refusal: str) -> None:
    assert message(lambda: plan(text)) == refusal


def test_index_key_schema_and_consistent_read() -> None:
    gsi = {
        "GlobalSecondaryIndexes": [
            {"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}
        ]
    }
    select = statement("SELECT * FROM T.\"byG\" WHERE g = 'v'")
    assert isinstance(select, ast.Select)
    found = translate.select_plan(select, table(indexes=gsi), Binder([]), False)
    assert found.index_name == "byG" and found.queries is not None
    refusal = message(lambda: translate.select_plan(select, table(indexes=gsi), Binder([]), True))
    assert refusal == "Strongly consistent read is not supported on Global Secondary Indexes"
