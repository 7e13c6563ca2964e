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
from openddb.model.attribute_value import validate_item
from openddb.model.table import Table

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
    global_indexes: dict[str, float] | None = None,
) -> dict[str, Any] | None:
    """The ``ConsumedCapacity`` member for one table, or None when not requested.

    ``return_consumed_capacity`` is the request's ``ReturnConsumedCapacity``
    (NONE, TOTAL or INDEXES); ``kind`` is "Read" or "Write". ``global_indexes`` holds the
    units each global secondary index consumed (writes that change index entries): TOTAL
    counts them in the aggregate, INDEXES also lists them one by one.
    """
    if return_consumed_capacity not in ("TOTAL", "INDEXES"):
        return None
    total = units + sum((global_indexes or {}).values())
    consumed: dict[str, Any] = {
        "TableName": table_name,
        "CapacityUnits": total,
        f"{kind}CapacityUnits": total,
    }
    if return_consumed_capacity == "INDEXES":
        consumed["Table"] = {"CapacityUnits": units, f"{kind}CapacityUnits": units}
        if global_indexes:
            consumed["GlobalSecondaryIndexes"] = {
                name: {"CapacityUnits": index_units, f"{kind}CapacityUnits": index_units}
                for name, index_units in global_indexes.items()
            }
    return consumed


# --- global secondary index writes ----------------------------------------------------------
# Developer Guide "Global secondary indexes: provisioned throughput considerations": writing
# an item costs each GSI whose entry it adds, changes or removes -- one write of the new entry
# when the item enters the index or a projected attribute changes, one of the old entry when
# it leaves, both when an index key value changes; nothing when the item is in the index
# neither before nor after. An entry is the table's key, the index key and the projected
# attributes, rounded up to 1 KB like any write. (An entry that does not change at all is
# taken to cost nothing: inferred.)

Item = dict[str, Any]


def index_write_units(
    table: Table, old_item: Item | None, new_item: Item | None
) -> dict[str, float]:
    """Write units per GSI name for replacing ``old_item`` (None: absent) by ``new_item``
    (None: deleted) in ``table``; GSIs the change does not touch are left out."""
    units: dict[str, float] = {}
    for index in table.description.get("GlobalSecondaryIndexes", ()):
        key_names = [element["AttributeName"] for element in index["KeySchema"]]
        old_entry = _index_entry(table, index, key_names, old_item)
        new_entry = _index_entry(table, index, key_names, new_item)
        cost = _entry_write_units(key_names, old_entry, new_entry)
        if cost:
            units[index["IndexName"]] = cost
    return units


def _index_entry(
    table: Table, index: dict[str, Any], key_names: list[str], item: Item | None
) -> Item | None:
    """The item's entry in the index, or None when the item lacks an index key attribute."""
    if item is None or any(name not in item for name in key_names):
        return None
    projection = index["Projection"]
    if projection["ProjectionType"] == "ALL":
        return item
    names = [*key_names, table.partition_key.name]
    if table.sort_key is not None:
        names.append(table.sort_key.name)
    names += projection.get("NonKeyAttributes", [])
    return {name: item[name] for name in names if name in item}


def _entry_write_units(key_names: list[str], old: Item | None, new: Item | None) -> float:
    if old is None and new is None:
        return 0.0
    if old is None:
        assert new is not None
        return write_units(validate_item(new))
    if new is None:
        return write_units(validate_item(old))
    if any(old[name] != new[name] for name in key_names):
        return write_units(validate_item(old)) + write_units(validate_item(new))
    return 0.0 if old == new else write_units(validate_item(new))
