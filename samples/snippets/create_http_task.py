"""Create an HTTP task with any method (POST, GET, PUT, DELETE or PATCH).

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_http_task.py

The task is delivered to ``url`` (a handler on this machine by default).
"""

from __future__ import annotations

from typing import Literal

from google.cloud import tasks

#: the names ``http_method`` takes (a type checker refuses any other string)
Method = Literal["POST", "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
    method: Method = "POST",
    payload: str = "hello",
) -> None:
    client = tasks.CloudTasksClient()
    # proto-plus takes an enum field's value name too: "PUT" is tasks.HttpMethod.PUT
    http_request = tasks.HttpRequest(http_method=method, url=url)
    if method in ("POST", "PUT", "PATCH"):
        http_request.body = payload.encode()  # only these methods may carry a body
    task = client.create_task(
        parent=client.queue_path(project, location, queue),
        task=tasks.Task(http_request=http_request),
    )
    print(f"created {task.name} ({method} {url})")


if __name__ == "__main__":
    main()
