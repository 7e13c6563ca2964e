"""The admin clock endpoints (``server/admin.py``), their Python client (``openddb.admin``),
and the time-based behaviours that all read the same server clock: TTL, stream retention,
shard iterator expiry, the TransactWriteItems idempotency window, transient statuses."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import error_of
from ttl_fixtures import TtlServer, item, keys_of, put_all, ttl_server

from openddb import limits
from openddb.admin import Admin, AdminError
from openddb.cli import main
from openddb.server import admin as endpoints


@pytest.fixture(scope="module")
def server() -> Iterator[TtlServer]:
    with ttl_server() as running:
        yield running


def raw(endpoint: str, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(endpoint + path, data=body, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- the endpoints ------------------------------------------------------------------------


def test_a_wall_clock_server_tells_its_time_but_refuses_to_move(endpoint: str) -> None:
    admin = Admin(endpoint)
    assert abs(admin.now() - time.time()) < 5
    with pytest.raises(AdminError, match="start openddb with --clock virtual"):
        admin.advance(60)
    with pytest.raises(AdminError, match="--clock virtual"):
        admin.sweep()


def test_the_virtual_clock_moves_only_when_told(server: TtlServer) -> None:
    start = server.admin.now()
    assert server.admin.now() == start
    assert server.admin.advance(90) == start + 90
    assert server.admin.set(start + 1000) == start + 1000
    assert server.running.server.clock.now() == start + 1000
    assert raw(server.running.endpoint, "GET", endpoints.CLOCK_PATH)[1] == (
        b'{"clock":"virtual","now":' + repr(start + 1000).encode() + b"}"
    )


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (endpoints.ADVANCE_PATH, b'{"seconds": -1}', endpoints.BAD_SECONDS),
        (endpoints.ADVANCE_PATH, b'{"seconds": "60"}', endpoints.BAD_SECONDS),
        (endpoints.ADVANCE_PATH, b'{"seconds": true}', endpoints.BAD_SECONDS),
        (endpoints.ADVANCE_PATH, b"[60]", endpoints.BAD_BODY),
        (endpoints.ADVANCE_PATH, b"not json", endpoints.BAD_BODY),
        (endpoints.SET_PATH, b'{"now": 0}', endpoints.BAD_NOW),
        (endpoints.SET_PATH, b"{}", endpoints.BAD_NOW),
    ],
)
def test_mistakes_answer_400(server: TtlServer, path: str, body: bytes, message: str) -> None:
    before = server.admin.now()
    status, payload = raw(server.running.endpoint, "POST", path, body)
    assert (status, payload) == (400, b'{"message":"' + message.encode() + b'"}')
    assert server.admin.now() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/openddb/clock/advance"), ("POST", "/openddb/clock"), ("GET", "/openddb/x")],
)
def test_unknown_admin_calls_answer_404(server: TtlServer, method: str, path: str) -> None:
    body = b"{}" if method == "POST" else None
    assert raw(server.running.endpoint, method, path, body)[0] == 404


def test_the_api_still_answers_beside_the_admin_endpoints(server: TtlServer) -> None:
    assert server.dynamodb.list_tables()["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert raw(server.running.endpoint, "GET", "/health")[0] == 200


# --- everything time-based reads the same clock ----------------------------------------------


def test_ttl_expiry_follows_the_clock(server: TtlServer) -> None:
    table = server.create_table("clock-ttl")
    put_all(server.dynamodb, table, [item("a", expiresAt=int(server.admin.now()) + 3600)])
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == {"a"}
    server.admin.advance(3601)
    server.admin.sweep()
    assert keys_of(server.dynamodb, table) == set()


def test_shard_iterators_expire_on_the_clock(server: TtlServer) -> None:
    table = server.create_table("clock-iterator", attribute=None)
    arn = server.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = server.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = server.streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    server.admin.advance(limits.SHARD_ITERATOR_LIFETIME_SECONDS + 1)
    with pytest.raises(server.streams.exceptions.ExpiredIteratorException):
        server.streams.get_records(ShardIterator=iterator)


def test_stream_records_are_kept_24_hours_of_the_clock(server: TtlServer) -> None:
    table = server.create_table("clock-retention", attribute=None)
    put_all(server.dynamodb, table, [item("a")])
    arn = server.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]

    def visible() -> int:
        total = 0
        for shard in server.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            iterator = server.streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            total += len(server.streams.get_records(ShardIterator=iterator)["Records"])
        return total

    assert visible() == 1
    server.admin.advance(limits.STREAM_RECORD_RETENTION_SECONDS + 1)
    assert visible() == 0


def test_the_idempotency_window_is_on_the_clock(server: TtlServer) -> None:
    table = server.create_table("clock-tokens", attribute=None, stream=False)

    def transact(note: str) -> Any:
        return server.dynamodb.transact_write_items(
            ClientRequestToken="token-1",
            TransactItems=[{"Put": {"TableName": table, "Item": item("a", note=note)}}],
        )

    transact("first")
    with pytest.raises(server.dynamodb.exceptions.IdempotentParameterMismatchException) as info:
        transact("second")
    assert error_of(info)[0] == "IdempotentParameterMismatchException"
    server.admin.advance(limits.TRANSACT_TOKEN_LIFETIME_SECONDS)
    transact("second")


def test_transient_statuses_follow_the_clock() -> None:
    with ttl_server(delay_transient_statuses=True, transient_status_seconds=30) as server:
        table = server.create_table("clock-status", attribute=None, stream=False)
        status = server.dynamodb.describe_table(TableName=table)["Table"]["TableStatus"]
        assert status == "CREATING"
        server.admin.advance(30)
        status = server.dynamodb.describe_table(TableName=table)["Table"]["TableStatus"]
        assert status == "ACTIVE"


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        (["--ttl-interval", "0"], "--ttl-interval must be more than 0 seconds"),
        (["--ttl-deletes-per-second", "-1"], "--ttl-deletes-per-second must be more than 0"),
        (["--ttl-deletes-per-write", "0"], "--ttl-deletes-per-write must be at least 1"),
    ],
)
def test_serve_refuses_ttl_settings_it_cannot_run_with(
    flag: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--in-memory", "--port", "0", *flag]) == 2
    assert message in capsys.readouterr().err
