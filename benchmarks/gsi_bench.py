#!/usr/bin/env python3
"""Secondary index benchmark: what two GSIs cost PutItem.

    python3 benchmarks/gsi_bench.py [--rounds 3 --duration 8 --concurrency 16] [-- --in-memory]

One openddb (a subprocess; SQLite file with default durability, or the server flags given
after ``--``) with two tables of ddbload's key schema: ``plain`` (no index) and
``indexed`` with two GSIs over the attributes ddbload's items carry (``--indexes``):

- ``moving`` (default, the harder case): ``by-data`` (partition key ``data``, the item's
  payload -- about 170 bytes at ddbload's default item size, one of 256 values --,
  projection ALL: nearly every put moves its entry to another key) and ``by-c``
  (partition key ``c``, sort key ``pk``, KEYS_ONLY: an inverted index of one hot partition);
- ``stable``: ``by-sk`` (partition key ``sk``, sort key ``pk``, ALL: every put rewrites an
  entry in place) and ``by-c``.

The shared ``ddbload.py -w put`` runs against each table in turn (the tables exist, so its
setup only waits for them), ``--rounds`` times, and the ratio of PutItem throughput
indexed/plain is reported (target >= 0.6). The indexes are checked afterwards: every item
of ``indexed`` must be in both, or the ratio measures nothing.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from typing import Any

from harness import (
    DDBLOAD,
    DEFINITIONS,
    KEY_SCHEMA,
    client,
    median_put_rates,
    put_rounds,
    start_openddb,
)

# The key attributes, then those of ddbload's items that the indexes use.
ATTRIBUTES = [*DEFINITIONS, {"AttributeName": "data", "AttributeType": "S"},
              {"AttributeName": "c", "AttributeType": "N"}]
BY_C = {"IndexName": "by-c", "KeySchema": [{"AttributeName": "c", "KeyType": "HASH"},
                                           {"AttributeName": "pk", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "KEYS_ONLY"}}
# --indexes moving: by-data's key is the item's payload, so a put moves its entry (a delete
# and an insert); stable: by-sk (partition key sk, sort key pk, ALL) keeps its key.
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "moving": [{"IndexName": "by-data", "KeySchema": [{"AttributeName": "data", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"}}, BY_C],
    "stable": [{"IndexName": "by-sk", "KeySchema": [{"AttributeName": "sk", "KeyType": "HASH"},
                                                    {"AttributeName": "pk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}, BY_C],
}


def count(dynamodb: Any, **scan: Any) -> int:
    total, start = 0, None
    while True:
        page = dynamodb.scan(Select="COUNT", **scan, **({"ExclusiveStartKey": start}
                                                         if start else {}))
        total += int(page["Count"])
        start = page.get("LastEvaluatedKey")
        if start is None:
            return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--ddbload", default=DDBLOAD, help="path of shared/bench/ddbload.py")
    parser.add_argument("--indexes", choices=sorted(VARIANTS), default="moving")
    parser.add_argument("server_flags", nargs="*", help="extra flags for openddb serve")
    arguments = parser.parse_args()
    indexes = VARIANTS[arguments.indexes]
    used = {element["AttributeName"] for i in indexes for element in i["KeySchema"]}
    with tempfile.TemporaryDirectory() as workdir:
        server = start_openddb(workdir, *arguments.server_flags)
        try:
            dynamodb = client("dynamodb", server.endpoint)
            dynamodb.create_table(TableName="plain", KeySchema=KEY_SCHEMA,
                                  AttributeDefinitions=DEFINITIONS,
                                  BillingMode="PAY_PER_REQUEST")
            keys = used | {"pk", "sk"}
            dynamodb.create_table(TableName="indexed", KeySchema=KEY_SCHEMA,
                                  AttributeDefinitions=[d for d in ATTRIBUTES
                                                        if d["AttributeName"] in keys],
                                  BillingMode="PAY_PER_REQUEST", GlobalSecondaryIndexes=indexes)
            results = put_rounds(server.endpoint, ("plain", "indexed"), arguments, server.pid)
            items = count(dynamodb, TableName="indexed")
            entries = {index["IndexName"]: count(dynamodb, TableName="indexed",
                                                 IndexName=index["IndexName"])
                       for index in indexes}
        finally:
            server.stop()
    summary = median_put_rates(results)
    ratio = round(summary["indexed_ops_per_s"] / summary["plain_ops_per_s"], 3)
    print(json.dumps({**summary, "throughput_ratio": ratio, "items": items,
                      "index_entries": entries}))
    if items == 0 or any(entries[name] != items for name in entries):
        print("warning: the indexes do not hold every item; the ratio measures nothing")


if __name__ == "__main__":
    main()
