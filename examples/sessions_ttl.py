"""A session store on DynamoDB Time to Live: sessions expire by themselves.

    .venv/bin/python examples/sessions_ttl.py                 # starts openddb --clock virtual
    .venv/bin/python examples/sessions_ttl.py --endpoint URL  # an openddb on --clock virtual

Table ``Sessions``: partition key ``sessionId``, the user in ``userId`` and the expiry time
in ``expiresAt`` (epoch seconds), the table's TTL attribute. The global secondary index
``SessionsByUser`` (``userId``, ``expiresAt``) lists a user's sessions; the table's stream
(NEW_AND_OLD_IMAGES) tells expiries from logouts: DynamoDB's own deletions carry
``userIdentity`` ``{"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}``.

DynamoDB deletes an expired item some time after it expires, not at once, so the store
never trusts the table alone: ``get`` ignores a session whose ``expiresAt`` has passed, and
``sessions_of`` asks the index only for sessions expiring after now.

The demo creates sessions, moves openddb's virtual clock an hour forward through the admin
endpoint (``openddb.admin.Admin``; on DynamoDB you would wait), shows the store hiding the
expired sessions before they are deleted, sweeps, and reads the stream; it checks each
step and exits 1 when one went wrong. Needs openddb and botocore (an openddb dependency)
only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import botocore.session

TABLE = "Sessions"
INDEX = "SessionsByUser"
SERVICE_PRINCIPAL = "dynamodb.amazonaws.com"
START_SECONDS = 20.0


class SessionStore:
    """Sessions in one DynamoDB table; ``now`` gives the time (epoch seconds) the store
    compares expiry times with: the server's clock in the demo, ``time.time`` in real use."""

    def __init__(self, dynamodb: Any, now: Callable[[], float] = time.time,
                 table: str = TABLE) -> None:
        self.dynamodb = dynamodb
        self.now = now
        self.table = table

    def create_table(self) -> str:
        """Create the table, its index and its stream, and enable TTL; return the stream
        ARN."""
        answer = self.dynamodb.create_table(
            TableName=self.table,
            KeySchema=[{"AttributeName": "sessionId", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "sessionId", "AttributeType": "S"},
                {"AttributeName": "userId", "AttributeType": "S"},
                {"AttributeName": "expiresAt", "AttributeType": "N"},
            ],
            GlobalSecondaryIndexes=[{
                "IndexName": INDEX,
                "KeySchema": [
                    {"AttributeName": "userId", "KeyType": "HASH"},
                    {"AttributeName": "expiresAt", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            BillingMode="PAY_PER_REQUEST",
        )
        self.dynamodb.get_waiter("table_exists").wait(TableName=self.table)
        self.dynamodb.update_time_to_live(
            TableName=self.table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"},
        )
        arn: str = answer["TableDescription"]["LatestStreamArn"]
        return arn

    def create(self, user_id: str, lifetime_seconds: float) -> str:
        """A new session of ``user_id`` expiring ``lifetime_seconds`` from now."""
        session_id = uuid.uuid4().hex
        self.dynamodb.put_item(TableName=self.table, Item={
            "sessionId": {"S": session_id},
            "userId": {"S": user_id},
            "expiresAt": {"N": str(int(self.now() + lifetime_seconds))},
        })
        return session_id

    def get(self, session_id: str) -> dict[str, Any] | None:
        """The session, or None when it does not exist or has expired (even if DynamoDB has
        not deleted it yet)."""
        found = self.dynamodb.get_item(
            TableName=self.table, Key={"sessionId": {"S": session_id}}, ConsistentRead=True
        ).get("Item")
        if found is None or int(found["expiresAt"]["N"]) <= self.now():
            return None
        return {"sessionId": session_id, "userId": found["userId"]["S"],
                "expiresAt": int(found["expiresAt"]["N"])}

    def logout(self, session_id: str) -> None:
        self.dynamodb.delete_item(TableName=self.table, Key={"sessionId": {"S": session_id}})

    def sessions_of(self, user_id: str) -> list[str]:
        """The user's live sessions, soonest expiry first: the index's key condition skips
        expired sessions that are still waiting for deletion."""
        answer = self.dynamodb.query(
            TableName=self.table,
            IndexName=INDEX,
            KeyConditionExpression="userId = :user AND expiresAt > :now",
            ExpressionAttributeValues={
                ":user": {"S": user_id}, ":now": {"N": str(int(self.now()))}
            },
        )
        return [entry["sessionId"]["S"] for entry in answer["Items"]]


def stream_records(streams: Any, stream_arn: str) -> Iterator[dict[str, Any]]:
    """Every record of the stream, from the trim horizon, parents before children."""
    shards = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    for shard in shards:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator is not None:
            answer = streams.get_records(ShardIterator=iterator)
            yield from answer["Records"]
            if not answer["Records"]:
                break
            iterator = answer.get("NextShardIterator")


def expired_sessions(records: list[dict[str, Any]]) -> list[str]:
    """Sessions DynamoDB deleted because they expired: REMOVE records by the service."""
    return [
        record["dynamodb"]["Keys"]["sessionId"]["S"]
        for record in records
        if record["eventName"] == "REMOVE"
        and record.get("userIdentity", {}).get("PrincipalId") == SERVICE_PRINCIPAL
    ]


def demo(endpoint: str, table: str = TABLE) -> list[str]:
    """Run the demo against ``endpoint`` (a server on a virtual clock); returns what went
    wrong (nothing when the store behaves)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from openddb.admin import Admin

    admin = Admin(endpoint)
    dynamodb, streams = clients(endpoint)
    store = SessionStore(dynamodb, now=admin.now, table=table)
    stream_arn = store.create_table()
    short = [store.create(user, 15 * 60) for user in ("ana", "ben", "ana")]
    long = [store.create(user, 24 * 3600) for user in ("ana", "ben")]
    store.logout(long[1])
    problems = expect([], "ana's sessions", len(store.sessions_of("ana")), 3)
    print(f"ana's sessions: {len(store.sessions_of('ana'))}")
    admin.advance(3600)
    print("one hour later:")
    hidden = sum(store.get(s) is None for s in short)
    print(f"  store.get hides the {hidden} expired sessions")
    waiting = [s for s in short if "Item" in dynamodb.get_item(
        TableName=table, Key={"sessionId": {"S": s}})]
    print(f"  {len(waiting)} of them are still in the table, waiting for deletion")
    print(f"  the sweep deletes {admin.sweep()} items")
    left = [s for s in short if "Item" in dynamodb.get_item(
        TableName=table, Key={"sessionId": {"S": s}}, ConsistentRead=True)]
    print(f"  ana's sessions: {len(store.sessions_of('ana'))}")
    records = list(stream_records(streams, stream_arn))
    removes = [r for r in records if r["eventName"] == "REMOVE"]
    print(f"  stream: {len(expired_sessions(records))} expiries, "
          f"{len(removes)} REMOVE records in all")
    expect(problems, "expired sessions store.get hides", hidden, len(short))
    expect(problems, "expired sessions left after the sweep", left, [])
    expect(problems, "ana's sessions after the sweep", store.sessions_of("ana"), [long[0]])
    expect(problems, "expiries in the stream", sorted(expired_sessions(records)), sorted(short))
    expect(problems, "REMOVE records (expiries and the logout)", len(removes), len(short) + 1)
    return problems


def expect(problems: list[str], what: str, found: Any, expected: Any) -> list[str]:
    """``problems``, with one more when ``found`` is not ``expected``."""
    if found != expected:
        problems.append(f"{what}: {found!r}, expected {expected!r}")
    return problems


def report(problems: list[str]) -> int:
    """Print the outcome; the exit status (1 when something went wrong)."""
    for problem in problems:
        print(f"WRONG: {problem}")
    print("the store behaves" if not problems else f"{len(problems)} answers are wrong")
    return 1 if problems else 0


def clients(endpoint: str) -> tuple[Any, Any]:
    session = botocore.session.get_session()
    options = {"endpoint_url": endpoint, "region_name": "us-east-1",
               "aws_access_key_id": "example", "aws_secret_access_key": "example"}
    return (session.create_client("dynamodb", **options),
            session.create_client("dynamodbstreams", **options))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", help="a running openddb started with --clock virtual")
    arguments = parser.parse_args()
    if arguments.endpoint:
        return report(demo(arguments.endpoint))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "openddb", "serve", "--in-memory",
                               "--clock", "virtual", "--port", str(port), "--log-level",
                               "warning"])
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_for(endpoint)
        problems = demo(endpoint)
    finally:
        server.terminate()
        server.wait()
    return report(problems)


def wait_for(endpoint: str) -> None:
    import urllib.request

    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(endpoint + "/health", timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
