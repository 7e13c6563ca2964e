"""Recursive-descent parser for DynamoDB's PartiQL subset -> statement trees (ast.py).

Grammar (keywords in any case; Developer Guide "PartiQL statements" and
"PartiQL operators")::

    statement  := (select | insert | update | delete | exists | expression) [";"] EOF
    select     := SELECT ("*" | path ("," path)*) FROM source [WHERE expr]
                  [ORDER BY path [ASC|DESC] ("," path [ASC|DESC])*]
    source     := name ["." name]                        "Table" or "Table"."Index"
    insert     := INSERT INTO name VALUE tuple
    update     := UPDATE name (SET path "=" expr ("," path "=" expr)*
                             | REMOVE path ("," path)*)+ [WHERE expr] [returning]
    delete     := DELETE FROM name [WHERE expr] [returning]
    returning  := RETURNING (ALL | MODIFIED) (OLD | NEW) "*"
    exists     := EXISTS "(" select ")"                  (ExecuteTransaction only)

    expr       := or;  or := and (OR and)*;  and := not (AND not)*;  not := NOT* predicate
    predicate  := additive ( comparator additive | IS [NOT] type | [NOT] IN list
                           | [NOT] BETWEEN additive AND additive | [NOT] LIKE additive )*
    additive   := term (("+" | "-" | "||") term)*;  term := unary (("*" | "/" | "%") unary)*
    unary      := ("-" | "+")* primary
    primary    := literal | "?" | "(" expr ")" | "[" list "]" | "{" entries "}"
                | "<<" list ">>" | name "(" [expr ("," expr)*] ")" | path
    path       := name ("." name | "[" (NUMBER | STRING) "]")*
    name       := IDENTIFIER | QUOTED

The texts of syntax errors follow what the PartiQL reference parser answers (live,
paritysuite partiqlGrammar): a term missing -> "Unexpected term" (a keyword there:
"Unexpected keyword", an operator: "Unexpected operator"), nothing after an infix
operator -> "Missing right-hand side expression of infix operator", anything left after
a complete statement -> "Unexpected token after expression".

Recursion is bounded: parentheses, lists, tuples, bags and calls nest at most
``limits.PARTIQL_NESTING_DEPTH_MAX`` deep; AND/OR chains and operator runs are loops.
"""

from __future__ import annotations

from collections.abc import Callable

from openddb import errors, limits
from openddb.partiql import ast
from openddb.partiql.tokens import (
    EOF,
    IDENTIFIER,
    KEYWORD,
    NUMBER,
    PARAMETER,
    PUNCT,
    QUOTED,
    STRING,
    Token,
    tokenize,
)

UNEXPECTED_TERM = "Unexpected term"
UNEXPECTED_KEYWORD = "Unexpected keyword"
UNEXPECTED_OPERATOR = "Unexpected operator"
LEFTOVER = "Unexpected token after expression"
MISSING_RIGHT = "Missing right-hand side expression of infix operator"
EXPECTED_SIMPLE_PATH = "Expected identifier for simple path"
EXPECTED_TYPE = "Expected type name"
INVALID_DOT = "Invalid path dot component"

COMPARATORS = frozenset({"=", "<>", "!=", "<", "<=", ">", ">="})
OPERATOR_KEYWORDS = frozenset({"AND", "OR", "IS", "IN", "BETWEEN", "LIKE"})
OPERATOR_PUNCT = frozenset({"=", "<>", "!=", "<", "<=", ">", ">=", "*", "/", "%", "||"})
# Reserved words that are also function names: ``size(a)``, ``exists(...)``.
FUNCTION_KEYWORDS = frozenset({"SIZE", "EXISTS", "COUNT", "UPPER", "LOWER", "SUBSTRING"})
# Clauses of PartiQL's SELECT that DynamoDB does not run.
UNSUPPORTED_CLAUSES = {"LIMIT": "LIMIT", "OFFSET": "OFFSET", "GROUP": "GROUP BY"}
UNSUPPORTED_CLAUSES["HAVING"] = "HAVING"
# PartiQL type names after IS; two-word ones continue with the second word.
_TYPE_NAMES_TEXT = """
    NULL MISSING BOOL BOOLEAN SMALLINT INT2 INTEGER2 INT4 INTEGER4 INT8 INTEGER8 INT INTEGER
    BIGINT FLOAT REAL DOUBLE DECIMAL NUMERIC TIMESTAMP CHAR CHARACTER VARCHAR STRING SYMBOL
    CLOB BLOB STRUCT TUPLE LIST SEXP BAG DATE TIME ANY
"""
TYPE_NAMES = frozenset(_TYPE_NAMES_TEXT.split())
TWO_WORD_TYPES = {"DOUBLE": "PRECISION", "CHARACTER": "VARYING"}


def parse(text: str) -> ast.Parsed:
    """Parse one statement. Raises ValidationException with DynamoDB's texts."""
    parser = _Parser(tokenize(text))
    statement = parser.statement()
    return ast.Parsed(statement, parser.parameters)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        assert tokens and tokens[-1].kind == EOF
        self.tokens = tokens
        self.position = 0
        self.parameters = 0
        self.depth = 0

    # --- token helpers ---------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.position + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        if token.kind != EOF:
            self.position += 1
        return token

    def accept_keyword(self, *words: str) -> Token | None:
        if self.peek().is_keyword(*words):
            return self.advance()
        return None

    def accept_punct(self, *texts: str) -> Token | None:
        if self.peek().is_punct(*texts):
            return self.advance()
        return None

    def expect_keyword(self, word: str) -> Token:
        token = self.accept_keyword(word)
        if token is None:
            raise _unexpected(self.peek())
        return token

    def expect_punct(self, text: str) -> Token:
        token = self.accept_punct(text)
        if token is None:
            raise _unexpected(self.peek())
        return token

    def end(self) -> None:
        """Only an optional ``;`` may follow a complete statement."""
        self.accept_punct(";")
        if self.peek().kind != EOF:
            raise errors.statement_not_well_formed(LEFTOVER)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > limits.PARTIQL_NESTING_DEPTH_MAX:
            raise errors.statement_not_well_formed("")

    # --- statements ------------------------------------------------------------------------

    def statement(self) -> ast.Statement:
        first = self.peek()
        statement: ast.Statement
        if first.is_keyword("SELECT"):
            statement = self.select()
        elif first.is_keyword("INSERT"):
            statement = self.insert()
        elif first.is_keyword("UPDATE"):
            statement = self.update()
        elif first.is_keyword("DELETE"):
            statement = self.delete()
        elif first.is_keyword("EXISTS") and self.peek(1).is_punct("(") and _is_select(self):
            statement = self.exists()
        else:
            statement = ast.Unsupported(_kind_of(self.expression()))
        self.end()
        return statement

    def select(self) -> ast.Select:
        self.expect_keyword("SELECT")
        if self.peek().is_keyword("VALUE", "PIVOT"):
            raise errors.partiql_select_value_or_pivot()
        if self.peek().is_keyword("DISTINCT", "ALL"):
            raise errors.partiql_unsupported_clause(self.peek().value)
        projection = self.projection()
        self.expect_keyword("FROM")
        table, index = self.source(for_select=True)
        where = self.where()
        order_by = self.order_by()
        clause = self.peek()
        if clause.kind == KEYWORD and clause.value in UNSUPPORTED_CLAUSES:
            raise errors.partiql_unsupported_clause(UNSUPPORTED_CLAUSES[clause.value])
        return ast.Select(projection, table, index, where, order_by)

    def projection(self) -> tuple[ast.Path, ...] | None:
        if self.accept_punct("*"):
            if self.peek().is_punct(","):
                raise errors.partiql_star_with_attributes()
            return None
        paths = [self.projected_path()]
        while self.accept_punct(","):
            if self.peek().is_punct("*"):
                raise errors.partiql_star_with_attributes()
            paths.append(self.projected_path())
        return tuple(paths)

    def projected_path(self) -> ast.Path:
        start = self.peek()
        expression = self.additive()
        if self.peek().is_keyword("AS") or self.peek().kind in (IDENTIFIER, QUOTED):
            raise errors.partiql_aliasing()
        if not isinstance(expression, ast.Path):
            raise errors.partiql_at(errors.partiql_unexpected_path_component(), start.at)
        return expression

    def source(self, for_select: bool) -> tuple[str, str | None]:
        """``"Table"`` or ``"Table"."Index"``, then no alias."""
        table = self.source_name(for_select)
        index = None
        if self.accept_punct("."):
            index = self.source_name(for_select)
            if self.peek().is_punct("."):
                raise errors.partiql_from_path_too_long()
        if self.peek().is_punct(","):
            raise errors.partiql_single_source()
        if self.peek().is_keyword("AS") or self.peek().kind in (IDENTIFIER, QUOTED):
            raise errors.partiql_aliasing()
        return table, index

    def source_name(self, for_select: bool) -> str:
        token = self.peek()
        if token.kind in (IDENTIFIER, QUOTED):
            self.advance()
            if token.value == "":
                raise errors.partiql_empty_path_component()
            return token.value
        if for_select:
            raise _unexpected(token)
        raise errors.statement_not_well_formed(EXPECTED_SIMPLE_PATH)

    def where(self) -> ast.Expression | None:
        if self.accept_keyword("WHERE") is None:
            return None
        return self.expression()

    def order_by(self) -> tuple[ast.OrderBy, ...]:
        if self.accept_keyword("ORDER") is None:
            return ()
        self.expect_keyword("BY")
        items = [self.order_item()]
        while self.accept_punct(","):
            items.append(self.order_item())
        return tuple(items)

    def order_item(self) -> ast.OrderBy:
        path = self.path_or_raise()
        descending = False
        direction = self.accept_keyword("ASC", "DESC")
        if direction is not None:
            descending = direction.value == "DESC"
        return ast.OrderBy(path, descending)

    def path_or_raise(self) -> ast.Path:
        token = self.peek()
        if token.kind not in (IDENTIFIER, QUOTED):
            raise _unexpected(token)
        self.advance()
        return self.path_suffix(token)

    def insert(self) -> ast.Insert:
        self.expect_keyword("INSERT")
        self.expect_keyword("INTO")
        table = self.source_name(for_select=False)
        if self.peek().is_punct("."):
            raise errors.partiql_write_on_index()
        if self.peek().is_punct("("):
            raise errors.statement_not_well_formed(UNEXPECTED_KEYWORD)
        if self.peek().is_keyword("VALUES"):
            raise errors.partiql_insert_many()
        if self.peek().kind in (IDENTIFIER, QUOTED):
            raise errors.statement_not_well_formed(LEFTOVER)
        self.expect_keyword("VALUE")
        item = self.expression()
        if not isinstance(item, ast.TupleValue):
            raise errors.partiql_insert_item_format()
        if self.peek().is_keyword("RETURNING"):
            raise errors.partiql_returning_insert()
        return ast.Insert(table, item)

    def update(self) -> ast.Update:
        self.expect_keyword("UPDATE")
        table = self.source_name(for_select=False)
        if self.peek().is_punct("."):
            raise errors.partiql_write_on_index()
        if self.peek().is_keyword("AS") or self.peek().kind in (IDENTIFIER, QUOTED):
            raise errors.partiql_aliasing()
        clauses: list[ast.Assignment | ast.Removal] = []
        while self.peek().is_keyword("SET", "REMOVE"):
            clauses.extend(self.update_clause())
        if not clauses:
            raise _unexpected(self.peek())
        where = self.where()
        return ast.Update(table, tuple(clauses), where, self.returning())

    def update_clause(self) -> list[ast.Assignment | ast.Removal]:
        keyword = self.advance()
        clauses: list[ast.Assignment | ast.Removal] = []
        while True:
            path = self.path_or_raise()
            if keyword.value == "SET":
                self.expect_punct("=")
                clauses.append(ast.Assignment(path, self.right_operand()))
            else:
                clauses.append(ast.Removal(path))
            if self.accept_punct(",") is None:
                return clauses

    def delete(self) -> ast.Delete:
        self.expect_keyword("DELETE")
        self.expect_keyword("FROM")
        table = self.source_name(for_select=False)
        if self.peek().is_punct("."):
            raise errors.partiql_write_on_index()
        if self.peek().is_keyword("AS") or self.peek().kind in (IDENTIFIER, QUOTED):
            raise errors.partiql_aliasing()
        where = self.where()
        returning = self.returning()
        if returning is not None and returning != "ALL OLD":
            raise errors.partiql_returning_delete(f"{returning} *")
        return ast.Delete(table, where, returning)

    def returning(self) -> str | None:
        if self.accept_keyword("RETURNING") is None:
            return None
        scope = self.accept_keyword("ALL", "MODIFIED")
        image = self.accept_keyword("OLD", "NEW")
        if scope is None or image is None or self.accept_punct("*") is None:
            raise errors.partiql_returning_syntax()
        if self.peek().is_punct(","):
            raise errors.statement_not_well_formed(LEFTOVER)
        return f"{scope.value} {image.value}"

    def exists(self) -> ast.Exists:
        self.expect_keyword("EXISTS")
        self.expect_punct("(")
        select = self.select()
        self.expect_punct(")")
        return ast.Exists(select)

    # --- expressions -----------------------------------------------------------------------

    def expression(self) -> ast.Expression:
        self.enter()
        try:
            return self.disjunction()
        finally:
            self.depth -= 1

    def right_operand(self) -> ast.Expression:
        """The operand after an infix operator: none at all has its own text."""
        if self.peek().kind == EOF or self.peek().is_punct(";"):
            raise errors.statement_not_well_formed(MISSING_RIGHT)
        return self.expression()

    def disjunction(self) -> ast.Expression:
        first = self.peek()
        operands = [self.conjunction()]
        while self.accept_keyword("OR"):
            operands.append(self.infix_right(self.conjunction))
        return operands[0] if len(operands) == 1 else ast.Or(tuple(operands), first)

    def conjunction(self) -> ast.Expression:
        first = self.peek()
        operands = [self.negation()]
        while self.accept_keyword("AND"):
            operands.append(self.infix_right(self.negation))
        return operands[0] if len(operands) == 1 else ast.And(tuple(operands), first)

    def negation(self) -> ast.Expression:
        nots: list[Token] = []
        while self.peek().is_keyword("NOT"):
            nots.append(self.advance())
        expression = self.predicate()
        for token in reversed(nots):
            expression = ast.Not(expression, token)
        return expression

    def infix_right(self, parse: Callable[[], ast.Expression]) -> ast.Expression:
        if self.peek().kind == EOF or self.peek().is_punct(";"):
            raise errors.statement_not_well_formed(MISSING_RIGHT)
        return parse()

    def predicate(self) -> ast.Expression:
        expression = self.additive()
        while True:
            token = self.peek()
            if token.kind == PUNCT and token.value in COMPARATORS:
                self.advance()
                right = self.infix_right(self.additive)
                expression = ast.Comparison(token.value, expression, right, token)
            elif token.is_keyword("IS"):
                expression = self.is_test(expression)
            elif token.is_keyword("NOT") and self.peek(1).is_keyword("IN", "BETWEEN", "LIKE"):
                self.advance()
                expression = self.negatable(expression, negated=True)
            elif token.is_keyword("IN", "BETWEEN", "LIKE"):
                expression = self.negatable(expression, negated=False)
            else:
                return expression

    def negatable(self, operand: ast.Expression, negated: bool) -> ast.Expression:
        token = self.advance()
        if token.value == "IN":
            return ast.In(operand, self.in_candidates(), negated, token)
        if token.value == "BETWEEN":
            lower = self.infix_right(self.additive)
            self.expect_keyword("AND")
            upper = self.infix_right(self.additive)
            return ast.Between(operand, lower, upper, negated, token)
        pattern = self.infix_right(self.additive)
        like: ast.Expression = ast.Like(operand, pattern, token)
        return ast.Not(like, token) if negated else like

    def in_candidates(self) -> tuple[ast.Expression, ...] | ast.Parameter:
        token = self.peek()
        if token.kind == EOF:
            raise errors.statement_not_well_formed(MISSING_RIGHT)
        if token.is_punct("[", "("):
            closing = "]" if token.value == "[" else ")"
            self.advance()
            return self.sequence(closing)
        candidate = self.primary()
        if isinstance(candidate, ast.Parameter):
            return candidate
        return (candidate,)

    def is_test(self, operand: ast.Expression) -> ast.Expression:
        token = self.advance()
        negated = self.accept_keyword("NOT") is not None
        name = self.peek()
        if name.kind not in (KEYWORD, IDENTIFIER) or name.value.upper() not in TYPE_NAMES:
            raise errors.statement_not_well_formed(EXPECTED_TYPE)
        self.advance()
        type_name = name.value.upper()
        second = TWO_WORD_TYPES.get(type_name)
        if second is not None and self.peek().value.upper() == second:
            self.advance()
            type_name = f"{type_name} {second}"
        if self.accept_punct("("):
            self.sequence(")")
        return ast.Is(operand, type_name, negated, token)

    def additive(self) -> ast.Expression:
        expression = self.multiplicative()
        while True:
            token = self.peek()
            if not token.is_punct("+", "-", "||"):
                return expression
            self.advance()
            right = self.infix_right(self.multiplicative)
            expression = ast.Arithmetic(token.value, expression, right, token)

    def multiplicative(self) -> ast.Expression:
        expression = self.unary()
        while True:
            token = self.peek()
            if not token.is_punct("*", "/", "%"):
                return expression
            self.advance()
            right = self.infix_right(self.unary)
            expression = ast.Arithmetic(token.value, expression, right, token)

    def unary(self) -> ast.Expression:
        signs: list[Token] = []
        while self.peek().is_punct("-", "+"):
            signs.append(self.advance())
        if not signs:
            return self.primary()
        operand = self.primary()
        negative = sum(1 for sign in signs if sign.value == "-") % 2 == 1
        if isinstance(operand, ast.NumberLiteral):
            text = operand.text.lstrip("-")
            return ast.NumberLiteral(("-" if negative else "") + text, signs[0])
        if not negative:
            return operand
        return ast.Arithmetic("-", None, operand, signs[0])

    def primary(self) -> ast.Expression:
        token = self.peek()
        kind = token.kind
        if kind == STRING:
            self.advance()
            return ast.StringLiteral(token.value, token)
        if kind == NUMBER:
            self.advance()
            return ast.NumberLiteral(token.value, token)
        if kind == PARAMETER:
            self.advance()
            self.parameters += 1
            return ast.Parameter(self.parameters - 1, token)
        if kind in (IDENTIFIER, QUOTED):
            self.advance()
            if kind == IDENTIFIER and self.peek().is_punct("("):
                return self.call(token)
            return self.path_suffix(token)
        if kind == KEYWORD:
            return self.keyword_term(token)
        if kind == PUNCT and token.value in ("(", "[", "{", "<<"):
            return self.bracketed(token)
        raise _unexpected(token)

    def keyword_term(self, token: Token) -> ast.Expression:
        if token.value in ("TRUE", "FALSE"):
            self.advance()
            return ast.BooleanLiteral(token.value == "TRUE", token)
        if token.value == "NULL":
            self.advance()
            return ast.NullLiteral(token)
        if token.value == "MISSING":
            self.advance()
            return ast.MissingLiteral(token)
        if token.value in FUNCTION_KEYWORDS and self.peek(1).is_punct("("):
            self.advance()
            return self.call(token)
        raise _unexpected(token)

    def bracketed(self, token: Token) -> ast.Expression:
        self.advance()
        self.enter()
        try:
            if token.value == "(":
                inner = self.expression()
                self.expect_punct(")")
                return inner
            if token.value == "[":
                return ast.ListValue(self.sequence("]"), token)
            if token.value == "<<":
                return ast.BagValue(self.sequence(">>"), token)
            return ast.TupleValue(self.entries(), token)
        finally:
            self.depth -= 1

    def sequence(self, closing: str) -> tuple[ast.Expression, ...]:
        """Comma-separated expressions up to ``closing`` (the opening one consumed)."""
        items: list[ast.Expression] = []
        if self.accept_punct(closing):
            return ()
        while True:
            items.append(self.expression())
            if self.accept_punct(closing):
                return tuple(items)
            self.expect_punct(",")

    def entries(self) -> tuple[tuple[ast.Expression, ast.Expression], ...]:
        entries: list[tuple[ast.Expression, ast.Expression]] = []
        if self.accept_punct("}"):
            return ()
        while True:
            key = self.expression()
            self.expect_punct(":")
            entries.append((key, self.expression()))
            if self.accept_punct("}"):
                return tuple(entries)
            self.expect_punct(",")

    def call(self, name: Token) -> ast.Expression:
        self.expect_punct("(")
        self.enter()
        try:
            arguments = self.sequence(")")
        finally:
            self.depth -= 1
        return ast.Call(name.value.lower(), arguments, name)

    def path_suffix(self, first: Token) -> ast.Path:
        elements: list[str | int] = [first.value]
        while True:
            if self.accept_punct("."):
                elements.append(self.dot_component())
            elif self.accept_punct("["):
                elements.append(self.bracket_component())
                self.expect_punct("]")
            else:
                return ast.Path(tuple(elements), first)

    def dot_component(self) -> str:
        token = self.peek()
        if token.kind in (IDENTIFIER, QUOTED):
            self.advance()
            if token.value == "":
                raise errors.partiql_empty_path_component()
            return token.value
        if token.is_punct("*"):
            raise errors.partiql_unpivot_path()
        raise errors.statement_not_well_formed(INVALID_DOT)

    def bracket_component(self) -> str | int:
        token = self.advance()
        if token.kind == NUMBER and token.value.isdigit():
            return int(token.value)
        if token.kind == STRING:
            return token.value
        if token.is_punct("*"):
            raise errors.partiql_wildcard_path()
        if token.is_punct("-") and self.peek().kind == NUMBER:
            raise errors.partiql_list_index("-" + self.peek().value)
        raise _unexpected(token)


def _is_select(parser: _Parser) -> bool:
    return parser.peek(2).is_keyword("SELECT")


def _unexpected(token: Token) -> errors.ValidationException:
    """The text for a token where a term (or a statement part) should start."""
    if token.kind == KEYWORD:
        if token.value in OPERATOR_KEYWORDS:
            return errors.statement_not_well_formed(UNEXPECTED_OPERATOR)
        return errors.statement_not_well_formed(UNEXPECTED_KEYWORD)
    if token.kind == PUNCT and token.value in OPERATOR_PUNCT:
        return errors.statement_not_well_formed(UNEXPECTED_OPERATOR)
    return errors.statement_not_well_formed(UNEXPECTED_TERM)


# PartiQL's AST names for a bare expression statement ("Unsupported operation: <name>").
_OPERATOR_NAMES = {"=": "Eq", "<>": "Ne", "!=": "Ne", "<": "Lt", "<=": "Lte", ">": "Gt"}
_OPERATOR_NAMES.update({">=": "Gte", "+": "Plus", "-": "Minus", "*": "Times", "/": "Divide"})
_OPERATOR_NAMES.update({"%": "Modulo", "||": "Concat"})
_NODE_NAMES = {
    ast.StringLiteral: "Lit",
    ast.NumberLiteral: "Lit",
    ast.BooleanLiteral: "Lit",
    ast.NullLiteral: "Lit",
    ast.MissingLiteral: "Missing",
    ast.Parameter: "Parameter",
    ast.ListValue: "List",
    ast.TupleValue: "Struct",
    ast.BagValue: "Bag",
    ast.Call: "Call",
    ast.Between: "Between",
    ast.In: "InCollection",
    ast.Like: "Like",
    ast.Is: "IsType",
    ast.And: "And",
    ast.Or: "Or",
    ast.Not: "Not",
}


def _kind_of(expression: ast.Expression) -> str:
    if isinstance(expression, ast.Path):
        return "Id" if len(expression.elements) == 1 else "Path"
    if isinstance(expression, ast.Comparison):
        return _OPERATOR_NAMES[expression.operator]
    if isinstance(expression, ast.Arithmetic):
        return "Neg" if expression.left is None else _OPERATOR_NAMES[expression.operator]
    return _NODE_NAMES[type(expression)]
