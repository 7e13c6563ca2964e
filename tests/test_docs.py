"""The README documents every operation openddb answers and every server setting."""

from __future__ import annotations

from pathlib import Path

from openddb.config import SETTINGS
from openddb.server.dispatch import OPERATIONS, STREAMS_OPERATIONS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_operation_is_documented() -> None:
    missing = [name for name in [*OPERATIONS, *STREAMS_OPERATIONS] if name not in README]
    assert missing == []


def test_every_setting_is_documented() -> None:
    missing = [
        field.name for field in SETTINGS if "--" + field.name.replace("_", "-") not in README
    ]
    assert missing == []
