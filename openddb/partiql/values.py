"""Values in a statement: literals and ``?`` parameters -> wire AttributeValues.

PartiQL literal -> DynamoDB type (Developer Guide "PartiQL data types for DynamoDB")::

    'text'            S         1, -1.5, .5e3    N (canonical text, 38 digits)
    TRUE / FALSE      BOOL      NULL             NULL
    [a, b]            L         {'k': v}         M (keys must be strings)
    <<'a', 'b'>>      SS        <<1, 2>>         NS       (a binary set only through ?)
    ?                 the next member of Parameters, as sent (binary only this way)

A number that breaks DynamoDB's number rules names where it sits: ``under root`` for
the value itself, ``root.x`` / ``root[1]`` inside a map or list (live, paritysuite
partiqlGrammar). Anything else in a value position (a path, a function call) is refused
as "Unsupported data type: <what> under key <where>".
"""

from __future__ import annotations

from typing import Any

from openddb import errors, limits
from openddb.model.attribute_value import validate_value
from openddb.model.number import canonical_number
from openddb.partiql import ast

ROOT = "root"
SET_TYPES = {"S": "SS", "N": "NS", "B": "BS"}
# The type names DynamoDB prints for a non-string tuple key (PartiQL's names).
_LITERAL_TYPE_NAMES = {
    ast.NumberLiteral: "DECIMAL",
    ast.BooleanLiteral: "BOOL",
    ast.NullLiteral: "NULL",
    ast.MissingLiteral: "MISSING",
}


# A parameter's number is read as Java's BigDecimal reads text: an exponent outside 32 bits
# cannot be converted at all (live, paritysuite partiqlParameterNumbers).
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def check_parameter(value: Any, depth: int = 0) -> None:
    """The checks a parameter gets before the usual AttributeValue ones, in document order
    as DynamoDB makes them: nesting deeper than 32 levels, then numbers that cannot be
    converted ("The parameter cannot be converted to a numeric value: 1e99999999999")."""
    if not isinstance(value, dict) or len(value) != 1:
        return  # validate_value words the problem
    ((kind, inner),) = value.items()
    if kind == "N":
        _check_exponent(inner)
    elif kind == "NS" and isinstance(inner, list):
        for member in inner:
            _check_exponent(member)
    elif kind in ("L", "M") and isinstance(inner, (list, dict)):
        if depth + 1 > limits.ATTRIBUTE_NESTING_DEPTH_MAX:
            raise errors.nesting_too_deep()
        members = inner.values() if isinstance(inner, dict) else inner
        for member in members:
            check_parameter(member, depth + 1)


def _check_exponent(text: Any) -> None:
    if not isinstance(text, str):
        return
    _, marker, exponent = text.lower().partition("e")
    if not marker:
        return
    digits = exponent.lstrip("+-")
    if not digits.isdigit():
        return
    too_long = len(digits) > len(str(_INT32_MAX))
    if too_long or not _INT32_MIN <= int(exponent) <= _INT32_MAX:
        raise errors.number_not_numeric(text)


class Binder:
    """Binds the values of one statement to its ``Parameters`` (already validated)."""

    def __init__(self, parameters: list[dict[str, Any]]) -> None:
        self.parameters = parameters

    def parameter(self, node: ast.Parameter) -> dict[str, Any]:
        assert 0 <= node.index < len(self.parameters), node.index
        return self.parameters[node.index]

    def value(self, node: ast.Expression, path: str = ROOT) -> dict[str, Any]:
        """The AttributeValue of a literal, container or parameter (see the module doc)."""
        kind = type(node)
        if kind is ast.StringLiteral:
            assert isinstance(node, ast.StringLiteral)
            return {"S": node.value}
        if kind is ast.NumberLiteral:
            assert isinstance(node, ast.NumberLiteral)
            return {"N": _number(node.text, path)}
        if kind is ast.BooleanLiteral:
            assert isinstance(node, ast.BooleanLiteral)
            return {"BOOL": node.value}
        if kind is ast.NullLiteral:
            return {"NULL": True}
        if kind is ast.Parameter:
            assert isinstance(node, ast.Parameter)
            return self.parameter(node)
        if kind is ast.ListValue:
            assert isinstance(node, ast.ListValue)
            return {"L": [self.value(item, f"{path}[{i}]") for i, item in enumerate(node.items)]}
        if kind is ast.TupleValue:
            assert isinstance(node, ast.TupleValue)
            return {"M": self.members(node, path)}
        if kind is ast.BagValue:
            assert isinstance(node, ast.BagValue)
            return self.bag(node)
        raise errors.partiql_at(
            errors.partiql_unsupported_data_type(_shown(node), path), _token(node).at
        )

    def members(self, node: ast.TupleValue, path: str, item: bool = False) -> dict[str, Any]:
        """The members of ``{...}``: at ``<path>.<key>`` inside a value; each at ``root``
        when ``node`` is the item of an INSERT (live: ``{'pk': 1e126}`` is "under root")."""
        members: dict[str, Any] = {}
        for key_node, value_node in node.entries:
            key = self.key(key_node, path)
            if key in members:
                raise errors.partiql_tuple_duplicate_key(key, path)
            members[key] = self.value(value_node, ROOT if item else f"{path}.{key}")
        return members

    def item(self, node: ast.TupleValue) -> dict[str, Any]:
        """An INSERT item."""
        return self.members(node, ROOT, item=True)

    def key(self, node: ast.Expression, path: str) -> str:
        if isinstance(node, ast.StringLiteral):
            return node.value
        if isinstance(node, ast.Parameter):
            value = self.parameter(node)
            if "S" in value:
                text: str = value["S"]
                return text
            raise errors.partiql_tuple_key_type(next(iter(value)), path)
        type_name = _LITERAL_TYPE_NAMES.get(type(node))
        if type_name is None:
            raise errors.partiql_at(
                errors.partiql_unsupported_data_type(_shown(node), path), _token(node).at
            )
        raise errors.partiql_tuple_key_type(type_name, path)

    def bag(self, node: ast.BagValue) -> dict[str, Any]:
        """``<<...>>``: a set of one scalar type, duplicates refused as DynamoDB does."""
        if not node.items:
            raise errors.partiql_empty_bag()
        members = [self.value(item) for item in node.items]
        kinds = {next(iter(member)) for member in members}
        if len(kinds) != 1 or next(iter(kinds)) not in SET_TYPES:
            raise errors.partiql_bag_types()
        kind = next(iter(kinds))
        value = {SET_TYPES[kind]: [member[kind] for member in members]}
        validate_value(value)
        return value


def _number(text: str, path: str) -> str:
    try:
        return canonical_number(text)
    except errors.ValidationException as error:
        raise errors.partiql_value_under(error, path) from None


def _token(node: ast.Expression) -> Any:
    return node.token


def _shown(node: ast.Expression) -> str:
    """How DynamoDB names a non-value in a value position (live: ``set_add``)."""
    if isinstance(node, ast.Call):
        return node.name
    if isinstance(node, ast.Path):
        return ".".join(str(element) for element in node.elements)
    if isinstance(node, ast.MissingLiteral):
        return "MISSING"
    return type(node).__name__.upper()
