"""WHERE and SET clauses -> expression-language text with ``#name`` / ``:value`` maps.

A PartiQL condition means what the same ConditionExpression means (live: paritysuite
comparison, "agrees with the same predicate as a ConditionExpression"), so a WHERE
clause is written out as expression text over placeholders and goes through the one
expression pipeline (``expressions/resolve.py``, ``evaluate.py``, ``update.py``)::

    WHERE "Year" > 2000 AND begins_with(Title, 'The') AND Tags IS NOT MISSING
    ->  (#n0 > :v0 AND begins_with(#n1, :v1) AND attribute_exists(#n2))
        {"#n0": "Year", "#n1": "Title", "#n2": "Tags"}, {":v0": {"N": "2000"}, ...}

    PartiQL                         expression language
    x IS [NOT] MISSING              attribute_[not_]exists(x)
    x IS [NOT] NULL / BOOLEAN ...   [NOT] attribute_type(x, 'NULL' / 'BOOL' ...)
    f(...) = TRUE / f(...) <> TRUE  f(...) / NOT f(...)
    x != y                          x <> y
    x NOT IN [..], NOT BETWEEN      NOT (x IN (..)), NOT (x BETWEEN ..)
    SET x = set_add(x, <<..>>)      ADD x :v        (set_delete: DELETE x :v)

Every name goes through a placeholder, so reserved words and any characters are safe.
Errors of the expression pipeline are answered without their ``Invalid <Kind>: ``
prefix, as PartiQL answers them (live: "Operator or function requires a document path;
operator or function: attribute_exists").
"""

from __future__ import annotations

from typing import Any

from openddb import errors
from openddb.expressions import ast as expression_ast
from openddb.expressions import resolve
from openddb.expressions.resolve import FUNCTION_ARITY
from openddb.partiql import ast
from openddb.partiql.values import Binder

CONDITION_FUNCTIONS = frozenset(
    {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"}
)
# What ``x IS <type>`` tests (DynamoDB Local's list of supported IS types).
IS_TYPES = {
    "NULL": "NULL",
    "BOOL": "BOOL",
    "BOOLEAN": "BOOL",
    "STRING": "S",
    "BLOB": "B",
    "NUMERIC": "N",
    "STRUCT": "M",
    "TUPLE": "M",
    "LIST": "L",
}
SET_FUNCTIONS = {"set_add": "ADD", "set_delete": "DELETE"}


class Placeholders:
    """The ``#n`` / ``:v`` maps an expression text is written against."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.names: dict[str, str] = {}
        self.values: dict[str, dict[str, Any]] = {}
        self._keys: dict[str, str] = {}

    def name(self, attribute: str) -> str:
        key = self._keys.get(attribute)
        if key is None:
            key = f"#{self.prefix}n{len(self._keys)}"
            self._keys[attribute] = key
            self.names[key] = attribute
        return key

    def value(self, value: dict[str, Any]) -> str:
        key = f":{self.prefix}v{len(self.values)}"
        self.values[key] = value
        return key

    def path(self, path: ast.Path) -> str:
        text = ""
        for element in path.elements:
            if type(element) is int:
                text += f"[{element}]"
            else:
                assert type(element) is str
                text += ("." if text else "") + self.name(element)
        return text

    def members(self) -> dict[str, Any]:
        """``ExpressionAttributeNames`` / ``ExpressionAttributeValues`` (when not empty)."""
        members: dict[str, Any] = {}
        if self.names:
            members["ExpressionAttributeNames"] = self.names
        if self.values:
            members["ExpressionAttributeValues"] = self.values
        return members

    def resolver(self) -> resolve.Placeholders:
        return resolve.Placeholders(dict(self.names), dict(self.values))


def checked_condition(kind: str, text: str, placeholders: Placeholders) -> expression_ast.Condition:
    """Parse and resolve ``text``; the pipeline's errors in PartiQL's words."""
    try:
        return resolve.condition(kind, text, placeholders.resolver())
    except errors.ValidationException as error:
        raise errors.partiql_expression(error, kind) from None


def checked_update(text: str, placeholders: Placeholders) -> expression_ast.Update:
    try:
        return resolve.update(text, placeholders.resolver())
    except errors.ValidationException as error:
        raise errors.partiql_expression(error, expression_ast.UPDATE) from None


class ConditionWriter:
    """Writes WHERE conditions as expression text (see the module docstring)."""

    def __init__(self, binder: Binder, placeholders: Placeholders, kind: str) -> None:
        self.binder = binder
        self.placeholders = placeholders
        self.kind = kind

    def condition(self, node: ast.Expression) -> str:
        kind = type(node)
        if kind is ast.And or kind is ast.Or:
            assert isinstance(node, (ast.And, ast.Or))
            joiner = " AND " if kind is ast.And else " OR "
            return "(" + joiner.join(self.condition(operand) for operand in node.operands) + ")"
        if kind is ast.Not:
            assert isinstance(node, ast.Not)
            return f"(NOT {self.condition(node.operand)})"
        if kind is ast.Comparison:
            assert isinstance(node, ast.Comparison)
            return self.comparison(node)
        if kind is ast.Between:
            assert isinstance(node, ast.Between)
            text = (
                f"{self.operand(node.operand)} BETWEEN {self.operand(node.lower)} "
                f"AND {self.operand(node.upper)}"
            )
            return f"(NOT ({text}))" if node.negated else text
        if kind is ast.In:
            assert isinstance(node, ast.In)
            return self.in_list(node)
        if kind is ast.Is:
            assert isinstance(node, ast.Is)
            return self.is_test(node)
        if kind is ast.Call:
            assert isinstance(node, ast.Call)
            return self.function(node, boolean=True)
        if kind is ast.Like or kind is ast.Arithmetic:
            raise errors.partiql_condition_operator(_operator_name(node))
        raise errors.partiql_where_not_condition()

    def comparison(self, node: ast.Comparison) -> str:
        operator = "<>" if node.operator == "!=" else node.operator
        left, right = node.left, node.right
        if isinstance(left, ast.MissingLiteral) or isinstance(right, ast.MissingLiteral):
            raise errors.partiql_missing_compared()
        if isinstance(right, ast.Call) and isinstance(left, ast.BooleanLiteral):
            left, right = right, left
        if (
            operator in ("=", "<>")
            and isinstance(left, ast.Call)
            and left.name in CONDITION_FUNCTIONS
            and isinstance(right, ast.BooleanLiteral)
        ):
            function = self.function(left, boolean=True)
            holds = right.value == (operator == "=")
            return function if holds else f"(NOT {function})"
        return f"{self.operand(left)} {operator} {self.operand(right)}"

    def in_list(self, node: ast.In) -> str:
        if not isinstance(node.operand, ast.Path):
            raise errors.partiql_in_operator()
        candidates: list[str]
        if isinstance(node.candidates, ast.Parameter):
            value = self.binder.parameter(node.candidates)
            if "L" not in value or not value["L"]:
                raise errors.partiql_in_operator()
            candidates = [self.placeholders.value(member) for member in value["L"]]
        else:
            if not node.candidates:
                raise errors.partiql_in_operator()
            candidates = [self.operand(candidate) for candidate in node.candidates]
        text = f"{self.operand(node.operand)} IN ({', '.join(candidates)})"
        return f"(NOT ({text}))" if node.negated else text

    def is_test(self, node: ast.Is) -> str:
        if not isinstance(node.operand, ast.Path):
            raise errors.partiql_is_operand()
        path = self.placeholders.path(node.operand)
        if node.type_name == "MISSING":
            function = "attribute_exists" if node.negated else "attribute_not_exists"
            return f"{function}({path})"
        type_code = IS_TYPES.get(node.type_name)
        if type_code is None:
            raise errors.partiql_is_type(node.type_name)
        text = f"attribute_type({path}, {self.placeholders.value({'S': type_code})})"
        return f"(NOT {text})" if node.negated else text

    def function(self, node: ast.Call, boolean: bool) -> str:
        """A condition function (``boolean``) or ``size`` as an operand."""
        known = node.name in CONDITION_FUNCTIONS or node.name == "size"
        if not known:
            raise errors.partiql_at(errors.partiql_unrecognized_function(node.name), node.token.at)
        if (node.name == "size") == boolean:
            if boolean:
                raise errors.partiql_where_not_condition()
            raise errors.partiql_expression(
                errors.expression_function_misused(self.kind, node.name), self.kind
            )
        if len(node.arguments) != FUNCTION_ARITY[node.name]:
            raise errors.partiql_expression(
                errors.expression_operand_count(self.kind, node.name, len(node.arguments)),
                self.kind,
            )
        arguments = ", ".join(self.operand(argument) for argument in node.arguments)
        return f"{node.name}({arguments})"

    def operand(self, node: ast.Expression) -> str:
        if isinstance(node, ast.Path):
            return self.placeholders.path(node)
        if isinstance(node, ast.Call):
            return self.function(node, boolean=False)
        if isinstance(node, ast.MissingLiteral):
            raise errors.partiql_missing_compared()
        if isinstance(node, (*ast.LITERALS, ast.Parameter, ast.ListValue, ast.TupleValue)):
            return self.placeholders.value(self.binder.value(node))
        if isinstance(node, ast.BagValue):
            return self.placeholders.value(self.binder.value(node))
        raise errors.partiql_condition_operator(_operator_name(node))


class UpdateWriter:
    """Writes SET / REMOVE clauses as an UpdateExpression."""

    def __init__(self, binder: Binder, placeholders: Placeholders) -> None:
        self.binder = binder
        self.placeholders = placeholders
        self.sections: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}

    def text(self, clauses: tuple[ast.Assignment | ast.Removal, ...]) -> str:
        for clause in clauses:
            if isinstance(clause, ast.Removal):
                self.sections["REMOVE"].append(self.placeholders.path(clause.path))
            else:
                self.assignment(clause)
        return " ".join(
            f"{section} {', '.join(actions)}"
            for section, actions in self.sections.items()
            if actions
        )

    def assignment(self, clause: ast.Assignment) -> None:
        target = self.placeholders.path(clause.path)
        value = clause.value
        if isinstance(value, ast.Call) and value.name in SET_FUNCTIONS:
            section = SET_FUNCTIONS[value.name]
            self.sections[section].append(f"{target} {self.set_function(clause.path, value)}")
            return
        self.sections["SET"].append(f"{target} = {self.set_value(value)}")

    def set_function(self, target: ast.Path, node: ast.Call) -> str:
        """``set_add(x, <<..>>)`` / ``set_delete``: checked as DynamoDB checks them (live)."""
        function = node.name.upper()
        if len(node.arguments) != 2:
            raise errors.partiql_at(errors.partiql_set_function_arguments(function), node.token.at)
        first, second = node.arguments
        if first != target:
            raise errors.partiql_at(errors.partiql_set_function_target(function), node.token.at)
        value_error = errors.partiql_at(errors.partiql_set_function_value(function), first.token.at)
        if not isinstance(second, (ast.BagValue, ast.Parameter)):
            raise value_error
        value = self.binder.value(second)
        if next(iter(value)) not in ("SS", "NS", "BS"):
            raise value_error
        return self.placeholders.value(value)

    def set_value(self, node: ast.Expression) -> str:
        if isinstance(node, ast.Arithmetic) and node.left is not None:
            if node.operator not in ("+", "-"):
                raise errors.partiql_update_operator(node.operator)
            return f"{self.operand(node.left)} {node.operator} {self.operand(node.right)}"
        return self.operand(node)

    def operand(self, node: ast.Expression) -> str:
        if isinstance(node, ast.Path):
            return self.placeholders.path(node)
        if isinstance(node, ast.Call):
            if node.name != "list_append":
                raise errors.partiql_at(
                    errors.partiql_unrecognized_function(node.name), node.token.at
                )
            if len(node.arguments) != FUNCTION_ARITY["list_append"]:
                raise errors.partiql_expression(
                    errors.expression_operand_count(
                        expression_ast.UPDATE, node.name, len(node.arguments)
                    ),
                    expression_ast.UPDATE,
                )
            arguments = ", ".join(self.operand(argument) for argument in node.arguments)
            return f"list_append({arguments})"
        if isinstance(node, ast.Is):
            raise errors.partiql_is_in_update()
        if isinstance(node, (*ast.LITERALS, ast.Parameter, ast.ListValue, ast.TupleValue)):
            return self.placeholders.value(self.binder.value(node))
        if isinstance(node, ast.BagValue):
            return self.placeholders.value(self.binder.value(node))
        if isinstance(node, ast.MissingLiteral):
            raise errors.partiql_missing_compared()
        raise errors.partiql_update_operator(_operator_name(node))


def _operator_name(node: ast.Expression) -> str:
    if isinstance(node, (ast.Arithmetic, ast.Comparison)):
        return node.operator
    if isinstance(node, ast.Like):
        return "LIKE"
    return type(node).__name__.upper()
