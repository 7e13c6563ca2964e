"""``openddb serve --workers 2``: two server processes on one port and one database file.

Every client below opens its own connection; the kernel spreads connections over the
workers (SO_REUSEPORT), so sixteen clients reach both of them (all on one worker has a
probability of 2**-15).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import client_for
from server_process import free_port, start_server

from openddb.storage.sqlite.engine import SqliteEngine

CLIENTS = 16


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[str]:
    """The endpoint of a two-worker server on disk."""
    port = free_port()
    process = start_server(tmp_path, port, subprocess.PIPE, "--workers", "2")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert process.stderr is not None
        with process.stderr:
            assert b"Traceback" not in process.stderr.read()


def _create(client: Any, name: str) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_a_table_change_reaches_every_worker(workers: str) -> None:
    first = client_for(workers)
    _create(first, "shared")
    clients = [client_for(workers) for _ in range(CLIENTS)]
    for number, client in enumerate(clients):
        client.put_item(TableName="shared", Item={"pk": {"S": f"k{number}"}})
        assert client.get_item(TableName="shared", Key={"pk": {"S": f"k{number}"}})["Item"]
    first.update_time_to_live(
        TableName="shared", TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    for client in clients:
        described = client.describe_time_to_live(TableName="shared")
        assert described["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
    first.delete_table(TableName="shared")
    for client in clients:
        with pytest.raises(ClientError) as excinfo:
            client.get_item(TableName="shared", Key={"pk": {"S": "k0"}})
        assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert client.list_tables()["TableNames"] == []


def test_writes_through_both_workers_all_land(workers: str) -> None:
    _create(client_for(workers), "counted")
    failures: list[BaseException] = []

    def write(number: int) -> None:
        client = client_for(workers)
        try:
            for sequence in range(25):
                client.put_item(
                    TableName="counted", Item={"pk": {"S": f"w{number}-{sequence}"}}
                )
                client.update_item(
                    TableName="counted",
                    Key={"pk": {"S": "total"}},
                    UpdateExpression="ADD n :one",
                    ExpressionAttributeValues={":one": {"N": "1"}},
                )
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    client = client_for(workers)
    assert client.scan(TableName="counted", Select="COUNT")["Count"] == 8 * 25 + 1
    total = client.get_item(TableName="counted", Key={"pk": {"S": "total"}})["Item"]
    assert total["n"] == {"N": str(8 * 25)}


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        (["--in-memory"], "--in-memory keeps the data inside one process"),
        (["--clock", "virtual"], "--clock virtual moves the time of one process"),
        (["--throttling"], "--throttling keeps its token buckets in one process"),
        (["--port", "0"], "the worker processes need a fixed --port to share"),
    ],
    ids=["in-memory", "virtual-clock", "throttling", "port-0"],
)
def test_settings_kept_in_one_process_are_refused(
    tmp_path: Path, flags: list[str], reason: str
) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "openddb", "serve", "--workers", "2",
         "--db-path", str(tmp_path), *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert finished.stderr.strip() == (
        f"openddb: --workers 2 cannot run: {reason}; use --workers 1"
    )


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    children.append(int(entry.name))
    return children


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_dead_worker_stops_the_server(tmp_path: Path) -> None:
    """The supervisor stops the other workers and exits 1, for its own supervisor to
    restart the whole server."""
    process = start_server(tmp_path, free_port(), subprocess.PIPE, "--workers", "2")
    workers = _children(process.pid)
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    assert process.wait(timeout=30) == 1
    assert process.stderr is not None
    with process.stderr:
        assert b"exited with status -9; stopping the other workers" in process.stderr.read()
    assert not any(Path(f"/proc/{worker}").exists() for worker in workers[1:])


def _open_when_released(directory: str, barrier: Any) -> None:
    barrier.wait()
    SqliteEngine(directory).close()


def test_workers_opening_a_new_database_at_once_all_start(tmp_path: Path) -> None:
    """The workers of ``--workers N`` open a new database at the same moment; SQLite's
    switch to WAL and the schema install must not fail any of them (they take turns)."""
    context = multiprocessing.get_context("fork")
    for round_number in range(10):
        barrier = context.Barrier(4)
        directory = str(tmp_path / f"round-{round_number}")
        processes = [
            context.Process(target=_open_when_released, args=(directory, barrier))
            for _ in range(4)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0, 0, 0, 0]
