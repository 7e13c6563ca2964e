"""A stream trigger that keeps per-customer order totals (a Lambda handler, unchanged).

Table ``Orders`` (customer, order_id, total N) has a NEW_AND_OLD_IMAGES stream; every
INSERT, MODIFY and REMOVE of an order moves the customer's ``total`` and ``orders`` in
``CustomerTotals`` by the difference it makes. The handler

1. checks the whole batch first and raises on an invalid order (a negative total):
   nothing of the batch was applied, so the retry (and the bisection that isolates the
   bad order) cannot count anything twice; after MaximumRetryAttempts the bad order is
   sent to the on-failure destination and the shard moves on;
2. applies the orders one by one and, should an update fail, reports that order with
   ReportBatchItemFailures, so the orders before it are not delivered again.

The handler talks to openddb like any DynamoDB client (botocore), at OPENDDB_ENDPOINT.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

import botocore.session

TOTALS_TABLE = "CustomerTotals"
_clients: dict[str, Any] = {}


def dynamodb() -> Any:
    """A client for OPENDDB_ENDPOINT, made once per endpoint."""
    endpoint = os.environ.get("OPENDDB_ENDPOINT", "http://127.0.0.1:8000")
    if endpoint not in _clients:
        _clients[endpoint] = botocore.session.get_session().create_client(
            "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="example", aws_secret_access_key="example",
        )
    return _clients[endpoint]


def _total(image: dict[str, Any] | None) -> Decimal:
    return Decimal(image["total"]["N"]) if image else Decimal(0)


def change_of(record: dict[str, Any]) -> tuple[str, Decimal, int]:
    """(customer, change of the total, change of the order count) of one stream record."""
    stream_record = record["dynamodb"]
    new, old = stream_record.get("NewImage"), stream_record.get("OldImage")
    if new is not None and _total(new) < 0:
        raise ValueError(f"order {stream_record['Keys']} has a negative total")
    customer = stream_record["Keys"]["customer"]["S"]
    count = {"INSERT": 1, "MODIFY": 0, "REMOVE": -1}[record["eventName"]]
    return customer, _total(new) - _total(old), count


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    changes = [(record, change_of(record)) for record in event["Records"]]  # step 1
    for record, (customer, amount, count) in changes:  # step 2
        try:
            dynamodb().update_item(
                TableName=TOTALS_TABLE,
                Key={"customer": {"S": customer}},
                UpdateExpression="ADD #total :amount, #orders :count",
                ExpressionAttributeNames={"#total": "total", "#orders": "orders"},
                ExpressionAttributeValues={":amount": {"N": str(amount)},
                                           ":count": {"N": str(count)}},
            )
        except Exception:  # report the order: the retry starts from it
            return {"batchItemFailures": [
                {"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}
    return {"batchItemFailures": []}
