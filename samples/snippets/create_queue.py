"""Create a queue.

Run against the emulator (``cloud-tasks-emulator start --port 8123``)::

    CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_queue.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    created = client.create_queue(
        parent=client.common_location_path(project, location),
        queue=tasks.Queue(name=client.queue_path(project, location, queue)),
    )
    print(f"created {created.name} ({created.state.name})")


if __name__ == "__main__":
    main()
