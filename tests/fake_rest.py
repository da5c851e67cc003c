"""A real HTTP server in front of a :class:`FakeCloudTasks`, routed by the tables' HttpRules.

``serve(fake, *services)`` starts a ``ThreadingHTTPServer`` on 127.0.0.1 and
returns a :class:`RestServer`.  Each request is matched by verb and URI
template against every HTTP binding of the services' rows; the request
message is built from the JSON body, then the path parameters, then the
query parameters (proto3 JSON names), and handed to ``fake.handle``.  A
:class:`FakeError` becomes its HTTP status with a Google error body.

Tests read ``server.received`` (what arrived: verb, path, query, headers,
body) and queue raw answers with ``server.answer_next`` to see how a client
copes with a broken server.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import proto
import pytest
from conftest import emulated
from fake_service import FakeCloudTasks, FakeError, raw, raw_class
from google.api_core import exceptions
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from google.cloud.tasks._core.spec import HttpRule, Method, Service
from google.cloud.tasks_v2 import CloudTasksAsyncClient, CloudTasksClient

_VARIABLE = re.compile(r"\{([\w.]+)(?:=([^}]*))?\}")


def _pattern(template: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """A regex matching the paths of a URI template, and the field of each named group."""
    out, names, last = [], {}, 0
    for index, match in enumerate(_VARIABLE.finditer(template)):
        out.append(re.escape(template[last : match.start()]))
        segments = (match.group(2) or "*").split("/")
        body = "/".join(
            ".+" if seg == "**" else "[^/]+" if seg == "*" else re.escape(seg) for seg in segments
        )
        group = f"v{index}"
        names[group] = match.group(1)
        out.append(f"(?P<{group}>{body})")
        last = match.end()
    out.append(re.escape(template[last:]))
    return re.compile("^" + "".join(out) + "$"), names


@dataclass
class Route:
    method: Method
    rule: HttpRule
    pattern: re.Pattern[str]
    fields: dict[str, str]


@dataclass
class Received:
    """One HTTP request as the server saw it."""

    verb: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    method: str | None = None


@dataclass
class Answer:
    """A raw answer to send instead of the fake's: status, headers, body.

    ``length`` declares a Content-Length different from the body's (a
    truncated answer); ``delay`` waits before answering.
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    length: int | None = None
    delay: float = 0.0


@dataclass
class _Shared:
    fake: FakeCloudTasks
    routes: list[Route]
    received: list[Received] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _set_path_field(message: Any, dotted: str, value: str) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        message = getattr(message, part)
    setattr(message, leaf, value)


def _query_value(spec: FieldDescriptor, value: str) -> Any:
    if spec.type == FieldDescriptor.TYPE_BOOL:
        return value == "true"
    if spec.type == FieldDescriptor.TYPE_ENUM:
        return int(value) if value.lstrip("-").isdigit() else value
    if spec.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return float(value)
    return value  # strings, 64-bit ints and well-known types take their JSON string form


def _repeated(spec: FieldDescriptor) -> bool:
    flag = getattr(spec, "is_repeated", None)
    return bool(flag) if flag is not None else spec.label == spec.LABEL_REPEATED


def _apply_query(message: Any, query: list[tuple[str, str]]) -> None:
    """Set the fields named (by JSON or proto name, dotted) in the query string."""
    tree: dict[str, Any] = {}
    for key, value in query:
        if key.startswith("$"):
            continue
        descriptor = message.DESCRIPTOR
        node = tree
        parts = key.split(".")
        for index, part in enumerate(parts):
            spec = descriptor.fields_by_camelcase_name.get(part) or descriptor.fields_by_name.get(
                part
            )
            if spec is None:
                raise FakeError(exceptions.BadRequest.grpc_status_code, f"Unknown field {key!r}")
            name = spec.json_name
            if index < len(parts) - 1:
                node = node.setdefault(name, {})
                descriptor = spec.message_type
                continue
            converted = _query_value(spec, value)
            if _repeated(spec):
                node.setdefault(name, []).append(converted)
            else:
                node[name] = converted
    json_format.ParseDict(tree, message)


def _status_of(error: FakeError) -> tuple[int, str]:
    cls = exceptions.exception_class_for_grpc_status(error.code)
    return int(cls.code or 500), error.code.name


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

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

    def _handle(self) -> None:
        shared = self.server.shared
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size) if size else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        seen = Received(self.command, parts.path, query, headers, body)
        with shared.lock:
            shared.received.append(seen)
            answer = shared.answers.pop(0) if shared.answers else None
        if answer is not None:
            time.sleep(answer.delay)
            self._send(answer.status, answer.body, answer.content_type, answer.length)
            return
        for route in shared.routes:
            if route.rule.method.upper() != self.command:
                continue
            match = route.pattern.fullmatch(parts.path)
            if match is None:
                continue
            seen.method = route.method.name
            try:
                self._answer(route, match, query, body, headers)
            except Exception as exc:  # a bug in the fake: say so rather than hang up
                self._error(500, "INTERNAL", f"fake_rest: {exc!r}")
            return
        self._error(404, "NOT_FOUND", f"No route for {self.command} {path}")

    def _answer(
        self,
        route: Route,
        match: re.Match[str],
        query: list[tuple[str, str]],
        body: bytes,
        headers: dict[str, str],
    ) -> None:
        method = route.method
        message = raw_class(method.request)()
        try:
            if route.rule.body == "*":
                json_format.Parse(body or b"{}", message)
            elif route.rule.body:
                json_format.Parse(body or b"{}", getattr(message, route.rule.body))
            elif body:
                raise FakeError(exceptions.BadRequest.grpc_status_code, "Unexpected body")
            for group, name in route.fields.items():
                _set_path_field(message, name, unquote(match.group(group)))
            _apply_query(message, query)
        except (json_format.ParseError, FakeError) as exc:
            self._error(400, "INVALID_ARGUMENT", str(exc))
            return
        cls = method.request
        request = (
            cls.wrap(message)
            if isinstance(cls, type) and issubclass(cls, proto.Message)
            else message
        )
        try:
            response = self.server.shared.fake.handle(method, request, headers)
        except FakeError as error:
            status, name = _status_of(error)
            self._error(status, name, error.message)
            return
        numbers = ("$alt", "json;enum-encoding=int") in query
        text = json_format.MessageToJson(raw(response), use_integers_for_enums=numbers)
        self._send(200, text.encode(), "application/json; charset=UTF-8")

    def _error(self, status: int, name: str, message: str) -> None:
        body = {"error": {"code": status, "message": message, "status": name}}
        self._send(status, json.dumps(body).encode(), "application/json; charset=UTF-8")

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    shared: _Shared


class RestServer:
    """A running fake REST server; ``address`` is ``127.0.0.1:port``."""

    def __init__(self, shared: _Shared) -> None:
        self._shared = shared
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.shared = shared
        self.port = self._server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @property
    def received(self) -> list[Received]:
        """Every request that arrived, oldest first."""
        return self._shared.received

    def answer_next(
        self,
        status: int = 200,
        body: bytes | str = b"",
        content_type: str = "application/json",
        *,
        length: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Answer the next request with these raw bytes instead of asking the fake."""
        data = body.encode() if isinstance(body, str) else body
        with self._shared.lock:
            self._shared.answers.append(Answer(status, data, content_type, length, delay))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve(fake: FakeCloudTasks, *services: Service) -> RestServer:
    """Start a REST server answering every HTTP binding of ``services`` (default: the fake's)."""
    routes = [
        Route(method, rule, *_pattern(rule.uri))
        for service in services or (fake.service,)
        for method in service.methods.values()
        for rule in method.http
    ]
    return RestServer(_Shared(fake, routes))


# -- pytest fixtures (import them into a test module to use them) ------------------------


@pytest.fixture
def rest_server(fake: FakeCloudTasks) -> Iterator[RestServer]:
    """A fake REST server answering from the test's ``fake`` service."""
    server = serve(fake)
    yield server
    server.stop()


@pytest.fixture
def rest_client(rest_server: RestServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A sync v2 client on ``transport="rest"``, pointed at ``rest_server`` as an emulator."""
    with emulated(CloudTasksClient, rest_server.address, monkeypatch, transport="rest") as made:
        yield made


@pytest.fixture
async def async_rest_client(
    rest_server: RestServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """An asyncio v2 client on ``transport="rest_asyncio"``, pointed at ``rest_server``."""
    client = emulated(
        CloudTasksAsyncClient, rest_server.address, monkeypatch, transport="rest_asyncio"
    )
    async with client as made:
        yield made


@pytest.fixture(params=["rest", "rest_asyncio"])
async def any_rest_client(
    request: pytest.FixtureRequest, rest_server: RestServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """The sync REST client, then (a second run) the asyncio one, on the same server."""
    if request.param == "rest":
        with emulated(CloudTasksClient, rest_server.address, monkeypatch, transport="rest") as c:
            yield c
    else:
        client = emulated(
            CloudTasksAsyncClient, rest_server.address, monkeypatch, transport="rest_asyncio"
        )
        async with client as made:
            yield made
