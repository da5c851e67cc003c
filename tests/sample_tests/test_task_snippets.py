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
    snippet("run_task").main()

    (got,) = handler.wait_for(1)
    assert (got.path, got.body) == ("/run", b"now")
    assert got.header("X-CloudTasks-TaskName") == "my-task"
    assert capsys.readouterr().out.startswith(f"dispatched {QUEUE}/tasks/my-task")


def test_delete_task(snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys) -> None:
    client.pause_queue(name=QUEUE)
    make_task(client, "http://127.0.0.1:9/", "my-task", b"")
    delete_task = snippet("delete_task")

    delete_task.main()
    assert list(client.list_tasks(parent=QUEUE)) == []
    delete_task.main()  # a second time: it is gone
    assert capsys.readouterr().out == (
        f"deleted {QUEUE}/tasks/my-task\n{QUEUE}/tasks/my-task does not exist\n"
    )


def test_batch_create_tasks_delivers_every_task(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, capsys
) -> None:
    snippet("batch_create_tasks").main(url=handler.url("/batch"), count=4)

    bodies = sorted(r.body for r in handler.wait_for(4, "/batch"))
    assert bodies == [b"item 0", b"item 1", b"item 2", b"item 3"]
    out = capsys.readouterr().out
    assert out.count(f"created {QUEUE}/tasks/") == 4
    assert out.endswith("4 task(s) in one batch\n")
