"""The session store of examples/sessions_ttl.py on a server with a virtual clock: after the
clock moves past their expiry, expired sessions disappear from the table and from the
``SessionsByUser`` index, fresh ones stay, and a stream consumer sees exactly one
service-identity REMOVE per expired session (a logout's REMOVE has no identity)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ttl_fixtures import SERVICE_IDENTITY, TtlServer, ttl_server, wait_until

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "examples" / "sessions_ttl.py"
USERS = ("ana", "ben", "cho", "dev")
SESSIONS_PER_USER = 40
SHORT_SECONDS = 15 * 60
LONG_SECONDS = 24 * 3600
INDEX_NOT_SUPPORTED = "openddb does not support IndexName yet"


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sessions_ttl", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = _load_example()


@pytest.fixture
def sessions() -> Iterator[tuple[TtlServer, Any, str]]:
    """(server, store, stream ARN) with a fresh Sessions table."""
    with ttl_server() as server:
        store = example.SessionStore(server.dynamodb, now=server.admin.now)
        yield server, store, store.create_table()


def create_sessions(store: Any) -> tuple[list[str], list[str]]:
    """Half of each user's sessions short-lived, half long-lived: (short, long)."""
    short, long = [], []
    for user in USERS:
        for number in range(SESSIONS_PER_USER):
            lifetime = SHORT_SECONDS if number % 2 else LONG_SECONDS
            (short if number % 2 else long).append(store.create(user, lifetime))
    return short, long


def raw_item(server: TtlServer, session_id: str) -> Any:
    return server.dynamodb.get_item(
        TableName=example.TABLE, Key={"sessionId": {"S": session_id}}
    ).get("Item")


def index_entries(server: TtlServer, user: str) -> set[str]:
    """Every entry of the user in the index, expired or not (no time condition)."""
    try:
        answer = server.dynamodb.query(
            TableName=example.TABLE, IndexName=example.INDEX,
            KeyConditionExpression="userId = :user",
            ExpressionAttributeValues={":user": {"S": user}},
        )
    except server.dynamodb.exceptions.ClientError as error:
        if error.response["Error"]["Message"] == INDEX_NOT_SUPPORTED:
            pytest.skip("global secondary indexes are not readable yet (issue 6)")
        raise
    assert "LastEvaluatedKey" not in answer
    return {entry["sessionId"]["S"] for entry in answer["Items"]}


def test_expired_sessions_disappear_and_fresh_ones_stay(
    sessions: tuple[TtlServer, Any, str],
) -> None:
    server, store, stream_arn = sessions
    short, long = create_sessions(store)
    logged_out = long.pop()
    store.logout(logged_out)
    assert index_entries(server, "ana") >= {s for s in short if store.get(s)["userId"] == "ana"}

    server.admin.advance(3600)
    # Expired, not yet deleted: the table still has them, the store hides them.
    assert all(store.get(session) is None for session in short)
    assert all(raw_item(server, session) is not None for session in short)

    assert server.admin.sweep() == len(short)
    assert all(raw_item(server, session) is None for session in short)
    assert all(store.get(session) is not None for session in long)
    for user in USERS:
        fresh = {session for session in long if store.get(session)["userId"] == user}
        assert set(store.sessions_of(user)) == fresh
        assert index_entries(server, user) == fresh

    records = list(example.stream_records(server.streams, stream_arn))
    expired = example.expired_sessions(records)
    assert sorted(expired) == sorted(short), "one service REMOVE per expired session"
    removes = [record for record in records if record["eventName"] == "REMOVE"]
    assert len(removes) == len(short) + 1
    (logout,) = [r for r in removes if r["dynamodb"]["Keys"]["sessionId"]["S"] == logged_out]
    assert "userIdentity" not in logout
    for record in removes:
        if record is not logout:
            assert record["userIdentity"] == SERVICE_IDENTITY


def test_the_background_sweeper_expires_sessions() -> None:
    with ttl_server(ttl_interval=0.05) as server:
        store = example.SessionStore(server.dynamodb, now=server.admin.now)
        store.create_table()
        short = [store.create("ana", SHORT_SECONDS) for _ in range(20)]
        long = store.create("ana", LONG_SECONDS)
        server.admin.advance(SHORT_SECONDS + 1)
        wait_until(lambda: all(raw_item(server, s) is None for s in short), "expiry")
        assert store.get(long) is not None
        assert index_entries(server, "ana") == {long}


def test_the_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with ttl_server() as server:
        example.demo(server.running.endpoint)
    out = capsys.readouterr().out
    assert "the sweep deletes 3 items" in out
    assert "stream: 3 expiries, 4 REMOVE records in all" in out
