"""A shop in one DynamoDB table: customers, orders and order lines, and a sparse index
of the open orders.

    .venv/bin/python examples/ecommerce.py --endpoint http://localhost:8000
    .venv/bin/python examples/ecommerce.py --customers 200 --orders 2000 --seed 7

Table ``ecommerce`` (deleted first if it exists), single-table design:

  entity      PK             SK              other attributes
  customer    CUSTOMER#C007  CUSTOMER        name, email, order_count
  order       CUSTOMER#C007  ORDER#O00042    order_id, customer_id, status, placed_at,
                                             total, line_count, warehouse,
                                             open_since (only while the order is open)
  order line  ORDER#O00042   LINE#01         sku, product, quantity, price

Access patterns:

- a customer and their orders, newest first: one Query of ``CUSTOMER#C007``
  (``CUSTOMER`` sorts before ``ORDER#``, so backwards the profile comes last);
- an order's lines: Query ``ORDER#O00042``;
- the open orders of a warehouse, oldest first: Query of the global secondary index
  ``OpenOrders`` (partition key ``warehouse``, sort key ``open_since``). Only items
  with both attributes are in an index, so the index is sparse: it holds the open orders
  and nothing else, and shipping or cancelling an order (``REMOVE open_since``) takes it
  out. The fulfilment queue never reads a closed order.

An order is placed with one TransactWriteItems: the order (on condition that it is new),
its lines, and ``ADD order_count :1`` on the customer (on condition that the customer
exists). Closing is an UpdateItem on condition that ``open_since`` still exists, so an
order is never shipped after being cancelled. The example places random orders, ships
or cancels most of them, tries to close some twice, then checks every access pattern
against what it did; it exits 1 when one disagrees. Needs botocore only (an openddb
dependency).
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import botocore.session
from botocore.exceptions import ClientError

TABLE = "ecommerce"
INDEX = "OpenOrders"
WAREHOUSES = ("EWR1", "JFK8", "LGA2")
PRODUCTS = {  # sku: (name, price)
    "B-101": ("Paperback", Decimal("12.99")),
    "K-220": ("Kettle", Decimal("34.50")),
    "M-330": ("Mug", Decimal("7.25")),
    "L-440": ("Desk lamp", Decimal("45.00")),
    "T-550": ("Tea, 100 bags", Decimal("5.80")),
    "H-660": ("Headphones", Decimal("89.90")),
}
LINES_MAX = 4
OPENED = datetime(2024, 5, 1, tzinfo=UTC)  # the first order; one more each minute
SHIPPED_SHARE, CANCELLED_SHARE = 0.6, 0.1


def client(endpoint: str) -> Any:
    return botocore.session.get_session().create_client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="example", aws_secret_access_key="example",
    )


def create_table(dynamodb: Any, table: str) -> None:
    """Delete ``table`` if it exists; create it with the sparse index; wait for ACTIVE."""
    try:
        dynamodb.delete_table(TableName=table)
        dynamodb.get_waiter("table_not_exists").wait(TableName=table)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                   {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"}
                              for name in ("PK", "SK", "warehouse", "open_since")],
        GlobalSecondaryIndexes=[{
            "IndexName": INDEX,
            "KeySchema": [{"AttributeName": "warehouse", "KeyType": "HASH"},
                          {"AttributeName": "open_since", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE",
                           "NonKeyAttributes": ["order_id", "customer_id", "total"]},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName=table)


# --------------------------------------------------------------------------
# Writes


@dataclass
class Order:
    """What the shop did with one order: the truth the table is checked against."""

    order_id: str
    customer_id: str
    warehouse: str
    placed_at: str
    total: Decimal
    lines: list[tuple[str, int]]  # (sku, quantity)
    status: str = "OPEN"


def add_customers(dynamodb: Any, table: str, customers: int) -> list[str]:
    """``customers`` customers C001, C002, ... with no orders; their ids."""
    ids = [f"C{number:03d}" for number in range(1, customers + 1)]
    for start in range(0, len(ids), 25):  # BatchWriteItem: at most 25 puts a request
        requests = [{"PutRequest": {"Item": {
            "PK": {"S": f"CUSTOMER#{customer_id}"}, "SK": {"S": "CUSTOMER"},
            "name": {"S": f"Customer {customer_id}"},
            "email": {"S": f"{customer_id.lower()}@example.com"},
            "order_count": {"N": "0"},
        }}} for customer_id in ids[start:start + 25]]
        while requests:
            answer = dynamodb.batch_write_item(RequestItems={table: requests})
            requests = answer.get("UnprocessedItems", {}).get(table, [])
    return ids


def place_order(dynamodb: Any, table: str, order: Order) -> None:
    """The order, its lines and the customer's order count in one transaction."""
    header = {
        "PK": {"S": f"CUSTOMER#{order.customer_id}"}, "SK": {"S": f"ORDER#{order.order_id}"},
        "order_id": {"S": order.order_id}, "customer_id": {"S": order.customer_id},
        "status": {"S": "OPEN"}, "placed_at": {"S": order.placed_at},
        "open_since": {"S": order.placed_at}, "warehouse": {"S": order.warehouse},
        "total": {"N": str(order.total)}, "line_count": {"N": str(len(order.lines))},
    }
    actions: list[dict[str, Any]] = [{"Put": {
        "TableName": table, "Item": header,
        "ConditionExpression": "attribute_not_exists(PK)"}}]
    for number, (sku, quantity) in enumerate(order.lines, start=1):
        name, price = PRODUCTS[sku]
        actions.append({"Put": {"TableName": table, "Item": {
            "PK": {"S": f"ORDER#{order.order_id}"}, "SK": {"S": f"LINE#{number:02d}"},
            "sku": {"S": sku}, "product": {"S": name},
            "quantity": {"N": str(quantity)}, "price": {"N": str(price)},
        }}})
    actions.append({"Update": {
        "TableName": table,
        "Key": {"PK": {"S": f"CUSTOMER#{order.customer_id}"}, "SK": {"S": "CUSTOMER"}},
        "UpdateExpression": "ADD order_count :one",
        "ConditionExpression": "attribute_exists(PK)",
        "ExpressionAttributeValues": {":one": {"N": "1"}},
    }})
    dynamodb.transact_write_items(TransactItems=actions)


def close_order(dynamodb: Any, table: str, order: Order, status: str, when: str) -> bool:
    """Ship or cancel an open order: it leaves the OpenOrders index. False (and nothing
    changes) when the order was already closed."""
    try:
        dynamodb.update_item(
            TableName=table,
            Key={"PK": {"S": f"CUSTOMER#{order.customer_id}"},
                 "SK": {"S": f"ORDER#{order.order_id}"}},
            UpdateExpression="SET #status = :status, closed_at = :when REMOVE open_since",
            ConditionExpression="attribute_exists(open_since)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": {"S": status}, ":when": {"S": when}},
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        return False
    order.status = status
    return True


def random_order(rng: random.Random, number: int, customer_ids: list[str]) -> Order:
    skus = rng.sample(sorted(PRODUCTS), rng.randint(1, LINES_MAX))
    lines = [(sku, rng.randint(1, 3)) for sku in skus]
    placed = OPENED + timedelta(minutes=number)
    return Order(
        order_id=f"O{number:05d}", customer_id=rng.choice(customer_ids),
        warehouse=rng.choice(WAREHOUSES), placed_at=placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        total=sum((PRODUCTS[sku][1] * quantity for sku, quantity in lines), Decimal(0)),
        lines=lines,
    )


def trade(dynamodb: Any, table: str, customers: int, orders: int,
          seed: int) -> tuple[list[Order], int, int]:
    """Create the table, add customers, place ``orders`` orders, ship or cancel most of
    them and try to close some twice; returns the orders, the second closes tried and
    how many of them were refused (all should be)."""
    rng = random.Random(seed)
    create_table(dynamodb, table)
    customer_ids = add_customers(dynamodb, table, customers)
    placed = [random_order(rng, number, customer_ids) for number in range(1, orders + 1)]
    for order in placed:
        place_order(dynamodb, table, order)
    tried = refused = 0
    for order in placed:
        roll = rng.random()
        if roll < SHIPPED_SHARE + CANCELLED_SHARE:
            status = "SHIPPED" if roll < SHIPPED_SHARE else "CANCELLED"
            closed = datetime.strptime(order.placed_at, "%Y-%m-%dT%H:%M:%S%z")
            when = (closed + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert close_order(dynamodb, table, order, status, when)
            if rng.random() < 0.1:  # a second close: a cancelled order is never shipped
                tried += 1
                refused += not close_order(dynamodb, table, order, "SHIPPED", when)
    return placed, tried, refused


# --------------------------------------------------------------------------
# Reads, checked against what the shop did


@dataclass
class Report:
    """Lines for a person to read, and every disagreement found (none when all is well)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def expect(self, what: str, found: Any, expected: Any) -> None:
        if found != expected:
            self.problems.append(f"{what}: table says {found!r}, expected {expected!r}")


def read_all(dynamodb: Any, operation: str, **request: Any) -> list[dict[str, Any]]:
    """Every item of a Query or Scan (``operation``), following LastEvaluatedKey."""
    items: list[dict[str, Any]] = []
    while True:
        page = getattr(dynamodb, operation)(**request)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def check_open_orders(dynamodb: Any, table: str, orders: list[Order], report: Report) -> None:
    """The sparse index holds exactly the open orders; each warehouse's queue is oldest
    first."""
    is_open = [order for order in orders if order.status == "OPEN"]
    entries = read_all(dynamodb, "scan", TableName=table, IndexName=INDEX)
    report.expect(f"{INDEX} entries (Scan)", sorted(e["order_id"]["S"] for e in entries),
                  sorted(order.order_id for order in is_open))
    in_table = read_all(dynamodb, "scan", TableName=table, ProjectionExpression="order_id",
                        FilterExpression="attribute_exists(open_since)")
    report.lines.append(f"{INDEX} (sparse): {len(entries)} entries, the open orders "
                        f"({len(orders)} orders in the table)")
    report.expect("orders with open_since (Scan of the table)",
                  sorted(item["order_id"]["S"] for item in in_table),
                  sorted(order.order_id for order in is_open))
    for warehouse in WAREHOUSES:
        queue = read_all(
            dynamodb, "query", TableName=table, IndexName=INDEX,
            KeyConditionExpression="warehouse = :warehouse",
            ExpressionAttributeValues={":warehouse": {"S": warehouse}})
        expected = sorted((order.placed_at, order.order_id) for order in is_open
                          if order.warehouse == warehouse)
        found = [(entry["open_since"]["S"], entry["order_id"]["S"]) for entry in queue]
        report.expect(f"open orders of {warehouse}, oldest first", found, expected)
        oldest = f", oldest {found[0][1]} open since {found[0][0]}" if found else ""
        report.lines.append(f"  Query {INDEX} warehouse = {warehouse}: {len(found)} open"
                            f"{oldest}")


def check_customers(dynamodb: Any, table: str, orders: list[Order],
                    customer_ids: list[str], report: Report) -> None:
    """Each customer's item collection: their orders newest first, then the profile with
    the right order count."""
    for customer_id in customer_ids:
        collection = read_all(
            dynamodb, "query", TableName=table, ScanIndexForward=False,
            KeyConditionExpression="PK = :customer",
            ExpressionAttributeValues={":customer": {"S": f"CUSTOMER#{customer_id}"}})
        profile = collection.pop() if collection else {}
        mine = sorted((order for order in orders if order.customer_id == customer_id),
                      key=lambda order: order.order_id, reverse=True)
        found = [(item["order_id"]["S"], item["status"]["S"], Decimal(item["total"]["N"]),
                  "open_since" in item) for item in collection]
        expected = [(order.order_id, order.status, order.total, order.status == "OPEN")
                    for order in mine]
        report.expect(f"orders of {customer_id}, newest first", found, expected)
        report.expect(f"order_count of {customer_id}",
                      profile.get("order_count", {}).get("N"), str(len(mine)))
    busiest = max(customer_ids, key=lambda c: sum(o.customer_id == c for o in orders))
    mine = sorted((o for o in orders if o.customer_id == busiest), key=lambda o: o.order_id)
    report.lines.append(f"Query PK = CUSTOMER#{busiest} (newest first): {len(mine)} orders, "
                        f"{sum(o.status == 'OPEN' for o in mine)} open; latest: "
                        + ", ".join(f"{o.order_id} {o.status} {o.total}"
                                    for o in mine[::-1][:3]))


def check_order_lines(dynamodb: Any, table: str, orders: list[Order], report: Report) -> None:
    """Each order's lines, in order, adding up to the order's total."""
    for order in orders:
        lines = read_all(dynamodb, "query", TableName=table,
                         KeyConditionExpression="PK = :order",
                         ExpressionAttributeValues={":order": {"S": f"ORDER#{order.order_id}"}})
        found = [(line["sku"]["S"], int(line["quantity"]["N"])) for line in lines]
        report.expect(f"lines of {order.order_id}", found, order.lines)
        total = sum((Decimal(line["price"]["N"]) * int(line["quantity"]["N"])
                     for line in lines), Decimal(0))
        report.expect(f"sum of the lines of {order.order_id}", total, order.total)
    if orders:
        order = orders[-1]
        report.lines.append(f"Query PK = ORDER#{order.order_id}: "
                            + ", ".join(f"{quantity} x {sku}" for sku, quantity in order.lines)
                            + f" = {order.total} (the order's total)")


def run(endpoint: str, customers: int, orders: int, seed: int, table: str = TABLE) -> Report:
    """The whole example: trade, then check every access pattern."""
    dynamodb = client(endpoint)
    placed, tried, refused = trade(dynamodb, table, customers, orders, seed)
    statuses = {status: sum(order.status == status for order in placed)
                for status in ("SHIPPED", "CANCELLED", "OPEN")}
    report = Report([
        f"{customers} customers, {len(placed)} orders placed (TransactWriteItems each)",
        f"{statuses['SHIPPED']} shipped, {statuses['CANCELLED']} cancelled, "
        f"{statuses['OPEN']} open; {refused} of {tried} second closes refused "
        "(ConditionalCheckFailed)",
    ])
    report.expect("second closes refused", refused, tried)
    check_open_orders(dynamodb, table, placed, report)
    check_customers(dynamodb, table, placed, sorted({o.customer_id for o in placed}), report)
    check_order_lines(dynamodb, table, placed, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://localhost:8000")
    parser.add_argument("--table", default=TABLE)
    parser.add_argument("--customers", type=int, default=40)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2024)
    arguments = parser.parse_args(argv)
    report = run(arguments.endpoint, arguments.customers, arguments.orders, arguments.seed,
                 arguments.table)
    print("\n".join(report.lines))
    for problem in report.problems:
        print(f"WRONG: {problem}")
    print("every access pattern answers as expected" if not report.problems
          else f"{len(report.problems)} answers are wrong")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
