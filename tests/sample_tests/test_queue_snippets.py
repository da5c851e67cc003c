"""The queue management snippets, checked against the queue state they leave."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest
from dispatch.handler import Handler
from google.api_core import exceptions

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

Snippet = Callable[[str], ModuleType]
LOCATION = "projects/my-project/locations/us-central1"
QUEUE = f"{LOCATION}/queues/my-queue"


def test_create_queue(snippet: Snippet, client: tasks.CloudTasksClient, capsys) -> None:
    snippet("create_queue").main(queue="fresh")

    made = client.get_queue(name=f"{LOCATION}/queues/fresh")
    assert made.state == tasks.Queue.State.RUNNING
    assert made.rate_limits.max_dispatches_per_second == 10
    assert made.retry_config.max_attempts == 5
    assert capsys.readouterr().out == f"created {LOCATION}/queues/fresh (RUNNING)\n"


def test_create_queue_beside_my_queue_and_again(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    """After ``cloud-tasks-emulator start --queue my-queue`` (here: the ``queue`` fixture),
    the sample makes a queue of its own, and a second run finds it there."""
    create_queue = snippet("create_queue")
    create_queue.main()
    create_queue.main()

    new = f"{LOCATION}/queues/my-new-queue"
    assert capsys.readouterr().out == f"created {new} (RUNNING)\n{new} already exists\n"
    assert {q.name for q in client.list_queues(parent=LOCATION)} == {QUEUE, new}


def test_get_queue(snippet: Snippet, queue: str, capsys) -> None:
    snippet("get_queue").main()

    out = capsys.readouterr().out
    assert out.startswith(f"{QUEUE}: RUNNING\n")
    assert "max dispatches per second: 500" in out
    assert "max attempts: 5" in out


def test_list_queues_all_and_filtered(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    client.create_queue(parent=LOCATION, queue={"name": f"{LOCATION}/queues/other"})
    client.pause_queue(name=f"{LOCATION}/queues/other")
    list_queues = snippet("list_queues")

    list_queues.main()
    out = capsys.readouterr().out
    assert f"{QUEUE} (RUNNING)" in out and f"{LOCATION}/queues/other (PAUSED)" in out
    assert out.endswith("2 queue(s)\n")

    list_queues.main(state_filter="state: PAUSED")
    assert capsys.readouterr().out == f"{LOCATION}/queues/other (PAUSED)\n1 queue(s)\n"


def test_update_queue_changes_only_the_masked_fields(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    before = client.get_queue(name=QUEUE)
    snippet("update_queue").main(
        max_dispatches_per_second=3, max_concurrent_dispatches=4, max_attempts=7
    )

    after = client.get_queue(name=QUEUE)
    assert after.rate_limits.max_dispatches_per_second == 3
    assert after.rate_limits.max_concurrent_dispatches == 4
    assert after.retry_config.max_attempts == 7
    assert after.retry_config.min_backoff.total_seconds() == 1
    assert after.retry_config.max_backoff.total_seconds() == 60
    # outside the mask: unchanged
    assert after.retry_config.max_doublings == before.retry_config.max_doublings
    assert "3/s, 4 at once" in capsys.readouterr().out


def test_pause_and_resume_queue_stop_and_restart_delivery(
    snippet: Snippet,
    emu: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    handler: Handler,
    capsys,
) -> None:
    snippet("pause_queue").main()
    assert client.get_queue(name=QUEUE).state == tasks.Queue.State.PAUSED
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    with pytest.raises(TimeoutError):
        handler.wait_for(1, timeout=1)

    snippet("resume_queue").main()
    assert client.get_queue(name=QUEUE).state == tasks.Queue.State.RUNNING
    handler.wait_for(1)
    assert capsys.readouterr().out == f"{QUEUE} is now PAUSED\n{QUEUE} is now RUNNING\n"


def test_purge_queue_removes_its_tasks(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    client.pause_queue(name=QUEUE)
    for _ in range(3):
        client.create_task(parent=QUEUE, task={"http_request": {"url": "http://127.0.0.1:9/"}})
    snippet("purge_queue").main()

    assert list(client.list_tasks(parent=QUEUE)) == []
    assert client.get_queue(name=QUEUE).state == tasks.Queue.State.PAUSED  # the queue stays
    assert capsys.readouterr().out.startswith(f"purged {QUEUE}")


def test_delete_queue(snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys) -> None:
    snippet("delete_queue").main()

    with pytest.raises(exceptions.NotFound):
        client.get_queue(name=QUEUE)
    assert capsys.readouterr().out == f"deleted {QUEUE}\n"
