"""Building and running a server: storage, catalog, clock, and the uvicorn listener."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import random
import signal
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import uvicorn

from openddb.clock import Clock, VirtualClock, WallClock
from openddb.config import Settings
from openddb.context import Server
from openddb.model.table import Catalog, Table
from openddb.server.app import Application
from openddb.server.transport import OneWriteProtocol
from openddb.storage.engine import Engine
from openddb.storage.sqlite.engine import SqliteEngine
from openddb.streams.lifecycle import check_settings
from openddb.throughput.meter import Throughput
from openddb.ttl.on_read import expire_on_read

log = logging.getLogger("openddb.server")

# How long start_in_thread waits for the listener before giving up (seconds).
START_TIMEOUT_SECONDS = 10.0


def build_server(settings: Settings) -> Server:
    """Open storage and load the table catalog."""
    check_settings(settings)
    clock: Clock = VirtualClock() if settings.clock == "virtual" else WallClock()
    engine: Engine = SqliteEngine(
        None if settings.in_memory else settings.db_path, settings.durability, clock
    )
    catalog = Catalog()
    if settings.ttl_delete_on_read:
        engine = expire_on_read(engine, catalog, clock)
    catalog.watch(engine.catalog_generation, lambda: _stored_tables(engine))
    throughput = Throughput(settings, clock)
    return Server(settings, engine, clock, random.Random(os.urandom(16)), catalog, throughput)


def _stored_tables(engine: Engine) -> list[Table]:
    return [
        Table.from_stored(stored.table_id, stored.namespace, stored.table_name, stored.description)
        for stored in engine.load_tables()
    ]


def _uvicorn_config(settings: Settings, application: Application) -> uvicorn.Config:
    return uvicorn.Config(
        application,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http=OneWriteProtocol,
        lifespan="on",
        access_log=False,
        log_level=settings.log_level,
        timeout_graceful_shutdown=30,
        server_header=False,
        proxy_headers=False,  # no X-Forwarded-For handling: saves a middleware per request
    )


def serve(settings: Settings) -> int:
    """Run openddb in the foreground until Ctrl-C or SIGTERM; in-flight requests finish
    and the database is closed before returning. With ``--workers N`` (N > 1) this process
    only supervises N server processes on the same port and database file.

    Returns the exit status: 0, or 1 when a worker process died. Raises ValueError for
    settings that cannot run together.
    """
    check_workers(settings)
    if settings.workers == 1:
        _serve_one(settings, None)
        return 0
    return _supervise(settings)


def check_workers(settings: Settings) -> None:
    """Refuse ``--workers`` with settings whose state lives inside one process."""
    if settings.workers < 1:
        raise ValueError("--workers must be at least 1")
    if settings.workers == 1:
        return
    refusals = (
        (settings.in_memory, "--in-memory keeps the data inside one process"),
        (settings.clock == "virtual", "--clock virtual moves the time of one process"),
        (settings.throttling, "--throttling keeps its token buckets in one process"),
        (settings.port == 0, "the worker processes need a fixed --port to share"),
    )
    for refused, why in refusals:
        if refused:
            raise ValueError(f"--workers {settings.workers} cannot run: {why}; use --workers 1")


def _serve_one(settings: Settings, listening: socket.socket | None) -> None:
    started = time.perf_counter()
    server = build_server(settings)
    application = Application(server)
    where = "memory" if settings.in_memory else os.path.abspath(settings.db_path)
    log.info(
        "openddb: %d tables loaded from %s in %.0f ms",
        len(server.catalog.all()),
        where,
        (time.perf_counter() - started) * 1000,
    )
    log.info("openddb: listening on http://%s:%d", settings.host, settings.port)
    sockets = None if listening is None else [listening]
    uvicorn.Server(_uvicorn_config(settings, application)).run(sockets=sockets)


def _supervise(settings: Settings) -> int:
    """Start the worker processes (forked before any database or thread exists), forward
    SIGINT/SIGTERM to them and wait; when one dies, stop the others."""
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_worker, args=(settings,), name=f"openddb-worker-{number}")
        for number in range(1, settings.workers + 1)
    ]
    for worker in workers:
        worker.start()
    log.info(
        "openddb: %d worker processes (pids %s) share port %d",
        len(workers),
        ", ".join(str(worker.pid) for worker in workers),
        settings.port,
    )
    received: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        received.append(signum)
        _stop(workers)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    ended = multiprocessing.connection.wait([worker.sentinel for worker in workers])
    if not received:
        dead = next(worker for worker in workers if worker.sentinel in ended)
        dead.join()  # its sentinel closes a moment before its exit status is known
        log.error(
            "openddb: %s exited with status %s; stopping the other workers",
            dead.name,
            dead.exitcode,
        )
        _stop(workers)
    for worker in workers:
        worker.join()
    if signal.SIGINT in received:
        raise KeyboardInterrupt
    return 0 if received else 1


def _stop(workers: Sequence[multiprocessing.process.BaseProcess]) -> None:
    for worker in workers:
        if worker.is_alive() and worker.pid is not None:
            os.kill(worker.pid, signal.SIGTERM)


def _worker(settings: Settings) -> None:
    """One worker process: its own listening socket on the shared port (SO_REUSEPORT: the
    kernel spreads connections over the workers) and its own storage connections."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listening.bind((settings.host, settings.port))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the whole process group
        _serve_one(settings, listening)


@dataclass
class RunningServer:
    """A server running on a background thread (tests, benchmarks, embedding)."""

    server: Server
    endpoint: str
    _uvicorn: uvicorn.Server
    _thread: threading.Thread

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._thread.join()


def start_in_thread(settings: Settings) -> RunningServer:
    """Start openddb on a background thread and return once it accepts connections.

    Use ``port=0`` for a free port; the chosen port is in ``endpoint``. One process only
    (``workers`` must be 1).
    """
    if settings.workers != 1:
        raise ValueError("start_in_thread runs one server process; use serve() for --workers")
    server = build_server(settings)
    application = Application(server)
    listener = uvicorn.Server(_uvicorn_config(settings, application))
    thread = threading.Thread(target=listener.run, name="openddb-http", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not listener.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("openddb did not start; see the log above")
        time.sleep(0.005)
    port = listener.servers[0].sockets[0].getsockname()[1]
    return RunningServer(server, f"http://{settings.host}:{port}", listener, thread)
