"""The life of a secondary index: numbered at birth, built online, deleted in chunks.

Developer Guide "Adding a global secondary index to an existing table" (GSI.OnlineOps):
UpdateTable's ``Create`` leaves the new GSI ``IndexStatus: CREATING`` with ``Backfilling:
true`` while DynamoDB indexes the table's existing items in the background; reads and
writes of the table continue, and writes made meanwhile are indexed at once (the write
path maintains building indexes too: ``maintenance.py``). Once every item is indexed the
index is ACTIVE (``Backfilling: false``). ``Delete`` shows the index DELETING until its
entries are gone. One create or delete runs at a time per table (``table_update.py``
checks, with the service's texts).

Both kinds of work are rows of ``index_jobs`` (schema.sql), done in steps of at most
``--index-backfill-items`` items, each step one write transaction that also records how
far it got -- so the work survives a restart, interleaves with requests on the single
writer, and can be claimed by any node sharing the database (a node names itself in the
job while it works on it; a claim lapses after :data:`JOB_CLAIM_SECONDS`). UpdateTable
runs the first step itself, so a small table's new index is ACTIVE in its answer, as
tables are with DynamoDB Local's instant statuses; ``workers.py`` runs the rest.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import orjson

from openddb.context import Server
from openddb.model.index import (
    DELETING_INDEXES_MEMBER,
    GLOBAL_INDEXES,
    INDEX_ACTIVE,
    INDEX_CREATING,
    INDEX_DELETING,
    INDEX_NUMBER_MEMBER,
    LOCAL_INDEXES,
    PRIVATE_MEMBERS,
    entry_of,
    index_key,
    secondary_indexes,
)
from openddb.model.table import Table
from openddb.storage.engine import (
    INDEX_JOB_BACKFILL,
    INDEX_JOB_DELETE,
    IndexJob,
    WriteTransaction,
)

Json = dict[str, Any]

# How long a node's claim on a job holds without a new step (seconds).
JOB_CLAIM_SECONDS = 30.0

# Set when a job is recorded, and once its transaction has committed (``workers.py``, a
# commit listener) ``work_arrived`` wakes the background worker.
work_recorded = threading.Event()
work_arrived = threading.Event()


# --- descriptions -------------------------------------------------------------------------


def numbered(description: Json) -> Json:
    """A new table's description with a number for each of its indexes."""
    answer = dict(description)
    number = 1
    for member in (LOCAL_INDEXES, GLOBAL_INDEXES):
        if member not in answer:
            continue
        indexes = []
        for index in answer[member]:
            indexes.append({**index, INDEX_NUMBER_MEMBER: number})
            number += 1
        answer[member] = indexes
    return answer


def with_index_changes(
    before: Json, after: Json, request: Json
) -> tuple[Json, list[IndexJob]]:
    """UpdateTable's description ``after`` (from ``table_update.updated_description``) with
    its GSI creates and deletes begun, and the jobs that carry them out.

    A created index gets the next free number and is CREATING, Backfilling; a deleted one
    moves to the private list of indexes being deleted (DescribeTable shows it DELETING).
    Deleting an index still being built abandons its backfill.
    """
    answer = dict(after)
    jobs: list[IndexJob] = []
    number = _next_number(before)
    for entry in request.get("GlobalSecondaryIndexUpdates", []):
        if "Create" in entry:
            name = entry["Create"]["IndexName"]
            answer[GLOBAL_INDEXES] = [
                {**index, "IndexStatus": INDEX_CREATING, "Backfilling": True,
                 INDEX_NUMBER_MEMBER: number} if index["IndexName"] == name else index
                for index in answer[GLOBAL_INDEXES]
            ]
            jobs.append(IndexJob(0, number, INDEX_JOB_BACKFILL, None, None, None))
            number += 1
        elif "Delete" in entry:
            deleted = _named(before, entry["Delete"]["IndexName"])
            if INDEX_NUMBER_MEMBER not in deleted:
                continue  # described before openddb kept entries: nothing to delete
            deleting = [*answer.get(DELETING_INDEXES_MEMBER, []),
                        {**deleted, "IndexStatus": INDEX_DELETING}]
            deleting[-1].pop("Backfilling", None)
            answer[DELETING_INDEXES_MEMBER] = deleting
            jobs.append(IndexJob(0, deleted[INDEX_NUMBER_MEMBER], INDEX_JOB_DELETE, None,
                                 None, None))
    return answer, jobs


def _next_number(description: Json) -> int:
    indexes = [*description.get(LOCAL_INDEXES, []), *description.get(GLOBAL_INDEXES, []),
               *description.get(DELETING_INDEXES_MEMBER, [])]
    return 1 + max((index.get(INDEX_NUMBER_MEMBER, 0) for index in indexes), default=0)


def _named(description: Json, index_name: str) -> Json:
    for index in description.get(GLOBAL_INDEXES, []):
        if index["IndexName"] == index_name:
            found: Json = index
            return found
    raise AssertionError(f"validated: {index_name} exists")


def index_in_progress(description: Json) -> bool:
    """A GSI is being built or deleted (one create or delete at a time per table)."""
    if description.get(DELETING_INDEXES_MEMBER):
        return True
    return any(index.get("Backfilling") for index in description.get(GLOBAL_INDEXES, []))


def public(description: Json) -> Json:
    """``description`` as answered: private members gone, indexes being deleted shown
    among the GSIs as DELETING."""
    answer = {k: v for k, v in description.items() if k not in PRIVATE_MEMBERS}
    for member in (LOCAL_INDEXES, GLOBAL_INDEXES):
        if member in answer:
            answer[member] = [_public_index(index) for index in answer[member]]
    deleting = description.get(DELETING_INDEXES_MEMBER)
    if deleting:
        shown = {index["IndexName"] for index in answer.get(GLOBAL_INDEXES, [])}
        answer[GLOBAL_INDEXES] = [*answer.get(GLOBAL_INDEXES, []), *(
            _public_index(index) for index in deleting if index["IndexName"] not in shown)]
    return answer


def _public_index(index: Json) -> Json:
    return {k: v for k, v in index.items() if k not in PRIVATE_MEMBERS}


def _finished_backfill(description: Json, number: int) -> Json:
    answer = dict(description)
    answer[GLOBAL_INDEXES] = [
        {**index, "IndexStatus": INDEX_ACTIVE, "Backfilling": False}
        if index.get(INDEX_NUMBER_MEMBER) == number else index
        for index in description.get(GLOBAL_INDEXES, [])
    ]
    return answer


def _finished_delete(description: Json, number: int) -> Json:
    answer = dict(description)
    left = [index for index in description.get(DELETING_INDEXES_MEMBER, [])
            if index.get(INDEX_NUMBER_MEMBER) != number]
    if left:
        answer[DELETING_INDEXES_MEMBER] = left
    else:
        answer.pop(DELETING_INDEXES_MEMBER, None)
    return answer


# --- jobs -----------------------------------------------------------------------------------


def start_jobs(transaction: WriteTransaction, table_id: int, jobs: list[IndexJob]) -> None:
    """Record the jobs of an UpdateTable in its transaction (a delete replaces the
    backfill of the same index)."""
    for job in jobs:
        transaction.put_index_job(dataclasses.replace(job, table_id=table_id))
    if jobs:
        work_recorded.set()


# What a step did.
STEP_FINISHED = "finished"  # the job is done (or gone, or its table is)
STEP_PROGRESSED = "progressed"  # some work was done; more steps are needed
STEP_SKIPPED = "skipped"  # another node holds the job


def step(
    server: Server, transaction: WriteTransaction, table_id: int, number: int, node: str | None
) -> str:
    """One step of the job of index ``number`` of table ``table_id`` (a STEP_* value).
    ``node``: the worker's name, claimed in the job (None: UpdateTable's own first step,
    which claims nothing)."""
    job = transaction.get_index_job(table_id, number)
    if job is None:
        return STEP_FINISHED
    now = transaction.now()
    if job.claimed_by not in (None, node) and now < (job.claimed_until or 0.0):
        return STEP_SKIPPED
    table = _table(server, table_id)
    if table is None:
        transaction.delete_index_job(table_id, number)
        return STEP_FINISHED
    items_max = max(1, server.settings.index_backfill_items)
    if job.action == INDEX_JOB_DELETE:
        deleted = transaction.delete_index_entries(table_id, number, items_max)
        after = None if deleted < items_max else job.after
        done = deleted < items_max
    else:
        after = _backfill(transaction, table, job, items_max)
        done = after is None
    if not done:
        claim = None if node is None else now + JOB_CLAIM_SECONDS
        transaction.put_index_job(
            dataclasses.replace(job, after=after, claimed_by=node, claimed_until=claim))
        return STEP_PROGRESSED
    transaction.delete_index_job(table_id, number)
    if job.action == INDEX_JOB_DELETE:
        description = _finished_delete(table.description, number)
    else:
        description = _finished_backfill(table.description, number)
    table = dataclasses.replace(table, description=description)
    transaction.update_table(table_id, table.to_stored())
    server.catalog.put(table)
    return STEP_FINISHED


def _table(server: Server, table_id: int) -> Table | None:
    for table in server.catalog.all():
        if table.table_id == table_id:
            return table
    return None


def _backfill(
    transaction: WriteTransaction, table: Table, job: IndexJob, items_max: int
) -> tuple[int, bytes, bytes] | None:
    """Index the next ``items_max`` items; return the last table key done, or None when
    the table has no more items. Items whose index key a write would refuse (written
    before the index existed) are left out, as DynamoDB's backfill leaves them out."""
    index = next((i for i in secondary_indexes(table) if i.number == job.index_number), None)
    if index is None:
        return None  # the index was deleted meanwhile (its delete job replaced this one)
    rows = transaction.scan_items(table.table_id, job.after, items_max)
    for row in rows:
        item = orjson.loads(row[3])
        key = index_key(index, item)
        if key is None:
            continue
        entry, entry_bytes = entry_of(index, item, (row[3], row[4]))
        transaction.put_index_entry(
            (table.table_id, index.number, key.hash_token, key.partition_key, key.sort_key,
             row[1], row[2]),
            row[0],
            entry,
            entry_bytes,
        )
    if len(rows) < items_max:
        return None
    return (rows[-1][0], rows[-1][1], rows[-1][2])


def release_claims(transaction: WriteTransaction, jobs: list[IndexJob], node: str) -> None:
    """Give up this node's claims (a clean stop), so a restart resumes at once."""
    for job in jobs:
        current = transaction.get_index_job(job.table_id, job.index_number)
        if current is not None and current.claimed_by == node:
            transaction.put_index_job(
                dataclasses.replace(current, claimed_by=None, claimed_until=None))
