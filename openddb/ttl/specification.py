"""A table's Time to Live settings: their status on the clock and UpdateTimeToLive's rules.

Kept in ``Table.time_to_live`` (the catalog row), never in the TableDescription, because
DescribeTable does not show them::

    {"AttributeName": "expiresAt", "Enabled": true, "UpdatedAt": <epoch s>, "SettledAt": <epoch s>}

``TimeToLiveStatus`` at ``now`` (DescribeTimeToLive)::

    never configured                    DISABLED
    Enabled,     now <  SettledAt       ENABLING    + AttributeName
    Enabled,     now >= SettledAt       ENABLED     + AttributeName
    not Enabled, now <  SettledAt       DISABLING   + AttributeName
    not Enabled, now >= SettledAt       DISABLED    (the attribute is forgotten)

A change settles at once unless ``--delay-transient-statuses`` is set: the live service showed
the settled status at the first poll, 1 s after the change, and a disabled table exactly like
a never-configured one (ACK lab DDB-TABLE-144, 145). Items are deleted only while ENABLED.

UpdateTimeToLive checks the specification against the current settings first ("already
enabled", "already disabled", "active on a different AttributeName") and only then the
interval since the last successful change (ACK lab DDB-TABLE-143, 147); refused requests do
not restart the interval. The attribute may be a key attribute (DDB-TABLE-146).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openddb import errors, limits

STATUS_ENABLING = "ENABLING"
STATUS_ENABLED = "ENABLED"
STATUS_DISABLING = "DISABLING"
STATUS_DISABLED = "DISABLED"


@dataclass(frozen=True, slots=True)
class TimeToLive:
    """The last successful UpdateTimeToLive of a table (times in epoch seconds)."""

    attribute_name: str
    enabled: bool
    updated_at: float
    settled_at: float

    @staticmethod
    def from_stored(stored: dict[str, Any] | None) -> TimeToLive | None:
        if stored is None:
            return None
        return TimeToLive(
            stored["AttributeName"], stored["Enabled"], stored["UpdatedAt"], stored["SettledAt"]
        )

    def to_stored(self) -> dict[str, Any]:
        return {
            "AttributeName": self.attribute_name,
            "Enabled": self.enabled,
            "UpdatedAt": self.updated_at,
            "SettledAt": self.settled_at,
        }


def status(time_to_live: TimeToLive | None, now: float) -> str:
    """TimeToLiveStatus at ``now`` (module docstring)."""
    if time_to_live is None:
        return STATUS_DISABLED
    settling = now < time_to_live.settled_at
    if time_to_live.enabled:
        return STATUS_ENABLING if settling else STATUS_ENABLED
    return STATUS_DISABLING if settling else STATUS_DISABLED


def description(time_to_live: TimeToLive | None, now: float) -> dict[str, Any]:
    """The TimeToLiveDescription at ``now``."""
    current = status(time_to_live, now)
    answer: dict[str, Any] = {"TimeToLiveStatus": current}
    if current != STATUS_DISABLED:
        assert time_to_live is not None
        answer["AttributeName"] = time_to_live.attribute_name
    return answer


def expiry_attribute(time_to_live: TimeToLive | None, now: float) -> str | None:
    """The attribute whose expired items may be deleted at ``now``: only while ENABLED."""
    if status(time_to_live, now) != STATUS_ENABLED:
        return None
    assert time_to_live is not None
    return time_to_live.attribute_name


def check_update(
    time_to_live: TimeToLive | None, enabled: bool, attribute_name: str, now: float
) -> None:
    """Raise the ValidationException the service answers to this UpdateTimeToLive."""
    active = status(time_to_live, now) in (STATUS_ENABLING, STATUS_ENABLED)
    if active:
        assert time_to_live is not None
        if time_to_live.attribute_name != attribute_name:
            raise errors.ttl_other_attribute(time_to_live.attribute_name)
        if enabled:
            raise errors.ttl_already_enabled()
    elif not enabled:
        raise errors.ttl_already_disabled()
    if (
        time_to_live is not None
        and now < time_to_live.updated_at + limits.TTL_UPDATE_COOLDOWN_SECONDS
    ):
        raise errors.ttl_modified_too_often()


def updated(enabled: bool, attribute_name: str, now: float, settle_seconds: float) -> TimeToLive:
    """The settings after a successful UpdateTimeToLive at ``now``."""
    assert settle_seconds >= 0, settle_seconds
    return TimeToLive(attribute_name, enabled, now, now + settle_seconds)
