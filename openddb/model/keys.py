"""Order-preserving key bytes and the partition hash token.

Storage engines keep key attributes as byte strings and range-scan them with
plain unsigned byte comparison (memcmp, SQLite BLOB order). The encoding makes
that order equal DynamoDB's key order (Developer Guide, "Query": sort keys
order "by UTF-8 bytes" for S, "unsigned" bytes for B, numerically for N):

- ``S``: the UTF-8 bytes of the string.
- ``B``: the raw bytes (the wire value is base64).
- ``N``: one tag byte for the sign, then the exponent and digits::

    zero      02
    positive  03 | E+130 | d1 d2 ... dn                  (ASCII digits '1'..'9','0')
    negative  01 | 125-E | 9-d1 9-d2 ... 9-dn | FF       (nine's complement digits)
              ^    ^       ^                    ^
              |    |       |                    terminator, above every digit byte
              |    |       significant digits, no leading or trailing zeros
              |    exponent byte: E is the power of ten of d1, -130..125 -> 0..255
              sign tag: negatives < zero < positives

  ``12.5``   -> ``03 83 '1' '2' '5'``      (E = 1, 1 + 130 = 0x83)
  ``0.5``    -> ``03 81 '5'``              (E = -1)
  ``-12.5``  -> ``01 7C '8' '7' '4' FF``   (125 - 1 = 0x7C)

  Why it sorts: among positives a larger E is a larger number because d1 is
  never 0; with equal E the digits compare left to right, and a shorter digit
  string that is a prefix of a longer one is the smaller number (1.2 < 1.23)
  because trailing zeros are never stored. Negatives invert all of that: the
  exponent byte and every digit are complemented, and the FF terminator makes
  a prefix sort *after* its extensions (-1.2 > -1.23), since FF is above any
  complemented digit ('0'..'9' = 30..39).

Encodings of different types are never compared (a key attribute has one type
per table). None of them is self-delimiting, so a partition key and a sort key
must be stored as separate values, not concatenated. These bytes are written
to disk: never change the layout or the tag values.

The hash token spreads partitions over a 63-bit space for Scan order and for
parallel-scan segments (Developer Guide, "Parallel scan")::

    token = MD5(encoded partition key)[0:8] as big-endian uint64 >> 1

    0                                                              2**63
    |---- segment 0 ----|---- segment 1 ----| ... |-- segment T-1 --|
    low(s) = ceil(s * 2**63 / T);  segment s holds low(s) <= token < low(s + 1)

63 bits fit a signed 64-bit SQLite INTEGER without going negative. The token
is stored too: never change the hash.
"""

from __future__ import annotations

import binascii
import hashlib

from openddb import limits
from openddb.model.number import number_from_parts, number_parts

# Number tag bytes: on disk, never reorder or renumber.
_NUMBER_NEGATIVE_TAG = 0x01
_NUMBER_ZERO_TAG = 0x02
_NUMBER_POSITIVE_TAG = 0x03
_NUMBER_NEGATIVE_END = 0xFF
_NUMBER_ZERO = bytes((_NUMBER_ZERO_TAG,))

# The exponent byte: E + bias for positives, its complement for negatives.
_EXPONENT_BIAS = -limits.NUMBER_EXPONENT_MIN
_EXPONENT_BYTE_MAX = 0xFF
assert limits.NUMBER_EXPONENT_MAX + _EXPONENT_BIAS == _EXPONENT_BYTE_MAX

_NINES_COMPLEMENT = bytes.maketrans(b"0123456789", b"9876543210")

TOKEN_BITS = 63
TOKEN_SPACE = 1 << TOKEN_BITS


def encode_key_value(attribute_type: str, value: str) -> bytes:
    """Order-preserving bytes of one key attribute value (layout in the module docstring).

    ``attribute_type`` is ``"S"``, ``"N"`` or ``"B"``; ``value`` is the wire
    string (for ``B``, base64). Byte order of the results equals DynamoDB's
    order for values of the same type. Numbers need not be canonical, since
    equal numbers always encode to equal bytes. Raises ValidationException for
    an invalid Number (as :func:`openddb.model.number.canonical_number`);
    ``B`` values must already be valid base64 and ``S`` values valid Unicode
    (the protocol layer checks both).
    """
    if attribute_type == "S":
        return value.encode("utf-8")
    if attribute_type == "N":
        return _encode_number(value)
    assert attribute_type == "B", attribute_type
    return binascii.a2b_base64(value.encode("ascii"), strict_mode=True)


def _encode_number(value: str) -> bytes:
    negative, digits, exponent = number_parts(value)
    if not digits:
        return _NUMBER_ZERO
    exponent_byte = exponent + _EXPONENT_BIAS
    if negative:
        return (
            bytes((_NUMBER_NEGATIVE_TAG, _EXPONENT_BYTE_MAX - exponent_byte))
            + digits.encode("ascii").translate(_NINES_COMPLEMENT)
            + bytes((_NUMBER_NEGATIVE_END,))
        )
    return bytes((_NUMBER_POSITIVE_TAG, exponent_byte)) + digits.encode("ascii")


def decode_key_value(attribute_type: str, data: bytes) -> str:
    """The canonical wire string of bytes made by :func:`encode_key_value`.

    ``S`` -> the string, ``N`` -> the canonical Number text, ``B`` -> standard
    base64 with padding. Asserts on bytes this module cannot have written.
    """
    if attribute_type == "S":
        return data.decode("utf-8")
    if attribute_type == "N":
        return _decode_number(data)
    assert attribute_type == "B", attribute_type
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def _decode_number(data: bytes) -> str:
    assert data, "an encoded Number is never empty"
    tag = data[0]
    if tag == _NUMBER_ZERO_TAG:
        assert len(data) == 1, data
        return "0"
    assert len(data) >= 3, data
    if tag == _NUMBER_POSITIVE_TAG:
        exponent = data[1] - _EXPONENT_BIAS
        digits = data[2:]
        negative = False
    else:
        assert tag == _NUMBER_NEGATIVE_TAG, data
        assert data[-1] == _NUMBER_NEGATIVE_END, data
        exponent = _EXPONENT_BYTE_MAX - data[1] - _EXPONENT_BIAS
        digits = data[2:-1].translate(_NINES_COMPLEMENT)
        negative = True
    assert digits.isdigit(), data
    assert len(digits) <= limits.NUMBER_PRECISION_DIGITS_MAX, data
    return number_from_parts(negative, digits.decode("ascii"), exponent)


def hash_token(partition_key: bytes) -> int:
    """The partition's position in Scan order: an int in ``[0, 2**63)``.

    ``partition_key`` is the :func:`encode_key_value` result for the partition
    key. Stable across processes and versions (MD5, not ``hash()``); used only
    to spread items, not for security.
    """
    digest = hashlib.md5(partition_key, usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def segment_bounds(segment: int, total_segments: int) -> tuple[int, int]:
    """The token range ``[low, high)`` that parallel-scan ``segment`` covers.

    ``segment`` is 0-based and below ``total_segments`` (Scan ``Segment`` /
    ``TotalSegments``, Developer Guide "Parallel scan"; validated by the
    caller). The ranges of all segments are non-empty, disjoint, in segment
    order, and together cover ``[0, 2**63)``.
    """
    assert total_segments >= 1, total_segments
    assert 0 <= segment < total_segments, (segment, total_segments)
    return _segment_low(segment, total_segments), _segment_low(segment + 1, total_segments)


def _segment_low(segment: int, total_segments: int) -> int:
    return -((-segment * TOKEN_SPACE) // total_segments)  # ceil(segment * 2**63 / total)


def segment_of(token: int, total_segments: int) -> int:
    """The parallel-scan segment whose :func:`segment_bounds` contain ``token``.

    Lets Scan check that an ExclusiveStartKey belongs to the requested segment.
    """
    assert 0 <= token < TOKEN_SPACE, token
    assert total_segments >= 1, total_segments
    return (token * total_segments) >> TOKEN_BITS
