"""Admin endpoints, for tests and demonstrations: read and move the clock, sweep now.

::

    GET  /openddb/clock                              {"clock": "virtual", "now": 1767225600.0}
    POST /openddb/clock/advance  {"seconds": 3600}   {"clock": "virtual", "now": 1767229200.0}
    POST /openddb/clock/set      {"now": 1767312000} {"clock": "virtual", "now": 1767312000.0}
    POST /openddb/ttl/sweep      {}                  {"deleted": 12}

``now`` is in epoch seconds. Moving the clock and sweeping on demand need ``--clock
virtual``: a wall-clock server answers 400. After the clock moved, the TTL sweeper deletes
what expired at its next pass (``--ttl-interval``); ``/openddb/ttl/sweep`` deletes everything
expired before it answers, so a test needs no waiting (unless another server sharing the
database holds a table's sweep: it does that table). Mistakes answer 400 and unknown paths
404, with ``{"message": ...}``. ``openddb.admin.Admin`` is the Python client.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from openddb.clock import VirtualClock
from openddb.context import Server
from openddb.ttl.sweeper import TtlSweeper

PATH_PREFIX = "/openddb/"
CLOCK_PATH = "/openddb/clock"
ADVANCE_PATH = "/openddb/clock/advance"
SET_PATH = "/openddb/clock/set"
SWEEP_PATH = "/openddb/ttl/sweep"

NOT_VIRTUAL = "the clock is not virtual: start openddb with --clock virtual to move it"
NOT_FOUND = "no such admin endpoint"
BAD_BODY = "the body must be a JSON object"
BAD_SECONDS = "'seconds' must be a number of seconds, 0 or more"
BAD_NOW = "'now' must be a time in epoch seconds, not before the clock's current time"

Answer = tuple[int, bytes]


async def answer(
    server: Server, sweeper: TtlSweeper, method: str, path: str, body: bytes
) -> Answer:
    """The status and JSON body for an admin request."""
    if method == "GET" and path == CLOCK_PATH:
        return _clock_answer(server)
    if method != "POST" or path not in (ADVANCE_PATH, SET_PATH, SWEEP_PATH):
        return _error(404, NOT_FOUND)
    clock = server.clock
    if not isinstance(clock, VirtualClock):
        return _error(400, NOT_VIRTUAL)
    if path == SWEEP_PATH:
        deleted = await asyncio.to_thread(sweeper.sweep_now)
        return 200, orjson.dumps({"deleted": deleted})
    request = _json_object(body)
    if request is None:
        return _error(400, BAD_BODY)
    if path == ADVANCE_PATH:
        seconds = _number(request.get("seconds"))
        if seconds is None or seconds < 0:
            return _error(400, BAD_SECONDS)
        clock.advance(seconds)
    else:
        now = _number(request.get("now"))
        if now is None or now < clock.now():
            return _error(400, BAD_NOW)
        clock.set(now)
    return _clock_answer(server)


def _clock_answer(server: Server) -> Answer:
    kind = "virtual" if isinstance(server.clock, VirtualClock) else "wall"
    return 200, orjson.dumps({"clock": kind, "now": server.clock.now()})


def _error(status: int, message: str) -> Answer:
    return status, orjson.dumps({"message": message})


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = orjson.loads(body or b"{}")
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
