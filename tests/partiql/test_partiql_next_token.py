"""NextToken: opaque, tied to the statement, its parameters and the caller, one hour long.

Texts follow DynamoDB Local's ContinuationTokenSerializer (errors.py).
"""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from openddb import errors
from openddb.api import partiql
from openddb.clock import VirtualClock
from openddb.context import Context
from openddb.partiql.translate import SelectPlan

PLAN = SelectPlan("T", None, ({"KeyConditionExpression": "x"},) * 2, None, None)
REQUEST = {"Statement": "SELECT * FROM T WHERE pk IN ['a', 'b']"}
KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}


def context(namespace: str, clock: VirtualClock) -> Context:
    server: Any = SimpleNamespace(clock=clock)
    return Context(server, namespace, "000000000000", "us-east-1")


def token(ctx: Context, query: int = 1, request: dict[str, Any] = REQUEST) -> str:
    digest = partiql._request_digest(request)
    return partiql._next_token(ctx, digest, partiql._Position(query, KEY))


def start(ctx: Context, next_token: str, request: dict[str, Any] = REQUEST) -> Any:
    digest = partiql._request_digest(request)
    return partiql._start_position(ctx, {**request, "NextToken": next_token}, PLAN, digest)


def refusal(ctx: Context, next_token: str, request: dict[str, Any] = REQUEST) -> str:
    with pytest.raises(errors.ValidationException) as caught:
        start(ctx, next_token, request)
    return str(caught.value.message)


def test_a_token_gives_back_its_position() -> None:
    ctx = context("me", VirtualClock(1000.0))
    assert start(ctx, token(ctx)) == partiql._Position(1, KEY)


def test_a_token_is_for_its_statement_and_parameters() -> None:
    ctx = context("me", VirtualClock(1000.0))
    other = {**REQUEST, "Parameters": [{"S": "x"}]}
    assert refusal(ctx, token(ctx), other) == "NextToken does not match request"


def test_a_token_is_for_its_caller() -> None:
    clock = VirtualClock(1000.0)
    issued = token(context("me", clock))
    assert refusal(context("someone-else", clock), issued) == (
        "Given NextToken is invalid for this account"
    )


def test_a_token_lives_an_hour() -> None:
    clock = VirtualClock(1000.0)
    ctx = context("me", clock)
    issued = token(ctx)
    clock.advance(3599.9)
    assert start(ctx, issued).query == 1
    clock.advance(0.1)
    assert refusal(ctx, issued) == "Given NextToken has already expired"


def encoded(body: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(body)).decode()


@pytest.mark.parametrize(
    "garbage",
    [
        "not a token",
        "AAAA",
        encoded([1, 2]),
        encoded({"v": 2, "a": "", "h": "", "t": 0, "q": 0, "k": None}),
        encoded({"v": 1, "a": "", "h": "", "t": "now", "q": 0, "k": None}),
        encoded({"v": 1, "a": "", "h": "", "t": 0, "k": None}),
        encoded({"v": 1, "a": "", "h": "", "t": 0, "q": 0, "k": "key"}),
    ],
)
def test_garbage_is_an_invalid_token(garbage: str) -> None:
    assert refusal(context("me", VirtualClock(1000.0)), garbage) == "Invalid NextToken"


def test_a_position_past_the_plan_is_invalid() -> None:
    ctx = context("me", VirtualClock(1000.0))
    assert refusal(ctx, token(ctx, query=2)) == "Invalid NextToken"
