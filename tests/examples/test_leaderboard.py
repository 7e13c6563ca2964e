"""examples/leaderboard.py against the in-process server: concurrent ADDs lose nothing
and the TopScores index ranks the players by their totals."""

from __future__ import annotations

import threading
from typing import Any

from example_scripts import load

leaderboard = load("leaderboard")


def test_the_command_checks_totals_and_rankings(endpoint: str, table_name: str,
                                                capsys: Any) -> None:
    status = leaderboard.main(["--endpoint", endpoint, "--table", table_name,
                               "--threads", "4", "--updates", "400", "--top", "3"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "every total and ranking is right" in output
    leaderboard.client(endpoint).delete_table(TableName=table_name)


def test_one_item_updated_by_every_thread(endpoint: str, table_name: str) -> None:
    """All threads on one counter: the contended case the atomic ADD exists for."""
    dynamodb = leaderboard.client(endpoint)
    leaderboard.create_table(dynamodb, table_name)
    added = leaderboard.Added()
    threads = []

    def add(points: int) -> None:
        for _ in range(25):
            leaderboard.add_points(dynamodb, table_name, "ana", "go", points)

    for points in range(1, 7):
        threads.append(threading.Thread(target=add, args=(points,)))
        added.points["ana", "go"] += 25 * points
        added.plays["ana", "go"] += 25
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = leaderboard.Report()
    leaderboard.check_players(dynamodb, table_name, added, report)
    leaderboard.check_top(dynamodb, table_name, added, 3, report)
    assert report.problems == []
    added.points["ana", "go"] += 1  # one point the table never saw
    leaderboard.check_players(dynamodb, table_name, added, report)
    assert len(report.problems) == 1
    dynamodb.delete_table(TableName=table_name)
