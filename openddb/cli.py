"""Command line: ``openddb serve`` (the default command) and its flags.

Every flag comes from :class:`openddb.config.Settings`; DynamoDB Local's
spellings (``-port``, ``-inMemory``, ``-dbPath``, ``-sharedDb``,
``-delayTransientStatuses``, ``-cors``) are accepted too, so scripts written
for DynamoDB Local switch over unchanged.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Sequence

from openddb import __version__
from openddb.config import SETTINGS, Settings

# The conventional exit status of a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130

# DynamoDB Local's flag spellings -> our setting names.
DYNAMODB_LOCAL_ALIASES = {
    "port": "-port",
    "in_memory": "-inMemory",
    "db_path": "-dbPath",
    "shared_db": "-sharedDb",
    "delay_transient_statuses": "-delayTransientStatuses",
    "cors": "-cors",
}
# Accepted for compatibility; they change nothing in openddb.
DYNAMODB_LOCAL_IGNORED = ("-disableTelemetry", "-optimizeDbBeforeStartup")

DESCRIPTION = """\
openddb: a DynamoDB-compatible database server (embedded SQLite).
Point any DynamoDB client at it, e.g.
  aws dynamodb list-tables --endpoint-url http://localhost:8000
"""


def _add_setting(parser: argparse.ArgumentParser, field: dataclasses.Field[object]) -> None:
    flags = ["--" + field.name.replace("_", "-")]
    if field.name in DYNAMODB_LOCAL_ALIASES:
        flags.append(DYNAMODB_LOCAL_ALIASES[field.name])
    help_text = field.metadata["help"]
    if field.type in (bool, "bool"):
        parser.add_argument(*flags, dest=field.name, action="store_true", help=help_text)
        return
    kind = {"int": int, "float": float}.get(str(field.type), str)
    choices = field.metadata.get("choices")
    parser.add_argument(
        *flags,
        dest=field.name,
        type=kind,
        default=field.default,
        choices=choices,
        metavar="{" + ",".join(choices) + "}" if choices else field.name.upper(),
        help=f"{help_text} (default: {field.default})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openddb", description=DESCRIPTION, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"openddb {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the server (the default command)",
        description="Run openddb in the foreground. Ctrl-C or SIGTERM stops it cleanly: "
        "in-flight requests finish and the database is closed.",
    )
    for field in SETTINGS:
        _add_setting(serve, field)
    for flag in DYNAMODB_LOCAL_IGNORED:
        serve.add_argument(flag, action="store_true", help=argparse.SUPPRESS)
    return parser


def parse_settings(argv: Sequence[str]) -> Settings:
    """Settings from ``openddb serve`` arguments (without the command word)."""
    namespace = build_parser().parse_args(["serve", *argv])
    values = {field.name: getattr(namespace, field.name) for field in SETTINGS}
    return Settings(**values)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # `openddb -port 8001` (DynamoDB Local style) means `openddb serve -port 8001`.
    if not arguments or (
        arguments[0].startswith("-") and arguments[0] not in ("-h", "--help", "--version")
    ):
        arguments.insert(0, "serve")
    namespace = build_parser().parse_args(arguments)
    if namespace.command != "serve":
        build_parser().print_help()
        return 2
    settings = parse_settings(arguments[1:])
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from openddb.server.runtime import serve

    try:
        status = serve(settings)
    except ValueError as error:  # a setting or trigger definition openddb cannot run with
        print(f"openddb: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C: the server has already shut down cleanly; uvicorn re-raised the signal.
        return EXIT_INTERRUPTED
    return status
