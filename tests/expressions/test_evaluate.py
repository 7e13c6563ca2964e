"""Condition semantics and projections over wire items (behaviours.md 1.3)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from openddb.expressions import ast, resolve
from openddb.expressions.evaluate import evaluate, project


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


ITEM: dict[str, Any] = {
    "pk": {"S": "k"},
    "n": {"N": "10"},
    "neg": {"N": "-2.5"},
    "s": {"S": "hello"},
    "cap": {"S": "Hello"},
    "b": {"B": b64(b"\x7f\x01")},
    "high": {"B": b64(b"\x80")},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b64(b"x"), b64(b"\xff")]},
    "l": {"L": [{"N": "1"}, {"S": "two"}, {"M": {"x": {"N": "3"}}}]},
    "m": {"M": {"a": {"S": "x"}, "deep": {"L": [{"BOOL": True}]}}},
    "t": {"BOOL": True},
    "nul": {"NULL": True},
    "blank": {"S": ""},
    "greek": {"S": "αβγ"},
}

VALUES: dict[str, Any] = {
    ":10": {"N": "10"},
    ":ten": {"N": "10"},
    ":9": {"N": "9"},
    ":11": {"N": "11"},
    ":s10": {"S": "10"},
    ":hello": {"S": "hello"},
    ":he": {"S": "he"},
    ":ell": {"S": "ell"},
    ":A": {"S": "A"},
    ":a": {"S": "a"},
    ":b": {"B": b64(b"\x7f\x01")},
    ":b7f": {"B": b64(b"\x7f")},
    ":b80": {"B": b64(b"\x80")},
    ":x": {"B": b64(b"x")},
    ":ss": {"SS": ["b", "a"]},
    ":ns": {"NS": ["2.5", "1"]},
    ":1": {"N": "1"},
    ":twohalf": {"N": "2.5"},
    ":two": {"S": "two"},
    ":l": {"L": [{"N": "1"}, {"S": "two"}, {"M": {"x": {"N": "3"}}}]},
    ":m3": {"M": {"x": {"N": "3"}}},
    ":true": {"BOOL": True},
    ":null": {"NULL": True},
    ":0": {"N": "0"},
    ":3": {"N": "3"},
    ":5": {"N": "5"},
    ":2": {"N": "2"},
    ":S": {"S": "S"},
    ":M": {"S": "M"},
    ":BS": {"S": "BS"},
    ":NULL": {"S": "NULL"},
    ":empty": {"S": ""},
}

CASES = [
    # equality: same type and content; numbers numerically (canonical text)
    ("n = :10", True),
    ("n = :ten", True),
    ("n = :s10", False),
    ("n <> :s10", True),
    ("ss = :ss", True),
    ("ns = :ns", True),
    ("l = :l", True),
    ("l[2] = :m3", True),
    ("t = :true", True),
    ("nul = :null", True),
    ("b = :b", True),
    # a missing attribute: nothing equals it, everything differs from it
    ("gone = :10", False),
    ("gone <> :10", True),
    ("gone = absent", False),
    ("gone <> absent", True),
    ("gone < :10", False),
    ("gone BETWEEN :9 AND :11", False),
    # ordering: numbers, strings by bytes, binary unsigned
    ("n > :9 AND n < :11 AND n <= :10 AND n >= :10", True),
    ("neg < :0", True),
    ("s > cap", True),
    ("s > :A AND cap < :a", True),
    ("b < :b80 AND b > :b7f", True),
    ("high > :b7f", True),
    ("n < :s10", False),
    ("n > :s10", False),
    ("l > :10", False),
    ("n BETWEEN :9 AND :11", True),
    ("n BETWEEN :10 AND :10", True),
    ("n BETWEEN :11 AND :11", False),
    ("s BETWEEN :he AND :hello", True),
    # IN
    ("n IN (:9, :10)", True),
    ("n IN (:s10, :11)", False),
    ("l IN (:1, :l)", True),
    ("gone IN (:1)", False),
    # functions
    ("attribute_exists(m.deep[0])", True),
    ("attribute_exists(m.deep[1])", False),
    ("attribute_exists(m.a.b)", False),
    ("attribute_not_exists(l[3])", True),
    ("attribute_type(ss, :SS_)", True),
    ("attribute_type(n, :S)", False),
    ("attribute_type(nul, :NULL)", True),
    ("begins_with(s, :he)", True),
    ("begins_with(s, :ell)", False),
    ("begins_with(b, :b7f)", True),
    ("begins_with(n, :he)", False),
    ("begins_with(s, :empty)", True),
    ("contains(s, :ell)", True),
    ("contains(ss, :a)", True),
    ("contains(ns, :twohalf)", True),
    ("contains(ns, :s10)", False),
    ("contains(bs, :x)", True),
    ("contains(b, :b7f)", True),
    ("contains(l, :two)", True),
    ("contains(l, :m3)", True),
    ("contains(l, :3)", False),
    ("contains(m, :a)", False),
    ("contains(n, :1)", False),
    # size: characters, bytes, members
    ("size(s) = :5", True),
    ("size(greek) = :3", True),
    ("size(b) = :2", True),
    ("size(ss) = :2", True),
    ("size(l) = :3", True),
    ("size(m) = :2", True),
    ("size(blank) = :0", True),
    ("size(n) = :2", False),
    ("size(t) = :1", False),
    ("size(gone) = :0", False),
    ("size(s) > size(ss)", True),
    # boolean structure
    ("NOT n = :9", True),
    ("n = :9 OR n = :10 AND s = :hello", True),
    ("(n = :9 OR n = :10) AND s = :he", False),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[case[0] for case in CASES])
def test_condition_semantics(text: str, expected: bool) -> None:
    placeholders = resolve.Placeholders({}, {**VALUES, ":SS_": {"S": "SS"}})
    condition = resolve.condition(ast.CONDITION, text, placeholders)
    assert evaluate(condition, ITEM) is expected


def test_gone_item_is_empty() -> None:
    placeholders = resolve.Placeholders({}, {":v": {"S": "k"}})
    exists = resolve.condition(ast.CONDITION, "attribute_exists(pk)", placeholders)
    differs = resolve.condition(ast.CONDITION, "pk <> :v", placeholders)
    assert not evaluate(exists, {})
    assert evaluate(differs, {})


PROJECTIONS = [
    ("n", {"n": {"N": "10"}}),
    ("n, nothing", {"n": {"N": "10"}}),
    ("nothing", {}),
    ("m.a", {"m": {"M": {"a": {"S": "x"}}}}),
    ("l[2].x", {"l": {"L": [{"M": {"x": {"N": "3"}}}]}}),
    ("l[2], l[0]", {"l": {"L": [{"N": "1"}, {"M": {"x": {"N": "3"}}}]}}),
    ("l[5], m.nothing, m.a.b, n.x, s[0]", {}),
    (
        "m.deep[0], m.a, s",
        {"m": {"M": {"deep": {"L": [{"BOOL": True}]}, "a": {"S": "x"}}}, "s": {"S": "hello"}},
    ),
]


@pytest.mark.parametrize("text,expected", PROJECTIONS, ids=[case[0] for case in PROJECTIONS])
def test_projection_shapes(text: str, expected: dict[str, Any]) -> None:
    projection = resolve.projection(text, resolve.Placeholders({}, {}))
    assert project(ITEM, projection) == expected
