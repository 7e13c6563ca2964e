"""Background work of the streams: the maintenance pass and the trigger runner.

Started when the server starts (ASGI lifespan startup) and stopped before storage
closes. The threads only wait on events between passes, so they never hold a request
up; stopping wakes them at once. Of several server processes on one database, only the
one that ``engine.leads()`` does this work (the others' threads check at every pass).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from openddb.context import Server
from openddb.streams import maintenance
from openddb.streams.triggers.config import load_triggers
from openddb.streams.triggers.runner import TriggerRunner
from openddb.streams.triggers.targets import target_for

log = logging.getLogger("openddb.streams")

# How long stop() waits for a background thread before giving up on it (seconds).
STOP_TIMEOUT_SECONDS = 30.0


class StreamWorkers:
    """The maintenance thread and one thread per configured trigger of one server.

    Triggers are loaded (and their Python targets imported) when this is built, so a
    configuration mistake stops the server before it listens.
    """

    def __init__(self, server: Server) -> None:
        self._server = server
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.runners = [
            TriggerRunner(server, trigger, target_for(trigger), self._stopping)
            for trigger in load_triggers(server.settings)
        ]

    def start(self) -> None:
        assert not self._threads, "started once"
        self._spawn(self._maintain, "openddb-stream-maintenance")
        for runner in self.runners:
            self._spawn(runner.run, f"openddb-trigger-{runner.name}")
        if self.runners:
            self._server.engine.add_commit_listener(self._wake_runners)
            log.info("streams: %d triggers running", len(self.runners))

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _wake_runners(self) -> None:
        for runner in self.runners:
            runner.wake.set()

    def stop(self) -> None:
        """Stop every thread: a batch being delivered is not acknowledged, so it is
        delivered again after a restart."""
        self._stopping.set()
        self._wake_runners()
        for thread in self._threads:
            thread.join(STOP_TIMEOUT_SECONDS)
        self._threads.clear()

    def _maintain(self) -> None:
        interval = self._server.settings.stream_maintenance_seconds
        while not self._stopping.wait(interval):
            if not self._server.engine.leads():
                continue  # another process on this database does it
            try:
                rolled, trimmed = maintenance.run_once(self._server)
            except Exception:  # a background pass must not die; the failure is logged
                log.exception("streams: maintenance pass failed")
                continue
            if rolled or trimmed:
                log.info("streams: %d shards rolled over, %d records trimmed", rolled, trimmed)
