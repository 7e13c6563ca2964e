"""update.apply: UpdateExpression semantics on wire items, and that it is pure."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from openddb import errors
from openddb.expressions import resolve
from openddb.expressions.update import add_numbers, apply

KEY = {"pk": {"S": "k"}}


def n(text: str) -> dict[str, str]:
    return {"N": text}


def s(text: str) -> dict[str, str]:
    return {"S": text}


def run(expression: str, old: dict[str, Any] | None, **values: Any) -> dict[str, Any]:
    placeholders = resolve.Placeholders({}, {":" + name: value for name, value in values.items()})
    update = resolve.update(expression, placeholders)
    before = copy.deepcopy(old)
    result = apply(update, old, KEY)
    assert old == before, "apply must not change the old item"
    return result


def failure(expression: str, old: dict[str, Any] | None, **values: Any) -> str:
    with pytest.raises(errors.ValidationException) as excinfo:
        run(expression, old, **values)
    return str(excinfo.value.message)


def test_set_creates_item_from_key() -> None:
    assert run("SET a = :v", None, v=n("1")) == {"pk": s("k"), "a": n("1")}


def test_set_reads_every_operand_before_writing() -> None:
    old = {"pk": s("k"), "x": n("1"), "b": s("hello")}
    assert run("SET x = :v, y = x", old, v=n("4")) == {**old, "x": n("4"), "y": n("1")}
    assert run("REMOVE b SET c = b", old) == {"pk": s("k"), "x": n("1"), "c": s("hello")}


def test_arithmetic_and_functions() -> None:
    old = {"pk": s("k"), "c": n("41"), "l": {"L": [n("1")]}}
    assert run("SET c = c + :one", old, one=n("1"))["c"] == n("42")
    assert run("SET c = :ten - c", old, ten=n("10"))["c"] == n("-31")
    assert run("SET d = if_not_exists(d, :z) + :one", old, z=n("0"), one=n("1"))["d"] == n("1")
    assert run("SET c = if_not_exists(c, :z)", old, z=n("0"))["c"] == n("41")
    assert run("SET l = list_append(l, :v)", old, v={"L": [s("x")]})["l"] == {"L": [n("1"), s("x")]}
    assert run("SET l = list_append(:v, l)", old, v={"L": [s("x")]})["l"] == {"L": [s("x"), n("1")]}


def test_decimal_arithmetic_keeps_38_digits() -> None:
    assert add_numbers("0.1", "0.2") == "0.3"
    assert add_numbers("1.5", "2.5", subtract=True) == "-1"
    assert add_numbers("9" * 38, "1") == "1" + "0" * 38
    # 1E+37 + 0.1 needs 39 digits: rounded half-even to 38.
    assert add_numbers("1" + "0" * 37, "0.1") == "1" + "0" * 37
    assert add_numbers("1" + "0" * 36, "0.5") == "1" + "0" * 36 + ".5"


def test_arithmetic_overflow_uses_dynamodb_text() -> None:
    big = "9.9999999999999999999999999999999999999E+125"
    from openddb.model.number import canonical_number

    assert failure("SET a = :x + :x", None, x=n(canonical_number(big))) == (
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )


def test_missing_operand_and_wrong_types() -> None:
    old = {"pk": s("k"), "t": s("text"), "l": {"L": []}}
    assert failure("SET a = b", old) == (
        "The provided expression refers to an attribute that does not exist in the item"
    )
    assert failure("SET a = t + :one", old, one=n("1")) == (
        "An operand in the update expression has an incorrect data type"
    )
    assert failure("SET a = list_append(t, :l)", old, l={"L": []}) == (
        "An operand in the update expression has an incorrect data type"
    )
    assert failure("SET a = list_append(missing_list, :l)", old, l={"L": []}) == (
        "The provided expression refers to an attribute that does not exist in the item"
    )


def test_nested_set_and_remove() -> None:
    old = {"pk": s("k"), "a": {"M": {"b": n("3"), "c": {"L": [s("hi"), {"M": {"x": n("1")}}]}}}}
    result = run("SET a.c[1].x = :v, a.d = :w REMOVE a.b", old, v=n("9"), w=s("new"))
    assert result["a"] == {"M": {"c": {"L": [s("hi"), {"M": {"x": n("9")}}]}, "d": s("new")}}


def test_document_path_invalid_for_update() -> None:
    old = {"pk": s("k"), "a": s("hello"), "b": {"L": [s("x")]}}
    message = "The document path provided in the update expression is invalid for update"
    for expression in (
        "SET a.c = :v",
        "SET b.c = :v",
        "SET c.c = :v",
        "SET a[0] = :v",
        "REMOVE a.c",
        "REMOVE c.c",
        "REMOVE a[0]",
        "ADD c.d :v",
    ):
        assert failure(expression, old, v=n("1")) == message, expression
    assert failure("SET c.c = :v", None, v=n("1")) == message


def test_remove_of_missing_parts_is_silent() -> None:
    old = {"pk": s("k"), "a": {"M": {"x": n("3")}}, "b": {"L": [s("hi")]}}
    assert run("REMOVE a.y, b[7], c", old) == old
    # On a missing item even a path through missing maps is ignored (AWS behaviour).
    assert run("REMOVE x.y, z[0]", None) == KEY


def test_list_indexes_are_positions_in_the_old_list() -> None:
    old = {"pk": s("k"), "a": {"L": [n(str(i)) for i in (2, 3, 4, 5, 6, 7)]}}
    expected = {"L": [n("2"), n("4"), n("17"), n("6"), n("7")]}
    assert run("REMOVE a[1] SET a[3] = :v", old, v=n("17"))["a"] == expected
    assert run("SET a[3] = :v REMOVE a[1]", old, v=n("17"))["a"] == expected
    assert run("REMOVE a[0], a[5]", old)["a"] == {"L": [n("3"), n("4"), n("5"), n("6")]}


def test_set_past_the_end_appends_in_index_order() -> None:
    old = {"pk": s("k"), "a": {"L": [s("one"), s("two"), s("three")]}}
    values = {"v1": s("a1"), "v2": s("a2"), "v3": s("a3"), "v4": s("a4")}
    result = run("SET a[84] = :v1, a[37] = :v2, a[17] = :v3, a[50] = :v4", old, **values)
    assert result["a"] == {
        "L": [s("one"), s("two"), s("three"), s("a3"), s("a2"), s("a4"), s("a1")]
    }
    assert run("SET a[0] = :v", {"pk": s("k"), "a": {"L": []}}, v=s("x"))["a"] == {"L": [s("x")]}


def test_add_numbers_and_sets() -> None:
    old = {"pk": s("k"), "c": n("3"), "ss": {"SS": ["dog", "cat"]}, "t": s("hi")}
    assert run("ADD c :v", old, v=n("4"))["c"] == n("7")
    assert run("ADD extra :v", old, v=n("8"))["extra"] == n("8")
    assert run("ADD ss :v", old, v={"SS": ["cat", "pig"]})["ss"] == {"SS": ["dog", "cat", "pig"]}
    assert run("ADD fresh :v", None, v={"NS": ["1"]})["fresh"] == {"NS": ["1"]}
    assert failure("ADD t :v", old, v=n("1")) == (
        "An operand in the update expression has an incorrect data type"
    )
    assert failure("ADD ss :v", old, v={"NS": ["1"]}) == (
        "An operand in the update expression has an incorrect data type"
    )


def test_delete_from_sets() -> None:
    old = {"pk": s("k"), "ss": {"SS": ["dog", "cat", "mouse"]}, "bs": {"BS": ["AA==", "/w=="]}}
    assert run("DELETE ss :v", old, v={"SS": ["cat", "mouse"]})["ss"] == {"SS": ["dog"]}
    assert run("DELETE ss :v", old, v={"SS": ["pig"]})["ss"] == old["ss"]
    assert "ss" not in run("DELETE ss :v", old, v={"SS": ["dog", "cat", "mouse"]})
    assert run("DELETE nothing :v", old, v={"SS": ["dog"]}) == old
    assert run("DELETE bs :v", old, v={"BS": ["AA=="]})["bs"] == {"BS": ["/w=="]}
    assert failure("DELETE ss :v", old, v={"NS": ["1"]}) == (
        "An operand in the update expression has an incorrect data type"
    )


def test_untouched_attributes_are_shared_not_copied() -> None:
    big = {"M": {"x": {"L": [n("1")] * 100}}}
    old = {"pk": s("k"), "big": big, "c": n("1")}
    result = run("SET c = c + :one", old, one=n("1"))
    assert result["big"] is big
