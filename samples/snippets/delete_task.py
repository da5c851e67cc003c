"""Delete a task that has not been delivered yet.

Run against the emulator (``cloud-tasks-emulator start --queue my-queue ...``)::

    CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/delete_task.py
"""

from __future__ import annotations

from google.api_core import exceptions

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    task: str = "my-task",
) -> None:
    client = tasks.CloudTasksClient()
    name = client.task_path(project, location, queue, task)
    try:
        client.delete_task(name=name)
    except exceptions.NotFound:  # already delivered, or deleted before
        print(f"{name} does not exist")
    else:
        print(f"deleted {name}")


if __name__ == "__main__":
    main()
