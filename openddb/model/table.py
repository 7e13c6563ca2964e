"""Tables as openddb keeps them: the catalog entry behind a TableDescription.

A :class:`Table` is immutable; a control-plane change builds a new one and the
catalog swaps it in after the storage commit. The stored form is the
TableDescription JSON (API reference, ``TableDescription``) minus the members
computed when described (``TableStatus`` once transient, ``ItemCount``,
``TableSizeBytes``).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from openddb.model.item import KeyAttribute

STATUS_CREATING = "CREATING"
STATUS_ACTIVE = "ACTIVE"
STATUS_UPDATING = "UPDATING"
STATUS_DELETING = "DELETING"

# Why a table is UPDATING; DeleteTable's ResourceInUseException names it (stored, never
# reorder or rename: the values are written to the catalog row).
UPDATING_THROUGHPUT = "throughput"
UPDATING_STREAM = "stream"
UPDATING_INDEXES = "indexes"
UPDATING_OTHER = "other"


@dataclass(frozen=True, slots=True)
class Table:
    """One table of one namespace.

    ``description`` is the stored TableDescription (a dict, never mutated). Transient
    statuses are computed from the clock, never by a background thread: the table is
    CREATING until ``active_at``, UPDATING (for ``updating_reason``) until
    ``updating_until``, and once ``deleting_until`` is set it is DELETING until then and
    gone afterwards (all in seconds since the epoch).
    """

    table_id: int
    namespace: str
    name: str
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None
    description: dict[str, Any]
    active_at: float
    tags: dict[str, str] = field(default_factory=dict)
    updating_until: float = 0.0
    updating_reason: str = UPDATING_OTHER
    deleting_until: float | None = None
    # Time to Live settings (openddb/ttl/specification.py); None: never configured.
    # Kept beside the description because DescribeTable does not show them.
    time_to_live: dict[str, Any] | None = None

    def status(self, now: float) -> str:
        """TableStatus at ``now`` (see the class docstring)."""
        if now < self.active_at:
            return STATUS_CREATING
        if self.deleting_until is not None:
            return STATUS_DELETING
        if now < self.updating_until:
            return STATUS_UPDATING
        return STATUS_ACTIVE

    def gone(self, now: float) -> bool:
        """True once a delayed deletion has finished: the table no longer exists."""
        return self.deleting_until is not None and now >= self.deleting_until

    @property
    def arn(self) -> str:
        arn: str = self.description["TableArn"]
        return arn

    def to_stored(self) -> bytes:
        """The catalog row's JSON: description, transient-status times and tags."""
        return orjson.dumps(
            {
                "Description": self.description,
                "ActiveAt": self.active_at,
                "Tags": self.tags,
                "UpdatingUntil": self.updating_until,
                "UpdatingReason": self.updating_reason,
                "DeletingUntil": self.deleting_until,
                "TimeToLive": self.time_to_live,
            }
        )

    @staticmethod
    def from_stored(table_id: int, namespace: str, name: str, stored: bytes) -> Table:
        row = orjson.loads(stored)
        table = Table.build(
            table_id, namespace, name, row["Description"], row["ActiveAt"], row["Tags"]
        )
        return dataclasses.replace(
            table,
            updating_until=row.get("UpdatingUntil", 0.0),
            updating_reason=row.get("UpdatingReason", UPDATING_OTHER),
            deleting_until=row.get("DeletingUntil"),
            time_to_live=row.get("TimeToLive"),
        )

    @staticmethod
    def build(
        table_id: int,
        namespace: str,
        name: str,
        description: dict[str, Any],
        active_at: float,
        tags: dict[str, str],
    ) -> Table:
        """A table from its stored TableDescription; key attributes are derived from it."""
        types = {
            definition["AttributeName"]: definition["AttributeType"]
            for definition in description["AttributeDefinitions"]
        }
        return Table(
            table_id=table_id,
            namespace=namespace,
            name=name,
            partition_key=_key_attribute(description["KeySchema"], "HASH", types),
            sort_key=_optional_key_attribute(description["KeySchema"], "RANGE", types),
            description=description,
            active_at=active_at,
            tags=tags,
        )


def _optional_key_attribute(
    key_schema: list[dict[str, str]], key_type: str, types: dict[str, str]
) -> KeyAttribute | None:
    for element in key_schema:
        if element["KeyType"] == key_type:
            name = element["AttributeName"]
            return KeyAttribute(name, types[name])
    return None


def _key_attribute(
    key_schema: list[dict[str, str]], key_type: str, types: dict[str, str]
) -> KeyAttribute:
    attribute = _optional_key_attribute(key_schema, key_type, types)
    assert attribute is not None, "every table has a partition key"
    return attribute


class Catalog:
    """Tables by (namespace, name), shared by all requests of one server.

    Storage is the source of truth; the catalog mirrors it and is changed only
    after the storage commit that made the change. Changes made by other server processes
    on the same database arrive through :meth:`watch`.
    """

    def __init__(self) -> None:
        self._tables: dict[tuple[str, str], Table] = {}
        self._lock = threading.Lock()
        self._generation: Callable[[], int] | None = None
        self._load: Callable[[], list[Table]] = list
        self._loaded_at = 0

    def watch(self, generation: Callable[[], int], load: Callable[[], list[Table]]) -> None:
        """Fill the catalog with ``load()`` now, and again whenever ``generation()`` (the
        storage's catalog generation) has changed since: other server processes on the same
        database changed a table."""
        self._generation, self._load = generation, load
        self._reload(generation())

    def _sync(self) -> None:
        if self._generation is not None:
            current = self._generation()
            if current != self._loaded_at:
                self._reload(current)

    def _reload(self, generation: int) -> None:
        tables = self._load()
        with self._lock:
            self._tables = {(table.namespace, table.name): table for table in tables}
            self._loaded_at = generation

    def get(self, namespace: str, name: str) -> Table | None:
        self._sync()
        return self._tables.get((namespace, name))

    def put(self, table: Table) -> None:
        with self._lock:
            self._tables[(table.namespace, table.name)] = table

    def remove(self, table: Table) -> None:
        with self._lock:
            current = self._tables.get((table.namespace, table.name))
            if current is not None and current.table_id == table.table_id:
                del self._tables[(table.namespace, table.name)]

    def names(self, namespace: str) -> list[str]:
        """Table names of ``namespace`` in ascending order (ListTables order)."""
        self._sync()
        return sorted(name for (space, name) in list(self._tables) if space == namespace)

    def tables(self, namespace: str) -> list[Table]:
        """Tables of ``namespace`` in ascending name order (including deleted-but-unpurged
        ones: callers filter with :meth:`Table.gone`)."""
        self._sync()
        entries = [(name, table) for (space, name), table in list(self._tables.items())
                   if space == namespace]
        return [table for _, table in sorted(entries, key=lambda entry: entry[0])]

    def all(self) -> list[Table]:
        self._sync()
        return list(self._tables.values())

    def count(self, namespace: str) -> int:
        self._sync()
        return sum(1 for (space, _) in list(self._tables) if space == namespace)
