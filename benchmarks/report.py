"""The report of ``compare.py``: medians, ratios, targets, machine; Markdown, JSON and a chart.

``document`` turns the raw measurements into one JSON-able dict (with its Markdown text);
``write`` puts ``<stem>.md``, ``<stem>.json`` and ``<stem>.png`` into the results folder.
Standard library only; matplotlib is imported by ``chart`` alone, and a missing matplotlib
costs the PNG, nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from typing import Any

from harness import log

OPENDDB = ("openddb", "openddb-mem", "openddb-workers", "openddb-process")
PEERS = ("moto", "dynalite", "dynamodb-local")
BATCH_ITEMS = 25  # PutRequests in one batch-write request
# The targets (issue 11): at concurrency TARGET_CONCURRENCY every workload at least
# these multiples of the peer's requests/s; start-up and RSS at most these.
TARGET_CONCURRENCY = 16
TARGET_RATIOS = {"moto": 2.0, "dynalite": 1.0}
TARGET_STARTUP_S = 0.3
TARGET_RSS_MB = 150.0
TARGET_RSS_ITEMS = 100_000

Cells = dict[tuple[str, str, int], dict[str, Any]]


# --------------------------------------------------------------------------
# Numbers


def cpu_us_per_op(result: dict[str, Any]) -> float | None:
    """Server CPU time (user + sys, all its processes) per request, in microseconds."""
    cpu, ops_per_s = result.get("server_cpu_pct"), result.get("ops_per_s")
    if cpu is None or not ops_per_s:
        return None
    return 1e6 * (float(cpu) / 100.0) / float(ops_per_s)


def median_of(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def aggregate(raw: list[dict[str, Any]]) -> Cells:
    """Per (server, workload, concurrency): requests/s median, min, max over the
    repetitions; median p50, p99 and server CPU per request; errors summed."""
    runs: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for result in raw:
        key = (result["server"], result["workload"], result["concurrency"])
        runs.setdefault(key, []).append(result)
    cells: Cells = {}
    for key, results in runs.items():
        rates = [float(result["ops_per_s"]) for result in results]
        cells[key] = {
            "server": key[0], "workload": key[1], "concurrency": key[2],
            "requests_per_s": rates, "median": statistics.median(rates),
            "min": min(rates), "max": max(rates),
            "p50_ms": median_of([result["p50_ms"] for result in results]),
            "p99_ms": median_of([result["p99_ms"] for result in results]),
            "cpu_us": median_of([cpu_us_per_op(result) for result in results]),
            "errors": sum(result["errors"] + result.get("missing_items", 0)
                          + result.get("short_queries", 0) for result in results),
        }
    return cells


def ratio(cells: Cells, server: str, peer: str, workload: str, concurrency: int) -> float | None:
    """openddb's median requests/s over the peer's, in the same cell."""
    mine, theirs = cells.get((server, workload, concurrency)), cells.get((peer, workload,
                                                                          concurrency))
    if mine is None or theirs is None or not theirs["median"]:
        return None
    return float(mine["median"] / theirs["median"])


def targets(cells: Cells, startup: dict[str, Any], servers: list[str], workloads: list[str],
            rss_items: int) -> list[dict[str, Any]]:
    """One row per target and openddb variant: what was measured and PASS / MISS (None:
    not measured)."""
    rows = []
    for server in [name for name in servers if name in OPENDDB]:
        for workload in workloads:
            for peer, least in TARGET_RATIOS.items():
                value = ratio(cells, server, peer, workload, TARGET_CONCURRENCY)
                rows.append({"server": server, "value": value, "passed": _at_least(value, least),
                             "target": f"{workload} c={TARGET_CONCURRENCY} >= {least:g}x {peer}"})
        times = startup.get(server, {}).get("startup_s", [])
        value = statistics.median(times) if times else None
        rows.append({"server": server, "target": f"start-up <= {TARGET_STARTUP_S} s",
                     "value": value, "passed": None if value is None
                     else value <= TARGET_STARTUP_S})
        load = startup.get(server, {}).get("load", {})
        value = load.get("rss_after_load_mb")
        rows.append({"server": server, "value": value,
                     "target": f"RSS <= {TARGET_RSS_MB:g} MB with {TARGET_RSS_ITEMS:,} items",
                     "passed": None if value is None or rss_items != TARGET_RSS_ITEMS
                     else value <= TARGET_RSS_MB})
    return rows


def _at_least(value: float | None, least: float) -> bool | None:
    return None if value is None else value >= least


# --------------------------------------------------------------------------
# Machine


def _first_line(path: str, prefix: str) -> str | None:
    try:
        with open(path) as source:
            for line in source:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in prefix else \
                        line[len(prefix):].strip().strip('"')
    except OSError:
        return None
    return None


def filesystem(path: str) -> str | None:
    """The type of the filesystem holding ``path`` (where openddb's data goes matters to
    fsync: tmpfs makes it free)."""
    best, kind = "", None
    try:
        with open("/proc/mounts") as mounts:
            for line in mounts:
                fields = line.split()
                inside = path == fields[1] or path.startswith(fields[1].rstrip("/") + "/")
                if inside and len(fields[1]) >= len(best):
                    best, kind = fields[1], fields[2]
    except (OSError, IndexError):
        return None
    return kind


def machine() -> dict[str, Any]:
    memory = _first_line("/proc/meminfo", "MemTotal:")
    return {
        "cpu": _first_line("/proc/cpuinfo", "model name\t:") or platform.processor() or "?",
        "cores": os.cpu_count(),
        "ram_gib": round(int(memory.split()[0]) / 2**20, 1) if memory else None,
        "os": _first_line("/etc/os-release", "PRETTY_NAME=") or platform.system(),
        "kernel": platform.release(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "loadavg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "temp_dir": tempfile.gettempdir(),
        "temp_filesystem": filesystem(tempfile.gettempdir()),
    }


# --------------------------------------------------------------------------
# Markdown


def number(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def spread(cell: dict[str, Any] | None, scale: float = 1.0) -> str:
    if cell is None:
        return "-"
    low, middle, high = (cell[key] * scale for key in ("min", "median", "max"))
    return f"{number(middle)} ({number(low)}\u2013{number(high)})"


def throughput_table(cells: Cells, servers: list[str], args: argparse.Namespace) -> list[str]:
    databases = [name for name in servers if name != "ceiling"]
    lines = ["| workload | c | " + " | ".join(databases) + " |",
             "|---|--:|" + "--:|" * len(databases)]
    for workload in args.workloads:
        for concurrency in args.concurrency:
            shown = {"batch-write": [("batch-write requests/s", 1.0),
                                     ("batch-write items/s", float(BATCH_ITEMS))]}
            for label, scale in shown.get(workload, [(workload, 1.0)]):
                row = [spread(cells.get((name, workload, concurrency)), scale)
                       for name in databases]
                lines.append(f"| {label} | {concurrency} | " + " | ".join(row) + " |")
    ceiling = [f"c={c}: {spread(cells.get(('ceiling', 'ping', c)))}" for c in args.concurrency
               if ("ceiling", "ping", c) in cells]
    if ceiling:
        lines += ["", "Reference, `ceiling` (trivial_server.py: a fixed answer, no database), "
                  "requests/s: " + "; ".join(ceiling) + "."]
    return lines


def ratio_table(cells: Cells, servers: list[str], args: argparse.Namespace) -> list[str]:
    pairs = [(mine, peer) for mine in servers if mine in OPENDDB
             for peer in servers if peer in PEERS]
    if not pairs:
        return ["(no openddb/peer pair ran)"]
    lines = ["| workload | c | " + " | ".join(f"{mine} / {peer}" for mine, peer in pairs) + " |",
             "|---|--:|" + "--:|" * len(pairs)]
    for workload in args.workloads:
        for concurrency in args.concurrency:
            values = [ratio(cells, mine, peer, workload, concurrency) for mine, peer in pairs]
            lines.append(f"| {workload} | {concurrency} | " + " | ".join(
                "-" if value is None else f"{value:.2f}x" for value in values) + " |")
    return lines


def startup_table(startup: dict[str, Any], servers: list[str], rss_items: int) -> list[str]:
    lines = [f"| server | start-up s, median (min\u2013max) | RSS idle MB | "
             f"RSS after {rss_items:,} items MB | peak RSS MB | load items/s | on disk MB |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    for name in servers:
        if name not in startup:
            continue
        times = startup[name]["startup_s"]
        load = startup[name].get("load", {})
        cell = {"median": statistics.median(times), "min": min(times), "max": max(times)}
        lines.append(f"| {name} | {spread(cell)} | " + " | ".join(
            number(load.get(key)) for key in ("rss_idle_mb", "rss_after_load_mb",
                                              "peak_tree_rss_mb", "load_items_per_s",
                                              "data_dir_mb")) + " |")
    return lines


def target_table(rows: list[dict[str, Any]]) -> list[str]:
    servers = list(dict.fromkeys(row["server"] for row in rows))
    if not servers:
        return ["(no openddb variant ran)"]
    lines = ["| target | " + " | ".join(servers) + " |", "|---|" + "---|" * len(servers)]
    by_target: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_target.setdefault(row["target"], {})[row["server"]] = row
    for target, found in by_target.items():
        lines.append(f"| {target} | " + " | ".join(
            verdict(found.get(server)) for server in servers) + " |")
    for server in servers:
        mine = [row for row in rows if row["server"] == server and row["passed"] is not None]
        passed = sum(1 for row in mine if row["passed"])
        lines.append(f"\n**{server}**: {passed} of {len(mine)} targets PASS.")
    return lines


def verdict(row: dict[str, Any] | None) -> str:
    if row is None or row["value"] is None:
        return "not measured"
    value = row["value"]
    shown = f"{value:.2f}x" if "x " in row["target"] else (
        f"{value:.2f} s" if "start-up" in row["target"] else f"{value:.0f} MB")
    if row["passed"] is None:
        return f"n/a ({shown}, fewer items)"
    return f"{'PASS' if row['passed'] else 'MISS'} {shown}"


def details_table(cells: Cells) -> list[str]:
    lines = ["| workload | c | server | requests/s median (min\u2013max) | p50 ms | p99 ms | "
             "server CPU µs/request | errors |", "|---|--:|---|--:|--:|--:|--:|--:|"]
    for key in sorted(cells, key=lambda key: (key[2], key[1], key[0])):
        cell = cells[key]
        lines.append(f"| {key[1]} | {key[2]} | {key[0]} | {spread(cell)} | "
                     f"{number(cell['p50_ms'])} | {number(cell['p99_ms'])} | "
                     f"{number(cell['cpu_us'])} | {cell['errors']} |")
    return lines


def header(document: dict[str, Any]) -> list[str]:
    box, args = document["machine"], document["arguments"]
    versions = "; ".join(f"{name} {version or '?'}"
                         for name, version in document["versions"].items())
    tools = ", ".join(f"{name} {version}" for name, version in document["tools"].items()
                      if version)
    return [
        f"# openddb side by side, {document['started']}", "",
        f"- **Machine**: {box['cpu']}, {box['cores']} cores, {box['ram_gib']} GiB RAM, "
        f"{box['os']} (Linux {box['kernel']}), {box['python']}; load average "
        f"{box['loadavg_1m']} at the start, {document['loadavg_end']} at the end"
        + (f"; openddb's data in {box['temp_dir']} ({box['temp_filesystem']})."
           if box.get("temp_filesystem") else "."),
        f"- **Servers**: {versions}. Runtimes: {tools or '-'}.",
        f"- **Method**: `ddbload.py`, closed loop on keep-alive connections, "
        f"{args['repeat']} repetition(s) interleaved (each repetition runs every cell on "
        f"every server in turn), {args['warmup']:g} s warm-up + {args['duration']:g} s "
        f"measured per cell; {args['item_size']}-byte items, {args['keyspace']:,} keys "
        f"preloaded, {args['query_partitions']} partitions of 20 items for query/scan; "
        f"took {document['seconds'] / 60:.1f} min.",
        f"- **Command**: `{document['command']}`",
    ]


def markdown(document: dict[str, Any], cells: Cells, args: argparse.Namespace) -> str:
    servers = document["servers"]
    startup = document["startup"]
    lines = header(document)
    lines += ["", "## Throughput", "",
              f"Requests per second, median of {args.repeat} (min\u2013max); c = connections, "
              "one request in flight each. A batch-write request carries "
              f"{BATCH_ITEMS} items.", "",
              *throughput_table(cells, servers, args), "",
              "## openddb / peer", "",
              "Median requests/s of openddb divided by the peer's, same cell (>1: openddb "
              "is faster).", "", *ratio_table(cells, servers, args)]
    if startup:
        launches = max(len(value["startup_s"]) for value in startup.values())
        lines += ["", "## Start-up and memory", "",
                  f"Start-up: launch to the first answered ListTables, {launches} launch(es) "
                  "each. RSS: all the server's processes, 1 s after loading "
                  f"{args.rss_items:,} items with BatchWriteItem in the last launch.", "",
                  *startup_table(startup, servers, args.rss_items)]
    lines += ["", "## Targets (issue 11)", "", *target_table(document["targets"])]
    lines += ["", "## Latency and server CPU", "",
              "Medians over the repetitions; server CPU = user + system time of the server's "
              "processes per request (the client shares the 2 cores); errors = failed "
              "requests + GetItem without an Item + short Query pages, all repetitions.", "",
              *details_table(cells)]
    if document.get("chart"):
        lines += ["", f"![chart]({document['chart']})"]
    return "\n".join(lines) + "\n"


def document(args: argparse.Namespace, started: time.struct_time, box: dict[str, Any],
             measured: dict[str, Any], cells: Cells, tools: dict[str, str | None]
             ) -> dict[str, Any]:
    """Everything the run measured, ready for ``write``; ``box`` is ``machine()`` as it
    was before the run."""
    arguments = {key: value for key, value in vars(args).items()
                 if key not in ("ddbload", "peers_dir", "results_dir")}
    result: dict[str, Any] = {
        "tool": "openddb benchmarks/compare.py",
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", started),
        "seconds": time.time() - time.mktime(started),
        "command": " ".join(["python3 dev.py bench", *sys.argv[1:]]),
        "arguments": arguments, "machine": box, "tools": tools,
        "loadavg_end": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "servers": measured["servers"], "versions": measured["versions"],
        "startup": measured["startup"], "preload_s": measured["preload_s"],
        "cells": [cells[key] for key in sorted(cells)],
        "targets": targets(cells, measured["startup"], measured["servers"], args.workloads,
                           args.rss_items),
        "raw": measured["raw"],
    }
    return result


def write(document: dict[str, Any], cells: Cells, args: argparse.Namespace, stem: str
          ) -> list[str]:
    """<stem>.png (when matplotlib is there), <stem>.md and <stem>.json in
    ``args.results_dir`` (created when missing); their paths."""
    os.makedirs(args.results_dir, exist_ok=True)
    base = os.path.join(args.results_dir, stem)
    paths = []
    if chart(document, cells, args, base + ".png"):
        document["chart"] = stem + ".png"
        paths.append(base + ".png")
    document["markdown"] = markdown(document, cells, args)
    with open(base + ".md", "w") as out:
        out.write(document["markdown"])
    with open(base + ".json", "w") as out:
        json.dump(document, out, indent=1)
    return [base + ".md", base + ".json", *paths]


# --------------------------------------------------------------------------
# Chart


def chart(document: dict[str, Any], cells: Cells, args: argparse.Namespace, path: str) -> bool:
    """Grouped bars of requests/s per workload (one panel per concurrency, log scale, min-max
    whiskers, the ceiling as a dashed line), then start-up and RSS per server with the
    targets; False (and a message) when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as pyplot
    except ImportError:
        log("compare: matplotlib is not installed: no PNG chart (python3 dev.py bench installs "
            "it)")
        return False
    concurrencies = sorted(args.concurrency, reverse=True)
    figure = pyplot.figure(figsize=(12, 4.2 * len(concurrencies) + 3.6), layout="constrained")
    grid = figure.add_gridspec(len(concurrencies) + 1, 2, height_ratios=[
        *([4.2] * len(concurrencies)), 3.2])
    servers = [name for name in document["servers"] if name != "ceiling"]
    colours = {name: f"C{number}" for number, name in enumerate(servers)}
    for row, concurrency in enumerate(concurrencies):
        axes = figure.add_subplot(grid[row, :])
        throughput_panel(axes, cells, servers, colours, args.workloads, concurrency)
    box = document["machine"]
    figure.suptitle(f"openddb side by side, {document['started']} — {box['cpu']}, "
                    f"{box['cores']} cores, {box['python']}; median of {args.repeat}")
    figure.axes[0].legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncols=len(servers) + 1,
                          fontsize="small")
    if document["startup"]:
        startup_panels(figure, grid, document["startup"], servers, colours, args.rss_items)
    figure.savefig(path, dpi=90)
    pyplot.close(figure)
    return True


def throughput_panel(axes: Any, cells: Cells, servers: list[str], colours: dict[str, str],
                     workloads: list[str], concurrency: int) -> None:
    width = 0.8 / max(1, len(servers))
    for number, name in enumerate(servers):
        found = [cells.get((name, workload, concurrency)) for workload in workloads]
        places = [index + (number - (len(servers) - 1) / 2) * width
                  for index, cell in enumerate(found) if cell]
        shown = [cell for cell in found if cell]
        medians = [cell["median"] for cell in shown]
        whiskers = [[cell["median"] - cell["min"] for cell in shown],
                    [cell["max"] - cell["median"] for cell in shown]]
        axes.bar(places, medians, width, yerr=whiskers, label=name, color=colours[name],
                 capsize=2)
    ceiling = cells.get(("ceiling", "ping", concurrency))
    if ceiling:
        axes.axhline(ceiling["median"], color="grey", linestyle="--", linewidth=1,
                     label="ceiling (no database)")
    axes.set_yscale("log")
    axes.set_xticks(range(len(workloads)), [
        "batch-write\n(requests of 25 items)" if name == "batch-write" else name
        for name in workloads])
    axes.set_ylabel("requests/s (log)")
    axes.set_title(f"concurrency {concurrency}")
    axes.grid(axis="y", which="both", alpha=0.3)


def startup_panels(figure: Any, grid: Any, startup: dict[str, Any], servers: list[str],
                   colours: dict[str, str], rss_items: int) -> None:
    names = [name for name in servers if name in startup]
    times = [statistics.median(startup[name]["startup_s"]) for name in names]
    memory = [startup[name].get("load", {}).get("rss_after_load_mb") or 0 for name in names]
    panels = (("start-up, s (launch to first answer)", times, TARGET_STARTUP_S),
              (f"RSS after {rss_items:,} items, MB", memory, TARGET_RSS_MB))
    for column, (title, values, target) in enumerate(panels):
        axes = figure.add_subplot(grid[-1, column])
        axes.bar(range(len(names)), values, color=[colours[name] for name in names])
        axes.axhline(target, color="red", linestyle=":", linewidth=1, label=f"target {target:g}")
        axes.set_xticks(range(len(names)), names, fontsize="small")
        axes.set_title(title)
        axes.legend(fontsize="small")
        for place, value in enumerate(values):
            axes.annotate(number(value), (place, value), ha="center", va="bottom",
                          fontsize="small")


def main() -> int:
    """``python3 benchmarks/report.py RESULT.json``: draw the Markdown and the chart of a
    finished run again (after a change to this file, say) from its JSON."""
    if len(sys.argv) != 2 or not sys.argv[1].endswith(".json"):
        print(main.__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as source:
        document = json.load(source)
    directory, name = os.path.split(os.path.abspath(sys.argv[1]))
    args = argparse.Namespace(**document["arguments"], results_dir=directory)
    for path in write(document, aggregate(document["raw"]), args, name.removesuffix(".json")):
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
