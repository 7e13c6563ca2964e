"""Token buckets on an injected clock: no threads, no sleeping; time is passed in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class TokenBucket:
    """Units available now (may be below zero: charged after the fact), refilled at ``rate``
    units per second up to ``capacity``; ``updated_at`` is the clock time of ``tokens``."""

    tokens: float
    updated_at: float

    def refill(self, now: float, rate: float, capacity: float) -> float:
        """Add what ``rate`` earned since the last refill, keep at most ``capacity`` (a lower
        rate or capacity after UpdateTable applies from now on); return the tokens."""
        assert rate >= 0, rate
        assert capacity >= 0, capacity
        elapsed = max(0.0, now - self.updated_at)
        if self.tokens < capacity:
            self.tokens = min(capacity, self.tokens + elapsed * rate)
        else:
            self.tokens = capacity
        self.updated_at = max(self.updated_at, now)
        return self.tokens

    def take(self, units: float) -> None:
        assert units >= 0, units
        self.tokens -= units
