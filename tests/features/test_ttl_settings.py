"""Time to Live settings over time, on a virtual clock: the interval between changes,
ENABLING -> ENABLED and DISABLING -> DISABLED with --delay-transient-statuses, and what a
disabled table remembers.

Sources: ACK lab DDB-TABLE-143 (the interval: refused at 1,811 s, accepted at 1,872 s;
refused calls do not restart it; each change starts a new one), 144 (a disabled table
forgets its attribute), 147 (the specification is checked first), 377 (the interval dies
with the table).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import error_of
from ttl_fixtures import TtlServer, ttl_server

from openddb import limits

INTERVAL_TEXT = "Time to live has been modified multiple times within a fixed interval"
TRANSIENT = 30.0


@pytest.fixture(scope="module")
def server() -> Iterator[TtlServer]:
    with ttl_server() as running:
        yield running


@pytest.fixture(scope="module")
def delayed() -> Iterator[TtlServer]:
    with ttl_server(delay_transient_statuses=True, transient_status_seconds=TRANSIENT) as running:
        yield running


def update(server: TtlServer, table: str, enabled: bool, attribute: str = "expiresAt") -> Any:
    return server.dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute}
    )


def refusal(server: TtlServer, table: str, enabled: bool, attribute: str = "expiresAt") -> Any:
    with pytest.raises(server.dynamodb.exceptions.ClientError) as excinfo:
        update(server, table, enabled, attribute)
    return error_of(excinfo)


def described(server: TtlServer, table: str) -> dict[str, Any]:
    answer: dict[str, Any] = server.dynamodb.describe_time_to_live(TableName=table)
    return answer["TimeToLiveDescription"]


def test_the_interval_between_changes(server: TtlServer) -> None:
    table = server.create_table("interval", attribute=None, stream=False)
    update(server, table, True)
    server.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS - 1)
    assert refusal(server, table, False) == ("ValidationException", INTERVAL_TEXT)
    server.admin.advance(1)
    update(server, table, False)
    # The change starts a new interval.
    assert refusal(server, table, True) == ("ValidationException", INTERVAL_TEXT)
    server.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS)
    update(server, table, True, "other")
    assert described(server, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "other"}


def test_refused_calls_do_not_restart_the_interval(server: TtlServer) -> None:
    table = server.create_table("refused", attribute=None, stream=False)
    update(server, table, True)
    for _ in range(3):
        server.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS / 3 - 1)
        assert refusal(server, table, False) == ("ValidationException", INTERVAL_TEXT)
    server.admin.advance(3)
    update(server, table, False)


def test_the_specification_is_checked_before_the_interval(server: TtlServer) -> None:
    table = server.create_table("order", attribute=None, stream=False)
    update(server, table, True, "ttl_a")
    assert refusal(server, table, True, "ttl_a")[1] == "TimeToLive is already enabled"
    assert refusal(server, table, True, "ttl_b")[1] == (
        "TimeToLive is active on a different AttributeName: current AttributeName is ttl_a"
    )
    assert refusal(server, table, False, "ttl_b")[1].startswith("TimeToLive is active on")
    assert refusal(server, table, False, "ttl_a")[1] == INTERVAL_TEXT


def test_renaming_the_attribute_takes_a_disable_and_an_interval(server: TtlServer) -> None:
    table = server.create_table("rename", attribute=None, stream=False)
    update(server, table, True, "ttl_a")
    server.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS)
    update(server, table, False, "ttl_a")
    assert described(server, table) == {"TimeToLiveStatus": "DISABLED"}
    assert refusal(server, table, False, "ttl_a")[1] == "TimeToLive is already disabled"
    assert refusal(server, table, True, "ttl_b")[1] == INTERVAL_TEXT
    server.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS)
    update(server, table, True, "ttl_b")
    assert described(server, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl_b"}


def test_the_interval_dies_with_the_table(server: TtlServer) -> None:
    """A table re-created under the same name starts afresh (DDB-TABLE-377)."""
    table = server.create_table("recreated", attribute=None, stream=False)
    update(server, table, True)
    server.dynamodb.delete_table(TableName=table)
    server.dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert described(server, table) == {"TimeToLiveStatus": "DISABLED"}
    update(server, table, True)


def test_enabling_and_disabling_pass_through_transient_statuses(delayed: TtlServer) -> None:
    table = delayed.create_table("transient", attribute=None, stream=False)
    delayed.admin.advance(TRANSIENT)  # the table itself is CREATING until then
    update(delayed, table, True)
    assert described(delayed, table) == {
        "TimeToLiveStatus": "ENABLING", "AttributeName": "expiresAt"
    }
    delayed.admin.advance(TRANSIENT)
    assert described(delayed, table) == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"
    }
    delayed.admin.advance(limits.TTL_UPDATE_COOLDOWN_SECONDS)
    update(delayed, table, False)
    assert described(delayed, table) == {
        "TimeToLiveStatus": "DISABLING", "AttributeName": "expiresAt"
    }
    assert refusal(delayed, table, False)[1] == "TimeToLive is already disabled"
    delayed.admin.advance(TRANSIENT)
    assert described(delayed, table) == {"TimeToLiveStatus": "DISABLED"}


def test_enabling_while_enabling_is_refused_as_already_enabled(delayed: TtlServer) -> None:
    table = delayed.create_table("enabling", attribute=None, stream=False)
    delayed.admin.advance(TRANSIENT)
    update(delayed, table, True)
    assert described(delayed, table)["TimeToLiveStatus"] == "ENABLING"
    assert refusal(delayed, table, True)[1] == "TimeToLive is already enabled"


def test_settings_survive_a_restart(tmp_path: Any) -> None:
    with ttl_server(in_memory=False, db_path=str(tmp_path)) as first:
        table = first.create_table("restart", stream=False)
        started = first.admin.now()
    with ttl_server(in_memory=False, db_path=str(tmp_path)) as second:
        second.admin.set(started + 60)
        assert described(second, table) == {
            "TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"
        }
        assert refusal(second, table, False)[1] == INTERVAL_TEXT
