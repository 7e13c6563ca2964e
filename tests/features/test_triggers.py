"""Stream triggers: Lambda-format events to Python callables and HTTP URLs, BatchSize,
batching window, StartingPosition, FilterCriteria, retries, bisection,
ReportBatchItemFailures, the on-failure destination, durable checkpoints, lineage, and
configuration from a file and from the command line.

Each test runs a server of its own with its triggers; handlers live in
trigger_handlers.py and record their calls.
"""

from __future__ import annotations

import contextlib
import http.server
import itertools
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import trigger_handlers
from conftest import client_for
from stream_fixtures import create_stream_table, put, read_stream, streams_client_for
from trigger_handlers import batches, wait_for

from openddb.api.changes import write_change
from openddb.cli import main, parse_settings
from openddb.clock import VirtualClock
from openddb.config import Settings
from openddb.model.item import primary_key_of_key
from openddb.server.runtime import start_in_thread
from openddb.storage.engine import WriteTransaction
from openddb.streams.triggers.config import TriggerConfigError, load_triggers

_names = itertools.count()
TABLE = "orders"


@pytest.fixture(autouse=True)
def fresh_handlers() -> None:
    trigger_handlers.reset()


def trigger(function: str, **members: Any) -> dict[str, Any]:
    definition = {"TableName": TABLE, "FunctionName": function, "StartingPosition": "TRIM_HORIZON"}
    definition.update(members)
    return definition


@contextlib.contextmanager
def serving(tmp_path: Path, *definitions: dict[str, Any], **settings: Any) -> Iterator[Any]:
    """A server with ``definitions`` as its triggers file; yields (running, dynamodb)."""
    path = tmp_path / f"triggers-{next(_names)}.json"
    path.write_bytes(orjson.dumps({"Triggers": list(definitions)}))
    settings.setdefault("in_memory", True)
    running = start_in_thread(Settings(port=0, log_level="warning", triggers=str(path), **settings))
    try:
        yield running, client_for(running.endpoint)
    finally:
        running.stop()


def order(customer: str, number: str, total: int, **extra: str) -> dict[str, Any]:
    item = {"pk": {"S": customer}, "sk": {"S": number}, "total": {"N": str(total)}}
    item.update({name: {"S": value} for name, value in extra.items()})
    return item


def create_orders(dynamodb: Any, view_type: str = "NEW_AND_OLD_IMAGES") -> str:
    arn: str = create_stream_table(dynamodb, TABLE, view_type)["LatestStreamArn"]
    return arn


def test_python_handler_gets_a_lambda_event(tmp_path: Path) -> None:
    with serving(tmp_path, trigger("trigger_handlers:collect", Name="totals")) as (_, ddb):
        arn = create_orders(ddb)
        put(ddb, TABLE, order("c1", "o1", 10))
        wait_for(lambda: len(batches("collect")) == 1)
    event, context = trigger_handlers.calls["collect"][0]
    assert list(event) == ["Records"]
    (record,) = event["Records"]
    assert list(record) == [
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
        "eventSourceARN",
    ]
    assert record["eventSourceARN"] == arn
    assert record["eventName"] == "INSERT"
    assert record["eventVersion"] == "1.1"
    assert record["eventSource"] == "aws:dynamodb"
    dynamodb = record["dynamodb"]
    assert isinstance(dynamodb["ApproximateCreationDateTime"], int)
    assert dynamodb["Keys"] == {"pk": {"S": "c1"}, "sk": {"S": "o1"}}
    assert dynamodb["NewImage"] == order("c1", "o1", 10)
    assert dynamodb["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert dynamodb["SequenceNumber"].isdecimal()
    assert context.function_name == "totals"
    assert context.invoked_function_arn == "arn:aws:lambda:us-east-1:000000000000:function:totals"
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}", context.aws_request_id
    )
    assert 0 < context.remaining_at_call <= 3000
    assert context.function_version == "$LATEST"


def test_user_identity_casing_differs_between_get_records_and_lambda(tmp_path: Path) -> None:
    """A deletion by the service (TTL) carries userIdentity: GetRecords spells its members
    PrincipalId/Type, Lambda events principalId/type."""
    with serving(tmp_path, trigger("trigger_handlers:collect")) as (running, ddb):
        arn = create_orders(ddb, "KEYS_ONLY")
        put(ddb, TABLE, order("c1", "o1", 10))
        table = running.server.catalog.tables(
            next(table.namespace for table in running.server.catalog.all() if table.name == TABLE)
        )[0]
        key = primary_key_of_key(
            {"pk": {"S": "c1"}, "sk": {"S": "o1"}}, table.partition_key, table.sort_key
        )

        def expire(transaction: WriteTransaction) -> None:
            old = transaction.get_item(
                table.table_id, key.hash_token, key.partition_key, key.sort_key
            )
            write_change(transaction, table, key, old, None, user_identity="dynamodb.amazonaws.com")

        running.server.engine.write(expire)
        wait_for(lambda: sum(len(batch) for batch in batches("collect")) == 2)
        removal = read_stream(streams_client_for(running.endpoint), arn)[1]
    assert removal["eventName"] == "REMOVE"
    assert removal["userIdentity"] == {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}
    delivered = [record for batch in batches("collect") for record in batch]
    assert delivered[1]["userIdentity"] == {
        "type": "Service",
        "principalId": "dynamodb.amazonaws.com",
    }
    assert "userIdentity" not in delivered[0]


def test_batch_size(tmp_path: Path) -> None:
    with serving(tmp_path, trigger("trigger_handlers:collect", BatchSize=3)) as (_, ddb):
        create_orders(ddb)
        put(ddb, TABLE, *[order("c1", f"o{index:02d}", index) for index in range(10)])
        wait_for(lambda: sum(len(batch) for batch in batches("collect")) == 10)
    assert [len(batch) for batch in batches("collect")] == [3, 3, 3, 1]
    numbers = [
        record["dynamodb"]["Keys"]["sk"]["S"] for batch in batches("collect") for record in batch
    ]
    assert numbers == [f"o{index:02d}" for index in range(10)]


def test_filter_criteria(tmp_path: Path) -> None:
    pattern = {
        "eventName": ["INSERT"],
        "dynamodb": {"NewImage": {"status": {"S": [{"prefix": "paid"}]}}},
    }
    criteria = {"Filters": [{"Pattern": orjson.dumps(pattern).decode()}]}
    with serving(
        tmp_path,
        trigger("trigger_handlers:collect", FilterCriteria=criteria),
        trigger("trigger_handlers:collect_other", Name="all"),
    ) as (_, ddb):
        create_orders(ddb)
        put(ddb, TABLE, order("c1", "o1", 1, status="paid"), order("c1", "o2", 2, status="open"))
        put(ddb, TABLE, order("c1", "o2", 2, status="paid-late"))  # a MODIFY: filtered out
        put(ddb, TABLE, order("c1", "o3", 3, status="paid-late"))
        wait_for(lambda: sum(len(batch) for batch in batches("collect_other")) == 4)
        wait_for(lambda: sum(len(batch) for batch in batches("collect")) == 2)
    delivered = [
        record["dynamodb"]["Keys"]["sk"]["S"] for batch in batches("collect") for record in batch
    ]
    assert delivered == ["o1", "o3"]


def test_retries_then_the_on_failure_destination(tmp_path: Path) -> None:
    failures = tmp_path / "failures.jsonl"
    definition = trigger(
        "trigger_handlers:fail_always",
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": str(failures)}},
    )
    with serving(tmp_path, definition) as (_, ddb):
        arn = create_orders(ddb)
        put(ddb, TABLE, order("c1", "o1", 1), order("c1", "o2", 2))
        wait_for(lambda: len(batches("fail_always")) == 3)
        wait_for(lambda: failures.exists() and failures.read_bytes().count(b"\n") == 1)
        put(ddb, TABLE, order("c1", "o3", 3))  # the shard moves on
        wait_for(lambda: len(batches("fail_always")) == 6)
    assert [len(batch) for batch in batches("fail_always")] == [2, 2, 2, 1, 1, 1]
    document = orjson.loads(failures.read_bytes().splitlines()[0])
    assert document["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert document["requestContext"]["approximateInvokeCount"] == 3
    assert document["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    assert document["version"] == "1.0"
    info = document["DDBStreamBatchInfo"]
    assert info["batchSize"] == 2
    assert info["streamArn"] == arn
    first = batches("fail_always")[0]
    assert info["startSequenceNumber"] == first[0]["dynamodb"]["SequenceNumber"]
    assert info["endSequenceNumber"] == first[1]["dynamodb"]["SequenceNumber"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", info["approximateArrivalOfFirstRecord"])
    assert document["payload"]["Records"] == first


def test_bisect_isolates_a_poison_record(tmp_path: Path) -> None:
    failures = tmp_path / "poison.jsonl"
    definition = trigger(
        "trigger_handlers:fail_on_poison",
        MaximumRetryAttempts=0,
        BisectBatchOnFunctionError=True,
        DestinationConfig={"OnFailure": {"Destination": f"file://{failures}"}},
    )
    with serving(tmp_path, definition) as (_, ddb):
        create_orders(ddb)
        items = [order("c1", f"o{index}", index) for index in range(8)]
        items[5] = order("c1", "o5", 5, poison="yes")
        put(ddb, TABLE, *items)
        wait_for(lambda: failures.exists() and failures.read_bytes().count(b"\n") == 1)
    succeeded = [
        record["dynamodb"]["Keys"]["sk"]["S"]
        for batch in batches("fail_on_poison")
        for record in batch
        if not any("poison" in r["dynamodb"]["NewImage"] for r in batch)
    ]
    assert succeeded == [f"o{index}" for index in range(8) if index != 5]
    sizes = [len(batch) for batch in batches("fail_on_poison")]
    # 8 fails -> o0-o3 pass, o4-o7 fail -> o4-o5 fail -> o4 passes, o5 fails (no retry
    # left: discarded) -> o6-o7 pass. Splitting is not a retry.
    assert sizes == [8, 4, 4, 2, 1, 1, 2]
    document = orjson.loads(failures.read_bytes())
    assert document["DDBStreamBatchInfo"]["batchSize"] == 1
    assert document["payload"]["Records"][0]["dynamodb"]["Keys"]["sk"]["S"] == "o5"


def test_report_batch_item_failures_retries_from_the_failed_record(tmp_path: Path) -> None:
    definition = trigger(
        "trigger_handlers:report_poison_once", FunctionResponseTypes=["ReportBatchItemFailures"]
    )
    with serving(tmp_path, definition) as (_, ddb):
        create_orders(ddb)
        items = [order("c1", f"o{index}", index) for index in range(5)]
        items[2] = order("c1", "o2", 2, poison="yes")
        put(ddb, TABLE, *items)
        wait_for(lambda: len(batches("report_poison_once")) == 2)
    first, second = batches("report_poison_once")
    assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in first] == ["o0", "o1", "o2", "o3", "o4"]
    assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in second] == ["o2", "o3", "o4"]


def test_an_unknown_item_identifier_fails_the_whole_batch(tmp_path: Path) -> None:
    definition = trigger(
        "trigger_handlers:report_unknown_item",
        MaximumRetryAttempts=1,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    with serving(tmp_path, definition) as (_, ddb):
        create_orders(ddb)
        put(ddb, TABLE, order("c1", "o1", 1), order("c1", "o2", 2))
        wait_for(lambda: len(batches("report_unknown_item")) == 2)
        time.sleep(0.2)
    assert [len(batch) for batch in batches("report_unknown_item")] == [2, 2]


def test_batching_window_waits_for_a_fuller_batch(tmp_path: Path) -> None:
    definition = trigger(
        "trigger_handlers:collect", BatchSize=10, MaximumBatchingWindowInSeconds=60
    )
    with serving(tmp_path, definition, clock="virtual") as (running, ddb):
        clock = running.server.clock
        assert isinstance(clock, VirtualClock)
        create_orders(ddb)
        put(ddb, TABLE, order("c1", "o1", 1), order("c1", "o2", 2))
        time.sleep(0.3)
        assert batches("collect") == []  # the window (virtual time) is still open
        put(ddb, TABLE, order("c1", "o3", 3))
        clock.advance(61)
        wait_for(lambda: len(batches("collect")) == 1)
    assert [len(batch) for batch in batches("collect")] == [3]


def test_starting_position_and_durable_checkpoints(tmp_path: Path) -> None:
    """Records written before a trigger exists: TRIM_HORIZON sees them, LATEST does not.
    After a restart each trigger resumes after its last acknowledged batch."""
    data = str(tmp_path / "data")
    with serving(tmp_path, db_path=data, in_memory=False) as (_, ddb):
        create_orders(ddb)
        put(ddb, TABLE, order("c1", "old", 1))
    both = (
        trigger("trigger_handlers:collect", StartingPosition="TRIM_HORIZON"),
        trigger("trigger_handlers:collect_other", StartingPosition="LATEST"),
    )
    with serving(tmp_path, *both, db_path=data, in_memory=False) as (_, ddb):
        wait_for(lambda: len(batches("collect")) == 1)
        time.sleep(0.2)  # let the LATEST trigger register
        put(ddb, TABLE, order("c1", "new", 2))
        wait_for(lambda: len(batches("collect")) == 2 and len(batches("collect_other")) == 1)
    trigger_handlers.reset()
    with serving(tmp_path, *both, db_path=data, in_memory=False) as (_, ddb):
        put(ddb, TABLE, order("c1", "newer", 3))
        wait_for(lambda: len(batches("collect")) == 1 and len(batches("collect_other")) == 1)
        time.sleep(0.2)
    for name in ("collect", "collect_other"):
        assert [[r["dynamodb"]["Keys"]["sk"]["S"] for r in batch] for batch in batches(name)] == [
            ["newer"]
        ]


def test_http_target_receives_the_event_as_a_post(tmp_path: Path) -> None:
    received: list[dict[str, Any]] = []
    statuses = iter([500, 200])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(orjson.loads(self.rfile.read(length)))
            self.send_response(next(statuses))
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    listener = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.server_address[1]}/audit"
    try:
        with serving(tmp_path, trigger(url)) as (_, ddb):
            arn = create_orders(ddb)
            put(ddb, TABLE, order("c1", "o1", 1))
            wait_for(lambda: len(received) == 2)
    finally:
        listener.shutdown()
        listener.server_close()
    assert received[0] == received[1]  # the 500 was a function error: delivered again
    (record,) = received[0]["Records"]
    assert record["eventSourceARN"] == arn
    assert record["dynamodb"]["NewImage"] == order("c1", "o1", 1)


def test_triggers_follow_shard_lineage(tmp_path: Path) -> None:
    with serving(
        tmp_path,
        trigger("trigger_handlers:collect"),
        clock="virtual",
        stream_shards=1,
        stream_shard_rollover_seconds=60,
    ) as (running, ddb):
        create_orders(ddb, "NEW_IMAGE")
        for version in range(6):
            put(ddb, TABLE, order("c1", "o1", version))
            running.server.clock.advance(61)  # every write lands in a new shard
        wait_for(lambda: sum(len(batch) for batch in batches("collect")) == 6)
    totals = [
        int(record["dynamodb"]["NewImage"]["total"]["N"])
        for batch in batches("collect")
        for record in batch
    ]
    assert totals == list(range(6))


def test_stopping_the_server_stops_its_triggers_promptly(tmp_path: Path) -> None:
    with serving(tmp_path, trigger("trigger_handlers:collect")) as (running, ddb):
        create_orders(ddb)
        put(ddb, TABLE, order("c1", "o1", 1))
        wait_for(lambda: len(batches("collect")) == 1)
        started = time.monotonic()
        running.stop()
        assert time.monotonic() - started < 5
        assert not [
            thread for thread in threading.enumerate() if thread.name.startswith("openddb-trigger-")
        ]
        running.stop = lambda: None  # type: ignore[method-assign]


# --- configuration ----------------------------------------------------------------------


def test_trigger_flag_and_file_are_read(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_bytes(
        orjson.dumps(
            {"Triggers": [trigger("trigger_handlers:collect", Name="from-file", BatchSize=7)]}
        )
    )
    settings = parse_settings(
        [
            "--triggers",
            str(path),
            "--trigger",
            "orders=trigger_handlers:collect,audit=http://127.0.0.1:1/x",
        ]
    )
    loaded = load_triggers(settings)
    assert [(t.name, t.table_name, t.batch_size, t.starting_position) for t in loaded] == [
        ("from-file", TABLE, 7, "TRIM_HORIZON"),
        ("orders/trigger_handlers:collect", "orders", 100, "LATEST"),
        ("audit/http://127.0.0.1:1/x", "audit", 100, "LATEST"),
    ]


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ({"TableName": TABLE, "FunctionName": "m:f"}, "StartingPosition (a non-empty string)"),
        (trigger("m:f", StartingPosition="AT_TIMESTAMP"), "StartingPosition must be"),
        (trigger("m:f", BatchSize=0), "BatchSize must be a number from 1 to 10000"),
        (trigger("m:f", MaximumRetryAttempts=-2), "MaximumRetryAttempts must be"),
        (trigger("m:f", Bogus=1), "unknown members Bogus"),
        (
            trigger("m:f", FilterCriteria={"Filters": [{"Pattern": '{"a": 1}'}]}),
            "must be an object or a non-empty list",
        ),
        (trigger("m:f", FunctionResponseTypes=["Other"]), "FunctionResponseTypes"),
    ],
)
def test_bad_trigger_definitions_are_refused(
    tmp_path: Path, definition: dict[str, Any], message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps({"Triggers": [definition]}))
    with pytest.raises(TriggerConfigError, match=re.escape(message)):
        load_triggers(Settings(triggers=str(path)))


def test_serve_reports_a_bad_trigger_and_exits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        ["serve", "--in-memory", "--port", "0", "--trigger", "orders=no_such_module_here:handler"]
    )
    assert status == 2
    assert "cannot import no_such_module_here" in capsys.readouterr().err
