"""The ten AttributeValue types: validation, canonical form and size.

An AttributeValue on the wire is a one-member JSON object, ``{"S": "x"}``,
``{"N": "1.5"}``, ``{"B": "<base64>"}``, ``{"SS": [...]}``, ``{"NS": [...]}``,
``{"BS": [...]}``, ``{"M": {...}}``, ``{"L": [...]}``, ``{"NULL": true}``,
``{"BOOL": false}``. Validation follows the Developer Guide pages "Supported
data types and naming rules" and "Item sizes and formats"; the error texts are
DynamoDB's (see ``errors.py``).

:func:`validate_value` checks one value, rewrites numbers to their canonical
form *in place* (``"1.50"`` becomes ``"1.5"``) and returns the value's size in
bytes as DynamoDB counts it toward the 400 KB item limit.
"""

from __future__ import annotations

import binascii
from typing import Any

from openddb import errors, limits
from openddb.model.number import canonical_number, number_size

SCALAR_TYPES = frozenset({"S", "N", "B"})

# List and map values carry 3 bytes of overhead plus 1 byte per element
# (Developer Guide, "Item sizes and formats").
CONTAINER_OVERHEAD_BYTES = 3
CONTAINER_ELEMENT_BYTES = 1
# BOOL and NULL each count as one byte.
FLAG_BYTES = 1


def decode_binary(text: str) -> bytes:
    """Raw bytes of a base64 ``B`` value. Raises SerializationException on bad base64."""
    try:
        return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise errors.invalid_base64(text) from None


def validate_value(value: Any, depth: int = 0) -> int:
    """Validate one AttributeValue, canonicalise its numbers in place, return its size.

    ``depth`` is the number of enclosing lists/maps. Raises ValidationException
    (empty value, several types, empty or duplicate sets, NULL not true, bad
    numbers, nesting deeper than 32) or SerializationException (wrong JSON types,
    bad base64).
    """
    if not isinstance(value, dict):
        raise errors.serialization_error(errors.unexpected_value_type_text())
    if len(value) != 1:
        if not value:
            raise errors.attribute_value_empty()
        raise errors.attribute_value_multiple_types()
    ((kind, inner),) = value.items()
    if kind == "S":
        _expect(inner, str)
        return len(inner.encode("utf-8"))
    if kind == "N":
        _expect(inner, str)
        canonical = canonical_number(inner)
        value["N"] = canonical
        return number_size(canonical)
    if kind == "B":
        _expect(inner, str)
        return len(decode_binary(inner))
    if kind == "BOOL":
        _expect(inner, bool)
        return FLAG_BYTES
    if kind == "NULL":
        _expect(inner, bool)
        if inner is not True:
            raise errors.null_not_true()
        return FLAG_BYTES
    if kind == "M":
        _expect(inner, dict)
        return _map_size(inner, depth + 1)
    if kind == "L":
        _expect(inner, list)
        return _list_size(inner, depth + 1)
    if kind in ("SS", "NS", "BS"):
        _expect(inner, list)
        return _set_size(kind, inner)
    raise errors.attribute_value_empty()


def _expect(inner: Any, python_type: type) -> None:
    # bool is an int subclass: check exact types so {"S": true} is refused.
    if type(inner) is not python_type:
        raise errors.serialization_error(errors.unexpected_value_type_text())


def _check_depth(depth: int) -> None:
    if depth > limits.ATTRIBUTE_NESTING_DEPTH_MAX:
        raise errors.nesting_too_deep()


def _map_size(members: dict[str, Any], depth: int) -> int:
    _check_depth(depth)
    size = CONTAINER_OVERHEAD_BYTES
    for name, member in members.items():
        size += len(name.encode("utf-8")) + validate_value(member, depth) + CONTAINER_ELEMENT_BYTES
    return size


def _list_size(elements: list[Any], depth: int) -> int:
    _check_depth(depth)
    size = CONTAINER_OVERHEAD_BYTES
    for element in elements:
        size += validate_value(element, depth) + CONTAINER_ELEMENT_BYTES
    return size


def _set_size(kind: str, members: list[Any]) -> int:
    if not members:
        raise errors.empty_set(kind)
    for member in members:
        if type(member) is not str:
            raise errors.serialization_error(errors.unexpected_value_type_text())
    if kind == "SS":
        size = sum(len(member.encode("utf-8")) for member in members)
        seen: set[Any] = set(members)
    elif kind == "NS":
        canonical = [canonical_number(member) for member in members]
        members[:] = canonical
        size = sum(number_size(member) for member in canonical)
        seen = set(canonical)
    else:
        raw = [decode_binary(member) for member in members]
        size = sum(len(member) for member in raw)
        seen = set(raw)
    if len(seen) != len(members):
        raise errors.set_duplicates("[" + ", ".join(members) + "]")
    return size


def validate_item(item: Any) -> int:
    """Validate a whole item (attribute name -> AttributeValue); return its size in bytes.

    Size = sum over attributes of UTF-8 name length + value size (Developer Guide,
    "Item sizes and formats"). Raises as :func:`validate_value`; the caller checks
    the 400 KB limit because its message differs per operation.
    """
    if not isinstance(item, dict):
        raise errors.serialization_error(errors.unexpected_value_type_text())
    size = 0
    for name, value in item.items():
        size += len(name.encode("utf-8")) + validate_value(value)
    return size
