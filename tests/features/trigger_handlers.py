"""Lambda-style handlers the trigger tests attach (``trigger_handlers:<name>``). Each call is
recorded per handler; tests wait on :func:`wait_for`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

_lock = threading.Condition()
calls: dict[str, list[tuple[dict[str, Any], Any]]] = {}
# Sequence numbers of poison records that already failed once (fail_once_then_succeed).
_failed_once: set[str] = set()


def reset() -> None:
    with _lock:
        calls.clear()
        _failed_once.clear()


def _record(name: str, event: dict[str, Any], context: Any) -> None:
    with _lock:
        calls.setdefault(name, []).append((event, context))
        _lock.notify_all()


def batches(name: str) -> list[list[dict[str, Any]]]:
    with _lock:
        return [event["Records"] for event, _ in calls.get(name, [])]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with _lock:
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; calls so far: {calls}")
            _lock.wait(min(remaining, 0.02))  # conditions may not be about calls


def _poisoned(record: dict[str, Any]) -> bool:
    return "poison" in record["dynamodb"].get("NewImage", {})


def collect(event: dict[str, Any], context: Any) -> None:
    context.remaining_at_call = context.get_remaining_time_in_millis()
    _record("collect", event, context)


def collect_other(event: dict[str, Any], context: Any) -> None:
    _record("collect_other", event, context)


def fail_always(event: dict[str, Any], context: Any) -> None:
    _record("fail_always", event, context)
    raise RuntimeError("this handler always fails")


def fail_on_poison(event: dict[str, Any], context: Any) -> None:
    _record("fail_on_poison", event, context)
    if any(_poisoned(record) for record in event["Records"]):
        raise ValueError("poison record")


def report_poison_once(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Reports the first poison record as failed the first time it is seen."""
    _record("report_poison_once", event, context)
    for record in event["Records"]:
        number = record["dynamodb"]["SequenceNumber"]
        if _poisoned(record) and number not in _failed_once:
            _failed_once.add(number)
            return {"batchItemFailures": [{"itemIdentifier": number}]}
    return {"batchItemFailures": []}


def report_unknown_item(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _record("report_unknown_item", event, context)
    return {"batchItemFailures": [{"itemIdentifier": "not-a-sequence-number"}]}
