"""Run a task now, whatever its schedule time (even in a paused queue).

Given no task id, it first creates a task due in an hour, then runs it at
once: the handler at ``url`` gets it now, not in an hour.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/run_task.py
"""

from __future__ import annotations

import datetime

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    task: str | None = None,
    url: str = "http://localhost:8080/tasks",
) -> None:
    client = tasks.CloudTasksClient()
    if task is None:  # make one that would otherwise wait an hour
        in_an_hour = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        created = client.create_task(
            parent=client.queue_path(project, location, queue),
            task=tasks.Task(
                http_request=tasks.HttpRequest(url=url, body=b"run me now"),
                schedule_time=in_an_hour,
            ),
        )
        name = created.name
        print(f"created {name}, due at {created.schedule_time}")
    else:
        name = client.task_path(project, location, queue, task)
    ran = client.run_task(name=name)
    print(f"dispatched {ran.name} (attempt {ran.dispatch_count})")


if __name__ == "__main__":
    main()
