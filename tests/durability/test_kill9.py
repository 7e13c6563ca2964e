"""An acknowledged write survives ``kill -9`` of the server.

Starts ``openddb serve`` as a separate process on disk, writes from several
threads, kills the process with SIGKILL in the middle of the load, restarts
it on the same data directory and reads back every item that was answered
with HTTP 200.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError
from conftest import client_for
from server_process import free_port, start_server

WRITERS = 8


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = start_server(tmp_path, port)
    client = client_for(endpoint)
    client.create_table(
        TableName="durable",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number: int) -> None:
        own = client_for(endpoint)
        sequence = 0
        while not stop.is_set():
            key = f"w{number}-{sequence}"
            try:
                own.put_item(
                    TableName="durable", Item={"pk": {"S": key}, "v": {"N": str(sequence)}}
                )
            except (ClientError, ConnectionClosedError, EndpointConnectionError, OSError):
                return  # the server died under this request: not acknowledged
            with lock:
                acknowledged.append(key)
            sequence += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < 300:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) >= 300

    process = start_server(tmp_path, port)
    try:
        reader = client_for(endpoint)
        missing = [
            key
            for key in acknowledged
            if "Item" not in reader.get_item(TableName="durable", Key={"pk": {"S": key}})
        ]
        assert missing == []
        count = reader.describe_table(TableName="durable")["Table"]["ItemCount"]
        assert count >= len(acknowledged)
    finally:
        process.terminate()
        process.wait(timeout=30)
