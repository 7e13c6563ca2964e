"""Capacity-unit arithmetic and the ``ConsumedCapacity`` shape.

Rules from the Developer Guide, "Read/write capacity mode" and "Item sizes and
formats": a read unit covers 4 KB read with strong consistency (eventually
consistent reads cost half); a write unit covers 1 KB written; sizes round up
to the next unit and every request costs at least one unit (half for an
eventually consistent read). Writes are charged on the larger of the old and
new item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    indexes = indexes or IndexWriteUnits()
    total = units + indexes.total()
    consumed: dict[str, Any] = {
        "TableName": table_name,
        "CapacityUnits": total,
        f"{kind}CapacityUnits": total,
    }
    if return_consumed_capacity == "INDEXES":
        consumed["Table"] = {"CapacityUnits": units, f"{kind}CapacityUnits": units}
        for member, per_index in indexes.members():
            consumed[member] = {
                name: {"CapacityUnits": index_units, f"{kind}CapacityUnits": index_units}
                for name, index_units in per_index.items()
            }
    return consumed


# --- secondary index writes -----------------------------------------------------------------
# Writing an item costs each secondary index whose entry it adds, changes or removes --
# one write of the new entry when the item enters the index or a projected attribute
# changes, one of the old entry when it leaves, both when an index key value changes
# (from A to B: a delete and a put); nothing when the item is in the index neither before
# nor after. An entry is the table's key, the index key and the projected attributes,
# rounded up to 1 KB like any write. Same rules for both kinds of index: Developer Guide
# "Global secondary indexes" > "Provisioned throughput considerations for global secondary
# indexes" > "Write capacity units" and "Local secondary indexes" > "Provisioned
# throughput considerations for Local Secondary Indexes" > "Write Capacity Units". A GSI's
# units draw on the GSI's own capacity; an LSI's on its table's ("updating the local
# secondary indexes will consume provisioned write capacity units for the table"; the
# throughput hook charges them so). Inferred, as the guide's cases do not name them: a
# changed projected non-key attribute rewrites the entry (one write), and an entry that
# does not change at all costs nothing (a KEYS_ONLY index is not written when an attribute
# it does not project is).

Item = dict[str, Any]

GLOBAL_INDEXES = "GlobalSecondaryIndexes"
LOCAL_INDEXES = "LocalSecondaryIndexes"


@dataclass(slots=True)
class IndexWriteUnits:
    """Write units per index name, GSIs and LSIs apart (each a ConsumedCapacity map);
    indexes a write does not touch are left out."""

    global_indexes: dict[str, float] = field(default_factory=dict)
    local_indexes: dict[str, float] = field(default_factory=dict)

    def total(self) -> float:
        return sum(self.global_indexes.values()) + sum(self.local_indexes.values())

    def members(self) -> list[tuple[str, dict[str, float]]]:
        """(ConsumedCapacity member, units per index) of the kinds with units."""
        return [
            (member, per_index)
            for member, per_index in (
                (GLOBAL_INDEXES, self.global_indexes),
                (LOCAL_INDEXES, self.local_indexes),
            )
            if per_index
        ]

    def add(self, more: IndexWriteUnits, factor: float = 1.0) -> None:
        """Add ``factor`` times ``more`` (a transaction counts each write twice)."""
        for mine, theirs in (
            (self.global_indexes, more.global_indexes),
            (self.local_indexes, more.local_indexes),
        ):
            for name, units in theirs.items():
                mine[name] = mine.get(name, 0.0) + factor * units


def has_secondary_indexes(table: Table) -> bool:
    description = table.description
    return bool(description.get(GLOBAL_INDEXES) or description.get(LOCAL_INDEXES))


def index_write_units(
    table: Table, old_item: Item | None, new_item: Item | None
) -> IndexWriteUnits:
    """Write units per GSI and per LSI for replacing ``old_item`` (None: absent) by
    ``new_item`` (None: deleted) in ``table`` (rules above)."""
    return IndexWriteUnits(
        _per_index_write_units(table, GLOBAL_INDEXES, old_item, new_item),
        _per_index_write_units(table, LOCAL_INDEXES, old_item, new_item),
    )


def _per_index_write_units(
    table: Table, member: str, old_item: Item | None, new_item: Item | None
) -> dict[str, float]:
    """Write units per index of the description's ``member`` list (indexes of one kind)."""
    units: dict[str, float] = {}
    for index in table.description.get(member, ()):
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
