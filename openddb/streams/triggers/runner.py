"""The trigger runner: one thread per trigger, delivering stream records as Lambda does.

Each pass walks the table's readable streams and their shards in ShardId order; a shard
is read only once its parent is finished (closed and read to its end), so the records of
a key arrive in order across rollovers. Per shard::

    checkpoint ──> read records after it ──> drop those FilterCriteria rejects
        ──> batch of up to BatchSize (waiting up to MaximumBatchingWindowInSeconds for a
            full one) ──> invoke ──> success: checkpoint the batch's last record
                                 └─> error: retry (BisectBatchOnFunctionError splits the
                                     batch first; splitting is not a retry), partial
                                     success (ReportBatchItemFailures) checkpoints before
                                     the first failed record; after MaximumRetryAttempts
                                     retries, or once the records are 24 hours old, the
                                     batch is discarded to the on-failure destination

Checkpoints are rows in storage (``stream_checkpoints``), written after each acknowledged
batch: a restart resumes after the last acknowledged batch, never re-delivering one and
never skipping one (a batch being delivered when the server stops is delivered again).
StartingPosition applies once, when the trigger is first registered: LATEST records the
current end of every shard then; shards created later are read from their beginning.
Sources: Lambda Developer Guide "Using AWS Lambda with Amazon DynamoDB" (error handling,
reporting batch item failures, parameters).
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from openddb import limits
from openddb.context import Server
from openddb.storage.engine import StoredShard, StoredStream, StoredStreamRecord, WriteTransaction
from openddb.streams import records, shards
from openddb.streams.triggers import destinations
from openddb.streams.triggers.config import Trigger
from openddb.streams.triggers.filters import matches_any
from openddb.streams.triggers.targets import FunctionError, LambdaContext, Target

log = logging.getLogger("openddb.streams.triggers")

# Idle wait between passes (real seconds); a commit wakes the runner at once.
POLL_SECONDS = 0.5
# While a batching window is open, how often the runner looks again.
WINDOW_RECHECK_SECONDS = 0.05
# Records read from a shard per pass (before filtering).
READ_RECORDS_MAX = 1000
# Retry backoff: doubles from the minimum up to the maximum (real seconds).
RETRY_BACKOFF_SECONDS_MIN = 0.02
RETRY_BACKOFF_SECONDS_MAX = 2.0
RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted"
RECORD_AGE_EXCEEDED = "RecordAgeExceeded"

Entry = tuple[StoredStreamRecord, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _Outcome:
    succeeded: bool
    failed_from: int | None = None  # partial success: index of the first failed record


@dataclass(slots=True)
class _Pending:
    entries: list[Entry]
    failures: int  # retries used (a bisection is not one)
    invokes: int


class TriggerRunner:
    """Runs one trigger until ``stopping`` is set; ``wake`` cuts an idle wait short."""

    def __init__(
        self, server: Server, trigger: Trigger, target: Target, stopping: threading.Event
    ) -> None:
        self._server = server
        self._trigger = trigger
        self._target = target
        self._stopping = stopping
        self.wake = threading.Event()

    @property
    def name(self) -> str:
        return self._trigger.name

    def run(self) -> None:
        try:
            self.register()
        except Exception:  # storage failed at startup: logged, the trigger does not run
            log.exception("triggers: %s could not start", self._trigger.name)
            return
        while not self._stopping.is_set():
            try:
                # Of several processes on one database, only the leading one delivers.
                wait = self.pass_once() if self._server.engine.leads() else POLL_SECONDS
            except Exception:  # a background pass must not die; the failure is logged
                log.exception("triggers: pass of %s failed", self._trigger.name)
                wait = POLL_SECONDS
            if wait > 0:
                self.wake.wait(wait)
                self.wake.clear()

    # --- registration and passes ---------------------------------------------------------

    def register(self) -> None:
        """Record the trigger once; with LATEST, start every existing shard at its end."""
        name = self._trigger.name
        latest: list[tuple[int, int]] = []
        if self._trigger.starting_position == "LATEST":
            now = self._server.clock.now()
            for stream in self._readable_streams(now):
                latest += [(shard.shard_key, shard.last_sequence_number)
                           for shard in self._server.engine.stream_shards(stream.stream_id)]

        def work(transaction: WriteTransaction) -> None:
            if transaction.insert_consumer(name, transaction.now()):
                for shard_key, sequence_number in latest:
                    transaction.save_checkpoint(name, shard_key, sequence_number)

        self._server.engine.write(work)

    def pass_once(self) -> float:
        """Deliver what is ready; return how long to wait before the next pass."""
        now = self._server.clock.now()
        checkpoints = self._server.engine.checkpoints(self._trigger.name)
        wait = POLL_SECONDS
        for stream in self._readable_streams(now):
            for shard in self._ready_shards(stream, checkpoints, now):
                if self._stopping.is_set():
                    return 0.0
                wait = min(wait, self._process_shard(stream, shard, checkpoints, now))
        return wait

    def _readable_streams(self, now: float) -> list[StoredStream]:
        horizon = now - limits.STREAM_RECORD_RETENTION_SECONDS
        return [stream for stream in self._server.engine.streams_of_table(self._trigger.table_name)
                if stream.disabled_at is None or stream.disabled_at >= horizon]

    def _ready_shards(
        self, stream: StoredStream, checkpoints: dict[int, int], now: float
    ) -> list[StoredShard]:
        """Unfinished shards whose parent is finished (or gone)."""
        listed = [shard for shard in self._server.engine.stream_shards(stream.stream_id)
                  if shards.visible(shard, now)]
        finished = {shard.shard_id for shard in listed
                    if shard.closed_at is not None
                    and _position(shard, checkpoints) >= shard.last_sequence_number}
        present = {shard.shard_id for shard in listed}
        return [shard for shard in listed
                if shard.shard_id not in finished
                and (shard.parent_shard_id not in present or shard.parent_shard_id in finished)]

    def _process_shard(
        self, stream: StoredStream, shard: StoredShard, checkpoints: dict[int, int], now: float
    ) -> float:
        engine = self._server.engine
        after = _position(shard, checkpoints)
        horizon = now - limits.STREAM_RECORD_RETENTION_SECONDS
        kept = engine.first_kept_sequence_number(shard.shard_key, horizon)
        trimmed = shard.last_sequence_number if kept is None else kept - 1
        if after < trimmed:
            log.warning("triggers: %s lost records of %s trimmed before delivery",
                        self._trigger.name, shard.shard_id)
            after = trimmed
        rows = engine.stream_records(shard.shard_key, after, READ_RECORDS_MAX)
        if not rows:
            if after > _position(shard, checkpoints):
                self._checkpoint(shard, after, checkpoints)
            return POLL_SECONDS
        batch, through = self._take_batch(stream, shard, rows, after)
        if batch and self._window_open(batch, shard, len(rows), now):
            return WINDOW_RECHECK_SECONDS
        if batch and not self._deliver(stream, shard, batch, checkpoints):
            return 0.0  # stopping: the rest of the batch is delivered after the restart
        self._checkpoint(shard, through, checkpoints)
        return 0.0

    def _take_batch(
        self, stream: StoredStream, shard: StoredShard, rows: list[StoredStreamRecord],
        after: int,
    ) -> tuple[list[Entry], int]:
        """Up to BatchSize records that pass the filters, and the number of the last record
        looked at (the filtered-out ones are acknowledged with the batch)."""
        batch: list[Entry] = []
        through = after
        for row in rows:
            if len(batch) == self._trigger.batch_size:
                break
            through = row.sequence_number
            record = records.lambda_record(row, stream, shard.shard_id)
            if matches_any(self._trigger.filter_patterns, record):
                batch.append((row, record))
        return batch, through

    def _window_open(
        self, batch: list[Entry], shard: StoredShard, rows_read: int, now: float
    ) -> bool:
        """Wait for a fuller batch while MaximumBatchingWindowInSeconds has not passed."""
        window = self._trigger.maximum_batching_window_seconds
        return bool(
            window > 0
            and len(batch) < self._trigger.batch_size
            and rows_read < READ_RECORDS_MAX
            and shard.closed_at is None
            and now - batch[0][0].created_at < window
        )

    # --- delivery ------------------------------------------------------------------------

    def _deliver(
        self, stream: StoredStream, shard: StoredShard, batch: list[Entry],
        checkpoints: dict[int, int],
    ) -> bool:
        """Invoke until every record of ``batch`` is acknowledged or discarded; False when
        the runner is stopping first."""
        pending = collections.deque([_Pending(batch, 0, 0)])
        while pending:
            if self._stopping.is_set():
                return False
            item = pending.popleft()
            outcome = self._invoke(stream, item.entries)
            item.invokes += 1
            if outcome.succeeded:
                self._checkpoint(shard, item.entries[-1][0].sequence_number, checkpoints)
                continue
            if outcome.failed_from:
                done = item.entries[outcome.failed_from - 1][0].sequence_number
                self._checkpoint(shard, done, checkpoints)
                item.entries = item.entries[outcome.failed_from:]
            elif outcome.failed_from is None and self._bisects(item):
                half = len(item.entries) // 2
                pending.appendleft(_Pending(item.entries[half:], item.failures, item.invokes))
                pending.appendleft(_Pending(item.entries[:half], item.failures, item.invokes))
                continue
            item.failures += 1
            condition = self._exhausted(item)
            if condition is not None:
                self._discard(stream, shard, item, condition)
                self._checkpoint(shard, item.entries[-1][0].sequence_number, checkpoints)
                continue
            backoff = RETRY_BACKOFF_SECONDS_MIN * 2 ** (item.failures - 1)
            self._stopping.wait(min(backoff, RETRY_BACKOFF_SECONDS_MAX))
            pending.appendleft(item)
        return True

    def _bisects(self, item: _Pending) -> bool:
        return self._trigger.bisect_batch_on_function_error and len(item.entries) > 1

    def _exhausted(self, item: _Pending) -> str | None:
        maximum = self._trigger.maximum_retry_attempts
        if maximum >= 0 and item.failures > maximum:
            return RETRY_ATTEMPTS_EXHAUSTED
        horizon = self._server.clock.now() - limits.STREAM_RECORD_RETENTION_SECONDS
        if item.entries[0][0].created_at < horizon:
            return RECORD_AGE_EXCEEDED
        return None

    def _invoke(self, stream: StoredStream, entries: list[Entry]) -> _Outcome:
        event = {"Records": [record for _, record in entries]}
        context = LambdaContext(
            function_name=self._trigger.name,
            invoked_function_arn=_function_arn(stream.stream_arn, self._trigger.name),
            aws_request_id=_request_id(self._server),
            deadline=time.monotonic() + self._trigger.timeout_seconds,
        )
        try:
            response = self._target.invoke(event, context)
        except FunctionError as error:
            log.warning("triggers: %s failed on %d records: %s", self._trigger.name,
                        len(entries), error)
            return _Outcome(False)
        if not self._trigger.report_batch_item_failures:
            return _Outcome(True)
        return _partial_outcome(response, entries)

    def _discard(
        self, stream: StoredStream, shard: StoredShard, item: _Pending, condition: str
    ) -> None:
        log.warning("triggers: %s discards %d records of %s (%s)", self._trigger.name,
                    len(item.entries), shard.shard_id, condition)
        destination = self._trigger.on_failure_destination
        if destination is None:
            return
        document = _invocation_record(
            self._server, self._trigger.name, stream, shard, item, condition
        )
        destinations.send(destination, document)

    def _checkpoint(self, shard: StoredShard, sequence_number: int,
                    checkpoints: dict[int, int]) -> None:
        name = self._trigger.name

        def work(transaction: WriteTransaction) -> None:
            transaction.save_checkpoint(name, shard.shard_key, sequence_number)

        self._server.engine.write(work)
        checkpoints[shard.shard_key] = sequence_number


def _position(shard: StoredShard, checkpoints: dict[int, int]) -> int:
    """The last acknowledged sequence number of ``shard`` (before its first if none)."""
    return checkpoints.get(shard.shard_key, shard.starting_sequence_number - 1)


def _partial_outcome(response: Any, entries: list[Entry]) -> _Outcome:
    """ReportBatchItemFailures (Lambda DG "Success and failure conditions"): no or an empty
    ``batchItemFailures`` is success; an ``itemIdentifier`` that is empty, null or names no
    record of the batch fails the whole batch; otherwise the batch succeeded up to the
    lowest failed sequence number."""
    if not isinstance(response, dict):
        return _Outcome(True)
    failures = response.get("batchItemFailures")
    if not failures:
        return _Outcome(True)
    if not isinstance(failures, list):
        return _Outcome(False)
    positions = {record["dynamodb"]["SequenceNumber"]: index
                 for index, (_, record) in enumerate(entries)}
    failed = []
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not isinstance(identifier, str) or identifier not in positions:
            return _Outcome(False)
        failed.append(positions[identifier])
    return _Outcome(False, failed_from=min(failed))


def _function_arn(stream_arn: str, name: str) -> str:
    _, _, _, region, account, _ = stream_arn.split(":", 5)
    return f"arn:aws:lambda:{region}:{account}:function:{name}"


def _request_id(server: Server) -> str:
    text = f"{server.random.getrandbits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:]}"


def _invocation_record(
    server: Server, name: str, stream: StoredStream, shard: StoredShard, item: _Pending,
    condition: str,
) -> dict[str, Any]:
    first, last = item.entries[0][0], item.entries[-1][0]
    return {
        "requestContext": {
            "requestId": _request_id(server),
            "functionArn": _function_arn(stream.stream_arn, name),
            "condition": condition,
            "approximateInvokeCount": item.invokes,
        },
        "responseContext": {
            "statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled",
        },
        "version": "1.0",
        "timestamp": destinations.iso_time(server.clock.now(), milliseconds=True),
        "DDBStreamBatchInfo": {
            "shardId": shard.shard_id,
            "startSequenceNumber": shards.sequence_number_text(first.sequence_number),
            "endSequenceNumber": shards.sequence_number_text(last.sequence_number),
            "approximateArrivalOfFirstRecord": destinations.iso_time(first.created_at, False),
            "approximateArrivalOfLastRecord": destinations.iso_time(last.created_at, False),
            "batchSize": len(item.entries),
            "streamArn": stream.stream_arn,
        },
        "payload": {"Records": [record for _, record in item.entries]},
    }
