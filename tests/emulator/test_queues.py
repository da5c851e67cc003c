"""Queue RPCs against the embedded emulator through the v2 client."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from google.api_core import exceptions
from google.protobuf import field_mask_pb2

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator, Settings

from .helpers import PARENT, QUEUE, http_task

QUEUE_FORMAT = (
    'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/'
    '<QUEUE_ID>".'
)
QUEUE_MISSING = (
    "Queue does not exist. If you just created the queue, wait at least a minute for the queue"
    " to initialize."
)


def test_create_queue_fills_the_service_defaults(client: Any) -> None:
    q = client.create_queue(parent=PARENT, queue={"name": QUEUE})
    assert q.name == QUEUE
    assert q.state == tasks_v2.Queue.State.RUNNING
    assert q.rate_limits.max_dispatches_per_second == 500
    assert q.rate_limits.max_concurrent_dispatches == 1000
    assert q.rate_limits.max_burst_size == 100
    assert q.retry_config.max_attempts == 100
    assert q.retry_config.min_backoff == datetime.timedelta(seconds=0.1)
    assert q.retry_config.max_backoff == datetime.timedelta(seconds=3600)
    assert q.retry_config.max_doublings == 16
    assert client.get_queue(name=QUEUE) == q


def test_create_queue_keeps_given_settings(client: Any) -> None:
    q = client.create_queue(
        parent=PARENT,
        queue={
            "name": QUEUE,
            "rate_limits": {"max_dispatches_per_second": 10, "max_concurrent_dispatches": 7},
            "retry_config": {"max_attempts": -1, "min_backoff": {"seconds": 2}},
        },
    )
    assert q.rate_limits.max_dispatches_per_second == 10
    assert q.rate_limits.max_burst_size == 2
    assert q.rate_limits.max_concurrent_dispatches == 7
    assert q.retry_config.max_attempts == -1
    assert q.retry_config.min_backoff == datetime.timedelta(seconds=2)


@pytest.mark.parametrize(
    "queue",
    [
        {"rate_limits": {"max_dispatches_per_second": 501}},
        {"rate_limits": {"max_concurrent_dispatches": 5001}},
        {"retry_config": {"max_attempts": -2}},
        {"retry_config": {"min_backoff": {"seconds": 10}, "max_backoff": {"seconds": 1}}},
        {"stackdriver_logging_config": {"sampling_ratio": 2}},
    ],
)
def test_create_queue_refuses_out_of_range_settings(client: Any, queue: dict[str, Any]) -> None:
    with pytest.raises(exceptions.InvalidArgument):
        client.create_queue(parent=PARENT, queue={"name": QUEUE, **queue})
    with pytest.raises(exceptions.NotFound):
        client.get_queue(name=QUEUE)


def test_create_queue_errors(client: Any, queue: Any) -> None:
    with pytest.raises(exceptions.AlreadyExists) as info:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
    assert info.value.message == "Queue already exists"
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.create_queue(parent=PARENT, queue={"name": PARENT + "/queues/bad_id"})
    assert info.value.message == QUEUE_FORMAT
    with pytest.raises(exceptions.PermissionDenied) as info:
        client.create_queue(parent="projects/nope", queue={"name": QUEUE})
    assert info.value.message == "Permission denied on resource project nope."
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.create_queue(parent=PARENT, queue={})
    assert info.value.message == QUEUE_FORMAT


@pytest.mark.parametrize("name", ["q", "projects/p/locations/l/queues/", "a/b/c", "x" * 200])
def test_malformed_queue_names(client: Any, name: str) -> None:
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.get_queue(name=name)
    assert info.value.message == QUEUE_FORMAT


def test_missing_queue_messages(client: Any) -> None:
    for call in (client.get_queue, client.pause_queue, client.resume_queue, client.purge_queue):
        with pytest.raises(exceptions.NotFound) as info:
            call(name=QUEUE)
        assert info.value.message == QUEUE_MISSING
    with pytest.raises(exceptions.NotFound) as info:
        client.create_task(parent=QUEUE, task=http_task())
    assert info.value.message == QUEUE_MISSING
    with pytest.raises(exceptions.NotFound) as info:
        client.delete_queue(name=QUEUE)
    assert info.value.message == "Requested entity was not found."


def test_pause_resume_purge(client: Any, queue: Any) -> None:
    assert client.pause_queue(name=QUEUE).state == tasks_v2.Queue.State.PAUSED
    client.create_task(parent=QUEUE, task=http_task())  # a paused queue still takes tasks
    assert client.get_queue(name=QUEUE).state == tasks_v2.Queue.State.PAUSED
    assert client.resume_queue(name=QUEUE).state == tasks_v2.Queue.State.RUNNING
    purged = client.purge_queue(name=QUEUE)
    assert purged.purge_time is not None and purged.purge_time.year >= 2024
    assert list(client.list_tasks(parent=QUEUE)) == []
    client.create_task(parent=QUEUE, task=http_task())
    assert len(list(client.list_tasks(parent=QUEUE))) == 1


def test_delete_queue_removes_tasks_and_reserves_the_name(client: Any, queue: Any) -> None:
    client.create_task(parent=QUEUE, task=http_task(f"{QUEUE}/tasks/t1"))
    client.delete_queue(name=QUEUE)
    with pytest.raises(exceptions.NotFound):
        client.get_queue(name=QUEUE)
    with pytest.raises(exceptions.FailedPrecondition) as info:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
    assert info.value.message == (
        "The queue cannot be created because a queue with this name existed too recently."
    )


def test_update_queue_cannot_recreate_a_recently_deleted_queue(client: Any, queue: Any) -> None:
    client.delete_queue(name=QUEUE)
    with pytest.raises(exceptions.FailedPrecondition):
        client.update_queue(queue={"name": QUEUE})


def test_queue_tombstone_window_is_configurable() -> None:
    with Emulator(dispatch=False, settings=Settings(queue_tombstone_seconds=0)) as emu:
        client = emu.client()
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        client.delete_queue(name=QUEUE)
        assert client.create_queue(parent=PARENT, queue={"name": QUEUE}).name == QUEUE


def test_list_queues_in_order_paged_and_filtered(client: Any) -> None:
    ids = [f"q-{i:02d}" for i in range(25)]
    for queue_id in reversed(ids):
        client.create_queue(parent=PARENT, queue={"name": f"{PARENT}/queues/{queue_id}"})
    client.create_queue(
        parent="projects/proj/locations/europe-west1",
        queue={"name": "projects/proj/locations/europe-west1/queues/elsewhere"},
    )
    for queue_id in ids[::5]:
        client.pause_queue(name=f"{PARENT}/queues/{queue_id}")
    pager = client.list_queues(request={"parent": PARENT, "page_size": 10})
    pages = list(pager.pages)
    assert [len(p.queues) for p in pages] == [10, 10, 5]
    assert [q.name.rsplit("/", 1)[1] for q in pager_items(pages)] == ids
    paused = client.list_queues(request={"parent": PARENT, "filter": "state: PAUSED"})
    assert [q.name.rsplit("/", 1)[1] for q in paused] == ids[::5]
    running = client.list_queues(request={"parent": PARENT, "filter": "state:RUNNING"})
    assert len(list(running)) == 20
    with pytest.raises(exceptions.InvalidArgument):
        list(client.list_queues(request={"parent": PARENT, "filter": "name: x"}))
    with pytest.raises(exceptions.InvalidArgument):
        list(client.list_queues(request={"parent": PARENT, "page_token": "garbage"}))


def pager_items(pages: list[Any]) -> list[Any]:
    return [q for page in pages for q in page.queues]


def test_update_queue_with_mask_and_create_when_absent(client: Any) -> None:
    created = client.update_queue(
        queue={"name": QUEUE, "rate_limits": {"max_dispatches_per_second": 5}}
    )
    assert created.rate_limits.max_dispatches_per_second == 5
    assert created.retry_config.max_attempts == 100
    updated = client.update_queue(
        queue={
            "name": QUEUE,
            "rate_limits": {"max_dispatches_per_second": 50, "max_concurrent_dispatches": 3},
            "retry_config": {"max_attempts": 7},
        },
        update_mask=field_mask_pb2.FieldMask(paths=["rate_limits.max_dispatches_per_second"]),
    )
    assert updated.rate_limits.max_dispatches_per_second == 50
    assert updated.rate_limits.max_concurrent_dispatches == 1000
    assert updated.retry_config.max_attempts == 100
    replaced = client.update_queue(queue={"name": QUEUE, "retry_config": {"max_attempts": 7}})
    assert replaced.retry_config.max_attempts == 7
    assert replaced.rate_limits.max_dispatches_per_second == 500
    with pytest.raises(exceptions.InvalidArgument):
        client.update_queue(
            queue={"name": QUEUE}, update_mask=field_mask_pb2.FieldMask(paths=["no_such"])
        )
    with pytest.raises(exceptions.InvalidArgument):
        client.update_queue(
            queue={"name": QUEUE}, update_mask=field_mask_pb2.FieldMask(paths=["state"])
        )
    client.pause_queue(name=QUEUE)
    assert client.update_queue(queue={"name": QUEUE}).state == tasks_v2.Queue.State.PAUSED


def test_queue_level_http_target_is_kept(client: Any) -> None:
    q = client.create_queue(
        parent=PARENT,
        queue={
            "name": QUEUE,
            "http_target": {
                "uri_override": {"host": "example.org", "uri_override_enforce_mode": 2},
                "header_overrides": [{"header": {"key": "X-A", "value": "1"}}],
            },
        },
    )
    assert q.http_target.uri_override.host == "example.org"
    # with a URI override, a task may leave its URL empty
    task = client.create_task(parent=QUEUE, task={"http_request": {"http_method": "GET"}})
    assert task.http_request.http_method == tasks_v2.HttpMethod.GET
