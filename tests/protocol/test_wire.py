"""The AWS JSON 1.0 wire protocol as DynamoDB answers it, checked over raw HTTP."""

from __future__ import annotations

import gzip
import http.client
import json
import zlib
from typing import Any
from urllib.parse import urlsplit

import pytest

AUTH = (
    "AWS4-HMAC-SHA256 Credential=wire/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"
)


def post(endpoint: str, target: str | None, body: bytes, **headers: str) -> tuple[int, Any, bytes]:
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    sent = {
        "Content-Type": "application/x-amz-json-1.0",
        "Authorization": AUTH,
        "X-Amz-Date": "20260101T000000Z",
    }
    if target is not None:
        sent["X-Amz-Target"] = target
    sent.update({key.replace("_", "-"): value for key, value in headers.items()})
    connection.request("POST", "/", body=body, headers=sent)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, response, payload


def test_success_has_crc32_and_request_id(endpoint: str) -> None:
    status, response, payload = post(endpoint, "DynamoDB_20120810.ListTables", b"{}")
    assert status == 200
    assert response.getheader("Content-Type") == "application/x-amz-json-1.0"
    assert response.getheader("x-amz-crc32") == str(zlib.crc32(payload) & 0xFFFFFFFF)
    request_id = response.getheader("x-amzn-RequestId")
    assert len(request_id) == 52
    assert request_id.isalnum()
    assert request_id.upper() == request_id


def test_errors_carry_crc32_and_request_id(endpoint: str) -> None:
    status, response, payload = post(endpoint, "DynamoDB_20120810.Nope", b"{}")
    assert status == 400
    assert response.getheader("x-amz-crc32") == str(zlib.crc32(payload) & 0xFFFFFFFF)
    assert len(response.getheader("x-amzn-RequestId")) == 52


@pytest.mark.parametrize(
    "target",
    [None, "DynamoDB_20120810.NoSuchOperation", "Other_20120810.ListTables", "DynamoDB_20120810"],
    ids=["missing", "unknown operation", "unknown service", "no operation"],
)
def test_unknown_operation(endpoint: str, target: str | None) -> None:
    status, _, payload = post(endpoint, target, b"{}")
    assert status == 400
    assert json.loads(payload) == {"__type": "com.amazon.coral.service#UnknownOperationException"}


@pytest.mark.parametrize("body", [b"", b"{", b"not json"], ids=["empty", "truncated", "text"])
def test_unparsable_body_is_serialization_exception(endpoint: str, body: bytes) -> None:
    status, _, payload = post(endpoint, "DynamoDB_20120810.ListTables", body)
    assert status == 400
    assert json.loads(payload)["__type"] == "com.amazon.coral.service#SerializationException"


def test_missing_authorization(endpoint: str) -> None:
    status, _, payload = post(endpoint, "DynamoDB_20120810.ListTables", b"{}", Authorization="")
    assert status == 400
    assert json.loads(payload) == {
        "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
        "message": "Request is missing Authentication Token",
    }


def test_gzip_request_body_is_accepted(endpoint: str) -> None:
    status, _, payload = post(
        endpoint,
        "DynamoDB_20120810.ListTables",
        gzip.compress(b'{"Limit": 1}'),
        Content_Encoding="gzip",
    )
    assert status == 200
    assert "TableNames" in json.loads(payload)


def test_wrong_content_type_is_404_unknown_operation(endpoint: str) -> None:
    status, _, payload = post(
        endpoint, "DynamoDB_20120810.ListTables", b"{}", Content_Type="text/plain"
    )
    assert status == 404
    assert payload == b"<UnknownOperationException/>\n"


def test_health_endpoints(endpoint: str) -> None:
    url = urlsplit(endpoint)
    for path, expected in (("/", b"healthy"), ("/health", b'"status":"healthy"')):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200
        assert expected in response.read()
        connection.close()


def test_table_name_may_be_an_arn(endpoint: str, dynamodb: Any, make_table: Any) -> None:
    name = make_table()
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    dynamodb.put_item(TableName=arn, Item={"pk": {"S": "x"}})
    assert dynamodb.get_item(TableName=arn, Key={"pk": {"S": "x"}})["Item"] == {"pk": {"S": "x"}}


def test_body_over_16_mb_is_refused_with_413(endpoint: str) -> None:
    # DynamoDB's request size limit is 16 MB (the BatchWriteItem maximum); dynalite,
    # written against the service, answers larger bodies with HTTP 413.
    status, _, payload = post(endpoint, "DynamoDB_20120810.PutItem", b" " * (16 * 1024 * 1024 + 1))
    assert status == 413
    assert json.loads(payload)["__type"].endswith("#RequestEntityTooLarge")


def test_gzip_bomb_is_refused(endpoint: str) -> None:
    bomb = gzip.compress(b" " * (17 * 1024 * 1024))
    status, _, _ = post(endpoint, "DynamoDB_20120810.ListTables", bomb, Content_Encoding="gzip")
    assert status == 413
