"""Shards: identifiers, sequence numbers, partition ranges, rollover and lineage.

A stream starts with ``--stream-shards`` shards, each taking the partitions whose hash
token (``model/keys.py``) falls in one range, so every record of a partition goes to the
same shard and stays in order. A shard stays open for ``--stream-shard-rollover-seconds``;
then it closes and one child shard (``ParentShardId`` = the parent) takes its range over,
so consumers that follow lineage see every change of a key in order::

    token 0 ............................................................. 2**63
    stream created   shard A [0, 2**61)    shard B [2**61, 2**62)  ...
    + rollover       A closed -> A' (parent A)   B closed -> B' (parent B)  ...

Identifiers (behaviours.md 5.2): ``shardId-<creation epoch ms, 20 digits>-<8 hex>``, so
ShardId order is creation order and parents sort before their children, as the Kinesis
adapter expects. Sequence numbers are per-shard counters kept in the shard's row (never
in process memory); a shard's first number is ``floor(created seconds) * 10**9`` or just
past its parent's last, so numbers also grow from parent to child. The wire form adds
10**20, giving the 21+ decimal digits the model requires::

    stored 1790000000000000007  ->  "101790000000000000007"
"""

from __future__ import annotations

import hashlib
import math

from openddb import limits
from openddb.model.keys import segment_bounds
from openddb.storage.engine import NewShard, StoredShard

# Wire sequence number = stored number + this (21 digits for any stored number below it).
SEQUENCE_NUMBER_OFFSET = 10**20
SEQUENCE_NUMBERS_PER_SECOND = 10**9
SEQUENCE_NUMBER_DIGITS_MIN = 21
SEQUENCE_NUMBER_DIGITS_MAX = 40
SHARD_ID_PREFIX = "shardId-"
SHARD_ID_SUFFIX_HEX = 8


def sequence_number_text(sequence_number: int) -> str:
    """The wire SequenceNumber of a stored sequence number."""
    assert 0 <= sequence_number < SEQUENCE_NUMBER_OFFSET, sequence_number
    return str(SEQUENCE_NUMBER_OFFSET + sequence_number)


def parse_sequence_number(text: str) -> int | None:
    """The stored sequence number of a wire SequenceNumber; None when it is not one."""
    if not (SEQUENCE_NUMBER_DIGITS_MIN <= len(text) <= SEQUENCE_NUMBER_DIGITS_MAX):
        return None
    if not text.isascii() or not text.isdigit():
        return None
    stored = int(text) - SEQUENCE_NUMBER_OFFSET
    return stored if 0 <= stored < SEQUENCE_NUMBER_OFFSET else None


def _shard_id(stream_arn: str, token_low: int, created_at: float) -> str:
    created_ms = int(created_at * 1000)
    digest = hashlib.md5(
        f"{stream_arn}|{token_low}|{created_ms}".encode(), usedforsecurity=False
    ).hexdigest()
    return f"{SHARD_ID_PREFIX}{created_ms:020d}-{digest[:SHARD_ID_SUFFIX_HEX]}"


def _first_sequence_number(now: float) -> int:
    return math.floor(now) * SEQUENCE_NUMBERS_PER_SECOND


def initial_shards(stream_arn: str, shard_count: int, now: float) -> list[NewShard]:
    """The shards of a new stream: ``shard_count`` equal ranges of the token space."""
    assert shard_count >= 1, shard_count
    shards = []
    for index in range(shard_count):
        low, high = segment_bounds(index, shard_count)
        shards.append(NewShard(
            _shard_id(stream_arn, low, now), None, low, high - 1, now,
            _first_sequence_number(now),
        ))
    return shards


def child_shard(parent: StoredShard, stream_arn: str, now: float) -> NewShard:
    """The shard that takes ``parent``'s range over when it rolls over at ``now``."""
    assert parent.closed_at is None, "only an open shard rolls over"
    assert now > parent.created_at, "a child is created after its parent"
    return NewShard(
        _shard_id(stream_arn, parent.token_low, now), parent.shard_id, parent.token_low,
        parent.token_last, now,
        max(_first_sequence_number(now), parent.last_sequence_number + 1),
    )


def rollover_due(shard: StoredShard, rollover_seconds: float, now: float) -> bool:
    return shard.closed_at is None and now >= shard.created_at + rollover_seconds


def visible(shard: StoredShard, now: float) -> bool:
    """DescribeStream lists open shards, and closed ones until their records expire."""
    if shard.closed_at is None:
        return True
    return shard.closed_at >= now - limits.STREAM_RECORD_RETENTION_SECONDS


def ending_sequence_number(shard: StoredShard) -> int | None:
    """A closed shard's EndingSequenceNumber (its last record's, or its first number when it
    never got a record: the range must not end before it starts); None while open."""
    if shard.closed_at is None:
        return None
    return max(shard.last_sequence_number, shard.starting_sequence_number)


def described(shard: StoredShard) -> dict[str, object]:
    """The Shard structure of DescribeStream."""
    sequence_number_range = {
        "StartingSequenceNumber": sequence_number_text(shard.starting_sequence_number)
    }
    ending = ending_sequence_number(shard)
    if ending is not None:
        sequence_number_range["EndingSequenceNumber"] = sequence_number_text(ending)
    answer: dict[str, object] = {
        "ShardId": shard.shard_id,
        "SequenceNumberRange": sequence_number_range,
    }
    if shard.parent_shard_id is not None:
        answer["ParentShardId"] = shard.parent_shard_id
    return answer
