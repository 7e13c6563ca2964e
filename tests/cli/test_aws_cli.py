"""The README's walk-through with the AWS CLI (installed by the test set-up)."""

from __future__ import annotations

import json

from aws_cli import aws, needs_aws_cli

pytestmark = needs_aws_cli


def test_readme_walkthrough(endpoint: str, table_name: str) -> None:
    created = aws(
        endpoint,
        "create-table",
        "--table-name",
        table_name,
        "--attribute-definitions",
        "AttributeName=Artist,AttributeType=S",
        "AttributeName=SongTitle,AttributeType=S",
        "--key-schema",
        "AttributeName=Artist,KeyType=HASH",
        "AttributeName=SongTitle,KeyType=RANGE",
        "--billing-mode",
        "PAY_PER_REQUEST",
    )
    assert created["TableDescription"]["TableName"] == table_name
    aws(endpoint, "wait", "table-exists", "--table-name", table_name)
    item = {
        "Artist": {"S": "No One You Know"},
        "SongTitle": {"S": "Call Me Today"},
        "Year": {"N": "2015"},
    }
    assert aws(endpoint, "put-item", "--table-name", table_name, "--item", json.dumps(item)) == {}
    key = {"Artist": item["Artist"], "SongTitle": item["SongTitle"]}
    got = aws(endpoint, "get-item", "--table-name", table_name, "--key", json.dumps(key))
    assert got["Item"] == item
    described = aws(endpoint, "describe-table", "--table-name", table_name)
    assert described["Table"]["ItemCount"] == 1
    assert table_name in aws(endpoint, "list-tables")["TableNames"]
    aws(endpoint, "delete-table", "--table-name", table_name)


def test_cli_shows_dynamodb_error_text(endpoint: str) -> None:
    answer = aws(endpoint, "describe-table", "--table-name", "no-such-table-cli")
    assert "ResourceNotFoundException" in answer["error"]
    assert "Requested resource not found: Table: no-such-table-cli not found" in answer["error"]
