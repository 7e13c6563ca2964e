"""The statement tree the PartiQL parser produces (frozen dataclasses, shareable).

Expressions keep their ``?`` parameters unbound (:class:`Parameter` holds its position)
and their number literals as written, so one parsed statement serves any
``Parameters``; :mod:`openddb.partiql.translate` binds and checks values. Nodes that
DynamoDB's texts point at keep the token they start with (``at line:column:length``).

::

    UPDATE "Music" SET Awards = Awards + 1 WHERE Artist = ? AND SongTitle = 'Hey'
    Update(table="Music", index=None,
           clauses=(Assignment(Path(("Awards",)), Arithmetic("+", Path(("Awards",)),
                                                              NumberLiteral("1"))),),
           where=And((Comparison("=", Path(("Artist",)), Parameter(0)),
                      Comparison("=", Path(("SongTitle",)), StringLiteral("Hey")))),
           returning=None)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openddb.partiql.tokens import Token

# --- expressions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Path:
    """``a.b[2]."c d"``: names (str) and list indexes (int); ``token`` is the first one."""

    elements: tuple[str | int, ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class StringLiteral:
    value: str
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class NumberLiteral:
    """The number as written (sign included), canonicalised when bound."""

    text: str
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class BooleanLiteral:
    value: bool
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class NullLiteral:
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class MissingLiteral:
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Parameter:
    """The ``index``-th ``?`` of the statement (from 0)."""

    index: int
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class ListValue:
    """``[a, b]``: a List, or the candidates of IN."""

    items: tuple[Expression, ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class TupleValue:
    """``{'k': v, ...}``: a Map (the item of INSERT)."""

    entries: tuple[tuple[Expression, Expression], ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class BagValue:
    """``<<a, b>>``: a string, number or binary set."""

    items: tuple[Expression, ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """``name(arguments)``; ``name`` lower-cased (PartiQL function names ignore case)."""

    name: str
    arguments: tuple[Expression, ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """``+ - * / % ||``, and unary minus of a non-literal (``left`` None)."""

    operator: str
    left: Expression | None
    right: Expression
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Comparison:
    """``= <> != < <= > >=`` (``!=`` kept as written; it means ``<>``)."""

    operator: str
    left: Expression
    right: Expression
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Between:
    operand: Expression
    lower: Expression
    upper: Expression
    negated: bool
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class In:
    """``x IN [..]`` / ``x IN (..)``, or ``x IN ?`` (``candidates`` a Parameter)."""

    operand: Expression
    candidates: tuple[Expression, ...] | Parameter
    negated: bool
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Like:
    """Parsed so that it can be refused by name (DynamoDB has no LIKE)."""

    operand: Expression
    pattern: Expression
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Is:
    """``x IS [NOT] type``; ``type_name`` upper-cased as written (``MISSING``, ``NULL``,
    ``DOUBLE PRECISION``...)."""

    operand: Expression
    type_name: str
    negated: bool
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expression, ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expression, ...]
    token: Token = field(compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expression
    token: Token = field(compare=False)


Expression = (
    Path
    | StringLiteral
    | NumberLiteral
    | BooleanLiteral
    | NullLiteral
    | MissingLiteral
    | Parameter
    | ListValue
    | TupleValue
    | BagValue
    | Call
    | Arithmetic
    | Comparison
    | Between
    | In
    | Like
    | Is
    | And
    | Or
    | Not
)
LITERALS = (StringLiteral, NumberLiteral, BooleanLiteral, NullLiteral)

# --- statements --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderBy:
    path: Path
    descending: bool


@dataclass(frozen=True, slots=True)
class Select:
    """``projection`` None means ``*``."""

    projection: tuple[Path, ...] | None
    table: str
    index: str | None
    where: Expression | None
    order_by: tuple[OrderBy, ...]


@dataclass(frozen=True, slots=True)
class Insert:
    table: str
    item: TupleValue


@dataclass(frozen=True, slots=True)
class Assignment:
    """``SET path = value``."""

    path: Path
    value: Expression


@dataclass(frozen=True, slots=True)
class Removal:
    """``REMOVE path``."""

    path: Path


@dataclass(frozen=True, slots=True)
class Update:
    """``returning``: ``ALL OLD``, ``ALL NEW``, ``MODIFIED OLD``, ``MODIFIED NEW`` or None."""

    table: str
    clauses: tuple[Assignment | Removal, ...]
    where: Expression | None
    returning: str | None


@dataclass(frozen=True, slots=True)
class Delete:
    table: str
    where: Expression | None
    returning: str | None


@dataclass(frozen=True, slots=True)
class Exists:
    """``EXISTS(SELECT ...)``: a condition check, only inside ExecuteTransaction."""

    select: Select


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A statement that parses but is no operation DynamoDB runs (a bare expression):
    ``kind`` is the PartiQL node name DynamoDB prints ("Unsupported operation: IsType")."""

    kind: str


Statement = Select | Insert | Update | Delete | Exists | Unsupported


@dataclass(frozen=True, slots=True)
class Parsed:
    """A statement and how many ``?`` it holds."""

    statement: Statement
    parameter_count: int
