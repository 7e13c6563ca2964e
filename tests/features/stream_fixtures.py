"""Helpers for the DynamoDB Streams tests: a ``dynamodbstreams`` client, shard walking, and
a server of its own on a virtual clock (retention, iterator expiry and rollover)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from conftest import REGION, client_for

from openddb.clock import VirtualClock
from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

_tables = itertools.count()


def streams_client_for(endpoint: str, access_key_id: str = "testing") -> Any:
    """A boto3 DynamoDB Streams client for ``endpoint`` (same credentials as client_for)."""
    return boto3.client(
        "dynamodbstreams",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def create_stream_table(
    dynamodb: Any, name: str, view_type: str | None = "NEW_AND_OLD_IMAGES", sort_key: bool = True
) -> dict[str, Any]:
    """Create a PAY_PER_REQUEST table ``pk`` (S) [+ ``sk`` (S)], with a stream of
    ``view_type`` (None: no stream); return the TableDescription."""
    schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
    definitions = [{"AttributeName": "pk", "AttributeType": "S"}]
    if sort_key:
        schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
        definitions.append({"AttributeName": "sk", "AttributeType": "S"})
    extra: dict[str, Any] = {}
    if view_type is not None:
        extra["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view_type}
    answer = dynamodb.create_table(
        TableName=name,
        KeySchema=schema,
        AttributeDefinitions=definitions,
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    description: dict[str, Any] = answer["TableDescription"]
    return description


def put(dynamodb: Any, table: str, *items: dict[str, Any]) -> None:
    """Put items through BatchWriteItem (the write path that records stream changes)."""
    dynamodb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": item}} for item in items]}
    )


def delete(dynamodb: Any, table: str, *keys: dict[str, Any]) -> None:
    dynamodb.batch_write_item(
        RequestItems={table: [{"DeleteRequest": {"Key": key}} for key in keys]}
    )


def all_shards(streams: Any, stream_arn: str, page: int = 100) -> list[dict[str, Any]]:
    """Every shard of the stream, following DescribeStream's paging."""
    answer = streams.describe_stream(StreamArn=stream_arn, Limit=page)["StreamDescription"]
    found = list(answer["Shards"])
    while "LastEvaluatedShardId" in answer:
        answer = streams.describe_stream(
            StreamArn=stream_arn, Limit=page, ExclusiveStartShardId=answer["LastEvaluatedShardId"]
        )["StreamDescription"]
        found += answer["Shards"]
    return found


def drain(streams: Any, iterator: str | None, limit: int = 1000) -> tuple[list[Any], str | None]:
    """Read from ``iterator`` until a read returns no record; (records, next iterator or
    None once the closed shard is exhausted)."""
    found: list[Any] = []
    while iterator is not None:
        answer = streams.get_records(ShardIterator=iterator, Limit=limit)
        found += answer["Records"]
        iterator = answer.get("NextShardIterator")
        if not answer["Records"]:
            break
    return found, iterator


def read_stream(streams: Any, stream_arn: str) -> list[Any]:
    """Every record of every shard, from TRIM_HORIZON, parents before children."""
    found: list[Any] = []
    for shard in all_shards(streams, stream_arn):
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        found += drain(streams, iterator)[0]
    return found


@dataclass
class VirtualServer:
    """A server of its own on a virtual clock."""

    running: RunningServer
    dynamodb: Any
    streams: Any
    clock: VirtualClock

    def table_name(self, prefix: str) -> str:
        return f"{prefix}-{next(_tables)}"


@contextlib.contextmanager
def virtual_server(**settings: Any) -> Iterator[VirtualServer]:
    running = start_in_thread(
        Settings(port=0, in_memory=True, log_level="warning", clock="virtual", **settings)
    )
    clock = running.server.clock
    assert isinstance(clock, VirtualClock)
    try:
        yield VirtualServer(
            running, client_for(running.endpoint), streams_client_for(running.endpoint), clock
        )
    finally:
        running.stop()
