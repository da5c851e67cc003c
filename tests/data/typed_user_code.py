"""Code a user might write, for ``tests/test_typing.py`` to run ``mypy --strict`` over.

Every line ending in ``# error: CODE`` must be flagged with that error code,
and no other line may be flagged.  The functions above ``mistakes`` are
accepted, and those that need no server also run (the test calls them), so
what the checker accepts is what works at run time.
"""

from __future__ import annotations

import datetime
from collections.abc import MutableMapping, MutableSequence
from typing import Any

from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2
from typing_extensions import assert_type

from google.cloud import tasks, tasks_v2, tasks_v2beta2, tasks_v2beta3
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks_v2 import types
from google.cloud.tasks_v2.types import task as task_module

WHEN = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def one_class_under_every_import_path() -> None:
    assert_type(tasks.Task(), tasks_v2.Task)
    assert_type(types.Task(), tasks_v2.Task)
    assert_type(task_module.Task(), tasks_v2.Task)
    assert_type(tasks_v2.types.Queue(), tasks_v2.Queue)
    assert_type(tasks.CloudTasksClient, type[tasks_v2.CloudTasksClient])


def building() -> None:
    tasks.Task(
        name="projects/p/locations/l/queues/q/tasks/t",
        http_request=tasks.HttpRequest(
            url="https://example.com/work",
            http_method=tasks.HttpMethod.PUT,
            headers={"Content-Type": "application/json"},
            body=b"{}",
            oidc_token={"service_account_email": "sa@p.iam.gserviceaccount.com"},
        ),
        schedule_time=WHEN,
        dispatch_deadline=datetime.timedelta(seconds=30),
        view="FULL",
    )
    tasks.Task(schedule_time=timestamp_pb2.Timestamp(seconds=60), dispatch_deadline="30s")
    tasks.Task(schedule_time="2030-01-02T03:04:05Z", dispatch_deadline=duration_pb2.Duration())
    tasks.Task(view=2, retry_config=None)
    tasks.Task({"name": "projects/p/locations/l/queues/q/tasks/t"}, ignore_unknown_fields=True)
    tasks.Queue(
        rate_limits=tasks.RateLimits(max_dispatches_per_second=5),
        retry_config={"max_attempts": 3, "min_backoff": datetime.timedelta(seconds=1)},
        state=tasks.Queue.State.PAUSED,
    )
    tasks.UpdateQueueRequest(update_mask="rateLimits,retryConfig")
    tasks.UpdateQueueRequest(update_mask=field_mask_pb2.FieldMask(paths=["state"]))
    tasks.ListTasksResponse(tasks=[tasks.Task(), {"name": "t"}], next_page_token="x")
    tasks.UriOverride(host=None, port=8080, scheme="HTTP")
    tasks_v2beta3.Queue(type_=tasks_v2beta3.Queue.Type.PULL)
    tasks_v2beta2.Task(pull_message=tasks_v2beta2.PullMessage(payload=b"x", tag="t"))


def reading() -> None:
    task = tasks.Task(schedule_time=WHEN, http_request={"url": "https://example.com"})
    assert_type(task.name, str)
    assert_type(task.schedule_time, datetime.datetime | None)
    assert_type(task.dispatch_deadline, datetime.timedelta)
    assert_type(task.view, tasks.Task.View)
    assert_type(task.http_request, tasks.HttpRequest)
    assert_type(task.http_request.headers, MutableMapping[str, str])
    assert_type(task.http_request.http_method, tasks.HttpMethod)
    assert_type(tasks.ListTasksResponse().tasks, MutableSequence[tasks.Task])
    assert_type(tasks.Attempt().dispatch_time, datetime.datetime | None)
    assert_type(tasks.UpdateQueueRequest().update_mask, field_mask_pb2.FieldMask)
    assert_type("http_request" in task, bool)
    if task.schedule_time is not None:
        assert task.schedule_time.isoformat() == "2030-01-02T03:04:05+00:00"


def assigning() -> None:
    task = tasks.Task()
    task.schedule_time = timestamp_pb2.Timestamp(seconds=60)
    task.schedule_time = None
    task.dispatch_deadline = datetime.timedelta(minutes=5)
    task.http_request = {"url": "https://example.com"}
    task.http_request.headers = {"X-Id": "1"}
    task.view = "BASIC"
    response = tasks.ListTasksResponse()
    response.tasks = [task]


def proto_plus_class_methods() -> None:
    task = tasks.Task(name="projects/p/locations/l/queues/q/tasks/t")
    assert_type(tasks.Task.to_dict(task), dict[str, Any])
    assert_type(tasks.Task.to_json(task, indent=None), str)
    assert_type(tasks.Task.from_json('{"name": "t"}'), tasks.Task)
    assert_type(tasks.Task.serialize(task), bytes)
    assert_type(tasks.Task.deserialize(tasks.Task.serialize(task)), tasks.Task)
    assert_type(tasks.Task.wrap(tasks.Task.pb(task)), tasks.Task)
    assert_type(tasks.Task.meta.full_name, str)
    tasks.Task.copy_from(task, {"name": "other"})


def calls(client: tasks.CloudTasksClient) -> None:
    queue = client.queue_path("p", "l", "q")
    created = client.create_task(parent=queue, task=tasks.Task(schedule_time=WHEN))
    assert_type(created, tasks.Task)
    assert_type(client.get_queue(name=queue), tasks.Queue)
    for task in client.list_tasks(parent=queue):
        assert_type(task, tasks.Task)
    client.create_task(request={"parent": queue, "task": {"name": "x"}})
    client.create_task(parent=queue, task={"name": f"{queue}/tasks/from-a-dict"})
    client.update_queue(queue={"name": queue, "rate_limits": {"max_dispatches_per_second": 5}})
    client.create_task(request=tasks.CreateTaskRequest(parent=queue, task=created))


async def async_calls(client: tasks.CloudTasksAsyncClient) -> None:
    assert_type(await client.get_task(name="t"), tasks.Task)


def emulator_clients() -> None:
    with Emulator() as emu:
        assert_type(emu.client(), tasks_v2.CloudTasksClient)
        assert_type(emu.client("v2", transport="rest"), tasks_v2.CloudTasksClient)
        assert_type(emu.client("v2beta3"), tasks_v2beta3.CloudTasksClient)
        assert_type(emu.client("v2beta2"), tasks_v2beta2.CloudTasksClient)


async def emulator_async_clients() -> None:
    with Emulator() as emu:
        async with emu.async_client() as client:
            assert_type(client, tasks_v2.CloudTasksAsyncClient)
        async with emu.async_client("v2beta3", transport="rest_asyncio") as beta:
            assert_type(beta, tasks_v2beta3.CloudTasksAsyncClient)


def mistakes(client: tasks.CloudTasksClient, task: tasks.Task) -> None:
    tasks.Task(nme="typo")  # error: call-arg
    tasks.HttpRequest(url=5)  # error: arg-type
    tasks.Task("projects/p/locations/l/queues/q/tasks/t")  # error: arg-type
    tasks.Task(view="FUL")  # error: arg-type
    tasks.Task(dispatch_deadline=30)  # error: arg-type
    tasks.Task(schedule_time=WHEN.date())  # error: arg-type
    tasks.Queue(rate_limits=tasks.RetryConfig())  # error: arg-type
    tasks.ListTasksResponse(tasks=[tasks.Queue()])  # error: list-item
    tasks.HttpRequest(headers={"X-Id": 1})  # error: dict-item
    client.create_task(parent="p", task=tasks.Queue())  # error: arg-type
    client.create_task(parent="p", task=tasks_v2beta3.Task())  # error: arg-type
    Emulator().client("v2beta3").create_task(task=tasks_v2.Task())  # error: arg-type
    _ = task.nme  # error: attr-defined
    task.nme = "typo"  # error: attr-defined
    task.view = "FUL"  # error: assignment
    task.http_request.headers = ["X-Id: 1"]  # error: assignment
    _ = task.schedule_time.isoformat()  # error: union-attr
    _ = task.to_dict(task)  # error: attr-defined
    tasks.Task.to_dict(tasks.Queue())  # error: arg-type
    _ = tasks.Queue.State.RUNING  # error: attr-defined
    _ = tasks.Taks()  # error: attr-defined
    _ = tasks_v2beta3.Quee()  # error: attr-defined
