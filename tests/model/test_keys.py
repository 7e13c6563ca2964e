"""openddb.model.keys: key bytes sort in DynamoDB order; tokens and scan segments.

DynamoDB orders sort keys by UTF-8 bytes (S), unsigned bytes (B) and numeric
value (N) (Developer Guide, "Query"); parallel-scan segments split the table
(Developer Guide, "Parallel scan").
"""

from __future__ import annotations

import base64
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openddb import errors
from openddb.model.keys import (
    TOKEN_SPACE,
    decode_key_value,
    encode_key_value,
    hash_token,
    segment_bounds,
    segment_of,
)
from openddb.model.number import canonical_number

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)
TOTAL_SEGMENTS_MAX = 1_000_000  # Scan TotalSegments, API reference.


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


# --- Number encoding -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("0", "02"),
        ("-0.0", "02"),
        ("12.5", "03 83 31 32 35"),
        ("0.5", "03 81 35"),
        ("1", "03 82 31"),
        ("100", "03 84 31"),
        ("-12.5", "01 7c 38 37 34 ff"),
        ("-1", "01 7d 38 ff"),
        ("-9", "01 7d 30 ff"),
        ("1e-130", "03 00 31"),
        ("1e125", "03 ff 31"),
        ("-1e125", "01 00 38 ff"),
        ("-1e-130", "01 ff 38 ff"),
    ],
)
def test_number_layout(text: str, encoded: str) -> None:
    assert encode_key_value("N", text) == bytes.fromhex(encoded)
    assert decode_key_value("N", bytes.fromhex(encoded)) == canonical_number(text)


ASCENDING_NUMBERS = [
    "-9.9999999999999999999999999999999999999E+125",
    "-1e125",
    "-10",
    "-9.9",
    "-9",
    "-1.23",
    "-1.2",
    "-1.19",
    "-1",
    "-0.5",
    "-1e-130",
    "0",
    "1e-130",
    "1.5e-130",
    "0.5",
    "1",
    "1.19",
    "1.2",
    "1.23",
    "9",
    "9.9",
    "10",
    "1e125",
    "9.9999999999999999999999999999999999999E+125",
]


def test_numbers_encode_in_ascending_order() -> None:
    encoded = [encode_key_value("N", text) for text in ASCENDING_NUMBERS]
    assert encoded == sorted(encoded)
    assert len(set(encoded)) == len(encoded)


def test_invalid_number_key_raises_number_errors() -> None:
    with pytest.raises(errors.ValidationException) as caught:
        encode_key_value("N", "dog")
    assert caught.value.message == "The parameter cannot be converted to a numeric value: dog"
    with pytest.raises(errors.ValidationException) as caught:
        encode_key_value("N", "1e126")
    assert caught.value.message == (
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )


@st.composite
def decimals_in_range(draw: st.DrawFn) -> Decimal:
    """A Decimal DynamoDB can store: zero, or up to 38 digits with exponent -130..125."""
    if draw(st.integers(0, 15)) == 0:
        return Decimal(0)
    count = draw(st.integers(1, 38))
    coefficient = draw(st.integers(10 ** (count - 1), 10**count - 1))
    exponent = draw(st.one_of(st.sampled_from([-130, 125]), st.integers(-130, 125)))
    sign = draw(st.sampled_from(["-", ""]))
    return Decimal(f"{sign}{coefficient}e{exponent - count + 1}")  # exact: no context rounding


def _wire(value: Decimal) -> str:
    """Plain notation for moderate magnitudes, scientific (``1.5E+40``) otherwise."""
    return format(value, "f") if -30 < value.adjusted() < 30 else str(value)


@PROPERTY_SETTINGS
@given(decimals_in_range(), decimals_in_range())
def test_number_byte_order_is_numeric_order(a: Decimal, b: Decimal) -> None:
    encoded_a = encode_key_value("N", _wire(a))
    encoded_b = encode_key_value("N", _wire(b))
    assert _sign((encoded_a > encoded_b) - (encoded_a < encoded_b)) == _sign((a > b) - (a < b))


@PROPERTY_SETTINGS
@given(st.lists(decimals_in_range(), max_size=20))
def test_sorted_numbers_sort_the_same_encoded(values: list[Decimal]) -> None:
    by_value = [canonical_number(_wire(value)) for value in sorted(values)]
    by_bytes = [
        decode_key_value("N", data)
        for data in sorted(encode_key_value("N", _wire(value)) for value in values)
    ]
    assert by_bytes == by_value


@PROPERTY_SETTINGS
@given(decimals_in_range())
def test_number_round_trip(value: Decimal) -> None:
    text = _wire(value)
    assert decode_key_value("N", encode_key_value("N", text)) == canonical_number(text)
    assert Decimal(decode_key_value("N", encode_key_value("N", text))) == value


# --- String and Binary ---------------------------------------------------------


def test_string_order_is_utf8_byte_order() -> None:
    ascending = ["", "A", "B", "Z", "a", "ab", "b", "\u00e9", "\uffff", "\U0001f600"]
    encoded = [encode_key_value("S", text) for text in ascending]
    assert encoded == sorted(encoded)


def test_binary_is_raw_bytes() -> None:
    assert encode_key_value("B", "AAH/") == b"\x00\x01\xff"
    assert decode_key_value("B", b"\x00\x01\xff") == "AAH/"
    assert encode_key_value("B", "Yg==") == b"b"


@PROPERTY_SETTINGS
@given(st.text(), st.text())
def test_string_order_and_round_trip(a: str, b: str) -> None:
    encoded_a = encode_key_value("S", a)
    encoded_b = encode_key_value("S", b)
    assert (encoded_a < encoded_b) == (a.encode("utf-8") < b.encode("utf-8"))
    # UTF-8 byte order is code point order, which is Python's str order.
    assert (encoded_a < encoded_b) == (a < b)
    assert decode_key_value("S", encoded_a) == a


@PROPERTY_SETTINGS
@given(st.binary(), st.binary())
def test_binary_order_and_round_trip(a: bytes, b: bytes) -> None:
    wire_a = base64.b64encode(a).decode("ascii")
    wire_b = base64.b64encode(b).decode("ascii")
    encoded_a = encode_key_value("B", wire_a)
    encoded_b = encode_key_value("B", wire_b)
    assert encoded_a == a
    assert (encoded_a < encoded_b) == (list(a) < list(b))
    assert decode_key_value("B", encoded_a) == wire_a


# --- hash token and segments ---------------------------------------------------


def test_hash_token_is_pinned() -> None:
    # MD5("") = d41d8cd98f00b204..., MD5("abc") = 900150983cd24fb0...; tokens are on disk.
    assert hash_token(b"") == 0xD41D8CD98F00B204 >> 1
    assert hash_token(b"abc") == 0x900150983CD24FB0 >> 1
    assert hash_token(b"abc") == 5188331815612000216


@PROPERTY_SETTINGS
@given(st.binary(max_size=64))
def test_hash_token_range(partition_key: bytes) -> None:
    token = hash_token(partition_key)
    assert 0 <= token < TOKEN_SPACE
    assert hash_token(partition_key) == token


@pytest.mark.parametrize("total_segments", [1, 2, 3, 7, 64, 1000, 4099])
def test_segments_tile_the_token_space(total_segments: int) -> None:
    bounds = [segment_bounds(segment, total_segments) for segment in range(total_segments)]
    assert bounds[0][0] == 0
    assert bounds[-1][1] == TOKEN_SPACE
    for (low, high), (next_low, _) in itertools.pairwise(bounds):
        assert low < high
        assert high == next_low


@PROPERTY_SETTINGS
@given(st.data(), st.integers(1, TOTAL_SEGMENTS_MAX))
def test_segment_bounds_partition(data: st.DataObject, total_segments: int) -> None:
    segment = data.draw(st.integers(0, total_segments - 1))
    low, high = segment_bounds(segment, total_segments)
    assert 0 <= low < high <= TOKEN_SPACE
    assert segment_of(low, total_segments) == segment
    assert segment_of(high - 1, total_segments) == segment
    if segment == 0:
        assert low == 0
    else:
        assert segment_bounds(segment - 1, total_segments)[1] == low
    if segment == total_segments - 1:
        assert high == TOKEN_SPACE
    else:
        assert segment_bounds(segment + 1, total_segments)[0] == high


@PROPERTY_SETTINGS
@given(st.binary(max_size=32), st.integers(1, TOTAL_SEGMENTS_MAX))
def test_every_token_falls_in_its_segment(partition_key: bytes, total_segments: int) -> None:
    token = hash_token(partition_key)
    low, high = segment_bounds(segment_of(token, total_segments), total_segments)
    assert low <= token < high


def test_largest_segment_count_is_balanced() -> None:
    sizes = {
        high - low
        for low, high in (
            segment_bounds(segment, TOTAL_SEGMENTS_MAX) for segment in (0, 1, 499_999, 999_999)
        )
    }
    assert max(sizes) - min(sizes) <= 1
