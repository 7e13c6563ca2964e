"""Helpers for the secondary index tests: index definitions, paged reads, and a server of
its own whose background index worker the test drives step by step."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from conftest import client_for

from openddb.config import Settings
from openddb.indexes.workers import IndexWorkers
from openddb.server.runtime import RunningServer, start_in_thread

# How long a test waits for the background worker to finish an index (seconds).
ACTIVE_TIMEOUT_SECONDS = 60.0


def key_schema(hash_name: str, range_name: str | None = None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_name, "KeyType": "HASH"}]
    if range_name is not None:
        schema.append({"AttributeName": range_name, "KeyType": "RANGE"})
    return schema


def projection(projection_type: str = "ALL", non_key: list[str] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"ProjectionType": projection_type}
    if non_key is not None:
        answer["NonKeyAttributes"] = non_key
    return answer


def index(
    name: str,
    hash_name: str,
    range_name: str | None = None,
    projection_type: str = "ALL",
    non_key: list[str] | None = None,
) -> dict[str, Any]:
    return {"IndexName": name, "KeySchema": key_schema(hash_name, range_name),
            "Projection": projection(projection_type, non_key)}


def definitions(**types: str) -> list[dict[str, str]]:
    return [{"AttributeName": name, "AttributeType": kind} for name, kind in types.items()]


def create_table(
    dynamodb: Any,
    name: str,
    types: dict[str, str],
    hash_name: str = "pk",
    range_name: str | None = "sk",
    **extra: Any,
) -> dict[str, Any]:
    """A PAY_PER_REQUEST table with the given attribute types and indexes; its
    TableDescription."""
    answer = dynamodb.create_table(
        TableName=name, KeySchema=key_schema(hash_name, range_name),
        AttributeDefinitions=definitions(**types), BillingMode="PAY_PER_REQUEST", **extra)
    description: dict[str, Any] = answer["TableDescription"]
    return description


def pages(method: Any, **request: Any) -> Iterator[dict[str, Any]]:
    """Every page of a Query or Scan, following LastEvaluatedKey."""
    while True:
        page: dict[str, Any] = method(**request)
        yield page
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def read_all(method: Any, **request: Any) -> list[dict[str, Any]]:
    return [item for page in pages(method, **request) for item in page.get("Items", [])]


def index_status(dynamodb: Any, table: str, index_name: str) -> dict[str, Any]:
    for described in dynamodb.describe_table(TableName=table)["Table"].get(
        "GlobalSecondaryIndexes", []
    ):
        if described["IndexName"] == index_name:
            answer: dict[str, Any] = described
            return answer
    return {}


def wait_active(dynamodb: Any, table: str, index_name: str) -> dict[str, Any]:
    deadline = time.monotonic() + ACTIVE_TIMEOUT_SECONDS
    while True:
        described = index_status(dynamodb, table, index_name)
        if described.get("IndexStatus") == "ACTIVE":
            return described
        assert time.monotonic() < deadline, described
        time.sleep(0.02)


def put_many(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        answer = dynamodb.batch_write_item(RequestItems={table: batch})
        assert answer["UnprocessedItems"] == {}


@dataclass
class DrivenServer:
    """A server whose background index worker is stopped: ``run_pass`` does what one pass
    of the worker would (one step of every pending job)."""

    running: RunningServer
    dynamodb: Any
    worker: IndexWorkers

    def run_pass(self) -> bool:
        return self.worker.run_pass()

    def finish_jobs(self) -> int:
        passes = 0
        while self.run_pass():
            passes += 1
        return passes


@contextmanager
def driven_server(**settings: Any) -> Iterator[DrivenServer]:
    chosen: dict[str, Any] = {"port": 0, "in_memory": True, "log_level": "warning", **settings}
    running = start_in_thread(Settings(**chosen))
    try:
        running._uvicorn.config.app.index_workers.stop()
        worker = IndexWorkers(running.server)
        yield DrivenServer(running, client_for(running.endpoint), worker)
        worker.release_claims()
    finally:
        running.stop()
