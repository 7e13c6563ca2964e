"""No request can produce a 500: random mutations of valid requests, for every operation.

Each case starts from a valid request, replaces, drops or adds members with
random JSON, sends it over raw HTTP (boto3 would refuse to send most of them)
and accepts only 200 or a 4xx DynamoDB error with a ``__type``.
"""

from __future__ import annotations

import copy
import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openddb.server.dispatch import OPERATIONS

AUTH = (
    "AWS4-HMAC-SHA256 Credential=fuzz/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host, Signature=00"
)
TABLE = "fuzz-table"
KEY = {"pk": {"S": "k"}, "sk": {"N": "1"}}
ARN = f"arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}"

VALID: dict[str, dict[str, Any]] = {
    "CreateTable": {
        "TableName": "fuzz-created",
        "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    },
    "DescribeTable": {"TableName": TABLE},
    "UpdateTable": {"TableName": TABLE, "DeletionProtectionEnabled": False},
    "DeleteTable": {"TableName": "fuzz-absent"},
    "ListTables": {"Limit": 5},
    "DescribeLimits": {},
    "DescribeEndpoints": {},
    "TagResource": {"ResourceArn": ARN, "Tags": [{"Key": "k", "Value": "v"}]},
    "UntagResource": {"ResourceArn": ARN, "TagKeys": ["k"]},
    "ListTagsOfResource": {"ResourceArn": ARN},
    "PutItem": {"TableName": TABLE, "Item": {**KEY, "a": {"L": [{"S": "x"}]}}},
    "GetItem": {"TableName": TABLE, "Key": KEY},
    "DeleteItem": {"TableName": TABLE, "Key": KEY, "ReturnValues": "ALL_OLD"},
    "BatchWriteItem": {
        "RequestItems": {
            TABLE: [
                {"PutRequest": {"Item": KEY}},
                {"DeleteRequest": {"Key": {**KEY, "sk": {"N": "2"}}}},
            ]
        }
    },
    "BatchGetItem": {"RequestItems": {TABLE: {"Keys": [KEY], "AttributesToGet": ["pk"]}}},
    "Query": {
        "TableName": TABLE,
        "KeyConditionExpression": "pk = :p AND sk > :s",
        "FilterExpression": "attribute_exists(a)",
        "ProjectionExpression": "pk, a",
        "ExpressionAttributeValues": {":p": {"S": "k"}, ":s": {"N": "0"}},
        "Limit": 5,
    },
    "Scan": {
        "TableName": TABLE,
        "Segment": 0,
        "TotalSegments": 2,
        "Limit": 5,
        "FilterExpression": "a = :v",
        "ExpressionAttributeValues": {":v": {"N": "1"}},
    },
    "TransactWriteItems": {
        "TransactItems": [
            {
                "Put": {
                    "TableName": TABLE,
                    "Item": {**KEY, "a": {"N": "1"}},
                    "ConditionExpression": "attribute_not_exists(a)",
                }
            },
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": {**KEY, "sk": {"N": "3"}},
                    "UpdateExpression": "ADD c :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            {
                "ConditionCheck": {
                    "TableName": TABLE,
                    "Key": {**KEY, "sk": {"N": "4"}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Delete": {"TableName": TABLE, "Key": {**KEY, "sk": {"N": "5"}}}},
        ],
        "ClientRequestToken": "fuzz-token",
    },
    "TransactGetItems": {
        "TransactItems": [{"Get": {"TableName": TABLE, "Key": KEY, "ProjectionExpression": "pk"}}]
    },
    "DescribeTimeToLive": {"TableName": TABLE},
    "UpdateTimeToLive": {
        "TableName": "fuzz-absent",
        "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "exp"},
    },
    "UpdateItem": {
        "TableName": TABLE,
        "Key": KEY,
        "UpdateExpression": "SET a = :v",
        "ExpressionAttributeValues": {":v": {"N": "1"}},
    },
    "ExecuteStatement": {
        "Statement": f'SELECT pk, a[0] FROM "{TABLE}" WHERE pk = ? AND sk > 0 ORDER BY sk DESC',
        "Parameters": [{"S": "k"}],
        "Limit": 5,
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    },
    "BatchExecuteStatement": {
        "Statements": [
            {"Statement": f"INSERT INTO \"{TABLE}\" VALUE {{'pk': 'b', 'sk': 1, 's': <<1, 2>>}}"},
            {
                "Statement": f"UPDATE \"{TABLE}\" SET a = a + ? REMOVE c WHERE pk = 'k' AND sk = 1",
                "Parameters": [{"N": "1"}],
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            },
        ]
    },
    "ExecuteTransaction": {
        "TransactStatements": [
            {"Statement": f"DELETE FROM \"{TABLE}\" WHERE pk = 'k' AND sk = 7 AND a IS MISSING"},
            {"Statement": f"EXISTS(SELECT * FROM \"{TABLE}\" WHERE pk = 'k' AND sk = 8 AND a = 1)"},
        ],
        "ClientRequestToken": "fuzz-partiql-token",
    },
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["S", "N", "B", "SS", "M", "L", TABLE, "1", ""]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["S", "N", "B", "NS", "L", "M", "NULL", "BOOL", "pk", "sk", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, member in value.items():
            found += paths(member, (*prefix, key))
    elif isinstance(value, list):
        for index, member in enumerate(value):
            found += paths(member, (*prefix, index))
    return found


@st.composite
def mutated(draw: Any, operation: str) -> dict[str, Any]:
    request = copy.deepcopy(VALID[operation])
    for _ in range(draw(st.integers(1, 3))):
        targets = paths(request)[1:]
        if not targets:
            break
        path = draw(st.sampled_from(targets))
        parent: Any = request
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "drop":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=6))] = draw(json_values)
    return request


def send(endpoint: str, operation: str, body: bytes) -> tuple[int, bytes]:
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request(
        "POST",
        "/",
        body=body,
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": AUTH,
            "X-Amz-Target": f"DynamoDB_20120810.{operation}",
        },
    )
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, payload


@pytest.fixture(scope="module")
def fuzz_table(endpoint: str) -> None:
    body = json.dumps(
        {
            "TableName": TABLE,
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }
    ).encode()
    status, payload = send(endpoint, "CreateTable", body)
    assert status == 200, payload


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_mutated_requests_never_answer_500(endpoint: str, fuzz_table: None, operation: str) -> None:
    if operation not in VALID:
        pytest.fail(f"add a valid {operation} request to VALID")

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(request=mutated(operation))
    def check(request: dict[str, Any]) -> None:
        status, payload = send(endpoint, operation, json.dumps(request).encode())
        assert status in (200, 400), (status, payload, request)
        if status == 400:
            assert "__type" in json.loads(payload)

    check()
