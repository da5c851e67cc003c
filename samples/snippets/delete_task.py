"""Delete a task that has not been delivered yet.

Given no task id, it first creates a task due in an hour, then deletes it.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/delete_task.py
"""

from __future__ import annotations

import datetime

from google.api_core import exceptions

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    task: str | None = None,
    url: str = "http://localhost:8080/tasks",
) -> None:
    client = tasks.CloudTasksClient()
    if task is None:  # make one that waits an hour, time enough to change our mind
        in_an_hour = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        created = client.create_task(
            parent=client.queue_path(project, location, queue),
            task=tasks.Task(http_request=tasks.HttpRequest(url=url), schedule_time=in_an_hour),
        )
        name = created.name
        print(f"created {name}")
    else:
        name = client.task_path(project, location, queue, task)
    try:
        client.delete_task(name=name)
    except exceptions.NotFound:  # already delivered, or deleted before
        print(f"{name} does not exist")
    else:
        print(f"deleted {name}")


if __name__ == "__main__":
    main()
