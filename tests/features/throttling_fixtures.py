"""Shared by the throttling and capacity-mode tests: a server of its own with --throttling on
a virtual clock, clients that never retry, and the throttling texts (behaviours.md
section 9 and its addendum)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from conftest import REGION

from openddb.clock import VirtualClock
from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

TABLE_EXCEEDED = (
    "The level of configured provisioned throughput for the table was exceeded. "
    "Consider increasing your provisioning level with the UpdateTable API."
)
INDEX_EXCEEDED = (
    "The level of configured provisioned throughput for one or more global secondary indexes "
    "of the table was exceeded. Consider increasing your provisioning level for the "
    "under-provisioned global secondary indexes with the UpdateTable API"
)
ON_DEMAND_THROTTLED = (
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically "
    "scaling your table or index so please try again shortly. If exceptions persist, check if "
    "you have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
)
ACCOUNT_LIMIT = (
    "Throughput exceeds the current throughput limit for your account. Please contact AWS "
    "Support at https://aws.amazon.com/support request a limit increase"
)
CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons"
_names = itertools.count()


class Throttled:
    """A server of its own with --throttling on a virtual clock."""

    def __init__(self, running: RunningServer) -> None:
        self.running = running
        self.dynamodb = no_retry_client(running.endpoint)
        clock = running.server.clock
        assert isinstance(clock, VirtualClock)
        self.clock = clock

    def table(self, read: int | None = 1, write: int | None = 1, **extra: Any) -> str:
        """A table keyed by ``pk``: PROVISIONED with ``read``/``write`` units, or
        PAY_PER_REQUEST when both are None."""
        name = f"throttled-{next(_names)}"
        capacity: dict[str, Any] = {"BillingMode": "PAY_PER_REQUEST"}
        if read is not None and write is not None:
            capacity = {"ProvisionedThroughput": units(read, write)}
        definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
        definitions += extra.pop("AttributeDefinitions", [])
        self.dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=definitions,
            **capacity,
            **extra,
        )
        return name

    def arn(self, table: str) -> str:
        arn: str = self.dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
        return arn


def no_retry_client(endpoint: str) -> Any:
    """One attempt per call (botocore's ``max_attempts`` counts retries, not attempts)."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def units(read: int, write: int) -> dict[str, int]:
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


@pytest.fixture(scope="module")
def throttled() -> Iterator[Throttled]:
    """Use from a test module with ``from throttling_fixtures import throttled``."""
    running = start_in_thread(
        Settings(port=0, in_memory=True, log_level="warning", clock="virtual", throttling=True)
    )
    try:
        yield Throttled(running)
    finally:
        running.stop()


def item(pk: str, kilobytes: int = 0, **extra: Any) -> dict[str, Any]:
    """An item of about ``kilobytes`` KB (at most 1 KB when 0)."""
    filler = {"filler": {"S": "x" * (kilobytes * 1024 - 100)}} if kilobytes else {}
    return {"pk": {"S": pk}, **filler, **extra}


def puts_until_throttled(dynamodb: Any, table: str, kilobytes: int = 0, limit: int = 400) -> int:
    """PutItem until the table refuses one; the number that succeeded."""
    for count in itertools.count():
        assert count < limit
        try:
            dynamodb.put_item(TableName=table, Item=item(f"p{count}", kilobytes))
        except dynamodb.exceptions.ProvisionedThroughputExceededException:
            return count
    raise AssertionError("unreachable")
