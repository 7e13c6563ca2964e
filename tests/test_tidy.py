"""Source rules of STYLE.md that a scan can enforce (rules 5, 6, 9 and 11)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "openddb"
# Rule 9: these rooms take time, randomness and ids from ctx, never from the machine.
INJECTED_ROOMS = ("api", "model", "expressions", "storage", "streams", "ttl", "backups")
FORBIDDEN_CALLS = re.compile(r"\b(time\.time|datetime\.now|datetime\.utcnow|uuid\.uuid4|uuid4)\(")
FORBIDDEN_RANDOM = re.compile(r"^\s*(import random\b|from random import)", re.MULTILINE)
# Rule 6: DynamoDB limits live in limits.py; these literals must not appear elsewhere.
LIMIT_LITERALS = {25, 100, 400, 1024, 2048, 4096, 65535, 409600, 1048576, 16777216, 1000000}
LIMIT_ROOMS = ("api", "expressions", "storage", "model")
FUNCTION_LINES_MAX = 80
LINE_COLUMNS_MAX = 100


def sources(*rooms: str) -> list[Path]:
    if not rooms:
        return sorted(PACKAGE.rglob("*.py"))
    return sorted(path for room in rooms for path in (PACKAGE / room).rglob("*.py"))


def test_error_texts_live_in_errors_module() -> None:
    offenders = []
    for path in sources():
        if path.name == "errors.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "errors"
                and node.func.attr[0].isupper()
                and any(isinstance(arg, (ast.Constant, ast.JoinedStr)) for arg in node.args)
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == [], "build messages with a function in errors.py"


def test_time_and_randomness_are_injected() -> None:
    offenders = []
    for path in sources(*INJECTED_ROOMS):
        text = path.read_text()
        for match in FORBIDDEN_CALLS.finditer(text):
            offenders.append(f"{path.relative_to(PACKAGE)}: {match.group(0)}")
        if FORBIDDEN_RANDOM.search(text):
            offenders.append(f"{path.relative_to(PACKAGE)}: imports random")
    assert offenders == [], "use ctx.clock and ctx.random"


def test_limits_are_named_in_limits_module() -> None:
    offenders = []
    for path in sources(*LIMIT_ROOMS):
        tree = ast.parse(path.read_text())
        module_constants = {
            id(node.value)
            for node in tree.body
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and type(node.value) is int
                and node.value in LIMIT_LITERALS
                and id(node) not in module_constants
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value}")
    assert offenders == [], "name DynamoDB limits in limits.py"


def test_functions_and_lines_stay_small() -> None:
    offenders = []
    for path in sources():
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), 1):
            if len(line) > LINE_COLUMNS_MAX:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {len(line)} columns")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES_MAX:
                    offenders.append(
                        f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.name} has {length} lines"
                    )
    assert offenders == []
