"""Background work of the streams: the maintenance pass and the trigger runner.

Started when the server starts (ASGI lifespan startup) and stopped before storage
closes. The threads only wait on events between passes, so they never hold a request
up; stopping wakes them at once.
"""

from __future__ import annotations

import logging
import threading

from openddb.context import Server
from openddb.streams import maintenance

log = logging.getLogger("openddb.streams")

# How long stop() waits for a background thread before giving up on it (seconds).
STOP_TIMEOUT_SECONDS = 30.0


class StreamWorkers:
    """The maintenance thread (and, when configured, the trigger runner) of one server."""

    def __init__(self, server: Server) -> None:
        self._server = server
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        assert not self._threads, "started once"
        thread = threading.Thread(
            target=self._maintain, name="openddb-stream-maintenance", daemon=True
        )
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(STOP_TIMEOUT_SECONDS)
        self._threads.clear()

    def _maintain(self) -> None:
        interval = self._server.settings.stream_maintenance_seconds
        while not self._stopping.wait(interval):
            try:
                rolled, trimmed = maintenance.run_once(self._server)
            except Exception:  # a background pass must not die; the failure is logged
                log.exception("streams: maintenance pass failed")
                continue
            if rolled or trimmed:
                log.info("streams: %d shards rolled over, %d records trimmed", rolled, trimmed)
