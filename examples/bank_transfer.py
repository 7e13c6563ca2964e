"""Bank transfers with TransactWriteItems: money moves, never appears or vanishes.

    .venv/bin/python examples/bank_transfer.py --endpoint http://localhost:8000
    .venv/bin/python examples/bank_transfer.py --threads 16 --transfers 5000

Creates table ``Accounts`` (if missing) with ``--accounts`` accounts of 1,000 each, then
``--threads`` clients make ``--transfers`` transfers in all. A transfer is one
transaction of two Updates: debit one account *on condition that its balance covers the
amount*, credit another. When the condition fails DynamoDB (and openddb) cancels the
whole transaction with ``TransactionCanceledException`` -- reasons ``[ConditionalCheck
Failed, None]`` -- and nothing moves. Meanwhile one more client reads every account with
TransactGetItems, a consistent snapshot: every snapshot, and the final balances, add up
to the opening total. Each transfer carries a ClientRequestToken, so a client that
retries after a lost answer cannot apply it twice. The example exits 1 when a snapshot or
the final balances do not add up, or a balance went below zero.

Standard library plus botocore (an openddb dependency).
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.exceptions import ClientError

TABLE = "Accounts"
OPENING_BALANCE = 1000


def client(endpoint: str) -> Any:
    return botocore.session.get_session().create_client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="example",
        aws_secret_access_key="example",
    )


def account_key(number: int) -> dict[str, Any]:
    return {"AccountId": {"S": f"account-{number:03d}"}}


def open_accounts(dynamodb: Any, accounts: int, table: str = TABLE) -> None:
    """Create the table if missing and give every account the opening balance."""
    try:
        dynamodb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "AccountId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "AccountId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.get_waiter("table_exists").wait(
            TableName=table, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise
    for number in range(accounts):
        dynamodb.put_item(
            TableName=table,
            Item={**account_key(number), "Balance": {"N": str(OPENING_BALANCE)}},
        )


def transfer(dynamodb: Any, source: int, target: int, amount: int, table: str = TABLE) -> bool:
    """Move ``amount`` from ``source`` to ``target``; False when the balance is too low."""
    value = {":amount": {"N": str(amount)}}
    try:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": account_key(source),
                        "UpdateExpression": "SET Balance = Balance - :amount",
                        "ConditionExpression": "Balance >= :amount",
                        "ExpressionAttributeValues": value,
                    }
                },
                {
                    "Update": {
                        "TableName": table,
                        "Key": account_key(target),
                        "UpdateExpression": "SET Balance = Balance + :amount",
                        "ExpressionAttributeValues": value,
                    }
                },
            ],
            ClientRequestToken=str(uuid.uuid4()),
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        return False
    return True


def balances(dynamodb: Any, accounts: int, table: str = TABLE) -> list[int]:
    """Every balance, read as one snapshot (TransactGetItems, up to 100 accounts)."""
    gets = [{"Get": {"TableName": table, "Key": account_key(n)}} for n in range(accounts)]
    responses = dynamodb.transact_get_items(TransactItems=gets)["Responses"]
    return [int(response["Item"]["Balance"]["N"]) for response in responses]


@dataclass
class Outcome:
    committed: int = 0
    cancelled: int = 0
    snapshot_totals: set[int] = field(default_factory=set)
    snapshots: int = 0


def run(endpoint: str, accounts: int, threads: int, transfers: int, table: str = TABLE) -> Outcome:
    """Open the accounts, run the transfers and the snapshot reader; return what happened."""
    open_accounts(client(endpoint), accounts, table)
    outcome = Outcome()
    lock = threading.Lock()
    done = threading.Event()

    def transfer_some(seed: int, count: int) -> None:
        dynamodb, rng = client(endpoint), random.Random(seed)
        for _ in range(count):
            source, target = rng.sample(range(accounts), 2)
            moved = transfer(dynamodb, source, target, rng.randint(1, 400), table)
            with lock:
                if moved:
                    outcome.committed += 1
                else:
                    outcome.cancelled += 1

    def read_snapshots() -> None:
        dynamodb = client(endpoint)
        while not done.is_set():
            total = sum(balances(dynamodb, accounts, table))
            with lock:
                outcome.snapshot_totals.add(total)
                outcome.snapshots += 1

    reader = threading.Thread(target=read_snapshots)
    reader.start()
    workers = [
        threading.Thread(
            target=transfer_some,
            args=(seed, transfers // threads + (seed < transfers % threads)),
        )
        for seed in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    reader.join()
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://localhost:8000")
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--transfers", type=int, default=2000)
    arguments = parser.parse_args()
    outcome = run(arguments.endpoint, arguments.accounts, arguments.threads, arguments.transfers)
    final = balances(client(arguments.endpoint), arguments.accounts)
    opening = arguments.accounts * OPENING_BALANCE
    print(f"{outcome.committed} transfers committed, {outcome.cancelled} cancelled")
    print(f"{outcome.snapshots} snapshots, totals seen: {sorted(outcome.snapshot_totals)}")
    print(f"final total {sum(final)} (opening {opening}), lowest balance {min(final)}")
    invariant = (sum(final) == opening and outcome.snapshot_totals <= {opening}
                 and min(final) >= 0)
    print("invariant holds" if invariant else "INVARIANT BROKEN")
    return 0 if invariant else 1


if __name__ == "__main__":
    sys.exit(main())
