"""The PartiQL lexer and parser: statement trees, and DynamoDB's texts for what they refuse.

Texts marked live are the service's (paritysuite/dynamodb-conformance partiqlGrammar and
partiqlFunctions, behaviours.md section 8); the rest follow DynamoDB Local (errors.py).
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openddb import errors
from openddb.partiql import ast
from openddb.partiql.parser import parse
from openddb.partiql.tokens import IDENTIFIER, KEYWORD, NUMBER, QUOTED, STRING, tokenize

NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "
LEFTOVER = NOT_WELL_FORMED + "Unexpected token after expression"
T = '"Music"'


def refusal(text: str) -> str:
    with pytest.raises(errors.ValidationException) as caught:
        parse(text)
    message = caught.value.message
    assert message is not None
    return message


# --- tokens -----------------------------------------------------------------------------


def test_tokens_carry_kind_value_and_position() -> None:
    tokens = tokenize('SELECT "a ""b"" c"\n  FROM it')
    assert [(t.kind, t.value) for t in tokens[:3]] == [
        (KEYWORD, "SELECT"),
        (QUOTED, 'a "b" c'),
        (KEYWORD, "FROM"),
    ]
    assert (tokens[2].line, tokens[2].column, tokens[2].length) == (2, 3, 4)
    assert tokens[3].kind == IDENTIFIER and tokens[3].value == "it"


def test_strings_numbers_and_comments() -> None:
    tokens = tokenize("'it''s' -- note\n .5e3 /* block\n comment */ 7")
    assert [(t.kind, t.value) for t in tokens[:3]] == [
        (STRING, "it's"),
        (NUMBER, ".5e3"),
        (NUMBER, "7"),
    ]


def test_keywords_ignore_case_and_names_keep_it() -> None:
    tokens = tokenize("select Select sElEcT Artist")
    assert [t.value for t in tokens[:4]] == ["SELECT", "SELECT", "SELECT", "Artist"]


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * FROM {T} WHERE pk = 1 # note",  # live
        f"SELECT * FROM {T} WHERE pk = 1 /* note",  # live
        f"SELECT * FROM {T} WHERE pk = 1e2147483648",  # live
        f"SELECT * FROM {T} WHERE pk = 1e99999999999",  # live
        f"SELECT * FROM {T} WHERE pk = 1.5e-2147483647",  # live
        f"SELECT * FROM {T} WHERE pk = 'open",
        'SELECT * FROM "open',
        f"SELECT * FROM {T} WHERE pk = `ion`",
    ],
)
def test_unreadable_text_has_nothing_after_the_colon(text: str) -> None:
    assert refusal(text) == NOT_WELL_FORMED


# --- live texts of the parser ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        (f"SELECT * FROM {T} WHERE pk = 1 foo", "Unexpected token after expression"),
        (f"SELECT * FROM {T} WHERE pk = 1 e5", "Unexpected token after expression"),
        (f"INSERT INTO {T} VALUE {{'pk': 1}} foo", "Unexpected token after expression"),
        (f"UPDATE {T} SET a = 9 WHERE pk = 1 foo", "Unexpected token after expression"),
        (f"DELETE FROM {T} WHERE pk = 1 foo", "Unexpected token after expression"),
        (f"SELECT * FROM {T} WHERE pk = 1)", "Unexpected token after expression"),
        (f"DELETE FROM {T} WHERE pk = 1 ORDER BY pk", "Unexpected token after expression"),
        (f"SELECT * FROM {T} ORDER BY pk WHERE pk = 1", "Unexpected token after expression"),
        (f"INSERT INTO {T} t VALUE {{'pk': 'x'}}", "Unexpected token after expression"),
        (f"SELECT * FROM {T} WHERE", "Unexpected term"),
        (f"SELECT * FROM {T} WHERE;", "Unexpected term"),
        (f"SELECT * FROM {T} WHERE   ", "Unexpected term"),
        (f"SELECT pk FROM {T} WHERE", "Unexpected term"),
        (f"UPDATE {T} SET a = 1 WHERE", "Unexpected term"),
        (f"DELETE FROM {T} WHERE", "Unexpected term"),
        (f"SELECT * FROM {T} WHERE NOT", "Unexpected term"),
        (f"SELECT * FROM {T} WHERE (", "Unexpected term"),
        ("SELECT * FROM", "Unexpected term"),
        (
            f"SELECT * FROM {T} WHERE pk = 'p1' AND",
            "Missing right-hand side expression of infix operator",
        ),
        (
            f"SELECT * FROM {T} WHERE pk = 'p1' OR",
            "Missing right-hand side expression of infix operator",
        ),
        (f"SELECT * FROM {T} WHERE ORDER BY pk", "Unexpected keyword"),
        (f"SELECT * FROM {T} WHERE pk = 'a' AND x IS FOO", "Expected type name"),
        (f"SELECT * FROM {T} WHERE IS NULL", "Unexpected operator"),
        (f"SELECT * FROM {T} WHERE pk = LIKE", "Unexpected operator"),
        ("DELETE FROM", "Expected identifier for simple path"),
        ("DELETE FROM   ", "Expected identifier for simple path"),
        ("DELETE FROM;", "Expected identifier for simple path"),
        ("DELETE FROM WHERE pk = 'a'", "Expected identifier for simple path"),
        (f"SELECT * FROM {T} WHERE attribute_exists(m.inner)", "Invalid path dot component"),
        ("INSERT INTO t (a, b) VALUES (1, 2)", "Unexpected keyword"),  # behaviours.md 8
    ],
)
def test_syntax_errors_answer_the_services_details(text: str, detail: str) -> None:
    assert refusal(text) == NOT_WELL_FORMED + detail


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"SELECT * FROM {T} t WHERE pk = 'x'", "Aliasing is not supported"),
        (f"SELECT * FROM {T} AS t WHERE pk = 'x'", "Aliasing is not supported"),
        (f"UPDATE {T} t SET a = 3 WHERE pk = 'x'", "Aliasing is not supported"),
        (f"DELETE FROM {T} t WHERE pk = 'x'", "Aliasing is not supported"),
        (
            f'SELECT * FROM {T}."i"."x" WHERE pk = 1',
            "A path may contain at most 2 components in the FROM clause",
        ),
        (f'SELECT * FROM {T}."" WHERE pk = 1', "Path component cannot be an empty string"),
        ('SELECT * FROM "" WHERE pk = 1', "Path component cannot be an empty string"),
        (
            f"SELECT attribute_exists(ss) FROM {T} WHERE pk = 1",
            "Unexpected path component at 1:8:16",
        ),
        (
            f"DELETE FROM {T} WHERE pk = 'x' RETURNING MODIFIED OLD *",
            "Invalid returning clause: RETURNING MODIFIED OLD *. "
            "Only RETURNING ALL OLD * is allowed in DELETE statements.",
        ),
        (
            f"DELETE FROM {T} WHERE pk = 'x' RETURNING ALL NEW *",
            "Invalid returning clause: RETURNING ALL NEW *. "
            "Only RETURNING ALL OLD * is allowed in DELETE statements.",
        ),
    ],
)
def test_refusals_with_their_own_texts(text: str, message: str) -> None:
    assert refusal(text) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f"SELECT *, a FROM {T}",
            "Other attributes should not be present in the projection when '*' is used.",
        ),
        (f"SELECT VALUE a FROM {T}", "Select projection doesn't support value or pivot keywords"),
        (f'SELECT * FROM {T}, "Other"', "Only select from a single table or index is supported."),
        (f"SELECT * FROM {T} WHERE pk = 1 LIMIT 3", "Unsupported clause: LIMIT"),
        (f'INSERT INTO {T}."i" VALUE {{}}', "This operation is not supported on an index"),
        (
            f"INSERT INTO {T} VALUE 1",
            "Unsupported format in item expression. Please use struct format {...} to express "
            "item values for insert statement.",
        ),
        (
            f"INSERT INTO {T} VALUE {{'a': 1}} RETURNING ALL OLD *",
            "RETURNING is not supported in INSERT",
        ),
        (
            f"UPDATE {T} SET a = 1 WHERE pk = 1 RETURNING ALL *",
            "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
        ),
        (
            f"SELECT * FROM {T} WHERE a[*] = 1",
            "Wildcard path component like a[*].b are not supported",
        ),
        (f"SELECT * FROM {T} WHERE a.* = 1", "Unpivot path component like a.*.b are not supported"),
        (
            f"SELECT * FROM {T} WHERE a[-1] = 1",
            "List index is not within the allowable range; index: [-1]",
        ),
    ],
)
def test_refusals_following_dynamodb_local(text: str, message: str) -> None:
    assert refusal(text) == message


def test_nesting_is_bounded() -> None:
    deep = "(" * 500 + "1" + ")" * 500
    assert refusal(f"SELECT * FROM {T} WHERE a = {deep}") == NOT_WELL_FORMED


# --- trees -------------------------------------------------------------------------------


def test_select_tree() -> None:
    parsed = parse(
        'SELECT a.b[1], "c d" FROM "T"."I" WHERE a BETWEEN 1 AND ? '
        "AND NOT b IN [1, ?] ORDER BY sk DESC;"
    )
    select = parsed.statement
    assert isinstance(select, ast.Select)
    assert parsed.parameter_count == 2
    assert select.projection is not None
    assert [path.elements for path in select.projection] == [("a", "b", 1), ("c d",)]
    assert (select.table, select.index) == ("T", "I")
    assert [(item.path.elements, item.descending) for item in select.order_by] == [(("sk",), True)]
    assert isinstance(select.where, ast.And)
    between, negated = select.where.operands
    assert isinstance(between, ast.Between)
    assert isinstance(negated, ast.Not) and isinstance(negated.operand, ast.In)


def test_update_tree_keeps_clauses_in_order() -> None:
    parsed = parse(
        "UPDATE \"T\" SET a = a + 1, b = ? REMOVE c[2] SET d = set_add(d, <<'x'>>) "
        "WHERE pk = ? RETURNING MODIFIED NEW *"
    )
    update = parsed.statement
    assert isinstance(update, ast.Update)
    kinds = [type(clause).__name__ for clause in update.clauses]
    assert kinds == ["Assignment", "Assignment", "Removal", "Assignment"]
    assert update.returning == "MODIFIED NEW"
    assert parsed.parameter_count == 2


def test_numbers_fold_their_sign() -> None:
    select = parse("SELECT * FROM T WHERE pk = -.73e1 OR pk = - - 2").statement
    assert isinstance(select, ast.Select) and isinstance(select.where, ast.Or)
    texts = [operand.right.text for operand in select.where.operands]  # type: ignore[union-attr]
    assert texts == ["-.73e1", "2"]


def test_exists_and_bare_expressions() -> None:
    exists = parse("EXISTS(SELECT * FROM T WHERE pk = 1 AND a = 2)").statement
    assert isinstance(exists, ast.Exists) and exists.select.table == "T"
    assert parse("1").statement == ast.Unsupported("Lit")
    assert parse("a = 1").statement == ast.Unsupported("Eq")
    assert parse("x IS INT4").statement == ast.Unsupported("IsType")  # live (the handler's text)
    assert parse("x IS DOUBLE PRECISION").statement == ast.Unsupported("IsType")


# --- never anything but a ValidationException ----------------------------------------------

FRAGMENTS = [
    *"SELCTFROMWHEIN *,.()[]{}<>=!?'\"-+/%|;:0123456789e_ab\n",
    *["SELECT ", " FROM ", ' "T" ', " WHERE ", " AND ", " OR ", " NOT ", "<<", ">>", " IS "],
    *[" MISSING", " IN ", " BETWEEN ", " SET ", " REMOVE ", " VALUE ", "'x'", "UPDATE "],
    *["INSERT INTO ", "DELETE ", " RETURNING ", "EXISTS(", "set_add(", " ORDER BY "],
]
statement_text = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(text=statement_text)
def test_junk_never_raises_anything_but_validation(text: str) -> None:
    with contextlib.suppress(errors.ValidationException):
        parse(text)
