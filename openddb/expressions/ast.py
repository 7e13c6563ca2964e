"""The expression tree shared by all five expression kinds and the legacy parameters.

The parser produces trees whose placeholders are still unresolved: document path
elements may be :class:`NameRef` (``#n``) and operands may be :class:`ValueRef`
(``:v``). :mod:`openddb.expressions.resolve` turns them into resolved trees of the
same classes where every path element is a ``str`` (attribute name) or an ``int``
(list index) and every value is a :class:`Value` holding a wire AttributeValue.
Evaluation and update application only ever see resolved trees.

Trees are immutable (frozen dataclasses), so a parsed tree is safely shared by
concurrent requests through the parse cache. A :class:`Value` wraps a wire dict
that must never be mutated either.

::

    ConditionExpression  "attribute_exists(pk) AND #c < :max"
        And(operands=(Function("attribute_exists", (Path(("pk",)),)),
                      Comparison("<", Path((NameRef("#c"),)), ValueRef(":max"))))

    UpdateExpression     "SET #c = #c + :one REMOVE tags[2]"
        Update(actions=(SetAction(Path((NameRef("#c"),)),
                                  Arithmetic("+", Path((NameRef("#c"),)), ValueRef(":one"))),
                        RemoveAction(Path(("tags", 2)))))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The expression kinds, named as the request members that carry them.
CONDITION = "ConditionExpression"
FILTER = "FilterExpression"
KEY_CONDITION = "KeyConditionExpression"
UPDATE = "UpdateExpression"
PROJECTION = "ProjectionExpression"
CONDITION_KINDS = frozenset({CONDITION, FILTER, KEY_CONDITION})
KINDS = frozenset({CONDITION, FILTER, KEY_CONDITION, UPDATE, PROJECTION})

# Comparators, and the ones that order (only S, N and B values order).
COMPARATORS = frozenset({"=", "<>", "<", "<=", ">", ">="})
ORDERING_COMPARATORS = frozenset({"<", "<=", ">", ">="})


@dataclass(frozen=True, slots=True)
class NameRef:
    """An unresolved ``#name`` placeholder (a whole path element)."""

    name: str


@dataclass(frozen=True, slots=True)
class ValueRef:
    """An unresolved ``:value`` placeholder."""

    name: str


@dataclass(frozen=True, slots=True)
class Path:
    """A document path: ``a.b[3].#c`` is ``("a", "b", 3, NameRef("#c"))``."""

    elements: tuple[str | int | NameRef, ...]


@dataclass(frozen=True, slots=True)
class Value:
    """A resolved constant: one wire AttributeValue such as ``{"N": "1"}``."""

    value: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Function:
    """``name(arguments...)``: a condition function, ``size``, or an update function."""

    name: str
    arguments: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """``left + right`` or ``left - right`` on the right-hand side of SET."""

    operator: str
    left: Operand
    right: Operand


Operand = Path | ValueRef | Value | Function | Arithmetic


@dataclass(frozen=True, slots=True)
class Comparison:
    operator: str
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class Between:
    operand: Operand
    lower: Operand
    upper: Operand


@dataclass(frozen=True, slots=True)
class In:
    operand: Operand
    candidates: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class And:
    """Two or more conditions joined by AND (one parse loop, so one node)."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    operand: Condition


# A Function here is a boolean function: attribute_exists, begins_with, ...
Condition = Comparison | Between | In | And | Or | Not | Function


@dataclass(frozen=True, slots=True)
class SetAction:
    path: Path
    value: Operand


@dataclass(frozen=True, slots=True)
class RemoveAction:
    path: Path


@dataclass(frozen=True, slots=True)
class AddAction:
    path: Path
    value: ValueRef | Value


@dataclass(frozen=True, slots=True)
class DeleteAction:
    path: Path
    value: ValueRef | Value


Action = SetAction | RemoveAction | AddAction | DeleteAction


@dataclass(frozen=True, slots=True)
class Update:
    """The actions of an UpdateExpression in the order written (sections interleaved).

    ``legacy`` marks a tree converted from AttributeUpdates, whose ADD also appends
    to lists and whose type errors read "Type mismatch for attribute to update".
    """

    actions: tuple[Action, ...]
    legacy: bool = False


@dataclass(frozen=True, slots=True)
class Projection:
    paths: tuple[Path, ...]


Tree = Comparison | Between | In | And | Or | Not | Function | Update | Projection

SECTION_OF_ACTION: dict[type, str] = {
    SetAction: "SET",
    RemoveAction: "REMOVE",
    AddAction: "ADD",
    DeleteAction: "DELETE",
}


def is_resolved_path(path: Path) -> bool:
    """True when no element of ``path`` is a placeholder."""
    return not any(type(element) is NameRef for element in path.elements)


def format_path(elements: tuple[str | int | NameRef, ...]) -> str:
    """A path as DynamoDB prints it in overlap errors: ``[a, b, [0]]``."""
    shown = [f"[{element}]" if type(element) is int else str(element) for element in elements]
    return "[" + ", ".join(shown) + "]"
