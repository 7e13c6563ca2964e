"""Shard iterators: a position in a shard, carried by the client, never kept by the server.

An iterator is opaque to clients. Its form follows the service's
(``<StreamArn>|<small integer>|<token>``, behaviours.md addendum), and the token is
base64url of ``<ShardId>|<after>|<issued ms>|<trim horizon flag>``:

- ``after``: the stored sequence number the next GetRecords reads *after*;
- ``issued ms``: when the iterator was handed out (server clock, ms), for the 15-minute
  expiry (API reference GetShardIterator);
- the flag marks a TRIM_HORIZON iterator that has not read yet: it follows the trim
  horizon instead of failing with TrimmedDataAccessException when records age out
  before its first read.

Because everything is in the iterator, any API node can serve the next GetRecords
(shared/DESIGN.md, scale-out).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

ITERATOR_VERSION = "1"
_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class ShardIterator:
    stream_arn: str
    shard_id: str
    after: int
    issued_ms: int
    trim_horizon: bool


def encode(iterator: ShardIterator) -> str:
    token = _SEPARATOR.join(
        (iterator.shard_id, str(iterator.after), str(iterator.issued_ms),
         "1" if iterator.trim_horizon else "0")
    )
    encoded = base64.urlsafe_b64encode(token.encode()).decode("ascii").rstrip("=")
    return _SEPARATOR.join((iterator.stream_arn, ITERATOR_VERSION, encoded))


def decode(text: str) -> ShardIterator | None:
    """The iterator ``text`` encodes; None when openddb did not issue it."""
    parts = text.rsplit(_SEPARATOR, 2)
    if len(parts) != 3 or parts[1] != ITERATOR_VERSION:
        return None
    stream_arn, _, encoded = parts
    try:
        token = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    fields = token.split(_SEPARATOR)
    if len(fields) != 4 or fields[3] not in ("0", "1"):
        return None
    shard_id, after, issued_ms, flag = fields
    if not _is_integer(after) or not issued_ms.isdigit():
        return None
    return ShardIterator(stream_arn, shard_id, int(after), int(issued_ms), flag == "1")


def _is_integer(text: str) -> bool:
    digits = text[1:] if text.startswith("-") else text
    return digits.isascii() and digits.isdigit()
