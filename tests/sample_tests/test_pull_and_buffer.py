"""The v2beta2 pull-queue worker and BufferTask over plain HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from types import ModuleType

from dispatch.handler import Handler

from google.cloud import tasks, tasks_v2beta2
from google.cloud.tasks.emulator import Emulator

Snippet = Callable[[str], ModuleType]
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"
PULL_QUEUE = "projects/my-project/locations/us-central1/queues/my-pull-queue"


def test_pull_queue_worker_leaves_only_the_cancelled_task(
    snippet: Snippet, emu: Emulator, capsys
) -> None:
    snippet("pull_queue_worker").main(count=3)

    out = capsys.readouterr().out
    assert "leased 3 task(s)\n" in out
    assert out.count("acknowledged ") == 2 and "renewed " in out
    # each acknowledged task shows its payload, the renewed one too
    assert sorted(re.findall(r"^acknowledged \S+ \((.*)\)$", out, re.M)) == ["job 0", "job 1"]
    cancelled = out.split("cancelled the lease of ", 1)[1].strip()
    with emu.client("v2beta2") as client:
        # the acknowledged tasks are gone; the cancelled one can be leased again at once
        leased = client.lease_tasks(
            request={"parent": PULL_QUEUE, "max_tasks": 10, "lease_duration": "30s"}
        ).tasks
        assert [t.name for t in leased] == [cancelled]
        assert client.get_queue(name=PULL_QUEUE).pull_target == tasks_v2beta2.PullTarget()


def test_buffer_task_reaches_the_queue_target(
    snippet: Snippet,
    emu: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    handler: Handler,
    capsys,
) -> None:
    snippet("buffer_task").main(handler_url=handler.url("/buffered"), body=b'{"n": 1}')

    (got,) = handler.wait_for(1, "/buffered")
    assert got.method == "POST"
    assert json.loads(got.body) == {"n": 1}
    assert got.header("Content-Type") == "application/json"
    assert client.get_queue(name=QUEUE).http_target.uri_override.host == "127.0.0.1"
    assert capsys.readouterr().out.startswith(f"buffered {QUEUE}/tasks/")
