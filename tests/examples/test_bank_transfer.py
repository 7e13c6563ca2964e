"""examples/bank_transfer.py against the session server: a short run keeps the total."""

from __future__ import annotations

from example_scripts import load

bank = load("bank_transfer")


def test_a_short_run_keeps_the_total(endpoint: str, table_name: str) -> None:
    outcome = bank.run(endpoint, accounts=5, threads=4, transfers=200, table=table_name)
    assert outcome.committed + outcome.cancelled == 200
    assert outcome.snapshots > 0
    assert outcome.snapshot_totals == {5 * bank.OPENING_BALANCE}
    final = bank.balances(bank.client(endpoint), 5, table_name)
    assert sum(final) == 5 * bank.OPENING_BALANCE
    assert min(final) >= 0
    bank.client(endpoint).delete_table(TableName=table_name)
