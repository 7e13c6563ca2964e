"""benchmarks/report.py: medians, ratios and the issue's targets from ddbload results."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import report


def run(server: str, workload: str, concurrency: int, ops_per_s: float) -> dict[str, Any]:
    return {"server": server, "workload": workload, "concurrency": concurrency,
            "ops_per_s": ops_per_s, "p50_ms": 1.0, "p99_ms": 2.0, "server_cpu_pct": 50.0,
            "errors": 0, "missing_items": 0, "short_queries": 0}


def arguments() -> argparse.Namespace:
    return argparse.Namespace(workloads=["put", "batch-write"], concurrency=[1, 16], repeat=3,
                              rss_items=100_000, warmup=1.0, duration=3.0, item_size=200,
                              keyspace=10_000, query_partitions=500)


def test_cells_ratios_and_targets() -> None:
    raw = [run("openddb", "put", 16, rate) for rate in (900.0, 1000.0, 1200.0)]
    raw += [run("moto", "put", 16, 400.0), run("dynalite", "put", 16, 1100.0)]
    raw += [run("openddb", "batch-write", 16, 100.0), run("moto", "batch-write", 16, 40.0),
            run("dynalite", "batch-write", 16, 50.0)]
    cells = report.aggregate(raw)
    put = cells[("openddb", "put", 16)]
    assert (put["median"], put["min"], put["max"]) == (1000.0, 900.0, 1200.0)
    assert put["cpu_us"] == 500.0  # half a core at 1,000 requests/s
    assert report.ratio(cells, "openddb", "moto", "put", 16) == 2.5
    startup = {"openddb": {"startup_s": [0.5, 0.2, 0.25],
                           "load": {"rss_after_load_mb": 120.0}}}
    rows = report.targets(cells, startup, ["openddb", "moto", "dynalite"],
                          ["put", "batch-write"], 100_000)
    verdicts = {row["target"]: row["passed"] for row in rows}
    assert verdicts == {
        "put c=16 >= 2x moto": True, "put c=16 >= 1x dynalite": False,
        "batch-write c=16 >= 2x moto": True, "batch-write c=16 >= 1x dynalite": True,
        "start-up <= 0.3 s": True, "RSS <= 150 MB with 100,000 items": True,
    }


def test_markdown_counts_batch_items_and_says_pass_or_miss() -> None:
    raw = [run("openddb", "batch-write", 16, 100.0), run("moto", "batch-write", 16, 80.0)]
    cells = report.aggregate(raw)
    measured = {"servers": ["openddb", "moto"], "versions": {"openddb": "0.1.0"},
                "startup": {}, "raw": raw, "preload_s": {}}
    args = arguments()
    document = report.document(args, time.localtime(), report.machine(), measured, cells, {})
    text = report.markdown(document, cells, args)
    assert "| batch-write requests/s | 16 | 100 (100\u2013100) | 80.0 (80.0\u201380.0) |" in text
    assert "| batch-write items/s | 16 | 2,500 (2,500\u20132,500) | 2,000" in text
    assert "| batch-write | 16 | 1.25x |" in text
    assert "| batch-write c=16 >= 2x moto | MISS 1.25x |" in text
    assert "| start-up <= 0.3 s | not measured |" in text
