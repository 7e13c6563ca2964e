#!/usr/bin/env python3
"""TransactWriteItems of 2 Puts against 2 separate PutItems, on one openddb server.

A "pair" is two new items written: either one TransactWriteItems with two Put actions
(atomic) or two PutItem requests one after the other (each atomic on its own). The
script starts ``python -m openddb serve`` on a free loopback port (on disk in a temp
directory with the default fsync durability, or ``--in-memory``), creates one table and
runs a closed loop of ``--concurrency`` clients, each on its own keep-alive connection,
for both shapes in turn (``--repeat`` rounds, interleaved, median reported). Requests are
raw awsJson1.0 over HTTP/1.1 with an unsigned SigV4-style Authorization header (openddb
reads the credential scope and does not verify signatures), so the client costs little.

Output: pairs/s, p50/p99 latency of a pair in ms, and transact/put ratio per
concurrency. Standard library only.

    .venv/bin/python benchmarks/transact_bench.py                 # c=1,16, 5 s each, fsync
    .venv/bin/python benchmarks/transact_bench.py --in-memory -d 3
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable

from harness import AUTHORIZATION, percentile, start_openddb

TABLE = "transact-bench"
_sequence = itertools.count()


class Connection:
    """One keep-alive HTTP/1.1 connection sending DynamoDB requests."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @staticmethod
    async def open(port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return Connection(reader, writer)

    async def call(self, operation: str, body: dict[str, object]) -> tuple[int, bytes]:
        payload = json.dumps(body).encode()
        head = (
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.{operation}\r\n"
            f"Authorization: {AUTHORIZATION}\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        answer = await self.reader.readexactly(length)
        return int(status_line.split()[1]), answer

    def close(self) -> None:
        self.writer.close()


def new_item() -> dict[str, object]:
    number = next(_sequence)
    return {"pk": {"S": f"item-{number}"}, "payload": {"S": "x" * 200}, "n": {"N": str(number)}}


async def two_puts(connection: Connection) -> None:
    for _ in range(2):
        status, answer = await connection.call("PutItem", {"TableName": TABLE, "Item": new_item()})
        assert status == 200, answer


async def transaction(connection: Connection) -> None:
    actions = [{"Put": {"TableName": TABLE, "Item": new_item()}} for _ in range(2)]
    status, answer = await connection.call("TransactWriteItems", {"TransactItems": actions})
    assert status == 200, answer


async def measure(
    port: int, shape: Callable[[Connection], Awaitable[None]], concurrency: int, seconds: float
) -> tuple[float, list[float]]:
    """Closed loop: (pairs per second, pair latencies in ms)."""
    connections = [await Connection.open(port) for _ in range(concurrency)]
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(connection: Connection) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await shape(connection)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client(connection) for connection in connections))
    elapsed = time.perf_counter() - started
    for connection in connections:
        connection.close()
    return len(latencies) / elapsed, latencies


async def create_table(port: int) -> None:
    connection = await Connection.open(port)
    status, answer = await connection.call(
        "CreateTable",
        {
            "TableName": TABLE,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    connection.close()
    assert status == 200, answer


async def run(arguments: argparse.Namespace, port: int) -> None:
    await create_table(port)
    shapes = {"2 x PutItem": two_puts, "TransactWriteItems(2 Put)": transaction}
    print(f"{'shape':<28}{'c':>4}{'pairs/s':>10}{'p50 ms':>9}{'p99 ms':>9}", flush=True)
    for concurrency in arguments.concurrency:
        rates: dict[str, list[float]] = {name: [] for name in shapes}
        latencies: dict[str, list[float]] = {name: [] for name in shapes}
        for shape in shapes.values():  # warm-up
            await measure(port, shape, concurrency, arguments.warmup)
        for _ in range(arguments.repeat):
            for name, shape in shapes.items():
                rate, pair_latencies = await measure(port, shape, concurrency, arguments.duration)
                rates[name].append(rate)
                latencies[name] += pair_latencies
        for name in shapes:
            p50, p99 = percentile(latencies[name], 0.5), percentile(latencies[name], 0.99)
            rate = statistics.median(rates[name])
            print(f"{name:<28}{concurrency:>4}{rate:>10.1f}{p50:>9.2f}{p99:>9.2f}", flush=True)
        ratio = statistics.median(rates["TransactWriteItems(2 Put)"]) / statistics.median(
            rates["2 x PutItem"]
        )
        print(f"{'transact / 2 x put':<28}{concurrency:>4}{ratio:>10.2f}x", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("-d", "--duration", type=float, default=5.0, help="seconds per cell")
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--in-memory", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        server = start_openddb(directory, *(["--in-memory"] if arguments.in_memory else []))
        try:
            asyncio.run(run(arguments, server.port))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
