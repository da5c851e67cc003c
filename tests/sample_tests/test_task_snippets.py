"""The task snippets: list (FULL view), run, delete, and v2beta3 batch creation."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from dispatch.handler import Handler

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

Snippet = Callable[[str], ModuleType]
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"


def make_task(client: tasks.CloudTasksClient, url: str, task_id: str, body: bytes) -> None:
    client.create_task(
        parent=QUEUE,
        task={"name": f"{QUEUE}/tasks/{task_id}", "http_request": {"url": url, "body": body}},
    )


def test_list_tasks_shows_bodies(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    client.pause_queue(name=QUEUE)
    make_task(client, "http://127.0.0.1:9/a", "one", b"first")
    make_task(client, "http://127.0.0.1:9/b", "two", b"second")
    snippet("list_tasks").main()

    out = capsys.readouterr().out
    assert f"{QUEUE}/tasks/one: POST http://127.0.0.1:9/a body=b'first'" in out
    assert f"{QUEUE}/tasks/two: POST http://127.0.0.1:9/b body=b'second'" in out
    assert out.endswith("2 task(s)\n")


def test_list_tasks_shows_app_engine_tasks_by_method_and_path(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    client.pause_queue(name=QUEUE)
    client.create_task(
        parent=QUEUE,
        task={
            "name": f"{QUEUE}/tasks/app",
            "app_engine_http_request": {
                "http_method": "PUT",
                "relative_uri": "/tasks/process?x=1",
                "body": b"payload",
            },
        },
    )
    snippet("list_tasks").main()

    out = capsys.readouterr().out
    assert f"{QUEUE}/tasks/app: PUT /tasks/process?x=1 body=b'payload'" in out
    assert "HTTP_METHOD_UNSPECIFIED" not in out


def test_run_task_creates_a_task_due_in_an_hour_and_runs_it_now(
    snippet: Snippet,
    emu: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    handler: Handler,
    capsys,
) -> None:
    snippet("run_task").main(url=handler.url("/later"))  # no task named: it makes one

    (got,) = handler.wait_for(1, "/later")
    assert got.body == b"run me now"
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"created {QUEUE}/tasks/")
    assert out[1].startswith(f"dispatched {QUEUE}/tasks/{got.header('X-CloudTasks-TaskName')}")


def test_run_task_delivers_at_once_from_a_paused_queue(
    snippet: Snippet,
    emu: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    handler: Handler,
    capsys,
) -> None:
    client.pause_queue(name=QUEUE)
    make_task(client, handler.url("/run"), "my-task", b"now")
    snippet("run_task").main(task="my-task")

    (got,) = handler.wait_for(1)
    assert (got.path, got.body) == ("/run", b"now")
    assert got.header("X-CloudTasks-TaskName") == "my-task"
    assert capsys.readouterr().out.startswith(f"dispatched {QUEUE}/tasks/my-task")


def test_delete_task(snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys) -> None:
    client.pause_queue(name=QUEUE)
    make_task(client, "http://127.0.0.1:9/", "my-task", b"")
    delete_task = snippet("delete_task")

    delete_task.main(task="my-task")
    assert list(client.list_tasks(parent=QUEUE)) == []
    delete_task.main(task="my-task")  # a second time: it is gone
    assert capsys.readouterr().out == (
        f"deleted {QUEUE}/tasks/my-task\n{QUEUE}/tasks/my-task does not exist\n"
    )


def test_delete_task_creates_the_task_it_deletes(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    snippet("delete_task").main()  # no task named: it makes one, due in an hour

    created, deleted = capsys.readouterr().out.splitlines()
    name = created.removeprefix("created ")
    assert name.startswith(f"{QUEUE}/tasks/") and deleted == f"deleted {name}"
    assert list(client.list_tasks(parent=QUEUE)) == []


def test_batch_create_tasks_delivers_every_task(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, capsys
) -> None:
    snippet("batch_create_tasks").main(url=handler.url("/batch"), count=4)

    bodies = sorted(r.body for r in handler.wait_for(4, "/batch"))
    assert bodies == [b"item 0", b"item 1", b"item 2", b"item 3"]
    out = capsys.readouterr().out
    assert out.count(f"created {QUEUE}/tasks/") == 4
    assert out.endswith("4 task(s) in one batch\n")
