"""Responses leave the server whole: status line, headers and body in one write
(openddb/server/transport.py), on every path a client can take."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

LIST_TABLES = (
    b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
    b"X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
    b"Authorization: AWS4-HMAC-SHA256 Credential=transport/20260101/us-east-1/dynamodb/"
    b"aws4_request, SignedHeaders=host, Signature=00\r\n"
)


def _connect(endpoint: str) -> socket.socket:
    url = urlsplit(endpoint)
    assert url.hostname is not None and url.port is not None
    return socket.create_connection((url.hostname, url.port), timeout=10)


def _read_response(connection: socket.socket) -> bytes:
    """Bytes up to the end of one response with a Content-Length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def test_keep_alive_requests_get_whole_answers(endpoint: str) -> None:
    body = b"{}"
    request = LIST_TABLES + b"Content-Length: 2\r\n\r\n" + body
    with _connect(endpoint) as connection:
        for _ in range(3):
            connection.sendall(request)
            answer = _read_response(connection)
            assert answer.startswith(b"HTTP/1.1 200 ")
            assert answer.endswith(b'{"TableNames":[]}')


def test_expect_100_continue_is_answered_before_the_body(endpoint: str) -> None:
    with _connect(endpoint) as connection:
        connection.sendall(LIST_TABLES + b"Content-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        interim = connection.recv(65536)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n")
        connection.sendall(b"{}")
        assert _read_response(connection).startswith(b"HTTP/1.1 200 ")


def test_a_head_request_is_answered_without_a_body(endpoint: str) -> None:
    with _connect(endpoint) as connection:
        connection.sendall(b"HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(65536)
            assert chunk, "connection closed before the answer"
            head += chunk
        assert head.startswith(b"HTTP/1.1 404 ")  # only GET and POST are answered


def test_connection_close_still_delivers_the_answer(endpoint: str) -> None:
    request = LIST_TABLES + b"Connection: close\r\nContent-Length: 2\r\n\r\n{}"
    with _connect(endpoint) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 ")
    assert b'"TableNames"' in data
