"""A small Flask app that enqueues tasks from one route and handles them on another.

``POST /enqueue`` with ``{"message": ...}`` creates a task whose target is
this same app's ``POST /tasks/handle``; Cloud Tasks (or the emulator) then
calls that route, and any 2xx answer completes the task.  Against the real
service, ``base_url`` must be a public address of the app.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Serve: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/web_app.py
Then: curl -X POST localhost:8080/enqueue -H 'Content-Type: application/json' -d '{"message": "hi"}'
"""

from __future__ import annotations

import json

from flask import Flask, request

from google.cloud import tasks


def create_app(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    base_url: str = "http://localhost:8080",
) -> Flask:
    app = Flask(__name__)
    client = tasks.CloudTasksClient()
    parent = client.queue_path(project, location, queue)
    handled: list[dict[str, str]] = []
    app.config["HANDLED"] = handled  # what /tasks/handle received, for a look (or a test)

    @app.post("/enqueue")
    def enqueue() -> tuple[dict[str, str], int]:
        message = str(request.get_json()["message"])
        task = tasks.Task(
            http_request=tasks.HttpRequest(
                url=f"{base_url}/tasks/handle",
                headers={"Content-Type": "application/json"},
                body=json.dumps({"message": message}).encode(),
            )
        )
        created = client.create_task(parent=parent, task=task)
        return {"task": created.name}, 202

    @app.post("/tasks/handle")
    def handle() -> tuple[str, int]:
        # Cloud Tasks names the task and counts its attempts in headers of its own
        entry = {
            "message": str(request.get_json()["message"]),
            "task": request.headers.get("X-CloudTasks-TaskName", ""),
            "retries": request.headers.get("X-CloudTasks-TaskRetryCount", ""),
        }
        handled.append(entry)
        print(f"handled task {entry['task']}: {entry['message']!r}")
        return "", 204

    return app


def main(port: int = 8080) -> None:
    create_app(base_url=f"http://localhost:{port}").run(host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
