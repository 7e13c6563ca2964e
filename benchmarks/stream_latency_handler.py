"""Trigger handler of ``streams_bench.py trigger-latency``: notes when each record arrives
(CLOCK_MONOTONIC, comparable with the writing process) in STREAM_LATENCY_LOG."""

from __future__ import annotations

import os
import time
from typing import Any


def handler(event: dict[str, Any], context: Any) -> None:
    now = time.monotonic()
    with open(os.environ["STREAM_LATENCY_LOG"], "a", encoding="utf-8") as log:
        for record in event["Records"]:
            log.write(f"{record['dynamodb']['Keys']['sk']['S']} {now}\n")
