"""Trigger definitions: a JSON file (``--triggers FILE``) and the CLI (``--trigger``).

The file holds Lambda event-source-mapping parameters (Lambda Developer Guide "Lambda
parameters for Amazon DynamoDB event source mappings"), with ``TableName`` in place of
the stream ARN (a trigger follows every stream of the table, including one re-enabled
later) and a target in ``FunctionName``::

    {"Triggers": [{
        "Name": "order-totals",                      # checkpoint key (default: table/function)
        "TableName": "Orders",
        "FunctionName": "examples.order_totals:handler",   # or "http://127.0.0.1:9000/audit"
        "StartingPosition": "TRIM_HORIZON",          # or LATEST (required, as in Lambda)
        "BatchSize": 100,                            # 1..10000
        "MaximumBatchingWindowInSeconds": 0,         # 0..300
        "FilterCriteria": {"Filters": [{"Pattern": "{\\"eventName\\": [\\"INSERT\\"]}"}]},
        "MaximumRetryAttempts": 2,                   # -1 (default): until the records expire
        "BisectBatchOnFunctionError": true,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "DestinationConfig": {"OnFailure": {"Destination": "failures.jsonl"}},
        "Timeout": 3                                 # seconds, for HTTP targets
    }]}

``--trigger TABLE=FUNCTION[,TABLE=FUNCTION...]`` defines triggers with the defaults and
StartingPosition LATEST. Mistakes raise :class:`TriggerConfigError` at startup.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, cast

import orjson

from openddb.config import Settings
from openddb.streams.triggers.filters import FilterError, Pattern, parse_filter_criteria

# Lambda's bounds for DynamoDB event source mappings.
BATCH_SIZE_MAX = 10_000
BATCHING_WINDOW_SECONDS_MAX = 300
RETRY_ATTEMPTS_MAX = 10_000
# Ours: each trigger runs on a thread of its own.
TRIGGERS_MAX = 32
STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST")
REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures"
_MEMBERS = frozenset({
    "Name", "TableName", "FunctionName", "StartingPosition", "BatchSize",
    "MaximumBatchingWindowInSeconds", "FilterCriteria", "MaximumRetryAttempts",
    "BisectBatchOnFunctionError", "FunctionResponseTypes", "DestinationConfig", "Timeout",
    "Enabled",
})


class TriggerConfigError(ValueError):
    """A trigger definition openddb cannot run."""


@dataclass(frozen=True)
class Trigger:
    name: str
    table_name: str
    function_name: str
    starting_position: str
    batch_size: int = 100
    maximum_batching_window_seconds: float = 0.0
    filter_patterns: tuple[Pattern, ...] = ()
    maximum_retry_attempts: int = -1
    bisect_batch_on_function_error: bool = False
    report_batch_item_failures: bool = False
    on_failure_destination: str | None = None
    timeout_seconds: float = 3.0
    enabled: bool = True


def load_triggers(settings: Settings) -> list[Trigger]:
    """Every trigger of ``--triggers`` and ``--trigger``; names must be unique."""
    triggers: list[Trigger] = []
    if settings.triggers:
        triggers += load_file(settings.triggers)
    if settings.trigger:
        triggers += parse_spec(settings.trigger)
    names = [trigger.name for trigger in triggers]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise TriggerConfigError(f"trigger names must be unique: {', '.join(duplicates)}")
    if len(triggers) > TRIGGERS_MAX:
        raise TriggerConfigError(f"at most {TRIGGERS_MAX} triggers")
    return [trigger for trigger in triggers if trigger.enabled]


def load_file(path: str) -> list[Trigger]:
    try:
        with open(path, "rb") as file:
            document = orjson.loads(file.read())
    except OSError as error:
        raise TriggerConfigError(f"cannot read triggers file {path}: {error}") from None
    except orjson.JSONDecodeError as error:
        raise TriggerConfigError(f"triggers file {path} is not JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("Triggers"), list):
        raise TriggerConfigError(f'{path}: expected {{"Triggers": [...]}}')
    return [_trigger(definition, f"{path}: trigger {index}")
            for index, definition in enumerate(document["Triggers"])]


def parse_spec(spec: str) -> list[Trigger]:
    """``TABLE=FUNCTION[,TABLE=FUNCTION...]`` from the command line."""
    triggers = []
    for part in spec.split(","):
        table_name, separator, function_name = part.strip().partition("=")
        if not separator or not table_name or not function_name:
            raise TriggerConfigError(f"--trigger {part!r}: expected TABLE=FUNCTION")
        triggers.append(_trigger(
            {"TableName": table_name, "FunctionName": function_name, "StartingPosition": "LATEST"},
            f"--trigger {part}",
        ))
    return triggers


def _trigger(definition: Any, where: str) -> Trigger:
    if not isinstance(definition, dict):
        raise TriggerConfigError(f"{where}: expected an object")
    unknown = sorted(set(definition) - _MEMBERS)
    if unknown:
        raise TriggerConfigError(f"{where}: unknown members {', '.join(unknown)}")
    table_name = _string(definition, "TableName", where)
    function_name = _string(definition, "FunctionName", where)
    starting_position = _string(definition, "StartingPosition", where)
    if starting_position not in STARTING_POSITIONS:
        raise TriggerConfigError(f"{where}: StartingPosition must be TRIM_HORIZON or LATEST")
    response_types = definition.get("FunctionResponseTypes", [])
    if response_types not in ([], [REPORT_BATCH_ITEM_FAILURES]):
        raise TriggerConfigError(f"{where}: FunctionResponseTypes may only hold "
                                 f"{REPORT_BATCH_ITEM_FAILURES}")
    try:
        patterns = (parse_filter_criteria(definition["FilterCriteria"])
                    if "FilterCriteria" in definition else ())
    except FilterError as error:
        raise TriggerConfigError(f"{where}: {error}") from None
    trigger = Trigger(
        name=definition.get("Name", f"{table_name}/{function_name}"),
        table_name=table_name,
        function_name=function_name,
        starting_position=starting_position,
        filter_patterns=patterns,
        report_batch_item_failures=bool(response_types),
        on_failure_destination=_destination(definition, where),
    )
    return dataclasses.replace(trigger, **_numbers(definition, where))


def _string(definition: dict[str, Any], member: str, where: str) -> str:
    value = definition.get(member)
    if not isinstance(value, str) or not value:
        raise TriggerConfigError(f"{where}: {member} (a non-empty string) is required")
    return value


def _destination(definition: dict[str, Any], where: str) -> str | None:
    if "DestinationConfig" not in definition:
        return None
    destination = definition["DestinationConfig"].get("OnFailure", {}).get("Destination")
    if not isinstance(destination, str) or not destination:
        raise TriggerConfigError(
            f"{where}: DestinationConfig must be "
            '{"OnFailure": {"Destination": "<file or URL>"}}'
        )
    return destination


def _numbers(definition: dict[str, Any], where: str) -> dict[str, Any]:
    """The numeric and boolean members, range-checked (Lambda's bounds)."""
    bounds: dict[str, tuple[str, type | tuple[type, ...], float, float]] = {
        # member: (field, type, low, high)
        "BatchSize": ("batch_size", int, 1, BATCH_SIZE_MAX),
        "MaximumBatchingWindowInSeconds": (
            "maximum_batching_window_seconds", (int, float), 0, BATCHING_WINDOW_SECONDS_MAX),
        "MaximumRetryAttempts": ("maximum_retry_attempts", int, -1, RETRY_ATTEMPTS_MAX),
        "Timeout": ("timeout_seconds", (int, float), 0.001, 900),
    }
    values: dict[str, Any] = {}
    for member, (field, kind, low, high) in bounds.items():
        if member not in definition:
            continue
        value: Any = definition[member]
        valid = not isinstance(value, bool) and isinstance(value, kind)
        if not valid or not low <= cast(float, value) <= high:
            raise TriggerConfigError(f"{where}: {member} must be a number from {low} to {high}")
        values[field] = value
    for member, field in (("BisectBatchOnFunctionError", "bisect_batch_on_function_error"),
                          ("Enabled", "enabled")):
        if member in definition:
            if not isinstance(definition[member], bool):
                raise TriggerConfigError(f"{where}: {member} must be true or false")
            values[field] = definition[member]
    return values
