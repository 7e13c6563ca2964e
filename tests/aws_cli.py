"""Running the AWS CLI (installed by the test extra) against the test server."""

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
needs_aws_cli = pytest.mark.skipif(AWS is None, reason="the AWS CLI is installed by the test extra")
CLI_SECONDS_MAX = 120


def aws(endpoint: str, *arguments: str, access_key_id: str = "cli") -> Any:
    """``aws dynamodb <arguments>`` against ``endpoint``: the parsed JSON output, ``{}``
    for no output, or ``{"error": <stderr>}`` when the command failed. The access key id
    picks the namespace (tables are per access key id and Region)."""
    environment = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=access_key_id,
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
        timeout=CLI_SECONDS_MAX,
    )
    if completed.returncode != 0:
        return {"error": completed.stderr}
    return json.loads(completed.stdout) if completed.stdout.strip() else {}
