"""Several server processes on one database file (``--workers N``, or servers started
separately on the same ``--db-path``).

Three small files next to the database coordinate them, with ``flock`` locks (released by
the kernel when a process dies, so a crashed process never leaves one held):

  openddb.write-lock          held by a writer thread from BEGIN to COMMIT of each commit
                              group. SQLite would serialize the writers anyway, but a
                              writer waiting on SQLite's own lock polls in sleeps of 1 ms
                              and more; waiting on ``flock`` wakes it when the lock frees.
  openddb.lead                held for its whole life by the one process that runs the
                              stream background work (shard maintenance, triggers), so each
                              trigger delivers each batch from one process. The others try
                              again on every pass and take over when the holder exits.
  openddb.catalog-generation  8 bytes, a counter raised after every commit that changed a
                              table's definition (CreateTable, UpdateTable, DeleteTable,
                              tags, TTL). Each process compares it with the generation its
                              table catalog was loaded at and reloads the catalog from the
                              database when they differ: a change made through one process
                              is seen by the next request to any other.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
from collections.abc import Iterator

WRITE_LOCK_FILE = "openddb.write-lock"
LEAD_FILE = "openddb.lead"
GENERATION_FILE = "openddb.catalog-generation"
GENERATION_BYTES = 8


class ProcessCoordination:
    """The coordination files of the database in ``directory`` (see the module docstring)."""

    def __init__(self, directory: str) -> None:
        self._write_lock = _open(os.path.join(directory, WRITE_LOCK_FILE))
        self._lead = _open(os.path.join(directory, LEAD_FILE))
        self._leading = False
        self._generation_fd = _open(os.path.join(directory, GENERATION_FILE))
        if os.fstat(self._generation_fd).st_size < GENERATION_BYTES:
            os.ftruncate(self._generation_fd, GENERATION_BYTES)
        self._generation = mmap.mmap(self._generation_fd, GENERATION_BYTES)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock (blocks until no other process writes)."""
        fcntl.flock(self._write_lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._write_lock, fcntl.LOCK_UN)

    def leads(self) -> bool:
        """True when this process runs the stream background work (taking the lead when
        no other process holds it)."""
        if not self._leading:
            try:
                fcntl.flock(self._lead, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            self._leading = True
        return True

    def catalog_generation(self) -> int:
        return int.from_bytes(self._generation[:GENERATION_BYTES], "little")

    def raise_catalog_generation(self) -> None:
        """Called with the write lock held, after the commit that changed a table."""
        value = self.catalog_generation() + 1
        self._generation[:GENERATION_BYTES] = value.to_bytes(GENERATION_BYTES, "little")

    def close(self) -> None:
        self._generation.close()
        for fd in (self._write_lock, self._lead, self._generation_fd):
            os.close(fd)


def _open(path: str) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
