"""On-failure destinations: where a trigger reports a batch it discarded.

The document is Lambda's invocation record for DynamoDB streams (Lambda Developer Guide,
"Error handling" of "Using AWS Lambda with Amazon DynamoDB")::

    {"requestContext": {"requestId", "functionArn", "condition": "RetryAttemptsExhausted"
                        | "RecordAgeExceeded", "approximateInvokeCount"},
     "responseContext": {"statusCode": 200, "executedVersion": "$LATEST",
                         "functionError": "Unhandled"},
     "version": "1.0", "timestamp": "<ISO 8601>",
     "DDBStreamBatchInfo": {"shardId", "startSequenceNumber", "endSequenceNumber",
                            "approximateArrivalOfFirstRecord",
                            "approximateArrivalOfLastRecord", "batchSize", "streamArn"},
     "payload": "<the event, as Lambda's S3 destinations add it>"}

A destination is a URL (``http://``/``https://``: the document is POSTed) or a file path
(optionally ``file://``): one document per line is appended.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

import orjson

from openddb.streams.triggers.targets import HTTP_PREFIXES

log = logging.getLogger("openddb.streams.triggers")

FILE_PREFIX = "file://"
DESTINATION_TIMEOUT_SECONDS = 10.0


def iso_time(epoch_seconds: float, milliseconds: bool) -> str:
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    if milliseconds:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def send(destination: str, document: dict[str, Any]) -> None:
    """Deliver ``document``; a failure to deliver it is logged (the batch stays discarded,
    as in Lambda when the destination is unavailable)."""
    body = orjson.dumps(document)
    try:
        if destination.startswith(HTTP_PREFIXES):
            request = urllib.request.Request(
                destination, data=body, method="POST",
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=DESTINATION_TIMEOUT_SECONDS):
                return
        path = destination.removeprefix(FILE_PREFIX)
        with open(path, "ab") as file:
            file.write(body + b"\n")
    except (OSError, urllib.error.URLError) as error:
        log.error("triggers: cannot send a discarded batch to %s: %s", destination, error)
