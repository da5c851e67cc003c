"""The same scenarios through the asyncio client."""

from __future__ import annotations

from typing import Any

import pytest
from google.api_core import exceptions

from google.cloud import tasks_v2

from .helpers import PARENT, QUEUE, http_task


async def test_queue_and_task_lifecycle(aclient: Any) -> None:
    await aclient.create_queue(parent=PARENT, queue={"name": QUEUE})
    with pytest.raises(exceptions.AlreadyExists):
        await aclient.create_queue(parent=PARENT, queue={"name": QUEUE})
    paused = await aclient.pause_queue(name=QUEUE)
    assert paused.state == tasks_v2.Queue.State.PAUSED
    await aclient.resume_queue(name=QUEUE)
    created = [await aclient.create_task(parent=QUEUE, task=http_task()) for _ in range(12)]
    pager = await aclient.list_tasks(request={"parent": QUEUE, "page_size": 5})
    names = [t.name async for t in pager]
    assert sorted(names) == sorted(t.name for t in created)
    got = await aclient.get_task(request={"name": created[0].name, "response_view": 2})
    assert got.view == tasks_v2.Task.View.FULL
    await aclient.delete_task(name=created[0].name)
    with pytest.raises(exceptions.NotFound):
        await aclient.get_task(name=created[0].name)
    await aclient.purge_queue(name=QUEUE)
    assert [t async for t in await aclient.list_tasks(parent=QUEUE)] == []
    queues = [q.name async for q in await aclient.list_queues(parent=PARENT)]
    assert queues == [QUEUE]
    await aclient.delete_queue(name=QUEUE)
    with pytest.raises(exceptions.NotFound) as info:
        await aclient.get_queue(name=QUEUE)
    assert info.value.message.startswith("Queue does not exist.")


async def test_async_batch_operation_and_iam(aclient: Any) -> None:
    await aclient.create_queue(parent=PARENT, queue={"name": QUEUE})
    op = await aclient.batch_create_tasks(
        parent=QUEUE, requests=[{"task": http_task()} for _ in range(4)]
    )
    result = await op.result()
    assert len(result.tasks) == 4
    policy = await aclient.get_iam_policy(resource=QUEUE)
    assert policy.etag
    locations = await aclient.list_locations(request={"name": "projects/proj"})
    assert locations.locations
