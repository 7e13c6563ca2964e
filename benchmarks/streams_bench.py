#!/usr/bin/env python3
"""DynamoDB Streams benchmarks: what a stream costs a write, and how fast a trigger fires.

    python3 benchmarks/streams_bench.py put [--rounds 3 --duration 8 --concurrency 16]
    python3 benchmarks/streams_bench.py trigger-latency [--writes 500]

put: one openddb (a subprocess, SQLite file, default durability) with two tables of the
same key schema, ``plain`` (no stream) and ``streamed`` (NEW_AND_OLD_IMAGES); the
shared ``ddbload.py -w put`` runs against each in turn, ``--rounds`` times, and the
ratio of PutItem throughput streamed/plain is reported (ratios from one run on one
machine are what to compare). The streamed table's record count is checked: PutItem
must emit records for the number to mean anything.

trigger-latency: openddb with a Python trigger (``stream_latency_handler.py``) on a
streamed table; the client writes one item at a time (PutItem) and the handler notes
when each record reaches it. Both
sides read CLOCK_MONOTONIC, so write -> handler-call latency is measured across
processes; p50/p99 are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DDBLOAD = os.path.join(ROOT, "..", "shared", "bench", "ddbload.py")  # --ddbload to change
KEY_SCHEMA = [{"AttributeName": "pk", "KeyType": "HASH"},
              {"AttributeName": "sk", "KeyType": "RANGE"}]
DEFINITIONS = [{"AttributeName": "pk", "AttributeType": "S"},
               {"AttributeName": "sk", "AttributeType": "S"}]
STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def client(service: str, endpoint: str) -> Any:
    return botocore.session.get_session().create_client(
        service, endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="bench", aws_secret_access_key="bench",
    )


def start_openddb(workdir: str, *flags: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    storage = ["--in-memory"] if "--in-memory" in flags else [
        "--db-path", os.path.join(workdir, "data")]
    flags = tuple(flag for flag in flags if flag != "--in-memory")
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([HERE, ROOT]))
    process = subprocess.Popen(
        [sys.executable, "-m", "openddb", "serve", "--port", str(port), "--log-level",
         "warning", *storage, *flags],
        cwd=workdir, env=environment,
    )
    endpoint = f"http://127.0.0.1:{port}"
    dynamodb = client("dynamodb", endpoint)
    deadline = time.monotonic() + 20
    while True:
        try:
            dynamodb.list_tables()
            return process, endpoint
        except Exception:  # not listening yet
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("openddb did not start") from None
            time.sleep(0.05)


def stream_record_count(endpoint: str, stream_arn: str) -> int:
    streams = client("dynamodbstreams", endpoint)
    count = 0
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            answer = streams.get_records(ShardIterator=iterator)
            count += len(answer["Records"])
            iterator = answer.get("NextShardIterator") if answer["Records"] else None
    return count


def ddbload(
    endpoint: str, table: str, arguments: argparse.Namespace, pid: int
) -> tuple[float, float]:
    """(PutItem/s, server CPU microseconds per PutItem): the second moves less when other
    work shares the machine."""
    out = subprocess.run(
        [sys.executable, arguments.ddbload, "--endpoint", endpoint, "--table", table, "-w", "put",
         "-c", str(arguments.concurrency), "-d", str(arguments.duration), "--warmup", "2",
         "--server-pid", str(pid), "--access-key", "bench", "--secret-key", "bench",
         "--region", "us-east-1", "-q"],
        check=True, capture_output=True, text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    ops: float = result["ops_per_s"]
    cpu_us = result.get("server_cpu_pct", 0.0) / 100 * 1e6 / ops if ops else 0.0
    return ops, cpu_us


def bench_put(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        process, endpoint = start_openddb(workdir, *arguments.server_flags)
        try:
            dynamodb = client("dynamodb", endpoint)
            dynamodb.create_table(TableName="plain", KeySchema=KEY_SCHEMA,
                                  AttributeDefinitions=DEFINITIONS, BillingMode="PAY_PER_REQUEST")
            arn = dynamodb.create_table(
                TableName="streamed", KeySchema=KEY_SCHEMA, AttributeDefinitions=DEFINITIONS,
                BillingMode="PAY_PER_REQUEST", StreamSpecification=STREAM,
            )["TableDescription"]["LatestStreamArn"]
            results: dict[str, list[tuple[float, float]]] = {"plain": [], "streamed": []}
            for _ in range(arguments.rounds):
                for table in ("plain", "streamed"):
                    ops, cpu_us = ddbload(endpoint, table, arguments, process.pid)
                    results[table].append((ops, cpu_us))
                    print(f"  {table}: {ops:.0f} PutItem/s, {cpu_us:.0f} us server CPU each",
                          flush=True)
            records = stream_record_count(endpoint, arn)
        finally:
            process.terminate()
            process.wait()
    ops = {name: statistics.median(ops for ops, _ in results[name]) for name in results}
    cpu = {name: statistics.median(cpu for _, cpu in results[name]) for name in results}
    print(json.dumps({
        "plain_ops_per_s": ops["plain"], "streamed_ops_per_s": ops["streamed"],
        "throughput_ratio": round(ops["streamed"] / ops["plain"], 3),
        "plain_cpu_us_per_put": round(cpu["plain"], 1),
        "streamed_cpu_us_per_put": round(cpu["streamed"], 1),
        "stream_records": records,
    }))
    if records == 0:
        print("warning: PutItem wrote no stream record; the ratio measures nothing")


def bench_trigger_latency(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        log = os.path.join(workdir, "calls.log")
        os.environ["STREAM_LATENCY_LOG"] = log
        process, endpoint = start_openddb(
            workdir, "--trigger", "streamed=stream_latency_handler:handler"
        )
        try:
            dynamodb = client("dynamodb", endpoint)
            dynamodb.create_table(
                TableName="streamed", KeySchema=KEY_SCHEMA, AttributeDefinitions=DEFINITIONS,
                BillingMode="PAY_PER_REQUEST", StreamSpecification=STREAM,
            )
            time.sleep(1.0)  # the trigger registers (LATEST) before the first write
            written = {}
            for index in range(arguments.writes):
                item = {"pk": {"S": f"k{index % 64}"}, "sk": {"S": str(index)}}
                written[str(index)] = time.monotonic()
                dynamodb.put_item(TableName="streamed", Item=item)
                time.sleep(arguments.gap)
            deadline = time.monotonic() + 10
            while _called(log) < arguments.writes and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            process.terminate()
            process.wait()
        latencies = sorted((called - written[key]) * 1000 for key, called in _calls(log))
    quantiles = statistics.quantiles(latencies, n=100)
    print(json.dumps({"writes": arguments.writes, "delivered": len(latencies),
                      "p50_ms": round(quantiles[49], 2), "p99_ms": round(quantiles[98], 2),
                      "max_ms": round(latencies[-1], 2)}))


def _calls(log: str) -> list[tuple[str, float]]:
    with open(log, encoding="utf-8") as file:
        return [(key, float(moment)) for key, moment in (line.split() for line in file)]


def _called(log: str) -> int:
    return len(_calls(log)) if os.path.exists(log) else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    put = commands.add_parser("put")
    put.add_argument("--rounds", type=int, default=3)
    put.add_argument("--duration", type=float, default=8.0)
    put.add_argument("--concurrency", type=int, default=16)
    put.add_argument("--ddbload", default=DDBLOAD, help="path of shared/bench/ddbload.py")
    put.add_argument("server_flags", nargs="*", help="extra openddb flags (after --)")
    latency = commands.add_parser("trigger-latency")
    latency.add_argument("--writes", type=int, default=500)
    latency.add_argument("--gap", type=float, default=0.005, help="seconds between writes")
    arguments = parser.parse_args()
    if arguments.command == "put":
        bench_put(arguments)
    else:
        bench_trigger_latency(arguments)


if __name__ == "__main__":
    main()
