"""Per-request resolution: ``#names`` and ``:values`` substituted, every use recorded.

A request's expressions share one :class:`Placeholders`: the request's
ExpressionAttributeNames / ExpressionAttributeValues after their own checks, and
the keys each expression used. Resolution returns new trees (or the cached node
itself when nothing in it needed substituting) and raises DynamoDB's errors:

- request level, before any expression is parsed (dynalite ``validateExpressionParams``
  and ``validateExpressions``): expression and legacy parameters mixed, names or
  values given without an expression, empty maps, malformed keys, bad values;
- per expression, in document order for conditions (the first problem met wins:
  live, paritysuite queryKeyCondition 2026) -- undefined name or value, operand
  count, a function that needs a path, identical operands, constant operands of a
  type the operator or function cannot take, BETWEEN bounds;
- per UpdateExpression, by category as dynalite reports them: undefined names, then
  values, then overlapping / conflicting paths, then ADD/DELETE operand types, then
  function operands;
- after all expressions of the request: unused names, then unused values.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from openddb import errors, limits
from openddb.expressions import ast, cache
from openddb.expressions.evaluate import compare
from openddb.model.attribute_value import validate_value

_NAME_KEY = re.compile(r"#[A-Za-z0-9_]+")
_VALUE_KEY = re.compile(r":[A-Za-z0-9_]+")

ORDERABLE_TYPES = frozenset({"S", "N", "B"})
ATTRIBUTE_TYPES = frozenset({"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
SET_TYPES = frozenset({"SS", "NS", "BS"})
# attribute_type's second operand when it is not a constant (dynalite, run against AWS).
ANY_TYPE = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
# ADD / DELETE operand errors name types in long form (live captures: LIST, MAP).
LONG_TYPE_NAMES = {
    "S": "STRING",
    "N": "NUMBER",
    "B": "BINARY",
    "NULL": "NULL",
    "BOOL": "BOOLEAN",
    "L": "LIST",
    "M": "MAP",
}
FUNCTION_ARITY = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
    "size": 1,
    "if_not_exists": 2,
    "list_append": 2,
}
PATH_FUNCTIONS = frozenset({"attribute_exists", "attribute_not_exists"})


# The placeholder maps of one request as a hashable key: names in request order and
# the values' JSON (after canonicalisation), or None when too large to be worth keeping.
Signature = tuple[tuple[tuple[str, str], ...], bytes] | None


@dataclass(slots=True)
class Placeholders:
    """A request's placeholder maps and the keys its expressions used."""

    names: dict[str, str]
    values: dict[str, dict[str, Any]]
    used_names: set[str] = field(default_factory=set)
    used_values: set[str] = field(default_factory=set)
    _signature: Signature = None
    _signed: bool = False

    def signature(self) -> Signature:
        if not self._signed:
            self._signed = True
            names = tuple(self.names.items())
            values = orjson.dumps(self.values)
            size = len(values) + sum(len(key) + len(name) for key, name in names)
            if size <= limits.EXPRESSION_RESOLVED_PLACEHOLDERS_BYTES_MAX:
                self._signature = (names, values)
        return self._signature


def check_parameters(
    request: dict[str, Any], expressions: tuple[str, ...], legacy: tuple[str, ...]
) -> None:
    """The first check of every operation that takes expressions (dynalite
    ``validateExpressionParams``): expression and legacy members not mixed, and
    placeholder maps only beside an expression that can use them.

    ``expressions`` are the expression members the operation takes, in the order
    DynamoDB lists them; ``legacy`` the pre-expression members they replace.
    """
    present = [member for member in expressions if request.get(member) is not None]
    if present:
        mixed = [member for member in legacy if request.get(member) is not None]
        if mixed:
            raise errors.expression_and_legacy_mixed(mixed, present)
    if request.get("ExpressionAttributeNames") is not None and not present:
        raise errors.expression_names_without_expression()
    with_values = [member for member in expressions if member != ast.PROJECTION]
    if (
        request.get("ExpressionAttributeValues") is not None
        and with_values
        and not any(member in present for member in with_values)
    ):
        raise errors.expression_values_without_expression(with_values)


def placeholders(request: dict[str, Any]) -> Placeholders:
    """The request's placeholder maps, checked (dynalite ``validateExpressions``): not
    empty, keys well formed and at most 255 bytes, names not empty, values valid
    AttributeValues (numbers canonicalised in place)."""
    names = request.get("ExpressionAttributeNames")
    values = request.get("ExpressionAttributeValues")
    if names is not None:
        _check_names(names)
    if values is not None:
        _check_values(values)
    return Placeholders(names or {}, values or {})


def _check_names(names: dict[str, str]) -> None:
    if not names:
        raise errors.expression_names_empty()
    for key in names:
        size = len(key.encode("utf-8"))
        if size > limits.EXPRESSION_PLACEHOLDER_BYTES_MAX:
            raise errors.expression_name_key_too_long(size)
        if _NAME_KEY.fullmatch(key) is None:
            raise errors.expression_name_key_invalid(key)
    for key, name in names.items():
        if name == "":
            raise errors.expression_name_value_empty(key)


def _check_values(values: dict[str, Any]) -> None:
    if not values:
        raise errors.expression_values_empty()
    for key in values:
        if len(key.encode("utf-8")) > limits.EXPRESSION_PLACEHOLDER_BYTES_MAX:
            raise errors.expression_value_key_too_long()
        if _VALUE_KEY.fullmatch(key) is None:
            raise errors.expression_value_key_invalid(key)
    for key, value in values.items():
        try:
            validate_value(value)
        except errors.ValidationException as error:
            raise errors.expression_value_invalid(str(error.message), key) from None


def check_unused(placeholders: Placeholders) -> None:
    """After every expression of the request is resolved: no name or value left over."""
    unused_names = [key for key in placeholders.names if key not in placeholders.used_names]
    if unused_names:
        raise errors.expression_names_unused(unused_names)
    unused_values = [key for key in placeholders.values if key not in placeholders.used_values]
    if unused_values:
        raise errors.expression_values_unused(unused_values)


# --- the three entry points ------------------------------------------------------------


def condition(kind: str, text: str, placeholders: Placeholders) -> ast.Condition:
    """A Condition-, Filter- or KeyConditionExpression, parsed and resolved."""
    assert kind in ast.CONDITION_KINDS, kind
    return _resolved(kind, text, placeholders)  # type: ignore[return-value]


def update(text: str, placeholders: Placeholders) -> ast.Update:
    tree = _resolved(ast.UPDATE, text, placeholders)
    assert isinstance(tree, ast.Update)
    return tree


def projection(text: str, placeholders: Placeholders) -> ast.Projection:
    tree = _resolved(ast.PROJECTION, text, placeholders)
    assert isinstance(tree, ast.Projection)
    return tree


def _resolved(kind: str, text: str, placeholders: Placeholders) -> ast.Tree:
    """The resolved tree, from the resolution cache when the request's placeholder maps
    are small: a hot UpdateItem then costs two dictionary lookups, not a resolution."""
    signature = placeholders.signature()
    if signature is None:
        return _resolve(kind, text, placeholders)
    tree, used_names, used_values = _resolved_cached(kind, text, *signature)
    placeholders.used_names.update(used_names)
    placeholders.used_values.update(used_values)
    return tree


@functools.lru_cache(maxsize=limits.EXPRESSION_CACHE_ENTRIES_MAX)
def _resolved_cached(
    kind: str, text: str, names: tuple[tuple[str, str], ...], values: bytes
) -> tuple[ast.Tree, frozenset[str], frozenset[str]]:
    """Resolution as a pure function of its key. The maps are rebuilt from the key, so
    the cached tree shares nothing with any request. Errors are raised, not cached."""
    own = Placeholders(dict(names), orjson.loads(values))
    tree = _resolve(kind, text, own)
    return tree, frozenset(own.used_names), frozenset(own.used_values)


def _resolve(kind: str, text: str, placeholders: Placeholders) -> ast.Tree:
    tree = cache.parsed(kind, text)
    if kind == ast.UPDATE:
        assert isinstance(tree, ast.Update)
        return _UpdateResolver(placeholders).update(tree)
    if kind == ast.PROJECTION:
        assert isinstance(tree, ast.Projection)
        paths = tuple(_resolve_path(kind, path, placeholders) for path in tree.paths)
        check_paths(kind, paths)
        return ast.Projection(paths)
    return _ConditionResolver(kind, placeholders).condition(tree)  # type: ignore[arg-type]


# --- shared pieces ---------------------------------------------------------------------


def _resolve_path(kind: str, path: ast.Path, placeholders: Placeholders) -> ast.Path:
    if ast.is_resolved_path(path):
        return path
    elements: list[str | int | ast.NameRef] = []
    for element in path.elements:
        if type(element) is ast.NameRef:
            name = placeholders.names.get(element.name)
            if name is None:
                raise errors.expression_name_undefined(kind, element.name)
            placeholders.used_names.add(element.name)
            elements.append(name)
        else:
            elements.append(element)
    return ast.Path(tuple(elements))


def _resolve_value(kind: str, reference: ast.ValueRef, placeholders: Placeholders) -> ast.Value:
    value = placeholders.values.get(reference.name)
    if value is None:
        raise errors.expression_value_undefined(kind, reference.name)
    placeholders.used_values.add(reference.name)
    return ast.Value(value)


def _type_of(value: dict[str, Any]) -> str:
    return next(iter(value))


def static_type(operand: ast.Operand) -> str | None:
    """The type an operand is known to have before any item is read, or None."""
    if type(operand) is ast.Value:
        return _type_of(operand.value)
    if type(operand) is ast.Function and operand.name == "size":
        return "N"
    return None


def _shown(value: dict[str, Any]) -> str:
    """``{N:5}``: how BETWEEN errors print a constant."""
    type_code = _type_of(value)
    return "{" + f"{type_code}:{value[type_code]}" + "}"


def check_paths(kind: str, paths: tuple[ast.Path, ...]) -> None:
    """Refuse two paths where one contains the other (overlap) or where one indexes a
    list and the other a map at the same place (conflict); overlap reported first."""
    conflict: tuple[ast.Path, ast.Path] | None = None
    earlier_by_head: dict[str | int | ast.NameRef, list[ast.Path]] = {}
    for path in paths:
        earlier_paths = earlier_by_head.setdefault(path.elements[0], [])
        for earlier in earlier_paths:
            relation = _relation(earlier.elements, path.elements)
            if relation == "overlap":
                raise errors.expression_paths_overlap(
                    kind, ast.format_path(earlier.elements), ast.format_path(path.elements)
                )
            if relation == "conflict" and conflict is None:
                conflict = (earlier, path)
        earlier_paths.append(path)
    if conflict is not None:
        raise errors.expression_paths_conflict(
            kind, ast.format_path(conflict[0].elements), ast.format_path(conflict[1].elements)
        )


def _relation(one: tuple[Any, ...], two: tuple[Any, ...]) -> str | None:
    for first, second in zip(one, two, strict=False):
        if (type(first) is int) != (type(second) is int):
            return "conflict"
        if first != second:
            return None
    return "overlap"


# --- conditions -------------------------------------------------------------------------


class _ConditionResolver:
    def __init__(self, kind: str, placeholders: Placeholders) -> None:
        self.kind = kind
        self.placeholders = placeholders

    def condition(self, node: ast.Condition) -> ast.Condition:
        if type(node) is ast.Comparison:
            return self.comparison(node)
        if type(node) is ast.Function:
            return self.function(node)
        if type(node) is ast.And:
            return ast.And(tuple(self.condition(operand) for operand in node.operands))
        if type(node) is ast.Or:
            return ast.Or(tuple(self.condition(operand) for operand in node.operands))
        if type(node) is ast.Not:
            return ast.Not(self.condition(node.operand))
        if type(node) is ast.Between:
            return self.between(node)
        assert type(node) is ast.In, node
        operand = self.operand(node.operand)
        return ast.In(operand, tuple(self.operand(candidate) for candidate in node.candidates))

    def operand(self, node: ast.Operand) -> ast.Operand:
        if type(node) is ast.Path:
            return _resolve_path(self.kind, node, self.placeholders)
        if type(node) is ast.ValueRef:
            return _resolve_value(self.kind, node, self.placeholders)
        if type(node) is ast.Function:
            return self.function(node)
        assert type(node) is ast.Value, node
        return node

    def comparison(self, node: ast.Comparison) -> ast.Comparison:
        left = self.operand(node.left)
        right = self.operand(node.right)
        self.check_distinct(node.operator, (left, right))
        if node.operator in ast.ORDERING_COMPARATORS:
            self.check_orderable(node.operator, left)
            self.check_orderable(node.operator, right)
        if left is node.left and right is node.right:
            return node
        return ast.Comparison(node.operator, left, right)

    def between(self, node: ast.Between) -> ast.Between:
        operand = self.operand(node.operand)
        lower = self.operand(node.lower)
        upper = self.operand(node.upper)
        for each in (operand, lower, upper):
            self.check_orderable("BETWEEN", each)
        if type(lower) is ast.Value and type(upper) is ast.Value:
            if _type_of(lower.value) != _type_of(upper.value):
                raise errors.expression_between_types(
                    self.kind, _shown(lower.value), _shown(upper.value)
                )
            order = compare(lower.value, upper.value)
            if order is not None and order > 0:
                raise errors.expression_between_order(
                    self.kind, _shown(lower.value), _shown(upper.value)
                )
        return ast.Between(operand, lower, upper)

    def function(self, node: ast.Function) -> ast.Function:
        arguments = tuple(self.operand(argument) for argument in node.arguments)
        name = node.name
        if len(arguments) != FUNCTION_ARITY[name]:
            raise errors.expression_operand_count(self.kind, name, len(arguments))
        if name in PATH_FUNCTIONS and type(arguments[0]) is not ast.Path:
            raise errors.expression_path_required(self.kind, name)
        self.check_distinct(name, arguments)
        self.check_function_types(name, arguments)
        if all(new is old for new, old in zip(arguments, node.arguments, strict=True)):
            return node
        return ast.Function(name, arguments)

    def check_distinct(self, name: str, operands: tuple[ast.Operand, ...]) -> None:
        if len(operands) != 2:
            return
        first, second = operands
        if (
            type(first) is ast.Path
            and type(second) is ast.Path
            and first.elements == second.elements
        ):
            raise errors.expression_operands_not_distinct(
                self.kind, name, ast.format_path(first.elements)
            )

    def check_orderable(self, operator: str, operand: ast.Operand) -> None:
        type_code = static_type(operand)
        if type_code is not None and type_code not in ORDERABLE_TYPES:
            raise errors.expression_operand_type(self.kind, operator, type_code)

    def check_function_types(self, name: str, arguments: tuple[ast.Operand, ...]) -> None:
        if name == "begins_with":
            for argument in arguments:
                type_code = static_type(argument)
                if type_code is not None and type_code not in ("S", "B"):
                    raise errors.expression_operand_type(self.kind, name, type_code)
        elif name == "attribute_type":
            kind_operand = arguments[1]
            type_code = static_type(kind_operand)
            if type_code != "S":
                raise errors.expression_operand_type(self.kind, name, type_code or ANY_TYPE)
            assert type(kind_operand) is ast.Value
            if kind_operand.value["S"] not in ATTRIBUTE_TYPES:
                raise errors.expression_attribute_type_unknown(self.kind, kind_operand.value["S"])
        elif name == "size":
            type_code = static_type(arguments[0])
            if type_code in ("N", "BOOL", "NULL"):
                raise errors.expression_operand_type(self.kind, name, type_code)


# --- updates ----------------------------------------------------------------------------


class _UpdateResolver:
    kind = ast.UPDATE

    def __init__(self, placeholders: Placeholders) -> None:
        self.placeholders = placeholders
        self.undefined_name: str | None = None
        self.undefined_value: str | None = None

    def update(self, tree: ast.Update) -> ast.Update:
        actions = tuple(self.action(action) for action in tree.actions)
        if self.undefined_name is not None:
            raise errors.expression_name_undefined(self.kind, self.undefined_name)
        if self.undefined_value is not None:
            raise errors.expression_value_undefined(self.kind, self.undefined_value)
        check_paths(self.kind, tuple(action.path for action in actions))
        for action in actions:
            if type(action) is ast.AddAction or type(action) is ast.DeleteAction:
                self.check_action_operand(action)
        for action in actions:
            if type(action) is ast.SetAction:
                self.check_set_value(action.value)
        return ast.Update(actions)

    def action(self, action: ast.Action) -> ast.Action:
        path = self.path(action.path)
        if type(action) is ast.SetAction:
            return ast.SetAction(path, self.operand(action.value))
        if type(action) is ast.RemoveAction:
            return action if path is action.path else ast.RemoveAction(path)
        assert isinstance(action, (ast.AddAction, ast.DeleteAction))
        value = self.operand(action.value)
        assert type(value) is ast.Value
        if type(action) is ast.AddAction:
            return ast.AddAction(path, value)
        return ast.DeleteAction(path, value)

    def path(self, path: ast.Path) -> ast.Path:
        if ast.is_resolved_path(path):
            return path
        elements: list[str | int | ast.NameRef] = []
        for element in path.elements:
            if type(element) is ast.NameRef:
                name = self.placeholders.names.get(element.name)
                if name is None:
                    self.undefined_name = self.undefined_name or element.name
                    name = element.name
                else:
                    self.placeholders.used_names.add(element.name)
                elements.append(name)
            else:
                elements.append(element)
        return ast.Path(tuple(elements))

    def operand(self, node: ast.Operand) -> ast.Operand:
        if type(node) is ast.Path:
            return self.path(node)
        if type(node) is ast.ValueRef:
            value = self.placeholders.values.get(node.name)
            if value is None:
                self.undefined_value = self.undefined_value or node.name
                return ast.Value({"NULL": True})
            self.placeholders.used_values.add(node.name)
            return ast.Value(value)
        if type(node) is ast.Function:
            return ast.Function(node.name, tuple(self.operand(a) for a in node.arguments))
        if type(node) is ast.Arithmetic:
            return ast.Arithmetic(node.operator, self.operand(node.left), self.operand(node.right))
        assert type(node) is ast.Value, node
        return node

    def check_action_operand(self, action: ast.AddAction | ast.DeleteAction) -> None:
        assert type(action.value) is ast.Value
        type_code = _type_of(action.value.value)
        section = ast.SECTION_OF_ACTION[type(action)]
        allowed = SET_TYPES | {"N"} if section == "ADD" else SET_TYPES
        if type_code not in allowed:
            raise errors.expression_action_operand_type(
                self.kind, section, LONG_TYPE_NAMES[type_code]
            )

    def check_set_value(self, node: ast.Operand) -> None:
        if type(node) is ast.Arithmetic:
            for side in (node.left, node.right):
                type_code = static_type(side)
                if type_code is not None and type_code != "N":
                    raise errors.expression_operand_type(self.kind, node.operator, type_code)
                self.check_set_value(side)
        elif type(node) is ast.Function:
            self.check_update_function(node)

    def check_update_function(self, node: ast.Function) -> None:
        name = node.name
        if len(node.arguments) != FUNCTION_ARITY[name]:
            raise errors.expression_operand_count(self.kind, name, len(node.arguments))
        if name == "if_not_exists" and type(node.arguments[0]) is not ast.Path:
            raise errors.expression_path_required(self.kind, name)
        if name == "list_append":
            for argument in node.arguments:
                type_code = static_type(argument)
                if type_code is not None and type_code != "L":
                    raise errors.expression_operand_type(self.kind, name, type_code)
        for argument in node.arguments:
            self.check_set_value(argument)
