"""Create many tasks in one call with the v2beta3 API's BatchCreateTasks.

The call is a long-running operation: ``result()`` waits for it and returns
the created tasks.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/batch_create_tasks.py
"""

from __future__ import annotations

from google.cloud import tasks_v2beta3


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
    count: int = 3,
) -> None:
    client = tasks_v2beta3.CloudTasksClient()
    parent = client.queue_path(project, location, queue)
    requests = [
        tasks_v2beta3.CreateTaskRequest(
            parent=parent,
            task=tasks_v2beta3.Task(
                http_request=tasks_v2beta3.HttpRequest(url=url, body=f"item {i}".encode())
            ),
        )
        for i in range(count)
    ]
    operation = client.batch_create_tasks(parent=parent, requests=requests)
    response = operation.result(timeout=60)
    for task in response.tasks:
        print(f"created {task.name}")
    print(f"{len(response.tasks)} task(s) in one batch")


if __name__ == "__main__":
    main()
