"""Create a task delivered later (``schedule_time``) with a handler time limit
(``dispatch_deadline``).

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_scheduled_task.py
"""

from __future__ import annotations

import datetime

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
    in_seconds: float = 60,
    deadline_seconds: float = 120,
) -> None:
    client = tasks.CloudTasksClient()
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=in_seconds)
    task = tasks.Task(
        http_request=tasks.HttpRequest(url=url, body=b"later"),
        schedule_time=when,  # a datetime; a protobuf Timestamp works too
        # how long the handler may take before the attempt counts as failed (15 s to 30 min)
        dispatch_deadline=datetime.timedelta(seconds=deadline_seconds),
    )
    created = client.create_task(parent=client.queue_path(project, location, queue), task=task)
    print(f"created {created.name}, due at {created.schedule_time}")
    print(f"dispatch deadline: {created.dispatch_deadline}")  # a timedelta


if __name__ == "__main__":
    main()
