"""Table definitions: CreateTable/UpdateTable semantic validation and the stored
TableDescription they produce.

Shape constraints (lengths, patterns, enums, required members) are checked
before this by ``protocol/shapes.py``; this module checks what the model
cannot express: key schema consistency, attribute definitions, billing mode
versus throughput. Texts: ``shared/reference/dynamodb-api.md`` section 4.
Source of the rules: API reference CreateTable / UpdateTable.
"""

from __future__ import annotations

from typing import Any

from openddb import errors

BILLING_PROVISIONED = "PROVISIONED"
BILLING_PAY_PER_REQUEST = "PAY_PER_REQUEST"


def validate_create_table(request: dict[str, Any]) -> None:
    """Raise ValidationException when a CreateTable request is inconsistent."""
    key_schema = request["KeySchema"]
    definitions = request["AttributeDefinitions"]
    _validate_key_schema(key_schema)
    defined = {
        definition["AttributeName"]: definition["AttributeType"] for definition in definitions
    }
    key_names = [element["AttributeName"] for element in key_schema]
    missing = [name for name in key_names if name not in defined]
    if missing:
        raise errors.index_keys_not_defined(key_names, list(defined))
    if len(defined) != len(key_names):
        raise errors.attribute_definitions_mismatch()
    _validate_billing(request)


def _validate_key_schema(key_schema: list[dict[str, str]]) -> None:
    if key_schema[0]["KeyType"] != "HASH":
        raise errors.first_key_not_hash()
    if len(key_schema) == 2:
        if key_schema[1]["KeyType"] != "RANGE":
            raise errors.second_key_not_range()
        if key_schema[0]["AttributeName"] == key_schema[1]["AttributeName"]:
            raise errors.hash_and_range_same_name()


def _validate_billing(request: dict[str, Any]) -> None:
    billing_mode = request.get("BillingMode", BILLING_PROVISIONED)
    throughput = request.get("ProvisionedThroughput")
    if billing_mode == BILLING_PROVISIONED and throughput is None:
        raise errors.throughput_required()
    if billing_mode == BILLING_PAY_PER_REQUEST and throughput is not None:
        raise errors.throughput_not_allowed()


def new_description(
    request: dict[str, Any], table_arn: str, table_id: str, now: float
) -> dict[str, Any]:
    """The stored TableDescription of a new table (status CREATING)."""
    billing_mode = request.get("BillingMode", BILLING_PROVISIONED)
    description: dict[str, Any] = {
        "AttributeDefinitions": request["AttributeDefinitions"],
        "TableName": request["TableName"],
        "KeySchema": request["KeySchema"],
        "TableStatus": "CREATING",
        "CreationDateTime": now,
        "ProvisionedThroughput": _throughput_description(request.get("ProvisionedThroughput")),
        "TableArn": table_arn,
        "TableId": table_id,
        "DeletionProtectionEnabled": bool(request.get("DeletionProtectionEnabled", False)),
    }
    if "BillingMode" in request:
        description["BillingModeSummary"] = _billing_summary(billing_mode, now)
    if "TableClass" in request:
        description["TableClassSummary"] = {"TableClass": request["TableClass"]}
    if "StreamSpecification" in request:
        description["StreamSpecification"] = request["StreamSpecification"]
    if request.get("SSESpecification", {}).get("Enabled"):
        description["SSEDescription"] = _sse_description(request["SSESpecification"])
    if "OnDemandThroughput" in request:
        description["OnDemandThroughput"] = request["OnDemandThroughput"]
    return description


def updated_description(
    description: dict[str, Any], request: dict[str, Any], now: float
) -> dict[str, Any]:
    """The stored TableDescription after an UpdateTable request."""
    updated = dict(description)
    if "AttributeDefinitions" in request:
        updated["AttributeDefinitions"] = request["AttributeDefinitions"]
    if "BillingMode" in request:
        updated["BillingModeSummary"] = _billing_summary(request["BillingMode"], now)
        if request["BillingMode"] == BILLING_PAY_PER_REQUEST:
            updated["ProvisionedThroughput"] = _throughput_description(None)
    if "ProvisionedThroughput" in request:
        updated["ProvisionedThroughput"] = _throughput_description(request["ProvisionedThroughput"])
    if "DeletionProtectionEnabled" in request:
        updated["DeletionProtectionEnabled"] = request["DeletionProtectionEnabled"]
    if "TableClass" in request:
        updated["TableClassSummary"] = {
            "TableClass": request["TableClass"],
            "LastUpdateDateTime": now,
        }
    if "StreamSpecification" in request:
        updated["StreamSpecification"] = request["StreamSpecification"]
    if "SSESpecification" in request:
        updated["SSEDescription"] = _sse_description(request["SSESpecification"])
    if "OnDemandThroughput" in request:
        updated["OnDemandThroughput"] = request["OnDemandThroughput"]
    return updated


def _throughput_description(throughput: dict[str, int] | None) -> dict[str, Any]:
    throughput = throughput or {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    return {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": throughput["ReadCapacityUnits"],
        "WriteCapacityUnits": throughput["WriteCapacityUnits"],
    }


def _billing_summary(billing_mode: str, now: float) -> dict[str, Any]:
    summary: dict[str, Any] = {"BillingMode": billing_mode}
    if billing_mode == BILLING_PAY_PER_REQUEST:
        summary["LastUpdateToPayPerRequestDateTime"] = now
    return summary


def _sse_description(specification: dict[str, Any]) -> dict[str, Any]:
    sse: dict[str, Any] = {"Status": "ENABLED", "SSEType": specification.get("SSEType", "KMS")}
    if "KMSMasterKeyId" in specification:
        sse["KMSMasterKeyArn"] = specification["KMSMasterKeyId"]
    return sse
