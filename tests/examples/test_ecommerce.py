"""examples/ecommerce.py against the in-process server: the sparse index of open orders
holds exactly the open ones, and every access pattern answers what the shop did."""

from __future__ import annotations

from typing import Any

from example_scripts import load

shop = load("ecommerce")


def test_the_command_checks_every_access_pattern(endpoint: str, table_name: str,
                                                 capsys: Any) -> None:
    status = shop.main(["--endpoint", endpoint, "--table", table_name, "--customers", "8",
                        "--orders", "60"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "every access pattern answers as expected" in output
    shop.client(endpoint).delete_table(TableName=table_name)


def test_closing_an_order_takes_it_out_of_the_index(endpoint: str, table_name: str) -> None:
    dynamodb = shop.client(endpoint)
    shop.create_table(dynamodb, table_name)
    (customer_id,) = shop.add_customers(dynamodb, table_name, 1)
    first, second = (shop.Order(f"O0000{n}", customer_id, "JFK8", f"2024-05-01T00:0{n}:00Z",
                                shop.PRODUCTS["M-330"][1] * 2, [("M-330", 2)]) for n in (1, 2))
    for order in (first, second):
        shop.place_order(dynamodb, table_name, order)

    def open_orders() -> list[str]:
        entries = shop.read_all(dynamodb, "scan", TableName=table_name, IndexName=shop.INDEX)
        return sorted(entry["order_id"]["S"] for entry in entries)

    assert open_orders() == ["O00001", "O00002"]
    assert shop.close_order(dynamodb, table_name, first, "CANCELLED", "2024-05-02T00:00:00Z")
    assert open_orders() == ["O00002"]
    assert not shop.close_order(dynamodb, table_name, first, "SHIPPED", "2024-05-03T00:00:00Z")
    assert first.status == "CANCELLED"
    report = shop.Report()
    shop.check_open_orders(dynamodb, table_name, [first, second], report)
    shop.check_customers(dynamodb, table_name, [first, second], [customer_id], report)
    shop.check_order_lines(dynamodb, table_name, [first, second], report)
    assert report.problems == []
    second.status = "SHIPPED"  # the shop believes it shipped; the table says open
    shop.check_open_orders(dynamodb, table_name, [first, second], report)
    assert len(report.problems) == 3  # the index Scan, the table Scan, JFK8's queue
    dynamodb.delete_table(TableName=table_name)
