"""Capacity-unit arithmetic and the ``ConsumedCapacity`` shape.

Rules from the Developer Guide, "Read/write capacity mode" and "Item sizes and
formats": a read unit covers 4 KB read with strong consistency (eventually
consistent reads cost half); a write unit covers 1 KB written; sizes round up
to the next unit and every request costs at least one unit (half for an
eventually consistent read). Writes are charged on the larger of the old and
new item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openddb import limits

if TYPE_CHECKING:
    from openddb.model.index import IndexWriteUnits

EVENTUAL_READ_FACTOR = 0.5


def read_units(item_bytes: int, consistent_read: bool) -> float:
    """Read capacity units (float) for reading ``item_bytes`` bytes in one request."""
    units = max(1, -(-item_bytes // limits.READ_UNIT_BYTES))
    return float(units) if consistent_read else units * EVENTUAL_READ_FACTOR


def write_units(item_bytes: int) -> float:
    """Write capacity units (float) for writing ``item_bytes`` bytes (min 1)."""
    return float(max(1, -(-item_bytes // limits.WRITE_UNIT_BYTES)))


def consumed_capacity(
    return_consumed_capacity: str | None,
    table_name: str,
    units: float,
    kind: str,
    indexes: IndexWriteUnits | None = None,
) -> dict[str, Any] | None:
    """The ``ConsumedCapacity`` member for one table, or None when not requested.

    ``return_consumed_capacity`` is the request's ``ReturnConsumedCapacity``
    (NONE, TOTAL or INDEXES); ``kind`` is "Read" or "Write". ``indexes`` holds the units
    each secondary index consumed (writes that change index entries): TOTAL counts them in
    the aggregate, INDEXES also lists them one by one, under ``GlobalSecondaryIndexes`` and
    ``LocalSecondaryIndexes`` (the ConsumedCapacity shape of the API reference).
    """
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    total = units if indexes is None else units + indexes.total()
    consumed: dict[str, Any] = {
        "TableName": table_name,
        "CapacityUnits": total,
        f"{kind}CapacityUnits": total,
    }
    if return_consumed_capacity == "INDEXES":
        consumed["Table"] = {"CapacityUnits": units, f"{kind}CapacityUnits": units}
        for member, per_index in [] if indexes is None else indexes.members():
            consumed[member] = {
                name: {"CapacityUnits": index_units, f"{kind}CapacityUnits": index_units}
                for name, index_units in per_index.items()
            }
    return consumed
