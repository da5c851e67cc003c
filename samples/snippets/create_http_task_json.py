"""Create an HTTP task whose body is JSON, with headers of your own.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_http_task_json.py
"""

from __future__ import annotations

import json
from typing import Any

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
    payload: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    client = tasks.CloudTasksClient()
    payload = payload if payload is not None else {"order": 42, "action": "ship"}
    task = tasks.Task(
        http_request=tasks.HttpRequest(
            http_method=tasks.HttpMethod.POST,
            url=url,
            headers={"Content-Type": "application/json", **(headers or {})},
            body=json.dumps(payload).encode(),
        )
    )
    created = client.create_task(parent=client.queue_path(project, location, queue), task=task)
    print(f"created {created.name} with JSON body {json.dumps(payload)}")


if __name__ == "__main__":
    main()
