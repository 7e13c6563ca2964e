"""The ASGI application: HTTP in, ``dispatch.call`` in the middle, HTTP out.

Thin by design: it reads the body (size-limited, gzip accepted), answers
``GET /``, ``/health`` and ``/metrics``, CORS when enabled, and otherwise hands the target
header, the ``Authorization`` header and the body to :func:`respond`, which is
transport-free. Handlers that write run on worker threads (they wait for the
storage commit, and waiting together lets the engine group commits); reads run
on the event loop, which is cheaper than a thread hop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from openddb import errors, limits
from openddb.context import Context, Server
from openddb.indexes.workers import IndexWorkers
from openddb.protocol import json_1_0
from openddb.protocol.sigv4 import caller_of
from openddb.server import admin, dispatch
from openddb.streams.workers import StreamWorkers
from openddb.ttl.sweeper import TtlSweeper

log = logging.getLogger("openddb.server")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

SHARED_NAMESPACE = "shared"
HEALTH_TEXT = b"healthy: openddb (DynamoDB-compatible)"
# DynamoDB answers requests that are not POST / JSON with this body and HTTP 404.
UNKNOWN_OPERATION_XML = b"<UnknownOperationException/>\n"
CORS_ALLOWED_HEADERS = (
    b"authorization, content-type, x-amz-date, x-amz-target, x-amz-security-token, "
    b"x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request"
)
CORS_EXPOSED_HEADERS = b"x-amzn-requestid, x-amz-crc32"
METRICS_CONTENT_TYPE = b"text/plain; version=0.0.4; charset=utf-8"
CORS_MAX_AGE_SECONDS = b"172800"


def respond(
    server: Server, target: str | None, authorization: str | None, body: bytes, request_id: str
) -> tuple[int, bytes]:
    """Answer one API request: ``(HTTP status, JSON body)``. Never raises."""
    started = time.perf_counter()
    operation_name = target or "-"
    try:
        request = json_1_0.decode_request(body)
        service, operation_name = json_1_0.split_target(target)
        dispatch.find_operation(service, operation_name)
        caller = caller_of(authorization)
        namespace = (
            SHARED_NAMESPACE
            if server.settings.shared_db
            else f"{caller.access_key_id}:{caller.region}"
        )
        ctx = Context(server, namespace, caller.account_id, caller.region)
        response = dispatch.call(ctx, service, operation_name, request)
        status, payload = 200, json_1_0.encode_response(response)
    except errors.DynamoDBError as error:
        status, payload = error.status, json_1_0.encode_error(error)
    except Exception:
        log.exception("internal error in %s (request id %s)", operation_name, request_id)
        fault = errors.internal_server_error()
        status, payload = fault.status, json_1_0.encode_error(fault)
    if log.isEnabledFor(logging.DEBUG):
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug("%s %d %.2fms %s", operation_name, status, elapsed_ms, request_id)
    return status, payload


class Application:
    """The ASGI 3 application of one openddb server."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self._request_ids = random.Random(os.urandom(16))
        cors = server.settings.cors
        # None: CORS off; "*": any origin; otherwise the allowed Origin header values.
        self._cors_origins: frozenset[bytes] | None = (
            None if not cors else frozenset(o.strip().encode() for o in cors.split(","))
        )
        self.stream_workers = StreamWorkers(server)
        self.ttl_sweeper = TtlSweeper(server)
        self.index_workers = IndexWorkers(server)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.stream_workers.start()
                self.ttl_sweeper.start()
                self.index_workers.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def close(self) -> None:
        """Stop the stream workers, then close storage (queued writes finish first)."""
        self.stream_workers.stop()
        self.ttl_sweeper.stop()
        self.index_workers.stop()
        self.server.engine.close()

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        headers = dict(scope["headers"])
        cors = self._cors_headers(headers)
        if method == "OPTIONS" and self._cors_origins is not None:
            await self._send(send, 200, b"", b"text/plain", None, cors)
            return
        if scope["path"].startswith(admin.PATH_PREFIX):  # the clock and TTL sweeps
            admin_body = await self._read_body(receive, headers) or b""
            status, payload = await admin.answer(
                self.server, self.ttl_sweeper, method, scope["path"], admin_body
            )
            await self._send(send, status, payload, b"application/json", None, cors)
            return
        if method == "GET":
            await self._health(scope, send, cors)
            return
        body = await self._read_body(receive, headers)
        if body is None:
            error = errors.request_too_large(limits.REQUEST_BODY_BYTES_MAX)
            await self._send(
                send,
                error.status,
                json_1_0.encode_error(error),
                json_1_0.CONTENT_TYPE.encode(),
                None,
                cors,
            )
            return
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip()
        if method != "POST" or content_type not in (
            b"application/x-amz-json-1.0",
            b"application/json",
        ):
            await self._send(send, 404, UNKNOWN_OPERATION_XML, b"text/xml", None, cors)
            return
        request_id = self._request_ids_next()
        target = _header(headers, b"x-amz-target")
        authorization = _header(headers, b"authorization")
        if self._writes(target):
            status, payload = await self._respond_on_writer(target, authorization, body, request_id)
        else:
            status, payload = respond(self.server, target, authorization, body, request_id)
        await self._send(send, status, payload, content_type, request_id, cors)

    def _cors_headers(self, headers: dict[bytes, bytes]) -> list[tuple[bytes, bytes]]:
        """CORS response headers for this request's ``Origin`` (none when CORS is off or
        the origin is not allowed)."""
        allowed = self._cors_origins
        if allowed is None:
            return []
        if b"*" in allowed:
            origin = b"*"
        else:
            origin = headers.get(b"origin", b"")
            if origin not in allowed:
                return []
        return [
            (b"access-control-allow-origin", origin),
            (b"vary", b"Origin"),
            (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
            (b"access-control-allow-headers", CORS_ALLOWED_HEADERS),
            (b"access-control-expose-headers", CORS_EXPOSED_HEADERS),
            (b"access-control-max-age", CORS_MAX_AGE_SECONDS),
        ]

    async def _respond_on_writer(
        self, target: str | None, authorization: str | None, body: bytes, request_id: str
    ) -> tuple[int, bytes]:
        """Answer a write request on the storage writer thread, inside its group commit.

        The whole request (decode, validation, handler) runs as one job of the writer,
        so its storage work joins the open transaction without a thread hand-off per
        write; the answer is released only after that transaction has committed.
        """
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[tuple[int, bytes]] = loop.create_future()
        server = self.server

        def job(_transaction: object) -> tuple[int, bytes]:
            return respond(server, target, authorization, body, request_id)

        def done(committed: bool, value: Any) -> None:
            if not committed:
                log.error("commit failed for request %s: %r", request_id, value)
                fault = errors.internal_server_error()
                value = (fault.status, json_1_0.encode_error(fault))
            loop.call_soon_threadsafe(_settle, answer, value)

        server.engine.submit(job, done)
        return await answer

    def _request_ids_next(self) -> str:
        return json_1_0.new_request_id(self._request_ids)

    def _writes(self, target: str | None) -> bool:
        try:
            service, name = json_1_0.split_target(target)
            return dispatch.find_operation(service, name).writes
        except errors.DynamoDBError:
            return False

    async def _read_body(self, receive: Receive, headers: dict[bytes, bytes]) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limits.REQUEST_BODY_BYTES_MAX:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if headers.get(b"content-encoding", b"").strip().lower() == b"gzip":
            return _gunzip(body)
        return body

    async def _health(self, scope: Scope, send: Send, cors: list[tuple[bytes, bytes]]) -> None:
        throughput = self.server.throughput
        if scope["path"] == "/metrics" and throughput is not None:
            # Consumed capacity per table and index, throttles (openddb/throughput/).
            text = throughput.metrics_text(self.server.catalog.all())
            await self._send(send, 200, text.encode(), METRICS_CONTENT_TYPE, None, cors)
        elif scope["path"] == "/health":
            payload = orjson.dumps({"status": "healthy", "tables": "ok"})
            await self._send(send, 200, payload, b"application/json", None, cors)
        else:
            await self._send(send, 200, HEALTH_TEXT, b"text/plain", None, cors)

    async def _send(
        self,
        send: Send,
        status: int,
        payload: bytes,
        content_type: bytes,
        request_id: str | None,
        cors: list[tuple[bytes, bytes]],
    ) -> None:
        response_headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(payload)).encode()),
            (b"x-amz-crc32", json_1_0.crc32(payload).encode()),
        ]
        if request_id is not None:
            response_headers.append((b"x-amzn-requestid", request_id.encode()))
        response_headers += cors
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": payload})


def _settle(answer: asyncio.Future[tuple[int, bytes]], value: tuple[int, bytes]) -> None:
    if not answer.done():  # the client may have gone away and the task been cancelled
        answer.set_result(value)


def _header(headers: dict[bytes, bytes], name: bytes) -> str | None:
    value = headers.get(name)
    return None if value is None else value.decode("latin-1")


def _gunzip(body: bytes) -> bytes | None:
    """Inflate a gzip body, refusing (None) past the inflated-size limit."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        inflated = inflater.decompress(body, limits.REQUEST_BODY_INFLATED_BYTES_MAX + 1)
    except zlib.error:
        return b"\x00"  # not gzip after all: answered as an unparsable body
    if len(inflated) > limits.REQUEST_BODY_INFLATED_BYTES_MAX:
        return None
    return inflated
