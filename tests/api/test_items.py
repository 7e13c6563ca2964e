"""PutItem, GetItem, DeleteItem through boto3 against the real server."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from conftest import error_of


def test_put_then_get_returns_the_item(dynamodb: Any, make_table: Any) -> None:
    table = make_table("Artist", "S", "SongTitle", "S")
    item = {
        "Artist": {"S": "No One You Know"},
        "SongTitle": {"S": "Call Me Today"},
        "Year": {"N": "2015"},
        "Tags": {"SS": ["a", "b"]},
        "Meta": {"M": {"nested": {"L": [{"BOOL": True}, {"NULL": True}, {"S": ""}]}}},
        "Blob": {"B": b"\x00\x01"},
    }
    assert (
        dynamodb.put_item(TableName=table, Item=item)["ResponseMetadata"]["HTTPStatusCode"] == 200
    )
    got = dynamodb.get_item(
        TableName=table,
        Key={"Artist": {"S": "No One You Know"}, "SongTitle": {"S": "Call Me Today"}},
    )
    assert got["Item"] == item


def test_get_missing_item_has_no_item_member(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "absent"}})
    assert "Item" not in got


def test_numbers_are_stored_in_canonical_form(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(
        TableName=table,
        Item={
            "pk": {"S": "n"},
            "a": {"N": "1.50"},
            "b": {"N": "1e2"},
            "c": {"NS": ["0001.23", "-0.0"]},
        },
    )
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "n"}})["Item"]
    assert item["a"] == {"N": "1.5"}
    assert item["b"] == {"N": "100"}
    assert sorted(item["c"]["NS"]) == ["0", "1.23"]


def test_number_sort_key_is_found_by_equal_value(dynamodb: Any, make_table: Any) -> None:
    table = make_table("pk", "S", "sk", "N")
    dynamodb.put_item(
        TableName=table, Item={"pk": {"S": "p"}, "sk": {"N": "10.0"}, "v": {"S": "x"}}
    )
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "1E1"}})
    assert got["Item"]["sk"] == {"N": "10"}


def test_put_replaces_whole_item_and_returns_all_old(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    first = {"pk": {"S": "k"}, "a": {"S": "1"}}
    dynamodb.put_item(TableName=table, Item=first)
    answer = dynamodb.put_item(
        TableName=table, Item={"pk": {"S": "k"}, "b": {"S": "2"}}, ReturnValues="ALL_OLD"
    )
    assert answer["Attributes"] == first
    assert dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}})["Item"] == {
        "pk": {"S": "k"},
        "b": {"S": "2"},
    }


def test_delete_item_returns_all_old_and_removes(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    item = {"pk": {"S": "k"}, "a": {"N": "1"}}
    dynamodb.put_item(TableName=table, Item=item)
    answer = dynamodb.delete_item(TableName=table, Key={"pk": {"S": "k"}}, ReturnValues="ALL_OLD")
    assert answer["Attributes"] == item
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}})
    again = dynamodb.delete_item(TableName=table, Key={"pk": {"S": "k"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in again


def test_attributes_to_get_selects_attributes(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "k"}, "a": {"N": "1"}, "b": {"N": "2"}})
    got = dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}}, AttributesToGet=["b", "zz"])
    assert got["Item"] == {"b": {"N": "2"}}


# --- capacity -------------------------------------------------------------------


def test_consumed_capacity_follows_unit_sizes(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    big = "x" * 5000  # 5000 bytes + names: 5 KB write units, 2 read units of 4 KB
    put = dynamodb.put_item(
        TableName=table, Item={"pk": {"S": "k"}, "v": {"S": big}}, ReturnConsumedCapacity="TOTAL"
    )
    assert put["ConsumedCapacity"]["TableName"] == table
    assert put["ConsumedCapacity"]["CapacityUnits"] == 5.0
    strong = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": "k"}}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL"
    )
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 2.0
    eventual = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": "k"}}, ReturnConsumedCapacity="INDEXES"
    )
    assert eventual["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert eventual["ConsumedCapacity"]["Table"]["CapacityUnits"] == 1.0
    missing = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": "none"}}, ReturnConsumedCapacity="TOTAL"
    )
    assert missing["ConsumedCapacity"]["CapacityUnits"] == 0.5
    assert "ConsumedCapacity" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "k"}})


# --- validation -------------------------------------------------------------------

ERRORS = [
    (
        "missing partition key",
        {"sk": {"S": "x"}},
        "One or more parameter values were invalid: Missing the key pk in the item",
    ),
    (
        "wrong key type",
        {"pk": {"N": "1"}},
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N",
    ),
    (
        "empty string key",
        {"pk": {"S": ""}},
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: pk",
    ),
    (
        "empty value",
        {"pk": {"S": "k"}, "a": {}},
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
    ),
    (
        "two types",
        {"pk": {"S": "k"}, "a": {"S": "x", "N": "1"}},
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes",
    ),
    (
        "empty string set",
        {"pk": {"S": "k"}, "a": {"SS": []}},
        "One or more parameter values were invalid: An string set  may not be empty",
    ),
    (
        "empty number set",
        {"pk": {"S": "k"}, "a": {"NS": []}},
        "One or more parameter values were invalid: An number set  may not be empty",
    ),
    (
        "empty binary set",
        {"pk": {"S": "k"}, "a": {"BS": []}},
        "One or more parameter values were invalid: Binary sets should not be empty",
    ),
    (
        "duplicate set members",
        {"pk": {"S": "k"}, "a": {"SS": ["a", "a"]}},
        "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
    ),
    (
        "NULL false",
        {"pk": {"S": "k"}, "a": {"NULL": False}},
        "One or more parameter values were invalid: Null attribute value types must have the "
        "value of true",
    ),
    (
        "not a number",
        {"pk": {"S": "k"}, "a": {"N": "dog"}},
        "The parameter cannot be converted to a numeric value: dog",
    ),
    (
        "too many digits",
        {"pk": {"S": "k"}, "a": {"N": "1" * 39}},
        "Attempting to store more than 38 significant digits in a Number",
    ),
    (
        "overflow",
        {"pk": {"S": "k"}, "a": {"N": "1e126"}},
        "Number overflow. Attempting to store a number with magnitude larger than supported range",
    ),
    (
        "underflow",
        {"pk": {"S": "k"}, "a": {"N": "1e-131"}},
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range",
    ),
]


@pytest.mark.parametrize("case,item,message", ERRORS, ids=[case[0] for case in ERRORS])
def test_put_item_validation(
    dynamodb: Any, make_table: Any, case: str, item: dict[str, Any], message: str
) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item=item)
    assert error_of(excinfo) == ("ValidationException", message)


def test_item_size_limit_counts_names_and_values(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    # 400 KB exactly: name "pk" (2) + "k" (1) + name "v" (1) + value.
    limit = 400 * 1024
    fits = {"pk": {"S": "k"}, "v": {"S": "x" * (limit - 4)}}
    dynamodb.put_item(TableName=table, Item=fits)
    too_big = {"pk": {"S": "k"}, "v": {"S": "x" * (limit - 3)}}
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item=too_big)
    assert error_of(excinfo) == (
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
    )


def test_key_size_limits(dynamodb: Any, make_table: Any) -> None:
    table = make_table("pk", "S", "sk", "B")
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "p" * 2048}, "sk": {"B": b"s" * 1024}})
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "p" * 2049}, "sk": {"B": b"s"}})
    assert error_of(excinfo) == (
        "ValidationException",
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
        "limit of2048 bytes",
    )
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"B": b"s" * 1025}})
    assert error_of(excinfo) == (
        "ValidationException",
        "One or more parameter values were invalid: Aggregated size of all range keys has "
        "exceeded the size limit of 1024 bytes",
    )


def test_nesting_depth_limit(dynamodb: Any, make_table: Any) -> None:
    table = make_table()

    def nested(depth: int) -> dict[str, Any]:
        value: dict[str, Any] = {"S": "leaf"}
        for _ in range(depth):
            value = {"L": [value]}
        return value

    dynamodb.put_item(TableName=table, Item={"pk": {"S": "ok"}, "v": nested(32)})
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "deep"}, "v": nested(33)})
    assert error_of(excinfo) == (
        "ValidationException",
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
        "beyond supported limit",
    )


@pytest.mark.parametrize(
    "key",
    [{"pk": {"N": "1"}}, {"other": {"S": "1"}}, {"pk": {"S": "1"}, "extra": {"S": "x"}}],
    ids=["wrong type", "wrong name", "extra attribute"],
)
def test_get_item_key_must_match_schema(dynamodb: Any, make_table: Any, key: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.get_item(TableName=table, Key=key)
    assert error_of(excinfo) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_return_values_on_put_must_be_none_or_all_old(dynamodb: Any, make_table: Any) -> None:
    table = make_table()
    with pytest.raises(ClientError) as excinfo:
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "k"}}, ReturnValues="ALL_NEW")
    assert error_of(excinfo) == ("ValidationException", "ReturnValues can only be ALL_OLD or NONE")


@pytest.mark.parametrize("operation", ["get_item", "delete_item"])
def test_missing_table_is_resource_not_found(dynamodb: Any, operation: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        getattr(dynamodb, operation)(TableName="no-such-table", Key={"pk": {"S": "k"}})
    assert error_of(excinfo) == ("ResourceNotFoundException", "Requested resource not found")


def test_binary_values_round_trip_raw_bytes(dynamodb: Any, make_table: Any) -> None:
    table = make_table("pk", "B")
    raw = bytes(range(256))
    dynamodb.put_item(TableName=table, Item={"pk": {"B": raw}, "set": {"BS": [b"a", b"b"]}})
    got = dynamodb.get_item(TableName=table, Key={"pk": {"B": raw}})["Item"]
    assert got["pk"]["B"] == raw
    assert sorted(got["set"]["BS"]) == [b"a", b"b"]
