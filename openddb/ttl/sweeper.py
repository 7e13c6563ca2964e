"""The Time to Live sweeper: a background thread deleting expired items.

Started when the server starts (ASGI lifespan startup, like the stream workers) and stopped
before storage closes. Every ``--ttl-interval`` seconds (real time), or at once when woken
(a read met an expired item with ``--ttl-delete-on-read``), it sweeps every table whose TTL
is ENABLED (``sweep.py``).

It never stalls requests: it reads through reader connections, writes in transactions of at
most ``--ttl-deletes-per-write`` deletions, and after each one waits long enough to stay
under ``--ttl-deletes-per-second`` (real time, whatever the server clock does). A sweep
asked for through the admin endpoint (``sweep_now``) runs unpaced.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import partial

from openddb.config import Settings
from openddb.context import Server
from openddb.model.item import PrimaryKey
from openddb.ttl import sweep
from openddb.ttl.on_read import ExpiringEngine, storage_of

log = logging.getLogger("openddb.ttl")

# How long stop() waits for the thread (seconds).
STOP_TIMEOUT_SECONDS = 30.0


def check_settings(settings: Settings) -> None:
    """Refuse settings the sweeper cannot run with (the CLI prints the message)."""
    if not settings.ttl_interval > 0:
        raise ValueError("--ttl-interval must be more than 0 seconds")
    if not settings.ttl_deletes_per_second > 0:
        raise ValueError("--ttl-deletes-per-second must be more than 0")
    if settings.ttl_deletes_per_write < 1:
        raise ValueError("--ttl-deletes-per-write must be at least 1")


class TtlSweeper:
    """The sweeper thread of one server. ``owner`` names this process in sweep claims."""

    def __init__(self, server: Server) -> None:
        check_settings(server.settings)
        self._server = server
        self._storage = storage_of(server.engine)
        self.owner = f"{server.random.getrandbits(64):016x}"
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._hurry = threading.Event()
        self._sweeping = threading.Lock()
        self._thread: threading.Thread | None = None
        self._on_read = server.engine if isinstance(server.engine, ExpiringEngine) else None
        if self._on_read is not None:
            self._on_read.on_seen = self.wake

    def start(self) -> None:
        assert self._thread is None, "started once"
        self._thread = threading.Thread(target=self._run, name="openddb-ttl", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread; a chunk being written finishes (or not) as one transaction."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
            self._thread = None

    def wake(self) -> None:
        """Sweep now rather than at the end of the interval."""
        self._wake.set()

    def sweep_now(self) -> int:
        """Delete every item expired by now, unpaced; return how many this call deleted.
        A paced sweep under way stops pacing and finishes first."""
        self._hurry.set()
        try:
            with self._sweeping:
                return self._sweep(paced=False)
        finally:
            self._hurry.clear()

    def _run(self) -> None:
        """A pass every interval (real time, measured from the end of the last one); in
        between, wake-ups only delete the expired items reads met."""
        interval = self._server.settings.ttl_interval
        next_pass = time.monotonic() + interval
        while not self._stopping.is_set():
            self._wake.wait(max(0.0, next_pass - time.monotonic()))
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                with self._sweeping:
                    deleted = self._delete_seen()
                    if time.monotonic() >= next_pass:
                        deleted += self._sweep(paced=True)
                        next_pass = time.monotonic() + interval
            except Exception:  # a background pass must not die; the failure is logged
                log.exception("ttl: sweep failed")
                next_pass = time.monotonic() + interval
                continue
            if deleted:
                log.info("ttl: %d expired items deleted", deleted)

    def _sweep(self, paced: bool) -> int:
        """One pass over every table whose TTL is ENABLED."""
        deleted = 0 if paced else self._delete_seen()
        settings = self._server.settings
        rate = settings.ttl_deletes_per_second

        def pace(scanned: int, chunk_deleted: int) -> bool:
            if paced and not self._hurry.is_set():
                delay = chunk_deleted / rate + scanned / sweep.SCAN_ROWS_PER_SECOND
                self._stopping.wait(delay)
            return not self._stopping.is_set()

        for table, attribute in sweep.ttl_tables(self._server, self._server.clock.now()):
            step = sweep.sweep_table(
                self._server, self._storage, table, attribute, self.owner,
                settings.ttl_deletes_per_write, pace,
            )
            deleted += step.deleted
            if self._stopping.is_set():
                break
        return deleted

    def _delete_seen(self) -> int:
        """Delete the expired items reads skipped (``--ttl-delete-on-read``)."""
        if self._on_read is None:
            return 0
        by_table: dict[int, list[PrimaryKey]] = {}
        for table_id, key in self._on_read.take_seen():
            by_table.setdefault(table_id, []).append(key)
        deleted = 0
        size = self._server.settings.ttl_deletes_per_write
        for table_id, keys in by_table.items():
            found = self._on_read.expiry_test(table_id)
            if found is None:
                continue
            table = found[0]
            for first in range(0, len(keys), size):
                chunk = keys[first:first + size]
                deleted += self._storage.write(
                    partial(sweep.delete_expired, server=self._server, table=table, keys=chunk)
                )
        return deleted
