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
import statistics
import tempfile
import time

from harness import (
    DDBLOAD,
    DEFINITIONS,
    HERE,
    KEY_SCHEMA,
    REPO,
    client,
    median_put_rates,
    put_rounds,
    start_openddb,
)

STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
# The trigger's handler module is imported by the server from benchmarks/.
SERVER_PATH = os.pathsep.join([HERE, REPO])


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


def bench_put(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        server = start_openddb(workdir, *arguments.server_flags)
        try:
            dynamodb = client("dynamodb", server.endpoint)
            dynamodb.create_table(TableName="plain", KeySchema=KEY_SCHEMA,
                                  AttributeDefinitions=DEFINITIONS, BillingMode="PAY_PER_REQUEST")
            arn = dynamodb.create_table(
                TableName="streamed", KeySchema=KEY_SCHEMA, AttributeDefinitions=DEFINITIONS,
                BillingMode="PAY_PER_REQUEST", StreamSpecification=STREAM,
            )["TableDescription"]["LatestStreamArn"]
            results = put_rounds(server.endpoint, ("plain", "streamed"), arguments, server.pid)
            records = stream_record_count(server.endpoint, arn)
        finally:
            server.stop()
    summary = median_put_rates(results)
    ratio = round(summary["streamed_ops_per_s"] / summary["plain_ops_per_s"], 3)
    print(json.dumps({**summary, "throughput_ratio": ratio, "stream_records": records}))
    if records == 0:
        print("warning: PutItem wrote no stream record; the ratio measures nothing")


def bench_trigger_latency(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        log = os.path.join(workdir, "calls.log")
        os.environ["STREAM_LATENCY_LOG"] = log
        server = start_openddb(
            workdir, "--trigger", "streamed=stream_latency_handler:handler",
            env=dict(os.environ, PYTHONPATH=SERVER_PATH),
        )
        try:
            dynamodb = client("dynamodb", server.endpoint)
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
            server.stop()
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
