"""Running ``openddb serve`` as a separate process, for tests that kill or signal it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
from conftest import client_for

STARTUP_SECONDS_MAX = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(
    data: Path, port: int, stderr: int = subprocess.DEVNULL, *flags: str
) -> subprocess.Popen[bytes]:
    """Start openddb on ``port`` with its database in ``data`` (and ``flags``); return once
    it answers."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openddb",
            "serve",
            "--port",
            str(port),
            "--db-path",
            str(data),
            "--log-level",
            "warning",
            *flags,
        ],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    client = client_for(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + STARTUP_SECONDS_MAX
    while True:
        try:
            client.list_tables()
            return process
        except (EndpointConnectionError, ConnectionClosedError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                _, errors = process.communicate()  # also closes the pipes
                said = (errors or b"").decode(errors="replace").strip()
                raise RuntimeError(f"openddb did not start: {said}") from None
            time.sleep(0.05)
