"""legacy.py: QueryFilter / ScanFilter and Expected become the same trees as expressions."""

from __future__ import annotations

from typing import Any

import pytest

from openddb import errors
from openddb.expressions import ast, legacy
from openddb.expressions.evaluate import evaluate

ITEM: dict[str, Any] = {"pk": {"S": "k"}, "n": {"N": "3"}, "tags": {"SS": ["a", "b"]}}


def test_filter_conditions_join_with_and_by_default() -> None:
    conditions = {
        "n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "2"}]},
        "tags": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "z"}]},
    }
    both = legacy.filter_conditions(conditions, None)
    assert isinstance(both, ast.And)
    assert not evaluate(both, ITEM)
    either = legacy.filter_conditions(conditions, "OR")
    assert isinstance(either, ast.Or)
    assert evaluate(either, ITEM)


def test_filter_converts_each_operator() -> None:
    converted = legacy.filter_conditions(
        {"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}},
        None,
    )
    assert converted == ast.Between(ast.Path(("n",)), ast.Value({"N": "1"}), ast.Value({"N": "5"}))
    not_contains = legacy.filter_conditions(
        {"gone": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "a"}]}},
        None,
    )
    assert not evaluate(not_contains, ITEM)  # a missing attribute: NOT_CONTAINS is false too


def test_filter_validation_texts() -> None:
    with pytest.raises(errors.ValidationException) as excinfo:
        legacy.filter_conditions({"n": {"ComparisonOperator": "EQ"}}, None)
    assert excinfo.value.message == (
        "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
        "ComparisonOperator"
    )
    with pytest.raises(errors.ValidationException) as excinfo:
        legacy.filter_conditions(
            {"n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}}, "OR"
        )
    assert excinfo.value.message == (
        "ConditionalOperator can only be used when Filter or Expected has two or more elements"
    )


def test_attributes_to_get_is_a_projection() -> None:
    assert legacy.attributes_to_get(["a", "b.c"]) == ast.Projection(
        (ast.Path(("a",)), ast.Path(("b.c",)))
    )
