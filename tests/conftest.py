"""Shared fixtures: the emulator, reached through recording proxies, for every client test.

One emulator (``google.cloud.tasks.emulator``, started with
``dispatch=False``: the tasks here name example.com and are never delivered)
serves the whole session and is reset for each test.  Clients reach it
through a recording proxy (``fake_wire.GrpcProxy`` for gRPC,
``fake_rest.RestProxy`` for REST) whose :class:`~fake_wire.Wire` shows each
test what its clients sent and lets it script failures and delays.

``client`` and ``async_client`` reach the proxy the way a user reaches an
emulator (``CLOUD_TASKS_EMULATOR_HOST``).  ``any_client`` runs a test once
with each of them; its methods are called through :func:`call`, which awaits
when the client is the asyncio one.  ``service`` is a client straight to the
emulator (not recorded), for setting up and checking state.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fake_rest import RestProxy
from fake_wire import GrpcProxy, Wire
from google.api_core import exceptions

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks_v2 import CloudTasksAsyncClient, CloudTasksClient

PROJECT = "proj"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
QUEUE = f"{PARENT}/queues/my-queue"
TASK = f"{QUEUE}/tasks/task-1"
#: a valid target for tasks that must never be delivered (the emulator does not dispatch)
URL = "https://example.com/work"

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


# -- the emulator and the proxies in front of it (one of each per session) ---------------


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[Emulator]:
    """An emulator that never delivers a task (their URLs name example.com)."""
    with Emulator(dispatch=False) as emulator:
        yield emulator


@pytest.fixture(scope="session")
def _grpc_proxy(emulator_session: Emulator) -> Iterator[GrpcProxy]:
    proxy = GrpcProxy(emulator_session.host)
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def _rest_proxy(emulator_session: Emulator) -> Iterator[RestProxy]:
    proxy = RestProxy(emulator_session.http_url)
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def _service_client(emulator_session: Emulator) -> Iterator[CloudTasksClient]:
    with emulator_session.client() as made:
        yield made


@pytest.fixture
def emu(emulator_session: Emulator) -> Emulator:
    """The session's emulator, emptied for this test."""
    emulator_session.reset()
    return emulator_session


@pytest.fixture
def service(emu: Emulator, _service_client: CloudTasksClient) -> CloudTasksClient:
    """A v2 client straight to the (empty) emulator: its calls are not on the wire."""
    return _service_client


@pytest.fixture
def wire(emu: Emulator, _grpc_proxy: GrpcProxy) -> Iterator[Wire]:
    """What this test's clients sent through the proxies, and the failures it scripts."""
    made = Wire()
    _grpc_proxy.wire = made
    yield made
    made.closed = True


@pytest.fixture
def address(wire: Wire, _grpc_proxy: GrpcProxy) -> str:
    """``host:port`` of the recording gRPC proxy in front of the emulator."""
    return _grpc_proxy.address


@pytest.fixture
def rest_server(wire: Wire, _rest_proxy: RestProxy) -> RestProxy:
    """The recording REST proxy in front of the emulator, on this test's ``wire``."""
    _rest_proxy.wire = wire
    return _rest_proxy


def emulated(cls: Any, address: str, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> Any:
    """A client of ``cls`` made while ``CLOUD_TASKS_EMULATOR_HOST`` names ``address``."""
    with monkeypatch.context() as patch:
        patch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
        return cls(**kwargs)


# -- gRPC clients ---------------------------------------------------------------------------


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
    """The sync client, then (a second run) the asyncio one, both on the same emulator."""
    if request.param == "sync":
        with emulated(CloudTasksClient, address, monkeypatch) as made:
            yield made
    else:
        async with emulated(CloudTasksAsyncClient, address, monkeypatch) as made:
            yield made


# -- REST clients ---------------------------------------------------------------------------


@pytest.fixture
def rest_client(rest_server: RestProxy, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A sync v2 client on ``transport="rest"``, pointed at ``rest_server`` as an emulator."""
    with emulated(CloudTasksClient, rest_server.address, monkeypatch, transport="rest") as made:
        yield made


@pytest.fixture
async def async_rest_client(
    rest_server: RestProxy, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """An asyncio v2 client on ``transport="rest_asyncio"``, pointed at ``rest_server``."""
    client = emulated(
        CloudTasksAsyncClient, rest_server.address, monkeypatch, transport="rest_asyncio"
    )
    async with client as made:
        yield made


@pytest.fixture(params=["rest", "rest_asyncio"])
async def any_rest_client(
    request: pytest.FixtureRequest, rest_server: RestProxy, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Any]:
    """The sync REST client, then (a second run) the asyncio one, on the same emulator."""
    if request.param == "rest":
        with emulated(CloudTasksClient, rest_server.address, monkeypatch, transport="rest") as c:
            yield c
    else:
        client = emulated(
            CloudTasksAsyncClient, rest_server.address, monkeypatch, transport="rest_asyncio"
        )
        async with client as made:
            yield made


# -- calling either kind of client ----------------------------------------------------------


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


# -- state ---------------------------------------------------------------------------------


@pytest.fixture
def queue(service: CloudTasksClient) -> Any:
    """The queue ``QUEUE``, already created on the emulator."""
    return service.create_queue(parent=PARENT, queue={"name": QUEUE})


@pytest.fixture
def task(service: CloudTasksClient, queue: Any) -> Any:
    """The HTTP task ``TASK`` (with a body), already in ``QUEUE``."""
    return service.create_task(
        parent=QUEUE, task={"name": TASK, "http_request": {"url": URL, "body": b"hi"}}
    )


# -- driving a client of any version and transport from a plain test ----------------------


class SyncDriver:
    """Calls a blocking client: ``driver("get_queue", name=...)`` returns the response."""

    is_async = False

    def __init__(self, client_cls: Any, transport: str) -> None:
        self.transport = transport
        self.client = client_cls(transport=transport)

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.client, method)(*args, **kwargs)

    def error(self, grpc_error: type[Exception]) -> type[Exception]:
        """The exception this transport raises for a status gRPC reports as ``grpc_error``.

        Over REST the class follows the HTTP status alone (ALREADY_EXISTS is a
        409 ``Conflict``, FAILED_PRECONDITION a 400 ``BadRequest``), as in the
        established client.
        """
        if self.transport.startswith("grpc"):
            return grpc_error
        return type(exceptions.from_http_status(grpc_error.code, ""))  # type: ignore[attr-defined]

    def items(self, pager: Any) -> list[Any]:
        """Every item of a pager, across pages."""
        return list(pager)

    def pages(self, pager: Any) -> list[Any]:
        """Every page (response) of a pager."""
        return list(pager.pages)

    def result(self, operation: Any) -> Any:
        """The result of a long-running operation, once done."""
        return operation.result(timeout=10)

    def close(self) -> None:
        self.client.transport.close()


class AsyncDriver(SyncDriver):
    """Calls an asyncio client on a loop of its own, so one test serves both kinds."""

    is_async = True

    def __init__(self, client_cls: Any, transport: str) -> None:
        self.transport = transport
        self.loop = asyncio.new_event_loop()

        async def make() -> Any:
            return client_cls(transport=transport)

        self.client = self.loop.run_until_complete(make())

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.loop.run_until_complete(getattr(self.client, method)(*args, **kwargs))

    def items(self, pager: Any) -> list[Any]:
        async def collect() -> list[Any]:
            return [item async for item in pager]

        return self.loop.run_until_complete(collect())

    def pages(self, pager: Any) -> list[Any]:
        async def collect() -> list[Any]:
            return [page async for page in pager.pages]

        return self.loop.run_until_complete(collect())

    def result(self, operation: Any) -> Any:
        return self.loop.run_until_complete(operation.result(timeout=10))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.transport.close())
        self.loop.close()


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


#: transport name -> driver class, for the transports this checkout has
DRIVERS: dict[str, type[SyncDriver]] = {"grpc": SyncDriver, "grpc_asyncio": AsyncDriver}
if _available("google.cloud.tasks._core.rest"):
    DRIVERS["rest"] = SyncDriver
if _available("google.cloud.tasks._core.rest_asyncio"):
    DRIVERS["rest_asyncio"] = AsyncDriver


@contextlib.contextmanager
def driving(
    request: pytest.FixtureRequest, module: Any, transport: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SyncDriver]:
    """A driver of ``module``'s client over ``transport``, talking to the emulator.

    The client finds the recording proxy of its transport through
    ``CLOUD_TASKS_EMULATOR_HOST``, as a user's code would find an emulator.
    """
    if transport.startswith("rest"):
        address = request.getfixturevalue("rest_server").address
    else:
        address = request.getfixturevalue("address")
    kind = DRIVERS[transport]
    cls = module.CloudTasksAsyncClient if kind.is_async else module.CloudTasksClient
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    driver = kind(cls, transport)
    try:
        yield driver
    finally:
        driver.close()
