"""Lambda event-filtering patterns (FilterCriteria) against stream records, without a server.
Cases follow the Lambda Developer Guide's filter rule syntax table."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from openddb.streams.triggers.filters import FilterError, matches_any, parse_filter_criteria

RECORD: dict[str, Any] = {
    "eventName": "MODIFY",
    "awsRegion": "us-east-1",
    "dynamodb": {
        "Keys": {"pk": {"S": "customer#1"}},
        "NewImage": {
            "pk": {"S": "customer#1"},
            "status": {"S": "Paid"},
            "tags": {"SS": ["a", "b"]},
            "note": {"NULL": True},
        },
        "SizeBytes": 120,
    },
}


def criteria(*patterns: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    return parse_filter_criteria(
        {"Filters": [{"Pattern": orjson.dumps(pattern).decode()} for pattern in patterns]}
    )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"eventName": ["MODIFY"]}, True),
        ({"eventName": ["INSERT", "REMOVE"]}, False),
        ({"dynamodb": {"NewImage": {"status": {"S": ["Paid"]}}}}, True),
        ({"dynamodb": {"NewImage": {"status": {"S": [{"equals-ignore-case": "paid"}]}}}}, True),
        ({"dynamodb": {"Keys": {"pk": {"S": [{"prefix": "customer#"}]}}}}, True),
        ({"dynamodb": {"Keys": {"pk": {"S": [{"suffix": "#2"}]}}}}, False),
        ({"eventName": [{"anything-but": ["REMOVE"]}]}, True),
        ({"eventName": [{"anything-but": "MODIFY"}]}, False),
        ({"dynamodb": {"SizeBytes": [{"numeric": [">", 100, "<=", 120]}]}}, True),
        ({"dynamodb": {"SizeBytes": [{"numeric": ["<", 100]}]}}, False),
        # DynamoDB numbers are strings on the wire: numeric matching does not see them.
        ({"dynamodb": {"Keys": {"pk": {"S": [{"numeric": [">", 0]}]}}}}, False),
        ({"dynamodb": {"OldImage": [{"exists": False}]}}, True),
        ({"dynamodb": {"NewImage": [{"exists": True}]}}, True),
        ({"dynamodb": {"NewImage": {"tags": {"SS": ["b"]}}}}, True),  # any list element
        ({"dynamodb": {"NewImage": {"note": {"NULL": [True]}}}}, True),
        ({"eventName": ["MODIFY"], "awsRegion": ["eu-west-1"]}, False),  # every key must match
        ({"$or": [{"eventName": ["INSERT"]}, {"awsRegion": ["us-east-1"]}]}, True),
        ({"missing": [None]}, False),
    ],
)
def test_patterns(pattern: dict[str, Any], expected: bool) -> None:
    assert matches_any(criteria(pattern), RECORD) is expected


def test_any_filter_may_match_and_no_filter_matches_everything() -> None:
    assert matches_any(criteria({"eventName": ["INSERT"]}, {"eventName": ["MODIFY"]}), RECORD)
    assert matches_any((), RECORD)


@pytest.mark.parametrize(
    "filter_criteria",
    [
        {"Filters": [{"Pattern": "not json"}]},
        {"Filters": [{"Pattern": '{"eventName": []}'}]},
        {"Filters": [{"Pattern": '{"eventName": [{"between": 1}]}'}]},
        {"Filters": [{"Pattern": '{"n": [{"numeric": ["~", 1]}]}'}]},
        {"Filters": [{"Pattern": '{"n": [{"exists": "yes"}]}'}]},
        {"Filters": "nope"},
    ],
)
def test_bad_patterns_are_refused(filter_criteria: dict[str, Any]) -> None:
    with pytest.raises(FilterError):
        parse_filter_criteria(filter_criteria)
