"""Moving from google-cloud-tasks 1.x to 2.x: each 1.x idiom (in a comment) and its 2.x form.

In short: path helpers for locations became ``common_location_path``; every
argument after ``request`` is keyword-only; ``enums`` and ``types`` merged
into the package itself; times and durations are ``datetime`` and
``timedelta``.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/migrate_from_1x.py
"""

from __future__ import annotations

import datetime

# 1.x: from google.cloud import tasks_v2
#      from google.cloud.tasks_v2 import enums, types
from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
) -> None:
    # 1.x: client = tasks_v2.CloudTasksClient()   (unchanged)
    client = tasks.CloudTasksClient()

    # 1.x: parent = client.location_path(project, location)
    parent = client.common_location_path(project, location)
    # 1.x: queue_name = client.queue_path(project, location, queue)   (unchanged)
    queue_name = client.queue_path(project, location, queue)

    # 1.x: for q in client.list_queues(parent): ...            (positional argument)
    for found in client.list_queues(parent=parent):  # keyword, or request={"parent": parent}
        # 1.x: q.state == enums.Queue.State.RUNNING
        print(f"{found.name} running: {found.state == tasks.Queue.State.RUNNING}")

    # 1.x: timestamp = timestamp_pb2.Timestamp(); timestamp.FromDatetime(when)
    #      task = {"http_request": {"http_method": enums.HttpMethod.POST, "url": url},
    #              "schedule_time": timestamp}
    task = tasks.Task(
        http_request=tasks.HttpRequest(http_method=tasks.HttpMethod.POST, url=url, body=b"hi"),
        schedule_time=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30),
    )
    # (plain dicts are still accepted: task={"http_request": {"url": url}})

    # 1.x: response = client.create_task(queue_name, task)      (positional arguments)
    created = client.create_task(parent=queue_name, task=task)
    # or, with one request object: client.create_task(request={"parent": ..., "task": ...})
    print(f"created {created.name}")

    # 1.x: client.get_task(name, response_view=enums.Task.View.FULL)
    full = client.get_task(request={"name": created.name, "response_view": tasks.Task.View.FULL})
    # 1.x: full.schedule_time.ToDatetime()  (2.x: already a datetime)
    print(f"due at {full.schedule_time}, body {full.http_request.body!r}")

    # 1.x: client.delete_task(created.name)
    client.delete_task(name=created.name)
    print(f"deleted {created.name}")


if __name__ == "__main__":
    main()
