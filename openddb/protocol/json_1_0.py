"""AWS JSON 1.0 as DynamoDB speaks it: target header, bodies, error envelope, CRC32.

Request: ``POST /`` with ``X-Amz-Target: DynamoDB_20120810.<Operation>`` (or
``DynamoDBStreams_20120810.<Operation>``) and a JSON object body. Response:
``Content-Type: application/x-amz-json-1.0``, ``x-amzn-RequestId`` and
``x-amz-crc32`` (unsigned CRC-32 of the exact body bytes, which botocore
verifies). Errors: ``{"__type": "<namespace>#<Code>", "message": "..."}``.
Source: ``shared/reference/dynamodb-api.md`` section 2.
"""

from __future__ import annotations

import random
import zlib
from typing import Any

import orjson

from openddb import errors

CONTENT_TYPE = "application/x-amz-json-1.0"
DYNAMODB_SERVICE = "DynamoDB_20120810"
STREAMS_SERVICE = "DynamoDBStreams_20120810"
SERVICES = frozenset({DYNAMODB_SERVICE, STREAMS_SERVICE})

REQUEST_ID_LENGTH = 52


def split_target(target: str | None) -> tuple[str, str]:
    """``(service, operation)`` of an ``X-Amz-Target`` header value.

    Raises UnknownOperationException when the header is missing or names no
    known service.
    """
    if not target:
        raise errors.unknown_operation()
    service, _, operation = target.partition(".")
    if service not in SERVICES or not operation:
        raise errors.unknown_operation()
    return service, operation


def decode_request(body: bytes) -> dict[str, Any]:
    """The request object of a JSON body. Raises SerializationException when the body
    is empty, not JSON, or not a JSON object."""
    if not body:
        raise errors.serialization_error()
    try:
        request = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise errors.serialization_error() from None
    if not isinstance(request, dict):
        raise errors.serialization_error(errors.not_an_object_text())
    if b"null" in body:  # cheap test first: almost no request carries a JSON null
        _drop_null_members(request)
    return request


def _drop_null_members(value: Any) -> None:
    """Remove object members and list elements that are JSON null, at every depth.

    The service's deserializer treats ``"Member": null`` as a member that was not
    sent, so handlers only ever see present members with real values. Null list
    elements are dropped the same way (what the service does with them is not
    documented; dropping them can never reach a handler as a ``None``).
    """
    if isinstance(value, dict):
        for key in [key for key, member in value.items() if member is None]:
            del value[key]
        for member in value.values():
            _drop_null_members(member)
    elif isinstance(value, list):
        if None in value:
            value[:] = [member for member in value if member is not None]
        for member in value:
            _drop_null_members(member)


def encode_response(response: dict[str, Any]) -> bytes:
    """JSON bytes of a handler's response dict (``orjson.Fragment`` values are spliced)."""
    return orjson.dumps(response)


def encode_error(error: errors.DynamoDBError) -> bytes:
    return orjson.dumps(error.to_body())


def crc32(body: bytes) -> str:
    """The ``x-amz-crc32`` header value: unsigned CRC-32 of ``body`` as a decimal string."""
    return str(zlib.crc32(body) & 0xFFFFFFFF)


def new_request_id(rng: random.Random) -> str:
    """An ``x-amzn-RequestId``: 52 upper-case hexadecimal characters (the service's are
    52 upper-case letters and digits; clients treat them as opaque)."""
    return f"{rng.getrandbits(REQUEST_ID_LENGTH * 4):0{REQUEST_ID_LENGTH}X}"
