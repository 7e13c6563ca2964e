"""The lexer and parser: trees, DynamoDB's syntax and static error texts, limits.

Texts marked "live" were captured from the service (behaviours.md section 1.1,
paritysuite/dynamodb-conformance); the rest follow dynalite / Alternator.
"""

from __future__ import annotations

import pytest
from expression_text import JUNK_PIECES, conditions, projections, unparse, updates
from hypothesis import given, settings
from hypothesis import strategies as st

from openddb import errors
from openddb.expressions import ast
from openddb.expressions.parser import parse
from openddb.expressions.tokens import tokenize

C = ast.CONDITION
U = ast.UPDATE
P = ast.PROJECTION


def message(kind: str, text: str) -> str:
    with pytest.raises(errors.ValidationException) as excinfo:
        parse(kind, text)
    assert excinfo.value.message is not None
    return excinfo.value.message


# --- trees --------------------------------------------------------------------------------


def test_condition_tree_and_precedence() -> None:
    tree = parse(C, "a = :x OR NOT b < :y AND attribute_exists(#c.d[2])")
    assert tree == ast.Or(
        (
            ast.Comparison("=", ast.Path(("a",)), ast.ValueRef(":x")),
            ast.And(
                (
                    ast.Not(ast.Comparison("<", ast.Path(("b",)), ast.ValueRef(":y"))),
                    ast.Function("attribute_exists", (ast.Path((ast.NameRef("#c"), "d", 2)),)),
                )
            ),
        )
    )


def test_between_binds_tighter_than_and() -> None:
    tree = parse(C, "b between :lo and :hi and a < b")
    assert isinstance(tree, ast.And)
    assert isinstance(tree.operands[0], ast.Between)


def test_keywords_are_case_insensitive_functions_are_not() -> None:
    assert parse(C, "a < b aNd NoT b < c oR c iN (:x)") == parse(
        C, "a < b AND NOT b < c OR c IN (:x)"
    )
    assert message(C, "BEGINS_WITH(a, :v)") == (
        "Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH"
    )


def test_double_negation_is_dropped() -> None:
    assert parse(C, "NOT NOT NOT NOT a < b") == parse(C, "a < b")


def test_update_tree_keeps_document_order() -> None:
    tree = parse(U, "REMOVE x[1] SET #c = #c + :one, l = list_append(l, :v) ADD s :s")
    assert tree == ast.Update(
        (
            ast.RemoveAction(ast.Path(("x", 1))),
            ast.SetAction(
                ast.Path((ast.NameRef("#c"),)),
                ast.Arithmetic("+", ast.Path((ast.NameRef("#c"),)), ast.ValueRef(":one")),
            ),
            ast.SetAction(
                ast.Path(("l",)),
                ast.Function("list_append", (ast.Path(("l",)), ast.ValueRef(":v"))),
            ),
            ast.AddAction(ast.Path(("s",)), ast.ValueRef(":s")),
        )
    )


def test_whitespace_and_section_case() -> None:
    assert parse(U, "  sEt   b=:v  ") == parse(U, "SET b = :v")
    assert parse(U, "SET b = (a + :v)") == parse(U, "SET b = a + :v")


def test_tokens_keep_spans() -> None:
    tokens = tokenize("a[1] <> :v")
    assert [(t.kind, t.text, t.start) for t in tokens] == [
        ("NAME", "a", 0),
        ("PUNCT", "[", 1),
        ("NUMBER", "1", 2),
        ("PUNCT", "]", 3),
        ("PUNCT", "<>", 5),
        ("VALUE_REF", ":v", 8),
        ("EOF", "<EOF>", 10),
    ]


# --- syntax errors ----------------------------------------------------------------------

SYNTAX = [
    # live captures
    (U, "ADD hits : incr", ":", "hits : incr"),
    (U, "SET a = :a, #, b = :b", "#", ", #,"),
    (U, "SET fields.string = :v", "string", ".string ="),
    (C, "attribute_exists([1])", "[", "([1"),
    (U, "INVALID SYNTAX HERE", "INVALID", "INVALID SYNTAX"),
    # Alternator's comments on AWS answers
    (U, "SET _123 = :val1", "_", "SET _123"),
    (U, "SET a = :v,", "<EOF>", ","),
    (C, "p=:p AND c!=:c", "!", "c!="),
    (C, "a IN ()", ")", "()"),
    (U, "SET a[:x] = :v", ":x", "[:x]"),
    (U, "SET a[#x] = :v", "#x", "[#x]"),
    (U, "SET a = :v + :w + :x", "+", ":w + :x"),
    (U, "SET c = if_not_exists(c, :a+:b)", "+", ":a+:b"),
    (U, "SET :a = :b", ":a", "SET :a ="),
    (U, "SET # = :v", "#", "SET # ="),
    (C, "a", "<EOF>", "a"),
    (C, "a = 5", "5", "= 5"),
    (C, "a = :v AND", "<EOF>", "AND"),
    (C, "and = :v", "and", "and ="),
    (U, "SET add = :v", "add", "SET add ="),
    (P, "a,", "<EOF>", ","),
    (P, ",a", ",", ",a"),
    (P, "a,,b", ",", ",,b"),
    (C, "   ", "<EOF>", ""),
]


@pytest.mark.parametrize("kind,text,token,near", SYNTAX, ids=[case[1] for case in SYNTAX])
def test_syntax_errors_name_token_and_context(kind: str, text: str, token: str, near: str) -> None:
    assert message(kind, text) == f'Invalid {kind}: Syntax error; token: "{token}", near: "{near}"'


# --- static errors ------------------------------------------------------------------------

STATIC = [
    (U, "REMOVE year", "Attribute name is a reserved keyword; reserved keyword: year"),
    (U, "SET status = :v", "Attribute name is a reserved keyword; reserved keyword: status"),
    (C, "key = :v", "Attribute name is a reserved keyword; reserved keyword: key"),
    (P, "a, Name", "Attribute name is a reserved keyword; reserved keyword: Name"),
    (
        U,
        "SET a = :v REMOVE b SET c = :w",
        'The "SET" section can only be used once in an update expression;',
    ),
    (U, "ADD a :v ADD b :w", 'The "ADD" section can only be used once in an update expression;'),
    (U, "SET a = f(b, c, d)", "Invalid function name; function: f"),
    (U, "SET a = size(b)", "Invalid function name; function: size"),
    (
        U,
        "SET a = list_append(list_append(:a, :b), :c)",
        "The function is not allowed to be used this way in an expression; function: list_append",
    ),
    (C, "dog(a) = :v", "Invalid function name; function: dog"),
    (
        C,
        "size(a)",
        "The function is not allowed to be used this way in an expression; function: size",
    ),
    (
        C,
        "attribute_exists(a) < :v",
        "The function is not allowed to be used this way in an expression; "
        "function: attribute_exists",
    ),
    (
        C,
        "if_not_exists(a, a) = :v",
        "The function is not allowed to be used this way in an expression; function: if_not_exists",
    ),
    (
        C,
        "list_append(a, a) = :v",
        "The function is not allowed to be used this way in an expression; function: list_append",
    ),
    # live (paritysuite putItem)
    (C, "((attribute_not_exists(pk)))", "The expression has redundant parentheses;"),
    (C, "((c=:c) AND ((p=:p)))", "The expression has redundant parentheses;"),
    (C, "((a)) = :v", "The expression has redundant parentheses;"),
    # redundant parentheses come before unknown functions (dynalite's order)
    (C, "((dog(a) = :v))", "The expression has redundant parentheses;"),
]


@pytest.mark.parametrize("kind,text,detail", STATIC, ids=[case[1] for case in STATIC])
def test_static_errors(kind: str, text: str, detail: str) -> None:
    assert message(kind, text) == f"Invalid {kind}: {detail}"


def test_one_level_of_parentheses_is_fine() -> None:
    parse(C, "((c=:c) AND (p=:p))")
    parse(C, "(a) = (:v)")
    parse(C, "NOT (a = :v)")


def test_empty_expression() -> None:
    for kind in sorted(ast.KINDS):
        assert message(kind, "") == f"Invalid {kind}: The expression can not be empty;"


# --- limits -------------------------------------------------------------------------------


def test_expression_size_limit_counts_utf8_bytes() -> None:
    exactly = "a" * 4091 + " = :v"
    assert len(exactly) == 4096
    parse(C, exactly)
    assert message(C, "a" * 4093 + " = :v") == (
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
        "expression size: 4098"
    )
    # Two bytes per character: 2049 characters are 4098 bytes.
    assert message(P, "é" * 2049).endswith("expression size: 4098")


def test_operator_limit() -> None:
    parse(C, " AND ".join(["a = :v"] * 150))  # 150 comparisons + 149 ANDs = 299
    over = " AND ".join(["a = :v"] * 151)  # 301
    assert message(C, over) == (
        "Invalid ConditionExpression: The expression contains too many operators; "
        "operator count: 301"
    )
    assert message(C, "NOT " * 301 + "a = :v").endswith("operator count: 301")


def test_in_operand_limit() -> None:
    parse(C, "a IN (" + ", ".join(f":v{i}" for i in range(99)) + ")")
    assert message(C, "a IN (" + ", ".join(f":v{i}" for i in range(100)) + ")") == (
        "Invalid ConditionExpression: The IN operator is provided with too many operands; "
        "number of operands: 101"
    )


def test_document_path_depth_limit() -> None:
    parse(P, "a" + ".b" * 31)
    assert message(P, "a" + ".b" * 32) == (
        "Invalid ProjectionExpression: The document path has too many nesting levels; "
        "nesting levels: 33"
    )
    assert "nesting levels: 33" in message(U, "SET a" + "[0]" * 32 + " = :v")


def test_nesting_depth_limit_refuses_without_recursing_forever() -> None:
    deep = "(" * 2000 + "a = :v" + ")" * 2000
    assert (
        message(C, deep) == "Invalid ConditionExpression: The expression has redundant parentheses;"
    )
    nested_ok = "a = :v"
    for _ in range(60):
        nested_ok = f"b = :v AND ({nested_ok})"
    parse(C, nested_ok)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(conditions)
def test_conditions_round_trip(tree: ast.Condition) -> None:
    assert parse(C, unparse(tree)) == tree


@settings(max_examples=200, deadline=None)
@given(updates())
def test_updates_round_trip(tree: ast.Update) -> None:
    assert parse(U, unparse(tree)) == tree


@settings(max_examples=100, deadline=None)
@given(projections)
def test_projections_round_trip(tree: ast.Projection) -> None:
    assert parse(P, unparse(tree)) == tree


# Junk: pieces of the language glued in any order, with and without spaces.
PIECES = JUNK_PIECES
JUNK = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(sorted(ast.KINDS)), JUNK)
def test_junk_only_ever_raises_validation_exception(kind: str, text: str) -> None:
    try:
        parse(kind, text)
    except errors.ValidationException as error:
        assert error.message is not None
        assert error.message.startswith(f"Invalid {kind}: ")
