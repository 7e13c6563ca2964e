"""Paging through Query and Scan: every item exactly once, in DynamoDB's order.

One 20,000-item table (a 5,000-item partition and 1,500 partitions of 10) is
loaded once per test module with BatchWriteItem and read with small Limits,
with the 1 MB page limit, in both directions, with filters that drop most
items, in 7 parallel-scan segments, through boto3's paginators and through the
AWS CLI's auto-pagination (``--page-size``).
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from aws_cli import aws, needs_aws_cli

from openddb import limits
from openddb.expressions.key_condition import SortKeyCondition
from openddb.model import paging
from openddb.model.attribute_value import validate_item
from openddb.model.item import KeyAttribute
from openddb.model.keys import encode_key_value, hash_token
from openddb.storage.engine import SortKeyBound

BIG_PARTITION = "big"
BIG_PARTITION_ITEMS = 5000
SMALL_PARTITIONS = 1500
SMALL_PARTITION_ITEMS = 10
TABLE_ITEMS = BIG_PARTITION_ITEMS + SMALL_PARTITIONS * SMALL_PARTITION_ITEMS
KEEP_EVERY = 50  # items with n % 50 == 0 carry keep = true: filters drop 98 %
BATCH = 25


def load(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), BATCH):
        requests = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH]]
        answer = dynamodb.batch_write_item(RequestItems={table: requests})
        assert answer["UnprocessedItems"] == {}


def create(dynamodb: Any, table: str, sort_type: str = "N") -> None:
    dynamodb.create_table(
        TableName=table,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": sort_type},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def item_of(partition: str, sort: int, number: int) -> dict[str, Any]:
    item = {"pk": {"S": partition}, "sk": {"N": str(sort)}, "n": {"N": str(number)}}
    if number % KEEP_EVERY == 0:
        item["keep"] = {"BOOL": True}
    return item


@pytest.fixture(scope="module")
def big_table(dynamodb: Any) -> Iterator[str]:
    table = f"paging-{os.getpid()}"
    create(dynamodb, table)
    # Sort keys of the big partition mix signs and magnitudes, so numeric order matters.
    items = [item_of(BIG_PARTITION, sort - 2500, sort) for sort in range(BIG_PARTITION_ITEMS)]
    number = BIG_PARTITION_ITEMS
    for partition in range(SMALL_PARTITIONS):
        for sort in range(SMALL_PARTITION_ITEMS):
            items.append(item_of(f"p{partition}", sort, number))
            number += 1
    assert len(items) == TABLE_ITEMS
    load(dynamodb, table, items)
    yield table
    dynamodb.delete_table(TableName=table)


def key_of(item: dict[str, Any]) -> tuple[str, int]:
    return item["pk"]["S"], int(item["sk"]["N"])


def query_pages(dynamodb: Any, **request: Any) -> Iterator[dict[str, Any]]:
    """Every page of a Query or Scan, following LastEvaluatedKey by hand."""
    operation = dynamodb.query if "KeyConditionExpression" in request else dynamodb.scan
    while True:
        page = operation(**request)
        yield page
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def big_partition_query(table: str, **extra: Any) -> dict[str, Any]:
    return {
        "TableName": table,
        "KeyConditionExpression": "pk = :p",
        "ExpressionAttributeValues": {":p": {"S": BIG_PARTITION}},
        **extra,
    }


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize("limit", [13, 997])
def test_query_pages_through_a_5000_item_partition(
    dynamodb: Any, big_table: str, forward: bool, limit: int
) -> None:
    request = big_partition_query(big_table, Limit=limit, ScanIndexForward=forward)
    seen: list[int] = []
    pages = 0
    for page in query_pages(dynamodb, **request):
        pages += 1
        assert page["Count"] == page["ScannedCount"] == len(page["Items"])
        assert page["Count"] <= limit
        seen += [key_of(item)[1] for item in page["Items"]]
    expected = [sort - 2500 for sort in range(BIG_PARTITION_ITEMS)]
    assert seen == (expected if forward else expected[::-1])
    # 5,000 is a multiple of neither Limit: no empty last page.
    assert pages == -(-BIG_PARTITION_ITEMS // limit)


@pytest.mark.parametrize("forward", [True, False])
def test_query_filter_dropping_most_items_still_pages_by_limit(
    dynamodb: Any, big_table: str, forward: bool
) -> None:
    request = big_partition_query(
        big_table,
        Limit=400,
        ScanIndexForward=forward,
        FilterExpression="keep = :t",
        ExpressionAttributeValues={":p": {"S": BIG_PARTITION}, ":t": {"BOOL": True}},
    )
    pages = list(query_pages(dynamodb, **request))
    # Limit counts items read before the filter: 400 per page, 8 of them kept.
    assert [page["ScannedCount"] for page in pages] == [400] * 12 + [200]
    assert {page["Count"] for page in pages} == {8, 4}
    kept = [key_of(item)[1] for page in pages for item in page["Items"]]
    expected = [sort - 2500 for sort in range(0, BIG_PARTITION_ITEMS, KEEP_EVERY)]
    assert kept == (expected if forward else expected[::-1])


def test_query_without_limit_reads_the_partition_in_one_page(dynamodb: Any, big_table: str) -> None:
    page = dynamodb.query(**big_partition_query(big_table, Select="COUNT"))
    # 5,000 items of 20-odd bytes are far below 1 MB: one page, no LastEvaluatedKey.
    assert page["Count"] == page["ScannedCount"] == BIG_PARTITION_ITEMS
    assert "LastEvaluatedKey" not in page
    assert "Items" not in page


def scan_order_key(item: dict[str, Any]) -> tuple[int, bytes, bytes]:
    partition = encode_key_value("S", item["pk"]["S"])
    return hash_token(partition), partition, encode_key_value("N", item["sk"]["N"])


def test_scan_pages_through_20000_items_in_hash_token_order(dynamodb: Any, big_table: str) -> None:
    seen: list[dict[str, Any]] = []
    for page in query_pages(dynamodb, TableName=big_table, Limit=700):
        assert page["ScannedCount"] == page["Count"] == len(page["Items"]) <= 700
        seen += page["Items"]
    assert len(seen) == TABLE_ITEMS
    assert len({key_of(item) for item in seen}) == TABLE_ITEMS
    order = [scan_order_key(item) for item in seen]
    assert order == sorted(order)


def test_scan_filter_dropping_most_items(dynamodb: Any, big_table: str) -> None:
    pages = list(
        query_pages(
            dynamodb,
            TableName=big_table,
            Limit=3000,
            ScanFilter={"keep": {"ComparisonOperator": "NOT_NULL"}},
        )
    )
    assert sum(page["ScannedCount"] for page in pages) == TABLE_ITEMS
    assert all(page["ScannedCount"] == 3000 for page in pages[:-1])
    kept = Counter(item["n"]["N"] for page in pages for item in page["Items"])
    assert kept == Counter(str(number) for number in range(0, TABLE_ITEMS, KEEP_EVERY))


def test_parallel_scan_in_7_segments_covers_the_table_once(dynamodb: Any, big_table: str) -> None:
    segments: list[set[tuple[str, int]]] = []
    for segment in range(7):
        keys: list[tuple[str, int]] = []
        request = {"TableName": big_table, "Segment": segment, "TotalSegments": 7, "Limit": 1500}
        for page in query_pages(dynamodb, **request):
            keys += [key_of(item) for item in page["Items"]]
        assert len(keys) == len(set(keys))
        segments.append(set(keys))
    assert sum(len(keys) for keys in segments) == TABLE_ITEMS
    assert len(set().union(*segments)) == TABLE_ITEMS
    # Hash tokens spread the 1,501 partitions: every segment gets a share.
    assert all(len(keys) > TABLE_ITEMS // 14 for keys in segments)


def test_boto3_paginators(dynamodb: Any, big_table: str) -> None:
    scanned = [
        key_of(item)
        for page in dynamodb.get_paginator("scan").paginate(
            TableName=big_table, PaginationConfig={"PageSize": 2500}
        )
        for item in page["Items"]
    ]
    assert len(scanned) == len(set(scanned)) == TABLE_ITEMS
    queried = [
        key_of(item)[1]
        for page in dynamodb.get_paginator("query").paginate(
            **big_partition_query(big_table, ScanIndexForward=False),
            PaginationConfig={"PageSize": 333},
        )
        for item in page["Items"]
    ]
    assert queried == [sort - 2500 for sort in reversed(range(BIG_PARTITION_ITEMS))]


@needs_aws_cli
def test_aws_cli_scan_and_query_auto_paginate(endpoint: str, big_table: str) -> None:
    def cli(*arguments: str) -> Any:
        # the namespace of the ``dynamodb`` fixture's client, which loaded big_table
        answer = aws(endpoint, *arguments, access_key_id="testing")
        assert "error" not in answer, answer
        return answer

    scanned = cli("scan", "--table-name", big_table, "--page-size", "1800")
    assert scanned["Count"] == scanned["ScannedCount"] == TABLE_ITEMS
    assert len({key_of(item) for item in scanned["Items"]}) == TABLE_ITEMS
    values = json.dumps({":p": {"S": BIG_PARTITION}})
    queried = cli(
        "query",
        "--table-name",
        big_table,
        "--key-condition-expression",
        "pk = :p",
        "--expression-attribute-values",
        values,
        "--page-size",
        "700",
    )
    assert [key_of(item)[1] for item in queried["Items"]] == [
        sort - 2500 for sort in range(BIG_PARTITION_ITEMS)
    ]


# --- the 1 MB page limit ---------------------------------------------------------------------

LARGE_ITEMS = 72
LARGE_PARTITION_ITEMS = 36  # partition L0: about 2.8 MB, three pages; L1..L6 hold 6 each


@pytest.fixture(scope="module")
def large_table(dynamodb: Any) -> Iterator[tuple[str, dict[tuple[str, int], int]]]:
    """72 items of 40-120 KB (about 5.6 MB) in 7 partitions; returns their sizes."""
    table = f"paging-large-{os.getpid()}"
    create(dynamodb, table)
    items = []
    for number in range(LARGE_ITEMS):
        filler = "x" * (40_000 + (number * 7919) % 80_000)
        partition = "L0" if number < LARGE_PARTITION_ITEMS else f"L{number % 6 + 1}"
        items.append({"pk": {"S": partition}, "sk": {"N": str(number)}, "f": {"S": filler}})
    sizes = {key_of(item): validate_item(item) for item in items}
    load(dynamodb, table, items)
    yield table, sizes
    dynamodb.delete_table(TableName=table)


def assert_megabyte_pages(pages: list[dict[str, Any]], sizes: dict[tuple[str, int], int]) -> None:
    """Each page but the last stops at the first item that brings it to 1 MB read."""
    for page in pages:
        page_sizes = [sizes[key_of(item)] for item in page["Items"]]
        if "LastEvaluatedKey" in page:
            assert sum(page_sizes) >= limits.QUERY_PAGE_BYTES_MAX
            assert sum(page_sizes[:-1]) < limits.QUERY_PAGE_BYTES_MAX
            assert page["LastEvaluatedKey"] == {
                "pk": page["Items"][-1]["pk"],
                "sk": page["Items"][-1]["sk"],
            }
        else:
            assert sum(page_sizes) < limits.QUERY_PAGE_BYTES_MAX


def test_scan_stops_each_page_at_one_megabyte(
    dynamodb: Any, large_table: tuple[str, dict[tuple[str, int], int]]
) -> None:
    table, sizes = large_table
    pages = list(query_pages(dynamodb, TableName=table))
    assert len(pages) > 4
    assert_megabyte_pages(pages, sizes)
    seen = [key_of(item) for page in pages for item in page["Items"]]
    assert sorted(seen) == sorted(sizes)


@pytest.mark.parametrize("forward", [True, False])
def test_query_stops_each_page_at_one_megabyte(
    dynamodb: Any, large_table: tuple[str, dict[tuple[str, int], int]], forward: bool
) -> None:
    table, sizes = large_table
    for name in ("L0", "L1"):
        request = {
            "TableName": table,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": name}},
            "ScanIndexForward": forward,
        }
        pages = list(query_pages(dynamodb, **request))
        assert len(pages) == (3 if name == "L0" else 1)
        assert_megabyte_pages(pages, sizes)
        seen = [key_of(item)[1] for page in pages for item in page["Items"]]
        expected = sorted(sort for (pk, sort) in sizes if pk == name)
        assert seen == (expected if forward else expected[::-1])


# --- the page reader and sort key ranges, without a server ------------------------------------


def fake_rows(sizes: list[int]) -> list[Any]:
    return [(0, b"p", index.to_bytes(4, "big"), b"{}", size) for index, size in enumerate(sizes)]


@pytest.mark.parametrize(
    "sizes",
    [
        [100] * 30_000,  # small items: chunks grow to 256 rows
        [50] * 600 + [400 * 1024] * 10,  # tiny items, then the largest: one chunk over-read
        [(n * 7919) % 300_000 + 1 for n in range(200)],
    ],
)
def test_read_page_stops_at_one_megabyte_and_reads_bounded_chunks(sizes: list[int]) -> None:
    rows = fake_rows(sizes)
    position = 0
    while position < len(rows):
        asked: list[int] = []

        def fetch(
            after: Any, count: int, start: int = position, asked: list[int] = asked
        ) -> list[Any]:
            asked.append(count)
            first = start if after is None else int.from_bytes(after[2], "big") + 1
            return rows[first : first + count]

        page = paging.read_page(fetch, None, limits.QUERY_PAGE_BYTES_MAX)
        assert page.rows == rows[position : position + len(page.rows)]
        assert page.read_bytes == sum(sizes[position : position + len(page.rows)])
        assert max(asked) <= paging.READ_CHUNK_ROWS_MAX
        if page.stopped:
            assert page.read_bytes >= limits.QUERY_PAGE_BYTES_MAX
            assert page.read_bytes - page.rows[-1][4] < limits.QUERY_PAGE_BYTES_MAX
        else:
            assert position + len(page.rows) == len(rows)
        position += len(page.rows)


def test_read_page_never_asks_for_more_than_the_limit() -> None:
    rows = fake_rows([10] * 100)
    asked: list[int] = []

    def fetch(after: Any, count: int) -> list[Any]:
        asked.append(count)
        return rows[:count]

    page = paging.read_page(fetch, 10, limits.QUERY_PAGE_BYTES_MAX)
    assert (len(page.rows), page.stopped, asked) == (10, True, [10])


def test_begins_with_ranges() -> None:
    def bounds(prefix: bytes) -> paging.SortKeyRange:
        condition = SortKeyCondition("BEGINS_WITH", ({"B": base64.b64encode(prefix).decode()},))
        return paging.sort_key_range(condition, KeyAttribute("sk", "B"))

    assert bounds(b"ab").upper == SortKeyBound(b"ac", False)
    assert bounds(b"a\xff\xff").upper == SortKeyBound(b"b", False)
    assert bounds(b"\xff\xff").upper is None
    keys = [b"a", b"a\xff", b"a\xff\xff", b"a\xff\xff\x00", b"b", b"\xff\xff\x01"]
    assert [key for key in keys if bounds(b"a\xff\xff").contains(key)] == [
        b"a\xff\xff",
        b"a\xff\xff\x00",
    ]
    assert [key for key in keys if bounds(b"\xff\xff").contains(key)] == [b"\xff\xff\x01"]
