"""Recursive-descent parser for the five expression kinds -> unresolved trees (ast.py).

Grammar (keywords case-insensitive, function names case-sensitive)::

    condition   := or
    or          := and ("OR" and)*
    and         := not ("AND" not)*
    not         := "NOT"* primary
    primary     := "(" or ")"                          a condition group, or a parenthesised
                 | operand comparison?                 operand followed by a comparison
    comparison  := comparator operand_p
                 | "BETWEEN" operand_p "AND" operand_p
                 | "IN" "(" operand_p ("," operand_p)* ")"
    operand_p   := "(" operand_p ")" | operand
    operand     := NAME "(" operand_p ("," operand_p)* ")"        function call
                 | VALUE_REF | path
    path        := (NAME | NAME_REF) ("." (NAME | NAME_REF) | "[" NUMBER "]")*

    update      := section+          section := "SET" set ("," set)* | "REMOVE" path ("," path)*
                                                | ("ADD" | "DELETE") path VALUE_REF ("," ...)*
    set         := path "=" set_value
    set_value   := "(" set_value ")" | operand_p (("+" | "-") operand_p)?
    projection  := path ("," path)*

Precedence, highest first (Developer Guide "Comparison operator and function
reference"): comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR.

Checks happen in DynamoDB's order: first the whole text must parse (a syntax error
names the first bad token); then the errors that need no request data, reported
in the order dynalite (written against the service) reports them -- redundant
parentheses, unknown function, misused function, reserved word (conditions);
reserved word, unknown function, repeated section (updates). Placeholders are
checked later by resolve.py, per request.

Recursion is bounded: parentheses and function calls may nest at most
``limits.EXPRESSION_NESTING_DEPTH_MAX`` deep, AND/OR chains and NOT runs are parsed
in loops, and at most ``limits.EXPRESSION_OPERATORS_MAX`` operators are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator

from openddb import errors, limits
from openddb.expressions import ast
from openddb.expressions.reserved_words import is_reserved
from openddb.expressions.tokens import (
    EOF,
    NAME,
    NAME_REF,
    NUMBER,
    PUNCT,
    VALUE_REF,
    Token,
    near,
    tokenize,
)

CONDITION_KEYWORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
UPDATE_KEYWORDS = frozenset({"SET", "REMOVE", "ADD", "DELETE"})

BOOLEAN_FUNCTIONS = frozenset(
    {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"}
)
CONDITION_FUNCTIONS = BOOLEAN_FUNCTIONS | {"size"}
UPDATE_FUNCTIONS = frozenset({"if_not_exists", "list_append"})
KNOWN_FUNCTIONS = CONDITION_FUNCTIONS | UPDATE_FUNCTIONS


def parse(kind: str, text: str) -> ast.Tree:
    """Parse ``text`` as an expression of ``kind`` (an ``ast`` kind constant).

    Raises ValidationException with DynamoDB's text: empty expression, size
    over 4 KB, syntax error, too many operators, IN operands, path depth, and the
    request-independent checks listed in the module docstring.
    """
    assert kind in ast.KINDS, kind
    if text == "":
        raise errors.expression_empty(kind)
    size = len(text.encode("utf-8"))
    if size > limits.EXPRESSION_BYTES_MAX:
        raise errors.expression_too_large(kind, size)
    parser = _Parser(kind, text)
    if kind == ast.UPDATE:
        tree: ast.Tree = parser.update()
    elif kind == ast.PROJECTION:
        tree = parser.projection()
    else:
        tree = parser.condition()
    parser.check_static(tree)
    return tree


class _Parser:
    """One parse of one expression text; not reused."""

    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.index = 0
        self.depth = 0
        self.operators = 0
        self.keywords = UPDATE_KEYWORDS if kind == ast.UPDATE else CONDITION_KEYWORDS
        if kind == ast.PROJECTION:
            self.keywords = frozenset()
        # Request-independent errors found while parsing, reported after a clean parse.
        self.redundant_parentheses = False
        self.reserved_word: str | None = None
        self.repeated_section: str | None = None
        # Nodes that are the whole content of a pair of parentheses.
        self.parenthesized: set[int] = set()

    # --- token helpers -------------------------------------------------------------

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != EOF:
            self.index += 1
        return token

    def syntax_error(self) -> errors.ValidationException:
        token = self.tokens[self.index]
        return errors.expression_syntax(
            self.kind, token.text, near(self.text, self.tokens, self.index)
        )

    def at_punct(self, text: str) -> bool:
        token = self.tokens[self.index]
        return token.kind == PUNCT and token.text == text

    def at_keyword(self, word: str) -> bool:
        token = self.tokens[self.index]
        return token.kind == NAME and token.text.upper() == word

    def expect_punct(self, text: str) -> None:
        if not self.at_punct(text):
            raise self.syntax_error()
        self.index += 1

    def expect_end(self) -> None:
        if self.peek().kind != EOF:
            raise self.syntax_error()

    def count_operator(self) -> None:
        self.operators += 1
        if self.operators > limits.EXPRESSION_OPERATORS_MAX:
            raise errors.expression_too_many_operators(self.kind, self.operators)

    def enter(self) -> None:
        """One more level of parentheses or function call."""
        self.depth += 1
        if self.depth > limits.EXPRESSION_NESTING_DEPTH_MAX:
            # Only deeply redundant parentheses get this deep below 300 operators.
            raise errors.expression_redundant_parentheses(self.kind)

    def leave(self) -> None:
        self.depth -= 1
        assert self.depth >= 0

    def mark_parenthesized(self, node: object) -> None:
        if id(node) in self.parenthesized:
            self.redundant_parentheses = True
        self.parenthesized.add(id(node))

    # --- conditions ----------------------------------------------------------------

    def condition(self) -> ast.Condition:
        node = self.or_(in_parentheses=False)
        self.require_condition(node)
        self.expect_end()
        return node  # type: ignore[return-value]

    def require_condition(self, node: object) -> None:
        """A bare path or value where a condition is needed: a syntax error here."""
        if isinstance(node, (ast.Path, ast.ValueRef)):
            raise self.syntax_error()

    def or_(self, in_parentheses: bool) -> object:
        node = self.and_(in_parentheses)
        operands = [node]
        while self.at_keyword("OR"):
            self.require_condition(node)
            self.advance()
            self.count_operator()
            node = self.and_(in_parentheses=False)
            self.require_condition(node)
            operands.append(node)
        if len(operands) == 1:
            return node
        return ast.Or(tuple(operands))  # type: ignore[arg-type]

    def and_(self, in_parentheses: bool) -> object:
        node = self.not_(in_parentheses)
        operands = [node]
        while self.at_keyword("AND"):
            self.require_condition(node)
            self.advance()
            self.count_operator()
            node = self.not_(in_parentheses=False)
            self.require_condition(node)
            operands.append(node)
        if len(operands) == 1:
            return node
        return ast.And(tuple(operands))  # type: ignore[arg-type]

    def not_(self, in_parentheses: bool) -> object:
        negations = 0
        while self.at_keyword("NOT"):
            self.advance()
            self.count_operator()
            negations += 1
        node = self.primary(in_parentheses and negations == 0)
        if negations:
            self.require_condition(node)
        # NOT NOT x is x: only the parity of a run of NOTs matters.
        return ast.Not(node) if negations % 2 else node  # type: ignore[arg-type]

    def primary(self, allow_bare: bool) -> object:
        if not self.at_punct("("):
            return self.comparison(self.operand(), allow_bare)
        self.enter()
        self.advance()
        inner = self.or_(in_parentheses=True)
        self.expect_punct(")")
        self.leave()
        self.mark_parenthesized(inner)
        if isinstance(inner, (ast.Path, ast.ValueRef, ast.Function)):
            return self.comparison(inner, allow_bare)
        return inner

    def comparison(self, operand: object, allow_bare: bool) -> object:
        token = self.peek()
        if token.kind == PUNCT and token.text in ast.COMPARATORS:
            self.advance()
            self.count_operator()
            return ast.Comparison(token.text, operand, self.operand_p())  # type: ignore[arg-type]
        if self.at_keyword("BETWEEN"):
            self.advance()
            self.count_operator()
            lower = self.operand_p()
            if not self.at_keyword("AND"):
                raise self.syntax_error()
            self.advance()
            return ast.Between(operand, lower, self.operand_p())  # type: ignore[arg-type]
        if self.at_keyword("IN"):
            return self.in_(operand)
        if isinstance(operand, ast.Function) or allow_bare:
            return operand
        raise self.syntax_error()

    def in_(self, operand: object) -> ast.In:
        self.advance()
        self.count_operator()
        self.expect_punct("(")
        candidates = [self.operand_p()]
        while self.at_punct(","):
            self.advance()
            candidates.append(self.operand_p())
        self.expect_punct(")")
        count = len(candidates) + 1
        if count > limits.EXPRESSION_IN_OPERANDS_MAX:
            raise errors.expression_in_too_many_operands(self.kind, count)
        return ast.In(operand, tuple(candidates))  # type: ignore[arg-type]

    # --- operands ------------------------------------------------------------------

    def operand_p(self) -> ast.Operand:
        if not self.at_punct("("):
            return self.operand()
        self.enter()
        self.advance()
        inner = self.operand_p()
        self.expect_punct(")")
        self.leave()
        self.mark_parenthesized(inner)
        return inner

    def operand(self) -> ast.Operand:
        token = self.peek()
        if token.kind == VALUE_REF:
            self.advance()
            return ast.ValueRef(token.text)
        following = self.tokens[self.index + 1] if token.kind != EOF else token
        if token.kind == NAME and following.kind == PUNCT and following.text == "(":
            return self.function()
        return self.path()

    def function(self) -> ast.Function:
        name = self.advance().text
        self.count_operator()
        self.enter()
        self.advance()  # "("
        arguments = [self.operand_p()]
        while self.at_punct(","):
            self.advance()
            arguments.append(self.operand_p())
        self.expect_punct(")")
        self.leave()
        return ast.Function(name, tuple(arguments))

    def path(self) -> ast.Path:
        token = self.peek()
        elements: list[str | int | ast.NameRef] = []
        if token.kind == NAME and token.text.upper() not in self.keywords:
            if self.reserved_word is None and is_reserved(token.text):
                self.reserved_word = token.text
            elements.append(token.text)
        elif token.kind == NAME_REF:
            elements.append(ast.NameRef(token.text))
        else:
            raise self.syntax_error()
        self.advance()
        while True:
            if self.at_punct("."):
                self.advance()
                elements.append(self.nested_name())
            elif self.at_punct("["):
                self.advance()
                if self.peek().kind != NUMBER:
                    raise self.syntax_error()
                elements.append(int(self.advance().text))
                self.expect_punct("]")
            else:
                break
        if len(elements) > limits.EXPRESSION_PATH_ELEMENTS_MAX:
            raise errors.expression_path_too_deep(self.kind, len(elements))
        return ast.Path(tuple(elements))

    def nested_name(self) -> str | ast.NameRef:
        """A path element after ".": reserved words are syntax errors here (live capture
        ``Syntax error; token: "string", near: ".string ="``)."""
        token = self.peek()
        if token.kind == NAME_REF:
            self.advance()
            return ast.NameRef(token.text)
        if token.kind == NAME and not is_reserved(token.text):
            self.advance()
            return token.text
        raise self.syntax_error()

    # --- update and projection -----------------------------------------------------

    def update(self) -> ast.Update:
        actions: list[ast.Action] = []
        sections: set[str] = set()
        while True:
            token = self.peek()
            section = token.text.upper() if token.kind == NAME else ""
            if section not in UPDATE_KEYWORDS:
                raise self.syntax_error()
            self.advance()
            if section in sections and self.repeated_section is None:
                self.repeated_section = section
            sections.add(section)
            actions.append(self.action(section))
            while self.at_punct(","):
                self.advance()
                actions.append(self.action(section))
            if self.peek().kind == EOF:
                return ast.Update(tuple(actions))

    def action(self, section: str) -> ast.Action:
        path = self.path()
        if section == "SET":
            self.expect_punct("=")
            return ast.SetAction(path, self.set_value())
        if section == "REMOVE":
            return ast.RemoveAction(path)
        token = self.peek()
        if token.kind != VALUE_REF:
            raise self.syntax_error()
        self.advance()
        if section == "ADD":
            return ast.AddAction(path, ast.ValueRef(token.text))
        return ast.DeleteAction(path, ast.ValueRef(token.text))

    def set_value(self) -> ast.Operand:
        if self.at_punct("("):
            self.enter()
            self.advance()
            left = self.set_value()
            self.expect_punct(")")
            self.leave()
            self.mark_parenthesized(left)
            if isinstance(left, ast.Arithmetic):
                return left
        else:
            left = self.operand_p()
        token = self.peek()
        if token.kind == PUNCT and token.text in ("+", "-"):
            self.advance()
            self.count_operator()
            return ast.Arithmetic(token.text, left, self.operand_p())
        return left

    def projection(self) -> ast.Projection:
        paths = [self.path()]
        while self.at_punct(","):
            self.advance()
            paths.append(self.path())
        self.expect_end()
        return ast.Projection(tuple(paths))

    # --- request-independent checks ------------------------------------------------

    def check_static(self, tree: ast.Tree) -> None:
        if self.kind == ast.UPDATE:
            self.check_reserved()
            self.check_functions(tree)
            if self.repeated_section is not None:
                raise errors.expression_section_repeated(self.kind, self.repeated_section)
            return
        if self.kind == ast.PROJECTION:
            self.check_reserved()
            return
        if self.redundant_parentheses:
            raise errors.expression_redundant_parentheses(self.kind)
        self.check_functions(tree)
        self.check_reserved()

    def check_reserved(self) -> None:
        if self.reserved_word is not None:
            raise errors.expression_reserved_keyword(self.kind, self.reserved_word)

    def check_functions(self, tree: ast.Tree) -> None:
        """Unknown function names first, then functions used where they cannot be."""
        placed = list(_functions(tree, as_condition=True))
        known = KNOWN_FUNCTIONS if self.kind != ast.UPDATE else UPDATE_FUNCTIONS
        for function, _, _ in placed:
            if function.name not in known:
                raise errors.expression_unknown_function(self.kind, function.name)
        for function, as_condition, inside_function in placed:
            if not _allowed(self.kind, function.name, as_condition, inside_function):
                raise errors.expression_function_misused(self.kind, function.name)


def _allowed(kind: str, name: str, as_condition: bool, inside_function: bool) -> bool:
    """May function ``name`` stand where it stands?

    Conditions: boolean functions only as conditions, ``size`` only as an operand;
    update functions never. Updates: ``list_append`` not inside another function
    (Alternator's AWS run: "function: list_append").
    """
    if kind == ast.UPDATE:
        return not (name == "list_append" and inside_function)
    if name in BOOLEAN_FUNCTIONS:
        return as_condition
    return name == "size" and not as_condition


def _functions(
    node: object, as_condition: bool, inside_function: bool = False
) -> Iterator[tuple[ast.Function, bool, bool]]:
    """Yield ``(function, used_as_condition, inside_another_function)`` in document order."""
    if isinstance(node, ast.Function):
        yield node, as_condition, inside_function
        for argument in node.arguments:
            yield from _functions(argument, False, True)
    elif isinstance(node, (ast.And, ast.Or)):
        for condition in node.operands:
            yield from _functions(condition, True)
    elif isinstance(node, ast.Not):
        yield from _functions(node.operand, True)
    elif isinstance(node, ast.Comparison):
        yield from _functions(node.left, False)
        yield from _functions(node.right, False)
    elif isinstance(node, ast.Between):
        for operand in (node.operand, node.lower, node.upper):
            yield from _functions(operand, False)
    elif isinstance(node, ast.In):
        for operand in (node.operand, *node.candidates):
            yield from _functions(operand, False)
    elif isinstance(node, ast.Arithmetic):
        yield from _functions(node.left, False, inside_function)
        yield from _functions(node.right, False, inside_function)
    elif isinstance(node, ast.Update):
        for action in node.actions:
            if isinstance(action, ast.SetAction):
                yield from _functions(action.value, False)
