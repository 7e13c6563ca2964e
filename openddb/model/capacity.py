"""Capacity-unit arithmetic and the ``ConsumedCapacity`` shape.

Rules from the Developer Guide, "Read/write capacity mode" and "Item sizes and
formats": a read unit covers 4 KB read with strong consistency (eventually
consistent reads cost half); a write unit covers 1 KB written; sizes round up
to the next unit and every request costs at least one unit (half for an
eventually consistent read). Writes are charged on the larger of the old and
new item.
"""

from __future__ import annotations

from typing import Any

from openddb import limits

EVENTUAL_READ_FACTOR = 0.5


def read_units(item_bytes: int, consistent_read: bool) -> float:
    """Read capacity units (float) for reading ``item_bytes`` bytes in one request."""
    units = max(1, -(-item_bytes // limits.READ_UNIT_BYTES))
    return float(units) if consistent_read else units * EVENTUAL_READ_FACTOR


def write_units(item_bytes: int) -> float:
    """Write capacity units (float) for writing ``item_bytes`` bytes (min 1)."""
    return float(max(1, -(-item_bytes // limits.WRITE_UNIT_BYTES)))


def consumed_capacity(
    return_consumed_capacity: str | None, table_name: str, units: float, kind: str
) -> dict[str, Any] | None:
    """The ``ConsumedCapacity`` member for one table, or None when not requested.

    ``return_consumed_capacity`` is the request's ``ReturnConsumedCapacity``
    (NONE, TOTAL or INDEXES); ``kind`` is "Read" or "Write".
    """
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    consumed: dict[str, Any] = {
        "TableName": table_name,
        "CapacityUnits": units,
        f"{kind}CapacityUnits": units,
    }
    if return_consumed_capacity == "INDEXES":
        consumed["Table"] = {"CapacityUnits": units, f"{kind}CapacityUnits": units}
    return consumed
