"""Python client of openddb's admin endpoints (``server/admin.py``), for tests and scripts.

::

    from openddb.admin import Admin

    admin = Admin("http://localhost:8000")   # a server started with --clock virtual
    admin.advance(3600)                       # one hour later
    admin.sweep()                             # every expired item deleted -> how many
    admin.now()                               # the server's time, epoch seconds

``Admin`` is also a :class:`~openddb.clock.Clock` (it has ``now()``). Standard library
only, so any test suite can use it without extra dependencies.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

# How long a call waits for the server (seconds); a sweep of many items takes a while.
TIMEOUT_SECONDS = 300.0


class AdminError(Exception):
    """The server refused an admin call (its ``message``), e.g. a wall-clock server asked
    to move its clock."""


class Admin:
    """The admin endpoints of the openddb server at ``endpoint``."""

    def __init__(self, endpoint: str, timeout_seconds: float = TIMEOUT_SECONDS) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout_seconds = timeout_seconds

    def now(self) -> float:
        """The server clock's time in epoch seconds."""
        now: float = self._call("GET", "/openddb/clock", None)["now"]
        return now

    def advance(self, seconds: float) -> float:
        """Move the virtual clock forward by ``seconds``; return the new time."""
        now: float = self._call("POST", "/openddb/clock/advance", {"seconds": seconds})["now"]
        return now

    def set(self, epoch_seconds: float) -> float:
        """Move the virtual clock to ``epoch_seconds`` (not before its time); return it."""
        now: float = self._call("POST", "/openddb/clock/set", {"now": epoch_seconds})["now"]
        return now

    def sweep(self) -> int:
        """Delete every item that has expired by the server's time, the way the background
        sweeper does (stream records, indexes); return how many this call deleted."""
        deleted: int = self._call("POST", "/openddb/ttl/sweep", {})["deleted"]
        return deleted

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.endpoint + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                answer: dict[str, Any] = json.loads(response.read())
        except urllib.error.HTTPError as error:
            message = json.loads(error.read() or b"{}").get("message", str(error))
            raise AdminError(message) from None
        return answer
