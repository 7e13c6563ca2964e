"""Per-table and per-GSI token buckets, consumed-unit counters and their metrics text.

See the package docstring for the rules. :class:`Throughput` is shared by every request
of one server (``Server.throughput``); reads run on the event loop and writes on the
storage writer thread, so its state is guarded by one lock, held only for arithmetic.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from openddb import errors, limits
from openddb.clock import Clock
from openddb.config import Settings
from openddb.model.table import Table
from openddb.model.table_schema import BILLING_PROVISIONED, billing_mode_of
from openddb.throughput.buckets import TokenBucket

READ = "Read"
WRITE = "Write"
# The LimitType part of a ThrottlingReason (API reference ThrottlingReason).
PROVISIONED_EXCEEDED = "ProvisionedThroughputExceeded"
MAX_ON_DEMAND_EXCEEDED = "MaxOnDemandThroughputExceeded"
ACCOUNT_LIMIT_EXCEEDED = "AccountLimitExceeded"
# A new bucket holds one second of its rate; on-demand buckets never hold more.
INITIAL_SECONDS = 1.0
ON_DEMAND_BURST_SECONDS = 1.0
# Bounds on what the meter keeps (STYLE rule 7): buckets of tables no longer used are
# dropped, least recently used first, past BUCKETS_MAX; counter series past SERIES_MAX
# are added up under the table name OTHER_SERIES.
BUCKETS_MAX = 10_000
SERIES_MAX = 10_000
OTHER_SERIES = "(other)"

BucketKey = tuple[int, str | None, str]  # (table id, GSI name or None, READ or WRITE)
SeriesKey = tuple[str, str, str, str]  # (namespace, table name, index name or "", kind)


@dataclass(frozen=True, slots=True)
class Limit:
    """What a table or GSI may consume per second for reads or for writes."""

    rate: float
    capacity: float
    limit_type: str


@dataclass(frozen=True, slots=True)
class Throttle:
    """Why a request may not draw on a table's or GSI's bucket now."""

    limit_type: str
    kind: str
    index_name: str | None
    resource_arn: str

    @property
    def reason(self) -> str:
        resource_type = "Table" if self.index_name is None else "Index"
        return f"{resource_type}{self.kind}{self.limit_type}"

    def throttling_reasons(self) -> list[dict[str, str]]:
        return [{"reason": self.reason, "resource": self.resource_arn}]

    def error(self) -> errors.DynamoDBError:
        """The exception DynamoDB answers for this throttle."""
        index = self.index_name is not None
        if self.limit_type == PROVISIONED_EXCEEDED:
            return errors.provisioned_throughput_exceeded(index, self.throttling_reasons())
        if self.limit_type == MAX_ON_DEMAND_EXCEEDED:
            return errors.on_demand_throttled(index, self.throttling_reasons())
        assert self.limit_type == ACCOUNT_LIMIT_EXCEEDED, self.limit_type
        return errors.account_limit_exceeded(self.throttling_reasons())

    def cancellation_reason(self) -> dict[str, Any]:
        """The CancellationReason of a throttled transaction action (model documentation of
        TransactionCanceledException)."""
        index = self.index_name is not None
        if self.limit_type == PROVISIONED_EXCEEDED:
            code, message = (
                errors.REASON_PROVISIONED_THROUGHPUT_EXCEEDED,
                (errors.throughput_exceeded_text(index)),
            )
        elif self.limit_type == MAX_ON_DEMAND_EXCEEDED:
            code, message = errors.REASON_THROTTLING_ERROR, errors.on_demand_throttled_text(index)
        else:
            code, message = errors.REASON_REQUEST_LIMIT_EXCEEDED, errors.ACCOUNT_LIMIT_TEXT
        return {"Code": code, "Message": message}


class Throughput:
    """Buckets and counters of one server. ``throttling`` is the ``--throttling`` switch:
    without it nothing is ever refused, but consumption is still counted."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.throttling = settings.throttling
        self._burst_seconds = settings.throttling_burst_seconds
        self._control_plane_rate = settings.throttling_control_plane_rate
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[BucketKey, TokenBucket] = {}
        self._control_plane: dict[str, TokenBucket] = {}
        self._consumed: dict[SeriesKey, float] = {}
        self._throttled: dict[tuple[str, str, str], int] = {}

    # --- admission and charging -------------------------------------------------------------

    def admit(
        self, table: Table, index_name: str | None, kind: str, pending: float = 0.0
    ) -> Throttle | None:
        """None when the bucket holds more than ``pending`` units (the estimate of what the
        same request already drew on it); otherwise why not."""
        limit = _limit(table, index_name, kind, self._burst_seconds)
        with self._lock:
            tokens = self._bucket(table, index_name, kind, limit).tokens
        if tokens - pending > 0:
            return None
        arn = table.arn if index_name is None else f"{table.arn}/index/{index_name}"
        return Throttle(limit.limit_type, kind, index_name, arn)

    def admit_write(self, table: Table, pending: float = 0.0) -> Throttle | None:
        """A write draws on the table and on every GSI of it (see the package docstring)."""
        throttle = self.admit(table, None, WRITE, pending)
        for index in table.description.get("GlobalSecondaryIndexes", ()):
            if throttle is not None:
                break
            throttle = self.admit(table, index["IndexName"], WRITE, pending)
        return throttle

    def charge(self, table: Table, index_name: str | None, kind: str, units: float) -> None:
        """Count ``units`` consumed and, with throttling, take them from the bucket."""
        if units <= 0:
            return
        limit = _limit(table, index_name, kind, self._burst_seconds) if self.throttling else None
        with self._lock:
            if limit is not None:
                self._bucket(table, index_name, kind, limit).take(units)
            series = (table.namespace, table.name, index_name or "", kind)
            if series not in self._consumed and len(self._consumed) >= SERIES_MAX:
                series = (table.namespace, OTHER_SERIES, "", kind)
            self._consumed[series] = self._consumed.get(series, 0.0) + units

    def count_throttle(self, table: Table, throttle: Throttle) -> None:
        with self._lock:
            series = (table.namespace, table.name, throttle.reason)
            if series not in self._throttled and len(self._throttled) >= SERIES_MAX:
                series = (table.namespace, OTHER_SERIES, throttle.reason)
            self._throttled[series] = self._throttled.get(series, 0) + 1

    def admit_control_plane(self, namespace: str) -> bool:
        """Take one request from the account's control-plane bucket; False when empty."""
        rate = self._control_plane_rate
        with self._lock:
            bucket = self._control_plane.get(namespace)
            if bucket is None:
                if len(self._control_plane) >= BUCKETS_MAX:
                    self._control_plane.clear()
                bucket = TokenBucket(rate, self._clock.now())
                self._control_plane[namespace] = bucket
            if bucket.refill(self._clock.now(), rate, rate) < 1:
                return False
            bucket.take(1)
            return True

    def _bucket(self, table: Table, index_name: str | None, kind: str, limit: Limit) -> TokenBucket:
        """The refilled bucket (caller holds the lock)."""
        now = self._clock.now()
        key = (table.table_id, index_name, kind)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= BUCKETS_MAX:
                self._forget_oldest_buckets()
            initial = min(limit.capacity, limit.rate * INITIAL_SECONDS)
            bucket = TokenBucket(initial, now)
            self._buckets[key] = bucket
        bucket.refill(now, limit.rate, limit.capacity)
        return bucket

    def _forget_oldest_buckets(self) -> None:
        by_age = sorted(self._buckets, key=lambda key: self._buckets[key].updated_at)
        for key in by_age[: len(by_age) // 2]:
            del self._buckets[key]

    # --- metrics ----------------------------------------------------------------------------

    def bucket_tokens(self, table: Table, index_name: str | None, kind: str) -> float:
        """Units in the bucket now (tests and the metrics text)."""
        limit = _limit(table, index_name, kind, self._burst_seconds)
        with self._lock:
            return self._bucket(table, index_name, kind, limit).tokens

    def metrics_text(self, tables: list[Table]) -> str:
        """The counters in the Prometheus text exposition format (version 0.0.4)."""
        with self._lock:
            consumed = sorted(self._consumed.items())
            throttled = sorted(self._throttled.items())
        lines: list[str] = []
        for kind in (READ, WRITE):
            name = f"openddb_consumed_{kind.lower()}_capacity_units_total"
            lines += [
                f"# HELP {name} {kind} capacity units consumed, per table and global "
                "secondary index.",
                f"# TYPE {name} counter",
            ]
            for (namespace, table_name, index_name, series_kind), units in consumed:
                if series_kind == kind:
                    labels = _labels(namespace=namespace, table=table_name, index=index_name)
                    lines.append(f"{name}{{{labels}}} {units:g}")
        name = "openddb_throttled_requests_total"
        lines += [f"# HELP {name} Requests refused by throttling.", f"# TYPE {name} counter"]
        for (namespace, table_name, reason), count in throttled:
            lines.append(
                f"{name}{{{_labels(namespace=namespace, table=table_name, reason=reason)}}} {count}"
            )
        if self.throttling:
            lines += self._bucket_lines(tables)
        return "\n".join(lines) + "\n"

    def _bucket_lines(self, tables: list[Table]) -> list[str]:
        name = "openddb_capacity_units_available"
        lines = [
            f"# HELP {name} Units in the token bucket now (with --throttling).",
            f"# TYPE {name} gauge",
        ]
        for table in sorted(tables, key=lambda table: (table.namespace, table.name)):
            for index_name in [None, *_global_index_names(table)]:
                for kind in (READ, WRITE):
                    tokens = self.bucket_tokens(table, index_name, kind)
                    labels = _labels(
                        namespace=table.namespace,
                        table=table.name,
                        index=index_name or "",
                        kind=kind.lower(),
                    )
                    lines.append(f"{name}{{{labels}}} {tokens:g}")
        return lines


def _limit(table: Table, index_name: str | None, kind: str, burst_seconds: float) -> Limit:
    """The rate and capacity of a table's or GSI's bucket, from its current description."""
    description = table.description
    indexes = description.get("GlobalSecondaryIndexes", ())
    # A GSI deleted meanwhile falls back to its table's description.
    description = next((i for i in indexes if i["IndexName"] == index_name), description)
    if billing_mode_of(table.description) == BILLING_PROVISIONED:
        rate = float(description["ProvisionedThroughput"][f"{kind}CapacityUnits"])
        return Limit(rate, rate * burst_seconds, PROVISIONED_EXCEEDED)
    quota = float(
        limits.ON_DEMAND_TABLE_READ_REQUEST_UNITS_MAX
        if kind == READ
        else limits.ON_DEMAND_TABLE_WRITE_REQUEST_UNITS_MAX
    )
    maximum = description.get("OnDemandThroughput", {}).get(f"Max{kind}RequestUnits", -1)
    if 0 < maximum < quota:
        return Limit(float(maximum), maximum * ON_DEMAND_BURST_SECONDS, MAX_ON_DEMAND_EXCEEDED)
    return Limit(quota, quota * ON_DEMAND_BURST_SECONDS, ACCOUNT_LIMIT_EXCEEDED)


def _global_index_names(table: Table) -> list[str]:
    return [index["IndexName"] for index in table.description.get("GlobalSecondaryIndexes", ())]


def _labels(**labels: str) -> str:
    return ",".join(f'{name}="{_escape(value)}"' for name, value in labels.items())


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
