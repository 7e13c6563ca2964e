"""Conditions and filters over an item, and projections of an item.

Items and values are in wire form: ``{"a": {"N": "1"}, "m": {"M": {...}}}``;
numbers are canonical (model/number.py), so equal numbers have equal text.
Semantics (Developer Guide "Comparison operator and function reference", the
legacy-parameter pages, and Alternator's suite run against AWS):

- A missing attribute makes every comparison false, except ``<>`` which is true
  (so ``a <> b`` is true when both are missing).
- Values of different types are never equal and never ordered: ``=`` is false,
  ``<>`` true, ``< <= > >= BETWEEN`` false. Only S, N and B order: strings by
  UTF-8 bytes (the same as code point order), numbers numerically, binary by the
  decoded bytes, unsigned.
- Sets are equal when they hold the same members in any order; lists and maps
  compare member by member.
- ``size``: characters of S, bytes of B, members of sets, L and M; nothing (so any
  comparison is false) for N, BOOL, NULL or a missing attribute.
- ``contains``: substring of S (or bytes of B), member of a set, element of a list.
- ``begins_with``: prefix of S or B.
"""

from __future__ import annotations

import itertools
from typing import Any

from openddb.expressions import ast
from openddb.model.attribute_value import decode_binary
from openddb.model.number import compare_numbers

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]


def evaluate(condition: ast.Condition, item: Item) -> bool:
    """True when resolved ``condition`` holds for ``item`` (``{}`` for a missing item)."""
    if type(condition) is ast.Function:
        return _function(condition, item)
    if type(condition) is ast.Comparison:
        return _comparison(condition, item)
    if type(condition) is ast.And:
        return all(evaluate(operand, item) for operand in condition.operands)
    if type(condition) is ast.Or:
        return any(evaluate(operand, item) for operand in condition.operands)
    if type(condition) is ast.Not:
        return not evaluate(condition.operand, item)
    if type(condition) is ast.Between:
        return _between(condition, item)
    assert type(condition) is ast.In, condition
    value = value_of(condition.operand, item)
    if value is None:
        return False
    for candidate in condition.candidates:
        other = value_of(candidate, item)
        if other is not None and equal(value, other):
            return True
    return False


def value_of(operand: ast.Operand, item: Item) -> AttributeValue | None:
    """The value an operand stands for in ``item``, or None (missing, or no size)."""
    if type(operand) is ast.Path:
        return lookup(item, operand.elements)
    if type(operand) is ast.Value:
        return operand.value
    assert type(operand) is ast.Function and operand.name == "size", operand
    return _size(value_of(operand.arguments[0], item))


def lookup(item: Item, elements: tuple[Any, ...]) -> AttributeValue | None:
    """The value at a resolved document path, or None when any step is missing."""
    value = item.get(elements[0])
    for element in elements[1:]:
        if value is None:
            return None
        if type(element) is int:
            elements_of_list = value.get("L")
            if elements_of_list is None or element >= len(elements_of_list):
                return None
            value = elements_of_list[element]
        else:
            members = value.get("M")
            if members is None:
                return None
            value = members.get(element)
    return value


def type_of(value: AttributeValue) -> str:
    """The type code of a wire AttributeValue: ``"S"``, ``"NS"``, ``"M"``..."""
    return next(iter(value))


def equal(left: AttributeValue, right: AttributeValue) -> bool:
    """DynamoDB equality: same type and same content (sets in any order)."""
    kind = type_of(left)
    if kind != type_of(right):
        return False
    a = left[kind]
    b = right[kind]
    if kind in ("S", "N", "BOOL", "NULL"):
        return bool(a == b)
    if kind == "B":
        return a == b or decode_binary(a) == decode_binary(b)
    if kind in ("SS", "NS"):
        return len(a) == len(b) and set(a) == set(b)
    if kind == "BS":
        return len(a) == len(b) and {decode_binary(x) for x in a} == {decode_binary(x) for x in b}
    if kind == "L":
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    assert kind == "M", kind
    return a.keys() == b.keys() and all(equal(a[name], b[name]) for name in a)


def compare(left: AttributeValue, right: AttributeValue) -> int | None:
    """-1, 0 or 1 for two values of the same orderable type (S, N, B); otherwise None."""
    kind = type_of(left)
    if kind != type_of(right):
        return None
    a = left[kind]
    b = right[kind]
    if kind == "N":
        return compare_numbers(a, b)
    if kind == "S":
        return -1 if a < b else 1 if a > b else 0
    if kind == "B":
        x = decode_binary(a)
        y = decode_binary(b)
        return -1 if x < y else 1 if x > y else 0
    return None


def _comparison(node: ast.Comparison, item: Item) -> bool:
    left = value_of(node.left, item)
    right = value_of(node.right, item)
    operator = node.operator
    if operator == "=":
        return left is not None and right is not None and equal(left, right)
    if operator == "<>":
        return left is None or right is None or not equal(left, right)
    if left is None or right is None:
        return False
    order = compare(left, right)
    if order is None:
        return False
    if operator == "<":
        return order < 0
    if operator == "<=":
        return order <= 0
    if operator == ">":
        return order > 0
    assert operator == ">=", operator
    return order >= 0


def _between(node: ast.Between, item: Item) -> bool:
    value = value_of(node.operand, item)
    lower = value_of(node.lower, item)
    upper = value_of(node.upper, item)
    if value is None or lower is None or upper is None:
        return False
    above = compare(value, lower)
    below = compare(value, upper)
    return above is not None and below is not None and above >= 0 and below <= 0


def _function(node: ast.Function, item: Item) -> bool:
    name = node.name
    arguments = node.arguments
    if name == "attribute_exists":
        return value_of(arguments[0], item) is not None
    if name == "attribute_not_exists":
        return value_of(arguments[0], item) is None
    first = value_of(arguments[0], item)
    second = value_of(arguments[1], item)
    if first is None or second is None:
        return False
    if name == "begins_with":
        return _begins_with(first, second)
    if name == "contains":
        return _contains(first, second)
    assert name == "attribute_type", name
    return type_of(first) == second.get("S")


def _begins_with(value: AttributeValue, prefix: AttributeValue) -> bool:
    kind = type_of(value)
    if kind != type_of(prefix):
        return False
    if kind == "S":
        return bool(value["S"].startswith(prefix["S"]))
    if kind == "B":
        return decode_binary(value["B"]).startswith(decode_binary(prefix["B"]))
    return False


def _contains(value: AttributeValue, operand: AttributeValue) -> bool:
    kind = type_of(value)
    operand_kind = type_of(operand)
    if kind == "S":
        return operand_kind == "S" and operand["S"] in value["S"]
    if kind == "B":
        return operand_kind == "B" and decode_binary(operand["B"]) in decode_binary(value["B"])
    if kind == "L":
        return any(equal(element, operand) for element in value["L"])
    if kind in ("SS", "NS") and operand_kind == kind[0]:
        return operand[operand_kind] in value[kind]
    if kind == "BS" and operand_kind == "B":
        wanted = decode_binary(operand["B"])
        return any(decode_binary(member) == wanted for member in value["BS"])
    return False


def _size(value: AttributeValue | None) -> AttributeValue | None:
    if value is None:
        return None
    kind = type_of(value)
    inner = value[kind]
    if kind == "B":
        return {"N": str(len(decode_binary(inner)))}
    if kind in ("S", "SS", "NS", "BS", "L", "M"):
        return {"N": str(len(inner))}
    return None


# --- projections --------------------------------------------------------------------------


def project(item: Item, projection: ast.Projection) -> Item:
    """The parts of ``item`` the resolved projection names, in DynamoDB's shape.

    Nested paths keep their enclosing maps and lists: ``a.b[2].y`` of
    ``{"a": {"b": [1, 2, {"x": 1, "y": 2}]}}`` is ``{"a": {"b": [{"y": 2}]}}``;
    several indexes into one list keep their order (``a[0], a[2]`` -> two
    elements). Paths that lead nowhere add nothing, so an existing item may
    project to ``{}`` (the service returns ``Item: {}`` then).
    """
    paths = projection.paths
    if all(len(path.elements) == 1 for path in paths):
        return {name: item[name] for name in (path.elements[0] for path in paths) if name in item}
    tree: dict[Any, Any] = {}
    for path in paths:
        value = lookup(item, path.elements)
        if value is not None:
            _place(tree, path.elements, value)
    return {name: _render(node) for name, node in tree.items()}


class _Container(dict):  # type: ignore[type-arg]
    """A map or list being rebuilt by :func:`project`: element -> node."""

    def __init__(self, is_list: bool) -> None:
        super().__init__()
        self.is_list = is_list


def _place(tree: dict[Any, Any], elements: tuple[Any, ...], value: AttributeValue) -> None:
    node = tree
    for element, following in itertools.pairwise(elements):
        child = node.get(element)
        if not isinstance(child, _Container):
            child = _Container(is_list=type(following) is int)
            node[element] = child
        node = child
    node[elements[-1]] = value


def _render(node: Any) -> AttributeValue:
    if not isinstance(node, _Container):
        return node  # type: ignore[no-any-return]
    if node.is_list:
        return {"L": [_render(node[index]) for index in sorted(node)]}
    return {"M": {name: _render(child) for name, child in node.items()}}
