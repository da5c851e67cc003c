"""The async client, REST transport and 1.x migration snippets."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from dispatch.handler import Handler

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

Snippet = Callable[[str], ModuleType]
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"


async def test_async_client(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, capsys
) -> None:
    await snippet("async_client").main(url=handler.url("/async"))

    bodies = sorted(r.body for r in handler.wait_for(3, "/async"))
    assert bodies == [b"0", b"1", b"2"]
    out = capsys.readouterr().out
    assert out.startswith("created 3 task(s) concurrently\n")


def test_rest_transport(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, capsys
) -> None:
    snippet("rest_transport").main(url=handler.url("/rest"))

    (got,) = handler.wait_for(1, "/rest")
    assert got.body == b"via REST"
    out = capsys.readouterr().out
    assert " over REST\n" in out and f"queue {QUEUE} holds it" in out


def test_migrate_from_1x_runs_the_2x_idioms(
    snippet: Snippet, client: tasks.CloudTasksClient, queue: str, capsys
) -> None:
    snippet("migrate_from_1x").main(url="http://127.0.0.1:9/never")

    out = capsys.readouterr().out
    assert f"{QUEUE} running: True\n" in out
    created = out.split("created ", 1)[1].split("\n", 1)[0]
    assert created.startswith(f"{QUEUE}/tasks/")
    assert "body b'hi'" in out
    assert f"deleted {created}\n" in out
    assert list(client.list_tasks(parent=QUEUE)) == []
