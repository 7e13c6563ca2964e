"""The command line: help texts, DynamoDB Local flag spellings, clean shutdown."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from server_process import free_port, start_server

from openddb.cli import build_parser, parse_settings


def test_help_lists_every_flag() -> None:
    serve_help = subprocess.run(
        [sys.executable, "-m", "openddb", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for flag in (
        "--host",
        "--port",
        "--db-path",
        "--in-memory",
        "--shared-db",
        "--log-level",
        "-port",
        "-inMemory",
        "-dbPath",
        "-sharedDb",
        "-delayTransientStatuses",
        "-cors",
    ):
        assert flag in serve_help
    top_help = build_parser().format_help()
    assert "serve" in top_help


def test_dynamodb_local_spellings_map_to_settings() -> None:
    settings = parse_settings(
        [
            "-port",
            "8123",
            "-inMemory",
            "-sharedDb",
            "-delayTransientStatuses",
            "-cors",
            "*",
            "-dbPath",
            "data",
            "-disableTelemetry",
        ]
    )
    assert settings.port == 8123
    assert settings.in_memory
    assert settings.shared_db
    assert settings.delay_transient_statuses
    assert settings.cors == "*"
    assert settings.db_path == "data"


def test_defaults() -> None:
    settings = parse_settings([])
    assert (settings.host, settings.port, settings.db_path) == ("127.0.0.1", 8000, "./openddb-data")
    assert not settings.in_memory


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_signal_stops_cleanly(tmp_path: Path, stop_signal: signal.Signals) -> None:
    process = start_server(tmp_path, free_port(), stderr=subprocess.PIPE)
    process.send_signal(stop_signal)
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status
    # tells the parent how the server ended (130 after Ctrl-C, as shells expect).
    assert process.wait(timeout=30) in (0, 130, -stop_signal)
    assert (tmp_path / "openddb.sqlite3").exists()
    # A clean close checkpoints the write-ahead log into the database file.
    wal = tmp_path / "openddb.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert process.stderr is not None
    with process.stderr:
        assert b"Traceback" not in process.stderr.read()
