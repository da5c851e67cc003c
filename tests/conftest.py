"""Shared fixtures: a fresh fake Cloud Tasks service behind a real gRPC server per test.

``client`` and ``async_client`` reach that server the way a user reaches an
emulator (``CLOUD_TASKS_EMULATOR_HOST``).  ``any_client`` runs a test once
with each of them; its methods are called through :func:`call`, which awaits
when the client is the asyncio one.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fake_grpc import serve
from fake_service import FakeCloudTasks

from google.cloud.tasks_v2 import CloudTasksAsyncClient, CloudTasksClient
from google.cloud.tasks_v2._spec import SERVICE

PROJECT = "proj"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
QUEUE = f"{PARENT}/queues/my-queue"
TASK = f"{QUEUE}/tasks/task-1"

#: Environment variables that change how a client connects; cleared for every test.
CONNECTION_ENV = (
    "CLOUD_TASKS_EMULATOR_HOST",
    "GOOGLE_API_USE_MTLS_ENDPOINT",
    "GOOGLE_API_USE_CLIENT_CERTIFICATE",
    "GOOGLE_CLOUD_UNIVERSE_DOMAIN",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CONNECTION_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> FakeCloudTasks:
    return FakeCloudTasks(SERVICE)


@pytest.fixture
def address(fake: FakeCloudTasks) -> Iterator[str]:
    """``host:port`` of a running gRPC server answering from ``fake``."""
    server, port = serve(fake)
    yield f"127.0.0.1:{port}"
    server.stop(None)


def emulated(cls: Any, address: str, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> Any:
    """A client of ``cls`` made while ``CLOUD_TASKS_EMULATOR_HOST`` names ``address``."""
    with monkeypatch.context() as patch:
        patch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
        return cls(**kwargs)


@pytest.fixture
def client(address: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CloudTasksClient]:
    with emulated(CloudTasksClient, address, monkeypatch) as made:
        yield made


@pytest.fixture
async def async_client(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[CloudTasksAsyncClient]:
    async with emulated(CloudTasksAsyncClient, address, monkeypatch) as made:
        yield made


@pytest.fixture(params=["sync", "async"])
async def any_client(
    request: pytest.FixtureRequest, address: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """The sync client, then (a second run) the asyncio one, both on the same server."""
    if request.param == "sync":
        with emulated(CloudTasksClient, address, monkeypatch) as made:
            yield made
    else:
        async with emulated(CloudTasksAsyncClient, address, monkeypatch) as made:
            yield made


async def call(client: Any, method: str, /, *args: Any, **kwargs: Any) -> Any:
    """``client.<method>(...)``, awaited if the client is asynchronous."""
    result = getattr(client, method)(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


async def collect(iterable: Any) -> list[Any]:
    """Every item of a sync or async iterable."""
    if hasattr(iterable, "__aiter__"):
        return [item async for item in iterable]
    return list(iterable)


def seed(fake: FakeCloudTasks, method_name: str, /, *args: Any, **fields: Any) -> Any:
    """Call a method on the fake directly (no network) and forget the call."""
    method = SERVICE.methods[method_name]
    request = method.request(**(args[0] if args else fields))
    response = fake.handle(method, request, {})
    fake.calls.clear()
    return response


@pytest.fixture
def queue(fake: FakeCloudTasks) -> Any:
    """The queue ``QUEUE``, already created on the fake."""
    return seed(fake, "create_queue", parent=PARENT, queue={"name": QUEUE})


@pytest.fixture
def task(fake: FakeCloudTasks, queue: Any) -> Any:
    """The HTTP task ``TASK`` (with a body), already in ``QUEUE``."""
    return seed(
        fake,
        "create_task",
        parent=QUEUE,
        task={"name": TASK, "http_request": {"url": "https://example.com/work", "body": b"hi"}},
    )
