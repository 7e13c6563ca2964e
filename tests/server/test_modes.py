"""Server modes: on-disk persistence across restarts, --shared-db, --cors."""

from __future__ import annotations

import http.client
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conftest import client_for
from openddb.config import Settings
from openddb.server.runtime import start_in_thread


def create_simple_table(client: Any, name: str) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_tables_and_items_survive_a_restart(tmp_path: Path) -> None:
    settings = Settings(port=0, db_path=str(tmp_path), log_level="warning")
    first = start_in_thread(settings)
    client = client_for(first.endpoint)
    create_simple_table(client, "kept")
    client.put_item(TableName="kept", Item={"pk": {"S": "a"}, "n": {"N": "1.50"}})
    table_id = client.describe_table(TableName="kept")["Table"]["TableId"]
    first.stop()

    second = start_in_thread(settings)
    try:
        client = client_for(second.endpoint)
        assert client.describe_table(TableName="kept")["Table"]["TableId"] == table_id
        item = client.get_item(TableName="kept", Key={"pk": {"S": "a"}})["Item"]
        assert item == {"pk": {"S": "a"}, "n": {"N": "1.5"}}
    finally:
        second.stop()


def test_shared_db_puts_every_caller_in_one_namespace() -> None:
    running = start_in_thread(
        Settings(port=0, in_memory=True, shared_db=True, log_level="warning")
    )
    try:
        alice = client_for(running.endpoint, access_key_id="alice", region="eu-west-1")
        bob = client_for(running.endpoint, access_key_id="bob", region="us-east-1")
        create_simple_table(alice, "together")
        assert bob.list_tables()["TableNames"] == ["together"]
    finally:
        running.stop()


def test_cors_headers_and_preflight() -> None:
    running = start_in_thread(Settings(port=0, in_memory=True, cors="*", log_level="warning"))
    try:
        url = urlsplit(running.endpoint)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        connection.request(
            "OPTIONS",
            "/",
            headers={
                "Origin": "http://example.test",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-amz-target",
            },
        )
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("Access-Control-Allow-Origin") == "*"
        assert "x-amz-target" in response.getheader("Access-Control-Allow-Headers")
        client = client_for(running.endpoint)
        answer = client.list_tables()
        headers = answer["ResponseMetadata"]["HTTPHeaders"]
        assert headers["access-control-allow-origin"] == "*"
        assert "x-amzn-requestid" in headers["access-control-expose-headers"]
        connection.close()
    finally:
        running.stop()


def test_no_cors_headers_by_default(dynamodb: Any) -> None:
    headers = dynamodb.list_tables()["ResponseMetadata"]["HTTPHeaders"]
    assert "access-control-allow-origin" not in headers


def test_cors_origin_list_echoes_only_allowed_origins() -> None:
    running = start_in_thread(
        Settings(
            port=0, in_memory=True, cors="http://a.test, http://b.test", log_level="warning"
        )
    )
    try:
        url = urlsplit(running.endpoint)
        seen = {}
        for origin in ("http://b.test", "http://evil.test"):
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            connection.request("GET", "/", headers={"Origin": origin})
            response = connection.getresponse()
            response.read()
            seen[origin] = response.getheader("Access-Control-Allow-Origin")
            connection.close()
        assert seen == {"http://b.test": "http://b.test", "http://evil.test": None}
    finally:
        running.stop()
