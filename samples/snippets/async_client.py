"""Use the asyncio client: create a task and list the queue's tasks without blocking.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/async_client.py
"""

from __future__ import annotations

import asyncio

from google.cloud import tasks


async def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
) -> None:
    client = tasks.CloudTasksAsyncClient()  # make it inside the running event loop
    parent = client.queue_path(project, location, queue)
    created = await asyncio.gather(
        *(
            client.create_task(
                parent=parent,
                task=tasks.Task(http_request=tasks.HttpRequest(url=url, body=f"{i}".encode())),
            )
            for i in range(3)
        )
    )
    print(f"created {len(created)} task(s) concurrently")
    async for task in await client.list_tasks(parent=parent):
        print(f"  {task.name}")
    await client.transport.close()


if __name__ == "__main__":
    asyncio.run(main())
