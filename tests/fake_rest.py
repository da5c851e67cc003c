"""A recording HTTP proxy in front of the emulator's REST side, and broken answers on demand.

``RestProxy(target)`` starts a ``ThreadingHTTPServer`` on 127.0.0.1 that
passes every request on to ``target`` (the emulator's ``http_url``) and
hands the answer back.  On the way it notes the request as it arrived
(:class:`Received`: verb, path, query, headers, body, and which method it
was) and, decoded, in the test's :class:`~fake_wire.Wire`, where the same
scripted failures and delays as over gRPC apply.  Tests queue raw answers
with ``answer_next`` to see how a client copes with a broken server; no
service rule lives here.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fake_wire import Wire, held_operation_json
from google.api_core import exceptions

from google.cloud.tasks._core.spec import Method
from google.cloud.tasks.emulator import ServiceError
from google.cloud.tasks.emulator.servers.rest_gateway import build_request, routes

_ROUTES = routes()
#: headers that belong to one connection, or that would change the answer's encoding
_NOT_FORWARDED = frozenset(
    ("host", "connection", "keep-alive", "content-length", "transfer-encoding", "accept-encoding")
)


@dataclass
class Received:
    """One HTTP request as the proxy saw it."""

    verb: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    method: str | None = None


@dataclass
class Answer:
    """A raw answer to send instead of the emulator's: status, headers, body.

    ``length`` declares a Content-Length different from the body's (a
    truncated answer); ``delay`` waits before answering.
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    length: int | None = None
    delay: float = 0.0


def decode(verb: str, path: str, query: list[tuple[str, str]], body: bytes) -> tuple[Any, Any]:
    """``(method, request)`` a REST call describes, as the emulator reads it.

    ``(None, None)`` when no binding matches; ``(method, None)`` when the
    request does not parse.
    """
    for route in _ROUTES:
        if route.verb != verb:
            continue
        match = route.pattern.fullmatch(path)
        if match is None:
            continue
        method: Method = route.row
        try:
            pb = build_request(route, match, query, body)
        except ServiceError:
            return method, None
        return method, (pb if method.raw else method.request.wrap(pb))
    return None, None


def _status_of(code: Any) -> int:
    return int(exceptions.exception_class_for_grpc_status(code).code or 500)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # send each write at once: no Nagle wait for the client's delayed ACK
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass

    def _send(self, status: int, body: bytes, content_type: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        if length is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            self.close_connection = True

    def _error(self, status: int, name: str, message: str) -> None:
        body = {"error": {"code": status, "message": message, "status": name}}
        self._send(status, json.dumps(body).encode(), "application/json; charset=UTF-8")

    def _handle(self) -> None:
        proxy = self.server.proxy
        wire = proxy.wire
        parts = urlsplit(self.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size) if size else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        seen = Received(self.command, parts.path, query, headers, body)
        with wire.lock:
            wire.received.append(seen)
            answer = wire.http_answers.pop(0) if wire.http_answers else None
        if answer is not None:
            time.sleep(answer.delay)
            self._send(answer.status, answer.body, answer.content_type, answer.length)
            return
        method, request = decode(self.command, parts.path, query, body)
        hold = False
        if method is not None:
            seen.method = method.name
            if request is not None:
                plan = wire.arrive(method.name, request, headers)
                if plan.delay:
                    time.sleep(plan.delay)
                if wire.closed:  # the test is over: the caller gave up long ago
                    self.close_connection = True
                    return
                if plan.fault is not None:
                    code = plan.fault.code
                    self._error(_status_of(code), code.name, plan.fault.message)
                    return
                hold = plan.hold
        status, content_type, data = proxy.forward(self.command, self.path, headers, body)
        if hold and status == 200:
            data = json.dumps(held_operation_json(method, json.loads(data))).encode()
        self._send(status, data, content_type)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    proxy: RestProxy


class RestProxy:
    """A running recording proxy; ``address`` is ``127.0.0.1:port``.

    :attr:`wire` is the current test's :class:`~fake_wire.Wire` (replace it
    for every test).
    """

    def __init__(self, target: str) -> None:
        self.wire = Wire()
        split = urlsplit(target)
        self._target = (split.hostname or "127.0.0.1", split.port or 80)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self.port = self._server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def forward(
        self, verb: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        """Send the request on to the emulator: its ``(status, content type, body)``."""
        sent = {k: v for k, v in headers.items() if k not in _NOT_FORWARDED}
        connection = http.client.HTTPConnection(*self._target, timeout=30)
        try:
            connection.request(verb, target, body=body or None, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
            return answer.status, answer.getheader("Content-Type", "application/json"), data
        finally:
            connection.close()

    @property
    def received(self) -> list[Received]:
        """Every request that arrived in this test, oldest first."""
        return self.wire.received  # type: ignore[no-any-return]

    def answer_next(
        self,
        status: int = 200,
        body: bytes | str = b"",
        content_type: str = "application/json",
        *,
        length: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer the next request with these raw bytes instead of asking the emulator."""
        data = body.encode() if isinstance(body, str) else body
        with self.wire.lock:
            self.wire.http_answers.append(Answer(status, data, content_type, length, delay))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
