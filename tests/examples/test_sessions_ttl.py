"""examples/sessions_ttl.py against an in-process openddb on a virtual clock."""

from __future__ import annotations

from example_scripts import load

from openddb.config import Settings
from openddb.server.runtime import start_in_thread

sessions = load("sessions_ttl")


def test_expired_sessions_are_hidden_then_deleted(table_name: str) -> None:
    running = start_in_thread(Settings(port=0, in_memory=True, clock="virtual",
                                       log_level="error"))
    try:
        assert sessions.demo(running.endpoint, table_name) == []
    finally:
        running.stop()


def test_a_wrong_outcome_is_reported() -> None:
    problems = sessions.expect([], "ana's sessions", 2, 3)
    assert problems == ["ana's sessions: 2, expected 3"]
    assert sessions.report(problems) == 1
    assert sessions.report([]) == 0
