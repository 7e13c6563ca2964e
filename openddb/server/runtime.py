"""Building and running a server: storage, catalog, clock, and the uvicorn listener."""

from __future__ import annotations

import logging
import os
import random
import threading
import time
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
    for stored in engine.load_tables():
        catalog.put(
            Table.from_stored(
                stored.table_id, stored.namespace, stored.table_name, stored.description
            )
        )
    throughput = Throughput(settings, clock)
    return Server(settings, engine, clock, random.Random(os.urandom(16)), catalog, throughput)


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


def serve(settings: Settings) -> None:
    """Run openddb in the foreground until Ctrl-C or SIGTERM; in-flight requests finish
    and the database is closed before returning."""
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
    uvicorn.Server(_uvicorn_config(settings, application)).run()


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

    Use ``port=0`` for a free port; the chosen port is in ``endpoint``.
    """
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
