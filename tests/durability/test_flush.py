"""With durability "fsync" a write is answered only after the WAL file has been flushed
(openddb/storage/sqlite/engine.py, the sync thread); a failed flush is never answered 200."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for

from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread
from openddb.storage.sqlite import engine as sqlite_engine

FLUSH_SECONDS = 0.05


@pytest.fixture
def flushes(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Times at which a WAL flush finished; every flush takes FLUSH_SECONDS."""
    finished: list[float] = []
    real = sqlite_engine.os.fdatasync

    def slow_flush(fd: int) -> None:
        if threading.current_thread().name == "openddb-fsync":
            time.sleep(FLUSH_SECONDS)
            real(fd)
            finished.append(time.monotonic())
        else:
            real(fd)

    monkeypatch.setattr(sqlite_engine.os, "fdatasync", slow_flush)
    return finished


@contextlib.contextmanager
def _server(tmp_path: Path, durability: str) -> Iterator[RunningServer]:
    running = start_in_thread(
        Settings(port=0, db_path=str(tmp_path), durability=durability, log_level="warning")
    )
    try:
        yield running
    finally:
        running.stop()


def _table(client: Any) -> None:
    client.create_table(
        TableName="flushed",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_a_write_is_answered_after_its_flush(tmp_path: Path, flushes: list[float]) -> None:
    with _server(tmp_path, "fsync") as running:
        client = client_for(running.endpoint)
        _table(client)
        before = len(flushes)
        client.put_item(TableName="flushed", Item={"pk": {"S": "a"}})
        answered = time.monotonic()
        assert len(flushes) > before
        assert flushes[-1] <= answered


def test_durability_process_does_not_flush(tmp_path: Path, flushes: list[float]) -> None:
    with _server(tmp_path, "process") as running:
        client = client_for(running.endpoint)
        _table(client)
        client.put_item(TableName="flushed", Item={"pk": {"S": "a"}})
        assert client.get_item(TableName="flushed", Key={"pk": {"S": "a"}})["Item"]
    assert flushes == []


def test_a_failed_flush_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _server(tmp_path, "fsync") as running:
        client = client_for(running.endpoint)
        _table(client)

        def failing_flush(fd: int) -> None:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(sqlite_engine.os, "fdatasync", failing_flush)
        with pytest.raises(ClientError) as excinfo:
            client.put_item(TableName="flushed", Item={"pk": {"S": "b"}})
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        assert excinfo.value.response["Error"]["Code"] == "InternalServerError"
