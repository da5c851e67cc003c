"""Create an App Engine task, optionally routed to a service and version, with headers.

The emulator sends App Engine tasks to ``--app-engine-host`` (default
``localhost:8080``); the routing shows in the ``Host`` header
(``v2.worker.localhost:8080``).

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_app_engine_task.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    relative_uri: str = "/tasks/process",
    payload: str = "hello, App Engine",
    service: str | None = None,
    version: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    client = tasks.CloudTasksClient()
    request = tasks.AppEngineHttpRequest(
        http_method=tasks.HttpMethod.POST,
        relative_uri=relative_uri,
        headers=headers or {},
        body=payload.encode(),
    )
    if service or version:  # by default the app's default service and version
        request.app_engine_routing = tasks.AppEngineRouting(
            service=service or "", version=version or ""
        )
    task = client.create_task(
        parent=client.queue_path(project, location, queue),
        task=tasks.Task(app_engine_http_request=request),
    )
    print(f"created {task.name} for {relative_uri}")
    print(f"routed to host {task.app_engine_http_request.app_engine_routing.host}")


if __name__ == "__main__":
    main()
