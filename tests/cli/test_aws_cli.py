"""The README's walk-through with the AWS CLI (installed by the test set-up)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI is installed by the test extra")


def aws(endpoint: str, *arguments: str) -> Any:
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="cli",
        AWS_SECRET_ACCESS_KEY="cli",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    assert AWS is not None
    completed = subprocess.run(
        [AWS, "dynamodb", *arguments, "--endpoint-url", endpoint, "--output", "json"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    if completed.returncode != 0:
        return {"error": completed.stderr}
    return json.loads(completed.stdout) if completed.stdout.strip() else {}


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
