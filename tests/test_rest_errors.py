"""Errors over REST: the service's errors, broken answers, no server, no answer in time.

The same failures (the emulator's, or scripted on the ``wire``) raise the
same ``google.api_core`` exception classes (by HTTP status) whether the call
went over gRPC or REST.
A REST server that answers garbage, hangs up mid-answer or is not there at
all gives a ``google.api_core`` exception carrying the status and text,
never a JSON or socket error (see ``google.cloud.tasks._core.rest``).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest
from conftest import PARENT, QUEUE, call, emulated
from fake_rest import RestProxy as RestServer
from fake_wire import Wire
from google.api_core import exceptions

from google.cloud import tasks_v2
from google.cloud.tasks._core import rest_asyncio

Code = grpc.StatusCode
CLIENTS = {
    "grpc": (tasks_v2.CloudTasksClient, "grpc"),
    "grpc_asyncio": (tasks_v2.CloudTasksAsyncClient, "grpc_asyncio"),
    "rest": (tasks_v2.CloudTasksClient, "rest"),
    "rest_asyncio": (tasks_v2.CloudTasksAsyncClient, "rest_asyncio"),
    # the asyncio REST transport without google-auth's session: aiohttp directly
    "rest_asyncio_aiohttp": (tasks_v2.CloudTasksAsyncClient, "rest_asyncio"),
}
REST = ["rest", "rest_asyncio", "rest_asyncio_aiohttp"]


async def _client(
    kind: str, address: str, monkeypatch: pytest.MonkeyPatch, **kwargs: Any
) -> AsyncIterator[Any]:
    cls, transport = CLIENTS[kind]
    if kind == "rest_asyncio_aiohttp":
        monkeypatch.setattr(rest_asyncio, "open_sender", rest_asyncio._AiohttpSender)
    client = emulated(cls, address, monkeypatch, transport=transport, **kwargs)
    if transport.endswith("asyncio"):
        async with client:
            yield client
    else:
        with client:
            yield client


@pytest.fixture(params=list(CLIENTS))
async def every_client(
    request: pytest.FixtureRequest,
    address: str,
    rest_server: RestServer,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Any]:
    """A client on each transport: gRPC, REST, sync and asyncio, on the same wire."""
    where = rest_server.address if request.param.startswith("rest") else address
    async for client in _client(request.param, where, monkeypatch):
        yield client


@pytest.fixture(params=REST)
async def rest_any(
    request: pytest.FixtureRequest, rest_server: RestServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """A REST client (sync, asyncio, asyncio on plain aiohttp) on ``rest_server``."""
    async for client in _client(request.param, rest_server.address, monkeypatch):
        yield client


# -- the service's errors: same classes over every transport ------------------------------

SERVICE_ERRORS = [
    (Code.INVALID_ARGUMENT, 400, exceptions.BadRequest),
    (Code.PERMISSION_DENIED, 403, exceptions.Forbidden),
    (Code.NOT_FOUND, 404, exceptions.NotFound),
    (Code.ALREADY_EXISTS, 409, exceptions.Conflict),
    (Code.RESOURCE_EXHAUSTED, 429, exceptions.TooManyRequests),
    (Code.INTERNAL, 500, exceptions.InternalServerError),
    (Code.UNAVAILABLE, 503, exceptions.ServiceUnavailable),
]


@pytest.mark.parametrize(
    ("code", "status", "error"), SERVICE_ERRORS, ids=[c[0].name for c in SERVICE_ERRORS]
)
async def test_service_errors_map_to_the_same_class_and_status(
    every_client: Any, wire: Wire, code: Any, status: int, error: type
) -> None:
    wire.fail_next("get_queue", code, message="the service says no")
    with pytest.raises(error) as caught:
        await call(every_client, "get_queue", name=QUEUE, retry=None)
    assert caught.value.code == status
    assert "the service says no" in caught.value.message


async def test_a_missing_queue_gives_the_service_message(every_client: Any) -> None:
    with pytest.raises(exceptions.NotFound, match="Queue does not exist"):
        await call(every_client, "get_queue", name=QUEUE)


async def test_unavailable_is_retried_by_default_for_idempotent_methods(
    every_client: Any, wire: Wire, queue: Any
) -> None:
    wire.fail_next("get_queue", Code.UNAVAILABLE, count=2)
    assert (await call(every_client, "get_queue", name=QUEUE)).name == QUEUE
    assert len(wire.calls_of("get_queue")) == 3


async def test_unavailable_is_not_retried_for_other_methods(every_client: Any, wire: Wire) -> None:
    wire.fail_next("create_queue", Code.UNAVAILABLE)
    with pytest.raises(exceptions.ServiceUnavailable):
        await call(every_client, "create_queue", parent=PARENT, queue={"name": QUEUE})
    assert len(wire.calls_of("create_queue")) == 1


async def test_a_slow_service_exceeds_the_timeout(every_client: Any, wire: Wire) -> None:
    wire.delay_next("get_queue", 1.5)
    started = time.monotonic()
    with pytest.raises(exceptions.DeadlineExceeded):
        await call(every_client, "get_queue", name=QUEUE, timeout=0.3, retry=None)
    assert time.monotonic() - started < 1.2


# -- broken answers -----------------------------------------------------------------------


async def test_error_details_of_a_google_error_body_are_kept(
    rest_any: Any, rest_server: RestServer
) -> None:
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "QUEUE_PAUSED",
        "domain": "cloudtasks.googleapis.com",
    }
    body = {
        "error": {"code": 400, "message": "bad", "status": "FAILED_PRECONDITION", "details": [info]}
    }
    rest_server.answer_next(400, json.dumps(body))
    with pytest.raises(exceptions.BadRequest) as caught:
        await call(rest_any, "get_queue", name=QUEUE, retry=None)
    assert caught.value.message.endswith(": bad")
    assert caught.value.reason == "QUEUE_PAUSED"
    assert caught.value.details == [info]
    assert caught.value.response.status_code == 400


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (502, "<html><body>Bad gateway, sorry</body></html>", exceptions.BadGateway),
        (503, "<html><body>Service Unavailable</body></html>", exceptions.ServiceUnavailable),
        (500, '"just a JSON string"', exceptions.InternalServerError),
        (500, '{"error": "not an object"}', exceptions.InternalServerError),
        (404, "no such page", exceptions.NotFound),
        (429, '{"error": {"message": "slow down", "code": 429}', exceptions.TooManyRequests),
    ],
    ids=["502-html", "503-html", "500-json-string", "500-odd-error", "404-text", "429-cut-json"],
)
async def test_an_error_page_that_is_not_a_google_error_gives_its_status_and_text(
    rest_any: Any, rest_server: RestServer, status: int, body: str, error: type
) -> None:
    rest_server.answer_next(status, body, "text/html")
    with pytest.raises(error) as caught:
        await call(rest_any, "get_queue", name=QUEUE, retry=None)
    assert caught.value.code == status
    text = json.loads(body) if body.startswith('"') else body
    assert str(text) in caught.value.message or "not an object" in caught.value.message
    assert f"GET http://{rest_server.address}/v2/{QUEUE}" in caught.value.message


@pytest.mark.parametrize(
    "body",
    [
        b"hello, not JSON",
        b'{"name": "projects/p/locat',
        b"[1, 2, 3]",
        b'{"name": 5}',
        b"\xff\xfe",
    ],
    ids=["text", "cut-json", "array", "wrong-type", "not-utf8"],
)
async def test_a_success_whose_body_is_not_the_message_is_an_internal_error(
    rest_any: Any, rest_server: RestServer, body: bytes
) -> None:
    rest_server.answer_next(200, body)
    with pytest.raises(exceptions.InternalServerError) as caught:
        await call(rest_any, "get_queue", name=QUEUE, retry=None)
    assert "google.cloud.tasks.v2.Queue" in caught.value.message
    assert repr(body[:10].decode("utf-8", "replace"))[1:-1] in caught.value.message


async def test_an_answer_cut_short_is_service_unavailable(
    rest_any: Any, rest_server: RestServer
) -> None:
    rest_server.answer_next(200, b'{"name": "projects/p"', length=500)
    with pytest.raises(exceptions.ServiceUnavailable):
        await call(rest_any, "get_queue", name=QUEUE, retry=None)


async def test_an_answer_cut_short_is_retried_for_idempotent_methods(
    rest_any: Any, rest_server: RestServer, queue: Any
) -> None:
    rest_server.answer_next(200, b'{"name": "projects/p"', length=500)
    assert (await call(rest_any, "get_queue", name=QUEUE)).name == QUEUE
    assert len(rest_server.received) == 2


async def test_a_hanging_server_exceeds_the_timeout(rest_any: Any, rest_server: RestServer) -> None:
    rest_server.answer_next(200, b"{}", delay=2.0)
    started = time.monotonic()
    with pytest.raises(exceptions.DeadlineExceeded, match="no answer within 0.3"):
        await call(rest_any, "get_queue", name=QUEUE, timeout=0.3, retry=None)
    assert time.monotonic() - started < 1.5


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.parametrize("kind", REST)
async def test_no_server_is_service_unavailable(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    address = _closed_port()
    async for client in _client(kind, address, monkeypatch):
        with pytest.raises(exceptions.ServiceUnavailable) as caught:
            await call(client, "create_queue", parent=PARENT, queue={"name": QUEUE})
        # an emulator client says where it looked (tests/test_client_emulator_absent.py)
        assert f"nothing is listening at CLOUD_TASKS_EMULATOR_HOST={address};" in (
            caught.value.message
        )


def test_a_mocked_session_answering_400_with_an_empty_json_body_raises_bad_request() -> None:
    """The idiom of the reference library's own tests (and many users'): a mocked session."""
    from unittest import mock

    from google.auth.credentials import AnonymousCredentials
    from requests import Response, Session

    from google.cloud import tasks_v2

    client = tasks_v2.CloudTasksClient(credentials=AnonymousCredentials(), transport="rest")
    with mock.patch.object(Session, "request") as request:
        answer = Response()
        answer.status_code = 400
        answer.json = mock.Mock(return_value={})  # type: ignore[method-assign]
        answer.request = mock.Mock()
        request.return_value = answer
        with pytest.raises(exceptions.BadRequest):
            client.get_queue(name="projects/p/locations/l/queues/q")
