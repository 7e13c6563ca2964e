"""Helpers for the control-plane tests (test_create_table, test_update_table,
test_delete_table, test_tags, test_tables): request builders, a boto3 client that
sends what boto3 itself would refuse, and a server whose transient statuses last
until its virtual clock is advanced."""

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
from openddb.server.runtime import start_in_thread

ACCOUNT = "000000000000"
# How long CREATING/UPDATING/DELETING last on the delayed server (virtual seconds).
TRANSIENT_SECONDS = 60.0
_accounts = itertools.count()


def unvalidated_client(endpoint: str, access_key_id: str = "testing") -> Any:
    """A client without boto3's own parameter validation (empty lists, zeros...)."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"},
                      parameter_validation=False),
    )


def own_namespace(endpoint: str, prefix: str) -> Any:
    """A client in a namespace of its own (tests that count tables or capacity)."""
    return client_for(endpoint, access_key_id=f"{prefix}-{next(_accounts)}")


def table_arn(name: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"


def hash_key(name: str = "pk") -> list[dict[str, str]]:
    return [{"AttributeName": name, "KeyType": "HASH"}]


def hash_range_key(hash_name: str = "pk", range_name: str = "sk") -> list[dict[str, str]]:
    return [{"AttributeName": hash_name, "KeyType": "HASH"},
            {"AttributeName": range_name, "KeyType": "RANGE"}]


def definitions(*names: str, attribute_type: str = "S") -> list[dict[str, str]]:
    return [{"AttributeName": name, "AttributeType": attribute_type} for name in names]


def gsi(name: str, *keys: str, projection: str = "ALL", **extra: Any) -> dict[str, Any]:
    """A GSI keyed on ``keys`` (first HASH, second RANGE)."""
    key_schema = [{"AttributeName": key, "KeyType": "HASH" if position == 0 else "RANGE"}
                  for position, key in enumerate(keys)]
    return {"IndexName": name, "KeySchema": key_schema,
            "Projection": {"ProjectionType": projection}, **extra}


def lsi(name: str, hash_name: str, range_name: str, projection: str = "ALL") -> dict[str, Any]:
    return {"IndexName": name, "KeySchema": hash_range_key(hash_name, range_name),
            "Projection": {"ProjectionType": projection}}


def throughput(read: int, write: int) -> dict[str, int]:
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


@dataclass
class Delayed:
    """A server with --delay-transient-statuses on a virtual clock."""

    endpoint: str
    client: Any
    clock: VirtualClock

    def settle(self) -> None:
        """Let every transient status run out."""
        self.clock.advance(TRANSIENT_SECONDS + 1)


@contextlib.contextmanager
def delayed_server() -> Iterator[Delayed]:
    running = start_in_thread(Settings(
        port=0, in_memory=True, log_level="warning", clock="virtual",
        delay_transient_statuses=True, transient_status_seconds=TRANSIENT_SECONDS,
    ))
    clock = running.server.clock
    assert isinstance(clock, VirtualClock)
    try:
        yield Delayed(running.endpoint, client_for(running.endpoint), clock)
    finally:
        running.stop()
