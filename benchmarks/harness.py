"""What every benchmark here needs: paths, a free port, a server process and a client.

``compare.py`` (standard library only) and the single-server benchmarks
(``gsi_bench.py``, ``streams_bench.py``, ``transact_bench.py``, ``ttl_bench.py``) start
their servers through ``Server`` / ``start_openddb``; ``client`` imports botocore only
when it is called, so importing this module costs nothing outside the standard library.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BENCH_DIR = os.path.join(os.path.dirname(REPO), "shared", "bench")
DDBLOAD = os.path.join(BENCH_DIR, "ddbload.py")  # each script takes --ddbload to change it
RESULTS_DIR = os.path.join(HERE, "results")  # git-ignored, created on demand
# An unsigned SigV4-shaped header: openddb reads the credential scope only.
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0"
)
KEY_SCHEMA = [{"AttributeName": "pk", "KeyType": "HASH"},
              {"AttributeName": "sk", "KeyType": "RANGE"}]
DEFINITIONS = [{"AttributeName": "pk", "AttributeType": "S"},
               {"AttributeName": "sk", "AttributeType": "S"}]

# Bounds: every wait below ends.
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (their CPU time and memory are the server's)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def list_tables_status(port: int) -> int | None:
    """HTTP status of one ListTables on 127.0.0.1:port (None: nothing answered)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5.0)
    # X-Amz-Date too: dynalite and DynamoDB Local answer 400 to a signature without a date.
    headers = {"Content-Type": "application/x-amz-json-1.0", "Authorization": AUTHORIZATION,
               "X-Amz-Target": "DynamoDB_20120810.ListTables",
               "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())}
    try:
        connection.request("POST", "/", b"{}", headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


@dataclass
class Server:
    """A server process in its own process group, on 127.0.0.1:port."""

    name: str
    command: list[str]
    port: int
    log_path: str
    cwd: str = REPO
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None
    startup_s: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        with open(self.log_path, "ab") as server_log:
            self.process = subprocess.Popen(
                self.command, stdout=server_log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.cwd, env=self.env,
            )

    def wait_ready(self, timeout: float = START_TIMEOUT_SECONDS) -> float:
        """Seconds from launch until ListTables answers HTTP 200."""
        assert self.process is not None
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"exited with status {self.process.returncode}; see {self.log_path}")
            if list_tables_status(self.port) == 200:
                self.startup_s = time.perf_counter() - started
                return self.startup_s
            time.sleep(0.02)
        raise RuntimeError(f"no answer within {timeout:.0f} s; see {self.log_path}")

    def pids(self) -> list[int]:
        return descendants(self.pid)

    def stop(self) -> None:
        """SIGTERM to the server's process group, SIGKILL if it is still there after a while."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT_SECONDS)


def openddb_command(port: int | str, *flags: str) -> list[str]:
    return [sys.executable, "-m", "openddb", "serve", "--port", str(port),
            "--log-level", "warning", *flags]


def start_openddb(workdir: str, *flags: str, env: dict[str, str] | None = None) -> Server:
    """One openddb on a free port, on disk in ``workdir`` (unless ``--in-memory`` is among
    ``flags``), answering ListTables when this returns; ``stop()`` it afterwards."""
    port = free_port()
    storage = [] if "--in-memory" in flags else ["--db-path", os.path.join(workdir, "data")]
    server = Server("openddb", openddb_command(port, *storage, *flags), port,
                    os.path.join(workdir, "openddb.log"), env=env)
    server.start()
    try:
        server.wait_ready()
    except RuntimeError:
        server.stop()
        with open(server.log_path, errors="replace") as server_log:
            sys.stderr.write(server_log.read()[-3000:])
        raise
    return server


def client(service: str, endpoint: str) -> Any:
    """A botocore client for ``endpoint`` (botocore is imported here, not at module load)."""
    import botocore.session

    return botocore.session.get_session().create_client(
        service, endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="bench", aws_secret_access_key="bench",
    )


def ddbload_put(
    endpoint: str, table: str, arguments: argparse.Namespace, pid: int
) -> tuple[float, float]:
    """(PutItem/s, server CPU microseconds per PutItem) of one ``ddbload -w put`` run with
    ``arguments.concurrency`` and ``arguments.duration``: the second moves less when other
    work shares the machine."""
    out = subprocess.run(
        [sys.executable, arguments.ddbload, "--endpoint", endpoint, "--table", table, "-w", "put",
         "-c", str(arguments.concurrency), "-d", str(arguments.duration), "--warmup", "2",
         "--server-pid", str(pid), "--access-key", "bench", "--secret-key", "bench",
         "--region", "us-east-1", "-q"],
        check=True, capture_output=True, text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    ops: float = result["ops_per_s"]
    cpu_us = result.get("server_cpu_pct", 0.0) / 100 * 1e6 / ops if ops else 0.0
    return ops, cpu_us


def median_put_rates(results: dict[str, list[tuple[float, float]]]) -> dict[str, float]:
    """Median PutItem/s and server CPU per put of each table: ``<table>_ops_per_s`` and
    ``<table>_cpu_us_per_put``, from ``ddbload_put`` rounds."""
    summary: dict[str, float] = {}
    for table, rounds in results.items():
        summary[f"{table}_ops_per_s"] = statistics.median(ops for ops, _ in rounds)
        summary[f"{table}_cpu_us_per_put"] = round(statistics.median(cpu for _, cpu in rounds), 1)
    return summary


def put_rounds(
    endpoint: str, tables: tuple[str, str], arguments: argparse.Namespace, pid: int
) -> dict[str, list[tuple[float, float]]]:
    """``arguments.rounds`` rounds of ``ddbload_put`` on each table in turn (interleaved)."""
    results: dict[str, list[tuple[float, float]]] = {table: [] for table in tables}
    for _ in range(arguments.rounds):
        for table in tables:
            ops, cpu_us = ddbload_put(endpoint, table, arguments, pid)
            results[table].append((ops, cpu_us))
            print(f"  {table}: {ops:.0f} PutItem/s, {cpu_us:.0f} us server CPU each", flush=True)
    return results


def percentile(values: list[float], fraction: float) -> float:
    """The value at ``fraction`` (0..1) of the sorted ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def results_path(name: str) -> str:
    """``benchmarks/results/<name>``, the folder created when missing."""
    os.makedirs(RESULTS_DIR, exist_ok=True)
    return os.path.join(RESULTS_DIR, name)
