"""The background index worker: one thread per server running index jobs step by step.

Started when the server starts (ASGI lifespan startup, beside the stream workers) and
stopped before storage closes. It waits for :data:`lifecycle.work_arrived` (set by a
commit listener once a transaction that recorded a job has committed) or
:data:`POLL_SECONDS` (jobs recorded by another node), then
runs steps of every pending job -- each step its own write transaction on the storage
writer, so requests interleave with it -- until none is left. A stop between two steps
leaves the job where it was; the next start resumes it.
"""

from __future__ import annotations

import logging
import threading

from openddb.context import Server
from openddb.indexes import lifecycle
from openddb.indexes.maintenance import set_item_collection_bytes_max
from openddb.storage.engine import IndexJob, WriteTransaction

log = logging.getLogger("openddb.indexes")

# How often an idle worker looks for jobs recorded by another node (seconds).
POLL_SECONDS = 1.0
# How long stop() waits for the thread (a step is one bounded transaction).
STOP_TIMEOUT_SECONDS = 30.0
# After a failed step, wait this long before trying again (seconds).
RETRY_SECONDS = 1.0


class IndexWorkers:
    """The index job thread of one server."""

    def __init__(self, server: Server) -> None:
        self._server = server
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.node = f"node-{server.random.getrandbits(64):016x}"
        self._collection_limit_before = 0

    def start(self) -> None:
        assert self._thread is None, "started once"
        self._collection_limit_before = set_item_collection_bytes_max(
            self._server.settings.item_collection_size_limit_bytes
        )
        self._server.engine.add_commit_listener(_after_commit)
        self._thread = threading.Thread(target=self._run, name="openddb-indexes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread between two steps and release this node's claims."""
        if self._thread is None:
            return
        self._stopping.set()
        lifecycle.work_arrived.set()
        self._thread.join(STOP_TIMEOUT_SECONDS)
        self._thread = None
        set_item_collection_bytes_max(self._collection_limit_before)
        self.release_claims()

    def release_claims(self) -> None:
        """Give up this node's claims on jobs, so that a restart resumes them at once."""
        engine = self._server.engine
        jobs = [job for job in engine.index_jobs() if job.claimed_by == self.node]
        if jobs:

            def release(transaction: WriteTransaction) -> None:
                lifecycle.release_claims(transaction, jobs, self.node)

            engine.write(release)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                progressed = self.run_pass()
            except Exception:  # a background pass must not die; the failure is logged
                log.exception("indexes: job step failed")
                self._stopping.wait(RETRY_SECONDS)
                continue
            if not progressed and lifecycle.work_arrived.wait(POLL_SECONDS):
                lifecycle.work_arrived.clear()

    def run_pass(self) -> bool:
        """One step of every pending job; True when some job moved."""
        progressed = False
        for job in self._server.engine.index_jobs():
            if self._stopping.is_set():
                break
            if self._step(job):
                progressed = True
        return progressed

    def _step(self, job: IndexJob) -> bool:
        server, node = self._server, self.node

        def work(transaction: WriteTransaction) -> str:
            return lifecycle.step(server, transaction, job.table_id, job.index_number, node)

        outcome: str = server.engine.write(work)
        if outcome == lifecycle.STEP_FINISHED:
            log.info("indexes: %s of index %d of table %d finished", job.action,
                     job.index_number, job.table_id)
        return outcome != lifecycle.STEP_SKIPPED


def _after_commit() -> None:
    """A commit listener (on the writer thread, after every commit): wake the worker once
    a transaction that recorded a job has committed, so that it sees the job."""
    if lifecycle.work_recorded.is_set():
        lifecycle.work_recorded.clear()
        lifecycle.work_arrived.set()
