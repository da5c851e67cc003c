"""Buffer a task with plain HTTP: POST any body to ``.../tasks:buffer``, no client library.

BufferTask makes a task from the HTTP request itself: its body and headers
become the task's, and it goes to the queue's HTTP target, so the queue needs
``http_target.uri_override`` (set here first, with the client library).

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/buffer_task.py

Without ``CLOUD_TASKS_EMULATOR_HOST`` it calls Cloud Tasks with your default
credentials.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import google.auth
import requests
from google.auth.transport.requests import AuthorizedSession
from google.protobuf import field_mask_pb2

from google.cloud import tasks


def point_queue_at(client: tasks.CloudTasksClient, queue_name: str, handler_url: str) -> None:
    """Make every task of the queue go to ``handler_url`` (the HTTP target's uri_override)."""
    url, Scheme = urlsplit(handler_url), tasks.UriOverride.Scheme
    override = tasks.UriOverride(
        scheme=Scheme.HTTPS if url.scheme == "https" else Scheme.HTTP,
        host=url.hostname or "",
        port=url.port or 0,
        path_override=tasks.PathOverride(path=url.path or "/"),
    )
    queue = tasks.Queue(
        name=queue_name,
        http_target=tasks.HttpTarget(uri_override=override, http_method=tasks.HttpMethod.POST),
    )
    client.update_queue(queue=queue, update_mask=field_mask_pb2.FieldMask(paths=["http_target"]))


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    handler_url: str = "http://localhost:8080/tasks",
    body: bytes = b'{"event": "signup"}',
) -> None:
    client = tasks.CloudTasksClient()
    queue_name = client.queue_path(project, location, queue)
    point_queue_at(client, queue_name, handler_url)

    emulator = os.environ.get("CLOUD_TASKS_EMULATOR_HOST")
    if emulator:
        session, api = requests.Session(), f"http://{emulator}"
    else:
        credentials, _ = google.auth.default(
            scopes=["https://www.googleapis.com/auth/cloud-platform"]
        )
        session, api = AuthorizedSession(credentials), "https://cloudtasks.googleapis.com"
    answer = session.post(
        f"{api}/v2/{queue_name}/tasks:buffer",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    answer.raise_for_status()
    print(f"buffered {answer.json()['task']['name']}")


if __name__ == "__main__":
    main()
