"""DescribeTimeToLive: the status, and the attribute name unless DISABLED.

A never-configured table answers only ``TimeToLiveStatus: DISABLED`` (ACK lab
DDB-TABLE-144); a missing table the control-plane not-found text (localstack#9038, checked
against AWS). Statuses over time (ENABLING, DISABLING, a disabled table forgetting its
attribute) are in tests/features/test_ttl_settings.py, on a virtual clock.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import error_of


def test_a_new_table_has_ttl_disabled(dynamodb: Any, make_table: Any) -> None:
    answer = dynamodb.describe_time_to_live(TableName=make_table())
    assert answer["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}


def test_an_enabled_table_names_its_attribute(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    answer = dynamodb.describe_time_to_live(TableName=table)
    assert answer["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"
    }


def test_each_table_has_its_own_settings(dynamodb: Any, make_table: Any) -> None:
    first, second = make_table(), make_table()
    dynamodb.update_time_to_live(
        TableName=first, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )
    answer = dynamodb.describe_time_to_live(TableName=second)
    assert answer["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}


def test_a_table_arn_names_the_table(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    answer = dynamodb.describe_time_to_live(TableName=arn)
    assert answer["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}


def test_missing_table_is_not_found(dynamodb: Any, table_name: str) -> None:
    with pytest.raises(dynamodb.exceptions.ResourceNotFoundException) as excinfo:
        dynamodb.describe_time_to_live(TableName=table_name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {table_name} not found",
    )


def test_a_deleted_table_is_not_found(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.delete_table(TableName=table)
    with pytest.raises(dynamodb.exceptions.ResourceNotFoundException):
        dynamodb.describe_time_to_live(TableName=table)
