"""KeyConditionExpression (or KeyConditions) -> partition key equality + sort key range.

A Query names one partition key value and optionally one condition on the sort
key. :func:`key_condition` checks a resolved KeyConditionExpression in two steps:

1. its shape, needing no table (so it is reported before ResourceNotFound: live,
   paritysuite queryKeyCondition): only AND, comparisons other than ``<>``,
   BETWEEN and begins_with; each a top-level attribute against constants; one
   condition per attribute;
2. :func:`match_schema`, against the key schema of the table or index queried:
   the partition key present with ``=``, the other condition on the sort key,
   value types matching the schema.

The result names operators in the KeyConditions vocabulary (EQ LT LE GT GE BETWEEN
BEGINS_WITH), so both request forms reach storage the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openddb import errors
from openddb.expressions import ast
from openddb.model.item import KeyAttribute

COMPARATOR_NAMES = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
# "a < :v" written ":v > a": the operator seen from the attribute's side.
MIRRORED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
# Operators KeyConditions accepts in its enum but a key cannot use (dynalite).
NOT_INDEXABLE = frozenset({"NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN"})
REFUSED_FUNCTIONS = frozenset(
    {"attribute_exists", "attribute_not_exists", "attribute_type", "contains"}
)

# (attribute name, operator, constant values)
Part = tuple[str, str, tuple[dict[str, Any], ...]]


@dataclass(frozen=True, slots=True)
class SortKeyCondition:
    """``operator`` is EQ, LT, LE, GT, GE, BEGINS_WITH (one value) or BETWEEN (two)."""

    operator: str
    values: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class KeyCondition:
    """The partition key's AttributeValue and the sort key condition, if any."""

    partition_value: dict[str, Any]
    sort: SortKeyCondition | None


def key_condition(
    condition: ast.Condition, partition: KeyAttribute, sort: KeyAttribute | None
) -> KeyCondition:
    """A resolved KeyConditionExpression checked against a key schema."""
    return match_schema(parts_of(condition), partition, sort)


def parts_of(condition: ast.Condition) -> list[Part]:
    """The simple conditions of a KeyConditionExpression, shape checked (no schema)."""
    parts: list[Part] = []
    _collect(condition, parts)
    names = [name for name, _, _ in parts]
    if len(set(names)) != len(names):
        raise errors.key_condition_repeated()
    return parts


def _collect(node: ast.Condition, parts: list[Part]) -> None:
    if type(node) is ast.And:
        for operand in node.operands:
            _collect(operand, parts)
    elif type(node) is ast.Or:
        raise errors.key_condition_operator("OR")
    elif type(node) is ast.Not:
        raise errors.key_condition_operator("NOT")
    elif type(node) is ast.In:
        raise errors.key_condition_operator("IN")
    elif type(node) is ast.Function:
        parts.append(_function(node))
    elif type(node) is ast.Between:
        if type(node.operand) is not ast.Path:
            raise errors.key_condition_key_not_first("BETWEEN")
        name = _attribute([node.operand, node.lower, node.upper])
        parts.append((name, "BETWEEN", (_constant(node.lower), _constant(node.upper))))
    else:
        assert type(node) is ast.Comparison, node
        parts.append(_comparison(node))


def _function(node: ast.Function) -> Part:
    if node.name in REFUSED_FUNCTIONS:
        raise errors.key_condition_operator(node.name)
    if node.name == "size":
        raise errors.key_condition_nested_operation()
    assert node.name == "begins_with", node.name
    if type(node.arguments[0]) is not ast.Path:
        raise errors.key_condition_key_not_first("begins_with")
    name = _attribute(list(node.arguments))
    return (name, "BEGINS_WITH", (_constant(node.arguments[1]),))


def _comparison(node: ast.Comparison) -> Part:
    if node.operator == "<>":
        raise errors.key_condition_operator("<>")
    name = _attribute([node.left, node.right])
    operator = node.operator
    constant = node.right
    if type(node.left) is not ast.Path:
        operator = MIRRORED[operator]
        constant = node.left
    return (name, COMPARATOR_NAMES[operator], (_constant(constant),))


def _attribute(operands: list[ast.Operand]) -> str:
    """The one key attribute among a condition's operands."""
    for operand in operands:
        if type(operand) is ast.Function:
            raise errors.key_condition_nested_operation()
    paths = [operand for operand in operands if type(operand) is ast.Path]
    if len(paths) > 1:
        raise errors.key_condition_several_names()
    if not paths:
        raise errors.key_condition_no_name()
    elements = paths[0].elements
    if len(elements) > 1:
        raise errors.key_condition_nested_attribute()
    assert type(elements[0]) is str
    return elements[0]


def _constant(operand: ast.Operand) -> dict[str, Any]:
    assert type(operand) is ast.Value, operand
    return operand.value


def match_schema(
    parts: list[Part], partition: KeyAttribute, sort: KeyAttribute | None, legacy: bool = False
) -> KeyCondition:
    """Check simple conditions against a key schema (texts: live and dynalite)."""
    keys = 1 if sort is None else 2
    if not legacy and len(parts) > keys:
        raise errors.key_condition_too_many(len(parts), keys)
    by_name = {name: (operator, values) for name, operator, values in parts}
    if sort is None and len(parts) > 1:
        raise errors.key_condition_not_supported()
    schema = [partition] if sort is None else [partition, sort]
    for attribute in schema:
        found = by_name.get(attribute.name)
        if found is None:
            if attribute is partition or len(parts) > 1:
                raise errors.key_condition_missed(attribute.name)
            continue
        operator, values = found
        if operator in NOT_INDEXABLE:
            raise errors.key_condition_not_indexable()
        if any(attribute.attribute_type not in value for value in values):
            raise errors.key_condition_type_mismatch()
        if attribute is partition and operator != "EQ":
            raise errors.key_condition_not_supported()
    partition_operator, partition_values = by_name[partition.name]
    assert partition_operator == "EQ"
    sort_condition = None
    if sort is not None and sort.name in by_name:
        operator, values = by_name[sort.name]
        sort_condition = SortKeyCondition(operator, values)
    return KeyCondition(partition_values[0], sort_condition)
