#!/usr/bin/env python3
"""Time to Live benchmark: a mass expiry must not hurt requests.

    python3 benchmarks/ttl_bench.py [--items 50000 --rounds 3 --baseline 15 --writer ...]

One openddb (a subprocess, SQLite file, default durability ``fsync``, ``--clock virtual``)
with a table ``Sessions`` (TTL on ``expiresAt``; a NEW_AND_OLD_IMAGES stream and a GSI
unless ``--no-stream`` / ``--no-gsi``, so each deletion also writes a stream record and an
index row). It loads ``--readable`` fresh items, then per round ``--items`` items expiring
in a minute.

Then a reader issues GetItem on random fresh items, one at a time over one keep-alive
connection (raw HTTP, so the client's own cost stays small), and, with ``--writer``, a
writer does the same with PutItem:

1. baseline: ``--baseline`` seconds with nothing expiring;
2. expiry: the virtual clock moves two minutes forward (admin endpoint); the sweeper
   (``--ttl-interval 0.2``) deletes every expired item while the reader goes on, until
   DescribeTable's ItemCount shows only the fresh items left.

Reported per round: sweep duration and rate, and the reader's (writer's) p50 / p99 / max
latency in both phases; then the median p99 ratio over the rounds (the goal: expiry p99 <=
2x baseline p99) and a count of the stream's REMOVE records with the service identity.
Results also go to ``benchmarks/results/ttl-*.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from harness import AUTHORIZATION, REPO, client, percentile, results_path, start_openddb

sys.path.insert(0, REPO)

from openddb.admin import Admin

TABLE = "Sessions"
# How often the item count is probed (seconds), in both phases.
PROBE_SECONDS = 0.5


def create_table(dynamodb: Any, stream: bool, gsi: bool) -> None:
    extra: dict[str, Any] = {}
    definitions = [{"AttributeName": "sessionId", "AttributeType": "S"}]
    if stream:
        extra["StreamSpecification"] = {"StreamEnabled": True,
                                        "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if gsi:
        definitions.append({"AttributeName": "userId", "AttributeType": "S"})
        extra["GlobalSecondaryIndexes"] = [{
            "IndexName": "SessionsByUser",
            "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }]
    dynamodb.create_table(
        TableName=TABLE, KeySchema=[{"AttributeName": "sessionId", "KeyType": "HASH"}],
        AttributeDefinitions=definitions, BillingMode="PAY_PER_REQUEST", **extra,
    )
    dynamodb.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
    )


def session(session_id: str, expires_at: int) -> dict[str, Any]:
    return {
        "sessionId": {"S": session_id},
        "userId": {"S": f"user-{hash(session_id) % 1000}"},
        "expiresAt": {"N": str(expires_at)},
        "data": {"S": "x" * 100},
    }


def load(endpoint: str, items: list[dict[str, Any]], threads: int = 4) -> float:
    """Put ``items`` with BatchWriteItem from ``threads`` threads; return items/s."""
    started = time.perf_counter()
    batches = [items[first:first + 25] for first in range(0, len(items), 25)]
    local = threading.local()

    def put(batch: list[dict[str, Any]]) -> None:
        if not hasattr(local, "dynamodb"):
            local.dynamodb = client("dynamodb", endpoint)
        request = {TABLE: [{"PutRequest": {"Item": entry}} for entry in batch]}
        while request:
            request = local.dynamodb.batch_write_item(RequestItems=request)["UnprocessedItems"]

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(put, batches))
    return len(items) / (time.perf_counter() - started)


class Requester(threading.Thread):
    """One closed-loop client: GetItem (or PutItem) of random fresh items; latencies (ms)
    are kept per phase."""

    def __init__(self, endpoint: str, target: str, keys: list[str], expires_at: int) -> None:
        super().__init__(daemon=True)
        host, port = endpoint.removeprefix("http://").split(":")
        self._connection = http.client.HTTPConnection(host, int(port))
        self._target = target
        self._keys = keys
        self._expires_at = expires_at
        self.phase = "warmup"
        self.latencies: dict[str, list[float]] = {}
        self.stopping = threading.Event()

    def _body(self) -> bytes:
        key = random.choice(self._keys)
        if self._target == "GetItem":
            return json.dumps({"TableName": TABLE, "Key": {"sessionId": {"S": key}}}).encode()
        return json.dumps({"TableName": TABLE, "Item": session(key, self._expires_at)}).encode()

    def run(self) -> None:
        headers = {"Content-Type": "application/x-amz-json-1.0", "Authorization": AUTHORIZATION,
                   "X-Amz-Target": f"DynamoDB_20120810.{self._target}"}
        while not self.stopping.is_set():
            body = self._body()
            started = time.perf_counter()
            self._connection.request("POST", "/", body, headers)
            response = self._connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status == 200, response.status
            self.latencies.setdefault(self.phase, []).append(elapsed)


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "requests": len(latencies),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies), 3),
    }


def item_count(dynamodb: Any) -> int:
    count: int = dynamodb.describe_table(TableName=TABLE)["Table"]["ItemCount"]
    return count


def check_stream(endpoint: str) -> dict[str, int]:
    """Count the stream's REMOVE records and those carrying the service identity."""
    streams = client("dynamodbstreams", endpoint)
    dynamodb = client("dynamodb", endpoint)
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    removes = service = 0
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            answer = streams.get_records(ShardIterator=iterator, Limit=1000)
            if not answer["Records"]:
                break
            for record in answer["Records"]:
                if record["eventName"] == "REMOVE":
                    removes += 1
                    principal = record.get("userIdentity", {}).get("PrincipalId")
                    service += principal == "dynamodb.amazonaws.com"
            iterator = answer.get("NextShardIterator")
    return {"remove_records": removes, "with_service_identity": service}


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    flags = ["--clock", "virtual", "--ttl-interval", "0.2", *arguments.flag]
    with tempfile.TemporaryDirectory() as workdir:
        server = start_openddb(workdir, *flags)
        try:
            return measure(arguments, server.endpoint)
        finally:
            server.stop()


def measure(arguments: argparse.Namespace, endpoint: str) -> dict[str, Any]:
    admin, dynamodb = Admin(endpoint), client("dynamodb", endpoint)
    create_table(dynamodb, arguments.stream, arguments.gsi)
    far = int(admin.now()) + 10 ** 9
    fresh = [f"fresh-{n:06}" for n in range(arguments.readable)]
    load(endpoint, [session(key, far) for key in fresh])
    result: dict[str, Any] = {
        "items_expired_per_round": arguments.items, "fresh_items": len(fresh),
        "flags": arguments.flag, "stream": arguments.stream, "gsi": arguments.gsi,
        "rounds": [],
    }
    for number in range(arguments.rounds):
        print(f"round {number + 1}: loading {arguments.items} items", file=sys.stderr)
        result["rounds"].append(one_round(arguments, endpoint, fresh, far))
    for name in ("reader", "writer"):
        ratios = [entry[name]["p99_ratio"] for entry in result["rounds"] if name in entry]
        if ratios:
            result[f"{name}_p99_ratio_median"] = statistics.median(ratios)
    if arguments.stream:
        result["stream_check"] = check_stream(endpoint)
    return result


def one_round(
    arguments: argparse.Namespace, endpoint: str, fresh: list[str], far: int
) -> dict[str, Any]:
    """Load the expiring items, measure the baseline, expire them, measure the sweep."""
    admin, dynamodb = Admin(endpoint), client("dynamodb", endpoint)
    now = int(admin.now())
    prefix = f"old-{now}"
    expiring = [session(f"{prefix}-{n:06}", now + 60) for n in range(arguments.items)]
    load_rate = load(endpoint, expiring)
    requesters = [Requester(endpoint, "GetItem", fresh, far)]
    if arguments.writer:
        requesters.append(Requester(endpoint, "PutItem", fresh, far))
    for requester in requesters:
        requester.start()
    time.sleep(1.0)
    for requester in requesters:
        requester.phase = "baseline"
    print(f"baseline for {arguments.baseline} s", file=sys.stderr)
    # The same probe (DescribeTable's ItemCount, a count over the table) runs in both
    # phases, so that its own cost is part of the baseline too.
    deadline = time.perf_counter() + arguments.baseline
    while time.perf_counter() < deadline:
        assert item_count(dynamodb) == len(fresh) + len(expiring)
        time.sleep(PROBE_SECONDS)
    for requester in requesters:
        requester.phase = "expiry"
    admin.advance(120)
    started = time.perf_counter()
    while item_count(dynamodb) > len(fresh):
        if time.perf_counter() - started > arguments.timeout:
            raise RuntimeError("the sweep did not finish in time")
        time.sleep(PROBE_SECONDS)
    sweep_seconds = time.perf_counter() - started
    for requester in requesters:
        requester.stopping.set()
        requester.join()
    result: dict[str, Any] = {
        "load_items_per_s": round(load_rate),
        "sweep_seconds": round(sweep_seconds, 2),
        "sweep_items_per_s": round(arguments.items / sweep_seconds),
    }
    for name, requester in zip(("reader", "writer"), requesters, strict=False):
        baseline = summary(requester.latencies["baseline"])
        expiry = summary(requester.latencies["expiry"])
        result[name] = {"baseline": baseline, "expiry": expiry,
                        "p99_ratio": round(expiry["p99_ms"] / baseline["p99_ms"], 2)}
    print(json.dumps(result), file=sys.stderr)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=50_000, help="items that expire")
    parser.add_argument("--readable", type=int, default=5_000, help="fresh items the reader reads")
    parser.add_argument("--baseline", type=float, default=10.0, help="baseline seconds")
    parser.add_argument("--rounds", type=int, default=1, help="load-expire rounds on one server")
    parser.add_argument("--timeout", type=float, default=600.0, help="most seconds for the sweep")
    parser.add_argument("--no-stream", dest="stream", action="store_false")
    parser.add_argument("--no-gsi", dest="gsi", action="store_false")
    parser.add_argument("--writer", action="store_true", help="also measure a PutItem writer")
    parser.add_argument("--flag", action="append", default=[],
                        help="extra openddb flag, e.g. --flag=--ttl-deletes-per-second=4000")
    arguments = parser.parse_args()
    result = run(arguments)
    path = results_path(time.strftime("ttl-%Y%m%d-%H%M%S.json"))
    with open(path, "w") as out:
        json.dump(result, out, indent=2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
