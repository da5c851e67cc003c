"""What only the asyncio client has: its channel, ``async with``, awaitables, concurrency.

The method-by-method behaviour of ``CloudTasksAsyncClient`` is covered with
the sync client's in the other ``test_client_*`` modules (``any_client``).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any
from unittest import mock

import grpc
import pytest
from conftest import PARENT, QUEUE, URL
from fake_wire import Wire
from google.api_core import exceptions, grpc_helpers_async, operation_async
from google.auth import credentials as ga_credentials

from google.cloud.tasks_v2 import (
    BatchCreateTasksResponse,
    CloudTasksAsyncClient,
    CreateTaskRequest,
    Queue,
    Task,
)
from google.cloud.tasks_v2._spec import SERVICE
from google.cloud.tasks_v2.services.cloud_tasks import pagers
from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcAsyncIOTransport

DEAD = "127.0.0.1:9"


async def test_emulator_host_gives_an_insecure_asyncio_channel(
    address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    async with CloudTasksAsyncClient() as client:
        assert client.api_endpoint == address
        assert isinstance(client.transport, CloudTasksGrpcAsyncIOTransport)
        assert isinstance(client.transport.grpc_channel, grpc.aio.Channel)
        assert isinstance(client.transport._credentials, ga_credentials.AnonymousCredentials)
        assert (await client.get_queue(name=QUEUE)).name == QUEUE


async def test_explicit_api_endpoint_wins_over_the_emulator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", DEAD)
    client = CloudTasksAsyncClient(
        credentials=ga_credentials.AnonymousCredentials(),
        client_options={"api_endpoint": "tasks.example.com"},
    )
    assert client.api_endpoint == "tasks.example.com"
    assert client.transport.host == "tasks.example.com:443"
    await client.transport.close()


async def test_transport_instance_wins_over_the_emulator(
    address: str, monkeypatch: pytest.MonkeyPatch, queue: Any
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", DEAD)
    transport = CloudTasksGrpcAsyncIOTransport(
        host=address, channel=grpc.aio.insecure_channel(address)
    )
    async with CloudTasksAsyncClient(transport=transport) as client:
        assert client.transport is transport
        assert (await client.get_queue(name=QUEUE)).name == QUEUE


async def test_async_with_closes_the_channel(async_client: Any, queue: Any) -> None:
    async with async_client as same:
        assert same is async_client
        await same.get_queue(name=QUEUE)
    with pytest.raises(grpc.aio.UsageError):
        await async_client.get_queue(name=QUEUE)


async def test_plain_with_is_refused() -> None:
    client = CloudTasksAsyncClient(credentials=ga_credentials.AnonymousCredentials())
    with pytest.raises(TypeError), client:
        pass


def test_every_method_is_a_coroutine_function() -> None:
    for name in SERVICE.methods:
        assert inspect.iscoroutinefunction(getattr(CloudTasksAsyncClient, name)), name


async def test_async_pager(async_client: Any, service: Any) -> None:
    names = [f"{PARENT}/queues/q{i}" for i in range(3)]
    for name in names:
        service.create_queue(parent=PARENT, queue={"name": name})
    pager = await async_client.list_queues({"parent": PARENT, "page_size": 2})
    assert isinstance(pager, pagers.ListQueuesAsyncPager)
    got = [queue async for queue in pager]
    assert all(isinstance(queue, Queue) for queue in got)
    assert [queue.name for queue in got] == names
    assert pager.next_page_token == ""


async def test_async_operation(async_client: Any, queue: Any) -> None:
    operation = await async_client.batch_create_tasks(
        parent=QUEUE,
        requests=[{"task": {"name": f"{QUEUE}/tasks/a", "http_request": {"url": URL}}}],
    )
    assert isinstance(operation, operation_async.AsyncOperation)
    result = await operation.result()
    assert isinstance(result, BatchCreateTasksResponse)
    assert [task.name for task in result.tasks] == [f"{QUEUE}/tasks/a"]
    assert await operation.done()


async def test_concurrent_calls_share_one_channel(
    async_client: Any, wire: Wire, queue: Any
) -> None:
    made = await asyncio.gather(
        *(
            async_client.create_task(
                parent=QUEUE, task={"name": f"{QUEUE}/tasks/t{i}", "http_request": {"url": URL}}
            )
            for i in range(20)
        )
    )
    assert sorted(task.name for task in made) == sorted(f"{QUEUE}/tasks/t{i}" for i in range(20))
    assert len(wire.calls_of("create_task")) == 20


async def test_timeout_does_not_block_the_event_loop(
    async_client: Any, wire: Wire, queue: Any
) -> None:
    wire.delay_next("get_queue", 0.5)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    with pytest.raises(exceptions.DeadlineExceeded):
        await async_client.get_queue(name=QUEUE, timeout=0.2, retry=None)
    ticker.cancel()
    assert ticks >= 5


async def test_patching_the_stub_call_intercepts_the_rpc() -> None:
    client = CloudTasksAsyncClient(credentials=ga_credentials.AnonymousCredentials())
    with mock.patch.object(type(client.transport.create_task), "__call__") as stub:
        stub.return_value = grpc_helpers_async.FakeUnaryUnaryCall(Task(name=f"{QUEUE}/tasks/m"))
        made = await client.create_task(request={"parent": QUEUE})
        _, args, kwargs = stub.mock_calls[0]
    assert made.name == f"{QUEUE}/tasks/m"
    assert args[0] == CreateTaskRequest(parent=QUEUE)
    assert ("x-goog-request-params", f"parent={QUEUE}") in kwargs["metadata"]
    await client.transport.close()
