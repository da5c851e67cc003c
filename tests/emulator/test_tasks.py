"""Task RPCs against the embedded emulator through the v2 client."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from google.api_core import exceptions

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator, Settings

from .helpers import PARENT, QUEUE, http_task

FULL = tasks_v2.Task.View.FULL
BASIC = tasks_v2.Task.View.BASIC


def test_create_get_list_delete(client: Any, queue: Any) -> None:
    task = client.create_task(parent=QUEUE, task=http_task(body=b"payload"))
    task_id = task.name.rsplit("/", 1)[1]
    assert task.name.startswith(QUEUE + "/tasks/") and task_id.isdigit()
    assert task.http_request.url == "https://example.com/work"
    assert task.http_request.http_method == tasks_v2.HttpMethod.POST
    assert task.http_request.body == b"" and task.view == BASIC
    assert task.dispatch_deadline == datetime.timedelta(minutes=10)
    assert task.schedule_time == task.create_time
    full = client.get_task(request={"name": task.name, "response_view": FULL})
    assert full.http_request.body == b"payload" and full.view == FULL
    assert client.get_task(name=task.name).http_request.body == b""
    listed = list(client.list_tasks(request={"parent": QUEUE, "response_view": FULL}))
    assert [t.name for t in listed] == [task.name]
    assert listed[0].http_request.body == b"payload"
    client.delete_task(name=task.name)
    with pytest.raises(exceptions.NotFound) as info:
        client.get_task(name=task.name)
    assert info.value.message == (
        "The task no longer exists, though a task with this name existed recently. The task"
        " either successfully completed or was deleted."
    )
    with pytest.raises(exceptions.NotFound) as info:
        client.delete_task(name=task.name)
    assert info.value.message == "Requested entity was not found."


def test_app_engine_tasks(client: Any, queue: Any) -> None:
    task = client.create_task(
        request={
            "parent": QUEUE,
            "task": {"app_engine_http_request": {"body": b"x", "headers": {"A": "b"}}},
            "response_view": FULL,
        }
    )
    request = task.app_engine_http_request
    assert request.relative_uri == "/" and request.body == b"x"
    # As the service does: a body without a type is octet-stream, and its length is kept.
    assert request.headers == {
        "A": "b",
        "Content-Type": "application/octet-stream",
        "Content-Length": "1",
        "User-Agent": "AppEngine-Google; (+http://code.google.com/appengine)",
    }
    assert request.app_engine_routing.host == "localhost:8080"
    assert client.get_task(name=task.name).app_engine_http_request.body == b""


def test_named_tasks_and_name_errors(client: Any, queue: Any) -> None:
    name = f"{QUEUE}/tasks/my_task-1"
    assert client.create_task(parent=QUEUE, task=http_task(name)).name == name
    with pytest.raises(exceptions.AlreadyExists) as info:
        client.create_task(parent=QUEUE, task=http_task(name))
    assert info.value.message == "Requested entity already exists"
    client.delete_task(name=name)
    with pytest.raises(exceptions.AlreadyExists):
        client.create_task(parent=QUEUE, task=http_task(name))
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.create_task(parent=QUEUE, task=http_task(f"{QUEUE}/tasks/bad id"))
    assert info.value.message == (
        'Task ID "bad id" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or'
        " underscores (_). Task ID must between 1 and 500 characters."
    )
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.create_task(parent=QUEUE, task=http_task(f"{QUEUE}/tasks/{'a' * 501}"))
    assert "Task ID must between 1 and 500 characters." in info.value.message
    other = f"{PARENT}/queues/other"
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.create_task(parent=QUEUE, task=http_task(f"{other}/tasks/t"))
    assert info.value.message == (
        f"The queue name from request ('{QUEUE}') must be the same as the queue name in the"
        f" named task ('{other}')."
    )
    with pytest.raises(exceptions.NotFound) as info:
        client.get_task(name=f"{QUEUE}/tasks/never")
    assert info.value.message == "Requested entity was not found."
    with pytest.raises(exceptions.NotFound):
        client.run_task(name=f"{QUEUE}/tasks/never")


def test_task_name_reservation_window_is_configurable() -> None:
    with Emulator(dispatch=False, settings=Settings(task_tombstone_seconds=0)) as emu:
        client = emu.client()
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        name = f"{QUEUE}/tasks/again"
        client.create_task(parent=QUEUE, task=http_task(name))
        client.delete_task(name=name)
        assert client.create_task(parent=QUEUE, task=http_task(name)).name == name


def test_schedule_time_and_deadline_limits(client: Any, queue: Any) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)
    later = now + datetime.timedelta(days=29)
    task = client.create_task(parent=QUEUE, task=http_task(schedule_time=later))
    assert abs((task.schedule_time - later).total_seconds()) < 0.001
    with pytest.raises(exceptions.InvalidArgument):
        client.create_task(
            parent=QUEUE, task=http_task(schedule_time=now + datetime.timedelta(days=31))
        )
    for seconds in (14, 1801):
        with pytest.raises(exceptions.InvalidArgument):
            client.create_task(parent=QUEUE, task=http_task(dispatch_deadline={"seconds": seconds}))
    ok = client.create_task(parent=QUEUE, task=http_task(dispatch_deadline={"seconds": 15}))
    assert ok.dispatch_deadline == datetime.timedelta(seconds=15)
    assert len(list(client.list_tasks(parent=QUEUE))) == 2


def test_payload_rules(client: Any, queue: Any) -> None:
    bad = [
        {},
        {"http_request": {}},
        {"http_request": {"url": "ftp://example.com/"}},
        {"http_request": {"url": "https://x.test/", "http_method": "GET", "body": b"no"}},
        {"http_request": {"url": "https://x.test/", "oidc_token": {"audience": "a"}}},
        {"app_engine_http_request": {"relative_uri": "no-slash"}},
    ]
    for task in bad:
        with pytest.raises(exceptions.InvalidArgument):
            client.create_task(parent=QUEUE, task=task)
    assert list(client.list_tasks(parent=QUEUE)) == []


def test_size_limit(client: Any, queue: Any) -> None:
    client.create_task(parent=QUEUE, task=http_task(body=b"x" * (1000 * 1024)))
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.create_task(parent=QUEUE, task=http_task(body=b"x" * (1024 * 1024 + 1)))
    assert "too large" in info.value.message
    assert len(list(client.list_tasks(parent=QUEUE))) == 1


def test_unknown_enum_values_are_refused(client: Any, queue: Any) -> None:
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.get_task(request={"name": f"{QUEUE}/tasks/x", "response_view": 7})
    assert "response_view" in info.value.message
    with pytest.raises(exceptions.InvalidArgument):
        client.create_task(
            parent=QUEUE, task={"http_request": {"url": "https://x.test/", "http_method": 42}}
        )


def test_list_tasks_pages(client: Any, queue: Any) -> None:
    names = {client.create_task(parent=QUEUE, task=http_task()).name for _ in range(23)}
    pager = client.list_tasks(request={"parent": QUEUE, "page_size": 10})
    pages = list(pager.pages)
    assert [len(p.tasks) for p in pages] == [10, 10, 3]
    assert {t.name for p in pages for t in p.tasks} == names
    with pytest.raises(exceptions.InvalidArgument):
        list(client.list_tasks(request={"parent": QUEUE, "page_size": -1}))


def test_run_task_makes_it_due_now(client: Any, queue: Any) -> None:
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    task = client.create_task(parent=QUEUE, task=http_task(schedule_time=later))
    run = client.run_task(name=task.name)
    assert run.schedule_time < later
