"""Use the client over HTTP/JSON (``transport="rest"``) instead of gRPC.

Everything else is the same; REST helps where gRPC is blocked or unavailable.
With ``CLOUD_TASKS_EMULATOR_HOST`` set, the REST client talks to the emulator too.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/rest_transport.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
) -> None:
    client = tasks.CloudTasksClient(transport="rest")
    parent = client.queue_path(project, location, queue)
    task = client.create_task(
        parent=parent, task=tasks.Task(http_request=tasks.HttpRequest(url=url, body=b"via REST"))
    )
    print(f"created {task.name} over REST")
    print(f"queue {client.get_queue(name=parent).name} holds it")


if __name__ == "__main__":
    main()
