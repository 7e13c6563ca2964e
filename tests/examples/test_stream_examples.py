"""The stream trigger examples (examples/streams_demo.py) end to end, against an
in-process openddb configured with each example's triggers.json (its on-failure
destination moved into the test's directory)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from example_scripts import EXAMPLES, load

from openddb.config import Settings
from openddb.server.runtime import RunningServer, start_in_thread

ROOT = EXAMPLES.parent

demo = load("streams_demo")


@contextlib.contextmanager
def serving(tmp_path: Path, example: str, **changes: Any) -> Iterator[RunningServer]:
    """openddb with ``examples/<example>/triggers.json``, its members changed by ``changes``
    (the destination is always moved into ``tmp_path``)."""
    document = orjson.loads((EXAMPLES / example / "triggers.json").read_bytes())
    (definition,) = document["Triggers"]
    destination = definition["DestinationConfig"]["OnFailure"]["Destination"]
    definition["DestinationConfig"]["OnFailure"]["Destination"] = str(tmp_path / destination)
    definition.update(changes)
    path = tmp_path / "triggers.json"
    path.write_bytes(orjson.dumps(document))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # the Python target is examples.order_totals.trigger
    running = start_in_thread(Settings(port=0, in_memory=True, log_level="error",
                                       triggers=str(path)))
    try:
        yield running
    finally:
        running.stop()


def test_order_totals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(tmp_path, "order_totals") as running:
        monkeypatch.setenv("OPENDDB_ENDPOINT", running.endpoint)
        result = demo.order_totals(demo.client(running.endpoint),
                                   str(tmp_path / "failed-orders.jsonl"))
    assert result["totals"] == {"alice": ("30", "2"), "bob": ("5", "1")}
    assert demo.problems_of("order-totals", result) == []
    (failure,) = result["failures"]
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
    (record,) = failure["payload"]["Records"]
    assert record["dynamodb"]["NewImage"]["total"] == {"N": "-4"}


def test_audit_log(tmp_path: Path) -> None:
    audit_path = str(tmp_path / "audit.jsonl")
    endpoint = demo.make_server(0, audit_path)
    threading.Thread(target=endpoint.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{endpoint.server_address[1]}/audit"

    def stop_endpoint() -> None:
        endpoint.shutdown()
        endpoint.server_close()

    try:
        with serving(tmp_path, "audit_log", FunctionName=url) as running:
            result = demo.audit_log(demo.client(running.endpoint), audit_path,
                                    str(tmp_path / "audit-failures.jsonl"), stop_endpoint)
    finally:
        stop_endpoint()
    assert [line["event"] for line in result["audit"]] == ["INSERT", "MODIFY", "REMOVE"]
    assert demo.problems_of("audit-log", result) == []
    assert result["audit"][1]["before"]["balance"] == {"N": "100"}
    assert result["audit"][1]["after"]["balance"] == {"N": "75"}
    assert result["audit"][2]["after"] is None
    (failure,) = result["failures"]
    assert failure["requestContext"]["approximateInvokeCount"] == 4  # 1 + MaximumRetryAttempts
    assert failure["payload"]["Records"][0]["dynamodb"]["Keys"] == {"account": {"S": "a-2"}}
    assert os.path.exists(audit_path)


def test_a_wrong_outcome_is_reported() -> None:
    totals = {"totals": {"alice": ("30", "2")}, "failures": []}
    assert len(demo.problems_of("order-totals", totals)) == 2
    audit = {"audit": [{"event": "INSERT"}], "failures": []}
    assert len(demo.problems_of("audit-log", audit)) == 2
