"""Capacity modes through boto3: PROVISIONED and PAY_PER_REQUEST tables and indexes,
OnDemandThroughput and WarmThroughput echoed, UpdateTable switching between the modes --
and, with --throttling, each mode refusing requests its own way as the switches happen.

The control-plane rules themselves (which combinations UpdateTable accepts, with their
texts) are in tests/api/test_update_table.py and test_create_table.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of
from throttling_fixtures import (
    ON_DEMAND_THROTTLED,
    TABLE_EXCEEDED,
    Throttled,
    item,
    puts_until_throttled,
    throttled,
    units,
)

__all__ = ["throttled"]  # the module-scoped fixture, used by name

INDEX_ON_DEMAND_THROTTLED = (
    "Throughput exceeds the current capacity for one or more global secondary indexes. "
    "DynamoDB is automatically scaling your index so please try again shortly."
)


def gsi(**capacity: Any) -> dict[str, Any]:
    return {
        "IndexName": "by-g",
        "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
        **capacity,
    }


G_DEFINITION = [{"AttributeName": "g", "AttributeType": "S"}]


def test_provisioned_table_and_index_describe_their_capacity(throttled: Throttled) -> None:
    dynamodb = throttled.dynamodb
    name = throttled.table(
        read=5,
        write=3,
        AttributeDefinitions=G_DEFINITION,
        GlobalSecondaryIndexes=[gsi(ProvisionedThroughput=units(2, 1))],
        WarmThroughput={"ReadUnitsPerSecond": 50},
    )
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert "BillingModeSummary" not in table  # never on demand
    assert (
        table["ProvisionedThroughput"]["ReadCapacityUnits"],
        table["ProvisionedThroughput"]["WriteCapacityUnits"],
    ) == (5, 3)
    assert table["WarmThroughput"] == {
        "ReadUnitsPerSecond": 50,
        "WriteUnitsPerSecond": 3,
        "Status": "ACTIVE",
    }
    index = table["GlobalSecondaryIndexes"][0]
    assert (
        index["ProvisionedThroughput"]["ReadCapacityUnits"],
        index["ProvisionedThroughput"]["WriteCapacityUnits"],
    ) == (2, 1)
    assert index["WarmThroughput"]["WriteUnitsPerSecond"] == 1


def test_on_demand_table_and_index_echo_their_maximums(throttled: Throttled) -> None:
    dynamodb = throttled.dynamodb
    name = throttled.table(
        read=None,
        write=None,
        AttributeDefinitions=G_DEFINITION,
        GlobalSecondaryIndexes=[gsi(OnDemandThroughput={"MaxWriteRequestUnits": 1})],
        OnDemandThroughput={"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50},
    )
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert table["OnDemandThroughput"] == {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    assert table["WarmThroughput"] == {
        "ReadUnitsPerSecond": 12000,
        "WriteUnitsPerSecond": 4000,
        "Status": "ACTIVE",
    }
    index = table["GlobalSecondaryIndexes"][0]
    assert index["OnDemandThroughput"] == {"MaxWriteRequestUnits": 1}
    # The index's own maximum throttles writes that reach it, with the index's texts.
    dynamodb.put_item(TableName=name, Item=item("a", g={"S": "x"}))
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=name, Item=item("b", g={"S": "y"}))
    assert error_of(excinfo) == ("ThrottlingException", INDEX_ON_DEMAND_THROTTLED)
    assert excinfo.value.response["throttlingReasons"] == [
        {
            "reason": "IndexWriteMaxOnDemandThroughputExceeded",
            "resource": f"{throttled.arn(name)}/index/by-g",
        }
    ]


def test_switching_modes_switches_the_throttling(throttled: Throttled) -> None:
    """PROVISIONED at 1 WCU throttles at once; PAY_PER_REQUEST does not; an on-demand
    maximum throttles with ThrottlingException; back to PROVISIONED, the new rate rules."""
    dynamodb, clock = throttled.dynamodb, throttled.clock
    name = throttled.table(read=1, write=1)
    assert puts_until_throttled(dynamodb, name) == 1
    switched = dynamodb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    assert switched["TableDescription"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    clock.advance(1.0)
    for number in range(50):
        dynamodb.put_item(TableName=name, Item=item(f"many{number}"))
    dynamodb.update_table(TableName=name, OnDemandThroughput={"MaxWriteRequestUnits": 3})
    clock.advance(1.0)
    for number in range(3):
        dynamodb.put_item(TableName=name, Item=item(f"capped{number}"))
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=name, Item=item("over"))
    assert error_of(excinfo) == ("ThrottlingException", ON_DEMAND_THROTTLED)
    dynamodb.update_table(
        TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput=units(1, 2)
    )
    clock.advance(1.0)
    assert puts_until_throttled(dynamodb, name) == 2
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=name, Item=item("over"))
    assert error_of(excinfo) == ("ProvisionedThroughputExceededException", TABLE_EXCEEDED)


def test_index_capacity_is_reported_in_both_modes(throttled: Throttled) -> None:
    """ReturnConsumedCapacity=INDEXES lists what each GSI consumed, whatever the mode: one
    write when an item enters or leaves the index, two when its index key changes, none
    when it is in the index neither before nor after."""
    dynamodb = throttled.dynamodb
    for capacity in ({"read": None, "write": None}, {"read": 100, "write": 100}):
        index_capacity = (
            {} if capacity["read"] is None else {"ProvisionedThroughput": units(100, 100)}
        )
        name = throttled.table(
            AttributeDefinitions=G_DEFINITION,
            GlobalSecondaryIndexes=[gsi(**index_capacity)],
            **capacity,
        )
        key = {"pk": {"S": "a"}}

        def index_units(response: dict[str, Any]) -> Any:
            return response["ConsumedCapacity"].get("GlobalSecondaryIndexes", {})

        enter = dynamodb.put_item(
            TableName=name, Item=item("a", g={"S": "x"}), ReturnConsumedCapacity="INDEXES"
        )
        assert index_units(enter) == {"by-g": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}
        move = dynamodb.update_item(
            TableName=name,
            Key=key,
            UpdateExpression="SET g = :y",
            ExpressionAttributeValues={":y": {"S": "y"}},
            ReturnConsumedCapacity="INDEXES",
        )
        assert index_units(move) == {"by-g": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}
        leave = dynamodb.delete_item(TableName=name, Key=key, ReturnConsumedCapacity="INDEXES")
        assert index_units(leave) == {"by-g": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}
        outside = dynamodb.put_item(
            TableName=name, Item=item("b"), ReturnConsumedCapacity="INDEXES"
        )
        assert index_units(outside) == {}
        assert outside["ConsumedCapacity"]["CapacityUnits"] == 1.0
