"""Test fixtures: a real openddb HTTP server in-process, and boto3 clients for it.

One server per test session (per xdist worker), in memory, on a free port.
Tests create tables with unique names (``table_name`` / ``make_table``) so
they never see each other's data.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from hypothesis import settings

from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

REGION = "us-east-1"

# Property and fuzz tests explore new inputs on every local run; in CI (CI=true) they
# replay a fixed set, so a landing never depends on luck. A failure prints its seed.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
_names = itertools.count()


@pytest.fixture(scope="session")
def openddb_server() -> Iterator[RunningServer]:
    running = start_in_thread(Settings(port=0, in_memory=True, log_level="warning"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def endpoint(openddb_server: RunningServer) -> str:
    return openddb_server.endpoint


def client_for(endpoint: str, access_key_id: str = "testing", region: str = REGION) -> Any:
    """A boto3 DynamoDB client for ``endpoint`` with dummy credentials, one attempt per call."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture(scope="session")
def dynamodb(endpoint: str) -> Any:
    return client_for(endpoint)


@pytest.fixture
def table_name(request: pytest.FixtureRequest) -> str:
    """A table name no other test uses (only characters DynamoDB allows)."""
    raw = f"t{os.getpid()}-{next(_names)}-{request.node.name[:40]}"
    return re.sub(r"[^a-zA-Z0-9_.-]", "-", raw)


@pytest.fixture
def make_table(dynamodb: Any, table_name: str) -> Iterator[Callable[..., str]]:
    """Create a PAY_PER_REQUEST table: ``make_table("pk", "S", "sk", "N")`` -> its name."""
    created: list[str] = []

    def make(
        partition_key: str = "pk",
        partition_type: str = "S",
        sort_key: str | None = None,
        sort_type: str = "S",
        **extra: Any,
    ) -> str:
        name = f"{table_name}-{len(created)}"
        schema = [{"AttributeName": partition_key, "KeyType": "HASH"}]
        definitions = [{"AttributeName": partition_key, "AttributeType": partition_type}]
        if sort_key is not None:
            schema.append({"AttributeName": sort_key, "KeyType": "RANGE"})
            definitions.append({"AttributeName": sort_key, "AttributeType": sort_type})
        dynamodb.create_table(
            TableName=name,
            KeySchema=schema,
            AttributeDefinitions=definitions,
            BillingMode="PAY_PER_REQUEST",
            **extra,
        )
        created.append(name)
        return name

    yield make
    for name in created:
        with contextlib.suppress(dynamodb.exceptions.ResourceNotFoundException):
            dynamodb.delete_table(TableName=name)


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """``(code, message)`` of a botocore ClientError."""
    error = excinfo.value.response["Error"]
    return error["Code"], error.get("Message", "")
