"""The legacy (pre-expression) parameters, converted to the same trees as expressions.

- ``Expected`` + ``ConditionalOperator`` (PutItem, UpdateItem, DeleteItem) -> a condition;
- ``QueryFilter`` / ``ScanFilter`` + ``ConditionalOperator`` -> a condition;
- ``KeyConditions`` -> a :class:`~openddb.expressions.key_condition.KeyCondition`;
- ``AttributeUpdates`` -> an :class:`~openddb.expressions.ast.Update` marked ``legacy``;
- ``AttributesToGet`` -> a projection of top-level attributes.

Comparison operators and what they become (API reference "Condition"; Alternator's
test_expected.py against AWS for the corner cases)::

    EQ NE LT LE GT GE   = <> < <= > >=      one value; LT..GE only S, N, B
    IN                  IN (v1, ...)        one or more values of one scalar type
    BETWEEN             BETWEEN v1 AND v2   two values of one scalar type, v1 <= v2
    NULL / NOT_NULL     attribute_not_exists / attribute_exists     no value
    CONTAINS            contains(a, v)      one S, N or B value
    NOT_CONTAINS        attribute_exists(a) AND NOT contains(a, v)  (false when a is missing)
    BEGINS_WITH         begins_with(a, v)   one S or B value
    Exists: false       attribute_not_exists(a)
    Value (Exists true) a = Value
"""

from __future__ import annotations

from typing import Any

from openddb import errors
from openddb.expressions import ast
from openddb.expressions.evaluate import compare, type_of
from openddb.expressions.key_condition import KeyCondition, match_schema
from openddb.model.attribute_value import validate_value
from openddb.model.item import KeyAttribute

SCALAR_TYPES = frozenset({"S", "N", "B"})
ANY_TYPE = None  # the operator takes values of every type
OPERATORS: dict[str, tuple[str, frozenset[str] | None]] = {
    # operator: (argument count: "1", "0", "2" or "+", allowed value types)
    "EQ": ("1", ANY_TYPE),
    "NE": ("1", ANY_TYPE),
    "LT": ("1", SCALAR_TYPES),
    "LE": ("1", SCALAR_TYPES),
    "GT": ("1", SCALAR_TYPES),
    "GE": ("1", SCALAR_TYPES),
    "IN": ("+", SCALAR_TYPES),
    "BETWEEN": ("2", SCALAR_TYPES),
    "NULL": ("0", ANY_TYPE),
    "NOT_NULL": ("0", ANY_TYPE),
    "CONTAINS": ("1", SCALAR_TYPES),
    "NOT_CONTAINS": ("1", SCALAR_TYPES),
    "BEGINS_WITH": ("1", frozenset({"S", "B"})),
}
COMPARATOR_OF = {"EQ": "=", "NE": "<>", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}
ADD_TYPES = frozenset({"N", "L", "SS", "NS", "BS"})
SET_TYPES = frozenset({"SS", "NS", "BS"})


def expected(conditions: dict[str, Any], conditional_operator: str | None) -> ast.Condition:
    """``Expected`` as one resolved condition; raises DynamoDB's validation texts."""
    _check_conditional_operator(conditions, conditional_operator)
    converted = [_expected_one(name, entry) for name, entry in conditions.items()]
    return _join(converted, conditional_operator)


def filter_conditions(
    conditions: dict[str, Any], conditional_operator: str | None
) -> ast.Condition:
    """``QueryFilter`` / ``ScanFilter`` as one resolved condition."""
    _check_conditional_operator(conditions, conditional_operator)
    converted = []
    for name, entry in conditions.items():
        operator = entry["ComparisonOperator"]
        values = _checked_values(operator, entry.get("AttributeValueList") or [])
        converted.append(_comparison(name, operator, values))
    return _join(converted, conditional_operator)


def key_conditions(
    conditions: dict[str, Any], partition: KeyAttribute, sort: KeyAttribute | None
) -> KeyCondition:
    """``KeyConditions`` of a Query against a key schema (dynalite's order of checks)."""
    parts = []
    for name, entry in conditions.items():
        operator = entry["ComparisonOperator"]
        values = _checked_values(operator, entry.get("AttributeValueList") or [])
        parts.append((name, operator, tuple(values)))
    if len(parts) not in (1, 2):
        raise errors.key_conditions_count()
    return match_schema(parts, partition, sort, legacy=True)


def attribute_updates(updates: dict[str, Any]) -> ast.Update:
    """``AttributeUpdates`` (PUT, ADD, DELETE) as an update tree."""
    actions: list[ast.Action] = []
    for name, update in updates.items():
        action = update.get("Action") or "PUT"
        value = update.get("Value")
        path = ast.Path((name,))
        if value is None:
            if action != "DELETE":
                raise errors.legacy_delete_without_value()
            actions.append(ast.RemoveAction(path))
            continue
        validate_value(value)
        type_code = type_of(value)
        if action == "DELETE" and type_code not in SET_TYPES:
            raise errors.legacy_delete_type(type_code)
        if action == "ADD" and type_code not in ADD_TYPES:
            raise errors.legacy_add_type(type_code)
        if action == "PUT":
            actions.append(ast.SetAction(path, ast.Value(value)))
        elif action == "ADD":
            actions.append(ast.AddAction(path, ast.Value(value)))
        else:
            actions.append(ast.DeleteAction(path, ast.Value(value)))
    return ast.Update(tuple(actions), legacy=True)


def attributes_to_get(names: list[str]) -> ast.Projection:
    """``AttributesToGet`` as a projection; a name given twice is refused."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise errors.legacy_attribute_duplicated(name)
        seen.add(name)
    return ast.Projection(tuple(ast.Path((name,)) for name in names))


# --- pieces -------------------------------------------------------------------------------


def _check_conditional_operator(conditions: dict[str, Any], operator: str | None) -> None:
    if operator is not None and len(conditions) < 2:
        raise errors.legacy_conditional_operator_alone()


def _join(conditions: list[ast.Condition], conditional_operator: str | None) -> ast.Condition:
    assert conditions, "callers pass at least one condition"
    if len(conditions) == 1:
        return conditions[0]
    if conditional_operator == "OR":
        return ast.Or(tuple(conditions))
    return ast.And(tuple(conditions))


def _expected_one(name: str, entry: dict[str, Any]) -> ast.Condition:
    value = entry.get("Value")
    value_list = entry.get("AttributeValueList")
    operator = entry.get("ComparisonOperator")
    exists = entry.get("Exists")
    if value is not None and value_list is not None:
        raise errors.legacy_value_and_list(name)
    if operator is not None:
        if exists is not None:
            raise errors.legacy_exists_and_operator(name)
        if operator not in ("NULL", "NOT_NULL") and value is None and value_list is None:
            raise errors.legacy_operator_without_value(operator, name)
        values = _checked_values(operator, value_list if value_list is not None else [value])
        return _comparison(name, operator, values)
    if value_list is not None:
        raise errors.legacy_list_without_operator(name)
    if exists is None or exists:
        if value is None:
            raise errors.legacy_exists_without_value("null" if exists is None else "true", name)
        validate_value(value)
        return ast.Comparison("=", ast.Path((name,)), ast.Value(value))
    if value is not None:
        raise errors.legacy_value_with_exists_false(name)
    return ast.Function("attribute_not_exists", (ast.Path((name,)),))


def _checked_values(operator: str, values: list[Any]) -> list[dict[str, Any]]:
    """Values of one ComparisonOperator, validated in dynalite's order."""
    values = [value for value in values if value is not None]
    for value in values:
        validate_value(value)
    count, allowed = OPERATORS[operator]
    if not _count_fits(count, len(values)):
        raise errors.legacy_argument_count(operator)
    if values:
        first_type = type_of(values[0])
        if any(type_of(value) != first_type for value in values):
            raise errors.legacy_list_types_differ()
        if allowed is not None and first_type not in allowed:
            raise errors.legacy_operator_type(operator, first_type)
    if operator == "BETWEEN":
        order = compare(values[0], values[1])
        if order is not None and order > 0:
            raise errors.legacy_between_order()
    return values


def _count_fits(count: str, actual: int) -> bool:
    if count == "+":
        return actual >= 1
    return actual == int(count)


def _comparison(name: str, operator: str, values: list[dict[str, Any]]) -> ast.Condition:
    path = ast.Path((name,))
    constants = tuple(ast.Value(value) for value in values)
    if operator in COMPARATOR_OF:
        return ast.Comparison(COMPARATOR_OF[operator], path, constants[0])
    if operator == "NULL":
        return ast.Function("attribute_not_exists", (path,))
    if operator == "NOT_NULL":
        return ast.Function("attribute_exists", (path,))
    if operator == "IN":
        return ast.In(path, constants)
    if operator == "BETWEEN":
        return ast.Between(path, constants[0], constants[1])
    if operator == "BEGINS_WITH":
        return ast.Function("begins_with", (path, constants[0]))
    contains = ast.Function("contains", (path, constants[0]))
    if operator == "CONTAINS":
        return contains
    assert operator == "NOT_CONTAINS", operator
    return ast.And((ast.Function("attribute_exists", (path,)), ast.Not(contains)))
