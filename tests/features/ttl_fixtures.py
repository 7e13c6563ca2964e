"""Helpers for the Time to Live tests: servers of their own on a virtual clock, moved and
swept through the admin endpoints (``openddb.admin.Admin``), and small item builders."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from conftest import client_for
from stream_fixtures import streams_client_for

from openddb.admin import Admin
from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

# Long enough that the background sweeper never runs unless a test wakes it.
QUIET_INTERVAL = 3600.0
# How long a test waits for the background sweeper (real seconds).
WAIT_SECONDS = 20.0
SERVICE_IDENTITY = {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}

_tables = itertools.count()


@dataclass
class TtlServer:
    """A server of its own on a virtual clock, with its clients."""

    running: RunningServer
    dynamodb: Any
    streams: Any
    admin: Admin

    def table_name(self, prefix: str) -> str:
        return f"{prefix}-{next(_tables)}"

    def create_table(
        self, prefix: str, attribute: str | None = "expiresAt", stream: bool = True,
        **extra: Any,
    ) -> str:
        """A PAY_PER_REQUEST table ``pk`` (S) with a NEW_AND_OLD_IMAGES stream and TTL
        enabled on ``attribute`` (None: TTL left disabled); returns its name."""
        name = self.table_name(prefix)
        if stream:
            extra["StreamSpecification"] = {
                "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"
            }
        definitions = extra.pop("AttributeDefinitions", [])
        self.dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, *definitions],
            BillingMode="PAY_PER_REQUEST",
            **extra,
        )
        if attribute is not None:
            enable_ttl(self.dynamodb, name, attribute)
        return name


def enable_ttl(dynamodb: Any, table: str, attribute: str = "expiresAt") -> None:
    dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
    )


@contextlib.contextmanager
def ttl_server(**settings: Any) -> Iterator[TtlServer]:
    """A server on a virtual clock whose sweeper stays quiet unless woken (override with
    ``ttl_interval=...``)."""
    settings.setdefault("ttl_interval", QUIET_INTERVAL)
    settings.setdefault("in_memory", True)
    running = start_in_thread(
        Settings(port=0, log_level="warning", clock="virtual", **settings)
    )
    try:
        yield TtlServer(
            running,
            client_for(running.endpoint),
            streams_client_for(running.endpoint),
            Admin(running.endpoint),
        )
    finally:
        running.stop()


def item(pk: str, **attributes: Any) -> dict[str, Any]:
    """``item("a", expiresAt=123, note="x")``: ints become N, strings S, dicts stay as they
    are (already AttributeValues)."""
    values: dict[str, Any] = {"pk": {"S": pk}}
    for name, value in attributes.items():
        if isinstance(value, dict):
            values[name] = value
        elif isinstance(value, (int, float)):
            values[name] = {"N": str(value)}
        else:
            values[name] = {"S": value}
    return values


def keys_of(dynamodb: Any, table: str) -> set[str]:
    """The partition keys of every item of ``table`` (Scan, all pages)."""
    found: set[str] = set()
    request: dict[str, Any] = {"TableName": table}
    while True:
        page = dynamodb.scan(**request)
        found |= {entry["pk"]["S"] for entry in page["Items"]}
        if "LastEvaluatedKey" not in page:
            return found
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def put_all(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    """Put ``items`` through BatchWriteItem, 25 at a time."""
    for first in range(0, len(items), 25):
        dynamodb.batch_write_item(
            RequestItems={
                table: [{"PutRequest": {"Item": entry}} for entry in items[first:first + 25]]
            }
        )
