"""TagResource, UntagResource and ListTagsOfResource through boto3 (texts and sources in
openddb/errors.py, tags section)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from conftest import error_of
from control_plane import (
    ACCOUNT,
    Delayed,
    definitions,
    delayed_server,
    hash_key,
    table_arn,
    unvalidated_client,
)

INVALID = "One or more parameter values were invalid: "


@pytest.fixture(scope="module")
def raw(endpoint: str) -> Any:
    return unvalidated_client(endpoint)


@pytest.fixture(scope="module")
def delayed() -> Iterator[Delayed]:
    with delayed_server() as server:
        yield server


@pytest.fixture
def arn(make_table: Any) -> str:
    return table_arn(make_table())


def fails(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**request)
    return error_of(excinfo)


def tags_of(client: Any, arn: str) -> list[dict[str, str]]:
    tags: list[dict[str, str]] = client.list_tags_of_resource(ResourceArn=arn)["Tags"]
    return tags


def tag(key: str, value: str = "v") -> dict[str, str]:
    return {"Key": key, "Value": value}


# --- behaviour ---------------------------------------------------------------------------


def test_tags_round_trip(dynamodb: Any, make_table: Any) -> None:
    arn = table_arn(make_table(Tags=[tag("team", "core")]))
    dynamodb.tag_resource(ResourceArn=arn, Tags=[tag("env", "test"), tag("empty", "")])
    assert tags_of(dynamodb, arn) == [tag("team", "core"), tag("env", "test"), tag("empty", "")]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[tag("team", "edge")])
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["env", "never-set"])
    assert tags_of(dynamodb, arn) == [tag("team", "edge"), tag("empty", "")]


def test_letters_of_any_script_and_the_allowed_punctuation(dynamodb: Any, arn: str) -> None:
    tags = [tag("ключ", "значение"), tag("café 表", "a+b-c=d.e_f:g/h@i"), tag(" lead", " ")]
    dynamodb.tag_resource(ResourceArn=arn, Tags=tags)
    assert tags_of(dynamodb, arn) == tags


def test_next_token_is_ignored(dynamodb: Any, arn: str) -> None:
    """At most 50 tags come in one page; a NextToken returns the first page (ACK lab)."""
    tags = [tag(f"k{i:02d}") for i in range(50)]
    dynamodb.tag_resource(ResourceArn=arn, Tags=tags)
    answer = dynamodb.list_tags_of_resource(ResourceArn=arn, NextToken="k10")
    assert answer["Tags"] == tags
    assert "NextToken" not in answer


def test_fifty_tags_after_merging(dynamodb: Any, arn: str) -> None:
    dynamodb.tag_resource(ResourceArn=arn, Tags=[tag(f"k{i:02d}") for i in range(50)])
    dynamodb.tag_resource(ResourceArn=arn, Tags=[tag("k00", "new")])
    assert fails(dynamodb.tag_resource, ResourceArn=arn, Tags=[tag("k00", "x"), tag("k50")]) == (
        "ValidationException",
        "Number of Tags exceed the current limit for the provided ResourceArn",
    )
    assert tags_of(dynamodb, arn)[0] == tag("k00", "new")


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tags,message",
    [
        ([], "Atleast one Tag needs to be provided as Input."),
        ([tag("aws:owner")], "Tag Key cannot be prefixed with aws:, Key: aws:owner"),
        ([tag("AWS:owner")], "Tag Key cannot be prefixed with aws:, Key: AWS:owner"),
        ([tag("ok"), tag("bad#char")], "The Tag Key provided is invalid, Key: bad#char"),
        ([tag("ok", "100%")], "The Tag Value provided is invalid, Value: 100%"),
        ([tag("ok", "🔑")], "The Tag Value provided is invalid, Value: 🔑"),
        (
            [tag("dup", "1"), tag("dup", "2")],
            "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup",
        ),
        (
            [tag(f"k{i}") for i in range(51)],
            "Number of Tags exceed the current limit for the provided ResourceArn",
        ),
    ],
    ids=[
        "none",
        "reserved",
        "reserved upper case",
        "key with #",
        "value with %",
        "emoji",
        "duplicate keys",
        "51 tags",
    ],
)
def test_tag_validation(raw: Any, arn: str, tags: list[dict[str, str]], message: str) -> None:
    """Lengths and a missing Value are answered by protocol/shapes.py's generic texts for
    now; the service answers "The Tag Key provided is invalid, Key: <key>" / "The Tag Value
    provided is invalid, Value: null" (ACK lab DDB-TABLE-107, 457), as tags.py would."""
    assert fails(raw.tag_resource, ResourceArn=arn, Tags=tags) == ("ValidationException", message)
    assert tags_of(raw, arn) == []


@pytest.mark.parametrize(
    "keys,message",
    [
        ([], "Atleast one Tag Key needs to be provided as Input."),
        (["aws:foo"], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
        (
            [f"k{i}" for i in range(51)],
            "Number of Tags exceed the current limit for the provided ResourceArn",
        ),
    ],
    ids=["none", "reserved", "51 keys"],
)
def test_untag_validation(raw: Any, arn: str, keys: list[str], message: str) -> None:
    assert fails(raw.untag_resource, ResourceArn=arn, TagKeys=keys) == (
        "ValidationException",
        message,
    )


# --- resource ARNs --------------------------------------------------------------------------

ARN_CASES = [
    ("abcd", INVALID + "ARNs must start with 'arn:': abcd"),
    (
        "arn:aws:s3:::bucket",
        INVALID + "Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket",
    ),
    (
        f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/some-table/index/gsi",
        INVALID + "Invalid resource arn provided, only table or stream is accepted. Provided "
        f"resource arn: arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/some-table/index/gsi",
    ),
    (
        f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/some-table/backup/01234567890123-abcdefgh",
        INVALID + "Provided Arn is not a DynamoDB resource arn: arn:aws:dynamodb:us-east-1:"
        f"{ACCOUNT}:table/some-table/backup/01234567890123-abcdefgh",
    ),
    (
        f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/some-table",
        f"Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:eu-west-1:"
        f"{ACCOUNT}:table/some-table",
    ),
    (
        f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/ab",
        f"Invalid TableArn: Invalid ResourceArn provided as input arn:aws:dynamodb:us-east-1:"
        f"{ACCOUNT}:table/ab",
    ),
]


@pytest.mark.parametrize(
    "resource_arn,message",
    ARN_CASES,
    ids=["not an arn", "other service", "index", "backup", "other region", "short name"],
)
def test_invalid_resource_arns(dynamodb: Any, resource_arn: str, message: str) -> None:
    expected = ("ValidationException", message)
    assert fails(dynamodb.list_tags_of_resource, ResourceArn=resource_arn) == expected
    assert fails(dynamodb.tag_resource, ResourceArn=resource_arn, Tags=[tag("a")]) == expected
    assert fails(dynamodb.untag_resource, ResourceArn=resource_arn, TagKeys=["a"]) == expected


def test_missing_table(dynamodb: Any, table_name: str) -> None:
    """Current spelling (ACK lab DDB-TABLE-446); older captures read "ResourcArn"."""
    arn = table_arn(table_name)
    expected = (
        "ResourceNotFoundException",
        f"Requested resource not found: ResourceArn: {arn} not found",
    )
    assert fails(dynamodb.list_tags_of_resource, ResourceArn=arn) == expected
    assert fails(dynamodb.tag_resource, ResourceArn=arn, Tags=[tag("a")]) == expected
    assert fails(dynamodb.untag_resource, ResourceArn=arn, TagKeys=["a"]) == expected


def test_validation_comes_before_existence(dynamodb: Any, table_name: str) -> None:
    arn = table_arn(table_name)
    assert fails(dynamodb.tag_resource, ResourceArn=arn, Tags=[tag("aws:x")]) == (
        "ValidationException",
        "Tag Key cannot be prefixed with aws:, Key: aws:x",
    )


# --- transient statuses -------------------------------------------------------------------


def test_creating_table_is_not_found(delayed: Delayed, table_name: str) -> None:
    """Tag operations see a CREATING table as missing (ACK lab DDB-TABLE-446)."""
    client, arn = delayed.client, table_arn(table_name)
    client.create_table(
        TableName=table_name,
        KeySchema=hash_key(),
        AttributeDefinitions=definitions("pk"),
        BillingMode="PAY_PER_REQUEST",
        Tags=[tag("a")],
    )
    assert fails(client.list_tags_of_resource, ResourceArn=arn) == (
        "ResourceNotFoundException",
        f"Requested resource not found: ResourceArn: {arn} not found",
    )
    delayed.settle()
    assert tags_of(client, arn) == [tag("a")]


def test_deleting_table_refuses_changes(delayed: Delayed, table_name: str) -> None:
    client, arn = delayed.client, table_arn(table_name)
    client.create_table(
        TableName=table_name,
        KeySchema=hash_key(),
        AttributeDefinitions=definitions("pk"),
        BillingMode="PAY_PER_REQUEST",
        Tags=[tag("a")],
    )
    delayed.settle()
    client.delete_table(TableName=table_name)
    in_use = (
        "ResourceInUseException",
        f"Attempt to change a resource which is still in use: Table is being deleted: {table_name}",
    )
    assert fails(client.tag_resource, ResourceArn=arn, Tags=[tag("b")]) == in_use
    assert fails(client.untag_resource, ResourceArn=arn, TagKeys=["a"]) == in_use
    assert tags_of(client, arn) == [tag("a")]
    delayed.settle()
    assert fails(client.list_tags_of_resource, ResourceArn=arn)[0] == "ResourceNotFoundException"


def test_tag_key_and_value_texts_are_the_services(
    endpoint: str, dynamodb: Any, make_table: Any
) -> None:
    arn = dynamodb.describe_table(TableName=make_table())["Table"]["TableArn"]
    # boto3 would refuse the empty key itself; send it as another SDK would.
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(parameter_validation=False),
    )
    with pytest.raises(ClientError) as excinfo:
        dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "", "Value": "v"}])
    assert error_of(excinfo) == ("ValidationException", "The Tag Key provided is invalid, Key: ")
    with pytest.raises(ClientError) as excinfo:
        dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v" * 257}])
    assert error_of(excinfo) == (
        "ValidationException",
        "The Tag Value provided is invalid, Value: " + "v" * 257,
    )
