#!/usr/bin/env python3
"""Side-by-side benchmark: openddb against moto and dynalite, in one run.

Starts every server on its own free loopback port, then runs the shared load
generator ``ddbload.py`` (closed loop, SigV4-signed, keep-alive) for each
workload x concurrency cell on each server in turn, so the servers see the
same machine state and the ratios between them mean something even when the
absolute numbers drift (2 shared cores).  Prints one table with ops/s, p50 and
p99 latency and server CPU per operation, then the openddb/moto and
openddb/dynalite ratios, and writes everything (raw ddbload JSON lines
included) to ``benchmarks/results/compare-<time>.json``.

Servers (``--servers``, comma-separated, in this order by default):

  openddb          python -m openddb serve --db-path <temp dir> (default durability: fsync)
  openddb-mem      python -m openddb serve --in-memory
  moto             moto_server (pip install 'moto[server]' into --peers-dir/moto)
  dynalite         node dynalite/cli.js, in memory (npm install dynalite into --peers-dir/dynalite)
  ceiling          ../shared/bench/trivial_server.py: a fixed 64-byte answer to every
                   request, the most a Python HTTP server reaches here (not a database)
  openddb-process  (only when named) on disk with --durability process: no fsync per
                   commit, so the difference to "openddb" is the cost of the fsync

A peer that is missing is installed into --peers-dir on first use (unless
--no-install); a peer that cannot be installed or started is skipped with a
message, and the run goes on with the others.

Every server gets the same table (pk S hash, sk S range) preloaded before the
first measurement with what the workloads read: --keyspace items for get (and
update/mixed), ddbload's query partitions (--query-partitions x --query-items,
default 500 x 20) for query and scan; with ddbload's own setup (BatchWriteItem)
where the server has it, otherwise with concurrent PutItem from this script.
Every measurement then runs ddbload with --setup skip.

Workloads: ddbload's put, get, query (Limit --query-limit, default 10, on a
20-item partition), update, mixed, ping; and scan, which ddbload does not have:
compare.py runs ddbload with one more workload registered, a parallel-scan page
(Scan, Segment chosen at random of TotalSegments = --query-partitions, Limit
--query-limit), over the same preloaded table.

Columns: ops/s = successful operations per measured second; p50/p99 ms =
latency seen by the client; cpu us/op = CPU time (user+sys) of the server
process and its children divided by the operations (the client runs on the
same cores); errors = non-200 answers plus GetItem answers without an Item and
Query pages shorter than the Limit; vs moto / vs dynalite = openddb's ops/s
divided by the peer's in the same cell.

Invoked by ``python3 dev.py bench [ARGS]``.  Standard library only (ddbload
uses uvloop when the Python running it has it).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_BENCH_DIR = os.path.join(os.path.dirname(REPO), "shared", "bench")
DEFAULT_SERVERS = ("openddb", "openddb-mem", "moto", "dynalite", "ceiling")
ALL_SERVERS = (*DEFAULT_SERVERS, "openddb-process")
PEERS = ("moto", "dynalite")
TABLE = "ddbload"
# ddbload's own workloads, plus scan (registered by SCAN_RUNNER below).
WORKLOADS = ("put", "get", "query", "update", "mixed", "ping", "scan")
# The preload each workload reads: ddbload's setup for that workload kind.
PRELOAD_KIND = {"get": "get", "update": "get", "mixed": "get", "query": "query", "scan": "query"}

# ddbload with a "scan" workload: a Scan page of one random parallel-scan segment.
SCAN_RUNNER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("ddbload", sys.argv[1])
ddbload = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ddbload)
original = ddbload.make_workload


def make_workload(args, payloads):
    if args.workload != "scan":
        return original(args, payloads)
    table, segments, limit = args.table, args.query_partitions, args.query_limit

    def scan(rng):
        request = {"TableName": table, "Limit": limit, "TotalSegments": segments,
                   "Segment": rng.randrange(segments)}
        return "Scan", request, "scan"

    return scan


ddbload.WORKLOADS = (*ddbload.WORKLOADS, "scan")
ddbload.make_workload = make_workload
sys.exit(ddbload.main(sys.argv[2:]))
"""

# Bounds: every wait below ends.
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
INSTALL_TIMEOUT_SECONDS = 900.0
PRELOAD_TIMEOUT_SECONDS = 600.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# ddbload, loaded as a module (for its SigV4 client, item generator and setup)


def load_ddbload(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("ddbload", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"compare: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------
# Installing peers


def install_moto(peers_dir: str, allow: bool) -> str | None:
    """Path of moto_server in its own venv under peers_dir (installed if allowed)."""
    venv_dir = os.path.join(peers_dir, "moto")
    program = os.path.join(venv_dir, "bin", "moto_server")
    if os.path.exists(program):
        return program
    if not allow:
        log(f"compare: moto is not installed in {venv_dir} and --no-install was given: skipped")
        return None
    log(f"compare: installing moto[server] into {venv_dir} (once; about a minute)")
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", venv_dir], check=True, timeout=INSTALL_TIMEOUT_SECONDS
        )
        subprocess.run(
            [
                os.path.join(venv_dir, "bin", "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "moto[server]",
            ],
            check=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        log(f"compare: could not install moto ({error}); skipped\n{detail.decode()[-2000:]}")
        return None
    return program if os.path.exists(program) else None


def install_dynalite(peers_dir: str, allow: bool) -> str | None:
    """Path of dynalite's cli.js under peers_dir (installed with npm if allowed)."""
    prefix = os.path.join(peers_dir, "dynalite")
    program = os.path.join(prefix, "node_modules", "dynalite", "cli.js")
    if shutil.which("node") is None:
        log("compare: node is not on PATH: dynalite skipped")
        return None
    if os.path.exists(program):
        return program
    if not allow:
        log(f"compare: dynalite is not installed in {prefix} and --no-install was given: skipped")
        return None
    if shutil.which("npm") is None:
        log("compare: npm is not on PATH: dynalite skipped")
        return None
    log(f"compare: installing dynalite into {prefix} (once)")
    os.makedirs(prefix, exist_ok=True)
    try:
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                prefix,
                "--no-audit",
                "--no-fund",
                "--silent",
                "dynalite",
            ],
            check=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        log(f"compare: could not install dynalite ({error}); skipped\n{detail.decode()[-2000:]}")
        return None
    return program if os.path.exists(program) else None


def version_of(server: str, peers_dir: str) -> str | None:
    try:
        if server == "moto":
            python = os.path.join(peers_dir, "moto", "bin", "python")
            out = subprocess.run(
                [python, "-c", "import moto; print(moto.__version__)"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            return out.stdout.strip() or None
        if server == "dynalite":
            path = os.path.join(peers_dir, "dynalite", "node_modules", "dynalite", "package.json")
            with open(path) as package:
                return str(json.load(package)["version"])
        if server.startswith("openddb"):
            out = subprocess.run(
                [sys.executable, "-m", "openddb", "--version"],
                capture_output=True,
                text=True,
                timeout=60,
                cwd=REPO,
            )
            return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return None
    return None


# --------------------------------------------------------------------------
# Running servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    log_path: str
    process: subprocess.Popen[bytes] | None = None
    startup_s: float | None = None
    preload: dict[str, Any] = field(default_factory=dict)
    version: str | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def is_database(self) -> bool:
        return self.name != "ceiling"

    def start(self) -> None:
        with open(self.log_path, "ab") as server_log:
            self.process = subprocess.Popen(
                self.command,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                cwd=REPO,
            )

    def pids(self) -> list[int]:
        """The server process and its descendants (their CPU time is the server's)."""
        assert self.process is not None
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
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

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


async def wait_ready(ddbload: ModuleType, server: Server) -> float:
    """Seconds from launch until ListTables answers HTTP 200."""
    assert server.process is not None
    endpoint = ddbload.Endpoint(server.endpoint)
    signer = ddbload.SigV4("AKIDCOMPARE000000000", "compare-secret", "us-east-1", endpoint.netloc)
    started = time.perf_counter()
    while time.perf_counter() - started < START_TIMEOUT_SECONDS:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"exited with status {server.process.returncode}; see {server.log_path}"
            )
        client = ddbload.Client(endpoint, signer, timeout=5.0)
        try:
            status, _ = await client.call("ListTables", {})
            if status == 200:
                return time.perf_counter() - started
        except (OSError, TimeoutError):
            pass
        finally:
            client.close()
        await asyncio.sleep(0.02)
    raise RuntimeError(f"no answer within {START_TIMEOUT_SECONDS:.0f} s; see {server.log_path}")


def server_commands(args: argparse.Namespace, work_dir: str) -> dict[str, list[str] | None]:
    """The launch command of each requested server (None: skipped, already explained)."""
    commands: dict[str, list[str] | None] = {}
    for name in args.servers:
        port_holder = "{port}"
        openddb = [sys.executable, "-m", "openddb", "serve", "--log-level", "warning"]
        if name == "openddb":
            data = os.path.join(work_dir, "openddb-data")
            commands[name] = [*openddb, "--port", port_holder, "--db-path", data]
        elif name == "openddb-process":
            data = os.path.join(work_dir, "openddb-process-data")
            commands[name] = [
                *openddb,
                "--port",
                port_holder,
                "--db-path",
                data,
                "--durability",
                "process",
            ]
        elif name == "openddb-mem":
            commands[name] = [*openddb, "--port", port_holder, "--in-memory"]
        elif name == "moto":
            program = install_moto(args.peers_dir, not args.no_install)
            commands[name] = (
                None if program is None else [program, "-H", "127.0.0.1", "-p", port_holder]
            )
        elif name == "dynalite":
            program = install_dynalite(args.peers_dir, not args.no_install)
            commands[name] = None if program is None else ["node", program, "--port", port_holder]
        elif name == "ceiling":
            trivial = os.path.join(os.path.dirname(args.ddbload), "trivial_server.py")
            if not os.path.exists(trivial):
                log(f"compare: {trivial} not found: ceiling skipped")
                commands[name] = None
            else:
                commands[name] = [sys.executable, trivial, "--port", port_holder]
    return commands


# --------------------------------------------------------------------------
# Preloading the table


def ddbload_command(
    args: argparse.Namespace, server: Server, extra: list[str], with_scan: bool = False
) -> list[str]:
    program = [sys.executable, "-c", SCAN_RUNNER] if with_scan else [sys.executable]
    return [
        *program,
        args.ddbload,
        "--endpoint",
        server.endpoint,
        "--table",
        TABLE,
        "--keyspace",
        str(args.keyspace),
        "--item-size",
        str(args.item_size),
        *extra,
    ]


def preload_args(ddbload: ModuleType, args: argparse.Namespace, kind: str) -> Any:
    """ddbload's arguments for the preload of ``kind`` ("get" or "query")."""
    return ddbload.parse_args(
        [
            "--table",
            TABLE,
            "-w",
            kind,
            "--keyspace",
            str(args.keyspace),
            "--item-size",
            str(args.item_size),
        ]
    )


async def put_preload(
    ddbload: ModuleType, args: argparse.Namespace, server: Server, kind: str
) -> int:
    """Create the table and write ddbload's preload items one PutItem at a time,
    --preload-concurrency requests in flight (for servers without BatchWriteItem)."""
    load_args = ddbload.parse_args(
        [
            "--table",
            TABLE,
            "-w",
            kind,
            "--keyspace",
            str(args.keyspace),
            "--item-size",
            str(args.item_size),
        ]
    )
    endpoint = ddbload.Endpoint(server.endpoint)
    signer = ddbload.SigV4(
        load_args.access_key, load_args.secret_key, load_args.region, endpoint.netloc
    )
    deadline = time.perf_counter() + PRELOAD_TIMEOUT_SECONDS
    items = ddbload.preload_items(load_args)
    clients = [ddbload.Client(endpoint, signer, 30.0) for _ in range(args.preload_concurrency)]
    next_index = 0

    async def writer(client: Any) -> None:
        nonlocal next_index
        while next_index < len(items):
            if time.perf_counter() > deadline:
                raise RuntimeError("PutItem preload did not finish in time")
            item = items[next_index]
            next_index += 1
            status, body = await client.call("PutItem", {"TableName": TABLE, "Item": item})
            if status != 200:
                raise RuntimeError(f"PutItem: HTTP {status} {body[:300]!r}")

    try:
        await ddbload.ensure_table(clients[0], TABLE, False, deadline, lambda message: None)
        await asyncio.gather(*(writer(client) for client in clients))
    finally:
        for client in clients:
            client.close()
    return len(items)


def preload(ddbload: ModuleType, args: argparse.Namespace, server: Server) -> None:
    """ddbload --setup only (BatchWriteItem) for every preload kind the workloads read;
    on UnknownOperation, PutItem from here."""
    kinds = sorted({PRELOAD_KIND[name] for name in args.workloads if name in PRELOAD_KIND})
    started = time.perf_counter()
    items = 0
    method = "BatchWriteItem"
    for kind in kinds or ["get"]:
        items += len(ddbload.preload_items(preload_args(ddbload, args, kind)))
        setup = subprocess.run(
            ddbload_command(
                args,
                server,
                [
                    "-w",
                    kind,
                    "--setup",
                    "only",
                    "-q",
                    "--preload-concurrency",
                    str(args.preload_concurrency),
                    "--setup-timeout",
                    str(PRELOAD_TIMEOUT_SECONDS),
                ],
            ),
            capture_output=True,
            text=True,
            timeout=PRELOAD_TIMEOUT_SECONDS + 60,
        )
        if setup.returncode == 0:
            continue
        if "UnknownOperation" not in setup.stderr:
            raise RuntimeError(f"ddbload setup failed: {setup.stderr.strip()[-1000:]}")
        method = "PutItem"
        asyncio.run(put_preload(ddbload, args, server, kind))
    seconds = time.perf_counter() - started
    server.preload = {
        "items": items,
        "kinds": kinds or ["get"],
        "method": method,
        "seconds": round(seconds, 2),
        "items_per_s": round(items / seconds, 1),
    }
    log(
        f"  {server.name}: preloaded {items} items with {method} in {seconds:.1f} s "
        f"({items / seconds:.0f} items/s)"
    )


# --------------------------------------------------------------------------
# Measuring


def measure(
    args: argparse.Namespace, server: Server, workload: str, concurrency: int
) -> dict[str, Any] | None:
    """One ddbload run; its JSON line, or None when it could not run."""
    extra = [
        "-w",
        workload,
        "-c",
        str(concurrency),
        "-d",
        str(args.duration),
        "--warmup",
        str(args.warmup),
        "--setup",
        "skip",
        "-q",
        "--label",
        f"compare {server.name}",
    ]
    for pid in server.pids():
        extra += ["--server-pid", str(pid)]
    try:
        run = subprocess.run(
            ddbload_command(args, server, extra, with_scan=workload == "scan"),
            capture_output=True,
            text=True,
            timeout=args.warmup + args.duration + 120,
        )
    except subprocess.TimeoutExpired:
        log("  ddbload did not finish in time")
        return None
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or not lines:
        log(f"  ddbload failed (exit {run.returncode}): {run.stderr.strip()[-1000:]}")
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    result["server"] = server.name
    return result


def cpu_us_per_op(result: dict[str, Any]) -> float | None:
    cpu = result.get("server_cpu_pct")
    ops_per_s = result.get("ops_per_s")
    if cpu is None or not ops_per_s:
        return None
    return 1e6 * (float(cpu) / 100.0) / float(ops_per_s)


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The repeat of a cell with the median ops/s (all repeats stay in the raw lines)."""
    ordered = sorted(runs, key=lambda run: run["ops_per_s"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["repeats_ops_per_s"] = [run["ops_per_s"] for run in runs]
    chosen["server_cpu_us_per_op"] = cpu_us_per_op(chosen)
    return chosen


# --------------------------------------------------------------------------
# Report


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def render_tables(
    cells: dict[tuple[str, str, int], dict[str, Any]],
    servers: list[str],
    workloads: list[str],
    concurrencies: list[int],
) -> str:
    lines = []
    header = (
        f"{'server':<16} {'workload':<8} {'c':>3} {'ops/s':>10} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'cpu us/op':>10} {'errors':>7}  {'vs moto':>8} "
        f"{'vs dynalite':>11}"
    )
    lines += [header, "-" * len(header)]
    for workload in workloads:
        for concurrency in concurrencies:
            for server in servers:
                cell = cells.get((server, workload, concurrency))
                if cell is None:
                    continue
                ratios = []
                for peer in PEERS:
                    peer_cell = cells.get((peer, workload, concurrency))
                    if server.startswith("openddb") and peer_cell and peer_cell["ops_per_s"]:
                        ratios.append(f"{cell['ops_per_s'] / peer_cell['ops_per_s']:.2f}x")
                    else:
                        ratios.append("")
                errors = (
                    cell["errors"] + cell.get("missing_items", 0) + cell.get("short_queries", 0)
                )
                lines.append(
                    f"{server:<16} {workload:<8} {concurrency:>3} {fmt(cell['ops_per_s']):>10} "
                    f"{fmt(cell['p50_ms'], 2):>8} {fmt(cell['p99_ms'], 2):>8} "
                    f"{fmt(cell['server_cpu_us_per_op'], 0):>10} {errors:>7}  "
                    f"{ratios[0]:>8} {ratios[1]:>11}"
                )
            lines.append("")
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "loadavg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


# --------------------------------------------------------------------------
# CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="compare.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--servers",
        default=",".join(DEFAULT_SERVERS),
        help=f"comma-separated servers to run, from {', '.join(ALL_SERVERS)} "
        f"(default: {','.join(DEFAULT_SERVERS)})",
    )
    parser.add_argument(
        "--workloads",
        default="put,get",
        help=f"comma-separated workloads: {', '.join(WORKLOADS)} (default: put,get)",
    )
    parser.add_argument(
        "--concurrency", default="1,16", help="comma-separated connection counts (default: 1,16)"
    )
    parser.add_argument(
        "-d", "--duration", type=float, default=5.0, help="seconds measured per cell (default: 5)"
    )
    parser.add_argument(
        "--warmup", type=float, default=1.0, help="unmeasured seconds before each cell (default: 1)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure every cell this many times, report the median ops/s (default: 1)",
    )
    parser.add_argument(
        "--keyspace",
        type=int,
        default=10_000,
        help="distinct keys preloaded and used by put/get (default: 10000)",
    )
    parser.add_argument(
        "--item-size", type=int, default=200, help="item size in bytes (default: 200)"
    )
    parser.add_argument(
        "--preload-concurrency",
        type=int,
        default=8,
        help="connections used to preload (default: 8)",
    )
    parser.add_argument(
        "--ddbload",
        default=os.path.join(DEFAULT_BENCH_DIR, "ddbload.py"),
        help="path of ddbload.py (default: <repo>/../shared/bench/ddbload.py)",
    )
    parser.add_argument(
        "--peers-dir",
        default=os.path.join(HERE, ".peers"),
        help="where moto and dynalite are installed (default: benchmarks/.peers, git-ignored)",
    )
    parser.add_argument(
        "--no-install",
        action="store_true",
        help="never install peers; skip those not already in --peers-dir",
    )
    parser.add_argument(
        "--results-dir",
        default=os.path.join(HERE, "results"),
        help="where the JSON result file goes (default: benchmarks/results)",
    )
    args = parser.parse_args(argv)
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
    if min(args.concurrency) < 1 or args.repeat < 1 or args.keyspace < 1:
        parser.error("--concurrency, --repeat and --keyspace must be >= 1")
    if args.duration <= 0 or args.warmup < 0:
        parser.error("--duration must be > 0 and --warmup >= 0")
    args.ddbload = os.path.abspath(args.ddbload)
    if not os.path.exists(args.ddbload):
        parser.error(f"ddbload.py not found at {args.ddbload}; pass --ddbload PATH")
    args.peers_dir = os.path.abspath(args.peers_dir)
    return args


def start_servers(ddbload: ModuleType, args: argparse.Namespace, work_dir: str) -> list[Server]:
    """Start every installable server and preload its table; skip (with a message) the rest."""
    running: list[Server] = []
    for name, command in server_commands(args, work_dir).items():
        if command is None:
            continue
        port = free_port()
        server = Server(
            name,
            [part.replace("{port}", str(port)) for part in command],
            port,
            os.path.join(work_dir, f"{name}.log"),
        )
        log(f"compare: starting {name} on port {port}")
        server.start()
        try:
            server.startup_s = asyncio.run(wait_ready(ddbload, server))
            log(f"  {name}: answered ListTables {server.startup_s:.2f} s after launch")
            if server.is_database:
                preload(ddbload, args, server)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            log(f"compare: {name} skipped: {error}")
            server.stop()
            continue
        server.version = version_of(name, args.peers_dir)
        running.append(server)
    return running


def run_cells(
    args: argparse.Namespace, servers: list[Server]
) -> tuple[dict[tuple[str, str, int], dict[str, Any]], list[dict[str, Any]]]:
    """Each cell on each server in turn (interleaved, so drift hits all servers alike)."""
    raw: list[dict[str, Any]] = []
    runs: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    total = len(args.workloads) * len(args.concurrency) * args.repeat * len(servers)
    done = 0
    for workload in args.workloads:
        for concurrency in args.concurrency:
            for _ in range(args.repeat):
                for server in servers:
                    done += 1
                    log(
                        f"[{done}/{total}] {server.name} {workload} c={concurrency} "
                        f"({args.warmup:g}+{args.duration:g} s)"
                    )
                    result = measure(args, server, workload, concurrency)
                    if result is None:
                        continue
                    raw.append(result)
                    runs.setdefault((server.name, workload, concurrency), []).append(result)
                    cpu = cpu_us_per_op(result)
                    log(
                        f"    {result['ops_per_s']:,.0f} ops/s  p50 {result['p50_ms']} ms  "
                        f"p99 {result['p99_ms']} ms  server cpu "
                        f"{'-' if cpu is None else f'{cpu:.0f} us/op'}  "
                        f"errors {result['errors']}"
                    )
    cells = {key: summarise(value) for key, value in runs.items()}
    return cells, raw


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the run like Ctrl-C, so the servers are stopped too."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, interrupt)
    ddbload = load_ddbload(args.ddbload)
    started = time.strftime("%Y%m%d-%H%M%S")
    work_dir = tempfile.mkdtemp(prefix="openddb-compare-")
    servers: list[Server] = []
    try:
        servers = start_servers(ddbload, args, work_dir)
        if not servers:
            log("compare: no server could be started")
            return 2
        cells, raw = run_cells(args, servers)
    except KeyboardInterrupt:
        log("compare: interrupted")
        return 130
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    names = [server.name for server in servers]
    table = render_tables(cells, names, args.workloads, args.concurrency)
    print()
    print(
        f"ddbload, {args.warmup:g} s warmup + {args.duration:g} s per cell, keyspace "
        f"{args.keyspace}, {args.item_size}-byte items; cpu us/op = server CPU time per "
        f"operation; 'vs' columns = openddb ops/s divided by the peer's"
    )
    print(table)
    print(
        "start-up (launch to first answered ListTables): "
        + ", ".join(
            f"{server.name} {server.startup_s:.2f} s"
            for server in servers
            if server.startup_s is not None
        )
    )
    document = {
        "tool": "openddb benchmarks/compare.py",
        "started": started,
        "arguments": {
            key: value
            for key, value in vars(args).items()
            if key not in ("ddbload", "peers_dir", "results_dir")
        },
        "machine": machine_info(),
        "servers": [
            {
                "name": server.name,
                "version": server.version,
                "startup_s": server.startup_s,
                "preload": server.preload,
            }
            for server in servers
        ],
        "cells": [cell for _, cell in sorted(cells.items())],
        "raw": raw,
        "table": table,
    }
    os.makedirs(args.results_dir, exist_ok=True)
    out_path = os.path.join(args.results_dir, f"compare-{started}.json")
    with open(out_path, "w") as out:
        json.dump(document, out, indent=1)
    shown = os.path.relpath(out_path)
    print(f"results written to {out_path if shown.startswith('..') else shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
