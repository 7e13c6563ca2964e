"""A game leaderboard on atomic counters: many clients add points at once, none is lost.

    .venv/bin/python examples/leaderboard.py --endpoint http://localhost:8000
    .venv/bin/python examples/leaderboard.py --threads 16 --updates 20000 --top 10

Table ``leaderboard`` (deleted first if it exists):

  PK            SK          attributes
  PLAYER#ana    GAME#chess  player "ana", game "chess", score (N), plays (N)

and the global secondary index ``TopScores`` (partition key ``game``, sort key ``score``,
a Number, so entries are in numeric order; ``player`` and ``plays`` projected).

``--threads`` clients make ``--updates`` UpdateItems in all, each adding random points to
a random player's score in a random game:

    SET game = :game, player = :player  ADD score :points, plays :one

``ADD`` on a Number is an atomic counter: the server adds to the stored value, so
concurrent updates of one item never overwrite each other (a read, then a PutItem of the
sum, would lose points), and the first update creates the item. Every client keeps what
it added; at the end the example checks each player's totals (Query of ``PLAYER#…``),
the top ``--top`` of each game (Query ``TopScores`` backwards with ``Limit``) and one
player's rank (a COUNT Query of higher scores) against those sums, and exits 1 when one
disagrees. Needs botocore only (an openddb dependency).
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

TABLE = "leaderboard"
INDEX = "TopScores"
GAMES = ("chess", "go", "tetris")
PLAYERS = ("ana", "ben", "chen", "dara", "eli", "femi", "gus", "hana", "ivo", "jo", "kai",
           "lea", "max", "nia", "oli", "pia", "quin", "rui", "sam", "tua")
POINTS_MAX = 100

Key = tuple[str, str]  # (player, game)


def client(endpoint: str, connections: int = 10) -> Any:
    return botocore.session.get_session().create_client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="example", aws_secret_access_key="example",
        config=Config(max_pool_connections=connections),
    )


def create_table(dynamodb: Any, table: str) -> None:
    """Delete ``table`` if it exists; create it with the TopScores index; wait for ACTIVE."""
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
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                              {"AttributeName": "SK", "AttributeType": "S"},
                              {"AttributeName": "game", "AttributeType": "S"},
                              {"AttributeName": "score", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{
            "IndexName": INDEX,
            "KeySchema": [{"AttributeName": "game", "KeyType": "HASH"},
                          {"AttributeName": "score", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["player", "plays"]},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName=table)


def add_points(dynamodb: Any, table: str, player: str, game: str, points: int) -> None:
    """The atomic counter update: one request, no read before it."""
    dynamodb.update_item(
        TableName=table,
        Key={"PK": {"S": f"PLAYER#{player}"}, "SK": {"S": f"GAME#{game}"}},
        UpdateExpression="SET game = :game, player = :player ADD score :points, plays :one",
        ExpressionAttributeValues={":game": {"S": game}, ":player": {"S": player},
                                   ":points": {"N": str(points)}, ":one": {"N": "1"}},
    )


@dataclass
class Added:
    """What the clients added, per (player, game): the truth the table is checked against."""

    points: Counter[Key] = field(default_factory=Counter)
    plays: Counter[Key] = field(default_factory=Counter)


def play(endpoint: str, table: str, threads: int, updates: int, seed: int) -> Added:
    """``threads`` clients making ``updates`` UpdateItems in all, each on its own random
    sequence; returns the sums of what they added."""
    dynamodb = client(endpoint, threads)
    added, lock, errors = Added(), threading.Lock(), []

    def player_thread(number: int, count: int) -> None:
        rng, mine = random.Random(seed * 1000 + number), Added()
        try:
            for _ in range(count):
                player, game = rng.choice(PLAYERS), rng.choice(GAMES)
                points = rng.randint(1, POINTS_MAX)
                add_points(dynamodb, table, player, game, points)
                mine.points[player, game] += points
                mine.plays[player, game] += 1
        except Exception as error:  # reported by the main thread
            errors.append(error)
        with lock:
            added.points.update(mine.points)
            added.plays.update(mine.plays)

    workers = [threading.Thread(target=player_thread,
                                args=(number, updates // threads + (number < updates % threads)))
               for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return added


# --------------------------------------------------------------------------
# Reads, checked against what was added


@dataclass
class Report:
    """Lines for a person to read, and every disagreement found (none when all is well)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def expect(self, what: str, found: Any, expected: Any) -> None:
        if found != expected:
            self.problems.append(f"{what}: table says {found!r}, expected {expected!r}")


def check_players(dynamodb: Any, table: str, added: Added, report: Report) -> None:
    """Each player's item collection: score and plays of every game they played."""
    found_points: Counter[Key] = Counter()
    for player in PLAYERS:
        items = dynamodb.query(
            TableName=table, KeyConditionExpression="PK = :player",
            ExpressionAttributeValues={":player": {"S": f"PLAYER#{player}"}})["Items"]
        found = {item["game"]["S"]: (int(item["score"]["N"]), int(item["plays"]["N"]))
                 for item in items}
        expected = {game: (added.points[player, game], added.plays[player, game])
                    for game in GAMES if added.plays[player, game]}
        report.expect(f"scores of {player}", found, expected)
        found_points.update({(player, game): score for game, (score, _) in found.items()})
    report.lines.append(f"{sum(found_points.values()):,} points in the table, "
                        f"{sum(added.points.values()):,} added")


def ranking(entries: list[tuple[int, str]]) -> tuple[list[int], list[str]]:
    """The scores of a top list, and the players sure to be in it whatever the order of
    equal scores (DynamoDB leaves it open): those above the last one."""
    scores = [score for score, _ in entries]
    return scores, sorted(player for score, player in entries if score > scores[-1])


def check_top(dynamodb: Any, table: str, added: Added, top: int, report: Report) -> None:
    """Each game's top ``top`` from the index, best first, and the rank of one player."""
    for game in GAMES:
        answer = dynamodb.query(
            TableName=table, IndexName=INDEX, ScanIndexForward=False, Limit=top,
            KeyConditionExpression="game = :game",
            ExpressionAttributeValues={":game": {"S": game}})
        found = [(int(entry["score"]["N"]), entry["player"]["S"]) for entry in answer["Items"]]
        everyone = sorted(((points, player) for (player, played), points in added.points.items()
                           if played == game), reverse=True)
        report.expect(f"top {top} of {game}", ranking(found), ranking(everyone[:top]))
        report.lines.append(f"top {top} of {game}: " + ", ".join(
            f"{player} {score:,}" for score, player in found))
        if not everyone:
            continue
        score, player = everyone[len(everyone) // 2]  # someone in the middle
        higher = dynamodb.query(
            TableName=table, IndexName=INDEX, Select="COUNT",
            KeyConditionExpression="game = :game AND score > :score",
            ExpressionAttributeValues={":game": {"S": game}, ":score": {"N": str(score)}})
        expected = sum(points > score for points, _ in everyone)
        report.expect(f"rank of {player} in {game}", higher["Count"] + 1, expected + 1)
        report.lines.append(f"  {player} ranks {higher['Count'] + 1} of {len(everyone)} "
                            f"in {game} with {score:,} (COUNT Query, score > {score})")


def run(endpoint: str, threads: int, updates: int, top: int, seed: int,
        table: str = TABLE) -> Report:
    """The whole example: create the table, play, check."""
    dynamodb = client(endpoint)
    create_table(dynamodb, table)
    added = play(endpoint, table, threads, updates, seed)
    report = Report([f"{threads} threads made {updates:,} UpdateItems with ADD"])
    check_players(dynamodb, table, added, report)
    check_top(dynamodb, table, added, top, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", default="http://localhost:8000")
    parser.add_argument("--table", default=TABLE)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--updates", type=int, default=4000)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args(argv)
    if arguments.threads < 1 or arguments.top < 1:
        parser.error("--threads and --top must be at least 1")
    report = run(arguments.endpoint, arguments.threads, arguments.updates, arguments.top,
                 arguments.seed, arguments.table)
    print("\n".join(report.lines))
    for problem in report.problems:
        print(f"WRONG: {problem}")
    print("every total and ranking is right" if not report.problems
          else f"{len(report.problems)} answers are wrong")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
