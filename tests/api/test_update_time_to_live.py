"""UpdateTimeToLive: validation, the echoed specification, and the service's refusals.

Expected texts are live answers (ACK lab DDB-TABLE-143, 146, 147; the Terraform provider
and the CDK compare several of them for equality; localstack#9038 for the missing table).
Rules that need time to pass (the interval between changes, ENABLING / DISABLING) are in
tests/features/test_ttl_settings.py, on a virtual clock.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from conftest import REGION, error_of

INTERVAL_TEXT = "Time to live has been modified multiple times within a fixed interval"


def update(dynamodb: Any, table: str, enabled: bool, attribute: str = "expiresAt") -> Any:
    return dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute}
    )


def refusal(dynamodb: Any, table: str, enabled: bool, attribute: str = "expiresAt") -> Any:
    with pytest.raises(dynamodb.exceptions.ClientError) as excinfo:
        update(dynamodb, table, enabled, attribute)
    return error_of(excinfo)


# --- serialization and validation -------------------------------------------------------


@pytest.fixture(scope="module")
def unvalidated(endpoint: str) -> Any:
    """A client that sends what it is given (botocore's own checks off)."""
    import boto3

    return boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False, retries={"max_attempts": 1}),
    )


def test_attribute_name_longer_than_255_is_refused(dynamodb: Any, make_table: Any) -> None:
    name = "a" * 256
    code, message = refusal(dynamodb, make_table(), True, name)
    assert code == "ValidationException"
    assert message == (
        f"1 validation error detected: Value '{name}' at "
        "'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255"
    )


def test_missing_attribute_name_is_refused(unvalidated: Any, make_table: Any) -> None:
    with pytest.raises(unvalidated.exceptions.ClientError) as excinfo:
        unvalidated.update_time_to_live(
            TableName=make_table(), TimeToLiveSpecification={"Enabled": False}
        )
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message == (
        "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' "
        "failed to satisfy constraint: Member must not be null"
    )


def test_missing_table_name_is_refused(unvalidated: Any) -> None:
    with pytest.raises(unvalidated.exceptions.ClientError) as excinfo:
        unvalidated.update_time_to_live(
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "The parameter 'TableName' is required but was not present in the request",
    )


def test_missing_table_is_not_found(dynamodb: Any, table_name: str) -> None:
    code, message = refusal(dynamodb, table_name, True)
    assert code == "ResourceNotFoundException"
    assert message == f"Requested resource not found: Table: {table_name} not found"


# --- behaviour ------------------------------------------------------------------------


def test_enabling_echoes_the_specification(dynamodb: Any, make_table: Any) -> None:
    answer = update(dynamodb, make_table(), True)
    assert answer["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expiresAt"}


def test_a_table_arn_names_the_table(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    update(dynamodb, arn, True)
    description = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert description["TimeToLiveStatus"] == "ENABLED"


def test_a_key_attribute_may_be_the_ttl_attribute(dynamodb: Any, make_table: Any) -> None:
    """Accepted by the service (ACK lab DDB-TABLE-146)."""
    table = make_table("pk", "S", "expiry", "N")
    update(dynamodb, table, True, "expiry")
    description = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert description == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiry"}


def test_enabling_twice_is_refused(dynamodb: Any, make_table: Any) -> None:
    """The specification is checked before the interval (DDB-TABLE-147)."""
    table = make_table()
    update(dynamodb, table, True)
    assert refusal(dynamodb, table, True) == (
        "ValidationException", "TimeToLive is already enabled"
    )


def test_enabling_another_attribute_names_the_current_one(
    dynamodb: Any, make_table: Any
) -> None:
    table = make_table()
    update(dynamodb, table, True, "ttl_a")
    assert refusal(dynamodb, table, True, "ttl_b") == (
        "ValidationException",
        "TimeToLive is active on a different AttributeName: current AttributeName is ttl_a",
    )


def test_disabling_a_table_without_ttl_is_refused(dynamodb: Any, make_table: Any) -> None:
    assert refusal(dynamodb, make_table(), False) == (
        "ValidationException", "TimeToLive is already disabled"
    )


def test_disabling_must_name_the_current_attribute(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    update(dynamodb, table, True, "ttl_a")
    assert refusal(dynamodb, table, False, "ttl_b") == (
        "ValidationException",
        "TimeToLive is active on a different AttributeName: current AttributeName is ttl_a",
    )


def test_disabling_right_after_enabling_is_refused(dynamodb: Any, make_table: Any) -> None:
    """Live: refused 8 s after a successful enable (DDB-TABLE-143)."""
    table = make_table()
    update(dynamodb, table, True)
    assert refusal(dynamodb, table, False) == ("ValidationException", INTERVAL_TEXT)
    description = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert description == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"}


def test_describe_table_does_not_show_ttl(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    before = dynamodb.describe_table(TableName=table)["Table"]
    update(dynamodb, table, True)
    after = dynamodb.describe_table(TableName=table)["Table"]
    assert set(after) == set(before)
    assert "TimeToLive" not in str(after)
