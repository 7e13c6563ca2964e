"""Stream records: what a change stores, and the record GetRecords and triggers return.

A record (GetRecords ``Records[]``, behaviours.md 5.2; botocore ``Record``)::

    {"eventID": "<32 hex>", "eventName": "INSERT" | "MODIFY" | "REMOVE",
     "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "<region>",
     "dynamodb": {"ApproximateCreationDateTime": <epoch seconds, rounded down>,
                  "Keys": {...}, "NewImage": {...}, "OldImage": {...},
                  "SequenceNumber": "<decimal>", "SizeBytes": <n>, "StreamViewType": "..."},
     "userIdentity": {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}}  # TTL only

NewImage is kept for NEW_IMAGE and NEW_AND_OLD_IMAGES, OldImage for OLD_IMAGE and
NEW_AND_OLD_IMAGES, only Keys for KEYS_ONLY. SizeBytes is the DynamoDB size of Keys plus
the images the record carries: the Developer Guide's Lambda tutorial records (26, 59 and
38 bytes for its INSERT, MODIFY and REMOVE) all add up that way. Images are stored as the
item's wire JSON and returned without re-encoding. The eventID is derived from the
stream, shard and sequence number, so it is stable across reads and processes.

Lambda events (``lambda_event``) carry the same records plus ``eventSourceARN``, and
spell userIdentity's members ``type`` / ``principalId`` (Lambda's casing differs from
GetRecords' ``Type`` / ``PrincipalId``).
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import orjson

from openddb.model.item import KeyAttribute, PrimaryKey
from openddb.model.keys import decode_key_value
from openddb.model.number import number_size
from openddb.model.table import Table
from openddb.storage.engine import (
    NewStreamRecord,
    StoredItem,
    StoredStream,
    StoredStreamRecord,
)
from openddb.streams.shards import sequence_number_text

# eventName values (API reference Record).
EVENT_INSERT = "INSERT"
EVENT_MODIFY = "MODIFY"
EVENT_REMOVE = "REMOVE"
EVENT_VERSION = "1.1"
EVENT_SOURCE = "aws:dynamodb"
SERVICE_IDENTITY_TYPE = "Service"
# StreamViewType values.
VIEW_KEYS_ONLY = "KEYS_ONLY"
VIEW_NEW_IMAGE = "NEW_IMAGE"
VIEW_OLD_IMAGE = "OLD_IMAGE"
VIEW_NEW_AND_OLD_IMAGES = "NEW_AND_OLD_IMAGES"
_WITH_NEW_IMAGE = frozenset({VIEW_NEW_IMAGE, VIEW_NEW_AND_OLD_IMAGES})
_WITH_OLD_IMAGE = frozenset({VIEW_OLD_IMAGE, VIEW_NEW_AND_OLD_IMAGES})
# Bytes a record's envelope (event names, identifiers, numbers) adds to its images, used
# to keep a GetRecords answer within its 1 MB.
RECORD_ENVELOPE_BYTES = 400
_SET_TYPES = frozenset({"SS", "NS", "BS"})
_SET_MARKERS = tuple(f'"{kind}":'.encode() for kind in sorted(_SET_TYPES))


def changed(old: StoredItem | None, new: StoredItem | None) -> bool:
    """Whether replacing ``old`` by ``new`` changes the item (no record otherwise: DG
    Streams, "a PutItem or UpdateItem that does not change any data")."""
    if old is None or new is None:
        return old is not new
    if old[1] != new[1]:
        return True
    if old[0] == new[0]:
        return False
    old_item, new_item = orjson.loads(old[0]), orjson.loads(new[0])
    if old_item == new_item:
        return False  # attributes in another order
    if not any(marker in new[0] for marker in _SET_MARKERS):
        return True  # no set whose members could merely be reordered
    different: bool = _comparable(old_item) != _comparable(new_item)
    return different


def _comparable(value: Any) -> Any:
    """Attribute values with set members unordered (a set is equal in any order)."""
    if isinstance(value, dict):
        return {
            name: frozenset(member) if name in _SET_TYPES else _comparable(member)
            for name, member in value.items()
        }
    if isinstance(value, list):
        return [_comparable(element) for element in value]
    return value


def _key_value(attribute: KeyAttribute, encoded: bytes) -> tuple[dict[str, str], int]:
    """A key attribute's value and DynamoDB size: the key bytes of S and B are the UTF-8
    and raw bytes themselves (model/keys.py), so only N needs its decoded text."""
    value = decode_key_value(attribute.attribute_type, encoded)
    size = number_size(value) if attribute.attribute_type == "N" else len(encoded)
    return {attribute.attribute_type: value}, len(attribute.name.encode("utf-8")) + size


def keys_of(table: Table, key: PrimaryKey) -> tuple[bytes, int]:
    """The record's ``Keys`` (wire JSON) and their DynamoDB size."""
    value, size = _key_value(table.partition_key, key.partition_key)
    keys = {table.partition_key.name: value}
    if table.sort_key is not None:
        value, sort_size = _key_value(table.sort_key, key.sort_key)
        keys[table.sort_key.name] = value
        size += sort_size
    return orjson.dumps(keys), size


def change_record(
    view_type: str,
    keys: tuple[bytes, int],
    old: StoredItem | None,
    new: StoredItem | None,
    now: float,
    user_identity: str | None,
) -> NewStreamRecord:
    """The record of a change (``changed(old, new)`` must hold) for a stream of
    ``view_type``."""
    assert old is not None or new is not None, "a change has an old or a new item"
    if old is None:
        event_name = EVENT_INSERT
    elif new is None:
        event_name = EVENT_REMOVE
    else:
        event_name = EVENT_MODIFY
    new_image = new if new is not None and view_type in _WITH_NEW_IMAGE else None
    old_image = old if old is not None and view_type in _WITH_OLD_IMAGE else None
    size = keys[1]
    size += 0 if new_image is None else new_image[1]
    size += 0 if old_image is None else old_image[1]
    return NewStreamRecord(
        now,
        event_name,
        keys[0],
        None if new_image is None else new_image[0],
        None if old_image is None else old_image[0],
        size,
        user_identity,
    )


def region_of(stream_arn: str) -> str:
    """The Region of an ARN (``arn:aws:dynamodb:<region>:...``)."""
    return stream_arn.split(":", 4)[3]


def event_id(stream_arn: str, shard_id: str, sequence_number: int) -> str:
    return hashlib.md5(
        f"{stream_arn}|{shard_id}|{sequence_number}".encode(), usedforsecurity=False
    ).hexdigest()


def wire_size(record: StoredStreamRecord) -> int:
    """About how many bytes ``record`` takes in a GetRecords answer."""
    size = RECORD_ENVELOPE_BYTES + len(record.keys)
    size += 0 if record.new_image is None else len(record.new_image)
    size += 0 if record.old_image is None else len(record.old_image)
    return size


def _dynamodb(
    record: StoredStreamRecord, stream: StoredStream, decode: bool
) -> dict[str, Any]:
    def image(data: bytes) -> Any:
        return orjson.loads(data) if decode else orjson.Fragment(data)

    dynamodb: dict[str, Any] = {
        "ApproximateCreationDateTime": math.floor(record.created_at),
        "Keys": image(record.keys),
    }
    if record.new_image is not None:
        dynamodb["NewImage"] = image(record.new_image)
    if record.old_image is not None:
        dynamodb["OldImage"] = image(record.old_image)
    dynamodb["SequenceNumber"] = sequence_number_text(record.sequence_number)
    dynamodb["SizeBytes"] = record.size_bytes
    dynamodb["StreamViewType"] = stream.stream_view_type
    return dynamodb


def _envelope(record: StoredStreamRecord, stream: StoredStream, shard_id: str) -> dict[str, Any]:
    return {
        "eventID": event_id(stream.stream_arn, shard_id, record.sequence_number),
        "eventName": record.event_name,
        "eventVersion": EVENT_VERSION,
        "eventSource": EVENT_SOURCE,
        "awsRegion": region_of(stream.stream_arn),
    }


def wire_record(record: StoredStreamRecord, stream: StoredStream, shard_id: str) -> dict[str, Any]:
    """The record as GetRecords returns it (images embedded as stored, not re-encoded)."""
    answer = _envelope(record, stream, shard_id)
    answer["dynamodb"] = _dynamodb(record, stream, decode=False)
    if record.user_identity is not None:
        answer["userIdentity"] = {"PrincipalId": record.user_identity,
                                  "Type": SERVICE_IDENTITY_TYPE}
    return answer


def lambda_record(
    record: StoredStreamRecord, stream: StoredStream, shard_id: str
) -> dict[str, Any]:
    """The record as a Lambda event carries it: decoded, with ``eventSourceARN`` and
    Lambda's ``userIdentity`` casing."""
    answer = _envelope(record, stream, shard_id)
    answer["dynamodb"] = _dynamodb(record, stream, decode=True)
    answer["eventSourceARN"] = stream.stream_arn
    if record.user_identity is not None:
        answer["userIdentity"] = {"type": SERVICE_IDENTITY_TYPE,
                                  "principalId": record.user_identity}
    return answer
