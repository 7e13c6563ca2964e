"""Which items have expired: DynamoDB's eligibility rules, as pure functions.

An item is expired at ``now`` when its TTL attribute is a top-level Number (``N``; a
Number Set or any other type is ignored) holding epoch seconds earlier than ``now``, and
not more than five years earlier: such old values are ignored as a guard against wrong
units or bulk mistakes (Developer Guide "How it works: Time to Live", behaviours.md 6).
Values far in the future (epoch milliseconds, say) simply never expire.
"""

from __future__ import annotations

from typing import Any

import orjson

from openddb import limits

# The principal of deletions made by DynamoDB itself, as stream records name it
# (Developer Guide "DynamoDB Streams and Time to Live").
SERVICE_PRINCIPAL = "dynamodb.amazonaws.com"


def expires_at(item: dict[str, Any], attribute_name: str) -> float | None:
    """The item's expiry time in epoch seconds; None when it has no Number there."""
    value = item.get(attribute_name)
    if not isinstance(value, dict):
        return None
    number = value.get("N")
    if number is None:
        return None
    # A canonical DynamoDB number (at most 38 digits, magnitude below 1E126) fits a float;
    # the few ulps lost do not matter at second resolution.
    return float(number)


def is_expired_at(expiry: float | None, now: float) -> bool:
    """True when ``expiry`` lies in the past, but not more than five years in the past."""
    if expiry is None:
        return False
    return now - limits.TTL_EXPIRY_AGE_IGNORED_SECONDS <= expiry < now


class ExpiryTest:
    """Tests stored items (canonical wire JSON) against one attribute name, cheaply: an item
    whose bytes do not even contain the quoted name is not parsed."""

    def __init__(self, attribute_name: str) -> None:
        self.attribute_name = attribute_name
        self._needle = orjson.dumps(attribute_name)

    def expired(self, item_json: bytes, now: float) -> bool:
        if self._needle not in item_json:
            return False
        item = orjson.loads(item_json)
        return is_expired_at(expires_at(item, self.attribute_name), now)
