"""Paged lists and long-running batch operations, with both clients.

Five queues listed two at a time come back as three pages; the pager must
fetch each page on demand, with the first call's metadata, timeout and retry.
The emulator finishes a batch before it answers; to see an operation
complete through GetOperation, a test has the wire answer it unfinished
(``wire.hold_next``).
"""

from __future__ import annotations

import inspect
from typing import Any

import grpc
import pytest
from conftest import PARENT, QUEUE, URL, call, collect
from fake_wire import Wire
from google.api_core import exceptions
from google.protobuf import empty_pb2

from google.cloud.tasks_v2 import (
    BatchCreateTasksMetadata,
    BatchCreateTasksResponse,
    BatchDeleteTasksMetadata,
    ListQueuesRequest,
    ListQueuesResponse,
    ListTasksResponse,
    Task,
)

NAMES = [f"{PARENT}/queues/q{i}" for i in range(5)]


@pytest.fixture
def five_queues(service: Any) -> list[str]:
    for name in reversed(NAMES):
        service.create_queue(parent=PARENT, queue={"name": name})
    return NAMES


def http_task(name: str = "") -> dict[str, Any]:
    return {"name": name, "http_request": {"url": URL}}


async def pages_of(pager: Any) -> list[Any]:
    pages = pager.pages
    if hasattr(pages, "__aiter__"):
        return [page async for page in pages]
    return list(pages)


async def test_iterating_a_pager_walks_three_pages(
    any_client: Any, wire: Wire, five_queues: list[str]
) -> None:
    pager = await call(any_client, "list_queues", {"parent": PARENT, "page_size": 2})
    assert len(wire.calls) == 1  # nothing fetched beyond the first page yet
    assert [q.name for q in await collect(pager)] == NAMES
    requests = [request for _, request, _ in wire.calls_of("list_queues")]
    assert [r.page_size for r in requests] == [2, 2, 2]
    assert requests[0].page_token == ""
    assert requests[1].page_token and requests[2].page_token
    assert requests[1].page_token != requests[2].page_token


async def test_pages_yields_each_response(
    any_client: Any, wire: Wire, five_queues: list[str]
) -> None:
    pager = await call(any_client, "list_queues", {"parent": PARENT, "page_size": 2})
    pages = await pages_of(pager)
    assert all(isinstance(page, ListQueuesResponse) for page in pages)
    assert [[q.name for q in page.queues] for page in pages] == [NAMES[:2], NAMES[2:4], NAMES[4:]]
    assert pages[0].next_page_token and pages[1].next_page_token
    assert pages[2].next_page_token == ""
    requests = [request for _, request, _ in wire.calls_of("list_queues")]
    assert [r.page_token for r in requests[1:]] == [p.next_page_token for p in pages[:2]]


async def test_pager_shows_the_latest_response(
    any_client: Any, wire: Wire, five_queues: list[str]
) -> None:
    pager = await call(any_client, "list_queues", {"parent": PARENT, "page_size": 2})
    first_token = pager.next_page_token
    assert first_token
    assert [q.name for q in pager.queues] == NAMES[:2]
    await collect(pager)
    assert pager.next_page_token == ""
    assert [q.name for q in pager.queues] == NAMES[4:]
    assert "ListQueues" in repr(pager)


async def test_pager_does_not_change_the_callers_request(
    any_client: Any, five_queues: list[str]
) -> None:
    request = ListQueuesRequest(parent=PARENT, page_size=2)
    await collect(await call(any_client, "list_queues", request))
    assert request.page_token == ""


async def test_later_pages_carry_the_same_metadata(
    any_client: Any, wire: Wire, five_queues: list[str]
) -> None:
    pager = await call(
        any_client,
        "list_queues",
        {"parent": PARENT, "page_size": 2},
        metadata=[("x-caller", "pages")],
    )
    await collect(pager)
    seen = [headers for _, _, headers in wire.calls_of("list_queues")]
    assert len(seen) == 3
    assert all(headers["x-caller"] == "pages" for headers in seen)
    assert all(headers["x-goog-request-params"] == f"parent={PARENT}" for headers in seen)
    assert all("x-goog-api-client" in headers for headers in seen)


async def test_later_pages_carry_the_same_timeout_and_retry(
    any_client: Any, wire: Wire, five_queues: list[str]
) -> None:
    pager = await call(
        any_client, "list_queues", {"parent": PARENT, "page_size": 2}, timeout=1.0, retry=None
    )
    # The second page answers too late (the first had a whole second, ample on a busy machine).
    wire.delay_next("list_queues", 3.0)
    with pytest.raises(exceptions.DeadlineExceeded):
        await collect(pager)
    assert len(wire.calls_of("list_queues")) == 2  # retry=None: no second attempt


async def test_later_pages_use_the_default_retry(
    any_client: Any, wire: Wire, five_queues: list[str]
) -> None:
    pager = await call(any_client, "list_queues", {"parent": PARENT, "page_size": 2})
    wire.fail_next("list_queues", grpc.StatusCode.UNAVAILABLE)
    assert [q.name for q in await collect(pager)] == NAMES
    assert len(wire.calls_of("list_queues")) == 4


async def test_empty_list_is_one_empty_page(any_client: Any, wire: Wire) -> None:
    pager = await call(any_client, "list_queues", parent=PARENT)
    assert await collect(pager) == []
    assert len(await pages_of(pager)) == 1
    assert len(wire.calls) == 1


async def test_list_tasks_pages(any_client: Any, wire: Wire, service: Any, queue: Any) -> None:
    names = [f"{QUEUE}/tasks/t{i}" for i in range(5)]
    for name in names:
        service.create_task(parent=QUEUE, task=http_task(name))
    request = {"parent": QUEUE, "page_size": 2, "response_view": Task.View.FULL}
    pager = await call(any_client, "list_tasks", request)
    pages = await pages_of(pager)
    assert all(isinstance(page, ListTasksResponse) for page in pages)
    assert [len(page.tasks) for page in pages] == [2, 2, 1]
    assert [t.name for page in pages for t in page.tasks] == names
    sent = [request for _, request, _ in wire.calls_of("list_tasks")]
    assert all(r.response_view == Task.View.FULL for r in sent)


async def test_list_locations_is_a_plain_response(any_client: Any) -> None:
    answer = await call(any_client, "list_locations", {"name": "projects/p", "page_size": 2})
    assert len(answer.locations) == 2
    assert answer.next_page_token


# -- long-running operations ---------------------------------------------------------------


async def result_of(operation: Any) -> Any:
    value = operation.result(timeout=5)
    return await value if inspect.isawaitable(value) else value


async def test_batch_create_completes_through_get_operation(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    requests = [{"task": http_task(f"{QUEUE}/tasks/{i}")} for i in ("a", "b", "c")]
    wire.hold_next("batch_create_tasks")
    operation = await call(any_client, "batch_create_tasks", parent=QUEUE, requests=requests)
    assert not operation.operation.done  # as the service first answered
    assert operation.operation.name.startswith(f"{PARENT}/operations/")
    assert isinstance(operation.metadata, BatchCreateTasksMetadata)
    assert operation.metadata.state == BatchCreateTasksMetadata.State.RUNNING

    result = await result_of(operation)
    assert isinstance(result, BatchCreateTasksResponse)
    assert [t.name for t in result.tasks] == [f"{QUEUE}/tasks/{i}" for i in ("a", "b", "c")]
    assert isinstance(operation.metadata, BatchCreateTasksMetadata)
    assert operation.metadata.state == BatchCreateTasksMetadata.State.SUCCEEDED
    assert operation.metadata.end_time.timestamp() >= operation.metadata.start_time.timestamp()

    polls = wire.calls_of("get_operation")
    assert [request.name for _, request, _ in polls] == [operation.operation.name]
    assert polls[0][2]["x-goog-request-params"] == f"name={operation.operation.name}"


async def test_batch_create_reports_failed_requests_in_the_metadata(
    any_client: Any, service: Any, queue: Any
) -> None:
    taken = f"{QUEUE}/tasks/taken"
    service.create_task(parent=QUEUE, task=http_task(taken))
    requests = [{"task": http_task(f"{QUEUE}/tasks/fresh")}, {"task": http_task(taken)}]
    operation = await call(any_client, "batch_create_tasks", parent=QUEUE, requests=requests)
    result = await result_of(operation)
    assert [t.name for t in result.tasks] == [f"{QUEUE}/tasks/fresh"]
    metadata = operation.metadata
    assert metadata.state == BatchCreateTasksMetadata.State.PARTIALLY_SUCCEEDED
    assert list(metadata.failed_requests) == [1]
    assert metadata.failed_requests[1].code == grpc.StatusCode.ALREADY_EXISTS.value[0]


async def test_batch_delete_completes_with_empty_result(
    any_client: Any, service: Any, queue: Any
) -> None:
    names = [f"{QUEUE}/tasks/{i}" for i in ("a", "b")]
    for name in names:
        service.create_task(parent=QUEUE, task=http_task(name))
    operation = await call(any_client, "batch_delete_tasks", parent=QUEUE, names=names)
    assert isinstance(operation.metadata, BatchDeleteTasksMetadata)
    assert await result_of(operation) == empty_pb2.Empty()
    assert operation.metadata.state == BatchDeleteTasksMetadata.State.SUCCEEDED
    assert list(service.list_tasks(parent=QUEUE)) == []


async def test_operation_done_polls_the_service(any_client: Any, wire: Wire, queue: Any) -> None:
    wire.hold_next("batch_create_tasks")
    operation = await call(any_client, "batch_create_tasks", parent=QUEUE, requests=[{}])
    done = operation.done()
    assert (await done if inspect.isawaitable(done) else done) is True
    assert len(wire.calls_of("get_operation")) == 1


async def test_polling_errors_surface_from_result(any_client: Any, wire: Wire, queue: Any) -> None:
    wire.hold_next("batch_create_tasks")
    operation = await call(any_client, "batch_create_tasks", parent=QUEUE, requests=[{}])
    wire.fail_next("get_operation", grpc.StatusCode.PERMISSION_DENIED, message="no peeking")
    with pytest.raises(exceptions.PermissionDenied, match="no peeking"):
        await result_of(operation)


async def test_batch_into_missing_queue_fails_at_once(any_client: Any, wire: Wire) -> None:
    with pytest.raises(exceptions.NotFound):
        await call(any_client, "batch_create_tasks", parent=QUEUE, requests=[{}])
    assert wire.calls_of("get_operation") == []
