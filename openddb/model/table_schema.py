"""Table definitions: CreateTable's semantic validation, and the stored TableDescription.

Shape constraints (required members, lengths, patterns, enums) are checked
before this by ``protocol/shapes.py``; this module checks what the model cannot
express: key schemas against attribute definitions, secondary indexes and their
projections, billing mode against throughput, stream and encryption settings.
Rules and their order follow the live service as recorded in
``shared/reference`` and the sources named in ``errors.py``; UpdateTable's
rules live in ``table_update.py`` and reuse the index and projection checks
here.

The stored description is the TableDescription of the API reference with every
member DynamoDB reports, minus what is computed when described (TableStatus,
ItemCount, TableSizeBytes, the daily decrease counter): see :func:`described`.
"""

from __future__ import annotations

import uuid
import zlib
from datetime import UTC, datetime
from typing import Any

from openddb import errors, limits

BILLING_PROVISIONED = "PROVISIONED"
BILLING_PAY_PER_REQUEST = "PAY_PER_REQUEST"
KEY_HASH = "HASH"
KEY_RANGE = "RANGE"
PROJECTION_INCLUDE = "INCLUDE"
INDEX_ACTIVE = "ACTIVE"
INDEX_CREATING = "CREATING"
SSE_KMS = "KMS"
SSE_AES256 = "AES256"
CAPACITY_MEMBERS = ("ReadCapacityUnits", "WriteCapacityUnits")
ON_DEMAND_MEMBERS = ("MaxReadRequestUnits", "MaxWriteRequestUnits")
WARM_MEMBERS = ("ReadUnitsPerSecond", "WriteUnitsPerSecond")
# OnDemandThroughput member value that clears the maximum (UpdateTable only).
ON_DEMAND_UNLIMITED = -1
# The AWS managed key alias DynamoDB uses when SSE is enabled without a key.
AWS_MANAGED_KEY_ALIAS = "alias/aws/dynamodb"

Json = dict[str, Any]


# --- CreateTable validation ------------------------------------------------------------


def validate_create_table(request: Json) -> None:
    """Raise ValidationException when a CreateTable request is inconsistent.

    The order of the checks is the service's where it is known (dynalite's
    validations, the ACK lab's probes); each step raises the first error it finds.
    """
    billing_mode = request.get("BillingMode", BILLING_PROVISIONED)
    _validate_key_schema_lengths(request)
    _validate_table_throughput(request.get("ProvisionedThroughput"), billing_mode)
    definitions = attribute_types(request["AttributeDefinitions"])
    _validate_table_key_schema(request["KeySchema"], definitions)
    _validate_definitions_used(request, definitions)
    index_names: set[str] = set()
    _validate_local_indexes(request, definitions, index_names)
    _validate_global_indexes(request, definitions, billing_mode, index_names)
    _validate_projected_attribute_total(request)
    _validate_stream_at_create(request.get("StreamSpecification"))
    validate_sse_specification(request.get("SSESpecification"))
    validate_on_demand(request.get("OnDemandThroughput"), billing_mode, None, at_create=True)
    _validate_warm_at_create(request, billing_mode)


def attribute_types(definitions: list[Json]) -> dict[str, str]:
    """AttributeName -> AttributeType, in request order; a name given twice is refused."""
    types: dict[str, str] = {}
    for definition in definitions:
        name = definition["AttributeName"]
        if name in types:
            raise errors.attribute_name_duplicated(name)
        types[name] = definition["AttributeType"]
    return types


def _validate_key_schema_lengths(request: Json) -> None:
    """LSI keys have at most two elements, like the table's (which ``protocol/shapes.py``
    checks); the model lost both maxima when GSIs gained multi-attribute keys."""
    for position, index in enumerate(request.get("LocalSecondaryIndexes", []), start=1):
        key_schema = index["KeySchema"]
        if len(key_schema) > limits.KEY_SCHEMA_ELEMENTS_MAX:
            path = f"localSecondaryIndexes.{position}.member.keySchema"
            shown = ", ".join(_java_object(JAVA_KEY_SCHEMA_ELEMENT, e) for e in key_schema)
            raise errors.key_schema_too_long(path, f"[{shown}]", limits.KEY_SCHEMA_ELEMENTS_MAX)


# The service prints a structure in a message as Java's Object.toString() does (ACK lab
# DDB-TABLE-042: "com.amazonaws.dynamodb.v20120810.KeySchemaElement@ad28eb1d"); the hash
# is arbitrary there, a checksum of the element here (as protocol/shapes.py does).
JAVA_KEY_SCHEMA_ELEMENT = "com.amazonaws.dynamodb.v20120810.KeySchemaElement"


def _java_object(java_class: str, value: Json) -> str:
    return f"{java_class}@{zlib.crc32(repr(value).encode()):x}"


def _validate_table_throughput(throughput: Json | None, billing_mode: str) -> None:
    if billing_mode == BILLING_PAY_PER_REQUEST:
        if throughput is not None:
            raise errors.throughput_not_allowed()
        return
    if throughput is None:
        raise errors.throughput_required()
    validate_capacity_bounds(throughput, None)


def validate_capacity_bounds(throughput: Json, index_name: str | None) -> None:
    """Values beyond any quota are a ValidationException, not LimitExceeded (dynalite)."""
    for member in CAPACITY_MEMBERS:
        if throughput[member] > limits.CAPACITY_UNITS_BOUND:
            raise errors.throughput_out_of_bounds(member, throughput[member], index_name)


def _validate_table_key_schema(key_schema: list[Json], definitions: dict[str, str]) -> None:
    names = [element["AttributeName"] for element in key_schema]
    if len(names) > len(definitions):
        raise errors.key_attribute_without_definition()
    validate_keys_defined(key_schema, definitions)
    _validate_hash_then_range(key_schema)


def validate_keys_defined(key_schema: list[Json], definitions: dict[str, str]) -> None:
    names = [element["AttributeName"] for element in key_schema]
    if any(name not in definitions for name in names):
        raise errors.index_keys_not_defined(names, list(definitions))


def _validate_hash_then_range(key_schema: list[Json]) -> None:
    """A one- or two-element key: HASH first, then RANGE, two different attributes."""
    if len(key_schema) == 2 and key_schema[0]["AttributeName"] == key_schema[1]["AttributeName"]:
        raise errors.hash_and_range_same_name()
    if key_schema[0]["KeyType"] != KEY_HASH:
        raise errors.first_key_not_hash()
    if len(key_schema) == 2 and key_schema[1]["KeyType"] != KEY_RANGE:
        raise errors.second_key_not_range()


def _validate_definitions_used(request: Json, definitions: dict[str, str]) -> None:
    """Every definition must be used by some key schema (checked before the index rules)."""
    if "LocalSecondaryIndexes" not in request and "GlobalSecondaryIndexes" not in request:
        if len(definitions) != len(request["KeySchema"]):
            raise errors.attribute_definitions_mismatch()
        return
    used = key_attribute_names(request)
    if any(name not in used for name in definitions):
        raise errors.attribute_definitions_unused(list(definitions), java_hash_set_order(used))


def key_attribute_names(request: Json) -> list[str]:
    """Attribute names used by the table's and its indexes' key schemas, first use first."""
    schemas = [request["KeySchema"]]
    schemas += [index["KeySchema"] for index in request.get("LocalSecondaryIndexes", [])]
    schemas += [index["KeySchema"] for index in request.get("GlobalSecondaryIndexes", [])]
    names: list[str] = []
    for schema in schemas:
        names += [e["AttributeName"] for e in schema if e["AttributeName"] not in names]
    return names


def java_hash_set_order(names: list[str]) -> list[str]:
    """``names`` in the iteration order of a ``java.util.HashSet`` holding them.

    DynamoDB prints "keys used" from such a set: two live captures
    (``[my-hash, my-string]``, ``[a, sk, pk]``) match this order and not the
    request's. A HashSet iterates its buckets in index order; a string's bucket
    is ``(h ^ (h >>> 16)) & (capacity - 1)`` with ``h = String.hashCode()``
    (``s[0]*31^(n-1) + ... + s[n-1]`` over UTF-16 units, 32-bit), capacity the
    smallest power of two >= 16 keeping the load factor <= 0.75; a bucket keeps
    insertion order.
    """
    capacity = 16
    while len(names) > capacity * 3 // 4:
        capacity *= 2
    buckets: dict[int, list[str]] = {}
    for name in names:
        code = _java_string_hash(name)
        buckets.setdefault((code ^ (code >> 16)) & (capacity - 1), []).append(name)
    return [name for bucket in sorted(buckets) for name in buckets[bucket]]


def _java_string_hash(text: str) -> int:
    code = 0
    units = text.encode("utf-16-be")
    for position in range(0, len(units), 2):
        code = (31 * code + int.from_bytes(units[position : position + 2], "big")) & 0xFFFFFFFF
    return code


def _validate_local_indexes(
    request: Json, definitions: dict[str, str], index_names: set[str]
) -> None:
    if "LocalSecondaryIndexes" not in request:
        return
    indexes = request["LocalSecondaryIndexes"]
    if not indexes:
        raise errors.index_list_empty("LocalSecondaryIndexes")
    table_key_schema = request["KeySchema"]
    if len(table_key_schema) != 2:
        raise errors.local_index_table_without_range()
    table_hash = table_key_schema[0]["AttributeName"]
    for index in indexes:
        _validate_local_index(index, definitions, table_hash)
        _claim_index_name(index["IndexName"], index_names)
    if len(indexes) > limits.LOCAL_SECONDARY_INDEXES_MAX:
        raise errors.local_index_count_exceeded(limits.LOCAL_SECONDARY_INDEXES_MAX)


def _validate_local_index(index: Json, definitions: dict[str, str], table_hash: str) -> None:
    name = index["IndexName"]
    key_schema = index["KeySchema"]
    validate_keys_defined(key_schema, definitions)
    _validate_hash_then_range(key_schema)
    if len(key_schema) != 2:
        raise errors.index_without_range(name)
    index_hash = key_schema[0]["AttributeName"]
    if index_hash != table_hash:
        raise errors.local_index_hash_mismatch(name, index_hash, table_hash)
    validate_projection(index["Projection"])


def _validate_global_indexes(
    request: Json, definitions: dict[str, str], billing_mode: str, index_names: set[str]
) -> None:
    if "GlobalSecondaryIndexes" not in request:
        return
    indexes = request["GlobalSecondaryIndexes"]
    if not indexes:
        raise errors.index_list_empty("GlobalSecondaryIndexes")
    for index in indexes:
        validate_keys_defined(index["KeySchema"], definitions)
        validate_global_key_schema(index["KeySchema"])
        validate_projection(index["Projection"])
        _validate_index_throughput_at_create(index, billing_mode)
        _claim_index_name(index["IndexName"], index_names)
    if len(indexes) > limits.GLOBAL_SECONDARY_INDEXES_MAX:
        raise errors.global_index_count_exceeded(limits.GLOBAL_SECONDARY_INDEXES_MAX)


def validate_global_key_schema(key_schema: list[Json]) -> None:
    """GSI keys: HASH first, all HASH before RANGE, at most 4 of each, no repeats."""
    if len(key_schema) == 2 and key_schema[0]["AttributeName"] == key_schema[1]["AttributeName"]:
        raise errors.hash_and_range_same_name()
    key_types = [element["KeyType"] for element in key_schema]
    if key_types[0] != KEY_HASH:
        raise errors.first_key_not_hash()
    if KEY_RANGE in key_types and KEY_HASH in key_types[key_types.index(KEY_RANGE) :]:
        raise errors.key_schema_hash_after_range()
    if key_types.count(KEY_HASH) > limits.GLOBAL_SECONDARY_INDEX_HASH_KEYS_MAX:
        raise errors.key_schema_too_many(KEY_HASH)
    if key_types.count(KEY_RANGE) > limits.GLOBAL_SECONDARY_INDEX_RANGE_KEYS_MAX:
        raise errors.key_schema_too_many(KEY_RANGE)
    names = [element["AttributeName"] for element in key_schema]
    if len(set(names)) != len(names):
        raise errors.key_schema_duplicate_names()


def validate_projection(projection: Json) -> None:
    projection_type = projection.get("ProjectionType")
    if projection_type is None:
        raise errors.projection_type_unknown()
    attributes = projection.get("NonKeyAttributes")
    if projection_type == PROJECTION_INCLUDE and attributes is None:
        raise errors.projection_include_without_attributes()
    if projection_type != PROJECTION_INCLUDE and attributes is not None:
        raise errors.projection_attributes_not_allowed(projection_type)
    seen: set[str] = set()
    for name in attributes or []:
        if name in seen:
            raise errors.projection_attribute_duplicated(name)
        seen.add(name)


def _validate_index_throughput_at_create(index: Json, billing_mode: str) -> None:
    name = index["IndexName"]
    throughput = index.get("ProvisionedThroughput")
    if billing_mode == BILLING_PAY_PER_REQUEST and throughput is not None:
        raise errors.index_throughput_not_allowed(name)
    if billing_mode == BILLING_PROVISIONED and throughput is None:
        raise errors.index_throughput_missing(name)
    validate_on_demand(index.get("OnDemandThroughput"), billing_mode, name, at_create=True)


def _claim_index_name(name: str, index_names: set[str]) -> None:
    """Index names are unique across a table's LSIs and GSIs."""
    if name in index_names:
        raise errors.index_name_duplicated(name)
    index_names.add(name)


def _validate_projected_attribute_total(request: Json) -> None:
    """At most 100 NonKeyAttributes over all indexes, repeats counted (ServiceQuotas)."""
    indexes = request.get("LocalSecondaryIndexes", []) + request.get("GlobalSecondaryIndexes", [])
    total = sum(len(index["Projection"].get("NonKeyAttributes", [])) for index in indexes)
    if total > limits.PROJECTED_ATTRIBUTES_MAX:
        raise errors.projected_attributes_too_many(limits.PROJECTED_ATTRIBUTES_MAX)


def _validate_stream_at_create(specification: Json | None) -> None:
    if specification is None:
        return
    if specification.get("StreamEnabled") and "StreamViewType" not in specification:
        raise errors.stream_view_type_required_at_create()
    if not specification.get("StreamEnabled") and "StreamViewType" in specification:
        raise errors.stream_view_type_not_allowed_at_create()


def validate_sse_specification(specification: Json | None) -> None:
    """SSESpecification rules shared by CreateTable and UpdateTable (ACK lab catalogue)."""
    if specification is None:
        return
    if specification.get("Enabled") is False:
        for member in ("SSEType", "KMSMasterKeyId"):
            if member in specification:
                raise errors.sse_member_without_enabled(member)
        return
    if specification.get("SSEType") == SSE_AES256:
        raise errors.sse_aes256_not_supported()
    if "KMSMasterKeyId" in specification and specification.get("SSEType") != SSE_KMS:
        raise errors.sse_kms_type_required()


def validate_on_demand(
    on_demand: Json | None, billing_mode: str, index_name: str | None, at_create: bool
) -> None:
    """OnDemandThroughput only on on-demand tables; members >= 1 (or -1 to clear, UpdateTable
    only)."""
    if not on_demand:
        return
    present = [member for member in ON_DEMAND_MEMBERS if member in on_demand]
    if billing_mode == BILLING_PROVISIONED:
        raise errors.on_demand_not_allowed(present[0], index_name, at_create)
    for member in present:
        value = on_demand[member]
        if value < 1 and (at_create or value != ON_DEMAND_UNLIMITED):
            raise errors.on_demand_out_of_range(member, index_name)


def _validate_warm_at_create(request: Json, billing_mode: str) -> None:
    """A PROVISIONED table's warm throughput may not be below its capacity. (The on-demand
    rule's message ends in a documentation link not captured yet: not enforced.)"""
    warm = request.get("WarmThroughput") or {}
    throughput = request.get("ProvisionedThroughput")
    if billing_mode != BILLING_PROVISIONED or throughput is None:
        return
    for member, capacity_member in zip(WARM_MEMBERS, CAPACITY_MEMBERS, strict=True):
        if member in warm and warm[member] < throughput[capacity_member]:
            raise errors.warm_below_provisioned(member, capacity_member)


# --- the stored TableDescription --------------------------------------------------------


def new_description(request: Json, table_arn: str, table_id: str, now: float) -> Json:
    """The stored TableDescription of a new table."""
    billing_mode = request.get("BillingMode", BILLING_PROVISIONED)
    throughput = request.get("ProvisionedThroughput")
    description: Json = {
        "AttributeDefinitions": sorted_definitions(request["AttributeDefinitions"]),
        "TableName": request["TableName"],
        "KeySchema": request["KeySchema"],
        "TableStatus": "CREATING",
        "CreationDateTime": now,
        "ProvisionedThroughput": throughput_description(throughput),
        "TableArn": table_arn,
        "TableId": table_id,
        "DeletionProtectionEnabled": bool(request.get("DeletionProtectionEnabled", False)),
        "WarmThroughput": warm_description(billing_mode, throughput, request.get("WarmThroughput")),
    }
    if billing_mode == BILLING_PAY_PER_REQUEST:
        description["BillingModeSummary"] = pay_per_request_summary(now)
    if "LocalSecondaryIndexes" in request:
        description["LocalSecondaryIndexes"] = [
            local_index_description(index, table_arn) for index in request["LocalSecondaryIndexes"]
        ]
    if "GlobalSecondaryIndexes" in request:
        description["GlobalSecondaryIndexes"] = [
            global_index_description(index, table_arn, billing_mode)
            for index in request["GlobalSecondaryIndexes"]
        ]
    if "TableClass" in request:
        description["TableClassSummary"] = {"TableClass": request["TableClass"]}
    if request.get("StreamSpecification", {}).get("StreamEnabled"):
        description.update(stream_description(request["StreamSpecification"], table_arn, now))
    if sse_enabled(request.get("SSESpecification")):
        description["SSEDescription"] = sse_description(request["SSESpecification"], table_arn)
    if request.get("OnDemandThroughput"):
        description["OnDemandThroughput"] = dict(request["OnDemandThroughput"])
    return description


def sorted_definitions(definitions: list[Json]) -> list[Json]:
    """DynamoDB returns AttributeDefinitions sorted by name (ACK lab DDB-TABLE-125), in
    Java String order (UTF-16 code units)."""
    return sorted(definitions, key=lambda definition: _java_order(definition["AttributeName"]))


def _java_order(text: str) -> bytes:
    return text.encode("utf-16-be")


def throughput_description(throughput: Json | None) -> Json:
    """ProvisionedThroughputDescription; on-demand tables and indexes report 0 and 0."""
    throughput = throughput or {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    return {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": throughput["ReadCapacityUnits"],
        "WriteCapacityUnits": throughput["WriteCapacityUnits"],
    }


def warm_description(
    billing_mode: str, throughput: Json | None, requested: Json | None, current: Json | None = None
) -> Json:
    """WarmThroughput as DescribeTable reports it (ACK lab DDB-TABLE-134): on-demand at least
    12000/4000, provisioned at least the capacity; it never decreases."""
    if billing_mode == BILLING_PAY_PER_REQUEST:
        floor = (
            limits.ON_DEMAND_WARM_READ_UNITS_PER_SECOND,
            limits.ON_DEMAND_WARM_WRITE_UNITS_PER_SECOND,
        )
    else:
        assert throughput is not None, "a PROVISIONED table or index has throughput"
        floor = (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"])
    requested = requested or {}
    current = current or {}
    values = {
        member: max(minimum, requested.get(member, 0), current.get(member, 0))
        for member, minimum in zip(WARM_MEMBERS, floor, strict=True)
    }
    return {**values, "Status": INDEX_ACTIVE}


def pay_per_request_summary(now: float) -> Json:
    return {"BillingMode": BILLING_PAY_PER_REQUEST, "LastUpdateToPayPerRequestDateTime": now}


def billing_mode_of(description: Json) -> str:
    """BillingModeSummary is absent on tables that were never on-demand."""
    mode: str = description.get("BillingModeSummary", {}).get("BillingMode", BILLING_PROVISIONED)
    return mode


def projection_description(projection: Json) -> Json:
    """NonKeyAttributes come back sorted by name (ACK lab DDB-TABLE-125)."""
    described = dict(projection)
    if "NonKeyAttributes" in described:
        described["NonKeyAttributes"] = sorted(described["NonKeyAttributes"], key=_java_order)
    return described


def local_index_description(index: Json, table_arn: str) -> Json:
    """LocalSecondaryIndexDescription: no status, no throughput."""
    return {
        "IndexName": index["IndexName"],
        "KeySchema": index["KeySchema"],
        "Projection": projection_description(index["Projection"]),
        "IndexSizeBytes": 0,
        "ItemCount": 0,
        "IndexArn": f"{table_arn}/index/{index['IndexName']}",
    }


def global_index_description(index: Json, table_arn: str, billing_mode: str) -> Json:
    """GlobalSecondaryIndexDescription of a new index (IndexStatus ACTIVE: backfilling is
    instantaneous until the index issue)."""
    throughput = index.get("ProvisionedThroughput")
    described: Json = {
        "IndexName": index["IndexName"],
        "KeySchema": index["KeySchema"],
        "Projection": projection_description(index["Projection"]),
        "IndexStatus": INDEX_ACTIVE,
        "ProvisionedThroughput": throughput_description(throughput),
        "IndexSizeBytes": 0,
        "ItemCount": 0,
        "IndexArn": f"{table_arn}/index/{index['IndexName']}",
        "WarmThroughput": warm_description(billing_mode, throughput, index.get("WarmThroughput")),
    }
    if index.get("OnDemandThroughput"):
        described["OnDemandThroughput"] = dict(index["OnDemandThroughput"])
    return described


def stream_label(now: float) -> str:
    """ISO-8601 with milliseconds and no zone (API reference, LatestStreamLabel)."""
    moment = datetime.fromtimestamp(now, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def stream_description(specification: Json, table_arn: str, now: float) -> Json:
    """StreamSpecification plus the new stream's label and ARN (``<table arn>/stream/<label>``)."""
    label = stream_label(now)
    return {
        "StreamSpecification": {
            "StreamEnabled": True,
            "StreamViewType": specification["StreamViewType"],
        },
        "LatestStreamLabel": label,
        "LatestStreamArn": f"{table_arn}/stream/{label}",
    }


def sse_enabled(specification: Json | None) -> bool:
    """``{}`` means the default (AWS owned key, no SSEDescription); ``{"SSEType": "KMS"}``
    alone enables KMS encryption (ACK lab DDB-TABLE-044)."""
    if not specification:
        return False
    enabled = specification.get("Enabled")
    return bool(enabled) if enabled is not None else specification.get("SSEType") == SSE_KMS


def sse_description(specification: Json, table_arn: str) -> Json:
    return {
        "Status": "ENABLED",
        "SSEType": SSE_KMS,
        "KMSMasterKeyArn": kms_key_arn(specification.get("KMSMasterKeyId"), table_arn),
    }


def kms_key_arn(key_id: str | None, table_arn: str) -> str:
    """The key ARN DynamoDB reports for a KMSMasterKeyId (ARN, key id or alias).

    There is no KMS here: aliases (and the AWS managed key used when none is given)
    map to a stable, made-up key id derived from the account, Region and alias.
    """
    if key_id is not None and key_id.startswith("arn:"):
        return key_id
    _, _, _, region, account, _ = table_arn.split(":", 5)
    key_id = key_id or AWS_MANAGED_KEY_ALIAS
    if key_id.startswith("alias/"):
        key_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"kms:{region}:{account}:{key_id}"))
    return f"arn:aws:kms:{region}:{account}:key/{key_id}"


# --- describing ------------------------------------------------------------------------


def described(description: Json, table_status: str, now: float) -> Json:
    """The TableDescription to answer at ``now`` for a table in ``table_status``.

    A CREATING table's indexes are CREATING too; the provisioned-throughput decrease
    counters restart every UTC day.
    """
    answer = dict(description)
    answer["TableStatus"] = table_status
    answer["ProvisionedThroughput"] = _throughput_today(description["ProvisionedThroughput"], now)
    if "GlobalSecondaryIndexes" in description:
        answer["GlobalSecondaryIndexes"] = [
            _global_index_now(index, table_status, now)
            for index in description["GlobalSecondaryIndexes"]
        ]
    return answer


def _global_index_now(index: Json, table_status: str, now: float) -> Json:
    answer = dict(index)
    if table_status == INDEX_CREATING:
        answer["IndexStatus"] = INDEX_CREATING
    answer["ProvisionedThroughput"] = _throughput_today(index["ProvisionedThroughput"], now)
    return answer


def _throughput_today(throughput: Json, now: float) -> Json:
    answer = dict(throughput)
    answer["NumberOfDecreasesToday"] = decreases_today(throughput, now)
    return answer


def decreases_today(throughput: Json, now: float) -> int:
    """NumberOfDecreasesToday, which counts decreases of the current UTC day only."""
    last = throughput.get("LastDecreaseDateTime")
    if last is None or _utc_day(last) != _utc_day(now):
        return 0
    count: int = throughput["NumberOfDecreasesToday"]
    return count


def _utc_day(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).strftime("%Y-%m-%d")


def create_answer(description: Json, request: Json) -> Json:
    """CreateTable's answer lacks what DynamoDB computes later (ACK lab DDB-TABLE-134, 028):
    WarmThroughput unless requested, and the LastUpdateToPayPerRequestDateTime."""
    answer = dict(description)
    if "WarmThroughput" not in request:
        answer.pop("WarmThroughput", None)
    if "BillingModeSummary" in answer:
        answer["BillingModeSummary"] = {"BillingMode": answer["BillingModeSummary"]["BillingMode"]}
    if "GlobalSecondaryIndexes" in answer:
        requested = {index["IndexName"]: index for index in request["GlobalSecondaryIndexes"]}
        answer["GlobalSecondaryIndexes"] = [
            {k: v for k, v in index.items()
             if k != "WarmThroughput" or "WarmThroughput" in requested[index["IndexName"]]}
            for index in answer["GlobalSecondaryIndexes"]
        ]
    return answer


# DeleteTable answers a short TableDescription: no key schema, attribute definitions,
# creation time or indexes (Alternator test_delete_table_description*, run against
# DynamoDB); which other members it keeps beyond these is inferred.
DELETE_ANSWER_MEMBERS = (
    "TableName",
    "TableStatus",
    "TableId",
    "TableArn",
    "BillingModeSummary",
    "ProvisionedThroughput",
    "TableSizeBytes",
    "ItemCount",
)


def delete_answer(answer: Json) -> Json:
    return {member: answer[member] for member in DELETE_ANSWER_MEMBERS if member in answer}
