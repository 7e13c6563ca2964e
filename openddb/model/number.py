"""DynamoDB Numbers: validation, canonical text, size and comparison.

A Number travels as a string (``{"N": "-17.4E37"}``) and holds up to 38
significant digits with a magnitude of 1E-130 to
9.9999999999999999999999999999999999999E+125, or zero (Developer Guide,
"Supported data types and naming rules", Number). DynamoDB stores it
normalised and returns it in plain decimal notation, so ``"1.50"`` reads back
as ``"1.5"`` and ``"1e2"`` as ``"100"``.

Every Number is read into three parts; the rest of the module works on them::

    text "-0012.3400e+3"
          |  \\____/  \\__ exponent written: +3
          |  significant digits "1234" (leading and trailing zeros dropped)
          sign
    -> negative=True, digits="1234", exponent=4      (-1.234 x 10^4 = -12340)

``exponent`` is the scientific (adjusted) exponent: the power of ten of the
first significant digit. Zero is ``digits=""``. The limits are then simply
``len(digits) <= 38`` and ``-130 <= exponent <= 125`` (``limits.py``).

Why not ``decimal.Decimal(text)`` directly: it also accepts ``"NaN"``,
``"Infinity"``, ``" 1"``, ``"1_0"`` and non-ASCII digits, none of which
DynamoDB accepts, and it raises InvalidOperation on exponents beyond 10**18
instead of reporting overflow. So a regular expression decides the syntax and
the parts are read off the text with string operations; Decimal is used only
to compare canonical strings, where its input is known to be good.
"""

from __future__ import annotations

import re
from decimal import Decimal

from openddb import errors, limits

# Syntax DynamoDB accepts (checked against the service by the Alternator test
# suite, test_number.py): optional sign, digits with an optional point (".5"
# and "5." both allowed), optional exponent. ASCII digits only.
_NUMBER_SYNTAX = re.compile(
    r"(?P<sign>[+-]?)(?P<integer>[0-9]*)(?:\.(?P<fraction>[0-9]*))?"
    r"(?:[eE](?P<exponent>[+-]?[0-9]+))?"
)

# An exponent written with more digits than this is far outside the Number
# range whatever its mantissa (a 16 MB request holds fewer than 10**8 digits),
# so it is clamped instead of converted; int() refuses over 4300 digits.
_EXPONENT_TEXT_DIGITS_MAX = 18
_EXPONENT_CLAMP: int = 10**_EXPONENT_TEXT_DIGITS_MAX


def _parse(text: str) -> tuple[bool, str, int]:
    """Split a Number wire string into ``(negative, digits, exponent)``.

    ``digits`` are the significant digits as ASCII (``""`` for zero, which is
    never negative); ``exponent`` is the power of ten of the first of them.
    Raises ValidationException for text that is not a number, more than 38
    significant digits, or a non-zero magnitude outside 1E-130..<1E+126.
    """
    # Fast path: a plain integer without leading zeros, like "42" or "-7".
    negative = text[:1] == "-"
    body = text[1:] if negative else text
    if body.isdigit() and body.isascii() and body[0] != "0":
        digits = body.rstrip("0")
        exponent = len(body) - 1
        if len(digits) <= limits.NUMBER_PRECISION_DIGITS_MAX and (
            exponent <= limits.NUMBER_EXPONENT_MAX
        ):
            return negative, digits, exponent
    return _parse_general(text)


def _parse_general(text: str) -> tuple[bool, str, int]:
    match = _NUMBER_SYNTAX.fullmatch(text)
    if match is None:
        raise _not_numeric(text)
    integer = match["integer"]
    fraction = match["fraction"] or ""
    if not integer and not fraction:
        raise _not_numeric(text)
    mantissa = integer + fraction
    unpadded = mantissa.lstrip("0")
    digits = unpadded.rstrip("0")
    if not digits:
        return False, "", 0  # Zero, whatever its sign and exponent ("0e1000" is accepted).
    leading_zeros = len(mantissa) - len(unpadded)
    exponent = _exponent_written(match["exponent"]) + len(integer) - leading_zeros - 1
    # Magnitude before precision, the order dynalite (written against the
    # service) reports them in.
    if exponent > limits.NUMBER_EXPONENT_MAX:
        raise errors.number_overflow()
    if exponent < limits.NUMBER_EXPONENT_MIN:
        raise errors.number_underflow()
    if len(digits) > limits.NUMBER_PRECISION_DIGITS_MAX:
        raise errors.number_too_precise()
    return match["sign"] == "-", digits, exponent


def _exponent_written(exponent_text: str | None) -> int:
    if exponent_text is None:
        return 0
    negative = exponent_text[:1] == "-"
    magnitude = exponent_text.lstrip("+-").lstrip("0")
    if len(magnitude) > _EXPONENT_TEXT_DIGITS_MAX:
        return -_EXPONENT_CLAMP if negative else _EXPONENT_CLAMP
    value = int(magnitude or "0")
    return -value if negative else value


def _not_numeric(text: str) -> errors.ValidationException:
    # DynamoDB drops the ": <value>" suffix when the value is empty (dynalite tests).
    if text == "":
        return errors.number_empty()
    return errors.number_not_numeric(text)


def _format(negative: bool, digits: str, exponent: int) -> str:
    """Plain decimal text of parsed parts: no exponent, no redundant zeros, no ``+``."""
    if not digits:
        return "0"
    count = len(digits)
    if exponent >= count - 1:
        text = digits + "0" * (exponent - count + 1)
    elif exponent >= 0:
        text = digits[: exponent + 1] + "." + digits[exponent + 1 :]
    else:
        text = "0." + "0" * (-exponent - 1) + digits
    return "-" + text if negative else text


def canonical_number(text: str) -> str:
    """Validate a Number wire string and return the text DynamoDB stores and returns.

    ``text`` is the string inside ``{"N": ...}``. The result is plain decimal
    notation without exponent, ``+``, leading zeros or trailing fractional
    zeros, and ``"0"`` for any zero: ``"+1.50"`` -> ``"1.5"``, ``"-17e2"`` ->
    ``"-1700"``, ``".123"`` -> ``"0.123"``, ``"1E-5"`` -> ``"0.00001"``,
    ``"-0.0"`` -> ``"0"``. Text of up to 38 characters that is already canonical
    (``"42"``, ``"-7"``, ``"19.99"``) returns unchanged after a quick check.

    Raises ValidationException (Developer Guide, "Supported data types and
    naming rules", Number):

    - "The parameter cannot be converted to a numeric value: <text>" for
      anything else: ``"NaN"``, ``"Infinity"``, ``"0x10"``, ``" 1"``,
      ``"1.2.3"``; without the ``": <text>"`` suffix when ``text`` is empty;
    - "Number overflow. ..." when the magnitude exceeds 9.99...E+125;
    - "Number underflow. ..." when a non-zero magnitude is below 1E-130;
    - "Attempting to store more than 38 significant digits in a Number".
    """
    body = text[1:] if text[:1] == "-" else text
    if len(body) <= limits.NUMBER_PRECISION_DIGITS_MAX and _is_canonical_body(body):
        return text
    return _format(*_parse(text))


def _is_canonical_body(body: str) -> bool:
    """Fast check for an unsigned plain decimal already in canonical form: ``42``, ``0.5``.

    Only called with at most 38 characters, so such text also has at most 38
    digits and an exponent within -38..37: it needs no further validation.
    """
    if not body.isascii():
        return False
    if body.isdigit():
        return body[0] != "0"
    integer, _, fraction = body.partition(".")
    return (
        integer.isdigit()
        and fraction.isdigit()
        and (integer == "0" or integer[0] != "0")
        and fraction[-1] != "0"
    )


def number_parts(text: str) -> tuple[bool, str, int]:
    """``(negative, digits, exponent)`` of a Number string, validated as by canonical_number.

    ``digits`` holds the significant ASCII digits without leading or trailing
    zeros (``""`` for zero), ``exponent`` the power of ten of the first one:
    ``"-12.5"`` -> ``(True, "125", 1)``. Raises what :func:`canonical_number` raises.
    Used by :mod:`openddb.model.keys` for the order-preserving key encoding.
    """
    return _parse(text)


def number_from_parts(negative: bool, digits: str, exponent: int) -> str:
    """Canonical text of ``(negative, digits, exponent)``; the inverse of :func:`number_parts`.

    The parts must already be in range (this builds text, it does not validate).
    """
    assert digits == digits.strip("0"), digits
    assert not (negative and not digits), "zero is never negative"
    return _format(negative, digits, exponent)


def number_size(canonical: str) -> int:
    """Bytes a canonical Number counts toward the 400 KB item size.

    The Developer Guide ("Item sizes and formats") gives "approximately 1 byte
    per two significant digits, plus 1 byte". We count the representation
    that phrase describes: base-100 digit pairs aligned on the decimal point
    (only pairs holding a significant digit), plus 1 byte of exponent, plus 1
    byte terminator for negative numbers; zero is 1 byte. So ``"1"``, ``"12"``,
    ``"100"`` and ``"1E125"`` cost 2, ``"123"`` costs 3, ``"1.5"`` costs 3
    (its digits straddle the point: two pairs), ``"-42"`` costs 3, and 38
    digits cost 20. These agree with costs measured against the 400 KB limit
    published in a third-party emulator's tests; for integers of an odd digit
    count they equal the common ``(digits + 1) // 2 + 1``.

    ``canonical`` must be a :func:`canonical_number` result (not re-validated).
    """
    negative = canonical[:1] == "-"
    body = canonical[1:] if negative else canonical
    if body == "0":
        return 1
    integer, _, fraction = body.partition(".")
    # Powers of ten of the first and the last significant digit.
    if integer != "0":
        first_power = len(integer) - 1
    else:
        first_power = -(len(fraction) - len(fraction.lstrip("0"))) - 1
    last_power = -len(fraction) if fraction else len(integer) - len(integer.rstrip("0"))
    assert first_power >= last_power, canonical
    pairs = first_power // 2 - last_power // 2 + 1
    return 1 + pairs + (1 if negative else 0)


def compare_numbers(a: str, b: str) -> int:
    """-1, 0 or 1 as canonical Number ``a`` is less than, equal to or greater than ``b``.

    Numbers order numerically (Developer Guide, "Query": sort key ordering).
    Both arguments must be :func:`canonical_number` results.
    """
    if a == b:
        return 0
    left = Decimal(a)
    right = Decimal(b)
    return -1 if left < right else 1 if left > right else 0
