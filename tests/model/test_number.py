"""openddb.model.number: canonical form, errors, size and comparison of Numbers.

Expected texts follow the Developer Guide ("Supported data types and naming
rules", "Item sizes and formats") and the service behaviour recorded by the
Alternator and dynalite test suites.
"""

from __future__ import annotations

from decimal import Context, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openddb import errors
from openddb.model.number import (
    canonical_number,
    compare_numbers,
    number_from_parts,
    number_parts,
    number_size,
)

NOT_NUMERIC = "The parameter cannot be converted to a numeric value: "
TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number"
OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
LARGEST = "9.9999999999999999999999999999999999999E+125"
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)


def _rejection(text: str) -> errors.DynamoDBError:
    with pytest.raises(errors.DynamoDBError) as caught:
        canonical_number(text)
    return caught.value


# --- canonical form ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("3", "3"),
        ("42", "42"),
        ("-7", "-7"),
        ("100", "100"),
        ("-7.1234", "-7.1234"),
        ("19.99", "19.99"),
        ("0.05", "0.05"),
        ("-0.5", "-0.5"),
        ("10.5", "10.5"),
        ("00.5", "0.5"),
        ("0.", "0"),
        ("10.50", "10.5"),
        ("-17e5", "-1700000"),
        ("-17.4E37", "-174" + "0" * 36),
        ("+3", "3"),
        ("+0.5", "0.5"),
        (".123", "0.123"),
        ("-.5", "-0.5"),
        ("0001.23", "1.23"),
        ("0042", "42"),
        ("-0042", "-42"),
        ("1e+5", "100000"),
        ("1E-5", "0.00001"),
        ("1.50", "1.5"),
        ("1.500e1", "15"),
        ("1e2", "100"),
        ("123.456e-2", "1.23456"),
        ("123.456e2", "12345.6"),
        ("0.0012300", "0.00123"),
        ("1.", "1"),
        ("5.e1", "50"),
        ("1e0000000000000000000000000000002", "100"),
        ("0", "0"),
        ("-0", "0"),
        ("+0", "0"),
        ("-0.0", "0"),
        ("0.000", "0"),
        (".0", "0"),
        ("0e1000", "0"),
        ("-0e-1000", "0"),
        ("0e99999999999999999999999", "0"),
        ("1e125", "1" + "0" * 125),
        (LARGEST, "9" * 38 + "0" * 88),
        ("-" + LARGEST, "-" + "9" * 38 + "0" * 88),
        ("1e-130", "0." + "0" * 129 + "1"),
        ("-1.5e-130", "-0." + "0" * 129 + "15"),
        ("1" * 38, "1" * 38),
        ("1" * 38 + "0" * 50, "1" * 38 + "0" * 50),
        ("0." + "0" * 50 + "1" * 38, "0." + "0" * 50 + "1" * 38),
        ("000" + "1" * 38 + ".000", "1" * 38),
    ],
)
def test_canonical_form(text: str, canonical: str) -> None:
    assert canonical_number(text) == canonical
    assert canonical_number(canonical) == canonical


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "-NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "dog",
        "-dog",
        " 1",
        "1 ",
        "1\n",
        "\t1",
        "1.2.3",
        "0x10",
        "1_000",
        "\u0661\u0662",  # Arabic-Indic digits: Python's Decimal accepts them, DynamoDB does not.
        "1,5",
        ".",
        "-",
        "+",
        "e5",
        ".e5",
        "1e",
        "1e+",
        "1e1.5",
        "1e1e1",
        "--1",
        "+-1",
        "-+1",
        "1-",
        "1d5",
    ],
)
def test_not_numeric(text: str) -> None:
    err = _rejection(text)
    assert type(err).__name__ == "ValidationException"
    assert err.message == NOT_NUMERIC + text


def test_empty_string_has_no_suffix() -> None:
    err = _rejection("")
    assert type(err).__name__ == "ValidationException"
    assert err.message == "The parameter cannot be converted to a numeric value"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1" * 39, TOO_PRECISE),
        ("-" + "1" * 39, TOO_PRECISE),
        ("-1.23456789012345678901234567890123456789", TOO_PRECISE),
        ("3.14159265358979323846264338327950288419", TOO_PRECISE),
        ("314159265358979323846264338327950288419e30", TOO_PRECISE),
        ("1" + "0" * 37 + "1", TOO_PRECISE),
        ("0.1" + "0" * 37 + "1", TOO_PRECISE),
        ("1e126", OVERFLOW),
        ("-1e126", OVERFLOW),
        ("11e125", OVERFLOW),
        ("10E+125", OVERFLOW),
        ("1" + "0" * 126, OVERFLOW),
        ("1e99999999999", OVERFLOW),
        ("1e" + "9" * 5000, OVERFLOW),
        ("1e-131", UNDERFLOW),
        ("-1e-131", UNDERFLOW),
        ("0.9e-130", UNDERFLOW),
        ("0." + "0" * 130 + "1", UNDERFLOW),
        ("1e-99999999999", UNDERFLOW),
        ("1e-" + "9" * 5000, UNDERFLOW),
        # Magnitude is checked before precision (dynalite's order).
        ("1" * 39 + "e200", OVERFLOW),
        ("1" * 39 + "e-200", UNDERFLOW),
    ],
)
def test_out_of_range(text: str, message: str) -> None:
    err = _rejection(text)
    assert type(err).__name__ == "ValidationException"
    assert err.message == message


def test_error_builders_match_texts() -> None:
    assert errors.number_too_precise().message == TOO_PRECISE
    assert errors.number_overflow().message == OVERFLOW
    assert errors.number_underflow().message == UNDERFLOW
    assert errors.number_not_numeric("x").message == NOT_NUMERIC + "x"


# --- parts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("0", (False, "", 0)),
        ("-0.00", (False, "", 0)),
        ("42", (False, "42", 1)),
        ("-12.5", (True, "125", 1)),
        ("1200", (False, "12", 3)),
        ("0.0012", (False, "12", -3)),
        ("1e-130", (False, "1", -130)),
        (LARGEST, (False, "9" * 38, 125)),
    ],
)
def test_number_parts(text: str, parts: tuple[bool, str, int]) -> None:
    assert number_parts(text) == parts
    assert number_from_parts(*parts) == canonical_number(text)


# --- size ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "size"),
    [
        ("0", 1),
        ("1", 2),
        ("12", 2),
        ("123", 3),
        ("1234", 3),
        ("100", 2),
        ("1010", 3),
        ("1" + "0" * 125, 2),
        ("0.0000001", 2),
        ("1.5", 3),
        ("15", 2),
        ("0.15", 2),
        ("1.234", 4),
        ("3.14159", 5),
        ("123456", 4),
        ("100.5", 4),
        ("-42", 3),
        ("-1", 3),
        ("1" * 38, 20),
        ("-" + "1" * 38, 21),
    ],
)
def test_number_size(canonical: str, size: int) -> None:
    assert number_size(canonical) == size


# --- comparison ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1", "1", 0),
        ("1", "2", -1),
        ("2", "1", 1),
        ("-1", "1", -1),
        ("0", "-0.5", 1),
        ("9", "10", -1),
        ("-9", "-10", 1),
        ("1.2", "1.23", -1),
        ("-1.2", "-1.23", 1),
        ("1" + "0" * 125, "9" * 38 + "0" * 87, 1),
    ],
)
def test_compare_numbers(a: str, b: str, expected: int) -> None:
    assert compare_numbers(a, b) == expected


# --- properties ----------------------------------------------------------------

_WIDE = Context(prec=100)


def oracle_canonical(value: Decimal) -> str:
    """What the canonical text must be, computed independently with Decimal."""
    if value.is_zero():
        return "0"
    return format(_WIDE.normalize(value), "f")


@st.composite
def numbers_in_range(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A valid Number wire string in one of several notations, with its exact value."""
    if draw(st.integers(0, 15)) == 0:
        text = draw(st.sampled_from(["0", "-0", "+0", "0.000", "-.0", "00e7", "0E-500"]))
        return text, Decimal(0)
    count = draw(st.integers(1, 38))
    inner = max(count - 2, 0)
    middle = draw(st.text(alphabet="0123456789", min_size=inner, max_size=inner))
    first = draw(st.sampled_from("123456789"))
    digits = first if count == 1 else first + middle + draw(st.sampled_from("123456789"))
    exponent = draw(st.one_of(st.sampled_from([-130, -129, 124, 125]), st.integers(-130, 125)))
    negative = draw(st.booleans())
    value = Decimal((1 if negative else 0, tuple(int(d) for d in digits), exponent - count + 1))
    notation = draw(st.sampled_from(["scientific", "integer-mantissa", "plain"]))
    if notation == "scientific":
        marker = draw(st.sampled_from(["e", "E", "e+", "E+"])) if exponent >= 0 else "e"
        body = f"{digits[0]}.{digits[1:]}{marker}{exponent}"
    elif notation == "integer-mantissa":
        body = f"{digits}e{exponent - count + 1}"
    else:
        body = format(value.copy_abs(), "f")
        body = "0" * draw(st.integers(0, 3)) + body
        if "." in body:
            body += "0" * draw(st.integers(0, 3))
    sign = "-" if negative else draw(st.sampled_from(["", "+"]))
    return sign + body, value


@PROPERTY_SETTINGS
@given(numbers_in_range())
def test_canonical_matches_decimal(number: tuple[str, Decimal]) -> None:
    text, value = number
    canonical = canonical_number(text)
    assert canonical == oracle_canonical(value)
    assert Decimal(canonical) == value
    assert canonical_number(canonical) == canonical


@PROPERTY_SETTINGS
@given(numbers_in_range())
def test_parts_round_trip(number: tuple[str, Decimal]) -> None:
    text, _ = number
    negative, digits, exponent = number_parts(text)
    assert number_from_parts(negative, digits, exponent) == canonical_number(text)


@PROPERTY_SETTINGS
@given(numbers_in_range())
def test_size_is_about_one_byte_per_two_digits(number: tuple[str, Decimal]) -> None:
    text, value = number
    size = number_size(canonical_number(text))
    if value.is_zero():
        assert size == 1
        return
    count = len(number_parts(text)[1])
    pairs = size - 1 - (1 if value < 0 else 0)
    # Odd digit counts fill whole pairs; even counts may straddle one more pair.
    assert pairs in {(count + 1) // 2, count // 2 + 1}


@PROPERTY_SETTINGS
@given(numbers_in_range(), numbers_in_range())
def test_compare_matches_decimal(a: tuple[str, Decimal], b: tuple[str, Decimal]) -> None:
    expected = (a[1] > b[1]) - (a[1] < b[1])
    assert compare_numbers(canonical_number(a[0]), canonical_number(b[0])) == expected


@PROPERTY_SETTINGS
@given(st.text(alphabet="0123456789+-.eE xX_", max_size=12))
def test_arbitrary_text_is_accepted_only_when_numeric(text: str) -> None:
    try:
        canonical = canonical_number(text)
    except errors.ValidationException as err:
        assert err.message is not None
        if err.message.startswith(NOT_NUMERIC.rstrip(": ")):
            # Rejected as text: Python's Decimal rejects it too, or it relies on one of
            # Decimal's extensions (surrounding spaces, digit-group underscores).
            assert not _decimal_accepts(text) or " " in text or "_" in text
        else:
            assert err.message in {TOO_PRECISE, OVERFLOW, UNDERFLOW}
        return
    # Anything accepted is a number Python agrees on, with the same value.
    assert "_" not in text
    assert " " not in text
    assert Decimal(canonical) == Decimal(text)


def _decimal_accepts(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
