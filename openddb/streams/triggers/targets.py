"""Trigger targets: the "function" a trigger invokes with each batch.

- ``module:function``: imported once at startup (the working directory is on the import
  path, as a Lambda task root is) and called as a Lambda handler ``handler(event,
  context)``; an exception is a function error.
- ``http://...`` / ``https://...``: the event is POSTed as JSON; a 2xx answer is success
  and its JSON body (if any) is the function's response; any other status, a connection
  failure or the ``Timeout`` is a function error.

``context`` carries the attributes of Lambda's Python context object.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from openddb.streams.triggers.config import Trigger, TriggerConfigError

LAMBDA_MEMORY_MB = 128
HTTP_PREFIXES = ("http://", "https://")


class FunctionError(Exception):
    """The function failed: it raised, answered an error status, or timed out."""


@dataclass
class LambdaContext:
    """What Lambda's Python runtime passes as ``context``."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    deadline: float
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = LAMBDA_MEMORY_MB
    identity: Any = None
    client_context: Any = None

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return f"openddb/[$LATEST]{self.aws_request_id.replace('-', '')}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class Target(Protocol):
    def invoke(self, event: dict[str, Any], context: LambdaContext) -> Any:
        """The function's response; raises FunctionError."""
        ...


class PythonTarget:
    def __init__(self, handler: Callable[[dict[str, Any], LambdaContext], Any]) -> None:
        self._handler = handler

    def invoke(self, event: dict[str, Any], context: LambdaContext) -> Any:
        try:
            return self._handler(event, context)
        except Exception as error:  # the user's handler failed: a Lambda function error
            raise FunctionError(f"{type(error).__name__}: {error}") from error


class HttpTarget:
    def __init__(self, url: str, timeout_seconds: float) -> None:
        self._url = url
        self._timeout_seconds = timeout_seconds

    def invoke(self, event: dict[str, Any], context: LambdaContext) -> Any:
        request = urllib.request.Request(
            self._url,
            data=orjson.dumps(event),
            method="POST",
            headers={"Content-Type": "application/json",
                     "Lambda-Runtime-Aws-Request-Id": context.aws_request_id},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_seconds) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            error.close()
            raise FunctionError(f"HTTP {error.code} from {self._url}") from None
        except (urllib.error.URLError, OSError) as error:
            raise FunctionError(f"cannot call {self._url}: {error}") from None
        if not body.strip():
            return None
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            return None  # a non-JSON answer carries no batchItemFailures


def target_for(trigger: Trigger) -> Target:
    """The target of ``trigger``; TriggerConfigError when it cannot be loaded."""
    if trigger.function_name.startswith(HTTP_PREFIXES):
        return HttpTarget(trigger.function_name, trigger.timeout_seconds)
    module_name, separator, attribute = trigger.function_name.partition(":")
    if not separator or not module_name or not attribute:
        raise TriggerConfigError(
            f"trigger {trigger.name}: FunctionName must be module:function or an http(s) URL"
        )
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise TriggerConfigError(f"trigger {trigger.name}: cannot import {module_name}: "
                                 f"{error}") from None
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise TriggerConfigError(f"trigger {trigger.name}: {trigger.function_name} is not "
                                 "a callable")
    return PythonTarget(handler)
