"""TTL sweeps are claimed through the database, so servers sharing one never do the same
work twice (shared/DESIGN.md, scale-out): the ``ttl_sweeps`` row moves only from where a
sweeper read it, and a claim of another node holds until it lapses."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from stream_fixtures import read_stream
from ttl_fixtures import TtlServer, item, keys_of, put_all, ttl_server

from openddb.storage.engine import WriteTransaction
from openddb.ttl import sweep


def expire(server: TtlServer, table: str, count: int) -> None:
    now = int(server.admin.now())
    put_all(server.dynamodb, table, [item(f"i{n:04}", expiresAt=now + 10) for n in range(count)])


def table_of(server: TtlServer, name: str) -> Any:
    table = server.running.server.catalog.get("testing:us-east-1", name)
    assert table is not None
    return table


def go_on(scanned: int, deleted: int) -> bool:
    return True


def stop_after_chunk(scanned: int, deleted: int) -> bool:
    return deleted == 0


def test_a_live_claim_of_another_node_is_respected() -> None:
    with ttl_server() as server:
        name = server.create_table("claims")
        expire(server, name, 2 * sweep.SWEEP_SCAN_ROWS)
        server.admin.advance(60)
        core, table = server.running.server, table_of(server, name)
        engine = core.engine

        # Node A deletes one chunk, then stops (as if it died).
        step = sweep.sweep_table(core, engine, table, "expiresAt", "node-a", 5, stop_after_chunk)
        assert (step.deleted, step.lost) == (5, True)
        held = engine.ttl_sweep(table.table_id)
        assert held is not None
        assert held.claimed_by == "node-a"

        # Node B finds the claim live and does nothing.
        step = sweep.sweep_table(core, engine, table, "expiresAt", "node-b", 5, go_on)
        assert (step.deleted, step.lost) == (0, True)

        # Once the claim lapses, B takes over where A stopped and finishes the pass.
        server.admin.advance(sweep.CLAIM_SECONDS + 1)
        step = sweep.sweep_table(core, engine, table, "expiresAt", "node-b", 50, go_on)
        assert step.finished
        assert step.deleted == 2 * sweep.SWEEP_SCAN_ROWS - 5
        assert keys_of(server.dynamodb, name) == set()
        moved = engine.ttl_sweep(table.table_id)
        assert moved is not None
        assert (moved.claimed_by, moved.after) == ("node-b", None)


def test_the_sweep_row_moves_only_from_where_it_was_read() -> None:
    with ttl_server() as server:
        name = server.create_table("register")
        core, table = server.running.server, table_of(server, name)
        position = (1, b"p", b"")

        def advance(expected: Any, after: Any) -> Any:
            def work(transaction: WriteTransaction) -> bool:
                return transaction.advance_ttl_sweep(
                    table.table_id, "node-a", expected, after, transaction.now() + 60
                )
            return bool(core.engine.write(work))

        assert advance(None, position)
        assert not advance(None, None), "stale: the row is no longer at the start"
        assert advance(position, None)


def test_two_servers_on_one_database_delete_each_item_once(tmp_path: Path) -> None:
    count = 600
    with ttl_server(in_memory=False, db_path=str(tmp_path), ttl_deletes_per_write=3) as first:
        name = first.create_table("shared")
        expire(first, name, count)
        with ttl_server(in_memory=False, db_path=str(tmp_path),
                        ttl_deletes_per_write=3) as second:
            for server in (first, second):
                server.admin.advance(60)
            deleted: list[int] = []
            threads = [threading.Thread(target=lambda s=s: deleted.append(s.admin.sweep()))
                       for s in (first, second, first, second)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sum(deleted) == count
            assert keys_of(second.dynamodb, name) == set()
        arn = first.dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
        removes = Counter(
            record["dynamodb"]["Keys"]["pk"]["S"]
            for record in read_stream(first.streams, arn)
            if record["eventName"] == "REMOVE"
        )
        assert len(removes) == count
        assert set(removes.values()) == {1}


class CountingEngine:
    """An engine counting its write transactions."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.writes = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def write(self, work: Any) -> Any:
        self.writes += 1
        return self.inner.write(work)


def test_pages_without_expired_items_are_written_only_now_and_then(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sweep, "SWEEP_SCAN_ROWS", 4)
    monkeypatch.setattr(sweep, "IDLE_PAGES_MAX", 3)
    with ttl_server() as server:
        name = server.create_table("idle")
        now = int(server.admin.now())
        put_all(server.dynamodb, name, [item(f"f{n:02}", expiresAt=now + 9999) for n in range(40)])
        core, table = server.running.server, table_of(server, name)
        engine = CountingEngine(core.engine)
        step = sweep.sweep_table(core, engine, table, "expiresAt", "node-a", 5, go_on)
        # 11 pages (the last one empty): the 4th and 8th write the row, so does the end.
        assert (step.deleted, step.finished, engine.writes) == (0, True, 3)
        put_all(server.dynamodb, name, [item(f"e{n}", expiresAt=now - 1) for n in range(3)])
        step = sweep.sweep_table(core, engine, table, "expiresAt", "node-a", 5, go_on)
        assert (step.deleted, step.finished) == (3, True)
        assert len(keys_of(server.dynamodb, name)) == 40
