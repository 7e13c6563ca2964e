"""Stream triggers end to end: two examples, each against an openddb it starts itself.

    .venv/bin/python examples/streams_demo.py order-totals
    .venv/bin/python examples/streams_demo.py audit-log

order-totals: table ``Orders`` has a NEW_AND_OLD_IMAGES stream; the Python trigger
``examples/order_totals/trigger.py`` keeps per-customer totals in ``CustomerTotals``. An
order with a negative total makes the handler fail: it is retried (the batch is bisected
to isolate it), then sent to the on-failure destination ``failed-orders.jsonl``.

audit-log: table ``Accounts`` streams to an HTTP trigger that POSTs every batch to a
local audit endpoint (``examples/audit_log/endpoint.py``), which appends one line per
change to ``audit.jsonl``. The demo then stops the endpoint: the next change is retried
three times and sent to ``audit-failures.jsonl``.

openddb runs as ``python -m openddb serve --in-memory --triggers <file>`` in a temporary
directory (where the result files are written); the trigger files are the ones next to
the examples. Each checks its outcome at the end and exits 1 when it is wrong. Standard
library plus botocore (an openddb dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

import botocore.session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
sys.path.insert(0, os.path.join(EXAMPLES, "audit_log"))

from endpoint import make_server  # noqa: E402 (examples/audit_log/endpoint.py)

WAIT_SECONDS = 20.0


def client(endpoint: str) -> Any:
    return botocore.session.get_session().create_client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="example", aws_secret_access_key="example",
    )


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.05)


def lines_of(path: str) -> list[dict[str, Any]]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def create_table(dynamodb: Any, name: str, keys: list[str], stream: bool) -> None:
    extra = ({"StreamSpecification": {"StreamEnabled": True,
                                      "StreamViewType": "NEW_AND_OLD_IMAGES"}}
             if stream else {})
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": kind}
                   for key, kind in zip(keys, ("HASH", "RANGE"), strict=False)],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
        BillingMode="PAY_PER_REQUEST", **extra,
    )


def write(dynamodb: Any, table: str, puts: list[dict[str, Any]],
          deletes: list[dict[str, Any]] = ()) -> None:  # type: ignore[assignment]
    requests = [{"PutRequest": {"Item": item}} for item in puts]
    requests += [{"DeleteRequest": {"Key": key}} for key in deletes]
    dynamodb.batch_write_item(RequestItems={table: requests})


# --- order totals ---------------------------------------------------------------------


def order(customer: str, order_id: str, total: str) -> dict[str, Any]:
    return {"customer": {"S": customer}, "order_id": {"S": order_id}, "total": {"N": total}}


def order_totals(dynamodb: Any, failures_path: str) -> dict[str, Any]:
    """Create the tables, write and change orders, wait for the trigger; return the
    totals and the discarded batches."""
    create_table(dynamodb, "Orders", ["customer", "order_id"], stream=True)
    create_table(dynamodb, "CustomerTotals", ["customer"], stream=False)
    write(dynamodb, "Orders", [order("alice", "o1", "10"), order("alice", "o2", "15.5"),
                               order("bob", "o1", "7")])
    write(dynamodb, "Orders",
          [order("alice", "o2", "20"), order("bob", "o2", "5"), order("carol", "o1", "-4")],
          deletes=[{"customer": {"S": "bob"}, "order_id": {"S": "o1"}}])
    expected = {"alice": ("30", "2"), "bob": ("5", "1")}

    def totals() -> dict[str, tuple[str, str]]:
        keys = [{"customer": {"S": customer}} for customer in ("alice", "bob", "carol")]
        answer = dynamodb.batch_get_item(RequestItems={"CustomerTotals": {"Keys": keys}})
        return {item["customer"]["S"]: (item["total"]["N"], item["orders"]["N"])
                for item in answer["Responses"]["CustomerTotals"]}

    wait_until(lambda: totals() == expected, "the totals")
    wait_until(lambda: len(lines_of(failures_path)) == 1, "the discarded order")
    return {"totals": totals(), "failures": lines_of(failures_path)}


# --- audit log ------------------------------------------------------------------------


def account(account_id: str, owner: str, balance: str) -> dict[str, Any]:
    return {"account": {"S": account_id}, "owner": {"S": owner}, "balance": {"N": balance}}


def audit_log(dynamodb: Any, audit_path: str, failures_path: str,
              stop_endpoint: Callable[[], None]) -> dict[str, Any]:
    """Three changes reach the audit log; with the endpoint stopped, the fourth is retried
    and then discarded to the failures file."""
    create_table(dynamodb, "Accounts", ["account"], stream=True)
    write(dynamodb, "Accounts", [account("a-1", "alice", "100")])
    write(dynamodb, "Accounts", [account("a-1", "alice", "75")])
    write(dynamodb, "Accounts", [], deletes=[{"account": {"S": "a-1"}}])
    wait_until(lambda: len(lines_of(audit_path)) == 3, "the audit log")
    stop_endpoint()
    write(dynamodb, "Accounts", [account("a-2", "bob", "1")])
    wait_until(lambda: len(lines_of(failures_path)) == 1, "the discarded batch")
    return {"audit": lines_of(audit_path), "failures": lines_of(failures_path)}


# --- running openddb ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_openddb(triggers_file: str, workdir: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    environment = dict(os.environ, OPENDDB_ENDPOINT=endpoint,
                       PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "openddb", "serve", "--in-memory", "--port", str(port),
         "--log-level", "warning", "--triggers", triggers_file],
        cwd=workdir, env=environment,
    )
    dynamodb = client(endpoint)

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError("openddb exited; see its output above")
        try:
            dynamodb.list_tables()
        except Exception:  # not listening yet
            return False
        return True

    wait_until(ready, "openddb to start")
    return process, endpoint


def run(example: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as workdir:
        if example == "order-totals":
            triggers = os.path.join(EXAMPLES, "order_totals", "triggers.json")
            process, endpoint = start_openddb(triggers, workdir)
            try:
                return order_totals(client(endpoint),
                                    os.path.join(workdir, "failed-orders.jsonl"))
            finally:
                process.terminate()
                process.wait()
        audit = make_server(9100, os.path.join(workdir, "audit.jsonl"))
        threading.Thread(target=audit.serve_forever, daemon=True).start()

        def stop_endpoint() -> None:
            audit.shutdown()
            audit.server_close()

        triggers = os.path.join(EXAMPLES, "audit_log", "triggers.json")
        process, endpoint = start_openddb(triggers, workdir)
        try:
            return audit_log(client(endpoint), os.path.join(workdir, "audit.jsonl"),
                             os.path.join(workdir, "audit-failures.jsonl"), stop_endpoint)
        finally:
            stop_endpoint()
            process.terminate()
            process.wait()


def problems_of(example: str, result: dict[str, Any]) -> list[str]:
    """What is wrong with ``result`` (nothing when the example worked): order-totals keeps
    alice's and bob's totals and discards carol's negative order; audit-log records three
    changes and discards the change made while its endpoint was down."""
    if example == "order-totals":
        found = [result["totals"], [failure["payload"]["Records"][0]["dynamodb"]["Keys"]
                                    for failure in result["failures"]]]
        expected = [{"alice": ("30", "2"), "bob": ("5", "1")},
                    [{"customer": {"S": "carol"}, "order_id": {"S": "o1"}}]]
    else:
        found = [[line["event"] for line in result["audit"]],
                 [failure["payload"]["Records"][0]["dynamodb"]["Keys"]
                  for failure in result["failures"]]]
        expected = [["INSERT", "MODIFY", "REMOVE"], [{"account": {"S": "a-2"}}]]
    names = ["totals" if example == "order-totals" else "audited changes", "discarded"]
    return [f"{name}: {got!r}, expected {wanted!r}"
            for name, got, wanted in zip(names, found, expected, strict=True) if got != wanted]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("example", choices=["order-totals", "audit-log"])
    example = parser.parse_args().example
    result = run(example)
    print(json.dumps(result, indent=2))
    problems = problems_of(example, result)
    for problem in problems:
        print(f"WRONG: {problem}")
    print(f"{example}: as expected" if not problems else f"{example}: {len(problems)} wrong")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
