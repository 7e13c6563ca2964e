"""The request context: everything a handler needs besides the request itself.

Handlers have the signature ``handler(ctx: Context, request: dict) -> dict``.
Server-wide plumbing (settings, storage engine, clock, randomness, catalog)
lives in one :class:`Server` object; the per-request part is the caller's
namespace, account id and region, taken from the SigV4 credential scope.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openddb.clock import Clock
from openddb.config import Settings
from openddb.model.table import Catalog
from openddb.storage.engine import Engine

if TYPE_CHECKING:
    from openddb.throughput.meter import Throughput


@dataclass(slots=True)
class Server:
    """Shared state of one running openddb."""

    settings: Settings
    engine: Engine
    clock: Clock
    random: random.Random
    catalog: Catalog
    throughput: Throughput | None = None  # capacity counters and throttling (throughput/)


@dataclass(frozen=True, slots=True)
class Context:
    """One request's context: the server, and who is asking where.

    ``namespace`` separates tables per (access key id, region), or is "shared"
    with ``--shared-db``; ``account_id`` is 12 digits; ``region`` as signed.
    """

    server: Server
    namespace: str
    account_id: str
    region: str

    @property
    def engine(self) -> Engine:
        return self.server.engine

    @property
    def clock(self) -> Clock:
        return self.server.clock

    @property
    def catalog(self) -> Catalog:
        return self.server.catalog

    @property
    def settings(self) -> Settings:
        return self.server.settings

    @property
    def random(self) -> random.Random:
        return self.server.random

    def table_arn(self, table_name: str) -> str:
        return f"arn:aws:dynamodb:{self.region}:{self.account_id}:table/{table_name}"
