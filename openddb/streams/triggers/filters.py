"""Lambda event filtering (Lambda Developer Guide "Control which events Lambda sends to your
function"): ``FilterCriteria.Filters[].Pattern`` is a JSON pattern matched against each
stream record as the event carries it; a record is delivered when any filter matches,
and the others are dropped (and checkpointed past) without calling the function.

A pattern mirrors the record's structure; a leaf is a list of matchers, any of which may
match (a list value in the record matches when any element does)::

    {"eventName": ["INSERT", "MODIFY"],
     "dynamodb": {"NewImage": {"status": {"S": [{"anything-but": ["archived"]}]},
                               "total": {"N": [{"exists": true}]}}}}

Matchers: a string, number, boolean or null (equals); ``{"prefix": s}``,
``{"suffix": s}``, ``{"equals-ignore-case": s}``, ``{"anything-but": [values] or value}``,
``{"numeric": [op, n, (op, n)]}`` (JSON numbers only: DynamoDB ``N`` values are strings),
``{"exists": true|false}``. A top-level ``"$or": [pattern, ...]`` matches when any
sub-pattern does. Patterns are checked when the configuration is loaded.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import orjson

Pattern = dict[str, Any]

# Nesting of a pattern, checked at load: bounds the matcher's recursion.
PATTERN_DEPTH_MAX = 32
_NUMERIC_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_MATCHER_KEYS = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists"}
)
_OR = "$or"


class FilterError(ValueError):
    """A FilterCriteria pattern openddb cannot use (reported when the config is loaded)."""


def parse_filter_criteria(filter_criteria: Any) -> tuple[Pattern, ...]:
    """The patterns of a ``FilterCriteria`` member (each ``Pattern`` is a JSON string)."""
    if not isinstance(filter_criteria, dict) or not isinstance(
        filter_criteria.get("Filters"), list
    ):
        raise FilterError('FilterCriteria must be {"Filters": [{"Pattern": "<json>"}, ...]}')
    patterns = []
    for entry in filter_criteria["Filters"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("Pattern"), str):
            raise FilterError("each filter must be {\"Pattern\": \"<json string>\"}")
        try:
            pattern = orjson.loads(entry["Pattern"])
        except orjson.JSONDecodeError as error:
            raise FilterError(f"filter pattern is not JSON: {error}") from None
        _check_pattern(pattern, 0)
        patterns.append(pattern)
    return tuple(patterns)


def _check_pattern(pattern: Any, depth: int) -> None:
    if depth > PATTERN_DEPTH_MAX:
        raise FilterError(f"filter pattern nests deeper than {PATTERN_DEPTH_MAX}")
    if not isinstance(pattern, dict) or not pattern:
        raise FilterError("a filter pattern (and each nested level) must be a non-empty object")
    for name, value in pattern.items():
        if name == _OR:
            if not isinstance(value, list) or not value:
                raise FilterError('"$or" takes a non-empty list of patterns')
            for alternative in value:
                _check_pattern(alternative, depth + 1)
        elif isinstance(value, dict):
            _check_pattern(value, depth + 1)
        elif isinstance(value, list) and value:
            for matcher in value:
                _check_matcher(matcher)
        else:
            raise FilterError(f"pattern member {name!r} must be an object or a non-empty list")


def _check_matcher(matcher: Any) -> None:
    if not isinstance(matcher, dict):
        return  # a plain value: equality
    if len(matcher) != 1 or next(iter(matcher)) not in _MATCHER_KEYS:
        raise FilterError(f"unknown filter matcher {orjson.dumps(matcher).decode()}")
    kind, argument = next(iter(matcher.items()))
    if kind == "numeric":
        _check_numeric(argument)
    elif kind == "exists" and not isinstance(argument, bool):
        raise FilterError('"exists" takes true or false')
    elif kind in ("prefix", "suffix", "equals-ignore-case") and not isinstance(argument, str):
        raise FilterError(f'"{kind}" takes a string')


def _check_numeric(argument: Any) -> None:
    if not isinstance(argument, list) or len(argument) not in (2, 4):
        raise FilterError('"numeric" takes [op, n] or [op, n, op, n]')
    for index in range(0, len(argument), 2):
        op, bound = argument[index], argument[index + 1]
        if op not in _NUMERIC_OPERATORS or isinstance(bound, bool) or not isinstance(
            bound, int | float
        ):
            raise FilterError(f'"numeric" comparison {op!r} {bound!r} is not valid')


def matches_any(patterns: tuple[Pattern, ...], record: dict[str, Any]) -> bool:
    """Whether ``record`` passes the filter criteria (no patterns: every record does)."""
    return not patterns or any(_matches(pattern, record) for pattern in patterns)


_ABSENT = object()


def _matches(pattern: Pattern, value: Any) -> bool:
    if not isinstance(value, dict):
        value = {}
    for name, expected in pattern.items():
        if name == _OR:
            if not any(_matches(alternative, value) for alternative in expected):
                return False
            continue
        actual = value.get(name, _ABSENT)
        if isinstance(expected, dict):
            if not _matches(expected, actual):
                return False
        elif not any(_leaf_matches(matcher, actual) for matcher in expected):
            return False
    return True


def _leaf_matches(matcher: Any, actual: Any) -> bool:
    if isinstance(matcher, dict) and "exists" in matcher:
        exists: bool = matcher["exists"]
        return (actual is not _ABSENT) == exists
    if actual is _ABSENT:
        return False
    if isinstance(actual, list):
        return any(_scalar_matches(matcher, element) for element in actual)
    return _scalar_matches(matcher, actual)


def _scalar_matches(matcher: Any, actual: Any) -> bool:
    if not isinstance(matcher, dict):
        return bool(matcher == actual and type(matcher) is type(actual))
    kind, argument = next(iter(matcher.items()))
    if kind == "prefix":
        return isinstance(actual, str) and actual.startswith(argument)
    if kind == "suffix":
        return isinstance(actual, str) and actual.endswith(argument)
    if kind == "equals-ignore-case":
        return isinstance(actual, str) and actual.lower() == argument.lower()
    if kind == "anything-but":
        excluded = argument if isinstance(argument, list) else [argument]
        return not any(actual == value and type(actual) is type(value) for value in excluded)
    assert kind == "numeric", kind
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return False
    comparisons = zip(argument[::2], argument[1::2], strict=True)
    return all(bool(_NUMERIC_OPERATORS[op](actual, bound)) for op, bound in comparisons)
