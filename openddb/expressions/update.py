"""Apply a resolved UpdateExpression (or converted AttributeUpdates) to an item.

:func:`apply` is pure: it never mutates the old item or the request's values. It
copies the top-level map once and, copy-on-write, only the maps and lists along
the paths it changes; untouched attributes are shared with the old item.

Semantics (Developer Guide "Update expressions"; Alternator's suite against AWS):

- Every SET right-hand side is read from the item *before* any action applies, so
  ``SET a = b REMOVE b`` copies b first and ``SET x = :v, y = x`` reads the old x.
- List indexes name positions in the old list: ``REMOVE a[1] SET a[3] = :v`` sets
  the old fourth element. SET past the end appends; several appends go in index
  order. REMOVE past the end, of a missing map member, or anything on a missing
  item does nothing.
- A SET/ADD/REMOVE whose parent map or list is missing or of another type fails
  with "The document path provided in the update expression is invalid for update".
- ADD adds numbers (a missing attribute counts as 0) and unites sets; DELETE takes
  members out of a set and removes the attribute when none remain.
- Arithmetic keeps 38 significant digits (rounding half-even, as the service's
  38-digit decimal does; inferred) and fails with DynamoDB's overflow/underflow texts.
"""

from __future__ import annotations

import itertools
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from openddb import errors, limits
from openddb.expressions import ast
from openddb.expressions.evaluate import AttributeValue, Item, lookup, type_of
from openddb.model.attribute_value import decode_binary
from openddb.model.number import canonical_number

# Exponent bounds wide enough that the context itself never traps; canonical_number
# reports DynamoDB's own overflow / underflow texts for out-of-range results.
_ARITHMETIC = Context(
    prec=limits.NUMBER_PRECISION_DIGITS_MAX,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
)


# Integers of at most this many digits add exactly in a machine word (fast path).
_SMALL_INTEGER_DIGITS_MAX = 18


def _small_integer(text: str) -> bool:
    body = text[1:] if text[:1] == "-" else text
    return len(body) <= _SMALL_INTEGER_DIGITS_MAX and body.isdigit()


def add_numbers(left: str, right: str, subtract: bool = False) -> str:
    """``left + right`` (or ``-``) of two canonical Numbers, as a canonical Number."""
    if _small_integer(left) and _small_integer(right):
        # The atomic counter's case: exact, and far inside 38 digits.
        return str(int(left) - int(right) if subtract else int(left) + int(right))
    a = Decimal(left)
    b = Decimal(right)
    result = _ARITHMETIC.subtract(a, b) if subtract else _ARITHMETIC.add(a, b)
    return canonical_number(str(result))


def apply(update: ast.Update, old: Item | None, key: Item) -> Item:
    """The item after ``update``; ``old`` is None when the item does not exist yet.

    Raises ValidationException for data-dependent failures (missing operand
    attribute, operand types, invalid document path, number range).
    """
    source: Item = old if old is not None else {}
    item: Item = dict(old) if old is not None else dict(key)
    writer = _Writer(item, update.legacy)
    sets = [action for action in update.actions if type(action) is ast.SetAction]
    values = [_value(action.value, source) for action in sets]
    for action, value in zip(sets, values, strict=True):
        writer.set(action.path.elements, value)
    writer.flush_appends()
    for other in update.actions:
        if type(other) is ast.RemoveAction:
            if old is not None:
                writer.remove(other.path.elements)
        elif type(other) is ast.AddAction:
            writer.add(other.path.elements, _constant(other.value))
        elif type(other) is ast.DeleteAction:
            writer.delete(other.path.elements, _constant(other.value))
    writer.flush_removals()
    return item


def updated_paths(update: ast.Update) -> ast.Projection:
    """The paths an update touches, for ReturnValues UPDATED_OLD / UPDATED_NEW."""
    return ast.Projection(tuple(action.path for action in update.actions))


def _constant(operand: ast.ValueRef | ast.Value) -> AttributeValue:
    assert type(operand) is ast.Value, "resolved trees hold values, not references"
    return operand.value


def _value(operand: ast.Operand, item: Item) -> AttributeValue:
    """A SET right-hand side, read from the item before the update."""
    if type(operand) is ast.Value:
        return operand.value
    if type(operand) is ast.Path:
        value = lookup(item, operand.elements)
        if value is None:
            raise errors.update_attribute_missing()
        return value
    if type(operand) is ast.Arithmetic:
        left = _value(operand.left, item)
        right = _value(operand.right, item)
        if type_of(left) != "N" or type_of(right) != "N":
            raise errors.update_operand_type()
        subtract = operand.operator == "-"
        return {"N": add_numbers(left["N"], right["N"], subtract)}
    assert type(operand) is ast.Function, operand
    arguments = operand.arguments
    if operand.name == "if_not_exists":
        checked = arguments[0]
        assert type(checked) is ast.Path, "resolve.py requires a path here"
        present = lookup(item, checked.elements)
        return present if present is not None else _value(arguments[1], item)
    assert operand.name == "list_append", operand
    first = _value(arguments[0], item)
    second = _value(arguments[1], item)
    if type_of(first) != "L" or type_of(second) != "L":
        raise errors.update_operand_type()
    return {"L": [*first["L"], *second["L"]]}


class _Writer:
    """Copy-on-write edits of one item; containers it copied are its own to mutate."""

    def __init__(self, item: Item, legacy: bool) -> None:
        self.item = item
        self.legacy = legacy
        self.owned: set[int] = {id(item)}
        self.appends: list[tuple[list[AttributeValue], int, AttributeValue]] = []
        self.removals: dict[int, tuple[list[AttributeValue], set[int]]] = {}

    def type_error(self) -> errors.ValidationException:
        if self.legacy:
            return errors.update_type_mismatch()
        return errors.update_operand_type()

    def parent(self, elements: tuple[Any, ...]) -> Any:
        """The owned map members (dict) or list elements holding the path's last
        element, copying along the way; None when a step is missing or mistyped."""
        holder: Any = self.item
        for element, following in itertools.pairwise(elements):
            if type(holder) is dict:
                child = holder.get(element)
            else:
                child = holder[element] if element < len(holder) else None
            wanted = "L" if type(following) is int else "M"
            if child is None or wanted not in child:
                return None
            inner = child[wanted]
            if id(inner) not in self.owned:
                inner = list(inner) if wanted == "L" else dict(inner)
                self.owned.add(id(inner))
                holder[element] = {wanted: inner}
            holder = inner
        return holder

    def set(self, elements: tuple[Any, ...], value: AttributeValue) -> None:
        holder = self.parent(elements)
        last = elements[-1]
        if holder is None or (type(holder) is list) != (type(last) is int):
            raise errors.update_path_invalid()
        if type(holder) is dict or last < len(holder):
            holder[last] = value
        else:
            self.appends.append((holder, last, value))

    def flush_appends(self) -> None:
        """SET past a list's end appends; several appends go in index order."""
        for holder, _, value in sorted(self.appends, key=lambda entry: entry[1]):
            holder.append(value)
        self.appends.clear()

    def remove(self, elements: tuple[Any, ...]) -> None:
        holder = self.parent(elements)
        last = elements[-1]
        if holder is None or (type(holder) is list) != (type(last) is int):
            raise errors.update_path_invalid()
        if type(holder) is dict:
            holder.pop(last, None)
        elif last < len(holder):
            # Removed after every other action, highest index first: indexes stay the
            # old item's positions.
            self.removals.setdefault(id(holder), (holder, set()))[1].add(last)

    def flush_removals(self) -> None:
        for holder, indexes in self.removals.values():
            for index in sorted(indexes, reverse=True):
                del holder[index]
        self.removals.clear()

    def add(self, elements: tuple[Any, ...], operand: AttributeValue) -> None:
        holder = self.parent(elements)
        last = elements[-1]
        if holder is None or (type(holder) is list) != (type(last) is int):
            raise errors.update_path_invalid()
        existing = _get(holder, last)
        operand_type = type_of(operand)
        if existing is None:
            result = operand
        elif type_of(existing) != operand_type:
            raise self.type_error()
        elif operand_type == "N":
            result = {"N": add_numbers(existing["N"], operand["N"])}
        elif operand_type == "L":
            result = {"L": [*existing["L"], *operand["L"]]}
        else:
            result = {operand_type: _union(operand_type, existing[operand_type], operand)}
        _put(holder, last, result)

    def delete(self, elements: tuple[Any, ...], operand: AttributeValue) -> None:
        holder = self.parent(elements)
        last = elements[-1]
        if holder is None or (type(holder) is list) != (type(last) is int):
            raise errors.update_path_invalid()
        existing = _get(holder, last)
        if existing is None:
            return
        operand_type = type_of(operand)
        if type_of(existing) != operand_type:
            raise self.type_error()
        removed = _members(operand_type, operand[operand_type])
        kept = [
            member
            for member in existing[operand_type]
            if _member(operand_type, member) not in removed
        ]
        if kept:
            _put(holder, last, {operand_type: kept})
        elif type(holder) is dict:
            del holder[last]
        else:
            self.removals.setdefault(id(holder), (holder, set()))[1].add(last)


def _get(holder: Any, last: Any) -> AttributeValue | None:
    if type(holder) is dict:
        return holder.get(last)
    return holder[last] if last < len(holder) else None


def _put(holder: Any, last: Any, value: AttributeValue) -> None:
    if type(holder) is dict or last < len(holder):
        holder[last] = value
    else:
        holder.append(value)


def _member(set_type: str, member: str) -> Any:
    """A set member in comparable form (binary by its bytes)."""
    return decode_binary(member) if set_type == "BS" else member


def _members(set_type: str, members: list[str]) -> set[Any]:
    return {_member(set_type, member) for member in members}


def _union(set_type: str, existing: list[str], operand: AttributeValue) -> list[str]:
    present = _members(set_type, existing)
    added = [m for m in operand[set_type] if _member(set_type, m) not in present]
    return [*existing, *added]
