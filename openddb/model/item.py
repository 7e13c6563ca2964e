"""Items and their primary keys: key extraction, key validation, size limit.

A table's primary key is a partition key and an optional sort key, each of
type S, N or B (Developer Guide, "Core components"). Stored keys are the
order-preserving bytes of :mod:`openddb.model.keys`; a hash-only table stores
the empty byte string as its sort key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openddb import errors, limits
from openddb.model.attribute_value import decode_binary
from openddb.model.keys import encode_key_value, hash_token
from openddb.model.number import canonical_number

NO_SORT_KEY = b""


@dataclass(frozen=True, slots=True)
class KeyAttribute:
    """One element of a key schema: attribute name and its scalar type (S, N or B)."""

    name: str
    attribute_type: str


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    """A located item: hash token, encoded partition key and encoded sort key."""

    hash_token: int
    partition_key: bytes
    sort_key: bytes


def _key_value_size(attribute_type: str, value: str) -> int:
    if attribute_type == "B":
        return len(decode_binary(value))
    return len(value.encode("utf-8"))


def _encode_checked(
    attribute: KeyAttribute, attribute_value: dict[str, Any], size_max: int, for_item: bool
) -> bytes:
    attribute_type = attribute.attribute_type
    value = attribute_value.get(attribute_type)
    if value is None or len(attribute_value) != 1:
        actual = next(iter(attribute_value), "")
        if for_item:
            raise errors.key_type_mismatch(attribute.name, attribute_type, actual)
        raise errors.key_schema_mismatch()
    if attribute_type == "N":
        value = canonical_number(value)
        attribute_value["N"] = value
    elif value == "":
        if attribute_type == "S":
            raise errors.empty_key_value(attribute.name)
        raise errors.empty_binary_key_value(attribute.name)
    if _key_value_size(attribute_type, value) > size_max:
        if size_max == limits.PARTITION_KEY_BYTES_MAX:
            raise errors.partition_key_too_large(size_max)
        raise errors.sort_key_too_large(size_max)
    return encode_key_value(attribute_type, value)


def primary_key_of_item(
    item: dict[str, Any],
    partition: KeyAttribute,
    sort: KeyAttribute | None,
    as_schema_mismatch: bool = False,
) -> PrimaryKey:
    """The primary key of a full item (PutItem, BatchWriteItem put).

    Raises ValidationException "Missing the key <name> in the item", "Type
    mismatch for key ...", empty-key and key-size errors. With
    ``as_schema_mismatch`` (BatchWriteItem) a missing or mistyped key attribute
    is "The provided key element does not match the schema" instead.
    """
    detailed = not as_schema_mismatch
    partition_value = item.get(partition.name)
    if partition_value is None:
        raise errors.missing_key(partition.name) if detailed else errors.key_schema_mismatch()
    partition_key = _encode_checked(
        partition, partition_value, limits.PARTITION_KEY_BYTES_MAX, detailed
    )
    sort_key = NO_SORT_KEY
    if sort is not None:
        sort_value = item.get(sort.name)
        if sort_value is None:
            raise errors.missing_key(sort.name) if detailed else errors.key_schema_mismatch()
        sort_key = _encode_checked(sort, sort_value, limits.SORT_KEY_BYTES_MAX, detailed)
    return PrimaryKey(hash_token(partition_key), partition_key, sort_key)


def primary_key_of_key(
    key: dict[str, Any], partition: KeyAttribute, sort: KeyAttribute | None
) -> PrimaryKey:
    """The primary key given as a ``Key`` member (GetItem, DeleteItem, UpdateItem).

    The map must hold exactly the key attributes with their declared types;
    otherwise "The provided key element does not match the schema".
    """
    expected = 1 if sort is None else 2
    if len(key) != expected:
        raise errors.key_schema_mismatch()
    partition_value = key.get(partition.name)
    if partition_value is None:
        raise errors.key_schema_mismatch()
    partition_key = _encode_checked(
        partition, partition_value, limits.PARTITION_KEY_BYTES_MAX, False
    )
    sort_key = NO_SORT_KEY
    if sort is not None:
        sort_value = key.get(sort.name)
        if sort_value is None:
            raise errors.key_schema_mismatch()
        sort_key = _encode_checked(sort, sort_value, limits.SORT_KEY_BYTES_MAX, False)
    return PrimaryKey(hash_token(partition_key), partition_key, sort_key)


def project_attributes(item: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The top-level attributes of ``item`` named in ``names`` (AttributesToGet)."""
    return {name: item[name] for name in names if name in item}
