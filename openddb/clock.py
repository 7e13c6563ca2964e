"""One source of time for the whole server.

Production uses :class:`WallClock`. Tests (and users, through ``--clock
virtual``) use :class:`VirtualClock`, which only moves when told to, so that
anything time-based (table status transitions now; TTL, stream retention,
iterator expiry later) is testable in milliseconds.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (float, sub-second precision)."""
        ...


class WallClock:
    """The machine's real time."""

    def now(self) -> float:
        return time.time()


class VirtualClock:
    """A clock that starts at ``start`` (seconds since the epoch) and moves only
    through :meth:`advance` or :meth:`set`. Thread-safe."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by ``seconds`` (must be >= 0); returns the new time."""
        assert seconds >= 0, "a virtual clock never goes back"
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, epoch_seconds: float) -> float:
        """Jump to ``epoch_seconds`` (never earlier than now); returns it."""
        with self._lock:
            assert epoch_seconds >= self._now, "a virtual clock never goes back"
            self._now = epoch_seconds
            return self._now
